//! *⊘ without it*: the session replayed without one flow, a slice of user commands at a
//! time (so that a long session's replay is no long task), then kept as a fork of this one.

use super::{teardown, Action, ForkOrigin, Session};
use crate::browser::slices::in_slices;
use decider_core::boundary::rows::command_label;
use decider_core::scenario::without::Replay;
use decider_core::Id;
use std::cell::RefCell;
use std::rc::Rc;
use yew::Callback;

/// A replay without a flow, under way.
pub struct WithoutJob {
    /// The flow left out (its correlation id).
    pub flow: Id,
    replay: Replay,
}

/// Starts replaying `session` without the flow `correlation_id` (the branch is folded and
/// the later commands replayed by [`advance`]).
pub(super) fn start(session: &mut Session, correlation_id: Id) {
    cancel(session);
    match Replay::start(&*session.engine, correlation_id) {
        Ok(replay) => {
            session.without = Some(WithoutJob {
                flow: correlation_id,
                replay,
            });
            // The session's first command, with nothing after it, leaves nothing to do.
            advance(session, 0);
        }
        Err(e) => session.error = Some(failed(&e)),
    }
}

/// Does up to `units` more of the running replay (`Replay::advance`); once all is done,
/// the session becomes the branch without the flow.
pub(super) fn advance(session: &mut Session, units: u64) {
    let Some(job) = &mut session.without else {
        return;
    };
    let units = usize::try_from(units).unwrap_or(usize::MAX);
    match job.replay.advance(&*session.engine, units) {
        Ok(false) => {}
        Ok(true) => {
            let job = session.without.take().expect("the job just advanced");
            let replayed = job.replay.finish();
            let generation = session.fork.as_ref().map_or(1, |f| f.generation + 1);
            let label = command_label(&replayed.command, &session.domain.command_names());
            session.replace_engine(replayed.engine);
            session.fork = Some(ForkOrigin {
                position: replayed.shared,
                generation,
                without: Some(label),
            });
        }
        Err(e) => {
            cancel(session);
            session.error = Some(failed(&e));
        }
    }
}

/// Stops the running replay, if any, and frees what it replayed.
pub(super) fn cancel(session: &mut Session) {
    if let Some(job) = session.without.take() {
        teardown::release(job.replay.finish().engine);
    }
}

fn failed(e: &impl std::fmt::Display) -> String {
    format!("The session was not replayed without this flow: {e}")
}

impl WithoutJob {
    /// How much of the replay is done, and of how much.
    pub fn progress(&self) -> (usize, usize) {
        self.replay.progress()
    }
}

/// Advances the replay `session` runs through `dispatch` ([`Action::WithoutSlice`]) a
/// slice a frame until it ends (done, failed or cancelled).
pub async fn run(session: Rc<RefCell<Session>>, dispatch: Callback<Action>) {
    let left = || {
        let session = session.borrow();
        let (done, total) = session.without.as_ref()?.progress();
        Some((done as u64, total as u64))
    };
    in_slices(left, |n| dispatch.emit(Action::WithoutSlice(n))).await;
}
