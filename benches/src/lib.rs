//! Workloads for the Decider Lab benchmarks (native criterion benches in `benches/`, and
//! the same workloads compiled to wasm by `web/benches/`). Figures are in BENCHMARKS.md.
#![deny(missing_docs)]

pub mod heap;
pub mod order;
pub mod plain;
pub mod workloads;
