//! The journal: every submission and every completed step, as atomic records.
//!
//! A durable store writes each [`JournalEntry`] in one transaction; an engine rebuilt
//! from the entries ([`crate::Engine::from_journal`]) is exactly the engine that wrote them.
//!
//! In memory an entry keeps what all its facts share once (their stream and command) and
//! each fact only its id, its event or rejection and the commands queued in reaction;
//! [`FactRef`]s fill the shared metadata back in. An entry does not keep its place in the
//! journal (its index, which is its facts' time, and its first fact's position): the
//! journal's order says it, and a reader of an entry's facts hands it over ([`At`], and
//! [`Run`] for a run of entries). The JSON form lists every fact with all its metadata
//! ([`RecordedFact`]), as it always did: it is written from a [`Run`] or a [`Placed`]
//! record, and read into a [`ReadEntry`], which keeps the place the facts name for the
//! engine that loads it to check.

use crate::envelope::{
    CommandEnvelope, FactKind, FactKindRef, FactRef, RecordedFact, SharedCommand,
};
use crate::ids::{Id, SeededIds, StreamId};
use crate::segmented::Span;
use crate::store::Conflict;
use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One atomic change to an engine. Entries are boxed, so the journal's slots stay small.
#[derive(Clone, Debug, PartialEq, Eq)]
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
/// keep it so: [`Batch::tidy`]), so its equality compares contents (a refusal of the
/// step's own command equal to the same refusal read with the command named apart).
#[derive(Clone, Debug)]
pub(crate) struct Batch<C, E, R> {
    /// The stream of every fact (`None` when there is none).
    stream_id: Option<StreamId>,
    /// The step's ordinal and the first fact's stream version, in 32-bit halves (or in
    /// [`Rare::wide`]). The entry's time and first position are its place ([`At`]).
    stamp: Stamp,
    /// The first fact's kind (its stream version is in the stamp). Its id is its place's
    /// ([`SeededIds::fact`] of its position, as every fact an engine records: the
    /// restaurant's step record 120 → 112 bytes), or, read with another, [`Rare::id`].
    first: Option<Kept<C, E, R>>,
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

/// Two batches are equal if they say the same: their first facts compared as they read
/// (a refusal kept without its command, [`Rejection::Refused`], reads its batch's command), the
/// rest as kept (a step's own refusal is only ever its first fact: its only one). A first
/// fact's id kept apart ([`Rare::id`]) is unequal to one its place gives, even the same:
/// a batch alone does not know its place's ids (an engine keeps none it can give:
/// [`JournalEntry::give_first_id`]).
impl<C: PartialEq, E: PartialEq, R: PartialEq> PartialEq for Batch<C, E, R> {
    fn eq(&self, other: &Self) -> bool {
        self.stream_id == other.stream_id
            && self.stamp == other.stamp
            && self.first_as_read() == other.first_as_read()
            && self.reaction == other.reaction
            && self.more == other.more
            && self.command == other.command
    }
}

impl<C: Eq, E: Eq, R: Eq> Eq for Batch<C, E, R> {}

/// Where a journal entry is: its index in the journal, which is the logical time of its
/// facts, and the position of its first fact (the number of facts the entries before it
/// recorded); and the ids its journal's facts draw. An entry does not keep its place (8
/// bytes a step less): the journal's order says it, and whoever reads an entry's facts
/// hands it over. Nor the id of its first fact when the ids give it (every fact an engine
/// records is [`SeededIds::fact`] of its position: 8 bytes a step less).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    /// The entry's index in its journal: the time of its facts.
    pub time: u64,
    /// The position of its first fact.
    pub position: u64,
    /// The ids of the engine whose journal it is (its configuration's seed): they give
    /// the id of an entry's first fact that keeps none.
    pub ids: SeededIds,
}

impl At {
    /// The place of a journal's first entry, whose facts draw `ids`.
    pub fn start(ids: SeededIds) -> At {
        At {
            time: 0,
            position: 0,
            ids,
        }
    }

    /// The place of the entry after `entry`, whose place this is.
    #[inline]
    pub fn after<C, E, R>(self, entry: &JournalEntry<C, E, R>) -> At {
        At {
            time: self.time + 1,
            position: self.position + entry.fact_count() as u64,
            ids: self.ids,
        }
    }

    /// The place `named` names, its facts drawing this one's ids (a read entry's place,
    /// checked against this one's as its facts are folded).
    pub(crate) fn named(self, named: Named) -> At {
        At {
            time: named.time,
            position: named.position,
            ids: self.ids,
        }
    }

    /// The id of the fact `index` facts after its entry's first, when it is its ids' own.
    #[inline]
    fn fact_id(self, index: usize) -> Id {
        self.ids.fact(self.position + index as u64)
    }
}

/// The place a journal entry's facts name, as read from one of its forms: their time and
/// the position of the first. The engine that loads the entry checks it against the
/// entry's [`At`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Named {
    /// The time its facts name.
    pub time: u64,
    /// The position its first fact names.
    pub position: u64,
}

/// The numbers a batch keeps of its step and its first fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Numbers {
    /// In a step, the step's ordinal (0 outside a step).
    step: u64,
    /// The first fact's stream version (0 when it is a rejection or there is none).
    version: u64,
}

/// A batch's [`Numbers`] in 32-bit halves, for the journals that fit them (fewer than 2³²
/// steps and events a stream: every journal so far); a batch whose numbers do not fit
/// keeps them whole in [`Rare::wide`] and [`Stamp::ZERO`] here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    step: u32,
    version: u32,
}

impl Stamp {
    /// All zero; also the stamp of a batch whose numbers are in [`Rare::wide`].
    const ZERO: Stamp = Stamp {
        step: 0,
        version: 0,
    };

    /// `numbers` in 32-bit halves, or `None` if one of them does not fit.
    #[inline]
    fn narrow(numbers: Numbers) -> Option<Stamp> {
        Some(Stamp {
            step: u32::try_from(numbers.step).ok()?,
            version: u32::try_from(numbers.version).ok()?,
        })
    }

    /// The numbers it holds.
    #[inline]
    fn whole(self) -> Numbers {
        Numbers {
            step: u64::from(self.step),
            version: u64::from(self.version),
        }
    }
}

/// A later fact's own data: what a [`Batch`] does not share between its facts, but for
/// its stream version ([`Later::version`]). The first fact keeps its kind alone
/// ([`Batch::first`]), its version in the stamp and its id in its place.
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
    Rejected(Rejection<C, R>),
}

/// A refused command and why, as a batch keeps it: in a box of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Rejection<C, R> {
    /// The refusal of the step's own command, which the step keeps in its envelope: the
    /// reason alone (the engine's refusals; the restaurant's box 88 → 16 bytes).
    Refused(Box<R>),
    /// A refusal read from a journal's forms, which name the refused command apart from
    /// the step's.
    Named(Box<(C, R)>),
}

impl<C, R> Rejection<C, R> {
    /// The refusal, borrowed, of a batch whose step handled `command` (`None` outside a
    /// step). Out of line: the read of a fact, inlined in every reader of the journal,
    /// stays as small as it was before a refusal read its step's command (inlined, the
    /// read kept the journal's readers from being inlined in turn: a rebuild +5.4 %).
    #[inline(never)]
    fn get<'a, E>(&'a self, command: &'a Option<SharedCommand<C>>) -> FactKindRef<'a, C, E, R> {
        match self {
            Rejection::Refused(reason) => FactKindRef::Rejected {
                command: &command
                    .as_ref()
                    .expect("a refusal of its own command is a step's")
                    .command,
                reason,
            },
            Rejection::Named(refused) => FactKindRef::Rejected {
                command: &refused.0,
                reason: &refused.1,
            },
        }
    }
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
            FactKind::Rejected { command, reason } => (
                Kept::Rejected(Rejection::Named(Box::new((command, reason)))),
                0,
            ),
        }
    }

    /// The kind, borrowed, of a fact whose stream version is `stream_version`, of a batch
    /// whose step handled `command` (`None` outside a step).
    #[inline]
    fn get<'a>(
        &'a self,
        stream_version: u64,
        command: &'a Option<SharedCommand<C>>,
    ) -> FactKindRef<'a, C, E, R> {
        match self {
            Kept::Event(event) => FactKindRef::Event {
                stream_version,
                event,
            },
            Kept::Rejected(rejection) => rejection.get(command),
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

/// What almost no batch has: a step's failure or injection, numbers beyond 32 bits, a
/// first fact's id that its place's ids do not give.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Rare<C> {
    /// The bound a step hit, if it hit one.
    failure: Option<StepFailure<C>>,
    /// Whether a step's rejection was injected by a person.
    injected: bool,
    /// The batch's numbers, when [`Stamp`] cannot hold them.
    wide: Option<Numbers>,
    /// The first fact's id, when it is kept apart: a batch read from a journal's forms,
    /// which has no ids to give it, until an engine whose ids give it loads it.
    id: Option<Id>,
}

impl<C> Rare<C> {
    /// Nothing rare.
    const NONE: Rare<C> = Rare {
        failure: None,
        injected: false,
        wide: None,
        id: None,
    };

    /// Whether it holds nothing.
    fn is_none(&self) -> bool {
        self.failure.is_none() && !self.injected && self.wide.is_none() && self.id.is_none()
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

/// The indices below `len` mapped by `f`: a journal reader's loop over a step's facts
/// ([`Batch::facts_of`], [`StepRecord::recorded`]), its `next` always inlined. As a `Map`
/// (or a `Zip` of two) over the indices, LLVM kept `next` a call of its own in
/// `Projection::apply_at` (a rebuild +6.8 %).
struct Indexed<F> {
    next: usize,
    len: usize,
    f: F,
}

impl<T, F: FnMut(usize) -> T> Iterator for Indexed<F> {
    type Item = T;

    #[inline(always)]
    fn next(&mut self) -> Option<T> {
        let index = self.next;
        if index == self.len {
            return None;
        }
        self.next += 1;
        Some((self.f)(index))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len - self.next;
        (left, Some(left))
    }
}

impl<T, F: FnMut(usize) -> T> ExactSizeIterator for Indexed<F> {}

/// The indices below `len` mapped by `f` ([`Indexed`]).
fn indexed<T, F: FnMut(usize) -> T>(len: usize, f: F) -> Indexed<F> {
    Indexed { next: 0, len, f }
}

/// A batch's first event with its stream version (`None` when its first fact is not an
/// event), and its facts after the first.
type EventParts<'a, C, E, R> = (Option<(&'a E, u64)>, &'a [Later<C, E, R>]);

/// The events of a batch's parts, each with its stream version, in order: plain parts (an
/// option and a slice), not a flattened iterator, since a time-travel restore walks tens
/// of thousands of entries a call.
fn events_of<'a, C, E, R>(
    (first, rest): EventParts<'a, C, E, R>,
) -> impl Iterator<Item = (&'a E, u64)> {
    let rest = rest.iter().filter_map(|later| match &later.fact.kind {
        Kept::Event(event) => Some((event, later.version)),
        Kept::Rejected(_) => None,
    });
    first.into_iter().chain(rest)
}

/// The commands queued in reaction to a batch's first fact, and its facts after the first.
type QueuedParts<'a, C, E, R> = (&'a [SharedCommand<C>], &'a [Later<C, E, R>]);

/// A batch's first fact as it is made: its kind, its id if kept apart ([`Rare::id`]), the
/// commands queued in reaction to it.
type FirstMade<C, E, R> = (FactKind<C, E, R>, Option<Id>, Box<[SharedCommand<C>]>);

/// A fact's own data as a journal's reader hands it to [`Batch::new`] (which keeps it as a
/// [`FactData`], or the first fact's kind and its id apart), with the commands queued in
/// reaction to it.
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

    /// The batch of one refusal of `command` (the command of the step that records it),
    /// for `reason`, in `stream`, recorded by an engine (its id is its place's): the batch
    /// keeps the command it reads anyway (a step's) and the reason alone
    /// ([`Rejection::Refused`]). Out of line, off the path of the commands that are not
    /// refused.
    #[inline(never)]
    pub(crate) fn refused(stream_id: &StreamId, command: &SharedCommand<C>, reason: R) -> Self {
        Batch {
            stream_id: Some(stream_id.clone()),
            first: Some(Kept::Rejected(Rejection::Refused(Box::new(reason)))),
            command: Some(command.clone()),
            ..Batch::empty()
        }
    }

    /// The first fact's id if kept apart ([`Rare::id`]) and its kind as it reads, a step's
    /// own refusal with the step's command.
    fn first_as_read(&self) -> Option<(Option<Id>, FactKindRef<'_, C, E, R>)> {
        let version = self.numbers().version;
        let first = self.first.as_ref()?;
        let id = self.rare().and_then(|rare| rare.id);
        Some((id, first.get(version, &self.command)))
    }

    /// The batch of `facts`, read from a journal's forms, in `stream` (empty if there is
    /// no fact). `at` is the place of its entry in the journal of the engine that loads it,
    /// if known: the first fact keeps no id when its place's ids give it.
    pub(crate) fn new(
        stream_id: &StreamId,
        at: Option<At>,
        facts: impl IntoIterator<Item = Recorded<C, E, R>>,
    ) -> Self {
        let mut facts = facts.into_iter();
        let Some(Recorded { id, kind, queued }) = facts.next() else {
            return Batch::empty();
        };
        let kept = at.is_none_or(|at| id != at.fact_id(0)).then_some(id);
        Self::build(stream_id, (kind, kept, queued), facts)
    }

    /// The batch of the facts of `kinds` an engine records in `stream` at `at` (empty if
    /// there is none): each fact's id is its place's ([`SeededIds::fact`] of its
    /// position), and the first keeps none.
    #[inline]
    pub(crate) fn recorded(
        stream_id: &StreamId,
        at: At,
        kinds: impl IntoIterator<Item = FactKind<C, E, R>>,
    ) -> Self {
        let mut kinds = kinds.into_iter();
        let Some(kind) = kinds.next() else {
            return Batch::empty();
        };
        let rest = kinds.zip(1..).map(move |(kind, index)| Recorded {
            id: at.fact_id(index),
            kind,
            queued: Box::default(),
        });
        Self::build(stream_id, (kind, None, Box::default()), rest)
    }

    /// The batch of a first fact (its kind, its id if kept apart, its reactions) and the
    /// facts after it, in `stream`.
    #[inline]
    fn build(
        stream_id: &StreamId,
        (kind, kept_id, queued): FirstMade<C, E, R>,
        mut facts: impl Iterator<Item = Recorded<C, E, R>>,
    ) -> Self {
        // The second fact taken, not peeked, and the rest made only if there is one: a
        // closure over the iterator (`then(|| …)`, `map`) took it by a copy even when no
        // fact followed, and a `Peekable` is dropped out of line.
        let mut rest = None;
        if let Some(second) = facts.next() {
            rest = Some(Self::later(std::iter::once(second).chain(facts)));
        }
        let (kind, version) = Kept::new(kind);
        let numbers = Numbers { step: 0, version };
        let narrow = Stamp::narrow(numbers);
        let mut batch = Batch {
            stream_id: Some(stream_id.clone()),
            stamp: narrow.unwrap_or(Stamp::ZERO),
            first: Some(kind),
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
            batch.keep_wide(numbers);
        }
        if let Some(id) = kept_id {
            batch.keep_id(id);
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

    /// Keeps `numbers` whole, for a batch whose numbers do not fit the stamp's halves.
    #[cold]
    #[inline(never)]
    fn keep_wide(&mut self, numbers: Numbers) {
        self.more_mut().rare_mut().wide = Some(numbers);
    }

    /// Keeps the first fact's id apart, for a batch whose place does not give it.
    #[inline(never)]
    fn keep_id(&mut self, id: Id) {
        self.more_mut().rare_mut().id = Some(id);
    }

    /// Drops the first fact's id kept apart if the batch's place, `at`, gives it.
    fn give_first_id(&mut self, at: At) {
        let Some(more) = &mut self.more else { return };
        let Some(rare) = &mut more.rare else { return };
        if rare.id == Some(at.fact_id(0)) {
            rare.id = None;
            more.tidy();
            self.tidy();
        }
    }

    /// The step's ordinal and the first fact's stream version.
    #[inline]
    fn numbers(&self) -> Numbers {
        match self.rare().and_then(|rare| rare.wide) {
            Some(wide) => wide,
            None => self.stamp.whole(),
        }
    }

    /// Sets the ordinal of the step that recorded the batch.
    #[inline]
    fn set_step(&mut self, step: u64) {
        match u32::try_from(step) {
            // Nothing in `more`: the version is in the stamp.
            Ok(step) if self.more.is_none() => self.stamp.step = step,
            _ => self.set_numbers(Numbers {
                step,
                ..self.numbers()
            }),
        }
    }

    /// Sets the numbers: in the stamp if they fit, else whole in `more`.
    fn set_numbers(&mut self, numbers: Numbers) {
        let narrow = Stamp::narrow(numbers);
        self.stamp = narrow.unwrap_or(Stamp::ZERO);
        if narrow.is_none() || self.more.is_some() {
            let more = self.more_mut();
            more.rare_mut().wide = narrow.is_none().then_some(numbers);
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

    /// The commands queued in reaction to fact `index` (`index < len`).
    #[inline]
    fn queued_of(&self, index: usize) -> &[SharedCommand<C>] {
        let (first, rest) = self.queued_parts();
        match index.checked_sub(1) {
            None => first,
            Some(index) => &rest[index].queued,
        }
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

    /// Fact `index` with its metadata (`index < len`), the batch's entry being `at`.
    /// Always inlined: its readers take what they read of it (a fold, its event; a
    /// reaction, the id), and a call made every reader of the journal compute all of it
    /// (a rebuild +12 %).
    #[inline(always)]
    pub(crate) fn fact(&self, index: usize, cause: Cause, at: At) -> FactRef<'_, C, E, R> {
        let (id, kind, version) = match index.checked_sub(1) {
            None => (
                self.rare()
                    .and_then(|rare| rare.id)
                    .unwrap_or_else(|| at.fact_id(0)),
                self.first.as_ref().expect("fact 0 of a batch that has one"),
                self.numbers().version,
            ),
            Some(index) => {
                let later = &self.rest()[index];
                (later.fact.id, &later.fact.kind, later.version)
            }
        };
        FactRef {
            position: at.position + index as u64,
            stream_id: self
                .stream_id
                .as_ref()
                .expect("a batch with facts has a stream"),
            id,
            command_id: cause.command_id,
            correlation_id: cause.correlation_id,
            causation_id: cause.command_id,
            time: at.time,
            kind: kind.get(version, &self.command),
        }
    }

    /// Every fact with its metadata, the batch's entry being `at`.
    pub(crate) fn facts_of(
        &self,
        cause: Cause,
        at: At,
    ) -> impl ExactSizeIterator<Item = FactRef<'_, C, E, R>> {
        indexed(self.len(), move |index| self.fact(index, cause, at))
    }

    /// Every event with its stream version, in order (no metadata: no place needed).
    pub(crate) fn events(&self) -> impl Iterator<Item = (&E, u64)> {
        events_of(self.event_parts())
    }

    /// The first fact's event, if it is one, with its stream version, and the facts after
    /// it: what [`events_of`] walks.
    fn event_parts(&self) -> EventParts<'_, C, E, R> {
        let first = match &self.first {
            Some(Kept::Event(event)) => Some((event, self.numbers().version)),
            _ => None,
        };
        (first, self.rest())
    }

    /// The batch of `facts` read from a journal, each with its queued commands, if they
    /// share what a batch keeps once: their stream, consecutive positions, one time, and
    /// `cause`'s ids (a fact's causation is the command that recorded it); with the place
    /// they name (their time and first position; `None` when there is no fact).
    fn read(
        facts: Vec<RecordedIn<C, E, R>>,
        cause: impl FnOnce(&RecordedFact<C, E, R>) -> Cause,
    ) -> Result<(Self, Option<Named>), String> {
        let Some(RecordedIn { fact: first, .. }) = facts.first() else {
            return Ok((Batch::empty(), None));
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
        let named = Named { time, position };
        Ok((Batch::new(&stream_id, None, facts), Some(named)))
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
        self.facts.numbers().step
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

    /// Its events, or its rejection, in order, the step's entry being `at`.
    pub fn facts(&self, at: At) -> impl ExactSizeIterator<Item = FactRef<'_, C, E, R>> {
        self.facts.facts_of(Cause::of(self.command()), at)
    }

    /// How many facts it recorded.
    pub fn fact_count(&self) -> usize {
        self.facts.len()
    }

    /// Each fact with the commands queued in reaction to it, in order, the step's entry
    /// being `at`.
    pub fn recorded(
        &self,
        at: At,
    ) -> impl Iterator<Item = (FactRef<'_, C, E, R>, &[SharedCommand<C>])> {
        let cause = Cause::of(self.command());
        indexed(self.facts.len(), move |index| {
            (
                self.facts.fact(index, cause, at),
                self.facts.queued_of(index),
            )
        })
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

    /// The given events, in order, the history's entry being `at`.
    pub fn facts(&self, at: At) -> impl ExactSizeIterator<Item = FactRef<'_, C, E, R>> {
        self.facts.facts_of(Cause::given(self.command_id), at)
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

    /// Its facts, if it recorded any: read without its cause (a step's cause is read from
    /// its command, which every read would otherwise check is there).
    #[inline]
    fn facts_batch(&self) -> Option<&Batch<C, E, R>> {
        match self {
            JournalEntry::Step(step) => Some(&step.facts),
            JournalEntry::Given(given) => Some(&given.facts),
            JournalEntry::Submitted(_) => None,
        }
    }

    fn batch(&self) -> Option<(&Batch<C, E, R>, Cause)> {
        match self {
            JournalEntry::Step(step) => Some((&step.facts, Cause::of(step.command()))),
            JournalEntry::Given(given) => Some((&given.facts, Cause::given(given.command_id))),
            JournalEntry::Submitted(_) => None,
        }
    }

    /// The facts this entry recorded, in order, the entry being `at`.
    pub fn facts(&self, at: At) -> impl ExactSizeIterator<Item = FactRef<'_, C, E, R>> {
        let batch = self.batch();
        let len = batch.map_or(0, |(b, _)| b.len());
        (0..len).map(move |index| {
            let (batch, cause) = batch.expect("an entry with facts has a batch");
            batch.fact(index, cause, at)
        })
    }

    /// How many facts this entry recorded.
    #[inline]
    pub fn fact_count(&self) -> usize {
        self.facts_batch().map_or(0, Batch::len)
    }

    /// The events this entry recorded, each with its stream version, in order.
    pub fn events(&self) -> impl Iterator<Item = (&E, u64)> {
        let parts = self.facts_batch().map(Batch::event_parts);
        events_of(parts.unwrap_or((None, &[])))
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
        self.facts_batch().and_then(|b| b.stream_id.as_ref())
    }

    /// Keeps no id of its first fact if its place, `at`, gives it: an entry read from a
    /// journal's forms, loaded by an engine whose ids drew its facts', is kept as that
    /// engine recorded it.
    pub(crate) fn give_first_id(&mut self, at: At) {
        match self {
            JournalEntry::Step(step) => step.facts.give_first_id(at),
            JournalEntry::Given(given) => given.facts.give_first_id(at),
            JournalEntry::Submitted(_) => {}
        }
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
/// batch ([`JournalEntry::from_read`]): what [`ReadEntry`]'s `Deserialize` reads, under
/// the same names, so that a reader of the form alone (the boundary's, which reads it with
/// every message left as JSON) fails where and as that one does.
#[derive(Deserialize)]
#[serde(rename = "JournalEntry", rename_all = "snake_case")]
pub(crate) enum EntryIn<C, E, R> {
    /// A user command was queued.
    Submitted(SharedCommand<C>),
    /// A step.
    Step(StepIn<C, E, R>),
    /// Given history.
    Given(Vec<RecordedFact<C, E, R>>),
}

impl<C, E, R> JournalEntry<C, E, R> {
    /// The entry `entry` says, its facts checked and laid out, with the place they name;
    /// why not (a step's or a given history's facts that do not make one batch), to be
    /// reported at the step or history (`$.step`, `$.given`).
    pub(crate) fn from_read(entry: EntryIn<C, E, R>) -> Result<ReadEntry<C, E, R>, String> {
        Ok(match entry {
            EntryIn::Submitted(envelope) => JournalEntry::Submitted(envelope).into(),
            EntryIn::Step(step) => {
                let (step, at) = StepRecord::from_read(step)?;
                ReadEntry {
                    entry: JournalEntry::Step(Box::new(step)),
                    at,
                }
            }
            EntryIn::Given(facts) => {
                let (given, at) = GivenRecord::from_read(facts)?;
                ReadEntry {
                    entry: JournalEntry::Given(Box::new(given)),
                    at,
                }
            }
        })
    }
}

impl<C, E, R> StepRecord<C, E, R> {
    /// The step `step` says, its facts checked and laid out, and the place they name.
    fn from_read(step: StepIn<C, E, R>) -> Result<(Self, Option<Named>), String> {
        let cause = Cause::of(&step.command);
        let (facts, at) = Batch::read(step.facts, |_| cause)?;
        let record = StepRecord::new(step.step, step.command, facts, step.failure, step.injected);
        Ok((record, at))
    }
}

impl<C, E, R> GivenRecord<C, E, R> {
    /// The history `facts` say, checked and laid out, and the place they name.
    fn from_read(facts: Vec<RecordedFact<C, E, R>>) -> Result<(Self, Option<Named>), String> {
        let mut command_id = Id(0);
        let facts = facts.into_iter().map(|fact| RecordedIn {
            fact,
            queued: Box::default(),
        });
        let facts = facts.collect();
        let (facts, at) = Batch::read(facts, |first| {
            command_id = first.command_id;
            Cause::given(command_id)
        })?;
        Ok((GivenRecord::new(command_id, facts), at))
    }
}

/// A journal entry as read from one of its forms (JSON, stored, packed), with the place
/// its facts name: the entry keeps no place of its own, so the engine that loads it
/// checks this one against where it lands ([`crate::Engine::from_journal`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadEntry<C, E, R> {
    /// The entry.
    pub entry: JournalEntry<C, E, R>,
    /// The time and first position its facts name (`None` when it has no fact).
    pub at: Option<Named>,
}

/// An entry that names no place (an engine's own, handed over typed): nothing to check. Its
/// first fact's id, if it keeps none, is read from the loading engine's ids, which must be
/// those of the engine that recorded it ([`crate::Engine::from_journal`]).
impl<C, E, R> From<JournalEntry<C, E, R>> for ReadEntry<C, E, R> {
    fn from(entry: JournalEntry<C, E, R>) -> Self {
        ReadEntry { entry, at: None }
    }
}

impl<'de, C, E, R> Deserialize<'de> for ReadEntry<C, E, R>
where
    C: Deserialize<'de>,
    E: Deserialize<'de>,
    R: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entry = EntryIn::<C, E, R>::deserialize(deserializer)?;
        JournalEntry::from_read(entry).map_err(D::Error::custom)
    }
}

/// A journal record (an entry, a step, a given history) with its entry's place: what its
/// JSON form is written from, every fact naming its time and position. It reads as the
/// record it holds.
#[derive(Debug, PartialEq, Eq)]
pub struct Placed<'a, T> {
    /// The place of the record's entry.
    pub at: At,
    /// The record.
    pub record: &'a T,
}

impl<T> Clone for Placed<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Placed<'_, T> {}

impl<T> std::ops::Deref for Placed<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.record
    }
}

impl<'a, C, E, R> Placed<'a, StepRecord<C, E, R>> {
    /// The step's events, or its rejection, in order.
    pub fn facts(&self) -> impl ExactSizeIterator<Item = FactRef<'a, C, E, R>> {
        self.record.facts(self.at)
    }
}

/// A run of consecutive entries of a journal, with the place of its first: each entry's
/// place follows from the one before ([`At::after`]). Its JSON form is the entries' JSON
/// form, an array.
#[derive(Debug)]
pub struct Run<'a, C, E, R> {
    start: At,
    entries: Span<'a, JournalEntry<C, E, R>>,
}

impl<C, E, R> Clone for Run<'_, C, E, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C, E, R> Copy for Run<'_, C, E, R> {}

impl<'a, C, E, R> Run<'a, C, E, R> {
    /// The run `entries` (a slice, or an engine's [`Span`] of them), the first of them at
    /// `start`.
    pub fn new(start: At, entries: impl Into<Span<'a, JournalEntry<C, E, R>>>) -> Self {
        let entries = entries.into();
        Run { start, entries }
    }

    /// A whole journal, whose facts draw `ids`: its first entry at time 0, position 0.
    pub fn whole(entries: impl Into<Span<'a, JournalEntry<C, E, R>>>, ids: SeededIds) -> Self {
        Run::new(At::start(ids), entries)
    }

    /// The entries.
    pub fn entries(self) -> Span<'a, JournalEntry<C, E, R>> {
        self.entries
    }

    /// Each entry with its place, in order.
    pub fn iter(self) -> impl Iterator<Item = Placed<'a, JournalEntry<C, E, R>>> {
        self.entries.iter().scan(self.start, |next, record| {
            let at = *next;
            *next = at.after(record);
            Some(Placed { at, record })
        })
    }

    /// Every fact of the run, in order.
    pub fn facts(self) -> impl Iterator<Item = FactRef<'a, C, E, R>> {
        self.iter().flat_map(|entry| entry.record.facts(entry.at))
    }
}

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for Run<'_, C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for Placed<'_, JournalEntry<C, E, R>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // As `#[derive(Serialize)]` with `rename_all = "snake_case"` writes the enum.
        let at = self.at;
        match self.record {
            JournalEntry::Submitted(envelope) => {
                serializer.serialize_newtype_variant("JournalEntry", 0, "submitted", envelope)
            }
            JournalEntry::Step(step) => {
                let record = &**step;
                serializer.serialize_newtype_variant(
                    "JournalEntry",
                    1,
                    "step",
                    &Placed { at, record },
                )
            }
            JournalEntry::Given(given) => {
                let record = &**given;
                serializer.serialize_newtype_variant(
                    "JournalEntry",
                    2,
                    "given",
                    &Placed { at, record },
                )
            }
        }
    }
}

/// The facts of a step, written as a sequence of [`RecordedOut`].
struct StepFacts<'a, C, E, R>(Placed<'a, StepRecord<C, E, R>>);

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for StepFacts<'_, C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .record
                .recorded(self.0.at)
                .map(|(fact, queued)| RecordedOut { fact, queued }),
        )
    }
}

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for Placed<'_, StepRecord<C, E, R>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let step = self.record;
        let injected = step.injected();
        let mut out = serializer.serialize_struct("StepRecord", 4 + usize::from(injected))?;
        out.serialize_field("step", &step.step())?;
        out.serialize_field("command", step.command())?;
        out.serialize_field("facts", &StepFacts(*self))?;
        out.serialize_field("failure", &step.failure())?;
        if injected {
            out.serialize_field("injected", &injected)?;
        }
        out.end()
    }
}

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for Placed<'_, GivenRecord<C, E, R>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.record.facts(self.at))
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

    /// The place of entry `time`, whose first fact is at `position`, in a journal of seed 0.
    fn place(time: u64, position: u64) -> At {
        At {
            time,
            position,
            ids: SeededIds::new(0),
        }
    }

    /// The batch an engine records at `at`: each fact's id its place's, and its reactions.
    fn recorded<const N: usize>(
        stream: &StreamId,
        at: At,
        facts: [Recorded<(), String, ()>; N],
    ) -> Batch<(), String, ()> {
        let queued: Vec<_> = facts.iter().map(|fact| fact.queued.clone()).collect();
        let mut batch = Batch::recorded(stream, at, facts.map(|fact| fact.kind));
        for (index, queued) in queued.into_iter().enumerate() {
            if !queued.is_empty() {
                batch.set_queued(index, queued);
            }
        }
        batch
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
            assert_eq!(kept.get(version, &None), kind.borrowed());
        }
    }

    #[test]
    fn a_refusal_of_the_step_s_own_command_keeps_its_reason_alone_and_reads_as_one_named_apart() {
        use crate::envelope::Origin;
        let command = |id: u64, command: u32| {
            SharedCommand::new(CommandEnvelope {
                command_id: Id(id),
                correlation_id: Id(id),
                causation_id: Id(id),
                time: 0,
                origin: Origin::User,
                compensation: false,
                depth: 0,
                command,
            })
        };
        let stream: StreamId = "s".into();
        let at = place(3, 7);
        let refused: Batch<u32, String, String> =
            Batch::refused(&stream, &command(1, 42), "no".into());
        let Some(Kept::Rejected(Rejection::Refused(_))) = &refused.first else {
            panic!("the reason alone");
        };
        let record = StepRecord::new(4, command(1, 42), refused, None, false);
        let fact = record.facts(at).next().expect("one fact");
        assert_eq!(
            fact.kind,
            FactKindRef::Rejected {
                command: &42,
                reason: &"no".to_string()
            },
            "the step's own command"
        );
        // The same refusal read from its JSON form keeps the command apart, and equals it.
        let json = serde_json::to_string(&Placed {
            at,
            record: &record,
        })
        .expect("JSON");
        let mut back: ReadEntry<u32, String, String> =
            serde_json::from_str(&format!("{{\"step\":{json}}}")).expect("reads back");
        back.entry.give_first_id(at);
        assert_eq!(back.entry, JournalEntry::Step(Box::new(record.clone())));
        // A refusal of another command, as a journal may name one, is not equal to it.
        let other = json.replacen("\"command\":42", "\"command\":43", 2);
        let other = other.replacen("\"command\":43", "\"command\":42", 1);
        assert_ne!(other, json, "the fact's command changed");
        let mut other: ReadEntry<u32, String, String> =
            serde_json::from_str(&format!("{{\"step\":{other}}}")).expect("reads");
        other.entry.give_first_id(at);
        assert_ne!(other.entry, JournalEntry::Step(Box::new(record)));
    }

    #[test]
    fn a_batch_keeps_one_reaction_inline_and_anything_more_in_one_box() {
        let stream: StreamId = "s".into();
        let at = place(3, 7);
        let mut one = recorded(&stream, at, [event(1)]);
        one.set_queued(0, vec![command(1)]);
        assert!(one.reaction.is_some() && one.more.is_none());
        assert_eq!(ids(one.queued_parts().0), [1]);
        one.set_queued(0, vec![command(1), command(2)]);
        assert!(one.reaction.is_none());
        assert_eq!(ids(one.queued_parts().0), [1, 2]);
        one.set_queued(0, Vec::new());
        assert_eq!(one, recorded(&stream, at, [event(1)]), "back to one layout");

        let mut two = recorded(&stream, at, [event(1), event(2)]);
        two.set_queued(1, vec![command(3)]);
        two.set_queued(0, vec![command(4)]);
        let queued: Vec<Vec<u64>> = (0..two.len())
            .map(|index| ids(two.queued_of(index)))
            .collect();
        assert_eq!(queued, [vec![4], vec![3]]);
        let mut first = event(1);
        first.queued = vec![command(4)].into_boxed_slice();
        let mut second = event(2);
        second.queued = vec![command(3)].into_boxed_slice();
        assert_eq!(two, recorded(&stream, at, [first, second]));
    }

    /// A step's JSON read back: the step and the place its facts name.
    fn read_back(record: &StepRecord<(), String, ()>, at: At) -> ReadEntry<(), String, ()> {
        let json = serde_json::to_string(&Placed { at, record }).expect("a step is JSON");
        let json = format!("{{\"step\":{json}}}");
        serde_json::from_str(&json).expect("its JSON reads back")
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
            let at = place(time, position);
            let first = Recorded {
                id: Id(1),
                kind: FactKind::Event {
                    stream_version: version,
                    event: "e1".to_string(),
                },
                queued: Box::default(),
            };
            let batch = Batch::new(&stream, None, [first, event(2)]);
            let record = StepRecord::new(step, command(1), batch, None, injected);
            assert_eq!(record.step(), step);
            assert_eq!(record.injected(), injected);
            let facts: Vec<(u64, u64, Option<u64>)> = record
                .facts(at)
                .map(|f| (f.time, f.position, version_of(f.kind)))
                .collect();
            assert_eq!(
                facts,
                [
                    (time, position, Some(version)),
                    (time, position + 1, Some(2))
                ]
            );
            let narrow = [step, version].iter().all(|&n| n < wide);
            assert_eq!(
                record.facts.rare().and_then(|rare| rare.wide).is_none(),
                narrow,
                "only what does not fit is kept whole (the place is not kept)"
            );
            let back = read_back(&record, at);
            assert_eq!(back.entry, JournalEntry::Step(Box::new(record)));
            assert_eq!(
                back.at,
                Some(Named { time, position }),
                "the place its facts name"
            );
        }
    }

    #[test]
    fn a_batch_takes_no_word_for_its_first_fact_s_version_nor_its_id() {
        use std::mem::size_of;
        let word = size_of::<usize>();
        let fields =
            size_of::<Option<StreamId>>() + size_of::<Stamp>() + size_of::<String>() + 3 * word;
        assert_eq!(size_of::<Stamp>(), 8, "its place is not kept");
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
        let at = place(3, 7);
        let two = || recorded(&stream, at, [event(1), event(2)]);
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
        let facts: Vec<u64> = failed.facts(at).map(|f| f.position).collect();
        assert_eq!(facts, [7, 8]);
        let mut back = read_back(&failed, at);
        back.entry.give_first_id(at);
        assert_eq!(back.entry, JournalEntry::Step(Box::new(failed)));
        let named = Named {
            time: 3,
            position: 7,
        };
        assert_eq!(back.at, Some(named));
    }

    #[test]
    fn a_step_of_one_fact_and_one_reaction_keeps_it_all_inline() {
        let stream: StreamId = "s".into();
        let at = place(3, 7);
        let mut batch = recorded(&stream, at, [event(1)]);
        batch.set_queued(0, vec![command(2)]);
        let record = StepRecord::new(4, command(1), batch, None, false);
        assert!(record.facts.more.is_none(), "nothing boxed");
        let fact = record.facts(at).next().expect("one fact");
        assert_eq!((fact.time, fact.position), (3, 7));
        assert_eq!(fact.id, SeededIds::new(0).fact(7), "its id its place's");
        assert_eq!(version_of(fact.kind), Some(1));
        assert_eq!(record.step(), 4);
    }

    #[test]
    fn a_batch_keeps_its_first_fact_inline_and_an_empty_one_is_the_empty_batch() {
        let stream: StreamId = "s".into();
        let at = place(3, 7);
        let one = recorded(&stream, at, [event(1)]);
        assert!(one.first.is_some() && one.more.is_none());
        let two = recorded(&stream, at, [event(1), event(2)]);
        let cause = Cause::given(Id(9));
        let positions: Vec<u64> = two.facts_of(cause, at).map(|f| f.position).collect();
        assert_eq!(positions, [7, 8]);
        let second = two.fact(1, cause, at);
        assert_eq!(second.event().map(String::as_str), Some("e2"));
        assert_eq!((second.time, second.position), (3, 8));
        let events: Vec<(&str, u64)> = two.events().map(|(e, v)| (e.as_str(), v)).collect();
        assert_eq!(events, [("e1", 1), ("e2", 2)]);
        // What a decider that decided no event records equals what its JSON reads back.
        assert_eq!(
            Batch::new(&stream, None, []),
            Batch::<(), String, ()>::empty()
        );
    }

    #[test]
    fn a_first_fact_s_id_its_place_does_not_give_is_kept_apart_until_a_place_gives_it() {
        let stream: StreamId = "s".into();
        let at = place(3, 7);
        let given = at.fact_id(0);
        // Read from a journal's forms (no place), or recorded at a place whose ids give
        // another: kept apart, and read as kept.
        for (place, id) in [(None, given), (Some(at), Id(1))] {
            let mut first = event(1);
            first.id = id;
            let mut second = event(2);
            second.id = at.fact_id(1);
            let mut batch = Batch::new(&stream, place, [first, second]);
            assert_eq!(batch.rare().and_then(|rare| rare.id), Some(id));
            let facts: Vec<Id> = batch
                .facts_of(Cause::given(Id(9)), at)
                .map(|f| f.id)
                .collect();
            assert_eq!(facts, [id, at.fact_id(1)], "each fact reads its own id");
            assert_ne!(batch, recorded(&stream, at, [event(1), event(2)]));
            // A place whose ids give it: kept as that place's batch is, nothing rare.
            batch.give_first_id(at);
            let kept = batch.rare().and_then(|rare| rare.id);
            assert_eq!(
                kept,
                (id != given).then_some(id),
                "only the id the place gives goes"
            );
            if id == given {
                assert_eq!(batch, recorded(&stream, at, [event(1), event(2)]));
                assert!(batch.rare().is_none(), "nothing rare is left");
            }
        }
        // One fact: given its id, the batch takes no box at all.
        let one = Batch::new(&stream, None, [event(1)]);
        assert!(one.more.is_some(), "the id kept apart takes `more`");
        let mut first = event(1);
        first.id = given;
        let mut one = Batch::new(&stream, None, [first]);
        one.give_first_id(at);
        assert!(one.more.is_none(), "{one:?}");
        assert_eq!(one.fact(0, Cause::given(Id(9)), at).id, given);
    }
}
