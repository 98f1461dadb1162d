//! Scenario files, format versions 1, 1.1 and 1.2: what users share, and an executable
//! specification.
//!
//! A scenario names a domain, gives optional history (`given`), a list of `steps` (each a
//! command with optional expectations on what the engine did after it), and optional final
//! expectations (`then`: stream states and the view; since 1.1 also the process managers'
//! state and the queue). Version 1.1 also lets a step take a given number of engine steps
//! instead of running until idle, so that interleavings of flows can be written down, and
//! lets expectations name who issued each command and whether it is a compensation. The
//! format is documented in `docs/scenario-format.md`; its JSON Schema is [`schema`].

use crate::boundary::{from_json, BoundaryError, DynDomain, DynEngine, MessageKind};
use crate::engine::EngineConfig;
use crate::ids::Id;
use crate::spec::text_diff;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

pub mod branch;
pub mod export;
pub mod strict_json;
pub mod without;

/// The `format` every scenario file declares.
pub const FORMAT: &str = "decider-lab/scenario";
/// The newest format version this build reads and writes.
pub const VERSION: Version = Version::V1_2;
/// Engine steps one scenario step may take before it is reported as runaway.
pub const MAX_STEPS_PER_STEP: u64 = 10_000;

/// A scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Always `"decider-lab/scenario"`.
    pub format: String,
    /// The format version: `1`, or `1.1` / `1.2` for files that use their additions.
    pub version: Version,
    /// The id of the domain the scenario runs against (see `decider domains`).
    pub domain: String,
    /// A short title.
    pub title: String,
    /// What the scenario shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Seeds the ids; the same seed and inputs give the same log, byte for byte.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seed: u64,
    /// History recorded before the steps, stream by stream (no saga reacts to it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<Given>,
    /// The commands, in order; after each, the engine runs until idle (or, since 1.1, for
    /// the step's `engine_steps`).
    pub steps: Vec<Step>,
    /// Expectations on the end state.
    #[serde(default, skip_serializing_if = "Then::is_empty")]
    pub then: Then,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A scenario format version. Every version-1 file is a valid 1.1 file, and every 1.1 file
/// a valid 1.2 file, with the same meaning: each adds optional fields only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// `1`: each step runs until the engine is idle; expectations on events, rejections,
    /// the commands sagas issued, stream states and the view.
    V1,
    /// `1.1`: adds a step's `engine_steps`, `expect.issued` (with origin and compensation
    /// flag) and `then.process` / `then.queue`.
    V1_1,
    /// `1.2`: adds a step's `faults`, engine steps made to fail with a given rejection
    /// instead of being decided (what the playground's ⚡ records).
    V1_2,
}

impl Version {
    /// The version a JSON number names, if this build knows it.
    pub fn from_number(number: &serde_json::Number) -> Option<Version> {
        match number.as_f64() {
            Some(1.0) => Some(Version::V1),
            Some(1.1) => Some(Version::V1_1),
            Some(1.2) => Some(Version::V1_2),
            _ => None,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::V1 => "1",
            Version::V1_1 => "1.1",
            Version::V1_2 => "1.2",
        })
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Version::V1 => serializer.serialize_u64(1),
            Version::V1_1 => serializer.serialize_f64(1.1),
            Version::V1_2 => serializer.serialize_f64(1.2),
        }
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        Version::from_number(&number).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown format version {number}, expected 1, 1.1 or 1.2"
            ))
        })
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Version {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Version".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A format version: 1, or 1.1 / 1.2 for files that use their additions.",
            "enum": [1, 1.1, 1.2]
        })
    }
}

/// Events already in one stream before the scenario starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Given {
    /// The stream, e.g. `"order-1"`.
    pub stream: String,
    /// Its events, oldest first, in the domain's event JSON.
    pub events: Vec<Value>,
}

/// One user command, how far the engine runs after it, and what it should record then.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The command, in the domain's command JSON.
    pub command: Value,
    /// Since 1.1: how many engine steps to take after submitting the command (`0`: only
    /// queue it). Absent: run until the engine is idle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_steps: Option<u64>,
    /// Since 1.2: engine steps after the command that are made to fail instead of being
    /// decided, each by its index among them (the command's own is `0`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<Fault>,
    /// What the engine should record during the step; absent expectations are not checked.
    #[serde(default, skip_serializing_if = "Expect::is_empty")]
    pub expect: Expect,
}

/// An engine step made to fail: the command it takes meets `rejection` instead of being
/// decided, and the sagas react as to a real one (the playground's ⚡ *make this step fail*).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Which engine step after the step's command, from `0` (the command itself).
    pub at: u64,
    /// The rejection, in the domain's rejection JSON.
    pub rejection: Value,
}

/// A command as it entered the queue: who issued it, and whether it compensates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Issued {
    /// The command, in the domain's command JSON.
    pub command: Value,
    /// `"user"`, or the name of the saga or process manager that issued it.
    pub origin: String,
    /// Whether it was issued in reaction to a rejection (absent: `false`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub compensation: bool,
}

impl Issued {
    /// The issued command of a command envelope's JSON.
    pub(crate) fn of_envelope(envelope: &Value) -> Issued {
        let origin = match &envelope["origin"] {
            Value::String(user) => user.clone(),
            reactor => reactor["reactor"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        };
        Issued {
            command: envelope["command"].clone(),
            origin,
            compensation: envelope["compensation"].as_bool().unwrap_or(false),
        }
    }
}

/// Expectations on what the engine recorded during one step: the step's command and
/// everything sagas did about it (and, when steps interleave, about earlier commands).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Every event recorded during the step, in order, across streams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<Value>>,
    /// Every rejection recorded during the step (the reasons), in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejections: Option<Vec<Value>>,
    /// Every command sagas and process managers issued during the step, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commands: Option<Vec<Value>>,
    /// Since 1.1: every command queued during the step, in order (the step's own command
    /// first), with its origin and compensation flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Vec<Issued>>,
}

impl Expect {
    fn is_empty(&self) -> bool {
        self.events.is_none()
            && self.rejections.is_none()
            && self.commands.is_none()
            && self.issued.is_none()
    }
}

/// Expectations on the state after the last step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Then {
    /// Stream id → its folded state, as JSON.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub streams: BTreeMap<String, Value>,
    /// The domain's view (read model), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<Value>,
    /// Since 1.1: the state of the domain's sagas and process managers, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Value>,
    /// Since 1.1: the commands still queued, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<Vec<Issued>>,
}

impl Then {
    fn is_empty(&self) -> bool {
        self.streams.is_empty()
            && self.view.is_none()
            && self.process.is_none()
            && self.queue.is_none()
    }
}

/// A scenario that cannot be read or run: what is wrong, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The JSON path of the offending value (`$` for the whole file).
    pub path: String,
    /// Line and column, for syntax errors.
    pub line: Option<(usize, usize)>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl ScenarioError {
    fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError {
            path: path.into(),
            line: None,
            message: message.into(),
        }
    }

    fn inside(prefix: &str, error: BoundaryError) -> Self {
        ScenarioError::at(format!("{prefix}{}", &error.path[1..]), error.message)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some((line, column)) => write!(f, "line {line}, column {column}: {}", self.message),
            None => write!(f, "at {}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// The JSON Schema of scenario files (checked in as `docs/scenario.schema.json`).
#[cfg(feature = "schema")]
pub fn schema() -> Value {
    schemars::schema_for!(Scenario).to_value()
}

impl Scenario {
    /// Reads a scenario from JSON text: syntax, format name and version, then structure.
    /// Domain-specific messages are checked by [`Scenario::validate`].
    /// A leading UTF-8 byte-order mark is skipped; a key that appears twice in one object
    /// is an error at its path (instead of the last one silently winning).
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        Self::from_value(&strict_json::parse(text)?)
    }

    /// Reads a scenario from a JSON value.
    pub fn from_value(value: &Value) -> Result<Scenario, ScenarioError> {
        let object = value
            .as_object()
            .ok_or_else(|| ScenarioError::at("$", "expected a JSON object (a scenario file)"))?;
        match object.get("format").and_then(Value::as_str) {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(ScenarioError::at(
                    "$.format",
                    format!("`{other}` is not a Decider Lab scenario (expected `{FORMAT}`)"),
                ))
            }
            None => {
                return Err(ScenarioError::at(
                    "$.format",
                    format!("missing `format`: expected \"{FORMAT}\""),
                ))
            }
        }
        check_version(object.get("version"))?;
        let scenario: Scenario =
            from_json(value).map_err(|e| ScenarioError::at(e.path, e.message))?;
        scenario.check_features()?;
        Ok(scenario)
    }

    /// The JSON path of the first field that needs format version 1.1, if any.
    pub fn first_v1_1_feature(&self) -> Option<String> {
        let in_steps = self.steps.iter().enumerate().find_map(|(s, step)| {
            let field = if step.engine_steps.is_some() {
                "engine_steps"
            } else if step.expect.issued.is_some() {
                "expect.issued"
            } else {
                return None;
            };
            Some(format!("$.steps[{s}].{field}"))
        });
        let in_then = || {
            let field = if self.then.process.is_some() {
                "process"
            } else if self.then.queue.is_some() {
                "queue"
            } else {
                return None;
            };
            Some(format!("$.then.{field}"))
        };
        in_steps.or_else(in_then)
    }

    /// The JSON path of the first field that needs format version 1.2, if any.
    pub fn first_v1_2_feature(&self) -> Option<String> {
        self.steps
            .iter()
            .position(|step| !step.faults.is_empty())
            .map(|s| format!("$.steps[{s}].faults"))
    }

    /// The oldest format version that can say everything the scenario says.
    pub fn least_version(&self) -> Version {
        if self.first_v1_2_feature().is_some() {
            Version::V1_2
        } else if self.first_v1_1_feature().is_some() {
            Version::V1_1
        } else {
            Version::V1
        }
    }

    /// Refuses a file that uses a field newer than the version it declares, naming it.
    fn check_features(&self) -> Result<(), ScenarioError> {
        let newer = [
            (Version::V1_2, self.first_v1_2_feature()),
            (Version::V1_1, self.first_v1_1_feature()),
        ];
        match newer.into_iter().find_map(|(version, path)| {
            path.filter(|_| self.version < version)
                .map(|p| (version, p))
        }) {
            Some((version, path)) => Err(ScenarioError::at(
                path,
                format!(
                    "this field is new in format version {version}; declare \"version\": {version}"
                ),
            )),
            None => Ok(()),
        }
    }

    /// The scenario as pretty, stable JSON (fields in format order, object keys sorted).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("scenarios serialize");
        text.push('\n');
        text
    }

    /// Checks every command, event and rejection in the file against `domain`'s types.
    pub fn validate(&self, domain: &dyn DynDomain) -> Result<(), ScenarioError> {
        if self.domain != domain.info().id {
            return Err(ScenarioError::at(
                "$.domain",
                format!(
                    "scenario is for `{}`, not `{}`",
                    self.domain,
                    domain.info().id
                ),
            ));
        }
        let check = |kind, value: &Value, path: String| {
            domain
                .validate(kind, value)
                .map_err(|e| ScenarioError::inside(&path, e))
        };
        for (g, given) in self.given.iter().enumerate() {
            for (e, event) in given.events.iter().enumerate() {
                check(
                    MessageKind::Event,
                    event,
                    format!("$.given[{g}].events[{e}]"),
                )?;
            }
        }
        for (s, step) in self.steps.iter().enumerate() {
            check(
                MessageKind::Command,
                &step.command,
                format!("$.steps[{s}].command"),
            )?;
            let lists = [
                (MessageKind::Event, "events", &step.expect.events),
                (
                    MessageKind::Rejection,
                    "rejections",
                    &step.expect.rejections,
                ),
                (MessageKind::Command, "commands", &step.expect.commands),
            ];
            for (kind, name, list) in lists {
                for (i, value) in list.iter().flatten().enumerate() {
                    check(kind, value, format!("$.steps[{s}].expect.{name}[{i}]"))?;
                }
            }
            for (k, fault) in step.faults.iter().enumerate() {
                let path = format!("$.steps[{s}].faults[{k}]");
                if k > 0 && fault.at <= step.faults[k - 1].at {
                    return Err(ScenarioError::at(
                        format!("{path}.at"),
                        "faults go in the order of their steps, each at a later one",
                    ));
                }
                check(
                    MessageKind::Rejection,
                    &fault.rejection,
                    format!("{path}.rejection"),
                )?;
            }
            let issued = step.expect.issued.iter().flatten().enumerate();
            for (i, issued) in issued {
                let path = format!("$.steps[{s}].expect.issued[{i}].command");
                check(MessageKind::Command, &issued.command, path)?;
            }
        }
        for (i, queued) in self.then.queue.iter().flatten().enumerate() {
            let path = format!("$.then.queue[{i}].command");
            check(MessageKind::Command, &queued.command, path)?;
        }
        Ok(())
    }

    /// Runs the scenario on `domain` (after [`Scenario::validate`]), ignoring expectations.
    pub fn run(&self, domain: &dyn DynDomain) -> Result<ScenarioRun, ScenarioError> {
        let mut steps = Vec::with_capacity(self.steps.len());
        let engine = self.replay(domain, &mut |engine, correlation_id, head, entries| {
            steps.push(outcome(engine, correlation_id, head, entries));
        })?;
        Ok(ScenarioRun { engine, steps })
    }

    /// Runs the scenario on `domain` (after [`Scenario::validate`]) as [`Scenario::run`]
    /// does, handing `each` the engine after each step with the step's correlation id and
    /// the head and journal length before it; the engine at the end. (`each` is a `dyn`:
    /// one copy of the loop in the page's wasm.)
    pub(crate) fn replay(
        &self,
        domain: &dyn DynDomain,
        each: &mut dyn FnMut(&dyn DynEngine, Id, u64, usize),
    ) -> Result<Box<dyn DynEngine>, ScenarioError> {
        self.validate(domain)?;
        let mut engine = domain.start(EngineConfig {
            seed: self.seed,
            ..EngineConfig::default()
        });
        for (g, given) in self.given.iter().enumerate() {
            engine
                .given(&given.stream, &given.events)
                .map_err(|e| ScenarioError::inside(&format!("$.given[{g}].events"), e))?;
        }
        for (s, step) in self.steps.iter().enumerate() {
            let (head, entries) = (engine.head(), engine.journal_len());
            let correlation_id = play(
                &mut *engine,
                &step.command,
                step.engine_steps,
                &step.faults,
                s,
            )?;
            each(&*engine, correlation_id, head, entries);
        }
        Ok(engine)
    }

    /// Runs the scenario and compares every expectation with what happened.
    pub fn check(&self, domain: &dyn DynDomain) -> Result<CheckReport, ScenarioError> {
        let run = self.run(domain)?;
        let mut failures = Vec::new();
        for (s, (step, outcome)) in self.steps.iter().zip(&run.steps).enumerate() {
            let lists = [
                ("events", &step.expect.events, &outcome.events),
                ("rejections", &step.expect.rejections, &outcome.rejections),
                ("commands", &step.expect.commands, &outcome.commands),
            ];
            // Why the step's refusals were refused: read once, for the first failure of
            // its events or rejections.
            let mut why: Option<Vec<String>> = None;
            for (name, expected, actual) in lists {
                if let Some(expected) = expected {
                    let failed = failures.len();
                    compare(
                        &mut failures,
                        format!("$.steps[{s}].expect.{name}"),
                        expected,
                        actual,
                    );
                    // A refusal that made the step differ says why it was refused.
                    if let Some(failure) = failures.get_mut(failed).filter(|_| name != "commands") {
                        let lines = why.get_or_insert_with(|| {
                            (outcome.refused.iter())
                                .filter_map(|&p| run.engine.why_refused(p, 1))
                                .map(|why| why.summary())
                                .collect()
                        });
                        failure.why = lines.clone();
                    }
                }
            }
            if let Some(expected) = &step.expect.issued {
                let path = format!("$.steps[{s}].expect.issued");
                compare(&mut failures, path, expected, &outcome.issued);
            }
        }
        let end = run.final_state();
        for (stream, expected) in &self.then.streams {
            let actual = &end["streams"][stream]["state"];
            compare(
                &mut failures,
                format!("$.then.streams.{stream}"),
                expected,
                actual,
            );
        }
        if let Some(expected) = &self.then.view {
            compare(&mut failures, "$.then.view".into(), expected, &end["view"]);
        }
        if let Some(expected) = &self.then.process {
            let path = "$.then.process".into();
            compare(&mut failures, path, expected, &end["process"]);
        }
        if let Some(expected) = &self.then.queue {
            let path = "$.then.queue".into();
            compare(&mut failures, path, expected, &run.queue());
        }
        Ok(CheckReport { failures })
    }

    /// This scenario with every expectation set to what a run records (record mode):
    /// each step's events, rejections and commands, every stream's final state and the
    /// view. A version-1.1 file records each step's `issued` commands (with origin and
    /// compensation flag) instead of `commands`, and the process state and the queue too;
    /// a version-1 file stays version 1.
    pub fn record(&self, domain: &dyn DynDomain) -> Result<Scenario, ScenarioError> {
        let run = self.run(domain)?;
        let detailed = self.version >= Version::V1_1;
        let mut recorded = self.clone();
        for (step, outcome) in recorded.steps.iter_mut().zip(&run.steps) {
            step.expect = Expect {
                events: Some(outcome.events.clone()),
                rejections: Some(outcome.rejections.clone()),
                commands: (!detailed).then(|| outcome.commands.clone()),
                issued: detailed.then(|| outcome.issued.clone()),
            };
        }
        let end = run.final_state();
        let streams = end["streams"].as_object().into_iter().flatten();
        // A system without a view or a process manager has `null` there, which the file
        // leaves out.
        let unless_null = |v: &Value| Some(v.clone()).filter(|v| !v.is_null());
        // Extended, not collected: collecting a map compiles a sort of its own.
        let mut states = BTreeMap::new();
        states.extend(streams.map(|(id, s)| (id.clone(), s["state"].clone())));
        recorded.then = Then {
            streams: states,
            view: unless_null(&end["view"]),
            process: unless_null(&end["process"]).filter(|_| detailed),
            queue: detailed.then(|| run.queue()),
        };
        Ok(recorded)
    }
}

/// Submits `command` (step `s` of a scenario, for the paths of errors) and takes the engine
/// steps that follow it: until the engine is idle, or `engine_steps` of them, the ones
/// `faults` name made to fail; the command's id.
pub(crate) fn play(
    engine: &mut dyn DynEngine,
    command: &Value,
    engine_steps: Option<u64>,
    faults: &[Fault],
    s: usize,
) -> Result<Id, ScenarioError> {
    let correlation_id = engine
        .submit(command)
        .map_err(|e| ScenarioError::inside(&format!("$.steps[{s}].command"), e))?;
    let limit = engine_steps.unwrap_or(MAX_STEPS_PER_STEP);
    let idle = match faults {
        [] => engine.run_until_idle(limit).idle,
        faults => run_with_faults(engine, limit, faults, s)?,
    };
    if engine_steps.is_none() && !idle {
        return Err(ScenarioError::at(
            format!("$.steps[{s}]"),
            format!("the flow did not end within {MAX_STEPS_PER_STEP} engine steps"),
        ));
    }
    Ok(correlation_id)
}

/// Takes up to `limit` engine steps after step `s`'s command, the ones `faults` name made to
/// fail instead of being decided; whether the engine ended idle. A fault at a step that
/// was never taken, or that the engine refuses, is an error at its path.
fn run_with_faults(
    engine: &mut dyn DynEngine,
    limit: u64,
    faults: &[Fault],
    s: usize,
) -> Result<bool, ScenarioError> {
    let taken = take_steps(engine, limit, &mut |i, engine| {
        let fault = faults.iter().find(|f| f.at == i)?;
        Some((engine.next_queued()?, fault.rejection.clone()))
    });
    let at = |i: u64| faults.iter().position(|f| f.at >= i);
    if let Some((i, e)) = taken.refused {
        let k = at(i).unwrap_or_default();
        return Err(ScenarioError::inside(
            &format!("$.steps[{s}].faults[{k}].rejection"),
            e,
        ));
    }
    match at(taken.steps) {
        Some(k) => Err(ScenarioError::at(
            format!("$.steps[{s}].faults[{k}].at"),
            format!(
                "there is no engine step {} after this command: it took {}",
                faults[k].at, taken.steps
            ),
        )),
        None => Ok(engine.queue_len() == 0),
    }
}

/// Given a step's number (from 0) and the engine before it, the queued command to make
/// fail there and its rejection, if any ([`take_steps`]).
pub(crate) type FailStep<'a> = dyn FnMut(u64, &dyn DynEngine) -> Option<(Id, Value)> + 'a;

/// What [`take_steps`] did.
pub(crate) struct Taken {
    /// The engine steps taken.
    pub steps: u64,
    /// The steps made to fail: which (from 0), the step's record (JSON), the rejection.
    pub injected: Vec<(u64, Value, Value)>,
    /// The step whose fault the engine refused, and why (the steps stop there).
    pub refused: Option<(u64, BoundaryError)>,
}

/// Takes up to `limit` engine steps, one at a time until the queue is empty; the `i`th
/// (from 0) is made to fail instead of being decided when `fail(i, engine)` names the
/// queued command and a rejection. What scenario faults and the explorer's runs share
/// (`fail` as a `dyn`: one copy of the loop in the wasm, not one a caller).
pub(crate) fn take_steps(engine: &mut dyn DynEngine, limit: u64, fail: &mut FailStep<'_>) -> Taken {
    let mut taken = Taken {
        steps: 0,
        injected: Vec::new(),
        refused: None,
    };
    while taken.steps < limit && engine.queue_len() > 0 {
        let i = taken.steps;
        match fail(i, &*engine) {
            Some((id, rejection)) => match engine.inject_fault(id, &rejection) {
                Ok(step) => taken.injected.push((i, step, rejection)),
                Err(e) => {
                    taken.refused = Some((i, e));
                    break;
                }
            },
            None => {
                engine.run_until_idle(1);
            }
        }
        taken.steps += 1;
    }
    taken
}

/// Refuses a missing, unknown or newer `version`.
fn check_version(version: Option<&Value>) -> Result<(), ScenarioError> {
    let number = version.and_then(Value::as_number);
    match number {
        Some(n) if Version::from_number(n).is_some() => Ok(()),
        Some(n) if n.as_f64().is_some_and(|v| v > 1.2) => Err(ScenarioError::at(
            "$.version",
            format!(
                "format version {n} is newer than this build reads (up to {VERSION}); \
                 upgrade Decider Lab to read it"
            ),
        )),
        _ => Err(ScenarioError::at(
            "$.version",
            "expected a format version: 1, 1.1 or 1.2",
        )),
    }
}

fn compare<T: Serialize>(failures: &mut Vec<Failure>, path: String, expected: &T, actual: &T) {
    let (e, a) = (pretty(expected), pretty(actual));
    if e != a {
        failures.push(Failure {
            path,
            diff: text_diff(&e, &a),
            why: Vec::new(),
        });
    }
}

fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.push('\n');
    text
}

/// The commands still queued after `journal`: each step took the front of the queue,
/// and submissions and reactions joined its back. (A projection at a fact position does
/// not see submissions made after that fact.)
fn live_queue(journal: &[Value]) -> Vec<Issued> {
    let mut queue = std::collections::VecDeque::new();
    for entry in journal {
        if entry.get("step").is_some() {
            queue.pop_front();
        }
        queue.extend(queued_by(entry));
    }
    queue.iter().map(Issued::of_envelope).collect()
}

/// What the engine recorded during one step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepOutcome {
    /// The id of the step's command, which is the flow's correlation id.
    pub correlation_id: Id,
    /// The events, in order.
    pub events: Vec<Value>,
    /// The rejection reasons, in order.
    pub rejections: Vec<Value>,
    /// The commands sagas and process managers issued, in order.
    pub commands: Vec<Value>,
    /// Every command queued during the step (the step's own first), with its origin.
    pub issued: Vec<Issued>,
    /// The causal trace of the step's own flow as JSON.
    pub trace: Value,
    /// The causal trace as an indented text tree.
    pub trace_text: String,
    /// Earlier flows that recorded facts during this step (steps that took fewer engine
    /// steps than their flow needed leave it to later steps), in order of appearance.
    pub continued: Vec<ContinuedFlow>,
    /// The positions of the rejections recorded during the step, in order (not in the
    /// JSON a run prints: `rejections` says what they are).
    #[serde(skip)]
    pub refused: Vec<u64>,
}

/// An earlier step's flow that went on during a later step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContinuedFlow {
    /// The flow's correlation id (its user command's id).
    pub correlation_id: Id,
    /// Its causal trace so far, as an indented text tree.
    pub trace_text: String,
}

/// The correlation ids of `facts` other than `own`, each once, in order of appearance.
fn other_flows(facts: &[Value], own: Id) -> Vec<Id> {
    let mut flows: Vec<Id> = Vec::new();
    let ids = facts
        .iter()
        .filter_map(|f| serde_json::from_value::<Id>(f["correlation_id"].clone()).ok());
    for id in ids {
        if id != own && !flows.contains(&id) {
            flows.push(id);
        }
    }
    flows
}

fn outcome(engine: &dyn DynEngine, correlation_id: Id, head: u64, entries: usize) -> StepOutcome {
    let facts = engine.facts(head, engine.head());
    let of_kind = |kind: &str, field: &str| -> Vec<Value> {
        facts
            .iter()
            .filter_map(|f| f["kind"][kind].get(field).cloned())
            .collect()
    };
    let queued: Vec<Value> = engine.journal(entries).iter().flat_map(queued_by).collect();
    let by_user = |envelope: &&Value| envelope["origin"] == USER;
    StepOutcome {
        correlation_id,
        events: of_kind("event", "event"),
        rejections: of_kind("rejected", "reason"),
        commands: (queued.iter().filter(|e| !by_user(e)))
            .map(|envelope| envelope["command"].clone())
            .collect(),
        issued: queued.iter().map(Issued::of_envelope).collect(),
        trace: engine.trace(correlation_id).unwrap_or(Value::Null),
        trace_text: engine.trace_text(correlation_id).unwrap_or_default(),
        continued: other_flows(&facts, correlation_id)
            .into_iter()
            .map(|id| ContinuedFlow {
                correlation_id: id,
                trace_text: engine.trace_text(id).unwrap_or_default(),
            })
            .collect(),
        refused: (facts.iter())
            .filter(|f| f["kind"].get("rejected").is_some())
            .filter_map(|f| f["position"].as_u64())
            .collect(),
    }
}

/// The origin of user commands in envelopes (`"user"`; a saga's is an object).
const USER: &str = "user";

/// The command envelopes a journal entry queued: a user's submission, or what sagas
/// issued during an engine step.
fn queued_by(entry: &Value) -> Vec<Value> {
    if let Some(envelope) = entry.get("submitted") {
        return vec![envelope.clone()];
    }
    let facts = entry["step"]["facts"].as_array().into_iter().flatten();
    facts
        .flat_map(|fact| fact["queued"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// A finished run: the engine and each step's outcome.
pub struct ScenarioRun {
    /// The engine after the last step.
    pub engine: Box<dyn DynEngine>,
    /// One outcome per step.
    pub steps: Vec<StepOutcome>,
}

impl ScenarioRun {
    /// Streams, view, process manager and queue after the last recorded fact, as JSON
    /// (commands submitted after it are in [`ScenarioRun::queue`]).
    pub fn final_state(&self) -> Value {
        self.engine.state_at(self.engine.head())
    }

    /// The commands still queued after the last step, in order.
    pub fn queue(&self) -> Vec<Issued> {
        live_queue(&self.engine.journal(0))
    }
}

/// One expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The JSON path of the expectation in the file.
    pub path: String,
    /// A unified diff: `-` expected, `+` actual.
    pub diff: String,
    /// For a step's events or rejections, why each command the step saw refused was
    /// refused, a line each ([`crate::boundary::Refusal::summary`]).
    pub why: Vec<String>,
}

/// The result of [`Scenario::check`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Every expectation that did not hold (empty: the scenario passes).
    pub failures: Vec<Failure>,
}

impl CheckReport {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for failure in &self.failures {
            writeln!(f, "{} does not hold:\n{}", failure.path, failure.diff)?;
            for why in &failure.why {
                writeln!(f, "  why: {why}")?;
            }
        }
        Ok(())
    }
}

/// A domain given by id, or the ids that are known.
pub type Resolve<'a> = &'a dyn Fn(&str) -> Result<Box<dyn DynDomain>, Vec<String>>;

/// Parses `text` and resolves its domain with `resolve`; an unknown domain's error lists
/// the known ones.
pub fn load(
    text: &str,
    resolve: Resolve<'_>,
) -> Result<(Scenario, Box<dyn DynDomain>), ScenarioError> {
    let scenario = Scenario::parse(text)?;
    let domain = resolve(&scenario.domain).map_err(|known| {
        ScenarioError::at(
            "$.domain",
            format!(
                "unknown domain `{}`; known domains: {}",
                scenario.domain,
                known.join(", ")
            ),
        )
    })?;
    scenario.validate(&*domain)?;
    Ok((scenario, domain))
}
