//! Which events changed a field of a stream's state: the inspector's answer to "where did
//! this value come from?". The stream's events are folded again from its initial state, the
//! field (a JSON Pointer into the state) read after each, and every event that left it
//! different is listed with the value it left.
//!
//! Each event's state is serialized whole, so the work is the stream's events times its
//! state's size: a stream whose state grows with it (a restaurant's orders in preparation)
//! would make that quadratic. The events followed are the latest ones a budget of JSON
//! nodes allows (`events_to_fold`), from the state time travel restores before them; the
//! earlier ones are counted as not examined ([`FieldHistory::skipped`]).

use crate::boundary::rows::FactRow;
use serde_json::Value;
use std::collections::VecDeque;

/// An event that changed a field of its stream's state.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    /// The event, as the log shows it.
    pub fact: FactRow,
    /// The field's value after it; `None` when the event removed it.
    pub value: Option<Value>,
}

/// The events of one stream that changed one field, up to a position.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldHistory {
    /// The field's value before the first event examined: in the stream's initial state,
    /// unless some were skipped (`None`: absent there).
    pub initial: Option<Value>,
    /// The latest changes, oldest first: at most the number asked for.
    pub changes: Vec<FieldChange>,
    /// How many earlier changes are not listed.
    pub earlier: u64,
    /// How many events the stream has up to the position.
    pub events: u64,
    /// How many of them, the earliest, were not examined (the state too large to follow
    /// the field through all of them).
    pub skipped: u64,
    /// The position the events examined start from (0 when none was skipped): `initial`
    /// is the field's value there.
    pub from: u64,
}

/// JSON nodes (every value, containers and scalars) serialized at most to follow a field.
const NODE_BUDGET: u64 = 250_000;

/// Events followed at most, however small the state.
const MAX_EVENTS: u64 = 20_000;

/// How many of a stream's latest events to follow when its state (at the end) is `nodes`
/// JSON nodes: the budget's worth, at least one.
pub(crate) fn events_to_fold(nodes: u64) -> u64 {
    (NODE_BUDGET / nodes.max(1)).clamp(1, MAX_EVENTS)
}

/// The number of JSON values in `value`, itself included.
pub fn json_nodes(value: &Value) -> u64 {
    1 + match value {
        Value::Array(items) => items.iter().map(json_nodes).sum(),
        Value::Object(map) => map.values().map(json_nodes).sum(),
        _ => 0,
    }
}

/// Follows one field through the states a stream's events fold, keeping the positions of
/// the last `limit` events that changed it. Knows no domain: the engine hands it each
/// state as JSON, so the code each domain's engine adds is the fold alone.
pub(crate) struct FieldTracker<'p> {
    pointer: &'p str,
    limit: usize,
    initial: Option<Value>,
    field: Option<Value>,
    kept: VecDeque<(u64, Option<Value>)>,
    earlier: u64,
    events: u64,
    skipped: u64,
    from: u64,
}

impl<'p> FieldTracker<'p> {
    /// Follows the field at `pointer` from `initial`, the stream's state at position `from`,
    /// after its first `skipped` events.
    pub(crate) fn new(
        pointer: &'p str,
        limit: usize,
        initial: &Value,
        (from, skipped): (u64, u64),
    ) -> Self {
        let initial = initial.pointer(pointer).cloned();
        FieldTracker {
            pointer,
            limit,
            field: initial.clone(),
            initial,
            kept: VecDeque::new(),
            earlier: 0,
            events: 0,
            skipped,
            from,
        }
    }

    /// The state after the event at `position`.
    pub(crate) fn folded(&mut self, position: u64, state: &Value) {
        self.events += 1;
        let now = state.pointer(self.pointer);
        if now == self.field.as_ref() {
            return;
        }
        let now = now.cloned();
        self.field = now.clone();
        self.kept.push_back((position, now));
        if self.kept.len() > self.limit {
            self.kept.pop_front();
            self.earlier += 1;
        }
    }

    /// The history, each kept change's row made by `row` from its position.
    pub(crate) fn finish(self, row: impl Fn(u64) -> Option<FactRow>) -> FieldHistory {
        FieldHistory {
            initial: self.initial,
            changes: self
                .kept
                .into_iter()
                .filter_map(|(position, value)| {
                    Some(FieldChange {
                        fact: row(position)?,
                        value,
                    })
                })
                .collect(),
            earlier: self.earlier,
            events: self.skipped + self.events,
            skipped: self.skipped,
            from: self.from,
        }
    }
}
