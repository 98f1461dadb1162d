//! The same deciders on a production event store: a [`Session`] keeps an engine of any
//! domain (through [`decider_core::DynDomain`], as the playground and the CLI do) in
//! PostgreSQL.
//!
//! - `decider_journal`: the engine's journal, one row an entry, what rebuilds it exactly
//!   (queue, ids and all) when the session is opened again, in this or another process;
//! - `decider_facts`: every fact as a row with its envelope (stream and version, kind,
//!   message name, payload, ids, correlation and causation, origin, compensation and
//!   injected marks), to query with SQL;
//! - one engine step a transaction: its journal entry and its facts together;
//! - optimistic concurrency: entries numbered without gaps, facts by position, events by
//!   stream version, each a key, so a second writer of the same entry fails and reads
//!   the other's back ([`Error::Conflict`]);
//! - `decider_packed`: every [`PACKED_ENTRIES`] entries in the engine's packed form, a
//!   cache written with the entry that completes them, which opening folds first (about
//!   ten times as fast as the JSON);
//! - followers: a [`Feed`] gives a session's facts as they are written, woken by
//!   `LISTEN`/`NOTIFY`.
//!
//! The tables are in `schema.sql`. [`scratch::Scratch`] starts a throwaway cluster to try
//! it (and to test it) without a database of one's own.

mod error;
mod feed;
pub mod scratch;
mod session;

pub use error::Error;
pub use feed::{Feed, StoredFact};
/// The PostgreSQL client sessions speak through: its `Client` is what [`connect`] returns.
pub use postgres;
pub use session::{connect, delete, domain_of, sessions, Listed, Session, PACKED_ENTRIES};
