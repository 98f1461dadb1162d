//! A [`Session`]: one engine whose journal and facts live in PostgreSQL, each engine step
//! written in one transaction as it is taken.

use crate::error::Error;
use decider_core::boundary::FactRow;
use decider_core::journal_file::JournalFile;
use decider_core::{BoundaryError, DynDomain, DynEngine, EngineConfig, Id, RunSummary};
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls, Statement, Transaction};
use serde_json::Value;

/// The tables, made if missing when a store connects (`schema.sql`).
const SCHEMA: &str = include_str!("schema.sql");

/// The channel every transaction that writes facts notifies, with the session's name
/// (what a [`crate::Feed`] listens to).
pub(crate) const NOTIFY_CHANNEL: &str = "decider_facts";

/// Journal entries folded into the engine at a time when a session is read back.
const READ_CHUNK: usize = 4096;

/// Journal entries a packed image holds (`decider_packed`): one is written with every
/// entry whose index + 1 is a multiple of this.
pub const PACKED_ENTRIES: usize = 4096;

/// Connects to the database at `url` (a `postgresql://` URL or `key=value` settings, as
/// libpq takes them) and makes Decider Lab's tables if they are missing.
pub fn connect(url: &str) -> Result<Client, Error> {
    let mut client = Client::connect(url, NoTls)?;
    let mut tx = client.transaction()?;
    // Two writers connecting at once make the tables one after the other.
    tx.execute("SELECT pg_advisory_xact_lock(8347712960214)", &[])?;
    tx.batch_execute(SCHEMA)?;
    tx.commit()?;
    Ok(client)
}

/// A session as listed: its name, domain and size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The session's name.
    pub name: String,
    /// Its domain's id.
    pub domain: String,
    /// Journal entries stored.
    pub entries: u64,
    /// Facts stored.
    pub facts: u64,
}

/// Every session in the database, by name.
pub fn sessions(client: &mut Client) -> Result<Vec<Listed>, Error> {
    let rows = client.query(
        "SELECT s.name, s.domain,
                (SELECT count(*) FROM decider_journal j WHERE j.session = s.name),
                (SELECT count(*) FROM decider_facts f WHERE f.session = s.name)
           FROM decider_sessions s ORDER BY s.name",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|row| Listed {
            name: row.get(0),
            domain: row.get(1),
            entries: count(row.get(2)),
            facts: count(row.get(3)),
        })
        .collect())
}

/// The id of the domain session `name` was made with.
pub fn domain_of(client: &mut Client, name: &str) -> Result<String, Error> {
    let row = client.query_opt(
        "SELECT domain FROM decider_sessions WHERE name = $1",
        &[&name],
    )?;
    row.map(|row| row.get(0))
        .ok_or_else(|| Error::NoSession(name.to_string()))
}

/// Removes a session, its journal and its facts; whether there was one.
pub fn delete(client: &mut Client, name: &str) -> Result<bool, Error> {
    Ok(client.execute("DELETE FROM decider_sessions WHERE name = $1", &[&name])? > 0)
}

/// An engine of `domain` kept in PostgreSQL under a name.
///
/// Every operation first reads what other writers appended since, then runs on the
/// engine and writes each journal entry it made in a transaction of its own, with the
/// entry's facts as rows of `decider_facts`: a step is in the database whole or not at
/// all, so a process that stops mid-saga leaves a journal that reopens with the saga's
/// commands still queued, and [`Session::run_until_idle`] goes on from there.
///
/// Several processes may keep one session: the journal's entries are numbered without
/// gaps (and facts by position, events by stream version), so the second writer of an
/// entry fails on the table's key. That writer's session reads the database back and
/// reports [`Error::Conflict`]; submitting retries by itself, and running the queue
/// carries on with the other writer's steps (two processes running one queue share its
/// commands, each taken once).
pub struct Session<'d> {
    client: Client,
    name: String,
    domain: &'d dyn DynDomain,
    config: EngineConfig,
    engine: Box<dyn DynEngine>,
    /// Journal entries in the database (the engine's first `saved`).
    saved: usize,
    statements: Statements,
}

/// Times a submission is tried after another writer's entry took its place, each after
/// a wait twice the last (from 0.5 ms, at most 64 ms): a writer running a long queue
/// takes entries as fast as a submission is tried, so trying at once again can lose
/// again and again.
const SUBMIT_TRIES: u32 = 32;

impl<'d> Session<'d> {
    /// A new, empty session `name` of `domain`.
    pub fn create(
        client: Client,
        name: &str,
        domain: &'d dyn DynDomain,
        config: EngineConfig,
    ) -> Result<Self, Error> {
        Self::made(client, name, domain, config, domain.start(config))
    }

    /// A new session `name` of `domain` holding `engine`'s journal (a scenario run in
    /// memory, a journal file exported from the playground), written in one transaction.
    /// Its configuration is the default one with `engine`'s seed, as scenario and
    /// journal files have.
    pub fn create_from(
        client: Client,
        name: &str,
        domain: &'d dyn DynDomain,
        engine: Box<dyn DynEngine>,
    ) -> Result<Self, Error> {
        let config = EngineConfig {
            seed: engine.seed(),
            ..EngineConfig::default()
        };
        Self::made(client, name, domain, config, engine)
    }

    /// The session `name` made in the database with `engine`'s journal, in one
    /// transaction.
    fn made(
        client: Client,
        name: &str,
        domain: &'d dyn DynDomain,
        config: EngineConfig,
        engine: Box<dyn DynEngine>,
    ) -> Result<Self, Error> {
        let mut session = Self::new(client, name, domain, config, engine)?;
        let config = serde_json::to_value(config).expect("a config is JSON");
        let mut tx = session.client.transaction()?;
        let made = tx.execute(
            "INSERT INTO decider_sessions (name, domain, config) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO NOTHING",
            &[&name, &domain.info().id, &config],
        )?;
        if made == 0 {
            return Err(Error::Exists(name.to_string()));
        }
        let entries = session.engine.journal_len();
        for entry in 0..entries {
            write_entry(&mut tx, &session.statements, name, &*session.engine, entry)?;
        }
        tx.commit()?;
        session.saved = entries;
        Ok(session)
    }

    /// A session over `client` of which nothing is written or read yet.
    fn new(
        mut client: Client,
        name: &str,
        domain: &'d dyn DynDomain,
        config: EngineConfig,
        engine: Box<dyn DynEngine>,
    ) -> Result<Self, Error> {
        let statements = Statements::prepare(&mut client)?;
        Ok(Session {
            client,
            name: name.to_string(),
            domain,
            config,
            engine,
            saved: 0,
            statements,
        })
    }

    /// The session `name`, read back from the database and rebuilt exactly (its queue
    /// and ids included), checked to be a session of `domain`.
    pub fn open(mut client: Client, name: &str, domain: &'d dyn DynDomain) -> Result<Self, Error> {
        let row = client
            .query_opt(
                "SELECT domain, config FROM decider_sessions WHERE name = $1",
                &[&name],
            )?
            .ok_or_else(|| Error::NoSession(name.to_string()))?;
        let stored: String = row.get(0);
        if stored != domain.info().id {
            return Err(Error::Domain {
                session: name.to_string(),
                stored,
                given: domain.info().id.clone(),
            });
        }
        let config: EngineConfig =
            serde_json::from_value(row.get(1)).map_err(|e| Error::Stored {
                session: name.to_string(),
                error: BoundaryError {
                    path: "config".into(),
                    message: e.to_string(),
                },
            })?;
        let mut session = Self::new(client, name, domain, config, domain.start(config))?;
        session.read_images()?;
        session.read_on()?;
        Ok(session)
    }

    /// The session's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The engine, to read (facts, states, traces): change it through the session.
    pub fn engine(&self) -> &dyn DynEngine {
        &*self.engine
    }

    /// The session as a journal file (what the playground imports), titled by its name.
    pub fn journal_file(&self) -> JournalFile {
        JournalFile::new(
            &self.domain.info().id,
            self.config.seed,
            &self.name,
            self.engine.journal(0),
        )
    }

    /// Reads what other writers appended since this session last wrote or read; the
    /// number of journal entries read.
    pub fn refresh(&mut self) -> Result<usize, Error> {
        let before = self.saved;
        self.read_on()?;
        Ok(self.saved - before)
    }

    /// Queues a user command (JSON of the domain's command type) and writes the
    /// submission; its id. Tried again on the other writer's entries when one took its
    /// place (at most 32 times, waiting longer each time, then [`Error::Conflict`]).
    pub fn submit(&mut self, command: &Value) -> Result<Id, Error> {
        let mut conflict = None;
        for tries in 0..SUBMIT_TRIES {
            if tries > 0 {
                std::thread::sleep(std::time::Duration::from_micros(500 << (tries - 1).min(7)));
            }
            self.read_on()?;
            let id = self.engine.submit(command).map_err(Error::Input)?;
            match self.save() {
                Ok(()) => return Ok(id),
                Err(e @ Error::Conflict { .. }) => conflict = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(conflict.expect("tried at least once"))
    }

    /// Records `events` (JSON of the domain's event type) in `stream` as history.
    pub fn given(&mut self, stream: &str, events: &[Value]) -> Result<(), Error> {
        self.read_on()?;
        self.engine.given(stream, events).map_err(Error::Input)?;
        self.save()
    }

    /// Takes one step of the queue and writes it; its step record as JSON, `None` when
    /// the queue is empty. [`Error::Conflict`] when another writer took the step first.
    pub fn step(&mut self) -> Result<Option<Value>, Error> {
        self.read_on()?;
        let Some(record) = self.engine.step() else {
            return Ok(None);
        };
        self.save()?;
        Ok(Some(record))
    }

    /// Steps until the queue is empty or this session took `max_steps` steps, each
    /// written as it is taken. A step another writer took first is theirs: the run goes
    /// on from the database's queue.
    pub fn run_until_idle(&mut self, max_steps: u64) -> Result<RunSummary, Error> {
        let mut steps = 0;
        while steps < max_steps {
            match self.step() {
                Ok(Some(_)) => steps += 1,
                Ok(None) => return Ok(RunSummary { steps, idle: true }),
                Err(Error::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(RunSummary {
            steps,
            idle: self.engine.queue_len() == 0,
        })
    }

    /// Makes the queued command `command_id` fail with `rejection` (JSON of the domain's
    /// rejection type), as the playground's "make this step fail", and writes the step.
    pub fn inject_fault(&mut self, command_id: Id, rejection: &Value) -> Result<Value, Error> {
        self.read_on()?;
        let record = self
            .engine
            .inject_fault(command_id, rejection)
            .map_err(Error::Input)?;
        self.save()?;
        Ok(record)
    }

    /// Writes the engine's entries past `saved`, each in a transaction with its facts. If
    /// another writer wrote one of them first, the session is read back from the
    /// database and the conflict returned; on any other failure too, the entries not
    /// written are dropped by reading the session back.
    fn save(&mut self) -> Result<(), Error> {
        while self.saved < self.engine.journal_len() {
            let entry = self.saved;
            let written = self.client.transaction().and_then(|mut tx| {
                write_entry(&mut tx, &self.statements, &self.name, &*self.engine, entry)?;
                tx.commit()
            });
            match written {
                Ok(()) => self.saved += 1,
                Err(e) => {
                    let conflict = e.code() == Some(&SqlState::UNIQUE_VIOLATION);
                    self.read_back()?;
                    return Err(if conflict {
                        Error::Conflict {
                            session: self.name.clone(),
                            entry,
                        }
                    } else {
                        Error::Database(e)
                    });
                }
            }
        }
        Ok(())
    }

    /// Folds the packed images stored from entry `saved` on, in order, as long as each
    /// reads and folds whole; an image that does not is passed over (the entries it
    /// folded are dropped) and the entries' JSON is read from there.
    fn read_images(&mut self) -> Result<(), Error> {
        let Session {
            client,
            name,
            engine,
            saved,
            ..
        } = self;
        let mut rows = client.query_raw(
            "SELECT first, count, image FROM decider_packed
              WHERE session = $1 AND first >= $2 ORDER BY first",
            [
                name as &(dyn postgres::types::ToSql + Sync),
                &(*saved as i64),
            ],
        )?;
        let mut spoilt = false;
        while let Some(row) = rows.next()? {
            let (first, count): (i64, i32) = (row.get(0), row.get(1));
            if first != *saved as i64 {
                break;
            }
            let folded = engine.extend_packed(row.get(2));
            if !matches!(folded, Some(Ok(()))) || engine.journal_len() != *saved + count as usize {
                spoilt = true;
                break;
            }
            *saved += count as usize;
        }
        drop(rows);
        if spoilt {
            self.read_back()?;
        }
        Ok(())
    }

    /// Drops the entries not written, then reads on from the database: the engine is
    /// forked at the written entries' last fact (its journal up to the step that recorded
    /// it, folded again in memory, not read again from the database), and the entries
    /// after that step are read back.
    fn read_back(&mut self) -> Result<(), Error> {
        self.engine = self.engine.fork_at(self.engine.head_after(self.saved));
        self.saved = self.engine.journal_len();
        self.read_on()
    }

    /// Folds the journal entries stored past `saved`, a chunk at a time. Entries this
    /// session made but did not write (a failure it could not read back from) are
    /// dropped first.
    fn read_on(&mut self) -> Result<(), Error> {
        if self.saved < self.engine.journal_len() {
            return self.read_back();
        }
        let from = self.saved as i64;
        let Session {
            client,
            name,
            engine,
            saved,
            statements,
            ..
        } = self;
        // Most often nothing is new: said by the key alone (a range scan may be planned
        // as a scan of every session's entries).
        let next = client.query_opt(&statements.has_entry, &[&*name, &from])?;
        if next.is_none() {
            return Ok(());
        }
        let mut rows = client.query_raw(
            "SELECT entry, body::text FROM decider_journal
              WHERE session = $1 AND entry >= $2 ORDER BY entry",
            [name as &(dyn postgres::types::ToSql + Sync), &from],
        )?;
        let mut chunk = Chunk::default();
        while let Some(row) = rows.next()? {
            let entry: i64 = row.get(0);
            let expected = *saved + chunk.entries;
            if entry != expected as i64 {
                return Err(stored_error(
                    name,
                    expected,
                    format!("journal entry {expected} is missing (the next stored is {entry})"),
                ));
            }
            chunk.push(row.get(1));
            if chunk.entries == READ_CHUNK {
                chunk.fold(&mut **engine, saved, name)?;
            }
        }
        chunk.fold(&mut **engine, saved, name)
    }
}

/// Stored entries' text gathered to be folded at once.
#[derive(Default)]
struct Chunk {
    text: String,
    entries: usize,
}

impl Chunk {
    fn push(&mut self, entry: &str) {
        self.text.push(if self.entries == 0 { '[' } else { ',' });
        self.text.push_str(entry);
        self.entries += 1;
    }

    /// Folds the entries into `engine`, whose first `saved` entries are the stored ones
    /// before them, and empties the chunk.
    fn fold(
        &mut self,
        engine: &mut dyn DynEngine,
        saved: &mut usize,
        session: &str,
    ) -> Result<(), Error> {
        if self.entries == 0 {
            return Ok(());
        }
        self.text.push(']');
        let folded = engine.extend(&self.text);
        self.text.clear();
        let read = std::mem::take(&mut self.entries);
        match folded {
            Ok(()) => {
                *saved += read;
                Ok(())
            }
            Err(error) => {
                // The entries before the one that does not fold stay; `extend`'s path
                // counts from the journal's start: the stored index.
                *saved = engine.journal_len();
                Err(Error::Stored {
                    session: session.to_string(),
                    error,
                })
            }
        }
    }
}

fn stored_error(session: &str, entry: usize, message: String) -> Error {
    Error::Stored {
        session: session.to_string(),
        error: BoundaryError {
            path: format!("$[{entry}]"),
            message,
        },
    }
}

/// The statements a session runs at every operation, prepared once.
struct Statements {
    /// Whether the journal has an entry at `($1, $2)`.
    has_entry: Statement,
    insert_entry: Statement,
    insert_fact: Statement,
    /// Tells the session's followers that facts were written (sent at the commit).
    notify: Statement,
    insert_image: Statement,
}

impl Statements {
    fn prepare(client: &mut Client) -> Result<Self, Error> {
        Ok(Statements {
            has_entry: client
                .prepare("SELECT 1 FROM decider_journal WHERE session = $1 AND entry = $2")?,
            insert_entry: client.prepare(
                "INSERT INTO decider_journal (session, entry, body) VALUES ($1, $2, $3)",
            )?,
            insert_fact: client.prepare(
                "INSERT INTO decider_facts (session, position, entry, stream_id,
                     stream_version, kind, name, payload, command, fact_id, command_id,
                     correlation_id, causation_id, time, origin, depth, compensation,
                     injected, external, zero_payload)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                     $16, $17, $18, $19, $20)",
            )?,
            notify: client.prepare(&format!("SELECT pg_notify('{NOTIFY_CHANNEL}', $1)"))?,
            insert_image: client.prepare(
                "INSERT INTO decider_packed (session, first, count, image) VALUES ($1, $2, $3, $4)",
            )?,
        })
    }
}

/// Writes journal entry `entry` of `engine` and its facts in `tx`.
fn write_entry(
    tx: &mut Transaction<'_>,
    statements: &Statements,
    session: &str,
    engine: &dyn DynEngine,
    entry: usize,
) -> Result<(), postgres::Error> {
    let body = engine
        .journal_range(entry, entry + 1)
        .pop()
        .expect("the entry exists");
    let index = entry as i64;
    tx.execute(&statements.insert_entry, &[&session, &index, &body])?;
    let rows = engine.rows(engine.head_after(entry), engine.head_after(entry + 1));
    for row in &rows {
        insert(tx, &statements.insert_fact, session, index, row)?;
    }
    if !rows.is_empty() {
        tx.execute(&statements.notify, &[&session])?;
    }
    if (entry + 1) % PACKED_ENTRIES == 0 {
        let first = entry + 1 - PACKED_ENTRIES;
        let image = engine.packed(first, entry + 1);
        tx.execute(
            &statements.insert_image,
            &[&session, &(first as i64), &(PACKED_ENTRIES as i32), &image],
        )?;
    }
    Ok(())
}

fn insert(
    tx: &mut Transaction<'_>,
    statement: &Statement,
    session: &str,
    entry: i64,
    row: &FactRow,
) -> Result<(), postgres::Error> {
    let version = row.stream_version.map(|v| v as i64);
    tx.execute(
        statement,
        &[
            &session,
            &(row.position as i64),
            &entry,
            &row.stream_id,
            &version,
            &row.kind.as_str(),
            &row.name,
            &row.payload,
            &row.command,
            &row.fact_id.to_string(),
            &row.command_id.to_string(),
            &row.correlation_id.to_string(),
            &row.causation_id.to_string(),
            &(row.time as i64),
            &row.origin,
            &(row.depth as i32),
            &row.compensation,
            &row.injected,
            &row.external,
            &row.zero_payload,
        ],
    )?;
    Ok(())
}

/// A `count(*)` as a count.
fn count(n: i64) -> u64 {
    n.max(0) as u64
}
