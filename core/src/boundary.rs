//! The type-erased boundary: tools that do not know a domain's types (the playground, the
//! CLI) drive any domain through JSON, and read its types as JSON Schema.
//!
//! Inside, the engine stays typed; only this boundary converts.

use crate::engine::{Engine, EngineConfig, EngineError, EntryOf, RunSummary};
use crate::ids::{Id, StreamId};
use crate::projection::Projection;
use crate::system::{ProcessStateOf, StreamStateOf, System, ViewStateOf};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::fmt;
use std::sync::Arc;

/// What a domain says about itself, for the UI and the CLI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DomainInfo {
    /// Stable id used in scenario files, e.g. `"counter"`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// One paragraph for the UI.
    pub description: String,
    /// The kinds of stream (aggregates), e.g. `["order", "restaurant"]`.
    pub streams: Vec<String>,
    /// The read models.
    pub views: Vec<String>,
    /// The sagas and process managers.
    pub sagas: Vec<String>,
}

/// Bad input at the boundary: what was wrong and where (a JSON path such as
/// `$.items[0].quantity`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundaryError {
    /// The JSON path of the offending value (`$` for the whole document).
    pub path: String,
    /// What was expected.
    pub message: String,
}

impl fmt::Display for BoundaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.message)
    }
}

impl std::error::Error for BoundaryError {}

/// Parses `value` as a `T`, naming the JSON path of the first error.
pub fn from_json<T: DeserializeOwned>(value: &Value) -> Result<T, BoundaryError> {
    serde_path_to_error::deserialize(value).map_err(|e| BoundaryError {
        path: json_path(e.path()),
        message: e.inner().to_string(),
    })
}

/// `$` followed by the segments of a `serde_path_to_error` path.
pub fn json_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::from("$");
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => out.push_str(&format!(".{key}")),
            serde_path_to_error::Segment::Enum { variant } => out.push_str(&format!(".{variant}")),
            serde_path_to_error::Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

/// A domain seen from outside: its description, its schemas, and engines that take JSON.
pub trait DynDomain: Send + Sync {
    /// Id, title, description, streams, views, sagas.
    fn info(&self) -> &DomainInfo;
    /// JSON Schema of the command type.
    fn command_schema(&self) -> Value;
    /// JSON Schema of the event type.
    fn event_schema(&self) -> Value;
    /// JSON Schema of the rejection type.
    fn rejection_schema(&self) -> Value;
    /// Checks that `value` is a valid message of `kind`, naming the path of what is not.
    fn validate(&self, kind: MessageKind, value: &Value) -> Result<(), BoundaryError>;
    /// The names of the command variants (from the schema).
    fn command_names(&self) -> Vec<String> {
        variant_names(&self.command_schema())
    }
    /// An empty engine.
    fn start(&self, config: EngineConfig) -> Box<dyn DynEngine>;
    /// The engine that wrote this journal (as JSON entries), or where it does not fold.
    fn rebuild(
        &self,
        config: EngineConfig,
        journal: &[Value],
    ) -> Result<Box<dyn DynEngine>, BoundaryError>;
}

/// The kinds of message a domain defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// A command.
    Command,
    /// An event.
    Event,
    /// A rejection.
    Rejection,
}

/// An engine seen from outside: commands and history in, facts and states out, as JSON.
pub trait DynEngine {
    /// Queues a user command given as JSON; returns its id.
    fn submit(&mut self, command: &Value) -> Result<Id, BoundaryError>;
    /// Queues a user command under an id the caller chose (say, once per click), so that
    /// submitting it again is refused instead of run twice.
    fn submit_as(&mut self, command_id: Id, command: &Value) -> Result<Id, BoundaryError>;
    /// Records events given as JSON in `stream` as history (a scenario's "given").
    fn given(&mut self, stream: &str, events: &[Value]) -> Result<(), BoundaryError>;
    /// Handles one queued command; the step record as JSON, `None` when idle.
    fn step(&mut self) -> Option<Value>;
    /// Steps until idle or `max_steps`.
    fn run_until_idle(&mut self, max_steps: u64) -> RunSummary;
    /// The number of facts recorded.
    fn head(&self) -> u64;
    /// The number of journal entries.
    fn journal_len(&self) -> usize;
    /// Journal entries `from..` as JSON (what a durable store writes, one per transaction).
    fn journal(&self, from: usize) -> Vec<Value>;
    /// Facts at positions `from..to` as JSON.
    fn facts(&self, from: u64, to: u64) -> Vec<Value>;
    /// Streams, view, process manager and queue after fact `position - 1`, as JSON.
    fn state_at(&self, position: u64) -> Value;
    /// The causal trace of a flow as JSON, or `None` for an unknown correlation id.
    fn trace(&self, correlation_id: Id) -> Option<Value>;
    /// The causal trace of a flow as an indented text tree.
    fn trace_text(&self, correlation_id: Id) -> Option<String>;
    /// A what-if branch whose past is this engine's up to `position`.
    fn fork_at(&self, position: u64) -> Box<dyn DynEngine>;
}

/// A typed [`System`] behind the type-erased boundary.
pub struct TypedDomain<Y> {
    info: DomainInfo,
    system: Arc<Y>,
}

impl<Y> TypedDomain<Y> {
    /// Describes `system` as `info`.
    pub fn new(info: DomainInfo, system: Y) -> Self {
        TypedDomain {
            info,
            system: Arc::new(system),
        }
    }
}

/// The bounds a system needs to cross the boundary.
pub trait JsonSystem:
    System<
        Command: Serialize + DeserializeOwned + JsonSchema,
        Event: Serialize + DeserializeOwned + JsonSchema,
        Rejection: Serialize + DeserializeOwned + JsonSchema,
    > + Send
    + Sync
    + 'static
where
    StreamStateOf<Self>: Serialize,
    ViewStateOf<Self>: Serialize,
    ProcessStateOf<Self>: Serialize,
{
}

impl<Y> JsonSystem for Y
where
    Y: System + Send + Sync + 'static,
    Y::Command: Serialize + DeserializeOwned + JsonSchema,
    Y::Event: Serialize + DeserializeOwned + JsonSchema,
    Y::Rejection: Serialize + DeserializeOwned + JsonSchema,
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
}

impl<Y: JsonSystem> DynDomain for TypedDomain<Y>
where
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
    fn info(&self) -> &DomainInfo {
        &self.info
    }

    fn command_schema(&self) -> Value {
        schemars::schema_for!(Y::Command).to_value()
    }

    fn event_schema(&self) -> Value {
        schemars::schema_for!(Y::Event).to_value()
    }

    fn rejection_schema(&self) -> Value {
        schemars::schema_for!(Y::Rejection).to_value()
    }

    fn validate(&self, kind: MessageKind, value: &Value) -> Result<(), BoundaryError> {
        match kind {
            MessageKind::Command => from_json::<Y::Command>(value).map(drop),
            MessageKind::Event => from_json::<Y::Event>(value).map(drop),
            MessageKind::Rejection => from_json::<Y::Rejection>(value).map(drop),
        }
    }

    fn start(&self, config: EngineConfig) -> Box<dyn DynEngine> {
        Box::new(Engine::with_store(
            self.system.clone(),
            config,
            crate::InMemoryEventStore::new(),
        ))
    }

    fn rebuild(
        &self,
        config: EngineConfig,
        journal: &[Value],
    ) -> Result<Box<dyn DynEngine>, BoundaryError> {
        let entries = journal
            .iter()
            .enumerate()
            .map(|(i, v)| {
                from_json::<EntryOf<Y>>(v).map_err(|e| BoundaryError {
                    path: format!("$[{i}]{}", &e.path[1..]),
                    message: e.message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let engine = Engine::from_journal(self.system.clone(), config, entries).map_err(|e| {
            let path = match &e {
                EngineError::Journal(j) => format!("$[{}]", j.entry),
                EngineError::Duplicate(_) => "$".into(),
            };
            BoundaryError {
                path,
                message: e.to_string(),
            }
        })?;
        Ok(Box::new(engine))
    }
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("domain types serialize to JSON")
}

/// The JSON of a projection: streams sorted by id, view, process manager, queue.
pub fn projection_json<Y: JsonSystem>(projection: &Projection<Y>) -> Value
where
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
    let mut streams: Vec<(&StreamId, _)> = projection.streams.iter().collect();
    streams.sort_by(|a, b| a.0.cmp(b.0));
    let streams: serde_json::Map<String, Value> = streams
        .into_iter()
        .map(|(id, s)| (id.to_string(), to_json(s)))
        .collect();
    json!({
        "position": projection.position,
        "streams": streams,
        "view": to_json(&projection.view),
        "process": to_json(&projection.process),
        "queue": projection.queue.iter().map(to_json).collect::<Vec<_>>(),
    })
}

impl<Y: JsonSystem> DynEngine for Engine<Y>
where
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
    fn submit(&mut self, command: &Value) -> Result<Id, BoundaryError> {
        let command: Y::Command = from_json(command)?;
        Ok(Engine::submit(self, command))
    }

    fn submit_as(&mut self, command_id: Id, command: &Value) -> Result<Id, BoundaryError> {
        let command: Y::Command = from_json(command)?;
        Engine::submit_with_id(self, command_id, command).map_err(|e| BoundaryError {
            path: "$".into(),
            message: e.to_string(),
        })
    }

    fn given(&mut self, stream: &str, events: &[Value]) -> Result<(), BoundaryError> {
        let events = events
            .iter()
            .enumerate()
            .map(|(i, v)| {
                from_json::<Y::Event>(v).map_err(|e| BoundaryError {
                    path: format!("$[{i}]{}", &e.path[1..]),
                    message: e.message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Engine::given(self, &StreamId::from(stream), events).map_err(|conflict| BoundaryError {
            path: "$".into(),
            message: conflict.to_string(),
        })
    }

    fn step(&mut self) -> Option<Value> {
        Engine::step(self).map(to_json)
    }

    fn run_until_idle(&mut self, max_steps: u64) -> RunSummary {
        Engine::run_until_idle(self, max_steps)
    }

    fn head(&self) -> u64 {
        self.timeline().head()
    }

    fn journal_len(&self) -> usize {
        Engine::journal(self).len()
    }

    fn journal(&self, from: usize) -> Vec<Value> {
        Engine::journal(self)
            .iter()
            .skip(from)
            .map(to_json)
            .collect()
    }

    fn facts(&self, from: u64, to: u64) -> Vec<Value> {
        use crate::store::EventStore;
        self.store()
            .read_all(from)
            .take(to.saturating_sub(from) as usize)
            .map(to_json)
            .collect()
    }

    fn state_at(&self, position: u64) -> Value {
        projection_json(&self.at_position(position))
    }

    fn trace(&self, correlation_id: Id) -> Option<Value> {
        Engine::trace(self, correlation_id).map(|t| to_json(&t))
    }

    fn trace_text(&self, correlation_id: Id) -> Option<String> {
        Engine::trace(self, correlation_id).map(|t| t.render_text())
    }

    fn fork_at(&self, position: u64) -> Box<dyn DynEngine> {
        Box::new(Engine::fork_at(self, position))
    }
}

/// The variant names of an enum's JSON Schema in serde's default (externally tagged)
/// form: `oneOf` objects with one required property, or a string `enum` for unit
/// variants. A variant that wraps another enum (a service's commands inside a domain's)
/// lists the inner names as `outer.inner`.
fn variant_names(schema: &Value) -> Vec<String> {
    let definitions = schema.get("$defs");
    let resolve = |s: &Value| -> Value {
        let target = s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|name| definitions?.get(name));
        target.unwrap_or(s).clone()
    };
    let mut names = Vec::new();
    for variant in schema
        .get("oneOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for name in variant
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(name) = name.as_str() else { continue };
            let inner = resolve(&variant["properties"][name]);
            let nested = variant_names(&json!({"oneOf": inner.get("oneOf"), "$defs": definitions}));
            if nested.is_empty() {
                names.push(name.to_string());
            } else {
                names.extend(nested.into_iter().map(|n| format!("{name}.{n}")));
            }
        }
        for unit in variant
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            names.extend(unit.as_str().map(str::to_string));
        }
        if let Some(unit) = variant.get("const").and_then(Value::as_str) {
            names.push(unit.to_string());
        }
    }
    names
}
