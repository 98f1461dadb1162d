//! A branch of a session made a slice at a time, so that a page can draw between slices:
//! its past folded from the session's typed journal (none of it written as JSON), then,
//! for a replay ([`super::without`]), later user commands submitted again (only they
//! written as JSON) with the engine steps that followed them in the session.

use super::export::Planned;
use super::{play, ScenarioError};
use crate::boundary::DynEngine;

/// Journal entries of the past folded in one unit of [`Branch::advance`] (about what one
/// user command replayed costs).
const FOLDED_A_UNIT: usize = 16;

/// A branch of a session, folded and replayed so far.
pub struct Branch {
    /// The branch's engine.
    engine: Box<dyn DynEngine>,
    /// The session's journal entries that are the branch's past.
    past: usize,
    /// How many of them are folded into the branch.
    folded: usize,
    /// The facts of the past, once it is folded.
    shared: u64,
    /// The user commands to replay after the past, by their journal entries in the
    /// session, each with its steps.
    plan: Vec<Planned<usize>>,
    /// The next one to replay.
    next: usize,
    /// How many user commands the session has before the first planned one, counted out
    /// of the replay (the paths of errors count them as the scenario the journal makes
    /// does).
    before: usize,
}

impl Branch {
    /// A fork of `original` whose past is its first `entries` journal entries, nothing
    /// folded yet.
    pub fn at_entry(original: &dyn DynEngine, entries: usize) -> Branch {
        Branch::replaying(original, entries, Vec::new(), 0)
    }

    /// A branch of `original` whose past is its first `past` entries, then `plan`'s
    /// commands replayed (`before` user commands of the session left out of the replay
    /// before them), nothing done yet.
    pub(crate) fn replaying(
        original: &dyn DynEngine,
        past: usize,
        plan: Vec<Planned<usize>>,
        before: usize,
    ) -> Branch {
        Branch {
            engine: original.fork_at_entry(0),
            past: past.min(original.journal_len()),
            folded: 0,
            shared: 0,
            plan,
            next: 0,
            before,
        }
    }

    /// Does up to `units` more of the branch, each 16 entries of the past folded or, once
    /// it is, one planned user command submitted again (read from `original`, the engine
    /// the branch was made of) with its engine steps; whether all is done.
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
            let s = self.before + self.next;
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

    /// The units of [`Branch::advance`] done so far, and how many there are.
    pub fn progress(&self) -> (usize, usize) {
        (
            self.folded.div_ceil(FOLDED_A_UNIT) + self.next,
            self.past.div_ceil(FOLDED_A_UNIT) + self.plan.len(),
        )
    }

    /// How many facts the branch shares with its session (those of its past), once the
    /// past is folded.
    pub fn shared(&self) -> u64 {
        self.shared
    }

    /// The branch's engine, as far as it was made.
    pub fn into_engine(self) -> Box<dyn DynEngine> {
        self.engine
    }
}
