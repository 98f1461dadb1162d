//! Time travel: the journal with snapshots, and the state at any position.

use crate::ends::Ends;
use crate::engine::{EntryOf, FactOf};
use crate::envelope::FactKindRef;
use crate::growth;
use crate::ids::StreamId;
use crate::journal::JournalEntry;
use crate::projection::{fold_event, Projection};
use crate::system::System;
use std::sync::Arc;

/// How many facts (or entries) apart full snapshots of the streams map are, at least: the
/// snapshots between them keep no stream.
const CHECKPOINT_EVERY: u64 = 16384;

/// The journal of an engine with a [`Projection`] snapshot every K facts, so the state at
/// any position is one snapshot (structure-shared) plus at most K folds.
///
/// Only every few snapshots (a checkpoint, about every 16,384 facts) shares the live
/// streams map; the ones between keep no stream (their view, process manager and queue
/// only), and the streams at one of them are the checkpoint's with the events recorded
/// since folded in. The live map and its stream states are then rarely shared, so a write
/// after a snapshot seldom copies a map node or a stream's state (at most once per
/// checkpoint, not once per snapshot), and taking a snapshot looks up no stream.
pub struct Timeline<Y: System> {
    journal: Vec<EntryOf<Y>>,
    /// The global position after each journal entry.
    ends: Ends,
    /// The kept states: a checkpoint's has every stream, the others none.
    snapshots: Vec<Projection<Y>>,
    every: u64,
    /// Every how many snapshots the whole streams map is kept.
    checkpoint_every: usize,
}

impl<Y: System> Timeline<Y> {
    /// An empty timeline starting at `initial`, snapshotting every `every` facts or entries.
    pub fn new(initial: Projection<Y>, every: u64) -> Self {
        Timeline {
            journal: Vec::new(),
            ends: Ends::default(),
            snapshots: vec![initial],
            every,
            checkpoint_every: usize::try_from(CHECKPOINT_EVERY.div_ceil(every.max(1)))
                .unwrap_or(1)
                .max(1),
        }
    }

    /// Appends an entry; `live` is the projection after it.
    pub fn push(&mut self, entry: EntryOf<Y>, live: &Projection<Y>) {
        growth::push(&mut self.journal, entry);
        self.ends.push(live.position);
        let last = self.snapshots.last().expect("the initial snapshot");
        if live.position - last.position >= self.every || live.entries - last.entries >= self.every
        {
            self.snapshot(live);
        }
    }

    fn snapshot(&mut self, live: &Projection<Y>) {
        let mut state = live.clone();
        if self.snapshots.len() % self.checkpoint_every != 0 {
            state.streams = Default::default();
        }
        self.snapshots.push(state);
    }

    /// The projection of snapshot `index`, its streams those of the checkpoint before it
    /// with the events recorded since folded in: all of them, or only those of the
    /// streams in `only` (sorted) when given, in a map of their own, not in a copy of the
    /// paths of the whole one (a million streams after a Repeat of a million facts).
    fn restore(&self, system: &Y, index: usize, only: Option<&[StreamId]>) -> Projection<Y> {
        let checkpoint = index - index % self.checkpoint_every;
        let mut state = self.snapshots[index].clone();
        let base = &self.snapshots[checkpoint];
        let mut streams = match only {
            None => base.streams.clone(),
            Some(ids) => ids
                .iter()
                .filter_map(|id| Some((id.clone(), Arc::clone(base.streams.get(id)?))))
                .collect(),
        };
        for entry in &self.journal[base.entries as usize..state.entries as usize] {
            let Some(stream) = entry.stream_id() else {
                continue;
            };
            if only.is_some_and(|ids| ids.binary_search(stream).is_err()) {
                continue;
            }
            for fact in entry.facts() {
                if let FactKindRef::Event {
                    stream_version,
                    event,
                } = fact.kind
                {
                    fold_event::<Y>(
                        &mut streams,
                        system.decider(),
                        stream,
                        event,
                        stream_version,
                        false,
                    )
                    .expect("a fold that checks nothing does not fail");
                }
            }
        }
        state.streams = streams;
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
    /// reader of a few streams (the page's inspector): the whole state folds the events of
    /// every stream written since the last checkpoint (up to 16,384 entries) into a copy
    /// of the checkpoint's map, and every stream the entries after the snapshot write;
    /// this one folds only the streams it keeps, in a map of their own.
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
            return self.restore(system, 0, None);
        }
        let index = self.ends.count_below(|end| end < position);
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
            .partition_point(|s| s.entries <= entries as u64)
            - 1;
        let only: Option<Arc<[StreamId]>> = only.map(|streams| {
            let mut ids = streams.to_vec();
            ids.sort_unstable();
            ids.dedup();
            ids.into()
        });
        let mut state = self.restore(system, start, only.as_deref());
        state.only = only;
        for entry in &self.journal[state.entries as usize..entries] {
            state
                .apply(system, entry)
                .expect("the engine's own journal folds");
        }
        state
    }
}
