//! Time travel: the journal with snapshots, and the state at any position.

use crate::engine::{EntryOf, FactOf};
use crate::ids::StreamId;
use crate::journal::JournalEntry;
use crate::projection::{Projection, StreamState};
use crate::system::{StreamStateOf, System};
use std::sync::Arc;

/// How many facts (or entries) apart full snapshots of the streams map are, at least: the
/// snapshots between them keep only the streams written since the snapshot before.
const CHECKPOINT_EVERY: u64 = 16384;

/// The journal of an engine with a [`Projection`] snapshot every K facts, so the state at
/// any position is one snapshot (structure-shared) plus at most K folds.
///
/// Only every few snapshots (a checkpoint, about every 16,384 facts) shares
/// the live streams map; the ones between keep the states of the streams written since
/// the snapshot before. The live map is then rarely shared, so a write after a snapshot
/// seldom copies the map's nodes, and a snapshot holds what changed, not a copy of every
/// map node that a write touched.
pub struct Timeline<Y: System> {
    journal: Vec<EntryOf<Y>>,
    /// The global position after each journal entry.
    ends: Vec<u64>,
    snapshots: Vec<Snapshot<Y>>,
    /// The streams that got an event since the last snapshot, with repeats (kept only
    /// when some snapshots are not checkpoints, so never more than `every` long).
    written: Vec<StreamId>,
    every: u64,
    /// Every how many snapshots the whole streams map is kept.
    checkpoint_every: usize,
}

/// A kept state. A checkpoint's projection has every stream; the others have none, and
/// the states of the streams written since the snapshot before.
struct Snapshot<Y: System> {
    state: Projection<Y>,
    changed: Vec<(StreamId, Arc<StreamState<StreamStateOf<Y>>>)>,
}

impl<Y: System> Timeline<Y> {
    /// An empty timeline starting at `initial`, snapshotting every `every` facts or entries.
    pub fn new(initial: Projection<Y>, every: u64) -> Self {
        Timeline {
            journal: Vec::new(),
            ends: Vec::new(),
            snapshots: vec![Snapshot {
                state: initial,
                changed: Vec::new(),
            }],
            written: Vec::new(),
            every,
            checkpoint_every: usize::try_from(CHECKPOINT_EVERY.div_ceil(every.max(1)))
                .unwrap_or(1)
                .max(1),
        }
    }

    /// Appends an entry; `live` is the projection after it.
    pub fn push(&mut self, entry: EntryOf<Y>, live: &Projection<Y>) {
        // One entry writes one stream.
        if self.checkpoint_every > 1 {
            if let Some(fact) = entry.facts().find(|f| !f.is_rejection()) {
                self.written.push(fact.stream_id.clone());
            }
        }
        self.journal.push(entry);
        self.ends.push(live.position);
        let last = &self.snapshots.last().expect("the initial snapshot").state;
        if live.position - last.position >= self.every || live.entries - last.entries >= self.every
        {
            self.snapshot(live);
        }
    }

    fn snapshot(&mut self, live: &Projection<Y>) {
        let snapshot = if self.snapshots.len() % self.checkpoint_every == 0 {
            self.written.clear();
            Snapshot {
                state: live.clone(),
                changed: Vec::new(),
            }
        } else {
            self.written.sort_unstable();
            self.written.dedup();
            let changed = self
                .written
                .drain(..)
                .filter_map(|id| live.streams.get(&id).map(|s| (id, s.clone())))
                .collect();
            let mut state = live.clone();
            state.streams = Default::default();
            Snapshot { state, changed }
        };
        self.snapshots.push(snapshot);
    }

    /// The projection of snapshot `index`, its streams map rebuilt from the checkpoint
    /// before it and the streams each snapshot since then changed: all of them, or only
    /// those in `only` (sorted) when given.
    fn restore(&self, index: usize, only: Option<&[StreamId]>) -> Projection<Y> {
        let checkpoint = index - index % self.checkpoint_every;
        let mut state = self.snapshots[index].state.clone();
        let whole = &self.snapshots[checkpoint].state.streams;
        let since = &self.snapshots[checkpoint + 1..=index];
        match only {
            None if index != checkpoint => {
                let mut streams = whole.clone();
                for snapshot in since {
                    for (id, stream) in &snapshot.changed {
                        streams.insert(id.clone(), stream.clone());
                    }
                }
                state.streams = streams;
            }
            None => {}
            Some(ids) => {
                // Each stream's state from the latest snapshot that changed it (the
                // snapshots newest first, each one's sorted list walked beside `ids`), else
                // from the checkpoint; in a map of their own, not in a copy of the paths of
                // the whole one (a million streams after a Repeat of a million facts).
                let mut latest = vec![None; ids.len()];
                for snapshot in since.iter().rev() {
                    let mut changed = snapshot.changed.iter().peekable();
                    for (found, id) in latest.iter_mut().zip(ids) {
                        while changed.next_if(|(k, _)| k < id).is_some() {}
                        if let Some((_, stream)) = changed.next_if(|(k, _)| k == id) {
                            found.get_or_insert(stream);
                        }
                    }
                }
                state.streams = ids
                    .iter()
                    .zip(latest)
                    .filter_map(|(id, stream)| {
                        let stream = stream.or_else(|| whole.get(id))?;
                        Some((id.clone(), Arc::clone(stream)))
                    })
                    .collect();
            }
        }
        state
    }

    /// Frees the oldest snapshot after the initial one, for an engine taken apart a slice
    /// at a time ([`crate::Remains`]); whether there was one. Oldest first: a checkpoint
    /// shares with the next one every map node not written between them, so dropping it
    /// frees only the nodes written in one checkpoint interval, not a copy of the map.
    pub(crate) fn free_oldest_snapshot(&mut self) -> bool {
        if self.snapshots.len() < 2 {
            return false;
        }
        self.snapshots.remove(1);
        true
    }

    /// Frees the last `entries` journal entries (once the snapshots are freed), for an
    /// engine taken apart a slice at a time ([`crate::Remains`]).
    pub(crate) fn free_last(&mut self, entries: usize) {
        let keep = self.journal.len().saturating_sub(entries);
        self.journal.truncate(keep);
        self.ends.truncate(keep);
    }

    /// The journal entries.
    pub fn journal(&self) -> &[EntryOf<Y>] {
        &self.journal
    }

    /// The recorded facts from global position `from` on, in order.
    pub fn facts(&self, from: u64) -> impl Iterator<Item = FactOf<'_, Y>> {
        let first = self.entry_of_position(from);
        self.journal[first.min(self.journal.len())..]
            .iter()
            .flat_map(JournalEntry::facts)
            .skip_while(move |f| f.position < from)
    }

    /// The number of facts recorded.
    pub fn head(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
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
        let index = self.ends.partition_point(|&end| end < position);
        (index + 1).min(self.journal.len())
    }

    /// The index of the journal entry that recorded the fact at `position` (the number of
    /// entries when no entry has).
    pub fn entry_of_position(&self, position: u64) -> usize {
        self.ends.partition_point(|&end| end <= position)
    }

    /// The number of facts recorded by the first `entries` journal entries.
    pub fn position_after(&self, entries: usize) -> u64 {
        entries
            .checked_sub(1)
            .and_then(|last| self.ends.get(last))
            .copied()
            .unwrap_or_else(|| if entries == 0 { 0 } else { self.head() })
    }

    /// The state after the first `entries` journal entries.
    pub fn at_entry(&self, system: &Y, entries: usize) -> Projection<Y> {
        self.fold_to(system, entries, None)
    }

    /// The state right after the fact at `position - 1` was recorded and its reactions
    /// queued (the initial state for 0; the latest fact's state past the head).
    pub fn at_position(&self, system: &Y, position: u64) -> Projection<Y> {
        let position = position.min(self.head());
        self.position_state(system, position, None)
    }

    /// The state after the first `entries` journal entries as [`Timeline::at_entry`] makes
    /// it, except that it keeps only the streams in `streams`: any other stream is missing
    /// from its map, and stays out of it when more entries are folded into it. For a
    /// reader of a few streams (the page's inspector): the whole state puts back every
    /// stream written since the last checkpoint, up to 16,384 of them, into a map of every
    /// stream, and folds every stream the entries after the snapshot write; this one puts
    /// back and folds only the streams it keeps, in a map of their own.
    pub fn at_entry_for(&self, system: &Y, entries: usize, streams: &[StreamId]) -> Projection<Y> {
        self.fold_to(system, entries, Some(streams))
    }

    /// The state right after the fact at `position - 1` was recorded, as
    /// [`Timeline::at_position`] makes it, with only `streams` sure to be right (see
    /// [`Timeline::at_entry_for`]).
    pub fn at_position_for(
        &self,
        system: &Y,
        position: u64,
        streams: &[StreamId],
    ) -> Projection<Y> {
        self.position_state(system, position, Some(streams))
    }

    fn position_state(
        &self,
        system: &Y,
        position: u64,
        streams: Option<&[StreamId]>,
    ) -> Projection<Y> {
        let position = position.min(self.head());
        if position == 0 {
            return self.restore(0, None);
        }
        let index = self.ends.partition_point(|&end| end < position);
        let mut state = self.fold_to(system, index, streams);
        state
            .apply_until(system, &self.journal[index], position)
            .expect("the engine's own journal folds");
        state
    }

    /// The state after the first `entries` entries: the snapshot before them, restored
    /// whole or (with `only`) keeping only those streams ([`Timeline::at_entry_for`]),
    /// then the entries after it folded.
    fn fold_to(&self, system: &Y, entries: usize, only: Option<&[StreamId]>) -> Projection<Y> {
        let entries = entries.min(self.journal.len());
        let start = self
            .snapshots
            .partition_point(|s| s.state.entries <= entries as u64)
            - 1;
        let only: Option<Arc<[StreamId]>> = only.map(|streams| {
            let mut ids = streams.to_vec();
            ids.sort_unstable();
            ids.dedup();
            ids.into()
        });
        let mut state = self.restore(start, only.as_deref());
        state.only = only;
        for entry in &self.journal[state.entries as usize..entries] {
            state
                .apply(system, entry)
                .expect("the engine's own journal folds");
        }
        state
    }
}
