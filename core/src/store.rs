//! The [`EventStore`]: an append-only log of facts with optimistic concurrency.

use crate::envelope::{FactKindRef, FactRef};
use crate::ids::StreamId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// An append was refused because the stream moved on since it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Conflict {
    /// The stream appended to.
    pub stream_id: StreamId,
    /// The version the writer read (the engine's: its live stream's).
    pub expected: u64,
    /// The version the stream has in the store; the writer's own when the store keeps no
    /// versions apart from its writer's ([`EventStore::stream_version`] is `None`), whose
    /// conflicts are then with the store's head.
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

/// Where the engine appends its facts, with optimistic concurrency: the versions of its
/// streams and the global head.
///
/// Events are ordered within their stream by `stream_version`; every fact has a gap-free
/// global `position`. The facts themselves live in the engine's journal (read them with
/// [`crate::Engine::facts`]); a store checks that the engine is its only writer and, if
/// durable, keeps a copy. This trait is synchronous and sees a step's facts before its
/// journal entry exists: the durable stores (the playground's IndexedDB, and
/// `decider-postgres`) persist the engine's journal entries instead, each step's in one
/// transaction with its facts, and rebuild the engine from them.
///
/// A store shared with other writers (durable, or in another process) keeps each
/// stream's version and refuses an append whose expected version is stale with a
/// [`Conflict`] naming both versions; the engine then records the conflict and never
/// retries on the other writer's facts. The engine's own in-memory store
/// ([`InMemoryEventStore`]) keeps no versions: the engine is its only writer, and its
/// live streams already hold every stream's version.
pub trait EventStore<C: 'static, E: 'static, R: 'static> {
    /// The position the next fact will get (the number of facts stored).
    fn head(&self) -> u64;

    /// The number of events in `stream`, or `None` if the store keeps no versions apart
    /// from its only writer's (the engine's in-memory store: its live streams hold them).
    fn stream_version(&self, stream: &StreamId) -> Option<u64>;

    /// Appends `facts`, all addressed to `stream`, if the stream is still at
    /// `expected_version`. Their positions must continue from [`EventStore::head`] and
    /// their event versions from `expected_version`. (An iterator, so that the engine
    /// hands over the facts of its step record without collecting them first.)
    fn append<'f>(
        &mut self,
        stream: &StreamId,
        expected_version: u64,
        facts: impl IntoIterator<Item = FactRef<'f, C, E, R>>,
    ) -> Result<(), Conflict>;
}

/// The engine's own in-memory [`EventStore`]: the head alone. The engine's journal holds
/// the facts and its live streams each stream's version, so neither is copied here (a
/// second map by stream id beside the live one cost 6–11 bytes a fact and a hash and a
/// probe an append); the engine, its only writer, appends at its live versions.
#[derive(Clone, Debug)]
pub struct InMemoryEventStore<C, E, R> {
    head: u64,
    facts: PhantomData<(C, E, R)>,
}

impl<C, E, R> Default for InMemoryEventStore<C, E, R> {
    fn default() -> Self {
        InMemoryEventStore {
            head: 0,
            facts: PhantomData,
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
        self.head
    }

    fn stream_version(&self, _stream: &StreamId) -> Option<u64> {
        None
    }

    /// Moves the head past `facts`; `expected_version` is the writer's own version of
    /// the stream, from which the events' versions continue.
    fn append<'f>(
        &mut self,
        stream: &StreamId,
        expected_version: u64,
        facts: impl IntoIterator<Item = FactRef<'f, C, E, R>>,
    ) -> Result<(), Conflict> {
        let mut version = expected_version;
        for fact in facts {
            assert_eq!(fact.position, self.head, "gap in positions");
            assert_eq!(fact.stream_id, stream, "fact addressed to another stream");
            if let FactKindRef::Event { stream_version, .. } = fact.kind {
                assert_eq!(stream_version, version + 1, "gap in versions");
                version += 1;
            }
            self.head += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{FactKind, RecordedFact};
    use crate::ids::Id;

    type Store = InMemoryEventStore<(), u32, ()>;

    fn event(position: u64, stream: &str, version: u64, e: u32) -> RecordedFact<(), u32, ()> {
        RecordedFact {
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
        }
    }

    #[test]
    fn counts_all_facts_and_keeps_no_versions_apart_from_its_writer_s() {
        let mut store = Store::new();
        let (a, b): (StreamId, StreamId) = ("a".into(), "b".into());
        let facts = [event(0, "a", 1, 1), event(1, "a", 2, 2)];
        store
            .append(&a, 0, facts.iter().map(RecordedFact::borrowed))
            .unwrap();
        store
            .append(&b, 0, [event(2, "b", 1, 3).borrowed()])
            .unwrap();
        store
            .append(&a, 2, [event(3, "a", 3, 4).borrowed()])
            .unwrap();
        assert_eq!(store.head(), 4);
        assert_eq!(
            store.stream_version(&a),
            None,
            "the engine's streams hold it"
        );
    }

    #[test]
    #[should_panic(expected = "gap in positions")]
    fn an_append_that_skips_a_position_is_a_bug() {
        let mut store = Store::new();
        let _ = store.append(&"a".into(), 0, [event(1, "a", 1, 1).borrowed()]);
    }

    #[test]
    #[should_panic(expected = "gap in versions")]
    fn an_append_that_skips_a_version_is_a_bug() {
        let mut store = Store::new();
        let _ = store.append(&"a".into(), 0, [event(0, "a", 2, 1).borrowed()]);
    }
}
