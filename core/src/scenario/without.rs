//! What if a flow had never started: a session's journal replayed with one user command
//! never submitted, every other command as it was (the same given history, the same
//! submissions in the same order, each followed by as many engine steps as it was, each
//! step made to fail as it was).
//!
//! Where flows interleaved (a step that did not run to idle), the engine steps the removed
//! command's submission was followed by go with it, so a flow it interleaved with may run
//! on later; where nothing interleaved, every other flow is decided as before, in the same
//! order, and only what the removed flow caused is gone or different.

use super::export::{given_after_a_command, injected_rejection, Plan, Planned};
use super::{play, ScenarioError};
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
    while !replay.advance(engine, usize::MAX)? {}
    Ok(replay.finish())
}

/// Journal entries of the shared past folded in one unit of [`Replay::advance`] (about what
/// one user command replayed costs).
const FOLDED_A_UNIT: usize = 16;

/// [`without_flow`] a slice at a time, so that a page can draw between slices: a branch of
/// the session with its past up to the removed command's submission (folded from the
/// typed journal, none of it written as JSON), then every later user command submitted
/// again (only it written as JSON) with the engine steps that followed it.
pub struct Replay {
    /// The branch, folded and replayed so far.
    engine: Box<dyn DynEngine>,
    /// The journal entries before the removed submission (the branch's past).
    past: usize,
    /// How many of them are folded into the branch.
    folded: usize,
    /// The facts of the past, once it is folded.
    shared: u64,
    /// The removed user command, then every later one, by its journal entry in the
    /// session, with its steps.
    plan: Vec<Planned<usize>>,
    /// The next one to replay.
    next: usize,
    /// How many user commands came before the removed one (the paths of errors count them
    /// as the scenario the journal makes does).
    before: usize,
    command: Value,
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
        Ok(Replay {
            engine: engine.fork_at_entry(0),
            past: removed,
            folded: 0,
            shared: 0,
            plan: plan.finish(),
            // The removed command's own step goes with it.
            next: 1,
            before,
            command,
        })
    }

    /// Does up to `units` more of the replay, each 16 entries of the shared
    /// past folded or, once it is, one later user command submitted again (read from
    /// `original`, the engine the replay started from) with its engine steps; whether all
    /// is done.
    pub fn advance(
        &mut self,
        original: &dyn DynEngine,
        units: usize,
    ) -> Result<bool, ScenarioError> {
        let mut units = units;
        while self.folded < self.past && units > 0 {
            let to = self.past.min(self.folded + FOLDED_A_UNIT);
            self.engine
                .load_entries(original, self.folded, to)
                .map_err(|e| ScenarioError::at("$", format!("the shared past: {e}")))?;
            self.folded = to;
            self.shared = self.engine.head();
            units -= 1;
        }
        let to = self.plan.len().min(self.next.saturating_add(units));
        while self.next < to {
            let planned = &self.plan[self.next];
            let s = self.before + self.next - 1;
            let command = original.submitted_command(planned.what).ok_or_else(|| {
                ScenarioError::at(
                    format!("$.steps[{s}]"),
                    "the session changed during the replay",
                )
            })?;
            play(
                &mut *self.engine,
                &command,
                planned.engine_steps,
                &planned.faults,
                s,
            )?;
            self.next += 1;
        }
        Ok(self.folded == self.past && self.next == self.plan.len())
    }

    /// The units of [`Replay::advance`] done so far, and how many there are.
    pub fn progress(&self) -> (usize, usize) {
        let replayed = self.next - 1;
        (
            self.folded.div_ceil(FOLDED_A_UNIT) + replayed,
            self.past.div_ceil(FOLDED_A_UNIT) + self.plan.len() - 1,
        )
    }

    /// The session without the flow, as far as it was replayed.
    pub fn finish(self) -> WithoutFlow {
        WithoutFlow {
            engine: self.engine,
            shared: self.shared,
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
