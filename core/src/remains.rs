//! [`Remains`]: an engine taken apart, freed a slice at a time.
//!
//! A long session owns millions of allocations, too many to free in one task of a page
//! that must stay responsive. Each large collection the engine owned is drained here a
//! bounded number of items a slice: the snapshots (oldest first, one a slice), the journal
//! (latest first), then the live streams.

use crate::envelope::SharedCommand;
use crate::projection::StreamsOf;
use crate::reactors::ReactorNames;
use crate::streams::StreamsDrain;
use crate::system::{ProcessStateOf, StreamStateOf, System, ViewStateOf};
use crate::time_travel::{OrdinalsDrain, Timeline};
use crate::trace::CommandIndex;
use std::sync::Arc;

/// An engine taken apart, to be freed a slice at a time ([`crate::Engine::into_remains`]).
pub struct Remains<Y: System> {
    timeline: Timeline<Y>,
    /// The ids of the streams the checkpoints held, freed after their states.
    stream_ids: OrdinalsDrain,
    /// The live streams, freed once the journal is gone.
    live: StreamsDrain<StreamStateOf<Y>>,
    /// What is left, each part small or a few allocations: freed with `self`.
    _rest: Leftovers<Y>,
}

/// What [`Remains::free`] frees next, in the order it frees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Freeing {
    /// The time-travel snapshots (what only they hold), one a call, then the stream states
    /// and stream ids their checkpoints held.
    Snapshots,
    /// The journal: every step record and command envelope, the facts' payloads.
    Journal,
    /// The live streams: their ids and states.
    Streams,
    /// Nothing: what is left (the view, the process manager's state, the queue, the
    /// command index, the vectors' buffers) goes when the remains are dropped.
    Rest,
}

/// The parts of an engine that [`Remains`] frees in one go, when it is dropped: the
/// system, the view, the process manager's state, the queue, the command index (one
/// vector), the reactor names.
pub(crate) type Leftovers<Y> = (
    Arc<Y>,
    ViewStateOf<Y>,
    ProcessStateOf<Y>,
    imbl::Vector<SharedCommand<<Y as System>::Command>>,
    CommandIndex,
    ReactorNames,
);

impl<Y: System> Remains<Y> {
    /// The remains of an engine's parts.
    pub(crate) fn new(timeline: Timeline<Y>, streams: StreamsOf<Y>, rest: Leftovers<Y>) -> Self {
        let mut timeline = timeline;
        Remains {
            stream_ids: timeline.take_stream_ids(),
            timeline,
            live: streams.into_drain(),
            _rest: rest,
        }
    }

    /// What the next call of [`Remains::free`] frees.
    pub fn freeing(&self) -> Freeing {
        if self.timeline.snapshot_count() > 1
            || self.timeline.checkpoint_items() > 0
            || self.stream_ids.len() > 0
        {
            Freeing::Snapshots
        } else if !self.timeline.journal().is_empty() {
            Freeing::Journal
        } else if self.live.len() > 0 {
            Freeing::Streams
        } else {
            Freeing::Rest
        }
    }

    /// Frees up to `items` more of what the engine owned: one snapshot (the oldest; it
    /// takes a whole call), else the checkpoints' stream states and ids, journal entries
    /// (latest first), then the live streams; whether any of them is left (drop `self`
    /// then). Each map is freed in one pass over it, so an item costs the same however
    /// many were freed before.
    pub fn free(&mut self, items: usize) -> bool {
        if items == 0 || !self.timeline.free_oldest_snapshot() {
            let mut budget = items;
            budget -= self.timeline.free_states(budget);
            budget -= drain(&mut self.stream_ids, budget);
            budget -= self.timeline.free_entries(budget);
            drain(&mut self.live, budget);
        }
        self.freeing() != Freeing::Rest
    }
}

/// Drops up to `items` of what `left` has left; how many it dropped.
fn drain(left: &mut impl ExactSizeIterator, items: usize) -> usize {
    let dropped = items.min(left.len());
    left.take(dropped).for_each(drop);
    dropped
}
