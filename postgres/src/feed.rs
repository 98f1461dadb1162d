//! A [`Feed`]: a session's facts as they are written, to follow from another process (a
//! projection, a dashboard, `decider pg follow`), woken by PostgreSQL's `LISTEN`/`NOTIFY`
//! instead of polling.

use crate::error::Error;
use crate::session::NOTIFY_CHANNEL;
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Statement};
use serde_json::Value;
use std::time::{Duration, Instant};

/// A fact as `decider_facts` holds it (the columns a follower shows).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredFact {
    /// Global position.
    pub position: u64,
    /// Its stream.
    pub stream_id: String,
    /// The stream's version after an event; `None` for a rejection.
    pub stream_version: Option<u64>,
    /// `event` or `rejection`.
    pub kind: String,
    /// The message's variant path, e.g. `order.order_placed`.
    pub name: String,
    /// The event, or the rejection's reason.
    pub payload: Value,
    /// The flow it belongs to.
    pub correlation_id: String,
    /// `user`, `given`, or the saga or process manager that issued its command.
    pub origin: String,
    /// Recorded for a compensating command.
    pub compensation: bool,
    /// A rejection injected instead of decided.
    pub injected: bool,
}

/// Facts read at most at a time.
const BATCH: i64 = 1000;

/// Follows one session's facts from a position on.
pub struct Feed {
    client: Client,
    session: String,
    next: u64,
    has_fact: Statement,
    facts: Statement,
}

impl Feed {
    /// Follows `session`'s facts from position `from` on, over `client` (which it keeps
    /// listening for the sessions' writes).
    pub fn new(mut client: Client, session: &str, from: u64) -> Result<Self, Error> {
        client.batch_execute(&format!("LISTEN {NOTIFY_CHANNEL}"))?;
        let has_fact =
            client.prepare("SELECT 1 FROM decider_facts WHERE session = $1 AND position = $2")?;
        let facts = client.prepare(
            "SELECT position, stream_id, stream_version, kind, name, payload,
                    correlation_id, origin, compensation, injected
               FROM decider_facts WHERE session = $1 AND position >= $2
              ORDER BY position LIMIT $3",
        )?;
        Ok(Feed {
            client,
            session: session.to_string(),
            next: from,
            has_fact,
            facts,
        })
    }

    /// The position of the next fact this feed gives.
    pub fn position(&self) -> u64 {
        self.next
    }

    /// The next facts in order (at most 1,000), as soon as there are some, waiting at
    /// most `wait` for a write: empty if none came.
    pub fn next(&mut self, wait: Duration) -> Result<Vec<StoredFact>, Error> {
        let deadline = Instant::now() + wait;
        loop {
            let facts = self.read()?;
            if !facts.is_empty() {
                return Ok(facts);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(facts);
            }
            // Any session's write wakes the feed; it reads again (by the key: cheap).
            let mut notifications = self.client.notifications();
            if notifications.timeout_iter(left).next()?.is_none() {
                return Ok(Vec::new());
            }
        }
    }

    /// The facts from `next` on, if the next one is written.
    fn read(&mut self) -> Result<Vec<StoredFact>, Error> {
        let from = self.next as i64;
        // Asked by the key first: a range asked of a table whose statistics are stale
        // may be planned as a scan of every session's facts.
        if self
            .client
            .query_opt(&self.has_fact, &[&self.session, &from])?
            .is_none()
        {
            return Ok(Vec::new());
        }
        let rows = self
            .client
            .query(&self.facts, &[&self.session, &from, &BATCH])?;
        let facts: Vec<StoredFact> = rows
            .iter()
            .map(|row| StoredFact {
                position: row.get::<_, i64>(0) as u64,
                stream_id: row.get(1),
                stream_version: row.get::<_, Option<i64>>(2).map(|v| v as u64),
                kind: row.get(3),
                name: row.get(4),
                payload: row.get(5),
                correlation_id: row.get(6),
                origin: row.get(7),
                compensation: row.get(8),
                injected: row.get(9),
            })
            .collect();
        if let Some(last) = facts.last() {
            self.next = last.position + 1;
        }
        Ok(facts)
    }
}
