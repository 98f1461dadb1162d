//! A branch of the session made a slice at a time (so that a long session's is no long
//! task), then kept as a fork of it: *⎇ fork from here* (the past up to the cursor) and
//! *⊘ without it* (the session replayed without one flow).

use super::{teardown, Action, ForkOrigin, Session};
use crate::browser::slices::in_slices;
use decider_core::boundary::rows::command_label;
use decider_core::scenario::branch::Branch;
use decider_core::scenario::without::Replay;
use decider_core::Id;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use yew::Callback;

/// Units of the branch done at once when it starts: a short session's branch is made
/// in the same task, with no progress shown.
const AT_ONCE: u64 = 16;

/// A branch under way.
pub struct BranchJob {
    branch: Branch,
    /// What it is for.
    purpose: Purpose,
}

/// What a branch is made for.
enum Purpose {
    /// A fork whose past is the session's up to this position.
    Fork(u64),
    /// The session without the flow `flow`, whose user command was `command`.
    Without { flow: Id, command: Value },
}

impl BranchJob {
    /// How much of the branch is done, and of how much.
    pub fn progress(&self) -> (usize, usize) {
        self.branch.progress()
    }

    /// The flow left out, for a replay without one.
    pub fn without(&self) -> Option<Id> {
        match self.purpose {
            Purpose::Without { flow, .. } => Some(flow),
            Purpose::Fork(_) => None,
        }
    }
}

/// Starts a fork of `session` whose past is its own up to the position shown.
pub(super) fn fork(session: &mut Session) {
    let position = session.position();
    let entries = session.engine.entries_through_position(position);
    let branch = Branch::at_entry(&*session.engine, entries);
    start(session, branch, Purpose::Fork(position));
}

/// Starts replaying `session` without the flow `correlation_id`.
pub(super) fn without(session: &mut Session, correlation_id: Id) {
    match Replay::start(&*session.engine, correlation_id) {
        Ok(Replay { branch, command }) => start(
            session,
            branch,
            Purpose::Without {
                flow: correlation_id,
                command,
            },
        ),
        Err(e) => session.error = Some(failed(true, &e)),
    }
}

fn start(session: &mut Session, branch: Branch, purpose: Purpose) {
    cancel(session);
    session.branching = Some(BranchJob { branch, purpose });
    advance(session, AT_ONCE);
}

/// Does up to `units` more of the branch under way (`Branch::advance`); once all is done,
/// the session becomes the branch.
pub(super) fn advance(session: &mut Session, units: u64) {
    let Some(job) = &mut session.branching else {
        return;
    };
    let units = usize::try_from(units).unwrap_or(usize::MAX);
    match job.branch.advance(&*session.engine, units) {
        Ok(false) => {}
        Ok(true) => {
            let BranchJob { branch, purpose } = session.branching.take().expect("just advanced");
            let generation = session.fork.as_ref().map_or(1, |f| f.generation + 1);
            let (position, without) = match purpose {
                Purpose::Fork(position) => (position, None),
                Purpose::Without { command, .. } => (
                    branch.shared(),
                    Some(command_label(&command, &session.domain.command_names())),
                ),
            };
            session.replace_engine(branch.into_engine());
            session.fork = Some(ForkOrigin {
                position,
                generation,
                without,
            });
        }
        Err(e) => {
            let job = session.branching.take().expect("just advanced");
            session.error = Some(failed(job.without().is_some(), &e));
            teardown::release(job.branch.into_engine());
        }
    }
}

/// Stops the branch under way, if any, and frees what it made.
pub(super) fn cancel(session: &mut Session) {
    if let Some(job) = session.branching.take() {
        teardown::release(job.branch.into_engine());
    }
}

/// What the page says when a branch fails (`without`: a replay without a flow).
fn failed(without: bool, e: &impl std::fmt::Display) -> String {
    if without {
        format!("The session was not replayed without this flow: {e}")
    } else {
        format!("The fork was not made: {e}")
    }
}

/// Advances the branch `session` makes through `dispatch` ([`Action::BranchSlice`]) a
/// slice a frame until it ends (done, failed or stopped).
pub async fn run(session: Rc<RefCell<Session>>, dispatch: Callback<Action>) {
    let left = || {
        let session = session.borrow();
        let (done, total) = session.branching.as_ref()?.progress();
        Some((done as u64, total as u64))
    };
    in_slices(left, |n| dispatch.emit(Action::BranchSlice(n))).await;
}
