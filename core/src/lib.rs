//! # decider-core
//!
//! The pure runtime of Decider Lab. A [`Decider`] turns commands into events (or a
//! rejection) and folds events into state; a [`View`] folds events into a read model; a
//! [`Saga`] or [`ProcessManager`] reacts to events *and rejections* with new commands,
//! which is how compensation is written. The [`Engine`] runs them together over an
//! [`EventStore`], records every step as one atomic [`StepRecord`], and can travel to any
//! global position, fork a what-if branch, or draw the causal [`Trace`] of one flow.
//!
//! Everything here is pure and deterministic: no I/O, no clock, no randomness. Ids and
//! logical time come from an injected, seedable [`SeededIds`] source.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod boundary;
mod checkpoint;
pub mod compose;
pub mod decider;
mod ends;
pub mod engine;
pub mod envelope;
pub mod explore;
mod growth;
pub mod ids;
pub mod invariants;
pub mod journal;
pub mod journal_file;
pub mod process_manager;
pub mod projection;
mod reactors;
mod remains;
pub mod saga;
pub mod scenario;
mod segmented;
mod shelf;
pub mod spec;
pub mod store;
pub mod streams;
pub mod system;
pub mod time_travel;
pub mod trace;
pub mod view;

#[cfg(test)]
mod tests;

pub use boundary::{
    BoundaryError, DomainInfo, DynDomain, DynEngine, MessageKind, MessageSchemas, TypedDomain,
};
pub use decider::{fold, Decider, Misplaced};
pub use engine::{Engine, EngineConfig, EngineError, GivenError, RunSummary};
pub use envelope::{CommandEnvelope, Fact, FactKind, FactKindRef, FactRef, Origin, RecordedFact};
pub use ids::{Id, SeededIds, SharedStr, StreamId};
pub use invariants::{Invariants, Said};
pub use journal::{
    At, GivenRecord, JournalEntry, Named, Placed, ReadEntry, Run, StepFailure, StepRecord,
};
pub use process_manager::ProcessManager;
pub use projection::{JournalError, Projection, StreamState};
pub use remains::{Freeing, Remains};
pub use saga::Saga;
pub use segmented::{Span, SpanIter};
pub use store::{Conflict, EventStore, InMemoryEventStore};
pub use streams::Streams;
pub use system::{Parts, System};
pub use time_travel::Timeline;
pub use trace::{Trace, TraceFact, TraceNode};
pub use view::View;
