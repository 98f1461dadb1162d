//! The journal: every submission and every completed step, as atomic records.
//!
//! A durable store writes each [`JournalEntry`] in one transaction; an engine rebuilt
//! from the entries ([`crate::Engine::from_journal`]) is exactly the engine that wrote them.

use crate::envelope::SharedCommand;
use crate::store::{Conflict, SharedFact};
use serde::{Deserialize, Serialize};

/// One atomic change to an engine. Entries are boxed, so the journal's slots stay small.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalEntry<C, E, R> {
    /// A user command was queued.
    Submitted(SharedCommand<C>),
    /// The command at the front of the queue was handled.
    Step(Box<StepRecord<C, E, R>>),
    /// History given up front (a scenario's "given"): events of one stream recorded
    /// without a command, which no saga reacts to.
    Given(Vec<SharedFact<C, E, R>>),
}

/// A fact recorded by a step, with the commands queued in reaction to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded<C, E, R> {
    /// The event or rejection.
    pub fact: SharedFact<C, E, R>,
    /// The commands sagas and process managers queued in reaction (the outbox).
    pub queued: Vec<SharedCommand<C>>,
}

/// One completed engine step: the queue entry it consumed, what it recorded, what it
/// queued, and what went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord<C, E, R> {
    /// The step's ordinal (0-based).
    pub step: u64,
    /// The command taken from the front of the queue.
    pub command: SharedCommand<C>,
    /// Its events, or its rejection, each with the reactions it caused.
    pub facts: Vec<Recorded<C, E, R>>,
    /// Set when the step hit a bound (rare, so boxed).
    pub failure: Option<Box<StepFailure<C>>>,
    /// Whether the step's rejection was injected by a person ("make this step fail")
    /// instead of decided. The command may then have been anywhere in the queue, not only
    /// at its front. Written only when true, so older journals read unchanged.
    #[serde(default, skip_serializing_if = "is_false")]
    pub injected: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// A bound the engine hit, recorded instead of hanging or retrying forever.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepFailure<C> {
    /// Appending kept conflicting; the command was dropped after `attempts` tries.
    Conflict {
        /// The last conflict.
        conflict: Conflict,
        /// How many appends were tried.
        attempts: u32,
    },
    /// Reactions deeper than `limit` hops were not queued (a saga loop or runaway cascade).
    CascadeLimit {
        /// The bound on reaction depth.
        limit: u32,
        /// The commands that were not queued.
        dropped: Vec<SharedCommand<C>>,
    },
}

impl<C, E, R> JournalEntry<C, E, R> {
    /// The step record, if this entry is a step.
    pub fn as_step(&self) -> Option<&StepRecord<C, E, R>> {
        match self {
            JournalEntry::Step(step) => Some(step),
            JournalEntry::Submitted(_) | JournalEntry::Given(_) => None,
        }
    }
}

impl<C, E, R> JournalEntry<C, E, R> {
    /// The facts this entry recorded, in order.
    pub fn facts(&self) -> impl Iterator<Item = &SharedFact<C, E, R>> {
        let (given, step) = match self {
            JournalEntry::Given(facts) => (&facts[..], None),
            JournalEntry::Step(step) => (&[][..], Some(step)),
            JournalEntry::Submitted(_) => (&[][..], None),
        };
        given.iter().chain(
            step.into_iter()
                .flat_map(|s| s.facts.iter().map(|r| &r.fact)),
        )
    }
}

impl<C, E, R> StepRecord<C, E, R> {
    /// Every command this step queued, in order.
    pub fn queued(&self) -> impl Iterator<Item = &SharedCommand<C>> {
        self.facts.iter().flat_map(|r| &r.queued)
    }
}
