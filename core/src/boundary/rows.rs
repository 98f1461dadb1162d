//! The typed shapes the page reads through the boundary: one row per fact, one per queued
//! command, the state at a position, and the log filter. The UI reads fields, never digs
//! into a message's JSON by string keys.

use crate::envelope::{CommandEnvelope, FactKindRef, FactRef, Origin};
use crate::ids::Id;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Whether a fact is an event or a rejection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// An event was recorded.
    Event,
    /// A command was refused (decided, or injected as a fault).
    Rejection,
}

impl RowKind {
    /// `"event"` or `"rejection"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Event => "event",
            RowKind::Rejection => "rejection",
        }
    }
}

/// One fact of the global log with everything a log row, an inspector or a trace shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactRow {
    /// Global position (0-based).
    pub position: u64,
    /// The stream the command was addressed to.
    pub stream_id: String,
    /// The stream's version after an event; `None` for a rejection.
    pub stream_version: Option<u64>,
    /// Event or rejection.
    pub kind: RowKind,
    /// The message's variant path, e.g. `order.order_placed` (the event's, or the
    /// rejection reason's).
    pub name: String,
    /// The event, or the rejection's reason, as JSON.
    pub payload: Value,
    /// For a rejection, the refused command as JSON.
    pub command: Option<Value>,
    /// The fact's own id.
    pub fact_id: Id,
    /// The command that recorded it.
    pub command_id: Id,
    /// The flow it belongs to (the user command's id).
    pub correlation_id: Id,
    /// The message that directly caused it.
    pub causation_id: Id,
    /// Logical time of the step that recorded it.
    pub time: u64,
    /// `user`, `given` (history), or the name of the saga or process manager that issued
    /// the command.
    pub origin: String,
    /// Reaction hops from the user command.
    pub depth: u32,
    /// Recorded for a compensating command (one issued in reaction to a rejection).
    pub compensation: bool,
    /// A rejection injected by a person instead of decided.
    pub injected: bool,
    /// An external (integration) event, as the domain declares it.
    pub external: bool,
    /// An event that carries only ids, as the domain declares it.
    pub zero_payload: bool,
    /// The engine step that recorded it; `None` for given history.
    pub step: Option<u64>,
}

impl FactRow {
    /// The message's fields: the payload without the variant wrappers its name names
    /// (`{"order":{"order_placed":{…}}}` named `order.order_placed` gives `{…}`); `None`
    /// for a unit variant.
    pub fn fields(&self) -> Option<&Value> {
        let depth = match self.name.as_str() {
            "" => 0,
            name => name.split('.').count(),
        };
        unwrap_variants(&self.payload, depth)
    }
}

/// The message `value` without its first `depth` variant wrappers (externally tagged
/// enums: `{"order":{"order_placed":{…}}}` → `{…}` for depth 2); `None` for a unit variant.
pub fn unwrap_variants(value: &Value, depth: usize) -> Option<&Value> {
    let mut value = value;
    for _ in 0..depth {
        match value {
            Value::Object(map) if map.len() == 1 => value = map.values().next()?,
            Value::String(_) => return None,
            _ => break,
        }
    }
    Some(value)
}

/// A command waiting in the queue (the outbox).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    /// The command's id.
    pub command_id: Id,
    /// The flow it belongs to.
    pub correlation_id: Id,
    /// The message that caused it.
    pub causation_id: Id,
    /// `user`, or the saga or process manager that issued it.
    pub origin: String,
    /// Reaction hops from the user command.
    pub depth: u32,
    /// Issued in reaction to a rejection.
    pub compensation: bool,
    /// The stream it is addressed to.
    pub stream_id: String,
    /// The command's variant path, e.g. `restaurant.accept_order`.
    pub name: String,
    /// The command as JSON.
    pub command: Value,
    /// Logical time at which it was queued.
    pub time: u64,
}

/// The state at a position, as the inspector shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateView {
    /// The number of facts folded.
    pub position: u64,
    /// The asked stream's state and version (`None`: no stream asked, or none by that id).
    pub stream: Option<Value>,
    /// The domain's read model.
    pub view: Value,
    /// The sagas' and process managers' state.
    pub process: Value,
    /// The first queued commands, front first (at most the number asked for).
    pub queue: Vec<QueueRow>,
    /// How many commands are queued in all.
    pub queue_len: usize,
}

/// Which facts the log shows. Empty fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFilter {
    /// Text looked for in the name, stream, origin and payload, ASCII letters in either
    /// case (other letters match as typed: Unicode's case tables cost the playground's
    /// wasm about 10 KB gzipped, README "Release build size").
    pub text: String,
    /// Only this stream.
    pub stream: Option<String>,
    /// Only events, or only rejections.
    pub kind: Option<RowKind>,
    /// Only facts recorded for commands of this origin (`user`, `given` or a reactor).
    pub origin: Option<String>,
    /// Only this flow.
    pub correlation_id: Option<Id>,
}

impl LogFilter {
    /// Whether the filter lets every fact through.
    pub fn is_empty(&self) -> bool {
        *self == LogFilter::default()
    }

    /// Whether `row` passes.
    pub fn matches(&self, row: &FactRow) -> bool {
        let text = self.text.trim().to_ascii_lowercase();
        self.stream.as_ref().is_none_or(|s| *s == row.stream_id)
            && self.kind.is_none_or(|k| k == row.kind)
            && self.origin.as_ref().is_none_or(|o| *o == row.origin)
            && self.correlation_id.is_none_or(|c| c == row.correlation_id)
            && (text.is_empty()
                || [&row.name, &row.stream_id, &row.origin]
                    .iter()
                    .any(|field| field.to_ascii_lowercase().contains(&text))
                || row.payload.to_string().to_ascii_lowercase().contains(&text))
    }
}

/// The name shown for an origin.
pub fn origin_name(origin: &Origin) -> String {
    match origin {
        Origin::User => "user".into(),
        Origin::Reactor { name } => name.to_string(),
    }
}

/// The variant path of an externally tagged message (`{"order":{"order_placed":{…}}}` →
/// `order.order_placed`), descending only through the domain's known variant `names`.
pub fn message_name(value: &Value, names: &[String]) -> String {
    let mut prefix = String::new();
    let mut value = value;
    loop {
        let (key, inner) = match value {
            Value::String(unit) => (unit.as_str(), None),
            Value::Object(map) if map.len() == 1 => {
                let (k, v) = map.iter().next().expect("one entry");
                (k.as_str(), Some(v))
            }
            _ => return prefix,
        };
        let candidate = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        let deeper = format!("{candidate}.");
        match inner {
            Some(inner) if names.iter().any(|n| n.starts_with(&deeper)) => {
                prefix = candidate;
                value = inner;
            }
            _ => return candidate,
        }
    }
}

/// How many characters of summary follow a command's name in its [`command_label`].
const SUMMARY_CHARS: usize = 48;

/// A command named for people: its name (by the domain's command `names`) and a short
/// summary of its fields, e.g. `order.place_order o2 · luigi · customer Ada`: what the
/// page's example buttons, its flow list and `decider flows` call a command.
pub fn command_label(command: &Value, names: &[String]) -> String {
    let name = message_name(command, names);
    let payload = name.split('.').try_fold(command, |v, tag| v.get(tag));
    let summary = payload.map(summary).unwrap_or_default();
    format!("{name} {summary}").trim_end().to_string()
}

/// What tells one command from another of its kind: its ids first (`*_id` fields), then
/// its other scalar fields as `key value`, shortened to [`SUMMARY_CHARS`].
fn summary(payload: &Value) -> String {
    let Some(fields) = payload.as_object() else {
        return String::new();
    };
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let (ids, others): (Vec<_>, Vec<_>) = fields.iter().partition(|(k, _)| k.ends_with("_id"));
    let parts: Vec<String> = ids
        .iter()
        .filter_map(|(_, v)| scalar(v))
        .chain(
            others
                .iter()
                .filter_map(|(k, v)| scalar(v).map(|s| format!("{k} {s}"))),
        )
        .collect();
    let text = parts.join(" · ");
    match text.char_indices().nth(SUMMARY_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// What the boundary knows of a domain's message names, to label rows.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Command variant paths.
    pub commands: Vec<String>,
    /// Event variant paths.
    pub events: Vec<String>,
    /// Rejection variant paths.
    pub rejections: Vec<String>,
    /// Events the domain declares external.
    pub external: Vec<String>,
    /// Events the domain declares zero-payload.
    pub zero_payload: Vec<String>,
}

impl Catalog {
    /// The row of `fact`, recorded for `command` (`None`: given history) by `step`.
    pub fn fact_row<C, E, R>(
        &self,
        fact: FactRef<'_, C, E, R>,
        command: Option<&CommandEnvelope<C>>,
        step: Option<u64>,
        injected: bool,
    ) -> FactRow
    where
        C: Serialize,
        E: Serialize,
        R: Serialize,
    {
        let (kind, stream_version, payload, refused, names) = match fact.kind {
            FactKindRef::Event {
                stream_version,
                event,
            } => (
                RowKind::Event,
                Some(stream_version),
                to_json(event),
                None,
                &self.events,
            ),
            FactKindRef::Rejected { command, reason } => (
                RowKind::Rejection,
                None,
                to_json(reason),
                Some(to_json(command)),
                &self.rejections,
            ),
        };
        let name = message_name(&payload, names);
        FactRow {
            position: fact.position,
            stream_id: fact.stream_id.to_string(),
            stream_version,
            kind,
            external: kind == RowKind::Event && self.external.contains(&name),
            zero_payload: kind == RowKind::Event && self.zero_payload.contains(&name),
            name,
            payload,
            command: refused,
            fact_id: fact.id,
            command_id: fact.command_id,
            correlation_id: fact.correlation_id,
            causation_id: fact.causation_id,
            time: fact.time,
            origin: command.map_or_else(|| "given".into(), |c| origin_name(&c.origin)),
            depth: command.map_or(0, |c| u32::from(c.depth)),
            compensation: command.is_some_and(|c| c.compensation),
            injected,
            step,
        }
    }

    /// The row of a queued command addressed to `stream_id`.
    pub fn queue_row<C: Serialize>(
        &self,
        envelope: &CommandEnvelope<C>,
        stream_id: String,
    ) -> QueueRow {
        let command = to_json(&envelope.command);
        QueueRow {
            command_id: envelope.command_id,
            correlation_id: envelope.correlation_id,
            causation_id: envelope.causation_id,
            origin: origin_name(&envelope.origin),
            depth: u32::from(envelope.depth),
            compensation: envelope.compensation,
            stream_id,
            name: message_name(&command, &self.commands),
            command,
            time: u64::from(envelope.time),
        }
    }
}

/// `value` as JSON; domain types are plain data and always serialize. Built by the
/// inspector's windowing serializer with no window ([`super::window::whole`]), not by
/// `serde_json::to_value`: one serializer to values compiled for every domain type instead
/// of two (the playground's wasm is smaller by that second copy).
pub(crate) fn to_json<T: Serialize>(value: &T) -> Value {
    super::window::whole(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn message_names_follow_the_known_variants_only() {
        let names = vec![
            "order.order_placed".to_string(),
            "order.order_prepared".to_string(),
            "increment".to_string(),
        ];
        let placed = json!({"order": {"order_placed": {"items": {"x": 1}}}});
        assert_eq!(message_name(&placed, &names), "order.order_placed");
        assert_eq!(
            message_name(&json!({"order": "order_prepared"}), &names),
            "order.order_prepared"
        );
        let one_field = json!({"increment": {"by": {"amount": 1}}});
        assert_eq!(message_name(&one_field, &names), "increment");
        assert_eq!(message_name(&json!(42), &names), "");
    }

    fn row() -> FactRow {
        FactRow {
            position: 3,
            stream_id: "order-o1".into(),
            stream_version: Some(1),
            kind: RowKind::Event,
            name: "order.order_placed".into(),
            payload: json!({"order": {"order_placed": {"customer": "Ada"}}}),
            command: None,
            fact_id: Id(1),
            command_id: Id(2),
            correlation_id: Id(2),
            causation_id: Id(2),
            time: 1,
            origin: "user".into(),
            depth: 0,
            compensation: false,
            injected: false,
            external: true,
            zero_payload: false,
            step: Some(0),
        }
    }

    #[test]
    fn the_filter_checks_each_field() {
        let row = row();
        assert!(LogFilter::default().matches(&row));
        let text = |t: &str| LogFilter {
            text: t.into(),
            ..LogFilter::default()
        };
        assert!(text("ADA").matches(&row), "payload, case-insensitive");
        assert!(text("placed").matches(&row), "name");
        assert!(!text("bob").matches(&row));
        let zoe = FactRow {
            payload: json!({"customer": "Zoë"}),
            ..row.clone()
        };
        assert!(text("zOë").matches(&zoe), "ASCII letters in either case");
        assert!(!text("ZOË").matches(&zoe), "other letters as typed");
        let stream = LogFilter {
            stream: Some("order-o2".into()),
            ..LogFilter::default()
        };
        assert!(!stream.matches(&row));
        let kind = LogFilter {
            kind: Some(RowKind::Rejection),
            ..LogFilter::default()
        };
        assert!(!kind.matches(&row));
        let origin = LogFilter {
            origin: Some("fulfilment".into()),
            ..LogFilter::default()
        };
        assert!(!origin.matches(&row));
        let flow = LogFilter {
            correlation_id: Some(Id(2)),
            ..LogFilter::default()
        };
        assert!(flow.matches(&row));
        assert!(!LogFilter {
            correlation_id: Some(Id(9)),
            ..LogFilter::default()
        }
        .matches(&row));
    }
}
