//! The type-erased boundary: tools that do not know a domain's types (the playground, the
//! CLI) drive any domain through JSON, and read its types as JSON Schema.
//!
//! Inside, the engine stays typed; only this boundary converts.

pub mod compare;
mod entries;
pub mod flow;
pub mod flow_list;
pub mod history;
mod located;
pub mod mermaid;
pub mod packed;
mod refold;
pub mod rows;
pub mod stored;
pub mod why;
pub mod window;

pub use compare::{compare, Comparison, Difference, FactPair, Limits, Part};
pub use flow::{short_name, FlowNode, FlowView, Lane, LaneKind, NodeKind, Tone};
pub use flow_list::{FlowList, FlowOutcome, FlowRow, FlowSummary, Noted, StepNoted};
use history::FieldTracker;
pub use history::{FieldChange, FieldHistory};
pub use rows::{Catalog, FactRow, LogFilter, QueueRow, RowKind, StateView};
pub use why::{Outcome, Refusal, Stretch, Verdict};

use crate::decider::Decider;
use crate::engine::{Engine, EngineConfig, EngineError, GivenError, ReadEntryOf, RunSummary};
use crate::envelope::FactKindRef;
use crate::ids::{Id, SeededIds, StreamId};
use crate::invariants::{Invariants, Said};
use crate::journal::{JournalEntry, ReadEntry, Run};
use crate::projection::Projection;
use crate::remains::Remains;
use crate::system::{ProcessStateOf, StreamStateOf, System, ViewStateOf};
use rows::to_json;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// What a domain says about itself, for the UI and the CLI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
    /// The event types (variant paths such as `order.order_placed`) published to other
    /// services (integration events); the others stay inside their service. Empty when
    /// the domain does not make the distinction.
    #[serde(default)]
    pub external_events: Vec<String>,
    /// The event types that carry only ids (their consumers read the rest from a view).
    #[serde(default)]
    pub zero_payload_events: Vec<String>,
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
    located::deserialize(value).map_err(|(path, message)| BoundaryError { path, message })
}

/// Parses every element of `values` as a `T`; the error names the element (`$[i]…`).
fn from_json_each<T: DeserializeOwned>(values: &[Value]) -> Result<Vec<T>, BoundaryError> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| from_json(v).map_err(|e| e.in_element(i)))
        .collect()
}

// Not generic, so that the error paths are compiled once instead of once per domain.
impl BoundaryError {
    /// An error about the whole document (path `$`).
    fn whole(error: &dyn fmt::Display) -> Self {
        BoundaryError {
            path: "$".into(),
            message: error.to_string(),
        }
    }

    /// A journal that does not fold: the path of the entry that does not.
    fn of_journal(error: EngineError) -> Self {
        let path = match &error {
            EngineError::Journal(j) => format!("$[{}]", j.entry),
            EngineError::Duplicate(_) | EngineError::NotQueued(_) => "$".into(),
        };
        BoundaryError {
            path,
            message: error.to_string(),
        }
    }

    /// Given events not recorded: the path of the misplaced one, if that is why.
    fn of_given(error: GivenError) -> Self {
        BoundaryError {
            path: match &error {
                GivenError::Misplaced { index, .. } => format!("$[{index}]"),
                GivenError::Conflict(_) => "$".into(),
            },
            message: error.to_string(),
        }
    }

    /// This error, found in the `index`-th element of an array (its path was relative to
    /// that element).
    fn in_element(self, index: usize) -> Self {
        BoundaryError {
            path: format!("$[{index}]{}", &self.path[1..]),
            message: self.message,
        }
    }
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
    /// What the domain's [`Invariants`] say, when it declares some (so that exploring it
    /// can find one broken: [`crate::explore`]).
    fn invariants(&self) -> Option<Said>;
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

/// The entries per object or array of the view and process state that
/// [`DynEngine::inspect`] returns (the rest is counted, not sent).
pub const INSPECT_ENTRIES: usize = 200;

/// An engine seen from outside: commands and history in, facts and states out, as JSON
/// and as the typed rows of [`rows`].
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
    /// Makes the queued command `command_id` fail with `rejection` (JSON of the domain's
    /// rejection type) instead of deciding it: the rejection is recorded, marked injected,
    /// and sagas react to it as to a real one. Returns the step record as JSON.
    fn inject_fault(&mut self, command_id: Id, rejection: &Value) -> Result<Value, BoundaryError>;
    /// The stream a command (as JSON) is addressed to.
    fn stream_of(&self, command: &Value) -> Result<String, BoundaryError>;
    /// The number of facts recorded.
    fn head(&self) -> u64;
    /// The seed of its ids ([`EngineConfig::seed`]): what rebuilds its journal.
    fn seed(&self) -> u64;
    /// The number of commands waiting in the live queue.
    fn queue_len(&self) -> usize;
    /// The id of the command the next step takes, if any is queued.
    fn next_queued(&self) -> Option<Id>;
    /// The ids of the streams that have an event, sorted, at most `limit` of them (the
    /// first ones in order).
    fn stream_ids(&self, limit: usize) -> Vec<String>;
    /// How many streams have an event.
    fn stream_count(&self) -> usize;
    /// The number of journal entries.
    fn journal_len(&self) -> usize;
    /// The number of facts the first `entries` journal entries recorded (what a store
    /// that kept that many entries holds).
    fn head_after(&self, entries: usize) -> u64;
    /// How many user commands were submitted in journal entries `from..` (to resume a
    /// repeated submission from what the journal holds).
    fn submitted_since(&self, from: usize) -> u64;
    /// Journal entries `from..` as JSON (what a durable store writes, one per transaction).
    fn journal(&self, from: usize) -> Vec<Value> {
        self.journal_range(from, usize::MAX)
    }
    /// Journal entries `from..to` as JSON, in time proportional to the range.
    fn journal_range(&self, from: usize, to: usize) -> Vec<Value>;
    /// Journal entries `from..to` as the text of one JSON array, written straight from
    /// the typed entries (what a durable store parses into plain objects in one go).
    fn journal_text(&self, from: usize, to: usize) -> String;
    /// Entries `from..to` in their [`stored`] form, the text of a JSON array: what
    /// [`stored::compact`] makes of [`DynEngine::journal_text`], written straight from
    /// the typed entries (what a durable store keeps of one segment).
    fn stored_text(&self, from: usize, to: usize) -> String;
    /// Folds `journal`, the text of a JSON array of entries that continue this engine's
    /// own (a stored journal read back a segment at a time, or what another writer
    /// appended), in their JSON or their [`stored`] form (a step may name a command
    /// queued earlier in the same text), read as JSON values and then, through the boundary's one deserializer,
    /// as typed entries. An entry that does not read or fold stops it there: the entries
    /// before it stay, and its path (`$[sequence]…`, counted from the journal's start) is
    /// returned.
    fn extend(&mut self, journal: &str) -> Result<(), BoundaryError>;
    /// Entries `from..to` in their [`packed`] form: compact bytes that
    /// [`DynEngine::extend_packed`] reads back without JSON (what a durable store caches
    /// beside a segment to open it fast).
    fn packed(&self, from: usize, to: usize) -> Vec<u8>;
    /// Folds `image`, entries in their [`packed`] form that continue this engine's own.
    /// `None` when it does not read as whole entries of this domain: nothing is folded
    /// then (read the entries' own form instead). Else as [`DynEngine::extend`]: the first
    /// entry that does not fold stops it, with its path.
    fn extend_packed(&mut self, image: &[u8]) -> Option<Result<(), BoundaryError>>;
    /// Facts at positions `from..to` as JSON.
    fn facts(&self, from: u64, to: u64) -> Vec<Value>;
    /// Facts at positions `from..to` as typed rows (origin, compensation, injected,
    /// external and zero-payload marks included).
    fn rows(&self, from: u64, to: u64) -> Vec<FactRow>;
    /// The positions of the facts that pass `filter`, in order.
    fn matching(&self, filter: &LogFilter) -> Vec<u64> {
        self.matching_from(filter, 0)
    }
    /// The positions from `from` on of the facts that pass `filter`, in order (to extend a
    /// filtered list as facts arrive, in time proportional to the new facts).
    fn matching_from(&self, filter: &LogFilter, from: u64) -> Vec<u64>;
    /// Streams, view, process manager and queue after fact `position - 1`, as JSON.
    fn state_at(&self, position: u64) -> Value;
    /// The live state (streams, view, process manager and the whole queue, including
    /// commands submitted after the last fact), as JSON, without time travel.
    fn live_state(&self) -> Value;
    /// One stream's state and version, at `position` or live for `None` (`None` when the
    /// stream has no event there).
    fn stream_state(&self, position: Option<u64>, stream: &str) -> Option<Value>;
    /// The view (read model) alone, at `position` or live for `None`.
    fn view_state(&self, position: Option<u64>) -> Value;
    /// The sagas' and process managers' state alone, at `position` or live for `None`.
    fn process_state(&self, position: Option<u64>) -> Value;
    /// The ids of the streams the facts from position `from` on were recorded in, each
    /// once, in order (read from the journal, no JSON made).
    fn streams_since(&self, from: u64) -> Vec<String>;
    /// The state the inspector shows: at `position` (time travel), or live for `None`;
    /// only `stream` of the streams, at most `queue_limit` queued commands, and a window of
    /// the view and process state (each object or array cut to its first
    /// [`INSPECT_ENTRIES`] entries; the rest is counted, never serialized, so the cost
    /// follows the window, not the view: see [`window::window`]).
    fn inspect(&self, position: Option<u64>, stream: Option<&str>, queue_limit: usize)
        -> StateView;
    /// [`DynEngine::inspect`] at `position` (live for `None`) and, one fact earlier, the
    /// left side of the inspector's diff (`None` at the initial state; no queued commands
    /// listed). In the past, the earlier state is folded once and the later one continues
    /// it, so the pair costs about one replay, not two.
    fn inspect_with_previous(
        &self,
        position: Option<u64>,
        stream: Option<&str>,
        queue_limit: usize,
    ) -> (StateView, Option<StateView>);
    /// Which events of `stream` changed the field at `pointer` (a JSON Pointer into the
    /// stream's state, RFC 6901: `/status`, `/items/0`; `""` is the whole state), among
    /// the facts before `position` (all of them for `None`): the last `limit` changes, each
    /// with the value it left, and how many came before. The stream's events are folded
    /// again and each state serialized: it costs a pass over the log up to `position` and
    /// a fold of the stream's latest events, as many as a budget of serialized JSON allows
    /// for its state's size, from the state time travel restores before them (the earlier
    /// ones counted in [`FieldHistory::skipped`]).
    fn field_history(
        &self,
        stream: &str,
        pointer: &str,
        position: Option<u64>,
        limit: usize,
    ) -> FieldHistory;
    /// Why the rejection at `position` was refused (`None` when no rejection is there):
    /// its command decided again against every version of its stream up to the one it
    /// met (the latest [`why::MAX_VERSIONS`]), grouped in stretches of one outcome (the
    /// latest `limit` of them), so that the event that made the difference shows; the
    /// command decided against the stream's live state; and the facts that led to the
    /// command. It costs a pass over the log up to `position` and a decision at each
    /// version.
    fn why_refused(&self, position: u64, limit: usize) -> Option<Refusal>;
    /// The causal trace of a flow as JSON, or `None` for an unknown correlation id.
    fn trace(&self, correlation_id: Id) -> Option<Value>;
    /// The causal trace of a flow laid out as swimlanes.
    fn flow(&self, correlation_id: Id) -> Option<FlowView>;
    /// The causal trace of a flow as an indented text tree.
    fn trace_text(&self, correlation_id: Id) -> Option<String>;
    /// Notes into `list` the journal entries appended since it last read (from the first
    /// when it read a longer journal: another engine's), `limit` of them at most, so that
    /// a long journal can be listed a slice at a time; whether it lists every flow now.
    fn update_flows(&self, list: &mut FlowList, limit: usize) -> bool;
    /// The flows of `list` (made from this journal) at `indexes`, each with its user
    /// command as JSON.
    fn flow_rows(&self, list: &FlowList, indexes: &[usize]) -> Vec<FlowRow>;
    /// What journal entries `from..to` tell a [`FlowList`] (and a replay of them): each a
    /// submission, a step, or given history.
    fn noted(&self, from: usize, to: usize) -> Vec<Noted>;
    /// The user command journal entry `entry` submitted, as JSON (`None` if it is not a
    /// submission).
    fn submitted_command(&self, entry: usize) -> Option<Value>;
    /// A what-if branch whose past is this engine's up to `position`.
    fn fork_at(&self, position: u64) -> Box<dyn DynEngine>;
    /// A what-if branch whose past is this engine's first `entries` journal entries.
    fn fork_at_entry(&self, entries: usize) -> Box<dyn DynEngine>;
    /// How many journal entries a branch up to `position` keeps (what [`DynEngine::fork_at`]
    /// keeps): up to and including the step that recorded fact `position - 1`.
    fn entries_through_position(&self, position: u64) -> usize;
    /// Folds `original`'s journal entries `from..to` into this engine, which holds its
    /// first `from` (a branch of it made a slice at a time, from `fork_at_entry(0)`);
    /// refused when `original` runs another domain or this engine is not such a branch.
    fn load_entries(
        &mut self,
        original: &dyn DynEngine,
        from: usize,
        to: usize,
    ) -> Result<(), String>;
    /// This engine as `Any`, for [`DynEngine::load_entries`] to find its own kind.
    fn as_any(&self) -> &dyn Any;
    /// What the domain's [`Invariants`] find broken in the live state, if anything (they
    /// hold of an idle engine: ask once the queue is empty); `None` too for a domain that
    /// declares none.
    fn broken_invariant(&self) -> Option<String>;
    /// The next queued command's id and the rejection (JSON) the domain's [`Invariants`]
    /// say it can plausibly meet ([`Invariants::failure`]; with `unhandled`, else
    /// [`Invariants::unhandled`]), for [`DynEngine::inject_fault`]; `None` when the queue
    /// is empty or that command is not made to fail.
    fn next_failure(&self, unhandled: bool) -> Option<(Id, Value)>;
    /// This engine taken apart, to be freed a slice at a time ([`Teardown::free`]) instead
    /// of in one drop that would freeze a page for as long as it takes.
    fn into_teardown(self: Box<Self>) -> Box<dyn Teardown>;
}

/// An engine being freed a slice at a time (from [`DynEngine::into_teardown`]).
pub trait Teardown {
    /// Frees up to `items` more of the engine's parts (journal entries, streams, stream
    /// versions); whether any are left (drop it then).
    fn free(&mut self, items: usize) -> bool;
}

impl<Y: System> Teardown for Remains<Y> {
    fn free(&mut self, items: usize) -> bool {
        Remains::free(self, items)
    }
}

/// A typed [`System`] behind the type-erased boundary.
pub struct TypedDomain<Y: System> {
    info: DomainInfo,
    system: Arc<Y>,
    invariants: Option<Invariants<Y>>,
    catalog: Arc<Catalog>,
    schemas: Arc<MessageSchemas>,
}

/// The JSON Schemas of a domain's command, event and rejection types, as schemars 1.x
/// writes them for serde types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageSchemas {
    /// The command type's schema.
    pub command: Value,
    /// The event type's schema.
    pub event: Value,
    /// The rejection type's schema.
    pub rejection: Value,
}

impl MessageSchemas {
    /// The schemas schemars derives for `Y`'s message types.
    #[cfg(feature = "schema")]
    pub fn derive<Y: System>() -> Self
    where
        Y::Command: JsonSchema,
        Y::Event: JsonSchema,
        Y::Rejection: JsonSchema,
    {
        MessageSchemas {
            command: schemars::schema_for!(Y::Command).to_value(),
            event: schemars::schema_for!(Y::Event).to_value(),
            rejection: schemars::schema_for!(Y::Rejection).to_value(),
        }
    }
}

impl<Y: JsonSystem> TypedDomain<Y>
where
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
    /// Describes `system` as `info`, with its message types' schemas derived by schemars.
    #[cfg(feature = "schema")]
    pub fn new(info: DomainInfo, system: Y) -> Self
    where
        Y::Command: JsonSchema,
        Y::Event: JsonSchema,
        Y::Rejection: JsonSchema,
    {
        Self::with_schemas(info, system, MessageSchemas::derive::<Y>())
    }

    /// Describes `system` as `info`, its message types described by `schemas` (say,
    /// checked-in ones that a test keeps equal to [`MessageSchemas::derive`]).
    pub fn with_schemas(info: DomainInfo, system: Y, schemas: MessageSchemas) -> Self {
        let catalog = Catalog {
            commands: variant_names(&schemas.command),
            events: variant_names(&schemas.event),
            rejections: variant_names(&schemas.rejection),
            external: info.external_events.clone(),
            zero_payload: info.zero_payload_events.clone(),
        };
        TypedDomain {
            info,
            system: Arc::new(system),
            invariants: None,
            catalog: Arc::new(catalog),
            schemas: Arc::new(schemas),
        }
    }

    /// The same domain, declaring `invariants` for exploration.
    pub fn with_invariants(self, invariants: Invariants<Y>) -> Self {
        TypedDomain {
            invariants: Some(invariants),
            ..self
        }
    }

    fn engine(&self, engine: Engine<Y>) -> Box<dyn DynEngine> {
        Box::new(DomainEngine {
            engine,
            catalog: self.catalog.clone(),
            invariants: self.invariants,
        })
    }
}

/// The bounds a system needs to cross the boundary.
pub trait JsonSystem:
    System<
        Command: Serialize + DeserializeOwned,
        Event: Serialize + DeserializeOwned,
        Rejection: Serialize + DeserializeOwned,
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
    Y::Command: Serialize + DeserializeOwned,
    Y::Event: Serialize + DeserializeOwned,
    Y::Rejection: Serialize + DeserializeOwned,
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
        self.schemas.command.clone()
    }

    fn event_schema(&self) -> Value {
        self.schemas.event.clone()
    }

    fn rejection_schema(&self) -> Value {
        self.schemas.rejection.clone()
    }

    fn validate(&self, kind: MessageKind, value: &Value) -> Result<(), BoundaryError> {
        match kind {
            MessageKind::Command => from_json::<Y::Command>(value).map(drop),
            MessageKind::Event => from_json::<Y::Event>(value).map(drop),
            MessageKind::Rejection => from_json::<Y::Rejection>(value).map(drop),
        }
    }

    fn start(&self, config: EngineConfig) -> Box<dyn DynEngine> {
        self.engine(Engine::with_store(
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
        let entries = entries::read_values(journal)?;
        let engine = Engine::from_journal(self.system.clone(), config, entries)
            .map_err(BoundaryError::of_journal)?;
        Ok(self.engine(engine))
    }

    fn invariants(&self) -> Option<Said> {
        self.invariants.map(|declared| declared.said)
    }
}

/// The entries of `journal` (the text of a JSON array of entries in their JSON or their
/// [`stored`] form, the first of them entry `start` of the journal), read up to the first
/// that does not read, with that one's error and path. The text is read as a [`located::Tree`] (its strings borrowed, no
/// `Value` built) and each entry by [`entries::read`]: its framing once for every domain,
/// its messages through the one deserializer of every typed message (a second one, from
/// text, would add a copy of every domain's message types to the wasm).
fn read_entries<C, E, R>(
    journal: &str,
    start: usize,
) -> (Vec<ReadEntry<C, E, R>>, Option<BoundaryError>)
where
    C: DeserializeOwned,
    E: DeserializeOwned,
    R: DeserializeOwned,
{
    let trees: Vec<located::Tree<'_>> = match serde_json::from_str(journal) {
        Ok(trees) => trees,
        Err(error) => {
            let broken = BoundaryError {
                path: format!("$[{start}]"),
                message: format!("not a JSON array of entries: {error}"),
            };
            return (Vec::new(), Some(broken));
        }
    };
    let mut trees = trees;
    let mut entries = Vec::with_capacity(trees.len());
    let mut expander = stored::Expander::default();
    for i in 0..trees.len() {
        let read = expander
            .expand(&mut trees, i)
            .and_then(|()| entries::read(&trees[i]));
        match read {
            Ok(entry) => entries.push(entry),
            Err(error) => return (entries, Some(error.in_element(start + i))),
        }
    }
    (entries, None)
}

/// An engine with its domain's [`Catalog`]: what [`DynEngine`] is implemented for.
pub struct DomainEngine<Y: System> {
    engine: Engine<Y>,
    catalog: Arc<Catalog>,
    invariants: Option<Invariants<Y>>,
}

impl<Y: System> DomainEngine<Y> {
    /// The typed engine inside.
    pub fn engine(&self) -> &Engine<Y> {
        &self.engine
    }

    /// Entries `from..to` of the journal (each bound cut to its length).
    fn run(&self, from: usize, to: usize) -> Run<'_, Y::Command, Y::Event, Y::Rejection> {
        let to = to.min(self.engine.journal().len());
        self.engine.timeline().run(from.min(to), to)
    }

    /// Folds `entries`, which continue the journal, up to the first that does not fold
    /// (its path is returned).
    fn fold_entries(&mut self, entries: Vec<ReadEntryOf<Y>>) -> Result<(), BoundaryError> {
        for entry in entries {
            self.engine.load(entry).map_err(|e| BoundaryError {
                path: format!("$[{}]", e.entry),
                message: e.to_string(),
            })?;
        }
        Ok(())
    }
}

/// `value` as JSON, read back from its JSON text: for the journal's records (entries,
/// steps, facts, envelopes), which the journal's text compiles `serde_json`'s writer for,
/// so that they are not compiled for the windowing serializer of [`to_json`] as well (a
/// copy fewer per domain in the wasm). It costs a parse more: for what is asked for a
/// record at a time (a step, an injected fault, an export, a scenario's facts and trace),
/// not for what the page draws at every change (rows, the inspector, the flow).
fn via_text<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_string(value)
        .and_then(|text| serde_json::from_str(&text))
        .unwrap_or_else(|e| Value::String(format!("<unserializable: {e}>")))
}

/// The JSON of a projection: streams sorted by id, view, process manager, queue.
pub fn projection_json<Y: JsonSystem>(projection: &Projection<Y>) -> Value
where
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
    // A `serde_json::Map` keeps its keys sorted (no `preserve_order`), and a stream id
    // sorts as its text. It is built from a `Vec` so that its sort is compiled once, not
    // once per domain (collecting a map sorts with a closure of the iterator's type).
    let streams: Vec<(String, Value)> = projection
        .streams
        .iter()
        .map(|(id, s)| (id.to_string(), to_json(s)))
        .collect();
    let streams = serde_json::Map::from_iter(streams);
    json!({
        "position": projection.position,
        "streams": streams,
        "view": to_json(&projection.view),
        "process": to_json(&projection.process),
        "queue": projection.queue.iter().map(via_text).collect::<Vec<_>>(),
    })
}

impl<Y: JsonSystem> DomainEngine<Y>
where
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
    fn row(&self, fact: crate::engine::FactOf<'_, Y>) -> FactRow {
        let timeline = self.engine.timeline();
        let entry = timeline.entry_of_position(fact.position);
        match timeline.journal().get(entry) {
            Some(JournalEntry::Step(step)) => self.catalog.fact_row(
                fact,
                Some(step.command()),
                Some(step.step()),
                step.injected(),
            ),
            _ => self.catalog.fact_row(fact, None, None, false),
        }
    }

    /// What the inspector shows of `projection`: only `stream` of the streams, at most
    /// `queue_limit` queued commands, a window of the view and the process state.
    fn state_view(
        &self,
        projection: &Projection<Y>,
        stream: Option<&str>,
        queue_limit: usize,
    ) -> StateView {
        StateView {
            position: projection.position,
            stream: stream
                .and_then(|id| projection.streams.get(&StreamId::from(id)))
                .map(to_json),
            view: window::window(&projection.view, INSPECT_ENTRIES),
            process: window::window(&projection.process, INSPECT_ENTRIES),
            queue: self.queue_rows(projection.queue.iter().take(queue_limit)),
            queue_len: projection.queue.len(),
        }
    }

    /// The projections at `position - 1` and at `position` (`0 < position <= head`),
    /// exactly as [`Engine::at_position`] makes them, but from one replay (the later one
    /// continues the earlier one, or both continue the entry they share), and with only
    /// the streams in `streams` sure to be right ([`Timeline::at_entry_for`]).
    ///
    /// [`Timeline::at_entry_for`]: crate::time_travel::Timeline::at_entry_for
    fn around(&self, position: u64, streams: &[StreamId]) -> (Projection<Y>, Projection<Y>) {
        let timeline = self.engine.timeline();
        let system = self.engine.system();
        let live = &self.engine.state().streams;
        let journal = timeline.journal();
        let fold = |state: &mut Projection<Y>, entry: usize, limit: u64| {
            state
                .apply_until(system, &journal[entry], limit)
                .expect("the engine's own journal folds");
        };
        // The entries that recorded the facts at `position - 1` and `position - 2`.
        let last = timeline.entry_of_position(position - 1);
        let (previous, next) = match position.checked_sub(2) {
            None => (timeline.at_entry_for(system, live, 0, streams), 0),
            Some(before) => {
                let before = timeline.entry_of_position(before);
                let mut previous = timeline.at_entry_for(system, live, before, streams);
                if before == last {
                    let mut current = previous.clone();
                    fold(&mut previous, last, position - 1);
                    fold(&mut current, last, position);
                    return (previous, current);
                }
                fold(&mut previous, before, position - 1);
                (previous, before + 1)
            }
        };
        let mut current = previous.clone();
        for entry in next..last {
            fold(&mut current, entry, u64::MAX);
        }
        fold(&mut current, last, position);
        (previous, current)
    }

    /// `read` of the projection at `position` (time travel), or of the live one for `None`
    /// (borrowed, not cloned).
    fn at<T>(&self, position: Option<u64>, read: impl FnOnce(&Projection<Y>) -> T) -> T {
        match position {
            Some(p) => read(&self.engine.at_position(p)),
            None => read(self.engine.state()),
        }
    }

    fn queue_rows<'q>(
        &self,
        queue: impl Iterator<Item = &'q crate::envelope::SharedCommand<Y::Command>>,
    ) -> Vec<QueueRow> {
        let decider = self.engine.system().decider();
        queue
            .map(|c| {
                self.catalog
                    .queue_row(c, decider.stream_id(&c.command).to_string())
            })
            .collect()
    }
}

impl<Y: JsonSystem> DynEngine for DomainEngine<Y>
where
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
    fn submit(&mut self, command: &Value) -> Result<Id, BoundaryError> {
        let command: Y::Command = from_json(command)?;
        Ok(self.engine.submit(command))
    }

    fn submit_as(&mut self, command_id: Id, command: &Value) -> Result<Id, BoundaryError> {
        let command: Y::Command = from_json(command)?;
        self.engine
            .submit_with_id(command_id, command)
            .map_err(|e| BoundaryError::whole(&e))
    }

    fn given(&mut self, stream: &str, events: &[Value]) -> Result<(), BoundaryError> {
        let events = from_json_each::<Y::Event>(events)?;
        self.engine
            .given(&StreamId::from(stream), events)
            .map_err(BoundaryError::of_given)
    }

    fn step(&mut self) -> Option<Value> {
        self.engine.step().map(|step| via_text(&step))
    }

    fn run_until_idle(&mut self, max_steps: u64) -> RunSummary {
        self.engine.run_until_idle(max_steps)
    }

    fn inject_fault(&mut self, command_id: Id, rejection: &Value) -> Result<Value, BoundaryError> {
        let reason: Y::Rejection = from_json(rejection)?;
        self.engine
            .inject_fault(command_id, reason)
            .map(|step| via_text(&step))
            .map_err(|e| BoundaryError::whole(&e))
    }

    fn stream_of(&self, command: &Value) -> Result<String, BoundaryError> {
        let command: Y::Command = from_json(command)?;
        Ok(self
            .engine
            .system()
            .decider()
            .stream_id(&command)
            .to_string())
    }

    fn head(&self) -> u64 {
        self.engine.timeline().head()
    }

    fn seed(&self) -> u64 {
        self.engine.config().seed
    }

    fn queue_len(&self) -> usize {
        self.engine.state().queue.len()
    }

    fn next_queued(&self) -> Option<Id> {
        self.engine.state().queue.front().map(|c| c.command_id)
    }

    fn stream_ids(&self, limit: usize) -> Vec<String> {
        let mut ids: Vec<&StreamId> = self.engine.state().streams.keys().collect();
        // The first `limit` in order, in time linear in the streams (not a full sort).
        if ids.len() > limit && limit > 0 {
            ids.select_nth_unstable(limit - 1);
        }
        ids.truncate(limit);
        ids.sort_unstable();
        ids.into_iter().map(StreamId::to_string).collect()
    }

    fn stream_count(&self) -> usize {
        self.engine.state().streams.len()
    }

    fn journal_len(&self) -> usize {
        self.engine.journal().len()
    }

    fn head_after(&self, entries: usize) -> u64 {
        self.engine.timeline().position_after(entries)
    }

    fn submitted_since(&self, from: usize) -> u64 {
        let journal = self.engine.journal();
        journal
            .range(from.min(journal.len())..)
            .iter()
            .filter(|e| matches!(e, JournalEntry::Submitted(_)))
            .count() as u64
    }

    fn journal_range(&self, from: usize, to: usize) -> Vec<Value> {
        self.run(from, to)
            .iter()
            .map(|entry| via_text(&entry))
            .collect()
    }

    fn journal_text(&self, from: usize, to: usize) -> String {
        serde_json::to_string(&self.run(from, to)).unwrap_or_else(|_| "[]".into())
    }

    fn stored_text(&self, from: usize, to: usize) -> String {
        stored::write(self.run(from, to))
    }

    fn extend(&mut self, journal: &str) -> Result<(), BoundaryError> {
        let start = self.engine.journal().len();
        let (entries, broken) = read_entries(journal, start);
        self.fold_entries(entries)?;
        broken.map_or(Ok(()), Err)
    }

    fn packed(&self, from: usize, to: usize) -> Vec<u8> {
        packed::write(self.run(from, to))
    }

    fn extend_packed(&mut self, image: &[u8]) -> Option<Result<(), BoundaryError>> {
        let ids = self.engine.state().ids;
        let entries = packed::read::<Y::Command, Y::Event, Y::Rejection>(image, ids).ok()?;
        Some(self.fold_entries(entries))
    }

    fn facts(&self, from: u64, to: u64) -> Vec<Value> {
        self.engine
            .facts(from)
            .take(to.saturating_sub(from) as usize)
            .map(|fact| via_text(&fact))
            .collect()
    }

    fn rows(&self, from: u64, to: u64) -> Vec<FactRow> {
        self.engine
            .facts(from)
            .take(to.saturating_sub(from) as usize)
            .map(|fact| self.row(fact))
            .collect()
    }

    fn matching_from(&self, filter: &LogFilter, from: u64) -> Vec<u64> {
        let all = self.engine.facts(from);
        if filter.is_empty() {
            return all.map(|f| f.position).collect();
        }
        all.filter(|fact| {
            filter
                .stream
                .as_ref()
                .is_none_or(|s| s == fact.stream_id.as_str())
                && filter
                    .correlation_id
                    .is_none_or(|c| c == fact.correlation_id)
        })
        .map(|fact| self.row(fact))
        .filter(|row| filter.matches(row))
        .map(|row| row.position)
        .collect()
    }

    fn state_at(&self, position: u64) -> Value {
        projection_json(&self.engine.at_position(position))
    }

    fn live_state(&self) -> Value {
        projection_json(self.engine.state())
    }

    fn stream_state(&self, position: Option<u64>, stream: &str) -> Option<Value> {
        self.at(position, |projection| {
            projection.streams.get(&StreamId::from(stream)).map(to_json)
        })
    }

    fn view_state(&self, position: Option<u64>) -> Value {
        self.at(position, |projection| to_json(&projection.view))
    }

    fn process_state(&self, position: Option<u64>) -> Value {
        self.at(position, |projection| to_json(&projection.process))
    }

    fn streams_since(&self, from: u64) -> Vec<String> {
        let mut ids: Vec<&str> = (self.engine.facts(from))
            .map(|fact| fact.stream_id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(str::to_owned).collect()
    }

    fn inspect(
        &self,
        position: Option<u64>,
        stream: Option<&str>,
        queue_limit: usize,
    ) -> StateView {
        self.at(position, |projection| {
            self.state_view(projection, stream, queue_limit)
        })
    }

    fn inspect_with_previous(
        &self,
        position: Option<u64>,
        stream: Option<&str>,
        queue_limit: usize,
    ) -> (StateView, Option<StateView>) {
        let head = self.head();
        match position.map(|p| p.min(head)) {
            Some(0) => (self.inspect(Some(0), stream, queue_limit), None),
            Some(p) => {
                let streams: Vec<StreamId> = stream.map(StreamId::from).into_iter().collect();
                let (previous, current) = self.around(p, &streams);
                (
                    self.state_view(&current, stream, queue_limit),
                    Some(self.state_view(&previous, stream, 0)),
                )
            }
            None => {
                let streams: Vec<StreamId> = stream.map(StreamId::from).into_iter().collect();
                let previous = head.checked_sub(1).map(|p| {
                    let timeline = self.engine.timeline();
                    let (system, live) = (self.engine.system(), &self.engine.state().streams);
                    let state = timeline.at_position_for(system, live, p, &streams);
                    self.state_view(&state, stream, 0)
                });
                (self.inspect(None, stream, queue_limit), previous)
            }
        }
    }

    fn field_history(
        &self,
        stream: &str,
        pointer: &str,
        position: Option<u64>,
        limit: usize,
    ) -> FieldHistory {
        let stream = StreamId::from(stream);
        let timeline = self.engine.timeline();
        let end = position.map_or(timeline.head(), |p| p.min(timeline.head()));
        let system = self.engine.system();
        let entries = self.stream_entries(&stream, end);
        // The field is followed over the latest events its size lets a budget fold: the
        // state at the end sizes it (the live one at the head, not restored).
        let last = if end == timeline.head() {
            self.engine.state().stream(system, &stream).state
        } else {
            let (live, streams) = (&self.engine.state().streams, std::slice::from_ref(&stream));
            let projection = timeline.at_position_for(system, live, end, streams);
            projection.stream(system, &stream).state
        };
        let keep = history::events_to_fold(history::json_nodes(&to_json(&last)));
        let decider = system.decider();
        let Some(start) = self.refold_from(&stream, &entries, keep) else {
            let initial = to_json(&decider.initial_state());
            return FieldTracker::new(pointer, limit, &initial, (0, 0)).finish(|_| None);
        };
        let mut tracker = FieldTracker::new(
            pointer,
            limit,
            &to_json(&start.state),
            (start.from, start.skipped),
        );
        let facts = self.refolded(&entries, &start);
        let mut state = start.state;
        for fact in facts {
            if let FactKindRef::Event { event, .. } = fact.kind {
                state = decider.evolve(state, event);
                tracker.folded(fact.position, &to_json(&state));
            }
        }
        tracker.finish(|position| self.rows(position, position + 1).pop())
    }

    fn why_refused(&self, position: u64, limit: usize) -> Option<Refusal> {
        self.refusal(position, limit)
    }

    fn trace(&self, correlation_id: Id) -> Option<Value> {
        self.engine.trace(correlation_id).map(|t| via_text(&t))
    }

    fn flow(&self, correlation_id: Id) -> Option<FlowView> {
        self.engine
            .trace(correlation_id)
            .map(|t| FlowView::of(&t, &self.catalog))
    }

    fn trace_text(&self, correlation_id: Id) -> Option<String> {
        self.engine.trace(correlation_id).map(|t| t.render_text())
    }

    fn update_flows(&self, list: &mut FlowList, limit: usize) -> bool {
        let len = self.engine.journal().len();
        let ids = SeededIds::new(self.engine.config().seed);
        if list.seen() > len || list.ids() != ids {
            *list = FlowList::new(ids);
        }
        let to = len.min(list.seen().saturating_add(limit));
        for entry in self.run(list.seen(), to).iter() {
            list.note(flow_list::noted(&entry));
        }
        to == len
    }

    fn flow_rows(&self, list: &FlowList, indexes: &[usize]) -> Vec<FlowRow> {
        let journal = self.engine.journal();
        indexes
            .iter()
            .filter_map(|&index| {
                let summary = list.flows().get(index)?;
                let JournalEntry::Submitted(envelope) = journal.get(summary.entry as usize)? else {
                    return None;
                };
                Some(FlowRow {
                    index,
                    summary: summary.clone(),
                    command: to_json(&envelope.command),
                })
            })
            .collect()
    }

    fn noted(&self, from: usize, to: usize) -> Vec<Noted> {
        self.run(from, to)
            .iter()
            .map(|entry| flow_list::noted(&entry))
            .collect()
    }

    fn submitted_command(&self, entry: usize) -> Option<Value> {
        match self.engine.journal().get(entry)? {
            JournalEntry::Submitted(envelope) => Some(to_json(&envelope.command)),
            _ => None,
        }
    }

    fn fork_at(&self, position: u64) -> Box<dyn DynEngine> {
        self.fork_at_entry(self.entries_through_position(position))
    }

    fn entries_through_position(&self, position: u64) -> usize {
        self.engine.timeline().entries_through_position(position)
    }

    fn fork_at_entry(&self, entries: usize) -> Box<dyn DynEngine> {
        Box::new(DomainEngine {
            engine: self.engine.fork_at_entry(entries),
            catalog: self.catalog.clone(),
            invariants: self.invariants,
        })
    }

    fn load_entries(
        &mut self,
        original: &dyn DynEngine,
        from: usize,
        to: usize,
    ) -> Result<(), String> {
        let Some(original) = original.as_any().downcast_ref::<Self>() else {
            return Err("a journal of another domain".into());
        };
        if self.engine.journal().len() != from {
            return Err(format!(
                "this branch holds {} entries, not {from}",
                self.engine.journal().len()
            ));
        }
        let journal = original.engine.journal();
        // Nothing when the range is empty or starts past the original's end.
        let to = to.min(journal.len());
        for entry in journal.range(from.min(to)..to).iter().cloned() {
            self.engine
                .load(entry.into())
                .map_err(|e| format!("journal entry {}: {e}", self.engine.journal().len()))?;
        }
        Ok(())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn broken_invariant(&self) -> Option<String> {
        (self.invariants?.check)(&self.engine).err()
    }

    fn next_failure(&self, unhandled: bool) -> Option<(Id, Value)> {
        let next = self.engine.state().queue.front()?;
        let declared = self.invariants?;
        let rejection = (declared.failure)(&next.command).or_else(|| {
            unhandled
                .then(|| (declared.unhandled)(&next.command))
                .flatten()
        })?;
        Some((next.command_id, to_json(&rejection)))
    }

    fn into_teardown(self: Box<Self>) -> Box<dyn Teardown> {
        Box::new(self.engine.into_remains())
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
