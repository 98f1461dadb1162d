//! [`Streams`]: every stream's folded state, by ordinal, found through a hash table of
//! ordinals and written in place.
//!
//! The live engine decides every command on the state of its stream and folds the events
//! back into it: one hash lookup and an in-place update. Time travel needs the states as
//! they were at each checkpoint; the timeline keeps its own persistent copy of them
//! ([`crate::time_travel::Timeline`]), updated at each checkpoint from the streams written
//! since the last one, which the map notes (by ordinal) as they are written, so a
//! checkpoint costs what changed and the hot path walks no persistent structure.
//!
//! The streams (each an id and a shared state, two words) are kept by ordinal, the order
//! of their first facts, in a vector that grows by an eighth; the hash table holds
//! only each stream's ordinal (4 bytes a bucket, at most 7/8 full, where a bucket of the
//! id and the state took 24), found by the hash each id keeps in its allocation: when the
//! table grows, it reads no stream's text again.
//!
//! A whole state restored from a checkpoint ([`crate::time_travel::Timeline::at_position`])
//! owns no copy of every stream: it shares the checkpoint's streams (`HeldStreams`) and
//! the live map's table of ordinals (valid for any prefix of the streams: a restore's
//! ordinals are the live map's, and a lookup compares the id at the ordinal it finds), and
//! keeps in a table of its own only the streams written since the checkpoint (a stream
//! not written again before the next checkpoint, or the head, shares that base's state).
//! Making and dropping it costs what changed, not the number of streams. The live map asks
//! whether it is a restored one only when a lookup misses (a restored map's own vector of
//! streams is empty), and a restore folds its entries through the restored map's own type
//! (`RestoredFold`), so the live engine's lookups and folds of its streams pay no check.

mod restored;

use crate::checkpoint::HeldStreams;
use crate::decider::Decider;
use crate::growth;
use crate::ids::{FastHash, StreamId};
use crate::projection::StreamState;
use restored::Restored;
use std::fmt;
use std::hash::BuildHasher;

/// A stream's state as the live map and the checkpoints share it: `triomphe`'s `Arc`,
/// which keeps no weak count (no one holds a state weakly), a word less a state.
pub(crate) type SharedState<S> = triomphe::Arc<StreamState<S>>;

/// Every stream that has a fact, with its state and version.
///
/// Each state is shared (a `SharedState`: `triomphe`'s `Arc`) with the time-travel
/// checkpoints that hold it: a write after a checkpoint copies that one stream's state,
/// never the states next to it, and only when the checkpoint still holds it.
pub struct Streams<S> {
    /// Each stream's ordinal (its place in `streams`), by its id's
    /// [`StreamId::fast_hash`]: shared with the whole states restored while it holds no
    /// more streams (a stream put in copies it if one still shares it). It may hold
    /// ordinals beyond the map's streams, or whose stream is another: a lookup compares
    /// the id at an ordinal it finds, so such an entry is passed over.
    ordinals: triomphe::Arc<hashbrown::HashTable<u32>>,
    /// Every stream's id (the stream's first, shared by its facts) and state, by ordinal:
    /// grown by an eighth once it holds [`GROWN_BY_AN_EIGHTH_FROM`], so at most an eighth
    /// of it is unused (doubling left up to half).
    streams: Vec<Stream<S>>,
    /// One bit a stream, by ordinal: whether it was written since the last
    /// [`Streams::take_written`] (so is in `written` already).
    marked: Vec<u64>,
    /// The ordinals of the streams written since the last [`Streams::take_written`], each
    /// once.
    written: Vec<u32>,
    /// How many streams there were at the last [`Streams::take_written`]: the streams in
    /// `written` beyond the ones created since were there before it.
    taken: u32,
    /// A whole state restored from a checkpoint: the streams are these (and `streams`,
    /// `marked` and `written` are empty), looked up through `ordinals`, the live map's.
    /// Asked only when a stream is not found in `streams` (always, in a restored map),
    /// so that the live map's lookups, writes and folds of the streams it holds pay no
    /// check for it. Made owned ([`Streams::own_every_stream`]) before a write of the
    /// live engine's kind.
    restored: Option<Box<Restored<S>>>,
}

/// How many streams [`Streams`] holds before its vector of streams grows by an eighth
/// (below, it doubles): 256 KB of streams natively. Each growth by an eighth copies the
/// vector, about nine copies of each stream where doubling makes two: from a quarter of
/// a million bytes on, the bytes a doubling leaves unused weigh more.
const GROWN_BY_AN_EIGHTH_FROM: usize = 1 << 14;

/// One stream in [`Streams`]: its id and state.
#[derive(Clone)]
pub(crate) struct Stream<S> {
    id: StreamId,
    state: SharedState<S>,
}

/// The streams of a [`Streams`] being freed ([`Streams::into_drain`]).
pub(crate) type StreamsDrain<S> = std::vec::IntoIter<Stream<S>>;

/// A stream written since the last checkpoint: its ordinal and state, as
/// [`Streams::take_written`] hands them to the timeline.
pub(crate) struct Written<'a, S> {
    /// The stream's ordinal: how many streams had a fact before it.
    pub ordinal: u32,
    /// Its state now.
    pub state: &'a SharedState<S>,
}

impl<S> Default for Streams<S> {
    fn default() -> Self {
        Streams {
            ordinals: triomphe::Arc::new(hashbrown::HashTable::new()),
            streams: Vec::new(),
            marked: Vec::new(),
            written: Vec::new(),
            taken: 0,
            restored: None,
        }
    }
}

impl<S: Clone> Clone for Streams<S> {
    /// A copy of every stream (the states themselves are shared): in time linear in the
    /// number of streams (of those written since its checkpoint for a restored map).
    fn clone(&self) -> Self {
        Streams {
            ordinals: triomphe::Arc::clone(&self.ordinals),
            streams: self.streams.clone(),
            marked: self.marked.clone(),
            written: self.written.clone(),
            taken: self.taken,
            restored: self.restored.clone(),
        }
    }
}

impl<S: PartialEq> PartialEq for Streams<S> {
    /// The same streams with the same states and versions.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(id, s)| other.get(id) == Some(s))
    }
}

impl<S: fmt::Debug> fmt::Debug for Streams<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<S> std::ops::Index<&StreamId> for Streams<S> {
    type Output = StreamState<S>;

    /// The state of `stream`; panics if it has no fact (use [`Streams::get`] otherwise).
    fn index(&self, stream: &StreamId) -> &StreamState<S> {
        self.get(stream).expect("a stream with a fact")
    }
}

impl<S> Streams<S> {
    /// An empty map with room for `streams` streams.
    pub(crate) fn with_capacity(streams: usize) -> Self {
        Streams {
            ordinals: triomphe::Arc::new(hashbrown::HashTable::with_capacity(streams)),
            streams: Vec::with_capacity(streams),
            ..Streams::default()
        }
    }

    /// The whole map at a checkpoint that holds `held`, sharing them, and the table of
    /// ordinals of `live`, the live map of the same journal (which holds every stream
    /// the checkpoint holds, by the same ordinal): a restore's map, made and dropped
    /// without a walk of the streams. As if all were written before the last
    /// [`Streams::take_written`].
    pub(crate) fn restored(live: &Streams<S>, held: HeldStreams<S>) -> Self {
        Streams {
            ordinals: triomphe::Arc::clone(&live.ordinals),
            streams: Vec::new(),
            marked: Vec::new(),
            written: Vec::new(),
            taken: 0,
            restored: Some(Box::new(Restored::new(held))),
        }
    }

    /// Makes a restored map owned ([`Streams::own_every_stream`]), for a write of the
    /// live engine's kind ([`Streams::entry`], [`Streams::take_written`]), which a
    /// restored map never meets in the engine.
    #[inline]
    fn make_owned(&mut self) {
        if self.restored.is_some() {
            self.own_every_stream();
        }
    }

    /// A restored map made owned: each stream put in by ordinal (its id and state
    /// shared), in time linear in the number of streams; the table of ordinals kept.
    #[cold]
    #[inline(never)]
    fn own_every_stream(&mut self) {
        let Some(restored) = self.restored.take() else {
            return;
        };
        self.streams = restored
            .iter()
            .map(|(id, state)| Stream {
                id: id.clone(),
                state: SharedState::clone(state),
            })
            .collect();
        self.marked = vec![0; self.streams.len().div_ceil(64)];
        self.taken = u32::try_from(self.streams.len()).unwrap_or(u32::MAX);
    }

    /// The stream with `ordinal`, if there is one.
    #[inline]
    fn at(&self, ordinal: u32) -> Option<&Stream<S>> {
        self.streams.get(ordinal as usize)
    }

    /// The state of the stream with `ordinal` as the map shares it, in an owned map (the
    /// live one), if it holds that stream.
    pub(crate) fn shared_at(&self, ordinal: u32) -> Option<&SharedState<S>> {
        self.at(ordinal).map(|s| &s.state)
    }

    /// The ordinal of the stream with `hash` that `is` tells apart, in an owned map
    /// ([`Streams::ordinal`] looks a restored one up too).
    #[inline]
    fn find_ordinal(&self, hash: u64, mut is: impl FnMut(&StreamId) -> bool) -> Option<u32> {
        let streams = &self.streams;
        let found = self.ordinals.find(hash, |&ordinal| {
            streams.get(ordinal as usize).is_some_and(|s| is(&s.id))
        });
        found.copied()
    }

    /// The ordinal of `stream` (how many streams had a fact before it), if it has a fact.
    /// (In a map restored for a few streams, their place in it.)
    #[inline]
    pub(crate) fn ordinal(&self, stream: &StreamId) -> Option<u32> {
        let found = self.find_ordinal(stream.fast_hash(), |known| known == stream);
        // A restored map's own vector of streams is empty: it is asked only on a miss,
        // so that the live map's found stream pays no check for it.
        match (found, &self.restored) {
            (None, Some(restored)) => Self::restored_ordinal(restored, &self.ordinals, stream),
            _ => found,
        }
    }

    /// [`Streams::ordinal`] in a restored map: out of line, so that the live map's lookup
    /// (every command's, every rebuilt entry's) stays small enough to be inlined.
    #[inline(never)]
    fn restored_ordinal(
        restored: &Restored<S>,
        ordinals: &hashbrown::HashTable<u32>,
        stream: &StreamId,
    ) -> Option<u32> {
        restored.find_ordinal(ordinals, stream.fast_hash(), |known| known == stream)
    }

    /// The state and version of `stream`, if it has a fact.
    #[inline]
    pub fn get(&self, stream: &StreamId) -> Option<&StreamState<S>> {
        match self.find_ordinal(stream.fast_hash(), |known| known == stream) {
            Some(ordinal) => self.at(ordinal).map(|s| &*s.state),
            // A restored map is asked only on a miss (as in [`Streams::ordinal`]).
            None => Self::restored_get(self.restored.as_deref()?, &self.ordinals, stream),
        }
    }

    /// [`Streams::get`] in a restored map, out of line (as [`Streams::restored_ordinal`]).
    #[inline(never)]
    fn restored_get<'a>(
        restored: &'a Restored<S>,
        ordinals: &hashbrown::HashTable<u32>,
        stream: &StreamId,
    ) -> Option<&'a StreamState<S>> {
        let ordinal = Self::restored_ordinal(restored, ordinals, stream)?;
        restored.state(ordinal).map(|s| &**s)
    }

    /// Whether `stream` has a fact.
    pub fn contains_key(&self, stream: &StreamId) -> bool {
        self.ordinal(stream).is_some()
    }

    /// The number of streams.
    pub fn len(&self) -> usize {
        match &self.restored {
            Some(restored) => restored.len(),
            None => self.streams.len(),
        }
    }

    /// Whether no stream has a fact.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every stream's id, in the order of their first facts.
    pub fn keys(&self) -> impl Iterator<Item = &StreamId> {
        self.iter().map(|(id, _)| id)
    }

    /// Every stream's state, in the order of their first facts.
    pub fn values(&self) -> impl Iterator<Item = &StreamState<S>> {
        self.iter().map(|(_, state)| state)
    }

    /// Every stream with its state, in the order of their first facts.
    pub fn iter(&self) -> impl Iterator<Item = (&StreamId, &StreamState<S>)> {
        let (owned, restored) = match &self.restored {
            Some(restored) => (None, Some(restored.iter())),
            None => (Some(self.streams.iter().map(|s| (&s.id, &s.state))), None),
        };
        let streams = owned.into_iter().flatten();
        streams
            .chain(restored.into_iter().flatten())
            .map(|(id, state)| (id, &**state))
    }

    /// The ids of the streams from ordinal `from` on, in the order of their ordinals (a
    /// restored map made owned first).
    pub(crate) fn ids_from(&mut self, from: usize) -> impl Iterator<Item = &StreamId> {
        self.make_owned();
        let streams = self.streams.get(from..).unwrap_or_default();
        streams.iter().map(|s| &s.id)
    }

    /// Puts `stream` in with `state` shared (a state restored from a checkpoint), as
    /// written before the last [`Streams::take_written`]: after the streams already in
    /// (its ordinal the next one), or, if it is in already, as its new state.
    pub(crate) fn insert_shared(&mut self, stream: StreamId, state: SharedState<S>) {
        self.make_owned();
        let hash = stream.fast_hash();
        let ordinal = u32::try_from(self.streams.len()).unwrap_or(u32::MAX);
        let streams = &mut self.streams;
        let at = |ordinal: &u32| streams.get(*ordinal as usize).map(|s| &s.id);
        match own_table(&mut self.ordinals).entry(
            hash,
            |known| at(known) == Some(&stream),
            |known| at(known).map_or(0, StreamId::fast_hash),
        ) {
            hashbrown::hash_table::Entry::Occupied(known) => {
                let known = *known.get() as usize;
                if let Some(slot) = streams.get_mut(known) {
                    slot.state = state;
                }
            }
            hashbrown::hash_table::Entry::Vacant(vacant) => {
                vacant.insert(ordinal);
                growth::push_from(
                    streams,
                    Stream { id: stream, state },
                    GROWN_BY_AN_EIGHTH_FROM,
                );
                self.marked.resize(self.streams.len().div_ceil(64), 0);
            }
        }
    }

    /// How many of the streams written since the last [`Streams::take_written`] had a
    /// fact before it: each one's first write since copied the state a checkpoint holds.
    pub(crate) fn rewritten(&self) -> usize {
        if self.restored.is_some() {
            return 0;
        }
        let created = self.streams.len().saturating_sub(self.taken as usize);
        self.written.len().saturating_sub(created)
    }

    /// The states of the streams written since the last [`Streams::take_written`] that
    /// had a fact before it ([`Streams::rewritten`]), from the `from`th stream written
    /// since on, in the order written; and how many were written since in all (where the
    /// next call goes on from).
    pub(crate) fn rewritten_from(&self, from: usize) -> (impl Iterator<Item = &S>, usize) {
        let written = self.written.get(from..).unwrap_or_default();
        let states = written
            .iter()
            .filter(|&&ordinal| ordinal < self.taken)
            .filter_map(|&ordinal| Some(&self.streams.get(ordinal as usize)?.state.state));
        (states, self.written.len())
    }

    /// Counts every stream as written since the last [`Streams::take_written`].
    pub(crate) fn mark_all_written(&mut self) {
        self.make_owned();
        let len = u32::try_from(self.streams.len()).unwrap_or(u32::MAX);
        self.taken = 0;
        self.written.clear();
        self.marked.fill(0);
        for ordinal in 0..len {
            mark(&mut self.marked, &mut self.written, ordinal);
        }
    }

    /// The streams written since the last call, each once with its ordinal and state; the
    /// list starts again empty.
    pub(crate) fn take_written(&mut self) -> impl Iterator<Item = Written<'_, S>> {
        self.make_owned();
        self.taken = u32::try_from(self.streams.len()).unwrap_or(u32::MAX);
        self.marked.fill(0);
        let streams = &self.streams;
        self.written.drain(..).filter_map(move |ordinal| {
            let stream = streams.get(ordinal as usize)?;
            Some(Written {
                ordinal,
                state: &stream.state,
            })
        })
    }

    /// The streams, to be freed a few at a time, in one pass (the table of ordinals freed
    /// now, in one go).
    pub(crate) fn into_drain(mut self) -> StreamsDrain<S> {
        self.make_owned();
        self.streams.into_iter()
    }
}

/// The live map's table of ordinals to put a stream in: its own, copied first if a
/// restored map still shares it.
#[inline]
fn own_table(
    ordinals: &mut triomphe::Arc<hashbrown::HashTable<u32>>,
) -> &mut hashbrown::HashTable<u32> {
    if !ordinals.is_unique() {
        unshare_table(ordinals);
    }
    triomphe::Arc::make_mut(ordinals)
}

/// A copy of a table of ordinals a restored map shares, out of line: linear in the
/// number of streams, once after a restore whose state is kept while the live map puts a
/// stream in.
#[cold]
#[inline(never)]
fn unshare_table(ordinals: &mut triomphe::Arc<hashbrown::HashTable<u32>>) {
    *ordinals = triomphe::Arc::new(hashbrown::HashTable::clone(ordinals));
}

/// Notes the stream of `ordinal` as written since the last [`Streams::take_written`], once.
#[inline]
fn mark(marked: &mut [u64], written: &mut Vec<u32>, ordinal: u32) {
    let (word, bit) = (ordinal as usize / 64, 1u64 << (ordinal % 64));
    if let Some(word) = marked.get_mut(word) {
        if *word & bit == 0 {
            *word |= bit;
            written.push(ordinal);
        }
    }
}

impl<S: Clone> Streams<S> {
    /// The stream named `stream` to decide on and write: its id as the map holds it (the
    /// stream's first id, shared by all of its facts) and its state, or, if it has no
    /// fact yet, its hash, to [`Streams::create`] it with. Found by its text, so that a
    /// caller needs no [`StreamId`] of its own to look a stream up.
    pub(crate) fn entry(&mut self, stream: &str) -> Result<StreamEntry<'_, S>, Absent> {
        // The hash of the text is its id's ([`StreamId`] hashes as its text).
        let hash = FastHash.hash_one(stream);
        let mut found = self.find_ordinal(hash, |known| known.is(stream));
        // A restored map (whose own vector is empty) is made owned on a miss only, so
        // that the live map's found stream pays no check for it.
        if found.is_none() && self.restored.is_some() {
            self.own_every_stream();
            found = self.find_ordinal(hash, |known| known.is(stream));
        }
        self.entry_at(found, hash)
    }

    /// [`Streams::entry`] for a stream named by an id, which is most often a clone of
    /// the map's own (a journal's facts share it): found without reading the text then.
    fn entry_of(&mut self, stream: &StreamId) -> Result<StreamEntry<'_, S>, Absent> {
        self.find(stream.fast_hash(), |known| known == stream)
    }

    /// The stream with `hash` that `is` tells apart, or its absence.
    #[inline]
    fn find(
        &mut self,
        hash: u64,
        is: impl FnMut(&StreamId) -> bool,
    ) -> Result<StreamEntry<'_, S>, Absent> {
        let found = self.find_ordinal(hash, is);
        self.entry_at(found, hash)
    }

    /// The stream of ordinal `found`, or the absence of the stream with `hash`.
    #[inline]
    fn entry_at(&mut self, found: Option<u32>, hash: u64) -> Result<StreamEntry<'_, S>, Absent> {
        let Some((ordinal, stream)) =
            found.and_then(|o| Some((o, self.streams.get_mut(o as usize)?)))
        else {
            return Err(Absent { hash });
        };
        Ok(StreamEntry {
            id: &stream.id,
            state: &mut stream.state,
            ordinal,
            marked: &mut self.marked,
            written: &mut self.written,
        })
    }

    /// Folds `events`, each with its stream version, into `stream`, which has no fact
    /// yet ([`Streams::entry`] found it `absent`); nothing if there is no event.
    pub(crate) fn create<'e, D: Decider<State = S>>(
        &mut self,
        absent: Absent,
        stream: &StreamId,
        decider: &D,
        events: impl IntoIterator<Item = (&'e D::Event, u64)>,
    ) where
        D::Event: 'e,
    {
        let mut events = events.into_iter().peekable();
        if events.peek().is_none() {
            return;
        }
        let mut state = SharedState::new(StreamState {
            version: 0,
            state: decider.initial_state(),
        });
        fold_into(&mut state, decider, events);
        debug_assert!(self.restored.is_none(), "an owned map's absent stream");
        let ordinal = u32::try_from(self.streams.len()).unwrap_or(u32::MAX);
        let hash = absent.hash;
        // `absent` says the map holds no such stream: its ordinal is put in without a
        // search, by its hash, so that the table's growth never reads a text.
        debug_assert!(self.ordinal(stream).is_none(), "a stream found absent");
        stream.keep_hash(hash);
        let streams = &self.streams;
        own_table(&mut self.ordinals).insert_unique(hash, ordinal, |&known| {
            streams.get(known as usize).map_or(0, |s| s.id.fast_hash())
        });
        let stream = Stream {
            id: stream.clone(),
            state,
        };
        growth::push_from(&mut self.streams, stream, GROWN_BY_AN_EIGHTH_FROM);
        if self.marked.len() * 64 < self.streams.len() {
            self.marked.push(0);
        }
        mark(&mut self.marked, &mut self.written, ordinal);
    }

    /// Folds `event`, the `version`-th of `stream`; if `checked`, only if it is the
    /// stream's next version (else nothing changes, and the error is the stream's version).
    pub(crate) fn fold_event<D: Decider<State = S>>(
        &mut self,
        decider: &D,
        stream: &StreamId,
        event: &D::Event,
        version: u64,
        checked: bool,
    ) -> Result<(), u64> {
        match self.entry_of(stream) {
            Ok(mut entry) => {
                let current = entry.state().version;
                if checked && version != current + 1 {
                    return Err(current);
                }
                entry.fold(decider, [(event, version)]);
            }
            Err(absent) => {
                // A restored map's own vector is empty: it folds on a miss only, out of
                // line, so that the live map's fold pays no check for it (a restore
                // folds its bulk through [`Streams::restored_mut`]).
                if let Some(restored) = self.restored.as_deref_mut() {
                    let (ordinals, event) = (&mut self.ordinals, (event, version));
                    return restored_fold(restored, ordinals, decider, stream, event, checked);
                }
                if checked && version != 1 {
                    return Err(0);
                }
                self.create(absent, stream, decider, [(event, version)]);
            }
        }
        Ok(())
    }
}

/// [`Streams::fold_event`] in a restored map, out of line.
#[inline(never)]
fn restored_fold<S: Clone, D: Decider<State = S>>(
    restored: &mut Restored<S>,
    ordinals: &mut triomphe::Arc<hashbrown::HashTable<u32>>,
    decider: &D,
    stream: &StreamId,
    (event, version): (&D::Event, u64),
    checked: bool,
) -> Result<(), u64> {
    restored.fold_event(ordinals, decider, stream, event, version, checked)
}

impl<S: Clone> Streams<S> {
    /// The restored map to fold a restore's entries into, if this is one: its own type,
    /// so that the restore's loop asks once, not at every event.
    pub(crate) fn restored_mut(&mut self) -> Option<RestoredFold<'_, S>> {
        let restored = self.restored.as_deref_mut()?;
        Some(RestoredFold {
            restored,
            ordinals: &mut self.ordinals,
        })
    }
}

/// A restored [`Streams`] map, to fold the entries of a restore into
/// ([`Streams::restored_mut`]).
pub(crate) struct RestoredFold<'a, S> {
    restored: &'a mut Restored<S>,
    ordinals: &'a mut triomphe::Arc<hashbrown::HashTable<u32>>,
}

impl<S: Clone> RestoredFold<'_, S> {
    /// Folds `event`, the `version`-th of `stream`, of `ordinal` as the live map numbers
    /// it (one the map holds, or its next one), unchecked, without a lookup.
    #[inline]
    pub(crate) fn fold_at<D: Decider<State = S>>(
        &mut self,
        ordinal: u32,
        stream: &StreamId,
        decider: &D,
        event: &D::Event,
        version: u64,
    ) {
        (self.restored).fold_at(ordinal, stream, decider, event, version);
    }

    /// [`RestoredFold::fold_event`] out of line: for a stream a restore's caller did not
    /// expect (so that the restore's own loop keeps the fold inlined).
    pub(crate) fn fold_unexpected<D: Decider<State = S>>(
        &mut self,
        decider: &D,
        stream: &StreamId,
        event: &D::Event,
        version: u64,
    ) {
        let event = (event, version);
        let folded = restored_fold(self.restored, self.ordinals, decider, stream, event, false);
        debug_assert!(folded.is_ok(), "a fold that checks nothing does not fail");
    }

    /// Sets `stream`, of `ordinal` as the live map numbers it (one the map holds and has
    /// not written, or its next one), to `state`, shared: taken from a later base
    /// instead of folded.
    pub(crate) fn take(&mut self, ordinal: u32, stream: &StreamId, state: &SharedState<S>) {
        self.restored.take(ordinal, stream, state);
    }

    /// Folds `event`, the `version`-th of `stream`, unchecked (a fact of the journal the
    /// map was restored from).
    #[inline]
    pub(crate) fn fold_event<D: Decider<State = S>>(
        &mut self,
        decider: &D,
        stream: &StreamId,
        event: &D::Event,
        version: u64,
    ) {
        let folded =
            (self.restored).fold_event(self.ordinals, decider, stream, event, version, false);
        debug_assert!(folded.is_ok(), "a fold that checks nothing does not fail");
    }
}

/// A stream [`Streams::entry`] did not find: its hash, so that creating it does not
/// hash its id again.
pub(crate) struct Absent {
    hash: u64,
}

/// One stream of [`Streams`], found to be decided on and written ([`Streams::entry`]).
pub(crate) struct StreamEntry<'a, S> {
    id: &'a StreamId,
    state: &'a mut SharedState<S>,
    ordinal: u32,
    marked: &'a mut Vec<u64>,
    written: &'a mut Vec<u32>,
}

impl<'a, S: Clone> StreamEntry<'a, S> {
    /// The stream's id as the map holds it.
    pub(crate) fn id(&self) -> &'a StreamId {
        self.id
    }

    /// The stream's state and version.
    pub(crate) fn state(&self) -> &StreamState<S> {
        self.state
    }

    /// The stream's ordinal and its state as the map shares it, for the timeline to take
    /// its own copy before a write ([`crate::time_travel::Timeline::unshare`]).
    pub(crate) fn shared_state(&self) -> (u32, &SharedState<S>) {
        (self.ordinal, &*self.state)
    }

    /// Folds `events`, each with its stream version, into the stream: in place, or in a
    /// copy of its state if a checkpoint still shares it; nothing if there is no event.
    pub(crate) fn fold<'e, D: Decider<State = S>>(
        &mut self,
        decider: &D,
        events: impl IntoIterator<Item = (&'e D::Event, u64)>,
    ) where
        D::Event: 'e,
    {
        let mut events = events.into_iter().peekable();
        if events.peek().is_none() {
            return;
        }
        mark(self.marked, self.written, self.ordinal);
        fold_into(self.state, decider, events);
    }
}

/// Folds `events`, each with its stream version, into one stream's shared state: a copy
/// of the state only if a checkpoint still shares it. Always inlined (it is small; the
/// copy is out of line): as LLVM's choice it was a call of its own in a flow's step, and,
/// once the lookup before it compared two words, in the orders' step too (+74
/// instructions a command).
#[inline(always)]
fn fold_into<'e, D: Decider>(
    shared: &mut SharedState<D::State>,
    decider: &D,
    events: impl Iterator<Item = (&'e D::Event, u64)>,
) where
    D::Event: 'e,
{
    // The common case, a state no checkpoint shares, is found without the copy's
    // out-of-line call (`get_mut` is inlined).
    let entry = match SharedState::get_mut(shared) {
        Some(entry) => entry,
        None => copied(shared),
    };
    for (event, version) in events {
        let state = std::mem::replace(&mut entry.state, decider.initial_state());
        entry.state = decider.evolve(state, event);
        entry.version = version;
    }
}

/// The state's own copy of what a checkpoint shares ([`SharedState::make_mut`]), out of
/// line: `triomphe` inlines its `make_mut`, and a fold with the copy inline is no longer
/// inlined where it is called (a rebuild's fold 6.4 M instructions dearer a 300,000-entry
/// rebuild).
#[cold]
#[inline(never)]
fn copied<S: Clone>(shared: &mut SharedState<S>) -> &mut StreamState<S> {
    SharedState::make_mut(shared)
}

#[cfg(test)]
mod tests {
    use super::Streams;
    use crate::tests::domain::{added, Counter};
    use crate::StreamId;
    use triomphe::Arc;

    #[test]
    fn each_stream_written_since_the_last_take_is_handed_out_once_and_shared() {
        let mut streams = Streams::default();
        let (a, b): (StreamId, StreamId) = ("counter-1".into(), "counter-2".into());
        for (stream, version) in [(&a, 1), (&b, 1), (&a, 2)] {
            let folded = streams.fold_event(&Counter, stream, &added(1, 5), version, true);
            assert_eq!(folded, Ok(()));
        }
        let taken: Vec<_> = streams
            .take_written()
            .map(|w| (w.ordinal, Arc::clone(w.state)))
            .collect();
        let ordinals: Vec<u32> = taken.iter().map(|(ordinal, _)| *ordinal).collect();
        assert_eq!(ordinals, [0, 1]);
        assert!(streams.ids_from(1).eq([&b]), "by ordinal");
        assert_eq!(streams.take_written().count(), 0, "nothing written since");
        // A write after the take leaves the taken (shared) state as it was.
        assert_eq!(
            streams.fold_event(&Counter, &a, &added(1, 5), 2, true),
            Err(2)
        );
        assert_eq!(
            streams.fold_event(&Counter, &a, &added(1, 5), 3, true),
            Ok(())
        );
        assert_eq!((taken[0].1.version, taken[0].1.state), (2, 10));
        assert_eq!((streams[&a].version, streams[&a].state), (3, 15));
        let again: Vec<u32> = streams.take_written().map(|w| w.ordinal).collect();
        assert_eq!(again, [0]);
    }

    #[test]
    fn the_streams_iterate_in_the_order_of_their_first_facts_and_are_found_by_id() {
        // Through several growths of the table, and a restore's inserts of ids already
        // hashed (a stream put in twice keeps its place and takes the new state).
        let ids: Vec<StreamId> = (0..1000).map(|n| format!("order-{n}").into()).collect();
        let mut streams = Streams::default();
        for id in &ids {
            let folded = streams.fold_event(&Counter, id, &added(1, 1), 1, true);
            assert_eq!(folded, Ok(()));
        }
        assert!(streams.keys().eq(&ids));
        assert!(ids
            .iter()
            .enumerate()
            .all(|(n, id)| { streams.ordinal(&StreamId::from(id.as_str())) == Some(n as u32) }));
        assert_eq!(streams.get(&"order-1000".into()), None);
        let mut restored = Streams::with_capacity(10);
        for id in ids.iter().rev() {
            let state = Arc::new(streams[id].clone());
            restored.insert_shared(StreamId::from(id.as_str()), state);
        }
        let last = StreamId::from("order-999");
        let again = Arc::new(crate::StreamState {
            version: 2,
            state: 7,
        });
        restored.insert_shared(last.clone(), again);
        assert!(restored.keys().eq(ids.iter().rev()));
        assert_eq!(restored.ordinal(&last), Some(0));
        assert_eq!((restored[&last].version, restored[&last].state), (2, 7));
        restored.insert_shared(last, Arc::new(streams[&ids[999]].clone()));
        assert_eq!(restored, streams);
    }

    #[test]
    fn rewritten_counts_the_streams_written_since_the_last_take_that_had_a_fact_before_it() {
        let mut streams = Streams::default();
        let ids: Vec<StreamId> = (0..4).map(|n| format!("counter-{n}").into()).collect();
        let write = |streams: &mut Streams<i32>, n: usize, version| {
            let folded = streams.fold_event(&Counter, &ids[n], &added(1, 1), version, true);
            assert_eq!(folded, Ok(()));
        };
        write(&mut streams, 0, 1);
        write(&mut streams, 1, 1);
        write(&mut streams, 0, 2);
        assert_eq!(streams.rewritten(), 0, "both new since the (no) take");
        assert_eq!(streams.take_written().count(), 2);
        write(&mut streams, 2, 1);
        write(&mut streams, 0, 3);
        write(&mut streams, 0, 4);
        write(&mut streams, 2, 2);
        assert_eq!(streams.rewritten(), 1, "counter-0 once; counter-2 is new");
        write(&mut streams, 1, 2);
        assert_eq!(streams.rewritten(), 2);
        assert_eq!(streams.take_written().count(), 3);
        assert_eq!(streams.rewritten(), 0);
        // Every stream marked, then a new one written: all four handed out, each once.
        streams.mark_all_written();
        write(&mut streams, 0, 5);
        write(&mut streams, 3, 1);
        let taken: Vec<u32> = streams.take_written().map(|w| w.ordinal).collect();
        assert_eq!(taken, [0, 1, 2, 3]);
    }
}
