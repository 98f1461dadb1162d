//! Tests across modules, over a tiny local domain (counters with a cap, a forwarding saga
//! and a compensating process manager).

mod checkpoints;
mod combinators;
mod compose;
pub(crate) mod domain;
mod engine;
mod explore;
mod page;
mod properties;
mod rebuild;
mod time_travel;
