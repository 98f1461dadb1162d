//! [`Remains`]: an engine taken apart, freed a slice at a time.
//!
//! A long session owns millions of allocations, too many to free in one task of a page
//! that must stay responsive. Each large collection the engine owned is drained here a
//! bounded number of items a slice: the journal with its snapshots (latest first), then the
//! live streams, then the store's stream versions.

use crate::envelope::SharedCommand;
use crate::ids::{FastHash, StreamId};
use crate::projection::StreamState;
use crate::store::{InMemoryEventStore, VersionsDrain};
use crate::system::{ProcessStateOf, StreamStateOf, System, ViewStateOf};
use crate::time_travel::Timeline;
use crate::trace::CommandIndex;
use std::sync::Arc;

/// An engine taken apart, to be freed a slice at a time ([`crate::Engine::into_remains`]).
pub struct Remains<Y: System> {
    timeline: Timeline<Y>,
    streams: imbl::hashmap::ConsumingIter<
        (StreamId, Arc<StreamState<StreamStateOf<Y>>>),
        imbl::shared_ptr::DefaultSharedPtr,
    >,
    versions: VersionsDrain,
    /// What is left, each part small or a few allocations: freed with `self`.
    _rest: Leftovers<Y>,
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
    Vec<Arc<str>>,
);

impl<Y: System> Remains<Y> {
    /// The remains of an engine's parts.
    pub(crate) fn new(
        timeline: Timeline<Y>,
        streams: imbl::GenericHashMap<
            StreamId,
            Arc<StreamState<StreamStateOf<Y>>>,
            FastHash,
            imbl::shared_ptr::DefaultSharedPtr,
        >,
        store: InMemoryEventStore<Y::Command, Y::Event, Y::Rejection>,
        rest: Leftovers<Y>,
    ) -> Self {
        Remains {
            timeline,
            streams: streams.into_iter(),
            versions: store.into_versions(),
            _rest: rest,
        }
    }

    /// Frees up to `items` more of what the engine owned (journal entries with the
    /// snapshots taken after them, then streams, then stream versions); whether any of
    /// them is left (drop `self` then).
    pub fn free(&mut self, items: usize) -> bool {
        let entries = self.timeline.journal().len();
        self.timeline.free_last(items);
        let mut budget = items - (entries - self.timeline.journal().len());
        budget -= self.streams.by_ref().take(budget).count();
        self.versions.by_ref().take(budget).for_each(drop);
        !self.timeline.journal().is_empty() || self.streams.len() > 0 || self.versions.len() > 0
    }
}
