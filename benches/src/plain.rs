//! The plain load → fold → decide → save loop (what fmodel-rust's
//! `EventSourcedAggregate` does), in memory, on the same decider: the baseline the engine
//! is measured against.

use decider_core::{fold, Decider, StreamId};
use std::collections::HashMap;

/// Events by stream, and nothing else: no envelopes, no journal, no snapshots.
pub struct PlainLoop<D: Decider> {
    decider: D,
    streams: HashMap<StreamId, Vec<D::Event>>,
}

impl<D: Decider> PlainLoop<D> {
    /// An empty store for `decider`.
    pub fn new(decider: D) -> Self {
        PlainLoop {
            decider,
            streams: HashMap::new(),
        }
    }

    /// Loads the command's stream, folds it from the initial state, decides, and appends
    /// the events; a rejection stores nothing.
    pub fn handle(&mut self, command: &D::Command) -> Result<usize, D::Rejection> {
        let stream = self.decider.stream_id(command);
        let events = self.streams.entry(stream).or_default();
        let state = fold(&self.decider, self.decider.initial_state(), events.iter());
        let new = self.decider.decide(command, &state)?;
        let count = new.len();
        events.extend(new);
        Ok(count)
    }

    /// The number of events stored.
    pub fn events(&self) -> usize {
        self.streams.values().map(Vec::len).sum()
    }
}
