//! [`Streams`]: every stream's folded state, in a plain hash map written in place.
//!
//! The live engine decides every command on the state of its stream and folds the events
//! back into it: one hash lookup and an in-place update. Time travel needs the states as
//! they were at each checkpoint; the timeline keeps its own persistent copy of them
//! ([`crate::time_travel::Timeline`]), updated at each checkpoint from the streams written
//! since the last one, which the map notes as they are written, so a checkpoint costs what
//! changed and the hot path walks no persistent structure.
//!
//! The map is a [`hashbrown::HashTable`] of ids and slots, moved by the hash each id keeps
//! in its allocation: when it grows, it reads no stream's text again. It is the
//! table `hashbrown`'s map of the same ids would be (the same hashes, inserted in the same
//! order), so it iterates in the same order.

use crate::decider::Decider;
use crate::ids::{FastHash, StreamId};
use crate::projection::StreamState;
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
    /// Each stream's id (the stream's first, shared by its facts) and slot, by the id's
    /// [`StreamId::fast_hash`].
    slots: hashbrown::HashTable<(StreamId, Slot<S>)>,
    /// The streams written since the last [`Streams::take_written`], each once, with the
    /// hash the map keeps it by and the address of the map's own id ([`StreamId::addr`]):
    /// found again without reading the id's text, and noted without a count of the id.
    written: Vec<(u64, usize)>,
    /// How many times [`Streams::take_written`] was called: a slot whose `epoch` differs
    /// was not written since, so it is not in `written` yet.
    epoch: u32,
    /// How many streams there were at the last [`Streams::take_written`]: the streams in
    /// `written` beyond the ones created since were there before it. (A `u32`, as the
    /// ordinals are, fits beside `epoch`: every snapshot's projection holds a `Streams`.)
    taken: u32,
}

/// One stream in [`Streams`].
#[derive(Clone)]
pub(crate) struct Slot<S> {
    state: SharedState<S>,
    /// The stream's ordinal: the number of streams that had a fact before it.
    ordinal: u32,
    /// The [`Streams::epoch`] of the last write.
    epoch: u32,
}

/// The streams of a [`Streams`] being freed ([`Streams::into_drain`]).
pub(crate) type StreamsDrain<S> = hashbrown::hash_table::IntoIter<(StreamId, Slot<S>)>;

/// A stream written since the last checkpoint: its id, ordinal and state, as
/// [`Streams::take_written`] hands them to the timeline.
pub(crate) struct Written<'a, S> {
    /// The stream.
    pub id: &'a StreamId,
    /// The stream's ordinal: how many streams had a fact before it.
    pub ordinal: u32,
    /// Its state now.
    pub state: &'a SharedState<S>,
}

impl<S> Default for Streams<S> {
    fn default() -> Self {
        Streams {
            slots: hashbrown::HashTable::new(),
            written: Vec::new(),
            epoch: 0,
            taken: 0,
        }
    }
}

impl<S: Clone> Clone for Streams<S> {
    /// A copy of every slot (the states themselves are shared): in time linear in the
    /// number of streams.
    fn clone(&self) -> Self {
        Streams {
            slots: self.slots.clone(),
            written: self.written.clone(),
            epoch: self.epoch,
            taken: self.taken,
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
            slots: hashbrown::HashTable::with_capacity(streams),
            ..Streams::default()
        }
    }

    /// The slot of `stream`, if it has a fact.
    fn slot(&self, stream: &StreamId) -> Option<&Slot<S>> {
        let found = self
            .slots
            .find(stream.fast_hash(), |(known, _)| known == stream);
        found.map(|(_, slot)| slot)
    }

    /// The state and version of `stream`, if it has a fact.
    pub fn get(&self, stream: &StreamId) -> Option<&StreamState<S>> {
        self.slot(stream).map(|slot| &*slot.state)
    }

    /// The ordinal of `stream` (how many streams had a fact before it), if it has a fact.
    pub(crate) fn ordinal(&self, stream: &StreamId) -> Option<u32> {
        self.slot(stream).map(|slot| slot.ordinal)
    }

    /// Whether `stream` has a fact.
    pub fn contains_key(&self, stream: &StreamId) -> bool {
        self.slot(stream).is_some()
    }

    /// The number of streams.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no stream has a fact.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Every stream's id, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &StreamId> {
        self.slots.iter().map(|(id, _)| id)
    }

    /// Every stream's state, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &StreamState<S>> {
        self.slots.iter().map(|(_, slot)| &*slot.state)
    }

    /// Every stream with its state, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&StreamId, &StreamState<S>)> {
        self.slots.iter().map(|(id, slot)| (id, &*slot.state))
    }

    /// Puts `stream` in with `state` shared (a state restored from a checkpoint), as
    /// written before the last [`Streams::take_written`].
    pub(crate) fn insert_shared(&mut self, stream: StreamId, ordinal: u32, state: SharedState<S>) {
        let slot = Slot {
            state,
            ordinal,
            epoch: self.epoch.wrapping_sub(1),
        };
        // As a map's `insert`: a stream already in keeps its id and takes the new slot.
        let hash = stream.fast_hash();
        match self.slots.entry(
            hash,
            |(known, _)| *known == stream,
            |(id, _)| id.fast_hash(),
        ) {
            hashbrown::hash_table::Entry::Occupied(mut known) => known.get_mut().1 = slot,
            hashbrown::hash_table::Entry::Vacant(vacant) => {
                vacant.insert((stream, slot));
            }
        }
    }

    /// How many of the streams written since the last [`Streams::take_written`] had a
    /// fact before it: each one's first write since copied the state a checkpoint holds.
    pub(crate) fn rewritten(&self) -> usize {
        let created = self.slots.len().saturating_sub(self.taken as usize);
        self.written.len().saturating_sub(created)
    }

    /// Counts every stream as written since the last [`Streams::take_written`].
    pub(crate) fn mark_all_written(&mut self) {
        let epoch = self.epoch;
        self.taken = 0;
        self.written.clear();
        for (id, slot) in &mut self.slots {
            slot.epoch = epoch;
            self.written.push((id.fast_hash(), id.addr()));
        }
    }

    /// The streams written since the last call, each once with its ordinal and state; the
    /// list starts again empty.
    pub(crate) fn take_written(&mut self) -> impl Iterator<Item = Written<'_, S>> {
        self.epoch = self.epoch.wrapping_add(1);
        self.taken = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        let slots = &self.slots;
        self.written.drain(..).filter_map(move |(hash, addr)| {
            // The map's own id, found by its address: its text not read. (No id leaves
            // the map while it lives, so no other id can have taken that address.)
            let (id, slot) = slots.find(hash, |(known, _)| known.addr() == addr)?;
            Some(Written {
                id,
                ordinal: slot.ordinal,
                state: &slot.state,
            })
        })
    }

    /// The streams, to be freed a few at a time: one pass over the map, where taking
    /// the first few of what is left again each time walks the emptied buckets again
    /// (a million streams freed 512 at a time: quadratic).
    pub(crate) fn into_drain(self) -> StreamsDrain<S> {
        self.slots.into_iter()
    }
}

impl<S: Clone> Streams<S> {
    /// The stream named `stream` to decide on and write: its id as the map holds it (the
    /// stream's first id, shared by all of its facts) and its state, or, if it has no
    /// fact yet, its hash, to [`Streams::create`] it with. Found by its text, so that a
    /// caller needs no [`StreamId`] of its own to look a stream up.
    pub(crate) fn entry(&mut self, stream: &str) -> Result<StreamEntry<'_, S>, Absent> {
        // The hash of the text is its id's ([`StreamId`] hashes as its text).
        self.find(FastHash.hash_one(stream), |known| known.is(stream))
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
        mut is: impl FnMut(&StreamId) -> bool,
    ) -> Result<StreamEntry<'_, S>, Absent> {
        let Some((id, slot)) = self.slots.find_mut(hash, |(known, _)| is(known)) else {
            return Err(Absent { hash });
        };
        Ok(StreamEntry {
            id,
            hash,
            slot,
            written: &mut self.written,
            epoch: self.epoch,
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
        let ordinal = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        let hash = absent.hash;
        let slot = Slot {
            state,
            ordinal,
            epoch: self.epoch,
        };
        // `absent` says the map holds no such stream: the id is put in without a search,
        // with its hash, so that the map's growth never reads its text.
        debug_assert!(self.slot(stream).is_none(), "a stream found absent");
        stream.keep_hash(hash);
        let id = &self
            .slots
            .insert_unique(hash, (stream.clone(), slot), |(id, _)| id.fast_hash())
            .into_mut()
            .0;
        self.written.push((hash, id.addr()));
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
                if checked && version != 1 {
                    return Err(0);
                }
                self.create(absent, stream, decider, [(event, version)]);
            }
        }
        Ok(())
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
    hash: u64,
    slot: &'a mut Slot<S>,
    written: &'a mut Vec<(u64, usize)>,
    epoch: u32,
}

impl<'a, S: Clone> StreamEntry<'a, S> {
    /// The stream's id as the map holds it.
    pub(crate) fn id(&self) -> &'a StreamId {
        self.id
    }

    /// The stream's state and version.
    pub(crate) fn state(&self) -> &StreamState<S> {
        &self.slot.state
    }

    /// The stream's ordinal and its state as the map shares it, for the timeline to take
    /// its own copy before a write ([`crate::time_travel::Timeline::unshare`]).
    pub(crate) fn shared_state(&self) -> (u32, &SharedState<S>) {
        (self.slot.ordinal, &self.slot.state)
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
        if self.slot.epoch != self.epoch {
            self.slot.epoch = self.epoch;
            self.written.push((self.hash, self.id.addr()));
        }
        fold_into(&mut self.slot.state, decider, events);
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
            .map(|w| (w.id.clone(), w.ordinal, Arc::clone(w.state)))
            .collect();
        let ids: Vec<_> = taken
            .iter()
            .map(|(id, ordinal, _)| (id, *ordinal))
            .collect();
        assert_eq!(ids, [(&a, 0), (&b, 1)]);
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
        assert_eq!((taken[0].2.version, taken[0].2.state), (2, 10));
        assert_eq!((streams[&a].version, streams[&a].state), (3, 15));
        let again: Vec<_> = streams.take_written().map(|w| w.id.clone()).collect();
        assert_eq!(again, [a]);
    }

    #[test]
    fn the_streams_iterate_as_a_hash_map_of_their_ids_does() {
        // The table is `hashbrown`'s map of the same ids by their kept hashes: the same
        // order, wherever a caller walks it (through several growths, and a restore's
        // inserts of ids already hashed).
        let ids: Vec<StreamId> = (0..1000).map(|n| format!("order-{n}").into()).collect();
        let mut streams = Streams::default();
        let mut map = hashbrown::HashMap::with_hasher(crate::ids::FastHash);
        for id in &ids {
            let folded = streams.fold_event(&Counter, id, &added(1, 1), 1, true);
            assert_eq!(folded, Ok(()));
            map.insert(id.clone(), ());
        }
        let order: Vec<&StreamId> = map.keys().collect();
        assert_eq!(streams.keys().collect::<Vec<_>>(), order);
        let mut restored = Streams::with_capacity(10);
        for (ordinal, id) in ids.iter().rev().enumerate() {
            let state = Arc::new(streams[id].clone());
            restored.insert_shared(StreamId::from(id.as_str()), ordinal as u32, state);
        }
        let mut map = hashbrown::HashMap::with_capacity_and_hasher(10, crate::ids::FastHash);
        for id in ids.iter().rev() {
            map.insert(id.clone(), ());
        }
        assert_eq!(
            restored.keys().collect::<Vec<_>>(),
            map.keys().collect::<Vec<_>>()
        );
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
    }
}
