//! The plain load → fold → decide → save loop (what fmodel-rust's
//! `EventSourcedAggregate` does), in memory, on the same decider: the baseline the engine
//! is measured against.

use decider_core::{fold, Decider, StreamId};
use std::collections::HashMap;
use std::hint::black_box;

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

    /// Handles each of `commands`, made before and handed over owned as
    /// [`crate::workloads::run_commands`] hands the engine its own: each is dropped once
    /// handled (the loop keeps no command).
    pub fn run(&mut self, commands: Vec<D::Command>) {
        for command in commands {
            let _ = black_box(self.handle(&command));
        }
    }

    /// The number of events stored.
    pub fn events(&self) -> usize {
        self.streams.values().map(Vec::len).sum()
    }
}
