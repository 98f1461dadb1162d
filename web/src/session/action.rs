//! What components ask of the session, and how the session does it.

use super::{
    branch, repeat, Built, ForkOrigin, Progress, RepeatJob, RunMode, Session, MAX_INSTANT_STEPS,
};
use decider_core::boundary::{FactRow, LogFilter};
use decider_core::Id;
use serde_json::Value;
use std::rc::Rc;

/// Submitted commands kept in the history.
const HISTORY: usize = 50;

/// Something a component asks the session to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Start an empty session of this domain (same seed).
    SelectDomain(String),
    /// Start an empty session of the same domain with this seed.
    SetSeed(u64),
    /// Open a kept session: its domain, seed and journal (JSON entries). A journal that
    /// does not fold is refused with an error and the current session stays.
    Open {
        /// The domain's id.
        domain: String,
        /// The seed of its ids.
        seed: u64,
        /// Its journal entries, as JSON.
        journal: Rc<Vec<Value>>,
        /// Open it read-only (a damaged workspace shown up to its last good entry).
        read_only: bool,
    },
    /// Open an engine already rebuilt from a kept journal (so it is folded once), with
    /// the fork it was made by, if any.
    OpenBuilt {
        /// The domain's id.
        domain: String,
        /// The seed of its ids.
        seed: u64,
        /// The engine.
        engine: Built,
        /// Open it read-only (a damaged workspace shown up to its last good entry).
        read_only: bool,
        /// Where the workspace was forked from.
        fork: Option<ForkOrigin>,
    },
    /// Fold journal entries another tab appended (the text of a JSON array) onto the
    /// engine, keeping the filter, selection and cursor.
    Extend(Rc<str>),
    /// Submit a command (JSON) as a user; instant mode runs it to idle.
    Submit(Value),
    /// Submit the next `n` repetitions of the running Repeat ×N: those after the last one
    /// the journal holds (so a repeat whose unsaved submissions were lost to a reload
    /// submits them again, and none twice).
    RepeatSlice(u64),
    /// Start a Repeat ×N of `command` (`${i}` replaced by 1..=`total`).
    StartRepeat {
        /// The command, `${i}` not yet replaced.
        command: Value,
        /// How many times.
        total: u64,
    },
    /// Take up a Repeat ×N kept with the workspace (after a reload).
    ResumeRepeat(RepeatJob),
    /// A Repeat ×N ended (done or cancelled).
    RepeatEnded,
    /// Take one engine step.
    Step,
    /// Run the queue until idle.
    RunToIdle,
    /// Change the run mode.
    SetMode(RunMode),
    /// Milliseconds between steps in real-time mode.
    SetInterval(u32),
    /// Start or stop playing (the timeline, or the real-time run).
    SetPlaying(bool),
    /// Advance playback by one fact (timer tick).
    PlayTick,
    /// Move the cursor to a position (the head or beyond: live).
    SetCursor(u64),
    /// One fact back in time.
    StepBack,
    /// One fact forward in time.
    StepForward,
    /// Back to the live head.
    Live,
    /// Start replacing the session by a what-if branch whose past is this one's up to the
    /// cursor (a short session's at once, a long one's by [`Action::BranchSlice`]).
    Fork,
    /// Start replacing the session by a what-if branch without the flow of this correlation
    /// id: every other command replayed as it was, that flow's user command never
    /// submitted (a short session's at once, a long one's by [`Action::BranchSlice`]).
    Without(Id),
    /// Do this much more of the branch under way (`Branch::advance`'s units); once all is
    /// done, the branch replaces the session.
    BranchSlice(u64),
    /// Stop the branch under way.
    BranchStopped,
    /// Select a fact (a log row): the cursor moves right after it, its flow is traced.
    Select(FactRow),
    /// Select the fact at a position (a trace node, a key).
    SelectPosition(u64),
    /// Trace this flow.
    SelectFlow(Id),
    /// Filter the log.
    SetFilter(LogFilter),
    /// Make the queued command fail with this rejection (JSON).
    InjectFault(Id, Value),
    /// Show an error in the banner.
    Error(String),
    /// Hide the banner.
    DismissError,
}

/// Applies `action` to `session`.
pub(super) fn apply(session: &mut Session, action: Action) {
    match action {
        Action::SelectDomain(id) => {
            let domains = session.domains.clone();
            *session = Session::new(domains, &id, session.seed);
        }
        Action::SetSeed(seed) => {
            let domains = session.domains.clone();
            let id = session.domain.info().id.clone();
            *session = Session::new(domains, &id, seed);
        }
        Action::Open {
            domain,
            seed,
            journal,
            read_only,
        } => open(session, &domain, seed, &journal, read_only),
        Action::OpenBuilt {
            domain,
            seed,
            engine,
            read_only,
            fork,
        } => {
            if let Some(engine) = engine.take() {
                *session = Session::new(session.domains.clone(), &domain, seed);
                session.replace_engine(engine);
                session.read_only = read_only;
                session.fork = fork;
            }
        }
        Action::Extend(journal) => {
            let from = session.head();
            if let Err(e) = session.engine.extend(&journal) {
                session.error = Some(format!("Another tab's entries do not load: {e}"));
            }
            session.appended(from);
        }
        Action::Submit(command) => submit(session, vec![command]),
        Action::RepeatSlice(n) => {
            let Some(job) = &session.repeat else {
                return;
            };
            let (total, done) = (job.total, session.repeat_done());
            let to = done.saturating_add(n).min(total);
            let commands = (done + 1..=to)
                .map(|i| repeat::substitute(&job.command, i))
                .collect();
            session.progress = Some(Progress { done: to, total });
            submit(session, commands);
        }
        Action::StartRepeat { command, total } => {
            if session.read_only || session.in_past() {
                session.error = Some(
                    "The composer is locked while viewing the past or a read-only session.".into(),
                );
                return;
            }
            let start = session.journal_len();
            session.repeat = Some(RepeatJob {
                command,
                total,
                start,
            });
            session.repeat_counted.set((start, 0));
            session.progress = Some(Progress { done: 0, total });
        }
        Action::ResumeRepeat(mut job) => {
            let total = job.total;
            // Entries before its start that were not kept are not there to count from.
            job.start = job.start.min(session.journal_len());
            session.repeat_counted.set((job.start, 0));
            session.repeat = Some(job);
            let done = session.repeat_done().min(total);
            session.progress = Some(Progress { done, total });
        }
        Action::RepeatEnded => {
            session.progress = None;
            session.repeat = None;
        }
        Action::Step => run(session, 1),
        Action::RunToIdle => run(session, MAX_INSTANT_STEPS),
        Action::SetMode(mode) => {
            session.mode = mode;
            session.playing = mode == RunMode::RealTime;
            if mode == RunMode::Instant {
                run(session, MAX_INSTANT_STEPS);
            }
        }
        Action::SetInterval(ms) => session.interval_ms = ms.clamp(20, 10_000),
        Action::SetPlaying(playing) => session.playing = playing,
        Action::PlayTick => play_tick(session),
        Action::SetCursor(position) => move_cursor(session, position),
        Action::StepBack => move_cursor(session, session.position().saturating_sub(1)),
        Action::StepForward => move_cursor(session, session.position() + 1),
        Action::Live => move_cursor(session, u64::MAX),
        Action::Fork => branch::fork(session),
        Action::Without(correlation_id) => branch::without(session, correlation_id),
        Action::BranchSlice(n) => branch::advance(session, n),
        Action::BranchStopped => branch::cancel(session),
        Action::Select(row) => select(session, row),
        Action::SelectPosition(position) => {
            if let Some(row) = session.fact(position) {
                select(session, row);
            }
        }
        Action::SelectFlow(id) => session.flow = Some(id),
        Action::SetFilter(filter) => session.set_filter(filter),
        Action::InjectFault(command_id, rejection) => inject(session, command_id, &rejection),
        Action::Error(message) => session.error = Some(message),
        Action::DismissError => session.error = None,
    }
}

fn open(session: &mut Session, domain: &str, seed: u64, journal: &[Value], read_only: bool) {
    let domains = session.domains.clone();
    let Some(found) = domains.iter().find(|d| d.info().id == domain).cloned() else {
        session.error = Some(format!("There is no domain `{domain}` in this build."));
        return;
    };
    match found.rebuild(super::config(seed), journal) {
        Ok(engine) => {
            *session = Session::new(domains, domain, seed);
            session.replace_engine(engine);
            session.read_only = read_only;
        }
        Err(e) => session.error = Some(format!("The journal does not load: {e}")),
    }
}

fn submit(session: &mut Session, commands: Vec<Value>) {
    if session.read_only {
        session.error = Some("This session is read-only.".into());
        return;
    }
    if session.in_past() {
        session.error = Some(
            "The composer is locked while viewing the past: go back to live or fork first.".into(),
        );
        return;
    }
    let from = session.head();
    let mut last = None;
    for command in commands {
        match session.engine.submit(&command) {
            Ok(id) => {
                last = Some(id);
                if session.mode == RunMode::Instant {
                    session.engine.run_until_idle(MAX_INSTANT_STEPS);
                }
            }
            Err(e) => {
                session.error = Some(format!("The command was not submitted: {e}"));
                break;
            }
        }
        remember(session, command);
    }
    if let Some(id) = last {
        session.flow = Some(id);
        session.selected = None;
        session.error = None;
    }
    session.appended(from);
}

fn remember(session: &mut Session, command: Value) {
    let history = Rc::make_mut(&mut session.history);
    history.retain(|c| *c != command);
    history.insert(0, command);
    history.truncate(HISTORY);
}

fn run(session: &mut Session, steps: u64) {
    if session.in_past() || session.read_only {
        return;
    }
    let from = session.head();
    session.engine.run_until_idle(steps);
    if session.head() != from || steps > 0 {
        session.appended(from);
    }
}

fn play_tick(session: &mut Session) {
    if session.mode == RunMode::RealTime && !session.in_past() {
        if session.queue_len() == 0 {
            return;
        }
        run(session, 1);
        return;
    }
    match session.cursor {
        Some(position) => move_cursor(session, position + 1),
        None => session.playing = false,
    }
}

/// Moves the cursor; at or past the head it is live again.
fn move_cursor(session: &mut Session, position: u64) {
    let head = session.head();
    session.cursor = (position < head).then_some(position);
    if session.cursor.is_none() && session.mode != RunMode::RealTime {
        session.playing = false;
    }
    session.selected = match position.checked_sub(1) {
        Some(last) if position <= head => session.fact(last),
        _ => None,
    };
    if let Some(row) = &session.selected {
        session.flow = Some(row.correlation_id);
    }
    session.reveal += 1;
}

fn select(session: &mut Session, row: FactRow) {
    let head = session.head();
    let after = row.position + 1;
    session.cursor = (after < head).then_some(after);
    session.flow = Some(row.correlation_id);
    session.selected = Some(row);
    session.reveal += 1;
}

fn inject(session: &mut Session, command_id: Id, rejection: &Value) {
    if session.in_past() || session.read_only {
        return;
    }
    let from = session.head();
    match session.engine.inject_fault(command_id, rejection) {
        Ok(_) => {
            if session.mode == RunMode::Instant {
                session.engine.run_until_idle(MAX_INSTANT_STEPS);
            }
            session.appended(from);
            if let Some(row) = session.fact(from) {
                session.flow = Some(row.correlation_id);
                session.selected = Some(row);
            }
        }
        Err(e) => session.error = Some(format!("The fault was not injected: {e}")),
    }
}
