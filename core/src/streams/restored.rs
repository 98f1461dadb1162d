//! [`Restored`]: the streams of a whole state restored from a time-travel checkpoint,
//! sharing the checkpoint's.
//!
//! A restore's map owns no copy of every stream: it reads the checkpoint's ids and states
//! ([`HeldStreams`]) through the live map's table of ordinals, and owns only what the
//! entries folded since the checkpoint changed: the held streams they wrote (each a copy
//! of its held state, made at its first write) and the streams they created (after the
//! held ones, as the live map numbers them). Making and dropping it costs what changed.

use super::{fold_into, own_table, SharedState, Stream};
use crate::checkpoint::HeldStreams;
use crate::decider::Decider;
use crate::ids::StreamId;
use crate::projection::StreamState;

/// The streams of a whole state restored from a checkpoint: the checkpoint's, shared, and
/// the ones written or created since, its own.
pub(super) struct Restored<S> {
    /// The streams the checkpoint holds: every ordinal below `held_len`.
    held: HeldStreams<S>,
    /// How many streams the checkpoint holds.
    held_len: usize,
    /// The held streams written since the checkpoint, by ordinal: their own states.
    rewritten: hashbrown::HashTable<Rewritten<S>>,
    /// The streams created since the checkpoint, in the order of their ordinals (the
    /// first's is `held_len`).
    created: Vec<Stream<S>>,
}

/// A held stream of [`Restored`] written since its checkpoint: its ordinal and own state.
#[derive(Clone)]
struct Rewritten<S> {
    ordinal: u32,
    state: SharedState<S>,
}

/// The hash of `ordinal` in [`Restored::rewritten`]: a multiplication (its low bits, the
/// bucket, as distinct as the ordinals'; its high bits mixed for the control bytes).
#[inline]
fn ordinal_hash(ordinal: u32) -> u64 {
    u64::from(ordinal).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl<S: Clone> Clone for Restored<S> {
    /// A copy that shares the checkpoint's streams: linear in the streams changed since.
    fn clone(&self) -> Self {
        Restored {
            held: self.held.clone(),
            held_len: self.held_len,
            rewritten: self.rewritten.clone(),
            created: self.created.clone(),
        }
    }
}

impl<S> Restored<S> {
    /// The map of the streams `held`, none written since.
    pub(super) fn new(held: HeldStreams<S>) -> Self {
        Restored {
            held_len: held.len(),
            held,
            rewritten: hashbrown::HashTable::new(),
            created: Vec::new(),
        }
    }

    /// The number of streams.
    pub(super) fn len(&self) -> usize {
        self.held_len + self.created.len()
    }

    /// The id of the stream with `ordinal`, if there is one.
    #[inline]
    fn id(&self, ordinal: u32) -> Option<&StreamId> {
        let ordinal = ordinal as usize;
        match ordinal.checked_sub(self.held_len) {
            None => self.held.id(ordinal),
            Some(created) => self.created.get(created).map(|s| &s.id),
        }
    }

    /// The state of the stream with `ordinal`, if there is one.
    #[inline]
    pub(super) fn state(&self, ordinal: u32) -> Option<&SharedState<S>> {
        let at = ordinal as usize;
        if let Some(created) = at.checked_sub(self.held_len) {
            return self.created.get(created).map(|s| &s.state);
        }
        let rewritten = self
            .rewritten
            .find(ordinal_hash(ordinal), |r| r.ordinal == ordinal);
        match rewritten {
            Some(rewritten) => Some(&rewritten.state),
            None => self.held.state(at),
        }
    }

    /// The ordinal of the stream with `hash` that `is` tells apart, found in `ordinals`
    /// (the live map's table, or this map's own copy of it).
    #[inline]
    pub(super) fn find_ordinal(
        &self,
        ordinals: &hashbrown::HashTable<u32>,
        hash: u64,
        mut is: impl FnMut(&StreamId) -> bool,
    ) -> Option<u32> {
        let found = ordinals.find(hash, |&ordinal| self.id(ordinal).is_some_and(&mut is));
        found.copied()
    }

    /// Every stream with its state, in the order of their ordinals: the held ones (each
    /// written since with its own state), then the ones created since.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&StreamId, &SharedState<S>)> {
        let mut rewritten: Vec<&Rewritten<S>> = self.rewritten.iter().collect();
        rewritten.sort_unstable_by_key(|r| r.ordinal);
        let mut rewritten = rewritten.into_iter().peekable();
        let held = self.held.iter().map(move |(ordinal, id, held)| {
            let state = rewritten.next_if(|r| r.ordinal == ordinal);
            (id, state.map_or(held, |r| &r.state))
        });
        held.chain(self.created.iter().map(|s| (&s.id, &s.state)))
    }
}

impl<S: Clone> Restored<S> {
    /// [`super::Streams::fold_event`] in a restored map: a held stream's state copied at
    /// its first write, a new stream created after the others; `ordinals` copied only to
    /// put in a stream it does not know (the live map's knows every stream of its
    /// journal, at the ordinal a restore gives it).
    pub(super) fn fold_event<D: Decider<State = S>>(
        &mut self,
        ordinals: &mut triomphe::Arc<hashbrown::HashTable<u32>>,
        decider: &D,
        id: &StreamId,
        event: &D::Event,
        version: u64,
        checked: bool,
    ) -> Result<(), u64> {
        let hash = id.fast_hash();
        let events = [(event, version)].into_iter();
        if let Some(ordinal) = self.find_ordinal(ordinals, hash, |known| known == id) {
            let state = self.state_mut(ordinal);
            let current = state.version;
            if checked && version != current + 1 {
                return Err(current);
            }
            fold_into(state, decider, events);
            return Ok(());
        }
        if checked && version != 1 {
            return Err(0);
        }
        let ordinal = u32::try_from(self.len()).unwrap_or(u32::MAX);
        let mut state = SharedState::new(StreamState {
            version: 0,
            state: decider.initial_state(),
        });
        fold_into(&mut state, decider, events);
        self.created.push(Stream {
            id: id.clone(),
            state,
        });
        // The live map's table finds the stream at this ordinal when it is the live map's
        // (a restore folds its journal): only a stream it does not know is put in.
        if self.find_ordinal(ordinals, hash, |known| known == id) != Some(ordinal) {
            let restored = &*self;
            own_table(ordinals).insert_unique(hash, ordinal, |&known| {
                restored.id(known).map_or(0, StreamId::fast_hash)
            });
        }
        Ok(())
    }

    /// Folds `event`, the `version`-th of `id`, the stream of `ordinal` (as the live map
    /// numbers it: one this map holds, or its next one, created), unchecked, without a
    /// lookup.
    #[inline]
    pub(super) fn fold_at<D: Decider<State = S>>(
        &mut self,
        ordinal: u32,
        id: &StreamId,
        decider: &D,
        event: &D::Event,
        version: u64,
    ) {
        let events = [(event, version)].into_iter();
        if ordinal as usize == self.len() {
            let mut state = SharedState::new(StreamState {
                version: 0,
                state: decider.initial_state(),
            });
            fold_into(&mut state, decider, events);
            self.created.push(Stream {
                id: id.clone(),
                state,
            });
            return;
        }
        fold_into(self.state_mut(ordinal), decider, events);
    }

    /// Sets the stream of `ordinal` (one this map holds and has not written, or its next
    /// one, created) to `state`, shared: the state a later base holds for a stream whose
    /// writes since the checkpoint all come before this map's position.
    pub(super) fn take(&mut self, ordinal: u32, id: &StreamId, state: &SharedState<S>) {
        let state = SharedState::clone(state);
        if ordinal as usize >= self.held_len {
            debug_assert_eq!(ordinal as usize, self.len(), "created in order");
            let id = id.clone();
            self.created.push(Stream { id, state });
            return;
        }
        let entry = self.rewritten.entry(
            ordinal_hash(ordinal),
            |r| r.ordinal == ordinal,
            |r| ordinal_hash(r.ordinal),
        );
        entry.insert(Rewritten { ordinal, state });
    }

    /// The state of the stream with `ordinal` (below the map's length) to write: a held
    /// one's own (sharing the held state until written: [`fold_into`] copies it then).
    fn state_mut(&mut self, ordinal: u32) -> &mut SharedState<S> {
        let at = ordinal as usize;
        if let Some(created) = at.checked_sub(self.held_len) {
            return &mut self.created[created].state;
        }
        let held = &self.held;
        let entry = self.rewritten.entry(
            ordinal_hash(ordinal),
            |r| r.ordinal == ordinal,
            |r| ordinal_hash(r.ordinal),
        );
        let rewritten = entry.or_insert_with(|| {
            let Some(state) = held.state(at) else {
                unreachable!("a checkpoint holds every stream below its length");
            };
            let state = SharedState::clone(state);
            Rewritten { ordinal, state }
        });
        &mut rewritten.into_mut().state
    }
}
