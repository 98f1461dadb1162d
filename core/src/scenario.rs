//! Scenario files, format version 1: what users share, and an executable specification.
//!
//! A scenario names a domain, gives optional history (`given`), a list of `steps` (each a
//! command with optional expectations on the flow it starts), and optional final
//! expectations (`then`: stream states and the view). The format is documented in
//! `docs/scenario-format.md`; its JSON Schema is [`schema`].

use crate::boundary::{json_path, BoundaryError, DynDomain, DynEngine, MessageKind};
use crate::engine::EngineConfig;
use crate::ids::Id;
use crate::spec::text_diff;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The `format` every scenario file declares.
pub const FORMAT: &str = "decider-lab/scenario";
/// The newest format version this build reads and writes.
pub const VERSION: u32 = 1;
/// Engine steps one scenario step may take before it is reported as runaway.
pub const MAX_STEPS_PER_STEP: u64 = 10_000;

/// A scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Always `"decider-lab/scenario"`.
    pub format: String,
    /// The format version; this build reads 1.
    pub version: u32,
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
    /// The commands, in order; each runs until the engine is idle.
    pub steps: Vec<Step>,
    /// Expectations on the end state.
    #[serde(default, skip_serializing_if = "Then::is_empty")]
    pub then: Then,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Events already in one stream before the scenario starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Given {
    /// The stream, e.g. `"order-1"`.
    pub stream: String,
    /// Its events, oldest first, in the domain's event JSON.
    pub events: Vec<Value>,
}

/// One user command and what its whole flow should record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The command, in the domain's command JSON.
    pub command: Value,
    /// What the flow it starts should record; absent expectations are not checked.
    #[serde(default, skip_serializing_if = "Expect::is_empty")]
    pub expect: Expect,
}

/// Expectations on one step's flow (the command and everything sagas did about it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Every event the flow recorded, in order, across streams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<Value>>,
    /// Every rejection in the flow (the reasons), in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejections: Option<Vec<Value>>,
    /// Every command sagas and process managers issued in the flow, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commands: Option<Vec<Value>>,
}

impl Expect {
    fn is_empty(&self) -> bool {
        self.events.is_none() && self.rejections.is_none() && self.commands.is_none()
    }
}

/// Expectations on the state after the last step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Then {
    /// Stream id → its folded state, as JSON.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub streams: BTreeMap<String, Value>,
    /// The domain's view (read model), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<Value>,
}

impl Then {
    fn is_empty(&self) -> bool {
        self.streams.is_empty() && self.view.is_none()
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
pub fn schema() -> Value {
    schemars::schema_for!(Scenario).to_value()
}

impl Scenario {
    /// Reads a scenario from JSON text: syntax, format name and version, then structure.
    /// Domain-specific messages are checked by [`Scenario::validate`].
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ScenarioError {
            path: "$".into(),
            line: Some((e.line(), e.column())),
            message: e.to_string(),
        })?;
        Self::from_value(&value)
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
        match object.get("version").and_then(Value::as_u64) {
            Some(v) if v > u64::from(VERSION) => {
                return Err(ScenarioError::at(
                    "$.version",
                    format!(
                        "format version {v} is newer than this build reads (up to {VERSION}); \
                         upgrade Decider Lab to read it"
                    ),
                ))
            }
            Some(v) if v >= 1 => {}
            _ => {
                return Err(ScenarioError::at(
                    "$.version",
                    format!("expected a format version from 1 to {VERSION}"),
                ))
            }
        }
        serde_path_to_error::deserialize(value)
            .map_err(|e| ScenarioError::at(json_path(e.path()), e.inner().to_string()))
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
        }
        Ok(())
    }

    /// Runs the scenario on `domain` (after [`Scenario::validate`]), ignoring expectations.
    pub fn run(&self, domain: &dyn DynDomain) -> Result<ScenarioRun, ScenarioError> {
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
        let mut steps = Vec::with_capacity(self.steps.len());
        for (s, step) in self.steps.iter().enumerate() {
            let (head, entries) = (engine.head(), engine.journal_len());
            let correlation_id = engine
                .submit(&step.command)
                .map_err(|e| ScenarioError::inside(&format!("$.steps[{s}].command"), e))?;
            if !engine.run_until_idle(MAX_STEPS_PER_STEP).idle {
                return Err(ScenarioError::at(
                    format!("$.steps[{s}]"),
                    format!("the flow did not end within {MAX_STEPS_PER_STEP} engine steps"),
                ));
            }
            steps.push(outcome(&*engine, correlation_id, head, entries));
        }
        Ok(ScenarioRun { engine, steps })
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
            for (name, expected, actual) in lists {
                if let Some(expected) = expected {
                    compare(
                        &mut failures,
                        format!("$.steps[{s}].expect.{name}"),
                        expected,
                        actual,
                    );
                }
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
        Ok(CheckReport { failures })
    }

    /// This scenario with every expectation set to what a run records (record mode):
    /// each step's events, rejections and commands, every stream's final state and the view.
    pub fn record(&self, domain: &dyn DynDomain) -> Result<Scenario, ScenarioError> {
        let run = self.run(domain)?;
        let mut recorded = self.clone();
        for (step, outcome) in recorded.steps.iter_mut().zip(&run.steps) {
            step.expect = Expect {
                events: Some(outcome.events.clone()),
                rejections: Some(outcome.rejections.clone()),
                commands: Some(outcome.commands.clone()),
            };
        }
        let end = run.final_state();
        let streams = end["streams"].as_object().into_iter().flatten();
        recorded.then = Then {
            streams: streams
                .map(|(id, s)| (id.clone(), s["state"].clone()))
                .collect(),
            // A system without a view has `null` there, which the file leaves out.
            view: Some(end["view"].clone()).filter(|v| !v.is_null()),
        };
        Ok(recorded)
    }
}

fn compare<T: Serialize>(failures: &mut Vec<Failure>, path: String, expected: &T, actual: &T) {
    let (e, a) = (pretty(expected), pretty(actual));
    if e != a {
        failures.push(Failure {
            path,
            diff: text_diff(&e, &a),
        });
    }
}

fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.push('\n');
    text
}

/// What one step's flow recorded.
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
    /// The causal trace as JSON.
    pub trace: Value,
    /// The causal trace as an indented text tree.
    pub trace_text: String,
}

fn outcome(engine: &dyn DynEngine, correlation_id: Id, head: u64, entries: usize) -> StepOutcome {
    let facts = engine.facts(head, engine.head());
    let of_kind = |kind: &str, field: &str| -> Vec<Value> {
        facts
            .iter()
            .filter_map(|f| f["kind"][kind].get(field).cloned())
            .collect()
    };
    let commands = engine
        .journal(entries)
        .iter()
        .filter_map(|entry| entry.get("step"))
        .flat_map(|step| step["facts"].as_array().cloned().unwrap_or_default())
        .flat_map(|fact| fact["queued"].as_array().cloned().unwrap_or_default())
        .map(|envelope| envelope["command"].clone())
        .collect();
    StepOutcome {
        correlation_id,
        events: of_kind("event", "event"),
        rejections: of_kind("rejected", "reason"),
        commands,
        trace: engine.trace(correlation_id).unwrap_or(Value::Null),
        trace_text: engine.trace_text(correlation_id).unwrap_or_default(),
    }
}

/// A finished run: the engine and each step's outcome.
pub struct ScenarioRun {
    /// The engine after the last step.
    pub engine: Box<dyn DynEngine>,
    /// One outcome per step.
    pub steps: Vec<StepOutcome>,
}

impl ScenarioRun {
    /// Streams, view, process manager and queue after the last step, as JSON.
    pub fn final_state(&self) -> Value {
        self.engine.state_at(self.engine.head())
    }
}

/// One expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The JSON path of the expectation in the file.
    pub path: String,
    /// A unified diff: `-` expected, `+` actual.
    pub diff: String,
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
