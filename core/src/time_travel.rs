//! Time travel: the journal with snapshots, and the state at any position.

use crate::checkpoint::{self, CheckpointStreams, HeldStreams};
use crate::decider::Decider;
use crate::ends::Ends;
use crate::engine::{EntryOf, FactOf};
use crate::envelope::SharedCommand;
use crate::growth;
use crate::ids::{SeededIds, StreamId};
use crate::journal::{At, Placed, Run};
use crate::projection::{Projection, StreamState, StreamsOf};
use crate::segmented::{Segmented, Span};
use crate::shelf::{Shelf, ShelfDrain};
use crate::streams::{RestoredFold, SharedState, Streams};
use crate::system::{ProcessStateOf, StreamStateOf, System, ViewStateOf};
use std::sync::Arc;

/// How many facts (or entries) apart full snapshots of the streams map are, at least: the
/// snapshots between them keep no stream.
const CHECKPOINT_EVERY: u64 = 16384;

/// How many entries a checkpoint's interval has, at least, for each stream written in it
/// that the checkpoint before held (a write that copied the held state), by the copy's
/// weight ([`Decider::copy_weight`]): a checkpoint waits until its interval has this many
/// entries a copy, so the copies a write after a checkpoint makes stay at most one in
/// this many entries (a stream written round after round, by many streams, makes one
/// nearly every write at [`CHECKPOINT_EVERY`]), and a state that weighs more, a list
/// of a long stream's items, as much more rarely.
const ENTRIES_PER_COPY: u64 = 8;

/// How many times [`CHECKPOINT_EVERY`] a checkpoint's interval is, at most, however many
/// copies it made: a restore folds at most that many entries.
const MOST_STRETCHED: usize = 8;

/// Whether waiting for the next snapshot to make a checkpoint can still save a copy, when
/// `copies` of the `held` streams the last checkpoint holds were copied in the `since`
/// snapshots after it, and it may wait for `most` in all: only a stream written twice in
/// one interval is copied once where two checkpoints would copy it twice, so waiting
/// saves copies only if the writes come round to the streams they copied before the
/// interval's end. At the interval's pace, the streams held and not copied yet take
/// `(held - copies) * since / copies` snapshots more to be written once each; when that
/// is beyond `most`, the writes cannot come round again in time (nearly every write
/// copies a stream of its own: the orders 250,000 × 4, where the wait made 131,072-entry
/// intervals, 8 times the fold of a restore, and saved no copy).
fn waiting_can_save_copies(held: u64, copies: u64, since: u64, most: u64) -> bool {
    let left = held.saturating_sub(copies);
    left.saturating_mul(since) <= copies.saturating_mul(most.saturating_sub(since))
}

/// The journal of an engine with a [`Projection`] snapshot every K facts, so the state at
/// any position is one snapshot plus at most K folds.
///
/// Only every few snapshots (a checkpoint, every 16,384 facts or more: further apart when
/// the writes since the last one copied many of the states it held) holds the streams;
/// the ones between keep no stream (their view, process manager and queue only), and the
/// streams at one of them are the checkpoint's with the events recorded since folded in.
/// A checkpoint holds the streams as a persistent array (structure-shared with the
/// checkpoint before it) of indices into the states the timeline kept, by stream ordinal
/// (the order of the streams' first facts). It is made from the streams the live map
/// noted as written since the checkpoint before, each state shared with the live map
/// until the live map writes it again, so it costs what changed, and the live
/// [`Streams`] map stays a plain one.
pub struct Timeline<Y: System> {
    /// The journal's entries, in segments: growing copies none of them.
    journal: Segmented<EntryOf<Y>>,
    /// The ids the journal's facts draw: they give the id of an entry's first fact that
    /// keeps none ([`At::ids`]).
    seeded: SeededIds,
    /// The global position after each journal entry.
    ends: Ends,
    /// The kept states, each a projection without its streams (a checkpoint's streams are
    /// in `checkpoints`).
    snapshots: Vec<Kept<Y>>,
    every: u64,
    /// The position and the number of entries from which the next snapshot is due (the
    /// last one's plus `every`): a push compares with them, without reading the last
    /// snapshot.
    due: (u64, u64),
    /// How many snapshots apart the checkpoints are, at least.
    checkpoint_every: usize,
    /// The checkpoints, in order: the first is snapshot 0's.
    checkpoints: Vec<Checkpoint>,
    /// How many of the streams the live map noted as written since the last checkpoint
    /// were weighed, and the weight of the copies among them ([`Decider::copy_weight`]):
    /// each stream is weighed once, when the checkpoint rule first asks after its write
    /// ([`Timeline::weigh`]).
    copies: (usize, u64),
    /// The id of every stream the checkpoints hold, by the stream's ordinal (its index in
    /// their arrays): a word a stream, where a map from id to ordinal took a bucket
    /// (16 bytes natively, at most 7/8 full, and a control byte). The live streams map
    /// knows each stream's ordinal ([`Streams::ordinal`]), so a reader of a few streams
    /// finds theirs there. On a shelf, which a restored whole state shares
    /// ([`HeldStreams`]).
    ids: Shelf<StreamId>,
    /// The stream states the checkpoints hold, in the order they were kept: in segments,
    /// so that growing copies none of them (a doubling `Vec` copied them all, at every
    /// doubling, into memory the command path did not read), which a restored whole
    /// state shares.
    states: Shelf<SharedState<StreamStateOf<Y>>>,
}

/// Folds the events of `entries` (one segment of a journal's) into `streams`: those of
/// every stream, or of the streams in `only`. Out of line, a loop of its own: an orders'
/// restore walks tens of thousands of entries, whose loop kept in the restore spilled its
/// pointer (+2 instructions an entry).
#[inline(never)]
fn fold_streams<Y: System>(
    system: &Y,
    streams: &mut StreamsOf<Y>,
    entries: &[EntryOf<Y>],
    only: Option<&[StreamId]>,
) {
    let decider = system.decider();
    // A restored map's loop and an owned map's, chosen once.
    match streams.restored_mut() {
        Some(mut restored) => each_event::<Y>(entries, only, |stream, event, version| {
            restored.fold_event(decider, stream, event, version);
        }),
        None => each_event::<Y>(entries, only, |stream, event, version| {
            streams
                .fold_event(decider, stream, event, version, false)
                .expect("a fold that checks nothing does not fail");
        }),
    }
}

/// Hands `fold` each event of `entries` (of every stream, or of the streams in `only`)
/// with its stream and stream version.
#[inline(always)]
fn each_event<Y: System>(
    entries: &[EntryOf<Y>],
    only: Option<&[StreamId]>,
    mut fold: impl FnMut(&StreamId, &Y::Event, u64),
) {
    for entry in entries {
        let Some(stream) = entry.stream_id() else {
            continue;
        };
        if only.is_some_and(|ids| ids.binary_search(stream).is_err()) {
            continue;
        }
        // `for_each`, not a `for` loop: the events are a chain (the first, then the rest),
        // which folds tighter than it steps.
        entry
            .events()
            .for_each(|(event, stream_version)| fold(stream, event, stream_version));
    }
}

/// The base a whole state's restore takes the streams it does not fold from: the
/// checkpoint after it, or the live map when there is none. A stream the entries from
/// the restored position to the base do not write is, at that position, as the base
/// holds it.
enum NextBase<'a, S> {
    /// The next checkpoint, after `entries` entries.
    Checkpoint {
        entries: usize,
        streams: &'a CheckpointStreams,
        states: &'a Shelf<SharedState<S>>,
    },
    /// The live map, after every entry (`entries`).
    Live {
        entries: usize,
        streams: &'a Streams<S>,
    },
}

impl<S> NextBase<'_, S> {
    /// How many entries come before the base.
    fn entries(&self) -> usize {
        match self {
            NextBase::Checkpoint { entries, .. } | NextBase::Live { entries, .. } => *entries,
        }
    }

    /// How many streams the base holds.
    fn len(&self) -> usize {
        match self {
            NextBase::Checkpoint { streams, .. } => streams.len(),
            NextBase::Live { streams, .. } => streams.len(),
        }
    }

    /// The state the base holds for the stream of `ordinal`.
    fn state(&self, ordinal: u32) -> Option<&SharedState<S>> {
        match self {
            NextBase::Checkpoint {
                streams, states, ..
            } => states.get(streams.get(ordinal as usize)?),
            NextBase::Live { streams, .. } => streams.shared_at(ordinal),
        }
    }
}

/// Folds the events of `entries` (one segment of a journal's, before a whole state's
/// position) into `restored`, only those of the streams the entries after the position
/// write again before `next`, the next base (`after`, a bit an ordinal); every other
/// stream they write takes its state from `next` at its first event (noted in `taken`),
/// and its events are passed. The streams' ordinals are `live`'s, the engine's live
/// map's (which holds every stream of the journal).
#[inline(never)]
fn fold_between<Y: System>(
    system: &Y,
    restored: &mut RestoredFold<'_, StreamStateOf<Y>>,
    entries: &[EntryOf<Y>],
    (live, next): (&StreamsOf<Y>, &NextBase<'_, StreamStateOf<Y>>),
    after: &[u64],
    taken: &mut [u64],
) {
    let decider = system.decider();
    for entry in entries {
        let Some(stream) = entry.stream_id() else {
            continue;
        };
        let ordinal = live.ordinal(stream);
        let base = ordinal
            .filter(|&o| !has(after, o))
            .and_then(|o| next.state(o));
        match (ordinal, base) {
            (Some(ordinal), Some(state)) => {
                // Taken at its first event, when a created stream gets its ordinal.
                if entry.events().next().is_some() && set(taken, ordinal) {
                    restored.take(ordinal, stream, state);
                }
            }
            (Some(ordinal), None) => entry.events().for_each(|(event, version)| {
                restored.fold_at(ordinal, stream, decider, event, version);
            }),
            // Not a stream of the live map's: folded as a restore does.
            (None, _) => entry.events().for_each(|(event, version)| {
                restored.fold_unexpected(decider, stream, event, version);
            }),
        }
    }
}

/// Whether bit `ordinal` of `bits` is set.
#[inline]
fn has(bits: &[u64], ordinal: u32) -> bool {
    let at = ordinal as usize;
    bits.get(at / 64)
        .is_some_and(|word| word & (1 << (at % 64)) != 0)
}

/// Sets bit `ordinal` of `bits`; whether it was not set before.
#[inline]
fn set(bits: &mut [u64], ordinal: u32) -> bool {
    let at = ordinal as usize;
    let Some(word) = bits.get_mut(at / 64) else {
        return false;
    };
    let bit = 1 << (at % 64);
    let unset = *word & bit == 0;
    *word |= bit;
    unset
}

/// The ids of the streams a timeline's checkpoints hold, being freed
/// ([`Timeline::take_stream_ids`]).
pub(crate) type OrdinalsDrain = ShelfDrain<StreamId>;

/// A kept state: a projection without its streams (nor their empty map, nor the streams a
/// reader keeps, which a restore sets), as small as what it holds: the snapshots between
/// two checkpoints are the timeline's most numerous items.
struct Kept<Y: System> {
    view: ViewStateOf<Y>,
    process: ProcessStateOf<Y>,
    queue: imbl::Vector<SharedCommand<Y::Command>>,
    position: u64,
    entries: u64,
    steps: u64,
    commands: u64,
}

impl<Y: System> Kept<Y> {
    /// What `live` keeps beside its streams.
    fn of(live: &Projection<Y>) -> Self {
        Kept {
            view: live.view.clone(),
            process: live.process.clone(),
            queue: live.queue.clone(),
            position: live.position,
            entries: live.entries,
            steps: live.steps,
            commands: live.commands,
        }
    }

    /// The projection of this state with `streams`, of a journal whose facts draw `ids`.
    fn with_streams(&self, streams: StreamsOf<Y>, ids: SeededIds) -> Projection<Y> {
        let Kept {
            view,
            process,
            queue,
            position,
            entries,
            steps,
            commands,
        } = self;
        Projection {
            streams,
            view: view.clone(),
            process: process.clone(),
            queue: queue.clone(),
            position: *position,
            entries: *entries,
            steps: *steps,
            commands: *commands,
            ids,
            only: None,
        }
    }
}

/// A checkpoint: the snapshot it is and the streams it holds.
struct Checkpoint {
    /// Its index in [`Timeline::snapshots`].
    snapshot: usize,
    /// The index in [`Timeline::states`] of each stream's state, by the stream's ordinal
    /// (shared with the whole states restored from it).
    streams: checkpoint::Arc<CheckpointStreams>,
}

impl<Y: System> Timeline<Y> {
    /// An empty timeline starting at `initial`, snapshotting every `every` facts or entries.
    pub fn new(mut initial: Projection<Y>, every: u64) -> Self {
        let mut timeline = Timeline {
            journal: Segmented::default(),
            seeded: initial.ids,
            ends: Ends::default(),
            snapshots: Vec::new(),
            every,
            due: (0, 0),
            checkpoint_every: usize::try_from(CHECKPOINT_EVERY.div_ceil(every.max(1)))
                .unwrap_or(1)
                .max(1),
            checkpoints: Vec::new(),
            copies: (0, 0),
            ids: Shelf::in_steps(),
            states: Shelf::default(),
        };
        // Every stream of `initial` is kept, as if written since a checkpoint before it.
        initial.streams.mark_all_written();
        timeline.snapshot(&mut initial, true);
        timeline
    }

    /// Appends an entry; `live` is the projection after it (a checkpoint takes the
    /// streams it wrote since the last one), of `system`'s streams (whose decider weighs
    /// their copies).
    ///
    /// Two pushes and a compare (twice a command: its submission, its step); the
    /// snapshot, once every `every` facts or entries, is out of line, so the push's own
    /// frame stays small. Always inlined: as a hint only, LLVM kept it a call of its own,
    /// whose frame and moved entry cost a command 40 instructions more.
    #[inline(always)]
    pub fn push(&mut self, entry: EntryOf<Y>, live: &mut Projection<Y>, system: &Y) {
        self.journal.push(entry);
        self.ends.push(live.position);
        if live.position >= self.due.0 || live.entries >= self.due.1 {
            self.snapshot_next(live, system.decider());
        }
    }

    /// Keeps `live` as the next snapshot: a checkpoint at least `checkpoint_every`
    /// snapshots after the last one, once waiting longer can save no copy
    /// ([`waiting_can_save_copies`]), or [`MOST_STRETCHED`] times `checkpoint_every`
    /// snapshots after it, or once its interval has [`ENTRIES_PER_COPY`] entries for
    /// each stream written in it that the last one held, by weight (`decider`'s
    /// [`Decider::copy_weight`] of its state, at least 1). The copies are weighed only
    /// when that decides: a weight is at least their number, so an interval shorter
    /// than [`ENTRIES_PER_COPY`] entries a copy waits without weighing, and one with no
    /// copy does not wait.
    #[cold]
    #[inline(never)]
    fn snapshot_next(&mut self, live: &mut Projection<Y>, decider: &Y::Decider) {
        let last = self.last_checkpoint();
        let (held, last) = (last.streams.len() as u64, last.snapshot);
        let since = self.snapshots.len() - last;
        let entries = live.entries - self.snapshots[last].entries;
        let copies = live.streams.rewritten() as u64;
        let most = self.checkpoint_every * MOST_STRETCHED;
        let checkpoint = since >= self.checkpoint_every
            && (since >= most
                || !waiting_can_save_copies(held, copies, since as u64, most as u64)
                || copies == 0
                || entries >= ENTRIES_PER_COPY.saturating_mul(copies)
                    && entries >= ENTRIES_PER_COPY.saturating_mul(self.weigh(live, decider)));
        self.snapshot(live, checkpoint);
    }

    /// The weight of the copies of held states that the writes since the last checkpoint
    /// made ([`Decider::copy_weight`], at least 1 each): each stream written is weighed
    /// once, at the first call after its write.
    fn weigh(&mut self, live: &Projection<Y>, decider: &Y::Decider) -> u64 {
        let (weighed, weight) = &mut self.copies;
        let (copied, written) = live.streams.rewritten_from(*weighed);
        *weight += copied
            .map(|state| decider.copy_weight(state).max(1))
            .sum::<u64>();
        *weighed = written;
        *weight
    }

    /// The last checkpoint.
    fn last_checkpoint(&self) -> &Checkpoint {
        self.checkpoints.last().expect("the initial checkpoint")
    }

    /// The checkpoint at or before snapshot `index`.
    fn checkpoint_of(&self, index: usize) -> &Checkpoint {
        let after = self.checkpoints.partition_point(|c| c.snapshot <= index);
        &self.checkpoints[after.max(1) - 1]
    }

    /// Gives the last checkpoint its own copy of `state`, the live state of the stream of
    /// `ordinal` about to be written, if the two share it and nothing else holds it: the
    /// live map then writes its state in place, with the room it grew (a `Vec` in it keeps
    /// its spare capacity), and the checkpoint keeps a copy as big as its contents. It is
    /// the one copy a write after a checkpoint makes anyway ([`SharedState::make_mut`]),
    /// made on the side that is not written again.
    pub(crate) fn unshare(&mut self, ordinal: u32, state: &SharedState<StreamStateOf<Y>>) {
        if SharedState::strong_count(state) != 2 {
            return;
        }
        let kept = self.last_checkpoint().streams.get(ordinal as usize);
        if let Some(held) = kept.and_then(|index| self.states.get_mut(index)) {
            if SharedState::ptr_eq(held, state) {
                *held = SharedState::new(StreamState::clone(state));
            }
        }
    }

    /// Keeps `live` as the next snapshot, and its streams if `checkpoint`: the last
    /// checkpoint's with the streams written since put in.
    fn snapshot(&mut self, live: &mut Projection<Y>, checkpoint: bool) {
        if checkpoint {
            let mut streams = self
                .checkpoints
                .last()
                .map(|last| CheckpointStreams::clone(&last.streams))
                .unwrap_or_default();
            // The streams created since the last checkpoint, each written since: their ids
            // after the others', in the order of their ordinals.
            for id in live.streams.ids_from(self.ids.len()) {
                self.ids.push(id.clone());
            }
            // The index of each state kept, counted here, not read from the shelf.
            let written = live.streams.take_written();
            for (kept, written) in (self.states.len()..).zip(written) {
                let kept = u32::try_from(kept).unwrap_or(u32::MAX);
                self.states.push(SharedState::clone(written.state));
                streams.set(written.ordinal as usize, kept);
            }
            let snapshot = self.snapshots.len();
            let streams = checkpoint::Arc::new(streams);
            growth::push(&mut self.checkpoints, Checkpoint { snapshot, streams });
            self.copies = (0, 0);
        }
        self.snapshots.push(Kept::of(live));
        self.set_due();
    }

    /// Sets when the snapshot after the last one is due.
    fn set_due(&mut self) {
        if let Some(last) = self.snapshots.last() {
            let due = |at: u64| at.saturating_add(self.every);
            self.due = (due(last.position), due(last.entries));
        }
    }

    /// The projection of snapshot `index`, its streams those of the checkpoint before it
    /// with the events recorded since folded in: all of them (sharing the checkpoint's,
    /// found through the table of `live`, the engine's live map), or only those of the
    /// streams in `only` (sorted) when given (a million streams after a Repeat of a
    /// million facts, where the reader wants one). All of them between two bases when
    /// that is worth it ([`Timeline::written_after`]): a stream written since the
    /// checkpoint that the entries after the snapshot do not write again before the next
    /// checkpoint (or, after the last, the head) is as that base holds it, taken, not
    /// folded; only the streams written on both sides of the snapshot are folded.
    fn restore(
        &self,
        system: &Y,
        index: usize,
        live: &StreamsOf<Y>,
        only: Option<&[StreamId]>,
    ) -> Projection<Y> {
        let checkpoint = self.checkpoint_of(index);
        let kept = &self.snapshots[index];
        let base = &self.snapshots[checkpoint.snapshot];
        let mut streams = self.checkpoint_streams(&checkpoint.streams, live, only);
        let (from, to) = (base.entries as usize, kept.entries as usize);
        let since = self.journal().range(from..to);
        let next = self.next_base(checkpoint.snapshot, live);
        let written_after = match only {
            None => self.written_after(to, from, &next, live),
            Some(_) => None,
        };
        match (written_after, streams.restored_mut()) {
            (Some(after), Some(mut restored)) => {
                let mut taken = vec![0u64; after.len()];
                for entries in since.slices() {
                    let bases = (live, &next);
                    fold_between(system, &mut restored, entries, bases, &after, &mut taken);
                }
            }
            _ => {
                for entries in since.slices() {
                    fold_streams(system, &mut streams, entries, only);
                }
            }
        }
        kept.with_streams(streams, self.seeded)
    }

    /// The base after the checkpoint of snapshot `snapshot`: the next checkpoint, or, if
    /// there is none, `live`, the live map (the state after every entry).
    fn next_base<'a>(
        &'a self,
        snapshot: usize,
        live: &'a StreamsOf<Y>,
    ) -> NextBase<'a, StreamStateOf<Y>> {
        let after = self.checkpoints.partition_point(|c| c.snapshot <= snapshot);
        match self.checkpoints.get(after) {
            Some(next) => NextBase::Checkpoint {
                entries: self.snapshots[next.snapshot].entries as usize,
                streams: &next.streams,
                states: &self.states,
            },
            None => NextBase::Live {
                entries: self.journal.len(),
                streams: live,
            },
        }
    }

    /// Which streams (by ordinal, one bit each) the entries from `to` up to the next
    /// base write, for a whole state at entry `to` restored from the checkpoint at entry
    /// `from`: every other stream written since the checkpoint is as the next base holds
    /// it. `None` when that is not worth reading: the entries up to the next base are
    /// more than twice those to fold (the scan, a lookup an entry, would cost more than
    /// the folds it saves), or they write every stream.
    fn written_after(
        &self,
        to: usize,
        from: usize,
        next: &NextBase<'_, StreamStateOf<Y>>,
        live: &StreamsOf<Y>,
    ) -> Option<Vec<u64>> {
        let end = next.entries();
        if to == from || end.saturating_sub(to) > 2 * (to - from) {
            return None;
        }
        let streams = next.len();
        let mut after = vec![0u64; live.len().div_ceil(64)];
        let mut written = 0;
        for entry in self.journal().range(to..end).iter() {
            let Some(stream) = entry.stream_id() else {
                continue;
            };
            // A stream with no fact in the live map has none in its journal.
            let Some(ordinal) = live.ordinal(stream) else {
                continue;
            };
            if set(&mut after, ordinal) {
                written += 1;
                if written >= streams {
                    return None;
                }
            }
        }
        Some(after)
    }

    /// The streams a checkpoint holds (`kept`): all of them (shared, with the table of
    /// `live`), or those in `only` (their ordinals found in `live`).
    fn checkpoint_streams(
        &self,
        kept: &checkpoint::Arc<CheckpointStreams>,
        live: &StreamsOf<Y>,
        only: Option<&[StreamId]>,
    ) -> StreamsOf<Y> {
        let Some(ids) = only else {
            let held = HeldStreams::new(
                checkpoint::Arc::clone(kept),
                self.ids.clone(),
                self.states.clone(),
            );
            return Streams::restored(live, held);
        };
        let mut streams = Streams::with_capacity(ids.len());
        for (id, ordinal) in ids.iter().filter_map(|id| Some((id, live.ordinal(id)?))) {
            if let Some(state) = kept.get(ordinal as usize).and_then(|i| self.states.get(i)) {
                streams.insert_shared(id.clone(), SharedState::clone(state));
            }
        }
        streams
    }

    /// Frees the oldest snapshot after the initial one, for an engine taken apart a slice
    /// at a time ([`crate::Remains`]); whether there was one. Oldest first: a checkpoint
    /// shares with the next one every chunk not written between them, so dropping it
    /// frees only the chunks written in one checkpoint interval.
    pub(crate) fn free_oldest_snapshot(&mut self) -> bool {
        if self.snapshots.len() < 2 {
            return false;
        }
        self.snapshots.remove(1);
        // The checkpoints after it move down one; a snapshot whose checkpoint it was
        // restores from the one before, with more entries folded.
        self.checkpoints.retain(|c| c.snapshot != 1);
        for c in &mut self.checkpoints {
            c.snapshot -= usize::from(c.snapshot > 1);
        }
        self.set_due();
        true
    }

    /// Frees up to `items` of the stream states the checkpoints hold (once the snapshots
    /// are freed), for an engine taken apart a slice at a time ([`crate::Remains`]); how
    /// many it freed.
    pub(crate) fn free_states(&mut self, items: usize) -> usize {
        let states = self.states.len().min(items);
        self.states.truncate(self.states.len() - states);
        states
    }

    /// Frees up to `items` journal entries, latest first, for an engine taken apart a
    /// slice at a time ([`crate::Remains`]); how many it freed.
    pub(crate) fn free_entries(&mut self, items: usize) -> usize {
        let entries = self.journal.len().min(items);
        let keep = self.journal.len() - entries;
        self.journal.truncate(keep);
        self.ends.truncate(keep);
        entries
    }

    /// The ids of the streams the checkpoints hold, taken out to be freed a few at a
    /// time ([`crate::Remains`]; the timeline answers no more reads of past states).
    pub(crate) fn take_stream_ids(&mut self) -> OrdinalsDrain {
        std::mem::take(&mut self.ids).into_drain()
    }

    /// How many stream states and stream ids the checkpoints hold.
    pub(crate) fn checkpoint_items(&self) -> usize {
        self.states.len() + self.ids.len()
    }

    /// How many journal entries each checkpoint comes after, in order.
    #[cfg(test)]
    pub(crate) fn checkpoint_entries(&self) -> Vec<u64> {
        let entries = |c: &Checkpoint| self.snapshots[c.snapshot].entries;
        self.checkpoints.iter().map(entries).collect()
    }

    /// The journal entries.
    pub fn journal(&self) -> Span<'_, EntryOf<Y>> {
        self.journal.span()
    }

    /// The place of entry `index` (of the head, for the number of entries).
    pub fn place(&self, index: usize) -> At {
        At {
            time: index as u64,
            position: self.position_after(index),
            ids: self.seeded,
        }
    }

    /// Entry `index` with its place.
    pub fn placed(&self, index: usize) -> Option<Placed<'_, EntryOf<Y>>> {
        let record = self.journal.get(index)?;
        let at = self.place(index);
        Some(Placed { at, record })
    }

    /// Entries `from..to` with the place of the first (both bounds within the journal).
    pub fn run(&self, from: usize, to: usize) -> Run<'_, Y::Command, Y::Event, Y::Rejection> {
        Run::new(self.place(from), self.journal().range(from..to))
    }

    /// The recorded facts from global position `from` on, in order.
    pub fn facts(&self, from: u64) -> impl Iterator<Item = FactOf<'_, Y>> {
        let first = self.entry_of_position(from).min(self.journal.len());
        self.run(first, self.journal.len())
            .facts()
            .skip_while(move |f| f.position < from)
    }

    /// The number of facts recorded.
    pub fn head(&self) -> u64 {
        self.ends.last().unwrap_or(0)
    }

    /// How many snapshots are kept.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// The number of journal entries up to and including the one that recorded the fact
    /// at `position - 1` (0 for position 0).
    pub fn entries_through_position(&self, position: u64) -> usize {
        if position == 0 {
            return 0;
        }
        let index = self.ends.count_below(|end| end < position);
        (index + 1).min(self.journal.len())
    }

    /// The index of the journal entry that recorded the fact at `position` (the number of
    /// entries when no entry has).
    pub fn entry_of_position(&self, position: u64) -> usize {
        self.ends.count_below(|end| end <= position)
    }

    /// The number of facts recorded by the first `entries` journal entries.
    pub fn position_after(&self, entries: usize) -> u64 {
        entries
            .checked_sub(1)
            .and_then(|last| self.ends.get(last))
            .unwrap_or_else(|| if entries == 0 { 0 } else { self.head() })
    }

    /// The state after the first `entries` journal entries. `live` is the engine's live
    /// streams map ([`crate::Engine::state`], the state after every entry): the state's
    /// streams map shares its table of ordinals and the checkpoint's streams, and owns
    /// only the streams written since the checkpoint (those not written again before the
    /// next checkpoint, or the head, shared with it, or with `live`), so making and
    /// dropping it costs what changed since, not the number of streams.
    pub fn at_entry(&self, system: &Y, live: &StreamsOf<Y>, entries: usize) -> Projection<Y> {
        self.fold_to(system, live, entries, None)
    }

    /// The state right after the fact at `position - 1` was recorded and its reactions
    /// queued (the initial state for 0; the latest fact's state past the head); `live`
    /// as for [`Timeline::at_entry`].
    pub fn at_position(&self, system: &Y, live: &StreamsOf<Y>, position: u64) -> Projection<Y> {
        self.position_state(system, live, position, None)
    }

    /// The state after the first `entries` journal entries as [`Timeline::at_entry`] makes
    /// it, except that it keeps only the streams in `streams`: any other stream is missing
    /// from its map, and stays out of it when more entries are folded into it. For a
    /// reader of a few streams (the page's inspector): the whole state folds the events of
    /// every stream written since the last checkpoint (16,384 entries back or more, up to
    /// 131,072 when nearly every write copies a state the checkpoint held) into a copy of
    /// the checkpoint's map, and every stream the entries after the snapshot write;
    /// this one folds only the streams it keeps, in a map of their own. `live` is the
    /// engine's live streams map ([`crate::Engine::state`]), which knows each stream's
    /// ordinal (the timeline keeps the streams' ids by ordinal, not a map to it).
    pub fn at_entry_for(
        &self,
        system: &Y,
        live: &StreamsOf<Y>,
        entries: usize,
        streams: &[StreamId],
    ) -> Projection<Y> {
        self.fold_to(system, live, entries, Some(streams))
    }

    /// The state right after the fact at `position - 1` was recorded, as
    /// [`Timeline::at_position`] makes it, with only `streams` sure to be right (see
    /// [`Timeline::at_entry_for`], whose `live` this is too).
    pub fn at_position_for(
        &self,
        system: &Y,
        live: &StreamsOf<Y>,
        position: u64,
        streams: &[StreamId],
    ) -> Projection<Y> {
        self.position_state(system, live, position, Some(streams))
    }

    fn position_state(
        &self,
        system: &Y,
        live: &StreamsOf<Y>,
        position: u64,
        streams: Option<&[StreamId]>,
    ) -> Projection<Y> {
        let position = position.min(self.head());
        if position == 0 {
            return self.restore(system, 0, live, None);
        }
        let index = self.ends.count_below(|end| end < position);
        let mut state = self.fold_to(system, live, index, streams);
        state
            .apply_until(system, &self.journal[index], position)
            .expect("the engine's own journal folds");
        state
    }

    /// The state after the first `entries` entries: the snapshot before them, restored
    /// whole or (with `only`) keeping only those streams ([`Timeline::at_entry_for`]),
    /// then the entries after it folded.
    fn fold_to(
        &self,
        system: &Y,
        live: &StreamsOf<Y>,
        entries: usize,
        only: Option<&[StreamId]>,
    ) -> Projection<Y> {
        let entries = entries.min(self.journal.len());
        let start = self
            .snapshots
            .partition_point(|s| s.entries <= entries as u64)
            - 1;
        let sorted: Option<Arc<[StreamId]>> = only.map(|streams| {
            let mut ids = streams.to_vec();
            ids.sort_unstable();
            ids.dedup();
            ids.into()
        });
        let mut state = self.restore(system, start, live, sorted.as_deref());
        state.only = sorted;
        for entry in self.journal().range(state.entries as usize..entries).iter() {
            state
                .apply(system, entry)
                .expect("the engine's own journal folds");
        }
        state
    }
}
