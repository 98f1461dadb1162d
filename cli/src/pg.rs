//! `decider pg`: the same deciders on PostgreSQL ([`decider_postgres`]): sessions pushed
//! from scenario or journal files, commands submitted and run with every step written as
//! it is taken, a queue left by a stopped process run on, and a session exported as a
//! journal file the playground opens.

use crate::{out, write_text, Failed};
use decider_core::journal_file::JournalFile;
use decider_core::scenario::{self, strict_json};
use decider_core::{DynDomain, DynEngine, EngineConfig, Id};
use decider_postgres::postgres::Client;
use decider_postgres::{connect, delete, domain_of, sessions, Feed, Session, StoredFact};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What `decider pg` takes.
#[derive(clap::Args)]
pub struct Options {
    /// The database: a `postgresql://` URL or libpq `key=value` settings (default: the
    /// `DATABASE_URL` environment variable).
    #[arg(long, global = true)]
    url: Option<String>,
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Lists the sessions in the database: name, domain, journal entries and facts.
    Sessions,
    /// Makes a new session from a scenario file (run as `decider run` does) or a journal
    /// file (the playground's export), written in one transaction.
    Push {
        /// The scenario or journal file.
        file: PathBuf,
        /// The new session's name (default: the file's name without `.json`).
        #[arg(long)]
        session: Option<String>,
    },
    /// Makes a new, empty session of a domain.
    Create {
        /// The new session's name.
        session: String,
        /// The domain's id (`decider domains`).
        #[arg(long)]
        domain: String,
        /// Seeds the session's ids.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Submits a command (JSON of the domain's command type) and runs the queue until
    /// idle, each step written in a transaction as it is taken; prints the flow's trace.
    Submit {
        /// The session's name.
        session: String,
        /// The command as JSON.
        command: String,
        /// Engine steps taken at most (the rest stays queued, in the database).
        #[arg(long, default_value_t = 10_000)]
        max_steps: u64,
    },
    /// Runs what is queued (a saga a stopped process left half done) until idle.
    Run {
        /// The session's name.
        session: String,
        /// Engine steps taken at most.
        #[arg(long, default_value_t = 10_000)]
        max_steps: u64,
    },
    /// Lists the commands waiting in the session's queue: id, stream, origin, depth and
    /// the command (the ids `fail` takes).
    Queue {
        /// The session's name.
        session: String,
    },
    /// Makes the queued command ID fail with REJECTION (JSON of the domain's rejection
    /// type) instead of deciding it, as the playground's "make this step fail", then runs
    /// the queue until idle (sagas compensate as for a real refusal); prints the flow.
    Fail {
        /// The session's name.
        session: String,
        /// The queued command's id (`decider pg queue`).
        command_id: String,
        /// The rejection as JSON.
        rejection: String,
        /// Engine steps taken at most after it.
        #[arg(long, default_value_t = 10_000)]
        max_steps: u64,
    },
    /// Prints one flow's causal trace as `submit` does, or as a Mermaid sequence diagram
    /// (the playground's "❐ Mermaid").
    Trace {
        /// The session's name.
        session: String,
        /// The flow: its correlation id (the `correlation_id` of its facts' rows), or
        /// `#N`, the flow of the fact at position N.
        flow: String,
        /// Prints the flow as a Mermaid sequence diagram instead.
        #[arg(long)]
        mermaid: bool,
    },
    /// Lists every flow of the session with what became of it, as `decider flows` does.
    Flows {
        /// The session's name.
        session: String,
        /// Lists only the flows of this outcome: completed, compensated, refused, pending
        /// or failed.
        #[arg(long, value_parser = crate::flows::outcome)]
        outcome: Option<decider_core::boundary::FlowOutcome>,
    },
    /// Prints the session's facts from a position on, then each fact as it is written (by
    /// any process), until Ctrl-C, `--until` or `--idle`.
    Follow {
        /// The session's name.
        session: String,
        /// The first position printed.
        #[arg(long, default_value_t = 0)]
        from: u64,
        /// Stops once the fact at this position is printed.
        #[arg(long)]
        until: Option<u64>,
        /// Stops after this many seconds without a new fact.
        #[arg(long)]
        idle: Option<u64>,
    },
    /// Writes the session as a journal file (the playground's Import opens it).
    Export {
        /// The session's name.
        session: String,
        /// Where to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Removes a session, its journal and its facts.
    Delete {
        /// The session's name.
        session: String,
    },
}

/// Runs one `decider pg` action.
pub fn pg(options: &Options) -> Result<(), Failed> {
    let url = match &options.url {
        Some(url) => url.clone(),
        None => std::env::var("DATABASE_URL").map_err(|_| {
            Failed::Input("no database: give --url or set DATABASE_URL".to_string())
        })?,
    };
    let mut client = connect(&url).map_err(input)?;
    match &options.action {
        Action::Sessions => {
            for listed in sessions(&mut client).map_err(input)? {
                out(&format!(
                    "{}  {}  {} entries, {} facts\n",
                    listed.name, listed.domain, listed.entries, listed.facts
                ));
            }
            Ok(())
        }
        Action::Push { file, session } => {
            let name = match session {
                Some(name) => name.clone(),
                None => stem(file),
            };
            let (domain, engine) = read(file)?;
            let session = Session::create_from(client, &name, &*domain, engine).map_err(input)?;
            summary(&session, "pushed");
            Ok(())
        }
        Action::Create {
            session,
            domain,
            seed,
        } => {
            let domain = find(domain)?;
            let config = EngineConfig {
                seed: *seed,
                ..EngineConfig::default()
            };
            let session = Session::create(client, session, &*domain, config).map_err(input)?;
            summary(&session, "created");
            Ok(())
        }
        Action::Submit {
            session,
            command,
            max_steps,
        } => {
            let command = strict_json::parse(command)
                .map_err(|e| Failed::Input(format!("the command: {e}")))?;
            with_session(client, session, |mut session| {
                let id = session.submit(&command).map_err(input)?;
                let run = session.run_until_idle(*max_steps).map_err(input)?;
                print_flow(&session, id);
                ran(&session, run.steps, run.idle);
                Ok(())
            })
        }
        Action::Run { session, max_steps } => with_session(client, session, |mut session| {
            let run = session.run_until_idle(*max_steps).map_err(input)?;
            ran(&session, run.steps, run.idle);
            Ok(())
        }),
        Action::Queue { session } => with_session(client, session, |session| {
            print_queue(&session);
            Ok(())
        }),
        Action::Fail {
            session,
            command_id,
            rejection,
            max_steps,
        } => {
            let id: Id = command_id
                .parse()
                .map_err(|e| Failed::Input(format!("command id `{command_id}`: {e}")))?;
            let rejection = strict_json::parse(rejection)
                .map_err(|e| Failed::Input(format!("the rejection: {e}")))?;
            with_session(client, session, |mut session| {
                let record = session.inject_fault(id, &rejection).map_err(input)?;
                let run = session.run_until_idle(*max_steps).map_err(input)?;
                let flow = record["command"]["correlation_id"].as_str();
                if let Some(flow) = flow.and_then(|c| c.parse().ok()) {
                    print_flow(&session, flow);
                }
                ran(&session, run.steps, run.idle);
                Ok(())
            })
        }
        Action::Trace {
            session,
            flow,
            mermaid,
        } => with_session(client, session, |session| {
            let id = flow_id(session.engine(), flow)?;
            match mermaid {
                true => match session.engine().flow(id) {
                    Some(flow) => out(&flow.to_mermaid()),
                    None => return Err(no_flow(&session, id)),
                },
                false => match session.engine().trace_text(id) {
                    Some(_) => print_flow(&session, id),
                    None => return Err(no_flow(&session, id)),
                },
            }
            Ok(())
        }),
        Action::Flows { session, outcome } => {
            let mut client = client;
            let domain = find(&domain_of(&mut client, session).map_err(input)?)?;
            with_session(client, session, |session| {
                let names = domain.command_names();
                out(&crate::flows::report(session.engine(), &names, *outcome));
                Ok(())
            })
        }
        Action::Follow {
            session,
            from,
            until,
            idle,
        } => {
            domain_of(&mut client, session).map_err(input)?;
            follow(
                Feed::new(client, session, *from).map_err(input)?,
                *until,
                *idle,
            )
        }
        Action::Export { session, out: file } => with_session(client, session, |session| {
            write_text(file.as_deref(), &session.journal_file().to_json())
        }),
        Action::Delete { session } => match delete(&mut client, session).map_err(input)? {
            true => {
                out(&format!("deleted session `{session}`\n"));
                Ok(())
            }
            false => Err(Failed::Input(format!(
                "no session `{session}` in the database"
            ))),
        },
    }
}

/// Prints what `feed` gives until the fact at `until` is printed, or `idle` seconds pass
/// without one.
fn follow(mut feed: Feed, until: Option<u64>, idle: Option<u64>) -> Result<(), Failed> {
    // A day stands for "wait as long as it takes" (the loop waits again).
    let wait = Duration::from_secs(idle.unwrap_or(86_400));
    loop {
        if until.is_some_and(|until| feed.position() > until) {
            return Ok(());
        }
        let facts = feed.next(wait).map_err(input)?;
        if facts.is_empty() && idle.is_some() {
            return Ok(());
        }
        for fact in &facts {
            out(&line(fact));
        }
    }
}

/// One fact as `follow` prints it: its marks, position, stream and version, name, origin
/// and fields (the payload without the variant wrappers its name names).
fn line(fact: &StoredFact) -> String {
    let fields = fact
        .name
        .split('.')
        .try_fold(&fact.payload, |value, key| value.get(key))
        .unwrap_or(&fact.payload);
    let glyph = if fact.kind == "rejection" {
        '✘'
    } else {
        '✔'
    };
    let marks = match (fact.compensation, fact.injected) {
        (_, true) => "⚡",
        (true, false) => "↩",
        (false, false) => " ",
    };
    let version = fact
        .stream_version
        .map_or_else(String::new, |v| format!(" v{v}"));
    format!(
        "{marks}{glyph} #{} {}{version} {} [{}] {}\n",
        fact.position, fact.stream_id, fact.name, fact.origin, fields
    )
}

/// The commands waiting in `session`'s queue, one a line.
fn print_queue(session: &Session<'_>) {
    let engine = session.engine();
    let state = engine.live_state();
    let queue = state["queue"].as_array().map_or(&[][..], Vec::as_slice);
    if queue.is_empty() {
        out(&format!(
            "session `{}`: the queue is empty\n",
            session.name()
        ));
    }
    for queued in queue {
        let command = &queued["command"];
        let stream = engine.stream_of(command).unwrap_or_default();
        let mark = if queued["compensation"] == true {
            " ↩"
        } else {
            ""
        };
        out(&format!(
            "{} {stream} [{}] depth {}{mark}: {command}\n",
            queued["command_id"].as_str().unwrap_or("?"),
            origin(&queued["origin"]),
            queued["depth"]
        ));
    }
}

/// The causal trace of the flow `flow`, as `decider run` prints it.
fn print_flow(session: &Session<'_>, flow: Id) {
    if let Some(trace) = session.engine().trace_text(flow) {
        out(&format!("flow {flow}\n{trace}"));
    }
}

/// The correlation id `flow` names in `engine`: the id itself, or `#N`, the flow of the
/// fact at position N.
fn flow_id(engine: &dyn DynEngine, flow: &str) -> Result<Id, Failed> {
    let Some(position) = flow.strip_prefix('#') else {
        return flow
            .parse()
            .map_err(|e| Failed::Input(format!("flow `{flow}`: {e}")));
    };
    let position: u64 = position.parse().map_err(|_| {
        Failed::Input(format!(
            "flow `{flow}`: a position is `#` and a whole number"
        ))
    })?;
    match engine.rows(position, position + 1).first() {
        Some(row) => Ok(row.correlation_id),
        None => Err(Failed::Input(format!(
            "flow `{flow}`: no fact at position {position} (the session has {} facts)",
            engine.head()
        ))),
    }
}

/// The error for a correlation id no flow of `session` has.
fn no_flow(session: &Session<'_>, id: Id) -> Failed {
    Failed::Input(format!(
        "session `{}` has no flow {id} (a correlation id, as in the facts' `correlation_id`)",
        session.name()
    ))
}

/// A queued command's origin as the log shows it: `user`, or the reactor's name.
fn origin(origin: &Value) -> &str {
    origin
        .as_str()
        .or_else(|| origin["reactor"]["name"].as_str())
        .unwrap_or("?")
}

/// Opens the session `name` with the domain it was made with, and hands it to `act`.
fn with_session<T>(
    mut client: Client,
    name: &str,
    act: impl FnOnce(Session<'_>) -> Result<T, Failed>,
) -> Result<T, Failed> {
    let domain = find(&domain_of(&mut client, name).map_err(input)?)?;
    act(Session::open(client, name, &*domain).map_err(input)?)
}

fn input(error: decider_postgres::Error) -> Failed {
    Failed::Input(error.to_string())
}

fn find(id: &str) -> Result<Box<dyn DynDomain>, Failed> {
    decider_domains::find(id).map_err(|known| {
        Failed::Input(format!(
            "unknown domain `{id}` (known: {})",
            known.join(", ")
        ))
    })
}

/// The file's name without its extension.
fn stem(file: &Path) -> String {
    file.file_stem().map_or_else(
        || "session".to_string(),
        |s| s.to_string_lossy().to_string(),
    )
}

/// A domain and an engine of it.
type Pushed = (Box<dyn DynDomain>, Box<dyn DynEngine>);

/// The engine a scenario file's run leaves, or a journal file's journal rebuilt, with its
/// domain; errors name the file and the JSON path.
fn read(file: &Path) -> Result<Pushed, Failed> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failed::Input(format!("{}: cannot read: {e}", file.display())))?;
    let in_file = |e: &dyn std::fmt::Display| Failed::Input(format!("{}: {e}", file.display()));
    let value = strict_json::parse(&text).map_err(|e| in_file(&e))?;
    if let Some(journal) = JournalFile::read(&value) {
        let journal = journal.map_err(|e| in_file(&e))?;
        let domain = find(&journal.domain)?;
        let config = EngineConfig {
            seed: journal.seed,
            ..EngineConfig::default()
        };
        let engine = domain
            .rebuild(config, &journal.journal)
            .map_err(|e| in_file(&format!("the journal: {e}")))?;
        return Ok((domain, engine));
    }
    let (scenario, domain) =
        scenario::load(&text, &decider_domains::find).map_err(|e| in_file(&e))?;
    let run = scenario.run(&*domain).map_err(|e| in_file(&e))?;
    Ok((domain, run.engine))
}

fn summary(session: &Session<'_>, done: &str) {
    let engine = session.engine();
    out(&format!(
        "{done} session `{}`: {} journal entries, {} facts, {} queued\n",
        session.name(),
        engine.journal_len(),
        engine.head(),
        engine.queue_len()
    ));
}

fn ran(session: &Session<'_>, steps: u64, idle: bool) {
    let engine = session.engine();
    out(&format!(
        "session `{}`: {steps} step(s) taken and written, {} facts, {}\n",
        session.name(),
        engine.head(),
        match idle {
            true => "the queue is empty".to_string(),
            false => format!("{} still queued", engine.queue_len()),
        }
    ));
}
