//! A stream's events found in the journal and folded again from a point: what "which
//! events changed this field" ([`super::history`]) and "why was this refused"
//! ([`super::why`]) both walk. The journal is read once up to a position; the fold starts
//! from the state time travel restores before the latest events a caller can afford.

use super::DomainEngine;
use crate::decider::Decider;
use crate::engine::FactOf;
use crate::ids::StreamId;
use crate::system::{StreamStateOf, System};

/// The journal entries that recorded a stream's facts before a position: each entry's
/// index with how many events it recorded before that position.
pub(super) struct StreamEntries {
    /// `(entry index, events before the end)`, in journal order.
    entries: Vec<(usize, u64)>,
    /// The position they stop before.
    end: u64,
}

impl StreamEntries {
    /// How many events the stream has before the end: its version there.
    pub(super) fn events(&self) -> u64 {
        self.entries.iter().map(|(_, n)| n).sum()
    }
}

/// Where a fold of a stream's latest events starts.
pub(super) struct Start<S> {
    /// The first of [`StreamEntries`]'s entries folded.
    first: usize,
    /// The events before it, not folded (the stream's version at the start).
    pub(super) skipped: u64,
    /// The position the fold starts at (0 when nothing is skipped).
    pub(super) from: u64,
    /// The stream's state there.
    pub(super) state: S,
}

impl<Y: System> DomainEngine<Y> {
    /// The entries of the journal that recorded `stream`'s facts before position `end`,
    /// found by their stream id alone (only theirs make facts): a pass over the journal
    /// up to `end`.
    pub(super) fn stream_entries(&self, stream: &StreamId, end: u64) -> StreamEntries {
        let entries = (self.engine.journal_run().iter().enumerate())
            .take_while(|(_, entry)| entry.at.position < end)
            .filter(|(_, entry)| entry.record.stream_id() == Some(stream))
            .map(|(index, entry)| {
                let events = entry
                    .record
                    .facts(entry.at)
                    .filter(|fact| fact.position < end && fact.event().is_some());
                (index, events.count() as u64)
            })
            .collect();
        StreamEntries { entries, end }
    }

    /// Where to fold `stream` again to follow at most `keep` (at least one) of its latest
    /// events among `entries`: whole entries are skipped, so the fold starts at the entry
    /// of the first event kept, from the initial state or the one time travel restores
    /// there. `None` when the stream has no event before the end.
    pub(super) fn refold_from(
        &self,
        stream: &StreamId,
        entries: &StreamEntries,
        keep: u64,
    ) -> Option<Start<StreamStateOf<Y>>> {
        let to_skip = entries.events().saturating_sub(keep.max(1));
        let mut skipped = 0;
        let first = entries.entries.iter().position(|&(_, n)| {
            let folds = skipped + n > to_skip;
            skipped += if folds { 0 } else { n };
            folds
        })?;
        let system = self.engine.system();
        if skipped == 0 {
            let state = system.decider().initial_state();
            return Some(Start {
                first,
                skipped,
                from: 0,
                state,
            });
        }
        let timeline = self.engine.timeline();
        let from = timeline.place(entries.entries[first].0).position;
        let live = &self.engine.state().streams;
        let streams = std::slice::from_ref(stream);
        let projection = timeline.at_position_for(system, live, from, streams);
        let state = projection.stream(system, stream).state;
        Some(Start {
            first,
            skipped,
            from,
            state,
        })
    }

    /// The facts of `entries` from `start`'s entry on, before the end, in order.
    pub(super) fn refolded<'a, S>(
        &'a self,
        entries: &'a StreamEntries,
        start: &Start<S>,
    ) -> impl Iterator<Item = FactOf<'a, Y>> + 'a {
        let timeline = self.engine.timeline();
        let (journal, end) = (timeline.journal(), entries.end);
        let entries = entries.entries[start.first..].iter();
        entries
            .filter_map(move |&(index, _)| Some(journal.get(index)?.facts(timeline.place(index))))
            .flatten()
            .take_while(move |fact| fact.position < end)
    }
}
