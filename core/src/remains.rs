//! [`Remains`]: an engine taken apart, freed a slice at a time.
//!
//! A long session owns millions of allocations, too many to free in one task of a page
//! that must stay responsive. Each large collection the engine owned is drained here a
//! bounded number of items a slice: the snapshots (oldest first, one a slice), the journal
//! (latest first), then the live streams, then the store's stream versions.

use crate::envelope::SharedCommand;
use crate::ids::SharedStr;
use crate::projection::StreamsOf;
use crate::store::{InMemoryEventStore, VersionsDrain};
use crate::system::{ProcessStateOf, System, ViewStateOf};
use crate::time_travel::Timeline;
use crate::trace::CommandIndex;
use std::sync::Arc;

/// An engine taken apart, to be freed a slice at a time ([`crate::Engine::into_remains`]).
pub struct Remains<Y: System> {
    timeline: Timeline<Y>,
    /// The live streams, freed once the journal is gone.
    live: Option<StreamsOf<Y>>,
    versions: VersionsDrain,
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
    /// The store's stream versions.
    StreamVersions,
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
    Vec<SharedStr>,
);

impl<Y: System> Remains<Y> {
    /// The remains of an engine's parts.
    pub(crate) fn new(
        timeline: Timeline<Y>,
        streams: StreamsOf<Y>,
        store: InMemoryEventStore<Y::Command, Y::Event, Y::Rejection>,
        rest: Leftovers<Y>,
    ) -> Self {
        Remains {
            timeline,
            live: Some(streams),
            versions: store.into_versions(),
            _rest: rest,
        }
    }

    /// What the next call of [`Remains::free`] frees.
    pub fn freeing(&self) -> Freeing {
        if self.timeline.snapshot_count() > 1 || self.timeline.checkpoint_items() > 0 {
            Freeing::Snapshots
        } else if self.live.is_some() {
            match self.timeline.kept_items() {
                0 => Freeing::Streams,
                _ => Freeing::Journal,
            }
        } else if self.versions.len() > 0 {
            Freeing::StreamVersions
        } else {
            Freeing::Rest
        }
    }

    /// Frees up to `items` more of what the engine owned: one snapshot (the oldest; it
    /// takes a whole call), else journal entries (latest first), then the live streams,
    /// then the store's stream versions; whether any of them is left (drop `self` then).
    pub fn free(&mut self, items: usize) -> bool {
        let mut budget = items;
        if budget > 0 && self.timeline.free_oldest_snapshot() {
            budget = 0;
        }
        while budget > 0 {
            let kept = self.timeline.kept_items();
            if kept > 0 {
                self.timeline.free_last(budget);
                budget -= kept - self.timeline.kept_items();
            } else if let Some(live) = &mut self.live {
                let left = live.len();
                if !live.free(budget) {
                    self.live = None;
                }
                budget -= left - self.live.as_ref().map_or(0, |l| l.len());
            } else {
                self.versions.by_ref().take(budget).for_each(drop);
                break;
            }
        }
        self.timeline.snapshot_count() > 1
            || self.timeline.kept_items() > 0
            || self.live.is_some()
            || self.versions.len() > 0
    }
}
