//! Repeat ×N: the same command N times with `${i}` replaced by 1..N, submitted in slices
//! that yield to the browser between them, so the page stays responsive and can cancel.

use super::{Action, Session};
use gloo::timers::future::TimeoutFuture;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::Callback;

/// The least milliseconds of work per slice before yielding to the browser (half a 60 Hz
/// frame).
const SLICE_MS: f64 = 8.0;
/// The most milliseconds of work per slice, so no slice is a long task (50 ms).
const MAX_SLICE_MS: f64 = 40.0;

/// `command` with every `${i}` in its strings (keys included) replaced by `i`.
pub fn substitute(command: &Value, i: u64) -> Value {
    match command {
        Value::String(s) if s.contains("${i}") => Value::String(s.replace("${i}", &i.to_string())),
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, i)).collect()),
        Value::Object(map) => {
            // Extended, not collected: collecting a map sorts, with a sort compiled into the
            // wasm for each iterator type.
            let mut out = Map::new();
            out.extend(
                map.iter()
                    .map(|(k, v)| (k.replace("${i}", &i.to_string()), substitute(v, i))),
            );
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Runs the Repeat ×N that `session` holds (see [`Action::RepeatSlice`]) through
/// `dispatch`, in slices of about 8 to 40 ms, until its journal holds every repetition,
/// `cancel` is set, a slice submits nothing (the session refused it and says why) or the
/// session runs no repeat any more (another workspace was opened); then dispatches
/// [`Action::RepeatEnded`]. What is done is read from the session before each slice,
/// never counted here: a session reopened meanwhile (a reload, another tab's write)
/// resumes after its own last submission.
pub async fn run(
    session: Rc<RefCell<Session>>,
    dispatch: Callback<Action>,
    cancel: Rc<Cell<bool>>,
) {
    let progress = || {
        let session = session.borrow();
        let job = session.repeat_job()?;
        Some((session.repeat_done(), job.total))
    };
    let mut slice = 16u64;
    while let Some((done, total)) = progress() {
        if done >= total || cancel.get() {
            break;
        }
        let n = slice.min(total - done);
        let started = now();
        dispatch.emit(Action::RepeatSlice(n));
        let spent = (now() - started).max(0.1);
        if progress().is_some_and(|(now_done, _)| now_done == done) {
            break;
        }
        TimeoutFuture::new(0).await;
        // The page rendered meanwhile: give the work at least as long as that took (so a
        // costly render does not dominate), within SLICE_MS..MAX_SLICE_MS.
        let rendering = now() - started - spent;
        let target = rendering.clamp(SLICE_MS, MAX_SLICE_MS);
        slice = ((n as f64 * target / spent) as u64).clamp(1, 5_000);
    }
    dispatch.emit(Action::RepeatEnded);
}

/// The page's clock (`performance.now()`), in milliseconds.
pub(crate) fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
