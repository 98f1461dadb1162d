//! The [`Engine`]: runs commands through the decider, records facts, feeds views and
//! sagas, and queues the commands they emit.

use crate::decider::{Decider, Misplaced};
use crate::envelope::{CommandEnvelope, FactKind, FactRef, Origin, SharedCommand};
use crate::ids::{Id, SeededIds, StreamId};
use crate::journal::{
    Batch, Cause, GivenRecord, JournalEntry, Placed, ReadEntry, Run, StepFailure, StepRecord,
};
use crate::process_manager::ProcessManager;
use crate::projection::{JournalError, Projection};
use crate::reactors::ReactorNames;
use crate::remains::Remains;
use crate::segmented::Span;
use crate::store::{Conflict, EventStore, InMemoryEventStore};
use crate::system::System;
use crate::time_travel::Timeline;
use crate::trace::{CommandIndex, Trace};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The engine's bounds and seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct EngineConfig {
    /// Seeds every id: the same seed and inputs give a byte-identical log.
    pub seed: u64,
    /// Reaction hops allowed below a user command; deeper reactions are dropped and
    /// recorded, which stops saga loops. At most 255, so that every command's depth,
    /// a dropped one's included, fits its envelope's 16 bits.
    pub max_depth: u8,
    /// A time-travel snapshot is kept every this many facts (or journal entries).
    pub snapshot_every: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            seed: 0,
            max_depth: 32,
            snapshot_every: 1024,
        }
    }
}

/// Why the engine refused a request (not a domain rejection, which is a recorded fact).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// A command with this id was already queued once.
    Duplicate(Id),
    /// The journal being loaded does not fold.
    Journal(JournalError),
    /// No command with this id waits in the queue.
    NotQueued(Id),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Duplicate(id) => write!(f, "command {id} was already submitted"),
            EngineError::Journal(e) => e.fmt(f),
            EngineError::NotQueued(id) => write!(f, "no command {id} waits in the queue"),
        }
    }
}

impl std::error::Error for EngineError {}

/// Why [`Engine::given`] recorded nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GivenError {
    /// Another writer moved the stream on in a shared store.
    Conflict(Conflict),
    /// The event at `index` of the batch belongs to another part's streams.
    Misplaced {
        /// The index of the event in the batch.
        index: usize,
        /// Whose event it is, and whose stream.
        misplaced: Misplaced,
    },
}

impl std::fmt::Display for GivenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GivenError::Conflict(conflict) => conflict.fmt(f),
            GivenError::Misplaced { misplaced, .. } => misplaced.fmt(f),
        }
    }
}

impl std::error::Error for GivenError {}

/// How a [`Engine::run_until_idle`] call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunSummary {
    /// Steps taken.
    pub steps: u64,
    /// Whether the queue is empty (false: `max_steps` was reached first).
    pub idle: bool,
}

/// The step record type of system `Y`.
pub type StepOf<Y> =
    StepRecord<<Y as System>::Command, <Y as System>::Event, <Y as System>::Rejection>;

/// The journal entry type of system `Y`.
pub type EntryOf<Y> =
    JournalEntry<<Y as System>::Command, <Y as System>::Event, <Y as System>::Rejection>;

/// A journal entry of system `Y` as read, with the place its facts name.
pub type ReadEntryOf<Y> =
    ReadEntry<<Y as System>::Command, <Y as System>::Event, <Y as System>::Rejection>;
/// The facts recorded by a step of system `Y`, with the commands queued in reaction.
type BatchOf<Y> = Batch<<Y as System>::Command, <Y as System>::Event, <Y as System>::Rejection>;

/// A recorded fact of system `Y`, as the journal hands it out.
pub type FactOf<'a, Y> =
    FactRef<'a, <Y as System>::Command, <Y as System>::Event, <Y as System>::Rejection>;

/// Runs a [`System`] over an [`EventStore`], one step at a time or to the end.
///
/// Every change is a [`JournalEntry`]; the engine's state is the fold of its journal, so
/// it can be persisted entry by entry, rebuilt, forked and rewound.
pub struct Engine<
    Y: System,
    S = InMemoryEventStore<<Y as System>::Command, <Y as System>::Event, <Y as System>::Rejection>,
> {
    system: Arc<Y>,
    config: EngineConfig,
    ids: SeededIds,
    store: S,
    live: Projection<Y>,
    timeline: Timeline<Y>,
    /// Every command ever queued, with its journal entry: idempotency, and each flow's
    /// trace in time proportional to the flow. Not part of the projection, so time-travel
    /// snapshots do not pin a copy of it.
    index: CommandIndex,
    /// Reactor names, shared by every command a reactor issues.
    names: ReactorNames,
    /// The commands queued in reaction to the fact being reacted to, kept empty between
    /// facts: its room is reused, so a single reaction allocates no list.
    queued: Vec<SharedCommand<Y::Command>>,
    /// The commands sagas and process managers issue for the fact being reacted to, with
    /// their issuers' names, kept empty between facts: its room is reused, so reacting
    /// allocates no list of the engine's own ([`recycle`]).
    reactions: Vec<(&'static str, Y::Command)>,
    /// The events the decider decides for the command being stepped
    /// ([`Decider::decide_into`]), kept empty between steps: its room is reused, so a
    /// decider that adds its events in place allocates no list.
    events: Vec<Y::Event>,
    /// The text of the stream id of the command being stepped
    /// ([`Decider::write_stream_id`]), kept between steps: its room is reused, so naming
    /// a command's stream allocates nothing.
    stream_name: String,
}

impl<Y: System> Engine<Y> {
    /// An empty engine with an in-memory store.
    pub fn new(system: Y, config: EngineConfig) -> Self {
        Self::with_store(Arc::new(system), config, InMemoryEventStore::new())
    }

    /// The engine that wrote `entries`, rebuilt exactly (same log, queue and ids), or the
    /// first entry that does not fold. An entry read from a journal's text ([`ReadEntry`])
    /// must name its place: its facts' time its index, their positions the facts before.
    /// An engine's own entries, handed over typed, keep no id of an entry's first fact:
    /// they read it from `config`'s seed, so they come from an engine of the same seed (as
    /// [`Engine::fork_at_entry`] hands them); a journal of another seed is handed over in
    /// one of its forms (JSON, stored, packed), whose ids are kept as read.
    pub fn from_journal<I>(
        system: Arc<Y>,
        config: EngineConfig,
        entries: I,
    ) -> Result<Self, EngineError>
    where
        I: IntoIterator,
        I::Item: Into<ReadEntryOf<Y>>,
    {
        let mut engine = Self::with_store(system, config, InMemoryEventStore::new());
        for entry in entries {
            engine.load(entry.into()).map_err(EngineError::Journal)?;
        }
        Ok(engine)
    }

    /// This engine taken apart, to be freed a slice at a time ([`Remains::free`]) instead
    /// of in one drop.
    pub fn into_remains(self) -> Remains<Y> {
        let Engine {
            system,
            live,
            timeline,
            index,
            names,
            ..
        } = self;
        let Projection {
            streams,
            view,
            process,
            queue,
            ..
        } = live;
        Remains::new(
            timeline,
            streams,
            (system, view, process, queue, index, names),
        )
    }

    /// A new engine whose past is this one's up to global `position`: the journal up to
    /// and including the step that recorded fact `position - 1` (a what-if branch).
    pub fn fork_at(&self, position: u64) -> Self {
        let entries = self.timeline.entries_through_position(position);
        self.fork_at_entry(entries)
    }

    /// A new engine whose past is this one's first `entries` journal entries.
    pub fn fork_at_entry(&self, entries: usize) -> Self {
        let journal = self.timeline.journal();
        let prefix = journal.range(..entries.min(journal.len())).iter().cloned();
        Self::from_journal(self.system.clone(), self.config, prefix)
            .expect("a prefix of a valid journal folds")
    }
}

impl<Y: System, S: EventStore<Y::Command, Y::Event, Y::Rejection>> Engine<Y, S> {
    /// An empty engine over `store` (which must be empty too).
    pub fn with_store(system: Arc<Y>, config: EngineConfig, store: S) -> Self {
        let ids = SeededIds::new(config.seed);
        let live = Projection::new(&*system, ids);
        Engine {
            timeline: Timeline::new(live.clone(), config.snapshot_every.max(1)),
            system,
            ids,
            config,
            store,
            live,
            index: CommandIndex::new(ids),
            names: ReactorNames::default(),
            queued: Vec::new(),
            reactions: Vec::new(),
            events: Vec::new(),
            stream_name: String::new(),
        }
    }

    /// The system this engine runs.
    pub fn system(&self) -> &Y {
        &self.system
    }

    /// The engine's configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The live state: streams, view, process manager and queue.
    pub fn state(&self) -> &Projection<Y> {
        &self.live
    }

    /// The store the facts are appended to.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The journal and its snapshots, for time travel.
    pub fn timeline(&self) -> &Timeline<Y> {
        &self.timeline
    }

    /// The state after the fact at global `position - 1` and its reactions.
    pub fn at_position(&self, position: u64) -> Projection<Y> {
        self.timeline
            .at_position(&*self.system, &self.live.streams, position)
    }

    /// The causal trace of the flow started by user command `correlation_id`.
    pub fn trace(&self, correlation_id: Id) -> Option<Trace<Y::Command, Y::Event, Y::Rejection>> {
        Trace::build(&*self.system, &self.timeline, &self.index, correlation_id)
    }

    /// Every journal entry so far (in segments that never move: read as a slice is).
    pub fn journal(&self) -> Span<'_, EntryOf<Y>> {
        self.timeline.journal()
    }

    /// The whole journal as a run: each entry with its place, its facts read with this
    /// engine's ids ([`crate::At::ids`]).
    pub fn journal_run(&self) -> Run<'_, Y::Command, Y::Event, Y::Rejection> {
        self.timeline.run(0, self.journal().len())
    }

    /// The recorded facts from global position `from` on, in order (the journal holds
    /// them; finding the first costs a binary search, then each one is a step).
    pub fn facts(&self, from: u64) -> impl Iterator<Item = FactOf<'_, Y>> {
        self.timeline.facts(from)
    }

    /// Queues a user command with a generated id and returns the id.
    pub fn submit(&mut self, command: Y::Command) -> Id {
        let ordinal = self.fresh_command_ordinal();
        let id = self.ids.command(ordinal);
        self.index
            .queue_new(id, ordinal, Some(self.journal().len()));
        self.enqueue_user(id, command);
        id
    }

    /// Queues a user command under `command_id`; the same id is queued only once.
    pub fn submit_with_id(
        &mut self,
        command_id: Id,
        command: Y::Command,
    ) -> Result<Id, EngineError> {
        if self.index.contains(command_id) {
            return Err(EngineError::Duplicate(command_id));
        }
        self.index.queue(command_id, Some(self.journal().len()));
        self.enqueue_user(command_id, command);
        Ok(command_id)
    }

    /// The id of the next command the engine issues: the id of the command counter's
    /// ordinal or, if a person already chose that one ([`Engine::submit_with_id`]), of
    /// the first ordinal after it whose id was never queued. It depends only on the
    /// counter and the ids queued so far, which the journal determines, so a rebuilt
    /// engine draws the same ids.
    fn fresh_command_id(&self) -> Id {
        self.ids.command(self.fresh_command_ordinal())
    }

    /// The ordinal of [`Engine::fresh_command_id`]'s id ([`SeededIds::command`]).
    fn fresh_command_ordinal(&self) -> u64 {
        let mut ordinal = self.live.commands;
        while self.index.contains_ordinal(ordinal) {
            ordinal += 1;
        }
        ordinal
    }

    /// The logical time of a command queued now: the journal's length, which a
    /// command's envelope keeps in 32 bits ([`CommandEnvelope::time`]).
    ///
    /// # Panics
    ///
    /// At the journal's 2³²th entry, which no command's envelope can name.
    fn now(&self) -> u32 {
        u32::try_from(self.live.entries)
            .expect("a journal of fewer than 2³² entries: a command's time is 32 bits")
    }

    fn enqueue_user(&mut self, command_id: Id, command: Y::Command) {
        let envelope = SharedCommand::new(CommandEnvelope {
            command_id,
            correlation_id: command_id,
            causation_id: command_id,
            time: self.now(),
            origin: Origin::User,
            compensation: false,
            depth: 0,
            command,
        });
        self.live.enqueue(envelope.clone());
        self.commit(JournalEntry::Submitted(envelope));
    }

    /// Records `events` in `stream` as history (a scenario's "given"): folded into the
    /// stream, the view and the process manager, but reacted to by no saga. Refused, with
    /// nothing recorded, if an event belongs to another part's streams
    /// ([`Decider::check_stream`]), or if another writer moved the stream on in a shared
    /// store.
    pub fn given(
        &mut self,
        stream: &StreamId,
        events: impl IntoIterator<Item = Y::Event>,
    ) -> Result<(), GivenError> {
        let events: Vec<Y::Event> = events.into_iter().collect();
        let decider = self.system.decider();
        for (index, event) in events.iter().enumerate() {
            decider
                .check_stream(stream, event)
                .map_err(|misplaced| GivenError::Misplaced { index, misplaced })?;
        }
        let expected = self.writable(stream).map_err(GivenError::Conflict)?;
        let command_id = self.fresh_command_id();
        let facts = events
            .into_iter()
            .zip(expected + 1..)
            .map(|(event, stream_version)| FactKind::Event {
                stream_version,
                event,
            });
        let at = self.live.next_place();
        let given = GivenRecord::new(command_id, Batch::recorded(stream, at, facts));
        self.store
            .append(stream, expected, given.facts(at))
            .map_err(GivenError::Conflict)?;
        self.live.commands += 1;
        for fact in given.facts(at) {
            self.live.record_fact(&*self.system, fact);
        }
        self.commit(JournalEntry::Given(Box::new(given)));
        Ok(())
    }

    /// Handles the command at the front of the queue; `None` when the queue is empty.
    pub fn step(&mut self) -> Option<Placed<'_, StepOf<Y>>> {
        self.step_front()?;
        self.last_step()
    }

    /// The last entry, if it is a step, with its place.
    fn last_step(&self) -> Option<Placed<'_, StepOf<Y>>> {
        let last = self.journal().len().checked_sub(1)?;
        let entry = self.timeline.placed(last)?;
        let record = entry.record.as_step()?;
        Some(Placed {
            at: entry.at,
            record,
        })
    }

    /// [`Engine::step`]'s work, `None` when the queue is empty: inlined into
    /// [`Engine::run_until_idle`]'s loop too, so that running the queue costs the same
    /// whether or not LLVM inlines `step` where it is called (its choice moved a command's
    /// cost by 200 instructions from build to build).
    #[inline(always)]
    fn step_front(&mut self) -> Option<()> {
        let envelope = self.live.take_front()?;
        let mut stream = std::mem::take(&mut self.stream_name);
        stream.clear();
        self.system
            .decider()
            .write_stream_id(&envelope.command, &mut stream);
        let recorded = self.record(&envelope, &stream);
        self.stream_name = stream;
        let (facts, failure) = match recorded {
            Ok(facts) => (facts, None),
            Err(failure) => (Batch::empty(), Some(Box::new(failure))),
        };
        let step = self.react(envelope, facts, failure, false);
        self.commit_step(step);
        Some(())
    }

    /// Makes the queued command `command_id` fail with `reason` instead of deciding it
    /// ("make this step fail"): one step that records the rejection, marked injected, and
    /// lets sagas and process managers react to it exactly as to a decided one. The
    /// command may be anywhere in the queue. Recorded in the journal, so rebuilding,
    /// forking and time travel replay it.
    pub fn inject_fault(
        &mut self,
        command_id: Id,
        reason: Y::Rejection,
    ) -> Result<Placed<'_, StepOf<Y>>, EngineError> {
        let envelope = self
            .live
            .queue
            .iter()
            .find(|c| c.command_id == command_id)
            .cloned()
            .ok_or(EngineError::NotQueued(command_id))?;
        let stream = self.system.decider().stream_id(&envelope.command);
        let facts = Batch::refused(&stream, &envelope, reason);
        let at = self.live.next_place();
        let appended = self.writable(&stream).and_then(|version| {
            self.store
                .append(&stream, version, facts.facts_of(Cause::of(&envelope), at))
        });
        let (facts, failure) = match appended {
            Ok(()) => (facts, None),
            Err(e) => (Batch::empty(), Some(Box::new(conflict(e)))),
        };
        self.live
            .take_command(command_id, true)
            .map_err(EngineError::Journal)?;
        let step = self.react(envelope, facts, failure, true);
        self.commit_step(step);
        Ok(self.last_step().expect("the step just committed"))
    }

    /// Steps until the queue is empty or `max_steps` steps were taken.
    pub fn run_until_idle(&mut self, max_steps: u64) -> RunSummary {
        let mut steps = 0;
        while steps < max_steps {
            if self.step_front().is_none() {
                return RunSummary { steps, idle: true };
            }
            steps += 1;
        }
        RunSummary {
            steps,
            idle: self.live.queue.is_empty(),
        }
    }

    /// Decides `envelope` on the live state of its stream, named `requested`, appends its
    /// events (or its rejection) and folds the events into the stream, in one walk of the
    /// streams map. A [`StreamId`] is made only for a stream that has no fact yet.
    ///
    /// The engine is its store's only writer: its live projection is the store's
    /// contents. If another writer moved the store on (its head or the stream's version is
    /// not what the engine recorded), the command is dropped with a recorded conflict,
    /// never retried on the other writer's facts, which would enter neither the journal
    /// nor the projection: the journal still rebuilds this very engine.
    fn record(
        &mut self,
        envelope: &SharedCommand<Y::Command>,
        requested: &str,
    ) -> Result<BatchOf<Y>, StepFailure<Y::Command>> {
        if self.store.head() != self.live.position {
            return Err(conflict(self.head_conflict(&StreamId::from(requested))));
        }
        let decider = self.system.decider();
        let at = self.live.next_place();
        let found = self
            .live
            .streams
            .entry(requested)
            .map_err(|absent| (absent, StreamId::from(requested)));
        let version = found.as_ref().map_or(0, |s| s.state().version);
        let decided = &mut self.events;
        let decision = match &found {
            Ok(live) => decider.decide_into(&envelope.command, &live.state().state, decided),
            Err(_) => decider.decide_into(&envelope.command, &decider.initial_state(), decided),
        };
        if let (Ok(live), Ok(())) = (&found, &decision) {
            if !decided.is_empty() {
                let (ordinal, state) = live.shared_state();
                self.timeline.unshare(ordinal, state);
            }
        }
        // Every fact of a stream shares the stream's first id.
        let stream = match &found {
            Ok(live) => live.id(),
            Err((_, new)) => new,
        };
        let facts = match decision {
            // The common decision, one event, taken out of the list without a drain.
            Ok(()) if decided.len() == 1 => Batch::recorded(
                stream,
                at,
                decided.pop().map(|event| FactKind::Event {
                    stream_version: version + 1,
                    event,
                }),
            ),
            Ok(()) => Batch::recorded(
                stream,
                at,
                decided
                    .drain(..)
                    .zip(version + 1..)
                    .map(|(event, stream_version)| FactKind::Event {
                        stream_version,
                        event,
                    }),
            ),
            Err(reason) => {
                decided.clear();
                Batch::refused(stream, envelope, reason)
            }
        };
        // The append checks the stream's version: one lookup in the store, not two.
        self.store
            .append(stream, version, facts.facts_of(Cause::of(envelope), at))
            .map_err(conflict)?;
        let events = facts.events();
        match found {
            Ok(mut live) => live.fold(decider, events),
            Err((absent, new)) => self.live.streams.create(absent, &new, decider, events),
        }
        Ok(facts)
    }

    /// The version of `stream`, if the store holds exactly what this engine recorded;
    /// else the conflict with the other writer.
    fn writable(&self, stream: &StreamId) -> Result<u64, Conflict> {
        let expected = self.live.streams.get(stream).map_or(0, |s| s.version);
        self.check_writer(stream, expected).map(|()| expected)
    }

    /// Whether the store holds exactly what this engine recorded: `expected` events in
    /// `stream` (its live version) and as many facts as the live projection.
    fn check_writer(&self, stream: &StreamId, expected: u64) -> Result<(), Conflict> {
        let actual = self.store.stream_version(stream).unwrap_or(expected);
        if actual != expected || self.store.head() != self.live.position {
            return Err(Conflict {
                stream_id: stream.clone(),
                expected,
                actual,
            });
        }
        Ok(())
    }

    /// The conflict with another writer that moved the store's head: `stream`'s live
    /// version against the store's (the same when the store keeps none of its own).
    fn head_conflict(&self, stream: &StreamId) -> Conflict {
        let expected = self.live.streams.get(stream).map_or(0, |s| s.version);
        Conflict {
            stream_id: stream.clone(),
            expected,
            actual: self.store.stream_version(stream).unwrap_or(expected),
        }
    }

    /// Folds the recorded facts and queues what sagas and process managers emit for them.
    fn react(
        &mut self,
        envelope: SharedCommand<Y::Command>,
        mut facts: BatchOf<Y>,
        mut failure: Option<Box<StepFailure<Y::Command>>>,
        injected: bool,
    ) -> StepRecord<Y::Command, Y::Event, Y::Rejection> {
        let system = &*self.system;
        let (cause, at) = (Cause::of(&envelope), self.live.next_place());
        let mut reactions = recycle(std::mem::take(&mut self.reactions));
        // Made only for a reaction beyond the depth bound (almost never).
        let mut dropped: Option<Vec<SharedCommand<Y::Command>>> = None;
        for index in 0..facts.len() {
            let fact = facts.fact(index, cause, at);
            // The step folded its events into their stream when it decided.
            self.live.record_fact_beside_stream(system, fact);
            system
                .process()
                .react_named(&self.live.process, fact.as_fact(), &mut reactions);
            if reactions.is_empty() {
                continue;
            }
            let (fact_id, compensation) = (fact.id, fact.is_rejection());
            for (name, command) in reactions.drain(..) {
                let ordinal = self.fresh_command_ordinal();
                let reaction = SharedCommand::new(CommandEnvelope {
                    command_id: self.ids.command(ordinal),
                    correlation_id: envelope.correlation_id,
                    causation_id: fact_id,
                    time: self.now(),
                    origin: Origin::Reactor {
                        name: self.names.intern(name),
                    },
                    compensation,
                    // Beyond 16 bits only below a command at depth 65,535, which a
                    // journal read from elsewhere may hold (never one this engine
                    // queued: its bound is 8 bits); such a reaction, dropped as any
                    // beyond the bound is, is recorded at depth 65,535.
                    depth: envelope.depth.saturating_add(1),
                    command,
                });
                if reaction.depth > u16::from(self.config.max_depth) {
                    self.live.commands += 1;
                    dropped.get_or_insert_with(Vec::new).push(reaction);
                } else {
                    self.index.queue_new(reaction.command_id, ordinal, None);
                    self.live.enqueue(reaction.clone());
                    self.queued.push(reaction);
                }
            }
            // The common reaction, one command, taken out of the list without a drain
            // (whose drop is a call of its own).
            match self.queued.len() {
                1 => facts.set_queued(index, self.queued.pop()),
                _ => facts.set_queued(index, self.queued.drain(..)),
            }
        }
        self.reactions = recycle(reactions);
        if let Some(dropped) = dropped {
            failure = Some(Box::new(StepFailure::CascadeLimit {
                limit: u32::from(self.config.max_depth),
                dropped,
            }));
        }
        StepRecord::new(self.live.steps - 1, envelope, facts, failure, injected)
    }

    /// Folds an entry from a journal being loaded into the store, the live state and the
    /// timeline. Its facts must name its place ([`ReadEntry::at`], if it names one): the
    /// position is checked as each fact is folded, the time (which nothing else reads
    /// back) first.
    pub(crate) fn load(&mut self, read: ReadEntryOf<Y>) -> Result<(), JournalError> {
        let ReadEntry {
            mut entry,
            at: named,
        } = read;
        let index = self.journal().len();
        let at = self.live.next_place();
        entry.give_first_id(at);
        if let Some(named) = named.filter(|named| named.time != at.time) {
            return Err(self.live.error(format!(
                "fact at position {} has time {} where {} was expected",
                named.position, named.time, at.time
            )));
        }
        if let Some(id) = entry
            .queued()
            .map(|c| c.command_id)
            .find(|&id| self.index.contains(id))
        {
            return Err(self.live.error(format!("command {id} is queued twice")));
        }
        // The stream's version before the entry: the store's, or the live one when the
        // store keeps none of its own.
        let expected = entry.stream_id().map(|stream| {
            self.store
                .stream_version(stream)
                .unwrap_or_else(|| self.live.streams.get(stream).map_or(0, |s| s.version))
        });
        self.live.apply_at(
            &*self.system,
            &entry,
            named.map_or(at, |named| at.named(named)),
            u64::MAX,
        )?;
        let submitted = matches!(entry, JournalEntry::Submitted(_)).then_some(index);
        for id in entry.queued().map(|c| c.command_id) {
            self.index.queue(id, submitted);
        }
        if let JournalEntry::Step(step) = &entry {
            self.index.handled(step.command().command_id, index);
        }
        if let (Some(stream), Some(expected)) = (entry.stream_id(), expected) {
            self.store
                .append(stream, expected, entry.facts(at))
                .map_err(|conflict| JournalError {
                    entry: self.live.entries - 1,
                    message: conflict.to_string(),
                })?;
        }
        self.timeline.push(entry, &mut self.live, &self.system);
        Ok(())
    }

    fn commit_step(&mut self, step: StepOf<Y>) {
        self.index
            .handled(step.command().command_id, self.journal().len());
        self.commit(JournalEntry::Step(Box::new(step)));
    }

    fn commit(&mut self, entry: EntryOf<Y>) {
        self.live.entries += 1;
        self.timeline.push(entry, &mut self.live, &self.system);
    }
}

/// The failure of a step that found another writer's facts in the store (one attempt:
/// the engine never retries on them).
fn conflict<C>(conflict: Conflict) -> StepFailure<C> {
    StepFailure::Conflict {
        conflict,
        attempts: 1,
    }
}

/// The room of `list`, an empty list, as a list of names borrowed for another lifetime
/// (the same items otherwise): std collects a `Vec`'s mapped `into_iter` in place, so the
/// engine keeps its reactions' list between steps though each step's names borrow the
/// system anew.
fn recycle<'b, C>(list: Vec<(&str, C)>) -> Vec<(&'b str, C)> {
    debug_assert!(list.is_empty(), "only an empty list is kept");
    list.into_iter()
        .map(|_| unreachable!("an empty list"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_recycled_list_keeps_its_room() {
        let name = String::from("welcome");
        let mut list: Vec<(&str, u32)> = Vec::with_capacity(8);
        list.push((&name, 1));
        list.clear();
        let room = list.as_ptr() as usize;
        let kept: Vec<(&'static str, u32)> = super::recycle(list);
        assert_eq!((kept.as_ptr() as usize, kept.capacity()), (room, 8));
    }
}
