//! [`CheckpointStreams`]: which stream states a time-travel checkpoint holds; and
//! [`HeldStreams`], one checkpoint's streams as a restored whole state shares them.

use crate::ids::StreamId;
use crate::shelf::Shelf;
use crate::streams::SharedState;

/// A chunk as checkpoints share it: `triomphe`'s `Arc`, which keeps no weak count, so
/// that asking whether a checkpoint's chunk is its own reads a count, where `std`'s
/// locks it (once a stream a checkpoint takes).
pub(crate) type Arc<T> = triomphe::Arc<T>;

/// Ordinals a chunk covers.
const CHUNK: usize = 64;

/// In a chunk, the index of the state of a stream the checkpoint does not hold.
const NOT_KEPT: u32 = u32::MAX;

/// The index of each stream's state (in the timeline's kept states) at one checkpoint, by
/// stream ordinal: a persistent array in chunks of 64 that a checkpoint shares with the
/// one before it, so that a checkpoint copies only the chunks of the streams written
/// since (256 bytes each), however many streams there are.
#[derive(Clone, Default)]
pub(crate) struct CheckpointStreams {
    chunks: Vec<Arc<[u32; CHUNK]>>,
    /// One more than the highest ordinal set.
    len: usize,
}

impl CheckpointStreams {
    /// One more than the highest ordinal with a state: the streams the checkpoint holds
    /// have ordinals below it.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The index of the state of the stream with `ordinal`, if the checkpoint holds it.
    pub(crate) fn get(&self, ordinal: usize) -> Option<usize> {
        let index = self.chunks.get(ordinal / CHUNK)?[ordinal % CHUNK];
        (index != NOT_KEPT).then_some(index as usize)
    }

    /// Each stream the checkpoint holds, in the order of their ordinals: its ordinal and
    /// the index of its state, a chunk at a time.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let slots = self.chunks.iter().flat_map(|chunk| chunk.iter());
        (0..self.len)
            .zip(slots)
            .filter(|(_, &index)| index != NOT_KEPT)
            .map(|(ordinal, &index)| (ordinal, index as usize))
    }

    /// Sets the index of the state of the stream with `ordinal` (copying its chunk if the
    /// checkpoint before still shares it).
    ///
    /// Inlined into the checkpoint's loop: a chunk this checkpoint wrote already is its
    /// own, so most calls are a uniqueness check and a store; adding and copying chunks
    /// (once a chunk a checkpoint) are out of line.
    #[inline]
    pub(crate) fn set(&mut self, ordinal: usize, index: u32) {
        self.len = self.len.max(ordinal + 1);
        if let Some(slots) = self.chunks.get_mut(ordinal / CHUNK).and_then(Arc::get_mut) {
            slots[ordinal % CHUNK] = index;
            return;
        }
        self.set_in_a_new_chunk(ordinal, index);
    }

    /// [`CheckpointStreams::set`] in a chunk that does not exist yet or that the
    /// checkpoint before shares.
    #[cold]
    #[inline(never)]
    fn set_in_a_new_chunk(&mut self, ordinal: usize, index: u32) {
        while self.chunks.len() * CHUNK <= ordinal {
            self.chunks.push(Arc::new([NOT_KEPT; CHUNK]));
        }
        Arc::make_mut(&mut self.chunks[ordinal / CHUNK])[ordinal % CHUNK] = index;
    }
}

/// The streams one checkpoint holds, with their ids and states, shared: what a whole
/// state restored from it reads for every stream the entries since did not write
/// ([`crate::Streams`]), at the cost of a few counts (the checkpoint's array, and a count
/// a segment of the timeline's ids and states), not of a copy of every stream.
pub(crate) struct HeldStreams<S> {
    /// The index of each stream's state in `states`, by ordinal.
    streams: Arc<CheckpointStreams>,
    /// Every stream's id, by ordinal (the timeline's, of the streams of every checkpoint
    /// so far).
    ids: Shelf<StreamId>,
    /// The stream states the timeline kept.
    states: Shelf<SharedState<S>>,
}

impl<S> Clone for HeldStreams<S> {
    fn clone(&self) -> Self {
        HeldStreams {
            streams: Arc::clone(&self.streams),
            ids: self.ids.clone(),
            states: self.states.clone(),
        }
    }
}

impl<S> HeldStreams<S> {
    /// The streams `streams` says a checkpoint holds, their ids in `ids` and states in
    /// `states` (copies that share them).
    pub(crate) fn new(
        streams: Arc<CheckpointStreams>,
        ids: Shelf<StreamId>,
        states: Shelf<SharedState<S>>,
    ) -> Self {
        HeldStreams {
            streams,
            ids,
            states,
        }
    }

    /// One more than the highest ordinal held: a checkpoint holds every stream that had
    /// a fact before it, so every ordinal below it.
    pub(crate) fn len(&self) -> usize {
        self.streams.len()
    }

    /// The id of the stream with `ordinal`, if the checkpoint holds it.
    #[inline]
    pub(crate) fn id(&self, ordinal: usize) -> Option<&StreamId> {
        if ordinal >= self.len() {
            return None;
        }
        self.ids.get(ordinal)
    }

    /// The state of the stream with `ordinal`, if the checkpoint holds it.
    #[inline]
    pub(crate) fn state(&self, ordinal: usize) -> Option<&SharedState<S>> {
        self.states.get(self.streams.get(ordinal)?)
    }

    /// Every stream held, in the order of their ordinals: its ordinal, id and state, the
    /// checkpoint's array walked a chunk at a time.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &StreamId, &SharedState<S>)> {
        self.streams.iter().filter_map(|(ordinal, index)| {
            let id = self.ids.get(ordinal)?;
            let ordinal = u32::try_from(ordinal).ok()?;
            Some((ordinal, id, self.states.get(index)?))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::CheckpointStreams;

    #[test]
    fn a_copy_keeps_its_indices_when_the_original_is_set_again() {
        let mut first = CheckpointStreams::default();
        first.set(3, 30);
        first.set(130, 1300);
        let second = first.clone();
        first.set(3, 31);
        first.set(200, 2000);
        assert_eq!((second.get(3), second.get(130)), (Some(30), Some(1300)));
        assert_eq!((second.get(200), second.len()), (None, 131));
        assert_eq!((first.get(3), first.get(200)), (Some(31), Some(2000)));
        assert_eq!(
            (first.get(4), first.get(10_000), first.len()),
            (None, None, 201)
        );
        let held: Vec<(usize, usize)> = second.iter().collect();
        assert_eq!(held, [(3, 30), (130, 1300)]);
        let held: Vec<(usize, usize)> = first.iter().collect();
        assert_eq!(held, [(3, 31), (130, 1300), (200, 2000)]);
    }
}
