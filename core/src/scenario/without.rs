//! What if a flow had never started: a session's journal replayed with one user command
//! never submitted, every other command as it was (the same given history, the same
//! submissions in the same order, each followed by as many engine steps as it was, each
//! step made to fail as it was).
//!
//! Where flows interleaved (a step that did not run to idle), the engine steps the removed
//! command's submission was followed by go with it, so a flow it interleaved with may run
//! on later; where nothing interleaved, every other flow is decided as before, in the same
//! order, and only what the removed flow caused is gone or different.

use super::branch::Branch;
use super::export::{given_after_a_command, injected_rejection, Plan};
use super::ScenarioError;
use crate::boundary::{DynEngine, Noted};
use crate::ids::Id;
use serde_json::Value;

/// A session replayed without one flow ([`without_flow`]).
pub struct WithoutFlow {
    /// The replayed engine, idle where the session's steps ran to idle.
    pub engine: Box<dyn DynEngine>,
    /// How many facts it shares with the session: those recorded before the removed
    /// command was submitted (from there on their journals differ).
    pub shared: u64,
    /// The removed user command.
    pub command: Value,
}

/// `engine`'s journal replayed without the user command that started the flow
/// `correlation_id`; refused when no user command started it, or (with the path in the
/// scenario the journal makes) when the replay does not run.
pub fn without_flow(
    engine: &dyn DynEngine,
    correlation_id: Id,
) -> Result<WithoutFlow, ScenarioError> {
    let mut replay = Replay::start(engine, correlation_id)?;
    while !replay.branch.advance(engine, usize::MAX)? {}
    Ok(replay.finish())
}

/// The replay of a session without one flow, under way: a [`Branch`] whose past ends just
/// before the flow's user command was submitted, every later command replayed.
pub struct Replay {
    /// The branch.
    pub branch: Branch,
    /// The removed user command.
    pub command: Value,
}

impl Replay {
    /// The replay of `engine` without the flow `correlation_id`, nothing folded or
    /// replayed yet (one pass over what the journal's entries tell a flow list); refused
    /// when no user command started the flow, or when the journal gives history after
    /// that command.
    pub fn start(engine: &dyn DynEngine, correlation_id: Id) -> Result<Replay, ScenarioError> {
        let mut plan = Plan::new();
        let (mut removed, mut before) = (None, 0);
        for (entry, noted) in entries_noted(engine, 0) {
            match noted {
                Noted::Submitted { correlation_id: id } => {
                    if removed.is_none() && id == correlation_id {
                        removed = Some(entry);
                    }
                    if removed.is_some() {
                        plan.submitted(entry);
                    } else {
                        plan.skipped();
                        before += 1;
                    }
                }
                Noted::Step(step) => {
                    let injected = match removed {
                        Some(_) if step.injected => {
                            let json = engine.journal_range(entry, entry + 1);
                            Some(injected_rejection(&json[0]["step"], entry)?)
                        }
                        _ => None,
                    };
                    plan.step(step.queued as usize, injected);
                }
                Noted::Other if removed.is_some() => return Err(given_after_a_command(entry)),
                Noted::Other => {}
            }
        }
        let Some(removed) = removed else {
            return Err(ScenarioError::at(
                "$",
                format!("no user command started the flow {correlation_id}"),
            ));
        };
        let command = engine
            .submitted_command(removed)
            .expect("a submission's command");
        let mut plan = plan.finish();
        // The removed command goes, with the engine steps that followed it.
        plan.remove(0);
        Ok(Replay {
            branch: Branch::replaying(engine, removed, plan, before),
            command,
        })
    }

    /// The session without the flow, as far as it was replayed.
    pub fn finish(self) -> WithoutFlow {
        WithoutFlow {
            shared: self.branch.shared(),
            engine: self.branch.into_engine(),
            command: self.command,
        }
    }
}

/// What each journal entry of `engine` from `from` on tells a replay, with its index, read
/// a slice of entries at a time (a long journal is not copied whole).
fn entries_noted(engine: &dyn DynEngine, from: usize) -> impl Iterator<Item = (usize, Noted)> + '_ {
    const SLICE: usize = 1 << 16;
    let len = engine.journal_len();
    (from..len)
        .step_by(SLICE)
        .flat_map(move |start| (start..).zip(engine.noted(start, len.min(start + SLICE))))
}
