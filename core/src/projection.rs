//! The [`Projection`]: everything an engine knows, folded from its journal.
//!
//! Live engines, rebuilt engines, forks and time travel all fold the same journal entries
//! through the same functions here, so they cannot disagree.

use crate::decider::Decider;
use crate::envelope::{FactKindRef, FactRef, SharedCommand};
use crate::ids::{Id, SeededIds, StreamId};
use crate::journal::{At, JournalEntry, StepFailure, StepRecord};
use crate::process_manager::ProcessManager;
use crate::streams::Streams;
use crate::system::{ProcessStateOf, StreamStateOf, System, ViewStateOf};
use crate::view::View;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// One stream's folded state and version (its number of events).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StreamState<S> {
    /// The number of events in the stream.
    pub version: u64,
    /// The folded state.
    pub state: S,
}

/// A journal that does not fold: it names the entry and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalError {
    /// The index of the offending entry.
    pub entry: u64,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "journal entry {}: {}", self.entry, self.message)
    }
}

impl std::error::Error for JournalError {}

/// Every stream of system `Y` that has a fact, with its state and version.
pub type StreamsOf<Y> = Streams<StreamStateOf<Y>>;

/// The state of all streams, the view, the process manager and the queue, after some
/// prefix of a journal.
pub struct Projection<Y: System> {
    /// Every stream that has a fact, with its state and version: a plain map written in
    /// place, whose states the time-travel checkpoints share ([`Streams`]).
    pub streams: StreamsOf<Y>,
    /// The view's read model.
    pub view: ViewStateOf<Y>,
    /// The process manager's state.
    pub process: ProcessStateOf<Y>,
    /// The commands waiting to be handled, front first (the outbox).
    pub queue: imbl::Vector<SharedCommand<Y::Command>>,
    /// The number of facts folded (the next global position).
    pub position: u64,
    /// The number of journal entries folded (also the logical time).
    pub entries: u64,
    /// The number of steps folded.
    pub steps: u64,
    /// The number of commands ever issued (the ordinal of the next generated command id).
    pub commands: u64,
    /// The ids its journal's facts draw (its engine's): they give the id of an entry's
    /// first fact that keeps none ([`At::ids`]).
    pub ids: SeededIds,
    /// When set (sorted), the only streams this projection keeps: folding leaves every
    /// other stream out (neither checked nor folded), so a reader of a few streams at a
    /// past position folds what it reads, not every stream written since the snapshot
    /// before (see [`crate::time_travel::Timeline::at_entry_for`]).
    pub(crate) only: Option<Arc<[StreamId]>>,
}

impl<Y: System> Clone for Projection<Y> {
    /// A copy: the queue is shared, the streams map copied (in time linear in the number
    /// of streams, each state shared).
    fn clone(&self) -> Self {
        Projection {
            streams: self.streams.clone(),
            ..self.without_streams()
        }
    }
}

impl<Y: System> Projection<Y> {
    /// The projection of an empty journal whose facts draw `ids`.
    pub fn new(system: &Y, ids: SeededIds) -> Self {
        Projection {
            streams: Streams::default(),
            view: system.view().initial_state(),
            process: system.process().initial_state(),
            queue: imbl::Vector::new(),
            position: 0,
            entries: 0,
            steps: 0,
            commands: 0,
            ids,
            only: None,
        }
    }

    /// A copy of this projection without its streams (the rest of [`Clone::clone`]).
    pub(crate) fn without_streams(&self) -> Self {
        Projection {
            streams: Streams::default(),
            view: self.view.clone(),
            process: self.process.clone(),
            queue: self.queue.clone(),
            position: self.position,
            entries: self.entries,
            steps: self.steps,
            commands: self.commands,
            ids: self.ids,
            only: self.only.clone(),
        }
    }

    /// The state and version of `stream` (initial state, version 0, when it has no event).
    pub fn stream(&self, system: &Y, stream: &StreamId) -> StreamState<StreamStateOf<Y>> {
        self.streams
            .get(stream)
            .cloned()
            .unwrap_or_else(|| StreamState {
                version: 0,
                state: system.decider().initial_state(),
            })
    }

    /// Folds one whole journal entry.
    pub fn apply(
        &mut self,
        system: &Y,
        entry: &JournalEntry<Y::Command, Y::Event, Y::Rejection>,
    ) -> Result<(), JournalError> {
        self.apply_until(system, entry, u64::MAX)
    }

    /// Folds one journal entry, but only the facts before global position `limit` (and
    /// their reactions). A step with no fact before `limit` is not folded at all.
    pub fn apply_until(
        &mut self,
        system: &Y,
        entry: &JournalEntry<Y::Command, Y::Event, Y::Rejection>,
        limit: u64,
    ) -> Result<(), JournalError> {
        self.apply_at(system, entry, self.next_place(), limit)
    }

    /// The place of the next entry this projection folds: its entries and facts so far.
    pub(crate) fn next_place(&self) -> At {
        At {
            time: self.entries,
            position: self.position,
            ids: self.ids,
        }
    }

    /// Folds one journal entry whose facts name place `at` (a read entry's, checked
    /// against this projection's as each fact is folded), only the facts before `limit`.
    pub(crate) fn apply_at(
        &mut self,
        system: &Y,
        entry: &JournalEntry<Y::Command, Y::Event, Y::Rejection>,
        at: At,
        limit: u64,
    ) -> Result<(), JournalError> {
        // An entry's first fact is at `at.position`.
        let none_before = entry.fact_count() > 0 && at.position >= limit;
        match entry {
            JournalEntry::Submitted(envelope) => self.enqueue(envelope.clone()),
            JournalEntry::Step(step) => {
                if none_before {
                    return Ok(());
                }
                self.apply_step(system, step, at, limit)?;
            }
            JournalEntry::Given(given) => {
                if none_before {
                    return Ok(());
                }
                // The batch drew one command ordinal for its command id.
                self.commands += 1;
                for fact in given.facts(at).take_while(|f| f.position < limit) {
                    self.fold_fact(system, fact)?;
                }
            }
        }
        self.entries += 1;
        Ok(())
    }

    fn apply_step(
        &mut self,
        system: &Y,
        step: &StepRecord<Y::Command, Y::Event, Y::Rejection>,
        at: At,
        limit: u64,
    ) -> Result<(), JournalError> {
        self.take_command(step.command().command_id, step.injected())?;
        for (fact, queued) in step.recorded(at) {
            if fact.position >= limit {
                break;
            }
            self.fold_fact(system, fact)?;
            for command in queued {
                self.enqueue(command.clone());
            }
        }
        if let Some(StepFailure::CascadeLimit { dropped, .. }) = step.failure() {
            self.commands += dropped.len() as u64;
        }
        Ok(())
    }

    /// Checks a fact from a journal and folds it, or (a stream this projection leaves out)
    /// folds all of it but its stream. A kept fact must continue this projection: next
    /// position, next stream version, an event its stream's part may hold
    /// ([`Decider::check_stream`]). (One stream per entry, consecutive positions within it:
    /// an entry holds them so.)
    fn fold_fact(
        &mut self,
        system: &Y,
        fact: FactRef<'_, Y::Command, Y::Event, Y::Rejection>,
    ) -> Result<(), JournalError> {
        let kept = self
            .only
            .as_deref()
            .is_none_or(|only| only.binary_search(fact.stream_id).is_ok());
        if !kept {
            return self.fold(system, fact, StreamFold::Left);
        }
        if fact.position != self.position {
            return Err(self.error(format!(
                "fact at position {} where {} was expected",
                fact.position, self.position
            )));
        }
        if let Some(event) = fact.event() {
            system
                .decider()
                .check_stream(fact.stream_id, event)
                .map_err(|misplaced| self.error(misplaced.to_string()))?;
        }
        // The stream's version is checked in the same walk of the map that folds it.
        self.fold(system, fact, StreamFold::Checked)
    }

    /// Takes the command at the front of the queue out to handle it.
    pub(crate) fn take_front(&mut self) -> Option<SharedCommand<Y::Command>> {
        // The only command (the common case: each submitted and run at once) is also the
        // last, and taken from the back without shifting the queue's slots.
        let front = match self.queue.len() {
            1 => self.queue.pop_back(),
            _ => self.queue.pop_front(),
        }?;
        self.steps += 1;
        Some(front)
    }

    /// Takes `command_id` out of the queue to handle it: it must be at the front, or
    /// anywhere in the queue when `anywhere` (an injected fault).
    pub(crate) fn take_command(
        &mut self,
        command_id: Id,
        anywhere: bool,
    ) -> Result<(), JournalError> {
        let index = if anywhere {
            self.queue.iter().position(|c| c.command_id == command_id)
        } else {
            self.queue
                .front()
                .filter(|c| c.command_id == command_id)
                .map(|_| 0)
        };
        match (index, self.queue.front()) {
            (Some(index), _) => {
                if index == 0 {
                    self.queue.pop_front();
                } else {
                    self.queue.remove(index);
                }
                self.steps += 1;
                Ok(())
            }
            (None, Some(front)) => Err(self.error(format!(
                "step handles command {command_id} but {} is at the front of the queue",
                front.command_id
            ))),
            (None, None) => Err(self.error(format!(
                "step handles command {command_id} but the queue is empty"
            ))),
        }
    }

    /// Folds one of the engine's own facts into its stream, the view and the process
    /// manager.
    pub(crate) fn record_fact(
        &mut self,
        system: &Y,
        fact: FactRef<'_, Y::Command, Y::Event, Y::Rejection>,
    ) {
        let folded = self.fold(system, fact, StreamFold::Trusted);
        debug_assert!(folded.is_ok(), "a fold that checks nothing does not fail");
    }

    /// Folds one of the engine's own facts into the view and the process manager, its
    /// stream already holding it (the engine folds a step's events as it decides).
    pub(crate) fn record_fact_beside_stream(
        &mut self,
        system: &Y,
        fact: FactRef<'_, Y::Command, Y::Event, Y::Rejection>,
    ) {
        let folded = self.fold(system, fact, StreamFold::Left);
        debug_assert!(folded.is_ok(), "a fold that checks nothing does not fail");
    }

    /// Folds one fact into the view and the process manager, and into its stream as
    /// `stream` says. A checked fold that fails changes nothing.
    fn fold(
        &mut self,
        system: &Y,
        fact: FactRef<'_, Y::Command, Y::Event, Y::Rejection>,
        stream: StreamFold,
    ) -> Result<(), JournalError> {
        if let FactKindRef::Event {
            event,
            stream_version,
        } = fact.kind
        {
            if stream != StreamFold::Left {
                let checked = stream == StreamFold::Checked;
                self.streams
                    .fold_event(
                        system.decider(),
                        fact.stream_id,
                        event,
                        stream_version,
                        checked,
                    )
                    .map_err(|current| {
                    self.error(format!(
                        "event at position {} has stream version {stream_version} where {} was expected",
                        fact.position,
                        current + 1
                    ))
                })?;
            }
        }
        system.fold_read_models(&mut self.view, &mut self.process, fact.as_fact());
        self.position += 1;
        Ok(())
    }

    /// Queues a command.
    pub(crate) fn enqueue(&mut self, envelope: SharedCommand<Y::Command>) {
        self.commands += 1;
        self.queue.push_back(envelope);
    }

    /// An error about the entry being folded now.
    pub(crate) fn error(&self, message: String) -> JournalError {
        JournalError {
            entry: self.entries,
            message,
        }
    }
}

/// What [`Projection::fold`] does with a fact's stream.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StreamFold {
    /// Folds the event into its stream: one of the engine's own facts, right by making.
    Trusted,
    /// Folds the event into its stream only if it is the stream's next version.
    Checked,
    /// Leaves the stream out (a projection that keeps only some streams, or a stream
    /// the engine already folded the fact into).
    Left,
}
