//! Random command exploration: runs of commands drawn from an alphabet of example
//! commands, their flows sometimes interleaved and their steps sometimes made to fail as
//! the domain says they can ([`Invariants::failure`]), until the domain's invariants find
//! something broken; that run is then shrunk to a minimal one (fewer commands, fewer
//! faults, no interleaving that is not needed, and in each command no array element or
//! optional field that is not needed and every whole number as near zero as it can be)
//! which still breaks an invariant.
//!
//! Runs start from a new engine ([`Explorer::new`]) or from an engine's facts
//! ([`Explorer::from_engine`]: the playground's "from here", a session as it stands).
//! Everything is drawn from a seeded generator: the same [`Plan`] explores the same runs.
//! Exploration works through the type-erased boundary, so it is the same for every domain,
//! in the CLI (`decider explore`) and in the playground.
//!
//! [`Invariants`]: crate::Invariants
//! [`Invariants::failure`]: crate::Invariants

use crate::boundary::{BoundaryError, DynDomain, DynEngine, MessageKind};
use crate::engine::EngineConfig;
use crate::journal_file::JournalFile;
use crate::scenario::{take_steps, Given, Issued, Scenario, MAX_STEPS_PER_STEP};
use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Replays a shrinking pass may take at most, whatever the run's length.
pub const MAX_TRIALS: u32 = 2_000;
/// Engine steps a command is given at most when it is not run until idle.
const MAX_INTERLEAVED_STEPS: u64 = 4;
/// Tries to vary a drawn command into a valid one before the template is taken as it is.
const DRAWS: usize = 4;

/// What to explore, and how hard.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Seeds the generator (and, plus the run's number, each run's engine).
    pub seed: u64,
    /// How many runs.
    pub runs: u32,
    /// User commands a run submits.
    pub length: u32,
    /// Percent chance that a queued command the domain can make fail does fail.
    pub faults: u8,
    /// Percent chance that a command is given only a few engine steps, so that the next
    /// one interleaves with its flow.
    pub interleave: u8,
    /// Whether steps may also fail in ways the domain does not recover from
    /// ([`Invariants::unhandled`]: a refund refused), to see what that leaves broken.
    ///
    /// [`Invariants::unhandled`]: crate::Invariants
    pub unhandled: bool,
    /// History every run starts from (a new engine's: a run from an engine's facts starts
    /// from those alone).
    pub given: Vec<Given>,
    /// Example commands (the domain's command JSON): each drawn command is one of them
    /// with some fields taken from another's fields of that name.
    pub alphabet: Vec<Value>,
}

impl Plan {
    /// A plan over `alphabet` with the playground's and the CLI's defaults: 200 runs of 12
    /// commands, 10 % faults, 20 % interleaving.
    pub fn over(alphabet: Vec<Value>) -> Plan {
        Plan {
            seed: 0,
            runs: 200,
            length: 12,
            faults: 10,
            interleave: 20,
            unhandled: false,
            given: Vec::new(),
            alphabet,
        }
    }
}

/// One user command of a run, and how the engine went on after it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Move {
    /// The command, in the domain's command JSON.
    pub command: Value,
    /// Engine steps taken after it; `None`: until idle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
    /// The engine steps after it (from 0) whose command was made to fail, with the
    /// rejection the domain names for it, instead of being decided.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<u32>,
}

/// A step of a shrunk run that was made to fail.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FailedStep {
    /// The index of the move (user command) after which it was taken.
    pub after: usize,
    /// The engine step after that command (from 0).
    pub step: u32,
    /// The command made to fail (the domain's command JSON).
    pub command: Value,
    /// Who issued it: `"user"` or the saga or process manager's name.
    pub origin: String,
    /// The rejection it was made to fail with.
    pub rejection: Value,
}

impl FailedStep {
    /// The failed step of the step record `step` (JSON), taken after move `after`.
    fn of(after: usize, at: u32, step: &Value, rejection: Value) -> FailedStep {
        let Issued {
            command, origin, ..
        } = Issued::of_envelope(&step["command"]);
        FailedStep {
            after,
            step: at,
            command,
            origin,
            rejection,
        }
    }
}

/// A run that broke an invariant, shrunk.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Counterexample {
    /// What the invariants say is broken.
    pub broken: String,
    /// The run's engine seed (a run from an engine's facts: that engine's).
    pub seed: u64,
    /// The shrunk run's commands.
    pub moves: Vec<Move>,
    /// The steps its faults made fail, in order.
    pub failed: Vec<FailedStep>,
    /// How many commands the run had before shrinking.
    pub original: usize,
    /// How many replays shrinking took.
    pub trials: u32,
    /// The shrunk run's journal (JSON entries) up to where the invariant was found broken,
    /// the facts it started from included: what a session opens to look at it.
    pub journal: Vec<Value>,
    /// The shrunk run as a scenario file (expectations recorded, its faults as format 1.2's
    /// `faults`), unless its journal cannot be said as one.
    pub scenario: Option<Scenario>,
}

impl Counterexample {
    /// The steps made to fail after move `index`.
    pub fn failed_after(&self, index: usize) -> Vec<&FailedStep> {
        self.failed.iter().filter(|f| f.after == index).collect()
    }

    /// The shrunk run as a journal file of `domain` (its id), titled after what it breaks.
    pub fn journal_file(&self, domain: &str) -> JournalFile {
        let title = format!("Explored: {}", self.broken);
        JournalFile::new(domain, self.seed, &title, self.journal.clone())
    }
}

/// How far an exploration has gone.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Progress {
    /// Runs done.
    pub runs: u32,
    /// User commands submitted.
    pub commands: u64,
    /// Facts recorded, all runs together (beyond those a run started from).
    pub facts: u64,
    /// Faults injected.
    pub faults: u64,
    /// Invariant checks made (one each time a run was idle).
    pub checks: u64,
}

/// An exploration under way: [`Explorer::advance`] a few runs at a time (a page yields to
/// the browser between), until [`Explorer::done`].
pub struct Explorer<'d> {
    domain: &'d dyn DynDomain,
    plan: Plan,
    /// The engine whose facts every run starts from, if not a new one.
    base: Option<Box<dyn DynEngine>>,
    alphabet: Alphabet,
    rng: Xoshiro256PlusPlus,
    progress: Progress,
    found: Option<Counterexample>,
}

impl<'d> Explorer<'d> {
    /// Starts exploring `domain` as `plan` says; refused, with its path, for an empty or
    /// invalid alphabet and for history the domain refuses.
    pub fn new(domain: &'d dyn DynDomain, plan: Plan) -> Result<Explorer<'d>, BoundaryError> {
        if plan.alphabet.is_empty() {
            return Err(BoundaryError {
                path: "$.alphabet".into(),
                message: "no command to draw from".into(),
            });
        }
        for (i, command) in plan.alphabet.iter().enumerate() {
            domain
                .validate(MessageKind::Command, command)
                .map_err(|e| at(e, &format!("$.alphabet[{i}]")))?;
        }
        start(domain, plan.seed, &plan.given)?;
        Ok(Explorer {
            domain,
            alphabet: Alphabet::of(&plan.alphabet),
            rng: Xoshiro256PlusPlus::seed_from_u64(plan.seed),
            plan,
            base: None,
            progress: Progress::default(),
            found: None,
        })
    }

    /// Starts exploring `domain` from `base`'s facts: every run starts from a copy of them
    /// (its journal up to its last fact), and a shrunk run keeps them all. Refused as
    /// [`Explorer::new`] refuses, for a plan that also gives history, and for a base whose
    /// facts already break an invariant once its queue is run (nothing left to find).
    pub fn from_engine(
        domain: &'d dyn DynDomain,
        plan: Plan,
        base: Box<dyn DynEngine>,
    ) -> Result<Explorer<'d>, BoundaryError> {
        if !plan.given.is_empty() {
            return Err(BoundaryError {
                path: "$.given".into(),
                message: "a run from an engine's facts starts from those alone".into(),
            });
        }
        let mut explorer = Explorer::new(domain, plan)?;
        let mut settled = base.fork_at(base.head());
        settled.run_until_idle(MAX_STEPS_PER_STEP);
        if let Some(broken) = settled.broken_invariant() {
            return Err(BoundaryError {
                path: "$".into(),
                message: format!(
                    "its {} facts already break an invariant, before any command: {broken}",
                    base.head()
                ),
            });
        }
        explorer.base = Some(base);
        Ok(explorer)
    }

    /// Explores up to `runs` more runs; stops at the first broken invariant, shrinks that
    /// run, and keeps it ([`Explorer::found`]).
    pub fn advance(&mut self, runs: u32) {
        for _ in 0..runs {
            if self.done() {
                return;
            }
            self.run_once();
        }
    }

    /// Whether every run is done or an invariant was found broken.
    pub fn done(&self) -> bool {
        self.found.is_some() || self.progress.runs >= self.plan.runs
    }

    /// How far it has gone.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The plan it follows.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The shrunk run that broke an invariant, once found.
    pub fn found(&self) -> Option<&Counterexample> {
        self.found.as_ref()
    }

    /// One run: its commands drawn and played, the invariants checked whenever the engine
    /// is idle; a run that breaks one is shrunk.
    fn run_once(&mut self) {
        let origin = self.origin();
        let seed = origin.seed(self.plan.seed.wrapping_add(u64::from(self.progress.runs)));
        let mut engine = origin.engine(seed);
        let from = engine.head();
        self.progress.runs += 1;
        let mut moves = Vec::new();
        let mut broken = None;
        for _ in 0..self.plan.length {
            let command = self.alphabet.draw(self.domain, &mut self.rng);
            let Some(played) = self.play_new(&mut *engine, command) else {
                continue;
            };
            moves.push(played);
            broken = self.check(&*engine);
            if broken.is_some() {
                break;
            }
        }
        if broken.is_none() {
            engine.run_until_idle(MAX_STEPS_PER_STEP);
            broken = self.check(&*engine);
        }
        self.progress.facts += engine.head() - from;
        if broken.is_some() {
            self.found = Some(shrink(&self.origin(), seed, moves));
        }
    }

    /// Where its runs start.
    fn origin(&self) -> Origin<'_> {
        Origin {
            domain: self.domain,
            given: &self.plan.given,
            base: self.base.as_deref(),
        }
    }

    /// Submits `command` and takes engine steps after it, drawing whether to stop early
    /// and which steps fail: the move as it was played, or `None` if it was not accepted.
    fn play_new(&mut self, engine: &mut dyn DynEngine, command: Value) -> Option<Move> {
        engine.submit(&command).ok()?;
        self.progress.commands += 1;
        let steps =
            (self.chance(self.plan.interleave)).then(|| self.below(MAX_INTERLEAVED_STEPS) as u32);
        let limit = steps.map_or(MAX_STEPS_PER_STEP, u64::from);
        let (unhandled, percent) = (self.plan.unhandled, self.plan.faults);
        let taken = take_steps(engine, limit, &mut |_, engine| {
            let failure = engine.next_failure(unhandled)?;
            self.chance(percent).then_some(failure)
        });
        let faults: Vec<u32> = taken.injected.iter().map(|(i, ..)| *i as u32).collect();
        self.progress.faults += faults.len() as u64;
        Some(Move {
            command,
            steps,
            faults,
        })
    }

    /// The broken invariant of an idle engine, counting the check.
    fn check(&mut self, engine: &dyn DynEngine) -> Option<String> {
        if engine.queue_len() > 0 {
            return None;
        }
        self.progress.checks += 1;
        engine.broken_invariant()
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u8) -> bool {
        percent > 0 && self.below(100) < u64::from(percent)
    }

    /// A number below `n` (> 0).
    fn below(&mut self, n: u64) -> u64 {
        self.rng.next_u64() % n
    }
}

/// `error` with its path put under `prefix`.
fn at(error: BoundaryError, prefix: &str) -> BoundaryError {
    BoundaryError {
        path: format!("{prefix}{}", error.path.trim_start_matches('$')),
        message: error.message,
    }
}

/// An engine of `domain` seeded with `seed`, with `given` recorded.
fn start(
    domain: &dyn DynDomain,
    seed: u64,
    given: &[Given],
) -> Result<Box<dyn DynEngine>, BoundaryError> {
    let config = EngineConfig {
        seed,
        ..EngineConfig::default()
    };
    let mut engine = domain.start(config);
    for (i, g) in given.iter().enumerate() {
        engine
            .given(&g.stream, &g.events)
            .map_err(|e| at(e, &format!("$.given[{i}].events")))?;
    }
    Ok(engine)
}

/// Where every run of an exploration starts: a new engine of `domain` with `given`
/// recorded, or a copy of `base`'s facts.
pub(crate) struct Origin<'a> {
    pub domain: &'a dyn DynDomain,
    pub given: &'a [Given],
    pub base: Option<&'a dyn DynEngine>,
}

impl Origin<'_> {
    /// The engine seed of a run that would be seeded `seed` (a copy keeps its base's).
    fn seed(&self, seed: u64) -> u64 {
        self.base.map_or(seed, |base| base.seed())
    }

    /// A run's engine, seeded `seed` when new.
    fn engine(&self, seed: u64) -> Box<dyn DynEngine> {
        match self.base {
            Some(base) => base.fork_at(base.head()),
            None => {
                start(self.domain, seed, self.given).expect("the given history was accepted before")
            }
        }
    }
}

/// What a replay of moves left: the engine, what was found broken at the first idle point
/// where something was, and the steps made to fail.
pub(crate) struct Replayed {
    pub engine: Box<dyn DynEngine>,
    pub broken: Option<String>,
    pub failed: Vec<FailedStep>,
}

/// Plays `moves` again on a new engine, up to the first idle point where an invariant is
/// broken (or to the end, run until idle).
pub(crate) fn replay(origin: &Origin, seed: u64, moves: &[Move]) -> Replayed {
    let mut engine = origin.engine(seed);
    let mut failed = Vec::new();
    let idle_check = |engine: &dyn DynEngine| {
        (engine.queue_len() == 0)
            .then(|| engine.broken_invariant())
            .flatten()
    };
    for (at, m) in moves.iter().enumerate() {
        if engine.submit(&m.command).is_err() {
            continue;
        }
        let limit = m.steps.map_or(MAX_STEPS_PER_STEP, u64::from);
        let taken = take_steps(&mut *engine, limit, &mut |i, engine| {
            let failure = engine.next_failure(true)?;
            m.faults.contains(&(i as u32)).then_some(failure)
        });
        failed.extend(
            taken
                .injected
                .into_iter()
                .map(|(i, step, rejection)| FailedStep::of(at, i as u32, &step, rejection)),
        );
        if let Some(broken) = idle_check(&*engine) {
            return Replayed {
                engine,
                broken: Some(broken),
                failed,
            };
        }
    }
    engine.run_until_idle(MAX_STEPS_PER_STEP);
    let broken = idle_check(&*engine);
    Replayed {
        engine,
        broken,
        failed,
    }
}

/// The smallest run found that still breaks an invariant: commands removed in ever
/// smaller chunks, then each fault, then each interleaving, then each array element and
/// optional field of a command, then each whole number brought nearer zero, until none
/// can go.
fn shrink(origin: &Origin, seed: u64, moves: Vec<Move>) -> Counterexample {
    let domain = origin.domain;
    let original = moves.len();
    let mut trials = 0u32;
    let mut breaks = |candidate: &[Move]| {
        trials += 1;
        trials <= MAX_TRIALS && replay(origin, seed, candidate).broken.is_some()
    };
    let mut best = moves;
    loop {
        let before = best.clone();
        let mut chunk = best.len().div_ceil(2).max(1);
        while chunk >= 1 && !best.is_empty() {
            let mut from = 0;
            while from < best.len() {
                let candidate: Vec<Move> = best[..from]
                    .iter()
                    .chain(best[(from + chunk).min(best.len())..].iter())
                    .cloned()
                    .collect();
                if breaks(&candidate) {
                    best = candidate;
                } else {
                    from += chunk;
                }
            }
            chunk /= 2;
        }
        for i in 0..best.len() {
            let mut f = 0;
            while f < best[i].faults.len() {
                let mut candidate = best.clone();
                candidate[i].faults.remove(f);
                if breaks(&candidate) {
                    best = candidate;
                } else {
                    f += 1;
                }
            }
            if best[i].steps.is_some() {
                let mut candidate = best.clone();
                candidate[i].steps = None;
                candidate[i]
                    .faults
                    .retain(|&f| u64::from(f) < MAX_STEPS_PER_STEP);
                if breaks(&candidate) {
                    best = candidate;
                }
            }
        }
        for i in 0..best.len() {
            while let Some(simpler) =
                simpler_commands(domain, &best[i].command)
                    .into_iter()
                    .find(|command| {
                        let mut candidate = best.clone();
                        candidate[i].command = command.clone();
                        breaks(&candidate)
                    })
            {
                best[i].command = simpler;
            }
        }
        if best == before {
            break;
        }
    }
    let Replayed {
        engine,
        broken,
        failed,
    } = replay(origin, seed, &best);
    let journal = engine.journal(0);
    let broken = broken.unwrap_or_else(|| "no longer broken on replay".into());
    let title = format!("Explored: {broken}");
    let scenario = Scenario::from_journal(domain, &title, seed, &journal).ok();
    Counterexample {
        broken,
        seed,
        moves: best,
        failed,
        original,
        trials,
        journal,
        scenario,
    }
}

/// The valid commands one step simpler than `command`: one array element or one object
/// field fewer, anywhere in it, then one whole number nearer zero (the domain's schema
/// says which are still commands).
fn simpler_commands(domain: &dyn DynDomain, command: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let mut valid = |simpler: Value| {
        if domain.validate(MessageKind::Command, &simpler).is_ok() {
            out.push(simpler);
        }
    };
    one_part_fewer(command, &mut valid);
    one_number_nearer_zero(command, &mut valid);
    out
}

/// Calls `found` with each value that is `value` with one array element or object field
/// taken out, at any depth.
pub(crate) fn one_part_fewer(value: &Value, found: &mut dyn FnMut(Value)) {
    match value {
        Value::Array(items) => {
            for i in 0..items.len() {
                let mut fewer = items.clone();
                fewer.remove(i);
                found(Value::Array(fewer));
            }
        }
        Value::Object(fields) => {
            for key in fields.keys() {
                let mut fewer = fields.clone();
                fewer.remove(key);
                found(Value::Object(fewer));
            }
        }
        _ => {}
    }
    in_each_part(value, one_part_fewer, found);
}

/// Calls `found` with each value that is `value` with one whole number, at any depth,
/// brought nearer zero: to zero, halfway there, or by one (each once, in that order).
pub(crate) fn one_number_nearer_zero(value: &Value, found: &mut dyn FnMut(Value)) {
    let whole = (value.as_i64().map(i128::from)).or(value.as_u64().map(i128::from));
    match whole {
        Some(n) => {
            let mut nearer: Vec<i128> = Vec::new();
            for m in [0, n / 2, n - n.signum()] {
                if m != n && !nearer.contains(&m) {
                    nearer.push(m);
                }
            }
            for m in nearer {
                found(match i64::try_from(m) {
                    Ok(m) => m.into(),
                    Err(_) => (m as u64).into(),
                });
            }
        }
        None => in_each_part(value, one_number_nearer_zero, found),
    }
}

/// Calls `found` with `value` rebuilt around each variation `vary` makes of one of its
/// direct parts (an array's element, an object's field's value).
fn in_each_part(
    value: &Value,
    vary: fn(&Value, &mut dyn FnMut(Value)),
    found: &mut dyn FnMut(Value),
) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                vary(item, &mut |part| {
                    let mut within = items.clone();
                    within[i] = part;
                    found(Value::Array(within));
                });
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                vary(field, &mut |part| {
                    let mut within = fields.clone();
                    within.insert(key.clone(), part);
                    found(Value::Object(within));
                });
            }
        }
        _ => {}
    }
}

/// The commands a run draws from: the examples, and every value each field name takes in
/// any of them.
struct Alphabet {
    templates: Vec<Value>,
    values: BTreeMap<String, Vec<Value>>,
}

impl Alphabet {
    fn of(commands: &[Value]) -> Alphabet {
        let mut values: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for command in commands {
            collect(command, None, &mut values);
        }
        Alphabet {
            templates: commands.to_vec(),
            values,
        }
    }

    /// An example, with each scalar field, one time in two, given a value its name takes
    /// in another example; the example as it is when no variation is a valid command.
    fn draw(&self, domain: &dyn DynDomain, rng: &mut Xoshiro256PlusPlus) -> Value {
        let n = self.templates.len() as u64;
        let template = &self.templates[(rng.next_u64() % n) as usize];
        (0..DRAWS)
            .map(|_| {
                let mut command = template.clone();
                self.vary(&mut command, None, rng);
                command
            })
            .find(|c| domain.validate(MessageKind::Command, c).is_ok())
            .unwrap_or_else(|| template.clone())
    }

    fn vary(&self, value: &mut Value, name: Option<&str>, rng: &mut Xoshiro256PlusPlus) {
        match value {
            Value::Object(fields) => {
                for (key, field) in fields.iter_mut() {
                    self.vary(field, Some(key), rng);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.vary(item, name, rng);
                }
            }
            scalar => {
                let pool = name.and_then(|n| self.values.get(n));
                if let Some(pool) = pool.filter(|p| p.len() > 1) {
                    if rng.next_u64() % 2 == 0 {
                        *scalar = pool[(rng.next_u64() % pool.len() as u64) as usize].clone();
                    }
                }
            }
        }
    }
}

/// Every scalar in `value` under the name of the field that holds it (an array's items
/// under the array's name).
fn collect(value: &Value, name: Option<&str>, values: &mut BTreeMap<String, Vec<Value>>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                collect(field, Some(key), values);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect(item, name, values);
            }
        }
        scalar => {
            if let Some(name) = name {
                let pool = values.entry(name.to_string()).or_default();
                if !pool.contains(scalar) {
                    pool.push(scalar.clone());
                }
            }
        }
    }
}
