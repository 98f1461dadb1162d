//! The [`EventStore`]: an append-only log of facts with optimistic concurrency.

use crate::envelope::{FactKind, RecordedFact};
use crate::ids::{FastHash, StreamId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// An append was refused because the stream moved on since it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Conflict {
    /// The stream appended to.
    pub stream_id: StreamId,
    /// The version the writer read.
    pub expected: u64,
    /// The version the stream has.
    pub actual: u64,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stream `{}` is at version {}, expected {}",
            self.stream_id, self.actual, self.expected
        )
    }
}

impl std::error::Error for Conflict {}

/// A shared, immutable recorded fact (the log and the journal hold the same allocation).
pub type SharedFact<C, E, R> = Arc<RecordedFact<C, E, R>>;

/// An append-only, globally ordered log of facts (events and rejections).
///
/// Events are ordered within their stream by `stream_version`; every fact has a gap-free
/// global `position`. This trait is synchronous: a durable store in the browser persists
/// the engine's [`crate::StepRecord`]s instead, each in one transaction, and rebuilds the
/// engine from them.
pub trait EventStore<C: 'static, E: 'static, R: 'static> {
    /// The position the next fact will get (the number of facts stored).
    fn head(&self) -> u64;

    /// The number of events in `stream`.
    fn stream_version(&self, stream: &StreamId) -> u64;

    /// Appends `facts`, all addressed to `stream`, if the stream is still at
    /// `expected_version`. Their positions must continue from [`EventStore::head`] and
    /// their event versions from `expected_version`. (An iterator, so that the engine
    /// hands over the facts of its step record without collecting them first.)
    fn append(
        &mut self,
        stream: &StreamId,
        expected_version: u64,
        facts: impl IntoIterator<Item = SharedFact<C, E, R>>,
    ) -> Result<(), Conflict>;

    /// The events of `stream` with version greater than `after_version`, in order.
    fn read_stream(
        &self,
        stream: &StreamId,
        after_version: u64,
    ) -> impl Iterator<Item = &SharedFact<C, E, R>>;

    /// All facts from global position `from` on, in order.
    fn read_all(&self, from: u64) -> impl Iterator<Item = &SharedFact<C, E, R>>;
}

/// The in-memory [`EventStore`]: a vector of facts and, per stream, its event positions.
#[derive(Clone, Debug)]
pub struct InMemoryEventStore<C, E, R> {
    facts: Vec<SharedFact<C, E, R>>,
    streams: HashMap<StreamId, Vec<u64>, FastHash>,
}

impl<C, E, R> Default for InMemoryEventStore<C, E, R> {
    fn default() -> Self {
        InMemoryEventStore {
            facts: Vec::new(),
            streams: HashMap::default(),
        }
    }
}

impl<C, E, R> InMemoryEventStore<C, E, R> {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<C: 'static, E: 'static, R: 'static> EventStore<C, E, R> for InMemoryEventStore<C, E, R> {
    fn head(&self) -> u64 {
        self.facts.len() as u64
    }

    fn stream_version(&self, stream: &StreamId) -> u64 {
        self.streams.get(stream).map_or(0, |p| p.len() as u64)
    }

    fn append(
        &mut self,
        stream: &StreamId,
        expected_version: u64,
        facts: impl IntoIterator<Item = SharedFact<C, E, R>>,
    ) -> Result<(), Conflict> {
        let positions = match self.streams.get_mut(stream) {
            Some(positions) if positions.len() as u64 == expected_version => positions,
            None if expected_version == 0 => self.streams.entry(stream.clone()).or_default(),
            found => {
                return Err(Conflict {
                    stream_id: stream.clone(),
                    expected: expected_version,
                    actual: found.map_or(0, |p| p.len() as u64),
                })
            }
        };
        for fact in facts {
            assert_eq!(fact.position, self.facts.len() as u64, "gap in positions");
            assert_eq!(&fact.stream_id, stream, "fact addressed to another stream");
            if let FactKind::Event { stream_version, .. } = fact.kind {
                assert_eq!(
                    stream_version,
                    positions.len() as u64 + 1,
                    "gap in versions"
                );
                positions.push(fact.position);
            }
            self.facts.push(fact);
        }
        Ok(())
    }

    fn read_stream(
        &self,
        stream: &StreamId,
        after_version: u64,
    ) -> impl Iterator<Item = &SharedFact<C, E, R>> {
        let positions = self.streams.get(stream).map_or(&[][..], |p| &p[..]);
        positions
            .iter()
            .skip(after_version as usize)
            .map(|&p| &self.facts[p as usize])
    }

    fn read_all(&self, from: u64) -> impl Iterator<Item = &SharedFact<C, E, R>> {
        self.facts.iter().skip(from as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Id;

    type Store = InMemoryEventStore<(), u32, ()>;

    fn event(position: u64, stream: &str, version: u64, e: u32) -> SharedFact<(), u32, ()> {
        Arc::new(RecordedFact {
            position,
            stream_id: stream.into(),
            id: Id(position),
            command_id: Id(0),
            correlation_id: Id(0),
            causation_id: Id(0),
            time: 0,
            kind: FactKind::Event {
                stream_version: version,
                event: e,
            },
        })
    }

    #[test]
    fn append_checks_expected_version_and_names_the_conflict() {
        let mut store = Store::new();
        let a: StreamId = "a".into();
        store.append(&a, 0, vec![event(0, "a", 1, 10)]).unwrap();
        let conflict = store.append(&a, 0, vec![event(1, "a", 1, 11)]).unwrap_err();
        assert_eq!(
            conflict,
            Conflict {
                stream_id: a.clone(),
                expected: 0,
                actual: 1
            }
        );
        assert_eq!(
            conflict.to_string(),
            "stream `a` is at version 1, expected 0"
        );
        assert_eq!(store.head(), 1, "a refused append stores nothing");

        // A stream nobody wrote is at version 0: expecting more is a conflict too.
        let b: StreamId = "b".into();
        let conflict = store.append(&b, 2, vec![event(1, "b", 3, 12)]).unwrap_err();
        assert_eq!(
            conflict,
            Conflict {
                stream_id: b.clone(),
                expected: 2,
                actual: 0
            }
        );
        assert_eq!((store.head(), store.stream_version(&b)), (1, 0));
    }

    #[test]
    fn reads_streams_and_the_global_log_in_order() {
        let mut store = Store::new();
        let (a, b): (StreamId, StreamId) = ("a".into(), "b".into());
        store
            .append(&a, 0, vec![event(0, "a", 1, 1), event(1, "a", 2, 2)])
            .unwrap();
        store.append(&b, 0, vec![event(2, "b", 1, 3)]).unwrap();
        store.append(&a, 2, vec![event(3, "a", 3, 4)]).unwrap();
        let tail: Vec<u32> = store
            .read_stream(&a, 1)
            .filter_map(|f| f.event().copied())
            .collect();
        assert_eq!(tail, vec![2, 4]);
        let all: Vec<u64> = store.read_all(2).map(|f| f.position).collect();
        assert_eq!(all, vec![2, 3]);
        assert_eq!(store.stream_version(&b), 1);
        assert_eq!(store.stream_version(&"c".into()), 0);
    }
}
