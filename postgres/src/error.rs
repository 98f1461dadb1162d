//! What can go wrong with a session kept in PostgreSQL, each case naming what and where.

use decider_core::BoundaryError;
use std::fmt;

/// Why a session operation recorded nothing.
#[derive(Debug)]
pub enum Error {
    /// The database could not be reached, or refused a statement for another reason than
    /// a conflict.
    Database(postgres::Error),
    /// Another writer appended journal entry `entry` of `session` first. What this
    /// session did is not recorded; it now holds the other writer's entries, read back
    /// from the database, and the operation can be tried again on them.
    Conflict {
        /// The session.
        session: String,
        /// The journal entry both wrote.
        entry: usize,
    },
    /// No session of this name is in the database.
    NoSession(String),
    /// A session of this name is already in the database.
    Exists(String),
    /// The session was made with another domain than the one it is opened with.
    Domain {
        /// The session.
        session: String,
        /// The domain it was made with.
        stored: String,
        /// The domain it was opened with.
        given: String,
    },
    /// What the database holds for the session does not read or fold: its configuration
    /// or journal entry at `error.path`. Nothing was changed.
    Stored {
        /// The session.
        session: String,
        /// Where and why (the path counts journal entries from the first, `$[n]`).
        error: BoundaryError,
    },
    /// A command or rejection given as JSON was refused at the boundary (at its path).
    Input(BoundaryError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Database(e) => write!(f, "PostgreSQL: {}", database_message(e)),
            Error::Conflict { session, entry } => write!(
                f,
                "session `{session}`: another writer appended journal entry {entry} first; \
                 nothing of this operation was recorded (the session now holds the other \
                 writer's entries: try again)"
            ),
            Error::NoSession(name) => write!(f, "no session `{name}` in the database"),
            Error::Exists(name) => write!(f, "a session `{name}` is already in the database"),
            Error::Domain {
                session,
                stored,
                given,
            } => write!(
                f,
                "session `{session}` is a `{stored}` session, not a `{given}` one"
            ),
            Error::Stored { session, error } => {
                write!(f, "session `{session}` as stored: {error}")
            }
            Error::Input(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Database(e)
    }
}

/// The server's own message when it sent one (the client's `Display` says only "db
/// error"), else the client's.
fn database_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    }
}
