//! Repeat ×N: the same command N times with `${i}` replaced by 1..N, submitted in slices
//! that yield to the browser between them, so the page stays responsive and can cancel.

use super::{Action, Session};
use crate::browser::slices::in_slices;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::Callback;

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
/// `dispatch`, in slices of about 8 to 40 ms ([`in_slices`]), until its journal holds every repetition,
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
    let left = || {
        let session = session.borrow();
        let job = session.repeat_job().filter(|_| !cancel.get())?;
        Some((session.repeat_done(), job.total))
    };
    in_slices(left, |n| dispatch.emit(Action::RepeatSlice(n))).await;
    dispatch.emit(Action::RepeatEnded);
}
