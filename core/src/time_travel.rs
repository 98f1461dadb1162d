//! Time travel: the journal with snapshots, and the state at any position.

use crate::engine::EntryOf;
use crate::projection::Projection;
use crate::system::System;

/// The journal of an engine with a [`Projection`] snapshot every K facts, so the state at
/// any position is one snapshot clone (structure-shared) plus at most K folds.
pub struct Timeline<Y: System> {
    journal: Vec<EntryOf<Y>>,
    /// The global position after each journal entry.
    ends: Vec<u64>,
    snapshots: Vec<Projection<Y>>,
    every: u64,
}

impl<Y: System> Timeline<Y> {
    /// An empty timeline starting at `initial`, snapshotting every `every` facts or entries.
    pub fn new(initial: Projection<Y>, every: u64) -> Self {
        Timeline {
            journal: Vec::new(),
            ends: Vec::new(),
            snapshots: vec![initial],
            every,
        }
    }

    /// Appends an entry; `live` is the projection after it.
    pub fn push(&mut self, entry: EntryOf<Y>, live: &Projection<Y>) {
        self.journal.push(entry);
        self.ends.push(live.position);
        let last = self.snapshots.last().expect("the initial snapshot");
        if live.position - last.position >= self.every || live.entries - last.entries >= self.every
        {
            self.snapshots.push(live.clone());
        }
    }

    /// The journal entries.
    pub fn journal(&self) -> &[EntryOf<Y>] {
        &self.journal
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
        let entries = entries.min(self.journal.len()) as u64;
        let start = self.snapshots.partition_point(|s| s.entries <= entries) - 1;
        let mut state = self.snapshots[start].clone();
        for entry in &self.journal[state.entries as usize..entries as usize] {
            state
                .apply(system, entry)
                .expect("the engine's own journal folds");
        }
        state
    }

    /// The state right after the fact at `position - 1` was recorded and its reactions
    /// queued (the initial state for 0; the latest fact's state past the head).
    pub fn at_position(&self, system: &Y, position: u64) -> Projection<Y> {
        let position = position.min(self.head());
        if position == 0 {
            return self.snapshots[0].clone();
        }
        let index = self.ends.partition_point(|&end| end < position);
        let mut state = self.at_entry(system, index);
        state
            .apply_until(system, &self.journal[index], position)
            .expect("the engine's own journal folds");
        state
    }
}
