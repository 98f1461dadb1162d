//! The journal: every submission and every completed step, as atomic records.
//!
//! A durable store writes each [`JournalEntry`] in one transaction; an engine rebuilt
//! from the entries ([`crate::Engine::from_journal`]) is exactly the engine that wrote them.
//!
//! In memory an entry keeps what all its facts share once (their stream, first position,
//! time and command) and each fact only its id, its event or rejection and the commands
//! queued in reaction; [`FactRef`]s fill the shared metadata back in. The JSON form lists
//! every fact with all its metadata ([`RecordedFact`]), as it always did.

use crate::envelope::{
    CommandEnvelope, FactKind, FactKindRef, FactRef, RecordedFact, SharedCommand,
};
use crate::ids::{Id, StreamId};
use crate::store::Conflict;
use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
    Given(Box<GivenRecord<C, E, R>>),
}

/// The facts of one journal entry: one stream, consecutive positions, one logical time.
///
/// Laid out for the common step, which records one fact and queues at most one command
/// in reaction: both are inline, and anything beyond sits in one allocation (`more`)
/// that most batches do not have. One batch has one layout (the constructors and setters
/// keep it so: [`Batch::tidy`]), so the derived equality compares contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Batch<C, E, R> {
    /// The stream of every fact (`None` when there is none).
    stream_id: Option<StreamId>,
    /// The entry's time, its step's ordinal, the first fact's position and stream
    /// version, in 32-bit halves (or in [`More::wide`]).
    stamp: Stamp,
    /// The first fact's id and kind (its stream version is in the stamp).
    first: Option<FactData<C, E, R>>,
    /// The command queued in reaction to the first fact, when it is the only one.
    reaction: Option<SharedCommand<C>>,
    /// What few batches have: several reactions to the first fact, facts after the first,
    /// a step's failure or injection, a number of the stamp beyond 32 bits.
    more: Option<Box<More<C, E, R>>>,
    /// In a step's batch, the command the step handled ([`StepRecord::new`] puts it
    /// here; `None` in given history). Kept in the batch, not beside it in the step
    /// record: in wasm it fills the 4 bytes the batch's 8-byte alignment left as padding
    /// (the restaurant's step record 88 → 80 bytes).
    command: Option<SharedCommand<C>>,
}

/// The numbers a batch keeps of its entry and its first fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    /// The logical time of the entry.
    time: u64,
    /// In a step, the step's ordinal (0 outside a step).
    step: u64,
    /// The position of the first fact.
    position: u64,
    /// The first fact's stream version (0 when it is a rejection or there is none).
    version: u64,
}

/// A batch's [`Place`] in 32-bit halves, for the journals that fit it (fewer than 2³²
/// entries, facts and events a stream: every journal so far); a batch whose place does
/// not fit keeps it whole in [`More::wide`] and [`Stamp::ZERO`] here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    time: u32,
    step: u32,
    position: u32,
    version: u32,
}

impl Stamp {
    /// All zero; also the stamp of a batch whose place is in [`More::wide`].
    const ZERO: Stamp = Stamp {
        time: 0,
        step: 0,
        position: 0,
        version: 0,
    };

    /// `place` in 32-bit halves, or `None` if one of its numbers does not fit.
    #[inline]
    fn narrow(place: Place) -> Option<Stamp> {
        Some(Stamp {
            time: u32::try_from(place.time).ok()?,
            step: u32::try_from(place.step).ok()?,
            position: u32::try_from(place.position).ok()?,
            version: u32::try_from(place.version).ok()?,
        })
    }

    /// The place it holds.
    #[inline]
    fn whole(self) -> Place {
        Place {
            time: u64::from(self.time),
            step: u64::from(self.step),
            position: u64::from(self.position),
            version: u64::from(self.version),
        }
    }
}

/// A fact's own data: what a [`Batch`] does not share between its facts, but for its
/// stream version (the stamp's for the first fact, [`Later::version`] for the others).
#[derive(Clone, Debug, PartialEq, Eq)]
struct FactData<C, E, R> {
    /// The event id (or rejection id).
    id: Id,
    /// The event or the rejection.
    kind: Kept<C, E, R>,
}

/// A fact's kind as a batch keeps it: an event inline, a rejection in a box of its own,
/// the stream version beside it. A [`FactKind`] inline is as big as its biggest variant,
/// and the rejection's (a whole command and its reason) is usually the bigger one: every
/// record of an event paid for it (the restaurant's step record: 176 bytes, 160 with the
/// rejection apart, 152 with the first fact's version in the stamp).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kept<C, E, R> {
    /// An event.
    Event(E),
    /// A refused command and why.
    Rejected(Box<(C, R)>),
}

impl<C, E, R> Kept<C, E, R> {
    /// `kind` as a batch keeps it, and its stream version (0 for a rejection).
    #[inline]
    fn new(kind: FactKind<C, E, R>) -> (Self, u64) {
        match kind {
            FactKind::Event {
                stream_version,
                event,
            } => (Kept::Event(event), stream_version),
            FactKind::Rejected { command, reason } => {
                (Kept::Rejected(Box::new((command, reason))), 0)
            }
        }
    }

    /// The kind, borrowed, of a fact whose stream version is `stream_version`.
    #[inline]
    fn get(&self, stream_version: u64) -> FactKindRef<'_, C, E, R> {
        match self {
            Kept::Event(event) => FactKindRef::Event {
                stream_version,
                event,
            },
            Kept::Rejected(refused) => FactKindRef::Rejected {
                command: &refused.0,
                reason: &refused.1,
            },
        }
    }
}

/// A fact after a batch's first: its own data and the commands queued in reaction to it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Later<C, E, R> {
    /// The fact's id and kind.
    fact: FactData<C, E, R>,
    /// Its stream version (0 for a rejection).
    version: u64,
    /// The commands queued in reaction.
    queued: Box<[SharedCommand<C>]>,
}

/// What a [`Batch`] holds beyond its first fact and a single reaction to it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct More<C, E, R> {
    /// The commands queued in reaction to the first fact, when there are two or more.
    reactions: Box<[SharedCommand<C>]>,
    /// The facts after the first.
    rest: Box<[Later<C, E, R>]>,
    /// What almost no step has, in one box of its own: a step of several facts or
    /// reactions, the common user of `more`, pays a word for it (in wasm `More` is 20
    /// bytes, where a box for each of the three parts made 28).
    rare: Option<Box<Rare<C>>>,
}

/// What almost no batch has: a step's failure or injection, a place beyond 32 bits.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Rare<C> {
    /// The bound a step hit, if it hit one.
    failure: Option<StepFailure<C>>,
    /// Whether a step's rejection was injected by a person.
    injected: bool,
    /// The batch's place, when [`Stamp`] cannot hold it.
    wide: Option<Place>,
}

impl<C> Rare<C> {
    /// Nothing rare.
    const NONE: Rare<C> = Rare {
        failure: None,
        injected: false,
        wide: None,
    };

    /// Whether it holds nothing.
    fn is_none(&self) -> bool {
        self.failure.is_none() && !self.injected && self.wide.is_none()
    }
}

impl<C, E, R> More<C, E, R> {
    /// Nothing more.
    fn none() -> Self {
        More {
            reactions: Box::default(),
            rest: Box::default(),
            rare: None,
        }
    }

    /// Whether it holds nothing.
    fn is_none(&self) -> bool {
        self.reactions.is_empty() && self.rest.is_empty() && self.rare.is_none()
    }

    /// The rare parts.
    fn rare(&self) -> Option<&Rare<C>> {
        self.rare.as_deref()
    }

    /// The rare parts, their box made if it was not.
    fn rare_mut(&mut self) -> &mut Rare<C> {
        self.rare.get_or_insert_with(|| Box::new(Rare::NONE))
    }

    /// Drops the box of rare parts if it holds nothing.
    fn tidy(&mut self) {
        if self.rare.as_ref().is_some_and(|rare| rare.is_none()) {
            self.rare = None;
        }
    }
}

/// The commands queued in reaction to a batch's first fact, and its facts after the first.
type QueuedParts<'a, C, E, R> = (&'a [SharedCommand<C>], &'a [Later<C, E, R>]);

/// A fact's own data as the engine hands it to [`Batch::new`] (which keeps it as a
/// [`FactData`]), with the commands queued in reaction to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Recorded<C, E, R> {
    /// The event id (or rejection id).
    pub(crate) id: Id,
    /// The event or the rejection.
    pub(crate) kind: FactKind<C, E, R>,
    /// The commands sagas and process managers queued in reaction (the outbox).
    pub(crate) queued: Box<[SharedCommand<C>]>,
}

/// The ids a fact takes from what recorded it.
#[derive(Clone, Copy)]
pub(crate) struct Cause {
    command_id: Id,
    correlation_id: Id,
}

impl Cause {
    /// The cause of the facts `command` records.
    pub(crate) fn of<C>(command: &CommandEnvelope<C>) -> Self {
        Cause {
            command_id: command.command_id,
            correlation_id: command.correlation_id,
        }
    }

    /// The cause of given history recorded under `command_id`.
    fn given(command_id: Id) -> Self {
        Cause {
            command_id,
            correlation_id: command_id,
        }
    }
}

impl<C, E, R> Batch<C, E, R> {
    /// A batch of no fact.
    pub(crate) fn empty() -> Self {
        Batch {
            stream_id: None,
            stamp: Stamp::ZERO,
            first: None,
            reaction: None,
            more: None,
            command: None,
        }
    }

    /// The batch of `facts`, recorded in `stream` from `position` on at `time` (empty
    /// if there is no fact).
    pub(crate) fn new(
        stream_id: &StreamId,
        position: u64,
        time: u64,
        facts: impl IntoIterator<Item = Recorded<C, E, R>>,
    ) -> Self {
        let mut facts = facts.into_iter().peekable();
        let Some(Recorded { id, kind, queued }) = facts.next() else {
            return Batch::empty();
        };
        let rest = facts.peek().is_some().then(|| Self::later(facts));
        let (kind, version) = Kept::new(kind);
        let place = Place {
            time,
            step: 0,
            position,
            version,
        };
        let narrow = Stamp::narrow(place);
        let mut batch = Batch {
            stream_id: Some(stream_id.clone()),
            stamp: narrow.unwrap_or(Stamp::ZERO),
            first: Some(FactData { id, kind }),
            reaction: None,
            more: rest.map(|rest| {
                Box::new(More {
                    rest,
                    ..More::none()
                })
            }),
            command: None,
        };
        if narrow.is_none() {
            batch.keep_wide(place);
        }
        if !queued.is_empty() {
            batch.set_queued(0, queued);
        }
        batch
    }

    /// The facts after a batch's first, as it keeps them.
    #[cold]
    #[inline(never)]
    fn later(facts: impl Iterator<Item = Recorded<C, E, R>>) -> Box<[Later<C, E, R>]> {
        facts
            .map(|Recorded { id, kind, queued }| {
                let (kind, version) = Kept::new(kind);
                Later {
                    fact: FactData { id, kind },
                    version,
                    queued,
                }
            })
            .collect()
    }

    /// Keeps `place` whole, for a batch whose numbers do not fit the stamp's halves.
    #[cold]
    #[inline(never)]
    fn keep_wide(&mut self, place: Place) {
        self.more_mut().rare_mut().wide = Some(place);
    }

    /// The entry's time and step, and its first fact's position and stream version.
    #[inline]
    fn place(&self) -> Place {
        match self.rare().and_then(|rare| rare.wide) {
            Some(wide) => wide,
            None => self.stamp.whole(),
        }
    }

    /// Sets the ordinal of the step that recorded the batch.
    #[inline]
    fn set_step(&mut self, step: u64) {
        match u32::try_from(step) {
            // Nothing in `more`: the rest of the place is in the stamp.
            Ok(step) if self.more.is_none() => self.stamp.step = step,
            _ => self.set_place(Place {
                step,
                ..self.place()
            }),
        }
    }

    /// Sets the place: in the stamp if it fits, else whole in `more`.
    fn set_place(&mut self, place: Place) {
        let narrow = Stamp::narrow(place);
        self.stamp = narrow.unwrap_or(Stamp::ZERO);
        if narrow.is_none() || self.more.is_some() {
            let more = self.more_mut();
            more.rare_mut().wide = narrow.is_none().then_some(place);
            more.tidy();
            self.tidy();
        }
    }

    /// What almost no batch has, if this one has it.
    #[inline]
    fn rare(&self) -> Option<&Rare<C>> {
        self.more.as_ref()?.rare()
    }

    /// The allocation for what few batches have, made if it was not.
    fn more_mut(&mut self) -> &mut More<C, E, R> {
        self.more.get_or_insert_with(|| Box::new(More::none()))
    }

    /// Drops `more` if it holds nothing: the one layout of a batch's contents.
    fn tidy(&mut self) {
        if self.more.as_ref().is_some_and(|more| more.is_none()) {
            self.more = None;
        }
    }

    /// The number of facts.
    pub(crate) fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest().len()
    }

    /// The facts after the first.
    fn rest(&self) -> &[Later<C, E, R>] {
        self.more.as_ref().map_or(&[][..], |more| &more.rest[..])
    }

    /// The commands queued in reaction to the first fact, and the facts after it (plain
    /// slices: the journal's readers chain them without nesting iterators).
    fn queued_parts(&self) -> QueuedParts<'_, C, E, R> {
        let first = match &self.more {
            Some(more) if !more.reactions.is_empty() => &more.reactions[..],
            _ => self.reaction.as_slice(),
        };
        (first, self.rest())
    }

    /// The commands queued in reaction to each fact, in order.
    fn queued_of_each(&self) -> impl Iterator<Item = &[SharedCommand<C>]> {
        let (first, rest) = self.queued_parts();
        self.first
            .iter()
            .map(move |_| first)
            .chain(rest.iter().map(|r| &r.queued[..]))
    }

    /// Sets the commands queued in reaction to fact `index` (`index < len`; `queued`
    /// replaces what the fact's reactions were). A single reaction to the first fact is
    /// kept as it is, so the engine hands it over from a buffer it keeps (a drain) and
    /// allocates nothing for it.
    pub(crate) fn set_queued<I>(&mut self, index: usize, queued: I)
    where
        I: IntoIterator<Item = SharedCommand<C>>,
        I::IntoIter: ExactSizeIterator,
    {
        let mut queued = queued.into_iter();
        if let Some(index) = index.checked_sub(1) {
            let more = self
                .more
                .as_mut()
                .expect("a fact after the first is in `more`");
            more.rest[index].queued = queued.collect();
            return;
        }
        self.reaction = None;
        if let Some(more) = &mut self.more {
            more.reactions = Box::default();
        }
        if queued.len() == 1 {
            self.reaction = queued.next();
        } else if queued.len() > 1 {
            self.more_mut().reactions = queued.collect();
        }
        self.tidy();
    }

    /// Fact `index` with its metadata (`index < len`).
    #[inline]
    pub(crate) fn fact(&self, index: usize, cause: Cause) -> FactRef<'_, C, E, R> {
        let place = self.place();
        let (FactData { id, kind }, version) = match index.checked_sub(1) {
            None => (
                self.first.as_ref().expect("fact 0 of a batch that has one"),
                place.version,
            ),
            Some(index) => {
                let later = &self.rest()[index];
                (&later.fact, later.version)
            }
        };
        FactRef {
            position: place.position + index as u64,
            stream_id: self
                .stream_id
                .as_ref()
                .expect("a batch with facts has a stream"),
            id: *id,
            command_id: cause.command_id,
            correlation_id: cause.correlation_id,
            causation_id: cause.command_id,
            time: place.time,
            kind: kind.get(version),
        }
    }

    /// Every fact with its metadata.
    pub(crate) fn facts_of(
        &self,
        cause: Cause,
    ) -> impl ExactSizeIterator<Item = FactRef<'_, C, E, R>> {
        (0..self.len()).map(move |index| self.fact(index, cause))
    }

    /// The batch of `facts` read from a journal, each with its queued commands, if they
    /// share what a batch keeps once: their stream, consecutive positions, one time, and
    /// `cause`'s ids (a fact's causation is the command that recorded it).
    fn read(
        facts: Vec<RecordedIn<C, E, R>>,
        cause: impl FnOnce(&RecordedFact<C, E, R>) -> Cause,
    ) -> Result<Self, String> {
        let Some(RecordedIn { fact: first, .. }) = facts.first() else {
            return Ok(Batch::empty());
        };
        let cause = cause(first);
        let (stream_id, position, time) = (first.stream_id.clone(), first.position, first.time);
        for (expected, RecordedIn { fact, .. }) in (position..).zip(&facts) {
            if fact.stream_id != stream_id {
                return Err(format!(
                    "one entry records facts in streams `{stream_id}` and `{}`",
                    fact.stream_id
                ));
            }
            if fact.position != expected {
                return Err(format!(
                    "fact at position {} where {expected} was expected",
                    fact.position
                ));
            }
            if fact.time != time {
                return Err(format!(
                    "fact at position {} has time {} where {time} was expected",
                    fact.position, fact.time
                ));
            }
            let ids = [fact.command_id, fact.correlation_id, fact.causation_id];
            if ids != [cause.command_id, cause.correlation_id, cause.command_id] {
                return Err(format!(
                    "fact at position {} has command, correlation and causation ids {}, {} \
                     and {} where {}, {} and {} were expected",
                    fact.position,
                    ids[0],
                    ids[1],
                    ids[2],
                    cause.command_id,
                    cause.correlation_id,
                    cause.command_id
                ));
            }
        }
        let facts = facts
            .into_iter()
            .map(|RecordedIn { fact, queued }| Recorded {
                id: fact.id,
                kind: fact.kind,
                queued,
            });
        Ok(Batch::new(&stream_id, position, time, facts))
    }
}

/// One completed engine step: the queue entry it consumed, what it recorded, what it
/// queued, and what went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord<C, E, R> {
    /// The command taken from the front of the queue; its events, or its rejection, each
    /// with the reactions it caused; its ordinal, its failure and its injection.
    pub(crate) facts: Batch<C, E, R>,
}

impl<C, E, R> StepRecord<C, E, R> {
    /// The record of step `step`, which handled `command` and recorded `facts`.
    pub(crate) fn new(
        step: u64,
        command: SharedCommand<C>,
        facts: Batch<C, E, R>,
        failure: Option<Box<StepFailure<C>>>,
        injected: bool,
    ) -> Self {
        let mut facts = facts;
        facts.set_step(step);
        facts.command = Some(command);
        if failure.is_some() || injected {
            let rare = facts.more_mut().rare_mut();
            rare.failure = failure.map(|failure| *failure);
            rare.injected = injected;
        }
        StepRecord { facts }
    }

    /// The command taken from the front of the queue.
    #[inline]
    pub fn command(&self) -> &SharedCommand<C> {
        self.facts
            .command
            .as_ref()
            .expect("a step's batch holds its command")
    }

    /// The step's ordinal (0-based).
    pub fn step(&self) -> u64 {
        self.facts.place().step
    }

    /// The bound the step hit, if it hit one.
    pub fn failure(&self) -> Option<&StepFailure<C>> {
        self.facts.rare()?.failure.as_ref()
    }

    /// Whether the step's rejection was injected by a person ("make this step fail")
    /// instead of decided. The command may then have been anywhere in the queue, not only
    /// at its front. Written only when true, so older journals read unchanged.
    pub fn injected(&self) -> bool {
        self.facts.rare().is_some_and(|rare| rare.injected)
    }

    /// Its events, or its rejection, in order.
    pub fn facts(&self) -> impl ExactSizeIterator<Item = FactRef<'_, C, E, R>> {
        self.facts.facts_of(Cause::of(self.command()))
    }

    /// Each fact with the commands queued in reaction to it, in order.
    pub fn recorded(&self) -> impl Iterator<Item = (FactRef<'_, C, E, R>, &[SharedCommand<C>])> {
        self.facts().zip(self.facts.queued_of_each())
    }

    /// Every command this step queued, in order.
    pub fn queued(&self) -> impl Iterator<Item = &SharedCommand<C>> {
        let (first, rest) = self.facts.queued_parts();
        first
            .iter()
            .chain(rest.iter().flat_map(|r| r.queued.iter()))
    }

    /// The stream its facts were recorded in (`None` if it recorded none).
    pub fn stream_id(&self) -> Option<&StreamId> {
        self.facts.stream_id.as_ref()
    }
}

/// History given up front: events of one stream, recorded under one command id that no
/// command carries (so that ids stay unique), reacted to by no saga.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GivenRecord<C, E, R> {
    /// The id its facts name as their command, correlation and causation.
    command_id: Id,
    facts: Batch<C, E, R>,
}

impl<C, E, R> GivenRecord<C, E, R> {
    /// The record of `facts` under `command_id` (which only facts keep: an empty record
    /// is the same whatever id it drew, as its JSON is).
    pub(crate) fn new(command_id: Id, facts: Batch<C, E, R>) -> Self {
        let command_id = if facts.len() == 0 { Id(0) } else { command_id };
        GivenRecord { command_id, facts }
    }

    /// The given events, in order.
    pub fn facts(&self) -> impl ExactSizeIterator<Item = FactRef<'_, C, E, R>> {
        self.facts.facts_of(Cause::given(self.command_id))
    }

    /// The stream of the events (`None` if there is none).
    pub fn stream_id(&self) -> Option<&StreamId> {
        self.facts.stream_id.as_ref()
    }
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

    fn batch(&self) -> Option<(&Batch<C, E, R>, Cause)> {
        match self {
            JournalEntry::Step(step) => Some((&step.facts, Cause::of(step.command()))),
            JournalEntry::Given(given) => Some((&given.facts, Cause::given(given.command_id))),
            JournalEntry::Submitted(_) => None,
        }
    }

    /// The facts this entry recorded, in order.
    pub fn facts(&self) -> impl ExactSizeIterator<Item = FactRef<'_, C, E, R>> {
        let batch = self.batch();
        let len = batch.map_or(0, |(b, _)| b.len());
        (0..len).map(move |index| {
            let (batch, cause) = batch.expect("an entry with facts has a batch");
            batch.fact(index, cause)
        })
    }

    /// The commands this entry queued: a person's submission, or what sagas and process
    /// managers issued in reaction to a step's facts.
    pub fn queued(&self) -> impl Iterator<Item = &SharedCommand<C>> {
        let (submitted, step) = match self {
            JournalEntry::Submitted(envelope) => (std::slice::from_ref(envelope), None),
            JournalEntry::Step(step) => (&[][..], Some(&step.facts)),
            JournalEntry::Given(_) => (&[][..], None),
        };
        let (first, rest) = step.map_or((&[][..], &[][..]), Batch::queued_parts);
        submitted
            .iter()
            .chain(first)
            .chain(rest.iter().flat_map(|r| r.queued.iter()))
    }

    /// The stream this entry recorded facts in (`None` if it recorded none).
    pub fn stream_id(&self) -> Option<&StreamId> {
        self.batch().and_then(|(b, _)| b.stream_id.as_ref())
    }
}

// The JSON form: every fact in full, as `RecordedFact` (the form of older journals).

/// A fact of a step as written: the fact in full and the commands queued in reaction.
#[derive(Serialize)]
struct RecordedOut<'a, C, E, R> {
    fact: FactRef<'a, C, E, R>,
    queued: &'a [SharedCommand<C>],
}

/// A fact of a step as read.
#[derive(Deserialize)]
pub(crate) struct RecordedIn<C, E, R> {
    pub(crate) fact: RecordedFact<C, E, R>,
    pub(crate) queued: Box<[SharedCommand<C>]>,
}

/// A step as read.
#[derive(Deserialize)]
pub(crate) struct StepIn<C, E, R> {
    pub(crate) step: u64,
    pub(crate) command: SharedCommand<C>,
    pub(crate) facts: Vec<RecordedIn<C, E, R>>,
    pub(crate) failure: Option<Box<StepFailure<C>>>,
    #[serde(default)]
    pub(crate) injected: bool,
}

/// An entry as read from its JSON form, before its facts are checked and laid out in a
/// batch ([`JournalEntry::from_read`]): what [`JournalEntry`]'s `Deserialize` reads, under
/// the same names, so that a reader of the form alone (the boundary's, which reads it with
/// every message left as JSON) fails where and as that one does.
#[derive(Deserialize)]
#[serde(rename = "JournalEntry", rename_all = "snake_case")]
pub(crate) enum EntryIn<C, E, R> {
    /// A user command was queued.
    Submitted(SharedCommand<C>),
    /// A step, as [`StepRecord`]'s `Deserialize` reads it.
    Step(StepIn<C, E, R>),
    /// Given history, as [`GivenRecord`]'s `Deserialize` reads it.
    Given(Vec<RecordedFact<C, E, R>>),
}

impl<C, E, R> JournalEntry<C, E, R> {
    /// The entry `entry` says, its facts checked and laid out; why not (a step's or a given
    /// history's facts that do not make one batch), to be reported at the step or history
    /// (`$.step`, `$.given`).
    pub(crate) fn from_read(entry: EntryIn<C, E, R>) -> Result<Self, String> {
        Ok(match entry {
            EntryIn::Submitted(envelope) => JournalEntry::Submitted(envelope),
            EntryIn::Step(step) => JournalEntry::Step(Box::new(StepRecord::from_read(step)?)),
            EntryIn::Given(facts) => JournalEntry::Given(Box::new(GivenRecord::from_read(facts)?)),
        })
    }
}

impl<C, E, R> StepRecord<C, E, R> {
    /// The step `step` says, its facts checked and laid out.
    fn from_read(step: StepIn<C, E, R>) -> Result<Self, String> {
        let cause = Cause::of(&step.command);
        let facts = Batch::read(step.facts, |_| cause)?;
        Ok(StepRecord::new(
            step.step,
            step.command,
            facts,
            step.failure,
            step.injected,
        ))
    }
}

impl<C, E, R> GivenRecord<C, E, R> {
    /// The history `facts` say, checked and laid out.
    fn from_read(facts: Vec<RecordedFact<C, E, R>>) -> Result<Self, String> {
        let mut command_id = Id(0);
        let facts = facts.into_iter().map(|fact| RecordedIn {
            fact,
            queued: Box::default(),
        });
        let facts = facts.collect();
        let facts = Batch::read(facts, |first| {
            command_id = first.command_id;
            Cause::given(command_id)
        })?;
        Ok(GivenRecord::new(command_id, facts))
    }
}

/// The facts of a step, written as a sequence of [`RecordedOut`].
struct StepFacts<'a, C, E, R>(&'a StepRecord<C, E, R>);

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for StepFacts<'_, C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .recorded()
                .map(|(fact, queued)| RecordedOut { fact, queued }),
        )
    }
}

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for StepRecord<C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let injected = self.injected();
        let mut out = serializer.serialize_struct("StepRecord", 4 + usize::from(injected))?;
        out.serialize_field("step", &self.step())?;
        out.serialize_field("command", self.command())?;
        out.serialize_field("facts", &StepFacts(self))?;
        out.serialize_field("failure", &self.failure())?;
        if injected {
            out.serialize_field("injected", &injected)?;
        }
        out.end()
    }
}

impl<'de, C, E, R> Deserialize<'de> for StepRecord<C, E, R>
where
    C: Deserialize<'de>,
    E: Deserialize<'de>,
    R: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let step = StepIn::<C, E, R>::deserialize(deserializer)?;
        StepRecord::from_read(step).map_err(D::Error::custom)
    }
}

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for GivenRecord<C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.facts())
    }
}

impl<'de, C, E, R> Deserialize<'de> for GivenRecord<C, E, R>
where
    C: Deserialize<'de>,
    E: Deserialize<'de>,
    R: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let facts = Vec::<RecordedFact<C, E, R>>::deserialize(deserializer)?;
        GivenRecord::from_read(facts).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u64) -> Recorded<(), String, ()> {
        Recorded {
            id: Id(id),
            kind: FactKind::Event {
                stream_version: id,
                event: format!("e{id}"),
            },
            queued: Box::default(),
        }
    }

    fn command(id: u64) -> SharedCommand<()> {
        SharedCommand::new(CommandEnvelope {
            command_id: Id(id),
            correlation_id: Id(id),
            causation_id: Id(id),
            time: 0,
            origin: crate::envelope::Origin::User,
            compensation: false,
            depth: 0,
            command: (),
        })
    }

    fn version_of(kind: FactKindRef<'_, (), String, ()>) -> Option<u64> {
        match kind {
            FactKindRef::Event { stream_version, .. } => Some(stream_version),
            FactKindRef::Rejected { .. } => None,
        }
    }

    fn ids(commands: &[SharedCommand<()>]) -> Vec<u64> {
        commands.iter().map(|c| c.command_id.0).collect()
    }

    #[test]
    fn a_journal_slot_is_two_words_and_names_in_records_one() {
        use crate::envelope::Origin;
        use std::mem::size_of;
        let word = size_of::<usize>();
        assert_eq!(size_of::<JournalEntry<(), String, ()>>(), 2 * word);
        assert_eq!(size_of::<Option<StreamId>>(), word);
        assert_eq!(size_of::<Origin>(), word);
    }

    #[test]
    fn an_event_is_kept_in_the_room_it_needs_and_a_rejection_apart() {
        use std::mem::size_of;
        type Big = [u64; 12];
        type Kind = FactKind<Big, String, Big>;
        let word = size_of::<usize>();
        assert!(size_of::<Kept<Big, String, Big>>() <= size_of::<(u64, String)>() + word);
        assert!(size_of::<Kind>() >= 2 * size_of::<Big>());
        let rejected: Kind = FactKind::Rejected {
            command: [1; 12],
            reason: [2; 12],
        };
        let event: Kind = FactKind::Event {
            stream_version: 3,
            event: "e".into(),
        };
        for kind in [rejected, event] {
            let (kept, version) = Kept::new(kind.clone());
            assert_eq!(kept.get(version), kind.borrowed());
        }
    }

    #[test]
    fn a_batch_keeps_one_reaction_inline_and_anything_more_in_one_box() {
        let stream: StreamId = "s".into();
        let mut one = Batch::new(&stream, 7, 3, [event(1)]);
        one.set_queued(0, vec![command(1)]);
        assert!(one.reaction.is_some() && one.more.is_none());
        assert_eq!(ids(one.queued_parts().0), [1]);
        one.set_queued(0, vec![command(1), command(2)]);
        assert!(one.reaction.is_none());
        assert_eq!(ids(one.queued_parts().0), [1, 2]);
        one.set_queued(0, Vec::new());
        assert_eq!(
            one,
            Batch::new(&stream, 7, 3, [event(1)]),
            "back to one layout"
        );

        let mut two = Batch::new(&stream, 7, 3, [event(1), event(2)]);
        two.set_queued(1, vec![command(3)]);
        two.set_queued(0, vec![command(4)]);
        let queued: Vec<Vec<u64>> = two.queued_of_each().map(ids).collect();
        assert_eq!(queued, [vec![4], vec![3]]);
        let mut first = event(1);
        first.queued = vec![command(4)].into_boxed_slice();
        let mut second = event(2);
        second.queued = vec![command(3)].into_boxed_slice();
        assert_eq!(two, Batch::new(&stream, 7, 3, [first, second]));
    }

    #[test]
    fn a_time_ordinal_position_or_version_beyond_32_bits_is_kept_whole() {
        let stream: StreamId = "s".into();
        let wide = 1_u64 << 32;
        for (time, step, position, version, injected) in [
            (wide, 3, 2, 1, false),
            (5, u64::MAX, 2, 1, true),
            (5, 3, wide + 2, 1, false),
            (5, 3, 2, u64::MAX, false),
            (7, 9, 2, 1, false),
        ] {
            let first = Recorded {
                id: Id(1),
                kind: FactKind::Event {
                    stream_version: version,
                    event: "e1".to_string(),
                },
                queued: Box::default(),
            };
            let batch = Batch::new(&stream, position, time, [first, event(2)]);
            let record = StepRecord::new(step, command(1), batch, None, injected);
            assert_eq!(record.step(), step);
            assert_eq!(record.injected(), injected);
            let facts: Vec<(u64, u64, Option<u64>)> = record
                .facts()
                .map(|f| (f.time, f.position, version_of(f.kind)))
                .collect();
            assert_eq!(
                facts,
                [
                    (time, position, Some(version)),
                    (time, position + 1, Some(2))
                ]
            );
            let narrow = [time, step, position, version].iter().all(|&n| n < wide);
            assert_eq!(
                record.facts.rare().and_then(|rare| rare.wide).is_none(),
                narrow,
                "only what does not fit is kept whole"
            );
            let json = serde_json::to_string(&record).expect("a step is JSON");
            let back: StepRecord<(), String, ()> =
                serde_json::from_str(&json).expect("its JSON reads back");
            assert_eq!(back, record);
        }
    }

    #[test]
    fn a_batch_takes_no_word_for_its_first_fact_s_version() {
        use std::mem::size_of;
        let word = size_of::<usize>();
        let fields = size_of::<Option<StreamId>>()
            + size_of::<Stamp>()
            + size_of::<Id>()
            + size_of::<String>()
            + 3 * word;
        assert_eq!(size_of::<Stamp>(), 16);
        assert_eq!(size_of::<Batch<(), String, ()>>(), fields);
        assert_eq!(
            size_of::<StepRecord<(), String, ()>>(),
            fields,
            "a step record is its batch, the command in it"
        );
    }

    #[test]
    fn what_few_batches_have_keeps_its_rare_parts_in_one_box() {
        use std::mem::size_of;
        let word = size_of::<usize>();
        // Two slices and one box.
        assert_eq!(
            size_of::<More<[u64; 8], String, ()>>(),
            2 * size_of::<Box<[u8]>>() + word
        );
        let stream: StreamId = "s".into();
        let two = || Batch::new(&stream, 7, 3, [event(1), event(2)]);
        let plain = StepRecord::new(4, command(1), two(), None, false);
        let more = plain.facts.more.as_ref().expect("two facts take `more`");
        assert!(more.rare.is_none(), "a step of two facts has nothing rare");
        let failure = StepFailure::CascadeLimit {
            limit: 8,
            dropped: vec![command(9)],
        };
        let failed = StepRecord::new(4, command(1), two(), Some(Box::new(failure.clone())), true);
        assert_eq!(failed.failure(), Some(&failure));
        assert!(failed.injected());
        assert_eq!(failed.step(), 4);
        let facts: Vec<u64> = failed.facts().map(|f| f.position).collect();
        assert_eq!(facts, [7, 8]);
        let json = serde_json::to_string(&failed).expect("a step is JSON");
        let back: StepRecord<(), String, ()> =
            serde_json::from_str(&json).expect("its JSON reads back");
        assert_eq!(back, failed);
    }

    #[test]
    fn a_step_of_one_fact_and_one_reaction_keeps_it_all_inline() {
        let stream: StreamId = "s".into();
        let mut batch = Batch::new(&stream, 7, 3, [event(1)]);
        batch.set_queued(0, vec![command(2)]);
        let record = StepRecord::new(4, command(1), batch, None, false);
        assert!(record.facts.more.is_none(), "nothing boxed");
        let fact = record.facts().next().expect("one fact");
        assert_eq!((fact.time, fact.position), (3, 7));
        assert_eq!(version_of(fact.kind), Some(1));
        assert_eq!(record.step(), 4);
    }

    #[test]
    fn a_batch_keeps_its_first_fact_inline_and_an_empty_one_is_the_empty_batch() {
        let stream: StreamId = "s".into();
        let one = Batch::new(&stream, 7, 3, [event(1)]);
        assert!(one.first.is_some() && one.more.is_none());
        let two = Batch::new(&stream, 7, 3, [event(1), event(2)]);
        let cause = Cause::given(Id(9));
        let positions: Vec<u64> = two.facts_of(cause).map(|f| f.position).collect();
        assert_eq!(positions, [7, 8]);
        assert_eq!(two.fact(1, cause).event().map(String::as_str), Some("e2"));
        // What a decider that decided no event records equals what its JSON reads back.
        assert_eq!(
            Batch::new(&stream, 7, 3, []),
            Batch::<(), String, ()>::empty()
        );
    }
}
