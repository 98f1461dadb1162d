//! The session model: one per open workspace. It owns the engine (through `DynEngine`),
//! the time-travel cursor, the run mode, the selection and the log filter. It is the only
//! code that talks to the engine; components read what it exposes and send it
//! [`Action`]s through the [`store`]. Its whole durable state is the engine's journal plus
//! these UI settings.

pub mod action;
pub mod branch;
pub mod repeat;
pub mod store;
pub mod teardown;

pub use action::Action;

use crate::persistence::journal_store::Held;
use decider_core::boundary::{
    compare, Comparison, FactRow, FieldHistory, FlowList, FlowOutcome, FlowRow, FlowView, Limits,
    LogFilter, Refusal, StateView,
};
use decider_core::{DynDomain, DynEngine, EngineConfig, Id};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Engine steps an *instant* run takes at most before it stops and says so (a saga loop is
/// already bounded by the engine's depth limit; this bounds a runaway queue).
pub const MAX_INSTANT_STEPS: u64 = 100_000;
/// Journal entries the flow list reads at a time: a long journal is listed a slice a
/// frame, so that no task is long (a million-fact counter journal, 2M entries, takes about
/// 150 ms natively in one go).
pub const FLOW_SLICE: usize = 100_000;
/// Stream ids the log's filter offers at most.
pub const STREAM_CHOICES: usize = 500;
/// Queued commands the inspector and the queue panel show at most.
pub const QUEUE_ROWS: usize = 200;
/// Changes of a field the inspector lists at most (the latest; the rest are counted).
pub const FIELD_CHANGES: usize = 200;
/// Stretches of a refused command's outcomes, version by version, the inspector lists at
/// most (the latest; the earlier versions are counted).
pub const WHY_STRETCHES: usize = 50;
/// Positions a side-by-side comparison lists at most (drawn a page at a time; the rest
/// are counted).
pub const COMPARED_FACTS: usize = 2_000;
/// Differing parts of the state a side-by-side comparison lists at most (the rest are
/// counted).
pub const COMPARED_PARTS: usize = 200;

/// How queued commands are run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMode {
    /// Every submitted command runs to idle at once.
    Instant,
    /// One engine step every `interval_ms`, so the flow unfolds visibly.
    RealTime,
    /// The queue waits; each Step takes one step.
    Step,
}

impl RunMode {
    /// The value used in the run-mode `<select>`.
    pub fn id(self) -> &'static str {
        match self {
            RunMode::Instant => "instant",
            RunMode::RealTime => "realtime",
            RunMode::Step => "step",
        }
    }

    /// The mode with this select value.
    pub fn from_id(id: &str) -> Option<Self> {
        [RunMode::Instant, RunMode::RealTime, RunMode::Step]
            .into_iter()
            .find(|m| m.id() == id)
    }
}

/// Where a forked session came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForkOrigin {
    /// The position it was forked at.
    pub position: u64,
    /// How many forks deep this session is.
    pub generation: u32,
    /// The command it was replayed without ([`Action::Without`]), named for people, as
    /// its workspace's name says; `None` for a fork at a position.
    pub without: Option<String>,
}

/// An engine built outside the session (from a kept journal), handed to it once by
/// [`Action::OpenBuilt`]. Clones share it; equal when they share it.
#[derive(Clone)]
pub struct Built(Rc<RefCell<Option<Box<dyn DynEngine>>>>);

impl Built {
    /// Wraps `engine` for the session to take.
    pub fn new(engine: Box<dyn DynEngine>) -> Self {
        Built(Rc::new(RefCell::new(Some(engine))))
    }

    /// The engine, the first time only.
    fn take(&self) -> Option<Box<dyn DynEngine>> {
        self.0.borrow_mut().take()
    }
}

impl PartialEq for Built {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Built {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Built(engine)")
    }
}

/// A Repeat ×N in progress: commands submitted so far and in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Commands submitted.
    pub done: u64,
    /// Commands to submit.
    pub total: u64,
}

/// A Repeat ×N: the command (with `${i}`), how many times in all, and the journal length
/// when it started. What is done is read from the journal, so a repeat interrupted by a
/// reload resumes exactly after the last submission that was kept.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RepeatJob {
    /// The command, `${i}` not yet replaced.
    pub command: Value,
    /// Submissions in all.
    pub total: u64,
    /// The journal length when the repeat started.
    pub start: usize,
}

/// The flows a list shows ([`Session::flows`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowsShown {
    /// Their indexes in the journal's flow list, oldest first.
    pub indexes: Rc<Vec<usize>>,
    /// How many flows are in each outcome, by [`FlowOutcome::ALL`].
    pub counts: [usize; 5],
    /// Where the selected flow is among them.
    pub selected: Option<usize>,
    /// While the journal is still being read: the entries read, and the journal's length.
    pub listing: Option<(usize, usize)>,
}

impl FlowsShown {
    /// How many flows the journal holds (each is in one outcome).
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// Everything one open workspace holds.
pub struct Session {
    domains: Rc<Vec<Rc<dyn DynDomain>>>,
    domain: Rc<dyn DynDomain>,
    engine: Box<dyn DynEngine>,
    seed: u64,
    cursor: Option<u64>,
    mode: RunMode,
    interval_ms: u32,
    playing: bool,
    selected: Option<FactRow>,
    flow: Option<Id>,
    filter: LogFilter,
    matches: Option<Vec<u64>>,
    history: Rc<Vec<Value>>,
    error: Option<String>,
    progress: Option<Progress>,
    repeat: Option<RepeatJob>,
    /// How far the running repeat's submissions were counted: the journal's length then,
    /// and the submissions from the job's start up to it (so each count reads only the
    /// entries appended since, not the whole run again).
    repeat_counted: Cell<(usize, u64)>,
    fork: Option<ForkOrigin>,
    read_only: bool,
    /// Renewed whenever the log's content or filter changes (see [`Session::log_version`]).
    log_version: u64,
    /// Bumped whenever the selection moves, so the log scrolls it into view.
    reveal: u64,
    /// Every flow of the journal, brought up to date when asked for (so a session whose
    /// flows nobody lists keeps none).
    flows: RefCell<FlowList>,
    /// The branch under way (a fork, or the session without a flow), if any.
    branching: Option<branch::BranchJob>,
}

impl Session {
    /// A new, empty session of `domain` (an id among `domains`; the first one if unknown).
    pub fn new(domains: Rc<Vec<Rc<dyn DynDomain>>>, domain: &str, seed: u64) -> Self {
        let domain = domains
            .iter()
            .find(|d| d.info().id == domain)
            .or(domains.first())
            .cloned()
            .expect("at least one domain is registered");
        Session {
            engine: domain.start(config(seed)),
            domains,
            domain,
            seed,
            cursor: None,
            mode: RunMode::Instant,
            interval_ms: 600,
            playing: false,
            selected: None,
            flow: None,
            filter: LogFilter::default(),
            matches: None,
            history: Rc::new(Vec::new()),
            error: None,
            progress: None,
            repeat: None,
            repeat_counted: Cell::new((0, 0)),
            fork: None,
            read_only: false,
            log_version: next_version(),
            reveal: 0,
            flows: RefCell::default(),
            branching: None,
        }
    }

    /// Every registered domain.
    pub fn domains(&self) -> &Rc<Vec<Rc<dyn DynDomain>>> {
        &self.domains
    }

    /// The session's domain.
    pub fn domain(&self) -> &Rc<dyn DynDomain> {
        &self.domain
    }

    /// The seed of the session's ids.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The number of facts recorded.
    pub fn head(&self) -> u64 {
        self.engine.head()
    }

    /// The time-travel cursor: `None` when live, else the number of facts folded.
    pub fn cursor(&self) -> Option<u64> {
        self.cursor
    }

    /// The position shown: the cursor, or the head when live.
    pub fn position(&self) -> u64 {
        self.cursor.unwrap_or_else(|| self.head())
    }

    /// A copy of this session's engine up to the position shown (its facts, without the
    /// commands still queued after them): where the explorer's runs can start.
    pub fn copy_to_position(&self) -> Box<dyn DynEngine> {
        self.engine.fork_at(self.position())
    }

    /// Whether the cursor is in the past (the composer is locked then).
    pub fn in_past(&self) -> bool {
        self.cursor.is_some()
    }

    /// The run mode.
    pub fn mode(&self) -> RunMode {
        self.mode
    }

    /// Milliseconds between steps in real-time mode.
    pub fn interval_ms(&self) -> u32 {
        self.interval_ms
    }

    /// Whether the timeline is playing (or, in real-time mode, the run is going).
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// The selected fact.
    pub fn selected(&self) -> Option<&FactRow> {
        self.selected.as_ref()
    }

    /// The flow shown in the trace.
    pub fn flow_id(&self) -> Option<Id> {
        self.flow
    }

    /// The log filter.
    pub fn filter(&self) -> &LogFilter {
        &self.filter
    }

    /// Submitted commands, newest first.
    pub fn history(&self) -> &Rc<Vec<Value>> {
        &self.history
    }

    /// The error to show in the banner.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The Repeat ×N in progress.
    pub fn progress(&self) -> Option<Progress> {
        self.progress
    }

    /// The replay without a flow under way, if any: the flow left out, how much of it is
    /// done and of how much (`Branch::progress`).
    pub fn replaying(&self) -> Option<(Id, usize, usize)> {
        let job = self.branching.as_ref()?;
        let (done, total) = job.progress();
        Some((job.without()?, done, total))
    }

    /// The fork under way, if any (not a replay without a flow): how much of it is done,
    /// and of how much.
    pub fn forking(&self) -> Option<(usize, usize)> {
        let job = self
            .branching
            .as_ref()
            .filter(|job| job.without().is_none())?;
        Some(job.progress())
    }

    /// Whether a branch is under way (a fork, or a replay without a flow).
    pub fn branching(&self) -> bool {
        self.branching.is_some()
    }

    /// The Repeat ×N this session runs, if any.
    pub fn repeat_job(&self) -> Option<&RepeatJob> {
        self.repeat.as_ref()
    }

    /// How many submissions of the running Repeat ×N the journal holds.
    pub fn repeat_done(&self) -> u64 {
        let Some(job) = &self.repeat else {
            return 0;
        };
        let len = self.journal_len();
        let (at, done) = match self.repeat_counted.get() {
            (at, done) if (job.start..=len).contains(&at) => (at, done),
            _ => (job.start, 0),
        };
        let done = done + self.submitted_since(at);
        self.repeat_counted.set((len, done));
        done
    }

    /// How many user submissions the journal holds from entry `start` on.
    pub fn submitted_since(&self, start: usize) -> u64 {
        self.engine.submitted_since(start)
    }

    /// Where this session was forked from.
    pub fn fork_origin(&self) -> Option<&ForkOrigin> {
        self.fork.as_ref()
    }

    /// Whether the session can only be looked at (a damaged workspace, a shared link).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The number of journal entries (what a durable store has to keep).
    pub fn journal_len(&self) -> usize {
        self.engine.journal_len()
    }

    /// Changes whenever the log's rows or filter change. No two states of the log, in this
    /// session or any other of the page, share a version: what is read from one engine
    /// and kept under its version is never taken for another's.
    pub fn log_version(&self) -> u64 {
        self.log_version
    }

    /// Where the log should scroll: the selected row's index in the filtered log, and a
    /// nonce that changes whenever the selection moves.
    pub fn reveal(&self) -> Option<(usize, u64)> {
        let position = self.selected.as_ref()?.position;
        Some((self.log_index(position)?, self.reveal))
    }

    /// Stream ids offered by the log's filter (at most [`STREAM_CHOICES`]).
    pub fn stream_ids(&self) -> Vec<String> {
        self.engine.stream_ids(STREAM_CHOICES)
    }

    /// How many streams have an event.
    pub fn stream_count(&self) -> usize {
        self.engine.stream_count()
    }

    /// The number of log rows that pass the filter.
    pub fn log_len(&self) -> usize {
        match &self.matches {
            Some(matches) => matches.len(),
            None => self.head() as usize,
        }
    }

    /// Log rows `from..to` by index in the filtered list.
    pub fn log_rows(&self, from: usize, to: usize) -> Vec<FactRow> {
        match &self.matches {
            None => self.engine.rows(from as u64, to as u64),
            Some(matches) => matches
                .get(from.min(matches.len())..to.min(matches.len()))
                .unwrap_or_default()
                .iter()
                .flat_map(|&p| self.engine.rows(p, p + 1))
                .collect(),
        }
    }

    /// The index in the filtered log of the fact at `position`, if it passes the filter.
    pub fn log_index(&self, position: u64) -> Option<usize> {
        match &self.matches {
            None => (position < self.head()).then_some(position as usize),
            Some(matches) => matches.binary_search(&position).ok(),
        }
    }

    /// The fact at `position`.
    pub fn fact(&self, position: u64) -> Option<FactRow> {
        self.engine.rows(position, position + 1).pop()
    }

    /// The stream of the last fact folded at the cursor (the one right before it): what
    /// the inspector shows when no fact is selected, as after a submission.
    pub fn cursor_stream(&self) -> Option<String> {
        let last = self.position().checked_sub(1)?;
        self.fact(last).map(|row| row.stream_id)
    }

    /// The state at the cursor (live when live), showing `stream`.
    pub fn state(&self, stream: Option<&str>) -> StateView {
        self.engine.inspect(self.cursor, stream, QUEUE_ROWS)
    }

    /// The state at the cursor (live when live) showing `stream`, and one fact before it
    /// for the inspector's diff (`None` at the initial state), from one replay.
    pub fn states(&self, stream: Option<&str>) -> (StateView, Option<StateView>) {
        self.engine
            .inspect_with_previous(self.cursor, stream, QUEUE_ROWS)
    }

    /// Which events of `stream` changed the field at `pointer` (a JSON Pointer into its
    /// state), over the whole log: the latest [`FIELD_CHANGES`], the rest counted.
    pub fn field_history(&self, stream: &str, pointer: &str) -> FieldHistory {
        self.engine
            .field_history(stream, pointer, None, FIELD_CHANGES)
    }

    /// Why the rejection at `position` was refused: its command decided again at each
    /// version of its stream (the latest [`WHY_STRETCHES`] stretches of one outcome),
    /// against the live state, and the facts that led to it. `None` when no rejection is
    /// there.
    pub fn why_refused(&self, position: u64) -> Option<Refusal> {
        self.engine.why_refused(position, WHY_STRETCHES)
    }

    /// This session against `theirs` (another session of its domain, whose first `from`
    /// facts are known to be this one's), side by side from where they part: the first
    /// [`COMPARED_FACTS`] positions and [`COMPARED_PARTS`] differences.
    pub fn compare_with(&self, theirs: &dyn DynEngine, from: u64) -> Comparison {
        let limits = Limits {
            facts: COMPARED_FACTS,
            differences: COMPARED_PARTS,
        };
        compare(theirs, &*self.engine, from, limits)
    }

    /// The live queue's length.
    pub fn queue_len(&self) -> usize {
        self.engine.queue_len()
    }

    /// The selected flow, laid out as swimlanes.
    pub fn flow(&self) -> Option<FlowView> {
        self.engine.flow(self.flow?)
    }

    /// The flows in `outcome` (every flow with `None`), as the flow list shows them, once
    /// it has read the next [`FLOW_SLICE`] journal entries appended since the last call
    /// (`FlowsShown::listing` says when more are left).
    pub fn flows(&self, outcome: Option<FlowOutcome>) -> FlowsShown {
        let mut list = self.flows.borrow_mut();
        let done = self.engine.update_flows(&mut list, FLOW_SLICE);
        let indexes = list.matching(outcome);
        let selected = self
            .flow
            .and_then(|id| list.index_of(id))
            .and_then(|index| indexes.binary_search(&index).ok());
        FlowsShown {
            indexes: Rc::new(indexes),
            counts: FlowOutcome::ALL.map(|o| list.count(o)),
            selected,
            listing: (!done).then(|| (list.seen(), self.journal_len())),
        }
    }

    /// The flows at `indexes` of the flow list [`Session::flows`] last showed, with their
    /// user commands.
    pub fn flow_rows(&self, indexes: &[usize]) -> Vec<FlowRow> {
        self.engine.flow_rows(&self.flows.borrow(), indexes)
    }

    /// Origins offered by the log's filter: user, given history, then every reactor.
    pub fn origins(&self) -> Vec<String> {
        let mut origins = vec!["user".to_string(), "given".to_string()];
        origins.extend(self.domain.info().sagas.iter().cloned());
        origins
    }

    /// The engine's journal as JSON entries `from..`.
    pub fn journal(&self, from: usize) -> Vec<Value> {
        self.engine.journal(from)
    }

    /// The engine's journal entries `from..to` as the text of one JSON array.
    pub fn journal_text(&self, from: usize, to: usize) -> String {
        self.engine.journal_text(from, to)
    }

    /// The engine's journal entries `from..to` in their stored form (what IndexedDB
    /// keeps), as the text of one JSON array.
    pub fn stored_text(&self, from: usize, to: usize) -> String {
        self.engine.stored_text(from, to)
    }

    /// The engine's journal entries `from..to` in their packed form (the packed image
    /// IndexedDB keeps beside their segment).
    pub fn packed(&self, from: usize, to: usize) -> Vec<u8> {
        self.engine.packed(from, to)
    }

    /// What the engine holds of the segment of `count` entries from `first`, to hold
    /// against it (`None` when its journal ends before).
    pub fn held(&self, first: usize, count: usize) -> Option<Held> {
        Held::of(&*self.engine, first, count)
    }

    /// The number of facts the first `entries` journal entries recorded.
    pub fn head_after(&self, entries: usize) -> u64 {
        self.engine.head_after(entries)
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        action::apply(self, action);
    }

    /// Records that facts were appended: extends the filtered list, bumps the log version,
    /// and keeps the cursor where it is.
    fn appended(&mut self, from: u64) {
        if let Some(matches) = &mut self.matches {
            matches.extend(self.engine.matching_from(&self.filter, from));
        }
        self.log_version = next_version();
    }

    fn set_filter(&mut self, filter: LogFilter) {
        self.matches = (!filter.is_empty()).then(|| self.engine.matching(&filter));
        self.filter = filter;
        self.log_version = next_version();
    }

    fn replace_engine(&mut self, engine: Box<dyn DynEngine>) {
        branch::cancel(self);
        teardown::release(std::mem::replace(&mut self.engine, engine));
        self.repeat_counted.set((0, 0));
        self.cursor = None;
        self.selected = None;
        self.flow = None;
        self.playing = false;
        self.flows.take();
        let filter = std::mem::take(&mut self.filter);
        self.set_filter(filter);
    }
}

impl Drop for Session {
    /// The engine is freed in slices after the frame that shows what replaced it.
    fn drop(&mut self) {
        if self.engine.journal_len() > 0 {
            let empty = self.domain.start(config(self.seed));
            teardown::release(std::mem::replace(&mut self.engine, empty));
        }
    }
}

/// A log version never handed out before in this page.
fn next_version() -> u64 {
    static VERSIONS: AtomicU64 = AtomicU64::new(0);
    VERSIONS.fetch_add(1, Ordering::Relaxed)
}

/// The engine configuration of a session with `seed`.
pub fn config(seed: u64) -> EngineConfig {
    EngineConfig {
        seed,
        ..EngineConfig::default()
    }
}
