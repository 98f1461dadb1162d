//! A journal's entries read from their JSON form, the framing once for every domain.
//!
//! An entry's framing (its kind, the envelopes' ids, time, origin and depth, the facts'
//! positions and streams, a step's failure) is the same for every domain; only the
//! commands, events and rejections inside are the domain's. Read as one typed value, the
//! whole entry is compiled again for each domain (its visitors were the largest generic
//! code of the playground's wasm). Here the framing is read once, every message skipped
//! (the same `Deserialize` under the same names, so a framing error is found where and
//! worded as the typed reader words it), then each message is found in the entry's tree
//! where the framing said it is and read as its domain's type, an error's path being the
//! way to it followed by the path inside it, as the typed reader gives it.
//!
//! One difference remains, only for an entry with two errors: the framing's is reported
//! before a message's, where the typed reader reports the one it meets first.

use super::located::{self, Tree};
use super::packed::enveloped;
use super::BoundaryError;
use crate::envelope::{CommandEnvelope, FactKind, RecordedFact, SharedCommand};
use crate::journal::{EntryIn, JournalEntry, ReadEntry, RecordedIn, StepFailure, StepIn};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;
use std::fmt::Write;

/// An entry as read with its messages skipped.
type Framed = EntryIn<IgnoredAny, IgnoredAny, IgnoredAny>;

/// The typed entry `tree` (an entry in its JSON form) says, with the place its facts
/// name; the error's path is relative to the entry (`$…`).
pub fn read<C, E, R>(tree: &Tree<'_>) -> Result<ReadEntry<C, E, R>, BoundaryError>
where
    C: DeserializeOwned,
    E: DeserializeOwned,
    R: DeserializeOwned,
{
    let framed = frame(tree)?;
    let laid_out = batch_path(&framed);
    let entry = typed(framed, Cursor::entry(tree))?;
    JournalEntry::from_read(entry).map_err(|message| BoundaryError {
        path: laid_out.into(),
        message,
    })
}

/// The typed entries `values` (entries in their JSON form) say; the error names the
/// element (`$[i]…`).
pub fn read_values<C, E, R>(values: &[Value]) -> Result<Vec<ReadEntry<C, E, R>>, BoundaryError>
where
    C: DeserializeOwned,
    E: DeserializeOwned,
    R: DeserializeOwned,
{
    values
        .iter()
        .enumerate()
        .map(|(i, value)| read(&Tree::of(value)).map_err(|e| e.in_element(i)))
        .collect()
}

/// The entry's framing, its messages skipped (not generic: compiled once).
fn frame(tree: &Tree<'_>) -> Result<Framed, BoundaryError> {
    located::from_tree(tree).map_err(|(path, message)| BoundaryError { path, message })
}

/// Where an error of laying out the entry's facts is reported: the step or the given
/// history, as the typed reader reports it.
fn batch_path(entry: &Framed) -> &'static str {
    match entry {
        EntryIn::Submitted(_) => "$",
        EntryIn::Step(_) => "$.step",
        EntryIn::Given(_) => "$.given",
    }
}

/// The most segments of the way to a message (`step.facts[i].fact.kind.rejected.reason`).
const DEEPEST: usize = 8;

/// One segment of the way to a message.
#[derive(Clone, Copy)]
enum Segment<'t> {
    Key(&'t str),
    Index(usize),
}

/// A value inside an entry's tree, and the way to it from the entry (what the typed
/// reader's path says: a struct's field by its name, or by its place when the struct is
/// written as an array; an enum's content by its variant's name).
#[derive(Clone, Copy)]
struct Cursor<'t, 'a> {
    tree: &'t Tree<'a>,
    way: [Segment<'t>; DEEPEST],
    depth: usize,
}

impl<'t, 'a> Cursor<'t, 'a> {
    /// The body of the entry `tree` (the content of its kind's variant).
    fn entry(tree: &'t Tree<'a>) -> Option<Self> {
        Cursor {
            tree,
            way: [Segment::Index(0); DEEPEST],
            depth: 0,
        }
        .variant()
    }

    /// `tree`, one `segment` further on the way.
    fn to(self, tree: &'t Tree<'a>, segment: Segment<'t>) -> Option<Self> {
        let mut next = Cursor { tree, ..self };
        *next.way.get_mut(self.depth)? = segment;
        next.depth += 1;
        Some(next)
    }

    /// The field `name`, the `index`-th of its struct.
    fn field(self, name: &'static str, index: usize) -> Option<Self> {
        match self.tree {
            Tree::Object(members) => {
                let (key, value) = members.iter().find(|(key, _)| key == name)?;
                self.to(value, Segment::Key(key))
            }
            Tree::Array(_) => self.element(index),
            _ => None,
        }
    }

    /// The `index`-th element of an array.
    fn element(self, index: usize) -> Option<Self> {
        match self.tree {
            Tree::Array(items) => self.to(items.get(index)?, Segment::Index(index)),
            _ => None,
        }
    }

    /// The content of an enum's variant (`{"name": content}`).
    fn variant(self) -> Option<Self> {
        match self.tree {
            Tree::Object(members) => match members.as_slice() {
                [(name, content)] => self.to(content, Segment::Key(name)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The path of this value followed by `inner`, a path inside it (`$…`).
    fn path(&self, inner: &str) -> String {
        let mut path = String::from("$");
        for segment in &self.way[..self.depth] {
            let _ = match segment {
                Segment::Key(key) => write!(path, ".{key}"),
                Segment::Index(index) => write!(path, "[{index}]"),
            };
        }
        path.push_str(&inner[1..]);
        path
    }
}

/// The message at `at` as a `T`.
fn message<T: DeserializeOwned>(at: Option<Cursor<'_, '_>>) -> Result<T, BoundaryError> {
    let at = at.ok_or_else(lost)?;
    located::from_tree(at.tree).map_err(|e| located_at(&at, e))
}

/// A message's error (its path inside the message) as the entry's.
#[cold]
fn located_at(at: &Cursor<'_, '_>, (path, message): (String, String)) -> BoundaryError {
    BoundaryError {
        path: at.path(&path),
        message,
    }
}

/// A message the framing read is not where it said: the tree and the framing disagree,
/// which a framing read from that very tree cannot.
#[cold]
fn lost() -> BoundaryError {
    BoundaryError::whole(&"a message is not where the entry's framing says it is")
}

/// The envelope `envelope` (at `at`) as read, its command as a `C`.
fn envelope<C: DeserializeOwned>(
    envelope: &CommandEnvelope<IgnoredAny>,
    at: Option<Cursor<'_, '_>>,
) -> Result<SharedCommand<C>, BoundaryError> {
    let command = message(at.and_then(|e| e.field("command", 7)))?;
    Ok(enveloped(head(envelope), command))
}

/// The envelopes `envelopes` (the array at `at`) as read, their commands as `C`s (a loop,
/// not a `collect` into a `Result`: one adapter fewer compiled per domain).
fn envelopes<C: DeserializeOwned>(
    envelopes: &[SharedCommand<IgnoredAny>],
    at: Option<Cursor<'_, '_>>,
) -> Result<Vec<SharedCommand<C>>, BoundaryError> {
    let mut read = Vec::with_capacity(envelopes.len());
    for (index, command) in envelopes.iter().enumerate() {
        read.push(envelope(command, at.and_then(|a| a.element(index)))?);
    }
    Ok(read)
}

/// An envelope's fields but its command.
fn head(envelope: &CommandEnvelope<IgnoredAny>) -> CommandEnvelope<()> {
    CommandEnvelope {
        command_id: envelope.command_id,
        correlation_id: envelope.correlation_id,
        causation_id: envelope.causation_id,
        time: envelope.time,
        origin: envelope.origin.clone(),
        compensation: envelope.compensation,
        depth: envelope.depth,
        command: (),
    }
}

/// The fact `fact` (at `at`) as read, its messages as its domain's.
fn fact<C, E, R>(
    fact: RecordedFact<IgnoredAny, IgnoredAny, IgnoredAny>,
    at: Option<Cursor<'_, '_>>,
) -> Result<RecordedFact<C, E, R>, BoundaryError>
where
    C: DeserializeOwned,
    E: DeserializeOwned,
    R: DeserializeOwned,
{
    let kind = at.and_then(|f| f.field("kind", 7)?.variant());
    let kind = match fact.kind {
        FactKind::Event { stream_version, .. } => FactKind::Event {
            stream_version,
            event: message(kind.and_then(|k| k.field("event", 1)))?,
        },
        FactKind::Rejected { .. } => FactKind::Rejected {
            command: message(kind.and_then(|k| k.field("command", 0)))?,
            reason: message(kind.and_then(|k| k.field("reason", 1)))?,
        },
    };
    Ok(RecordedFact {
        position: fact.position,
        stream_id: fact.stream_id,
        id: fact.id,
        command_id: fact.command_id,
        correlation_id: fact.correlation_id,
        causation_id: fact.causation_id,
        time: fact.time,
        kind,
    })
}

/// The entry with its messages read as its domain's, from the entry's body `at`.
fn typed<C, E, R>(
    entry: Framed,
    at: Option<Cursor<'_, '_>>,
) -> Result<EntryIn<C, E, R>, BoundaryError>
where
    C: DeserializeOwned,
    E: DeserializeOwned,
    R: DeserializeOwned,
{
    Ok(match entry {
        EntryIn::Submitted(submitted) => EntryIn::Submitted(envelope(&submitted, at)?),
        EntryIn::Step(step) => {
            let command = envelope(&step.command, at.and_then(|s| s.field("command", 1)))?;
            let all = at.and_then(|s| s.field("facts", 2));
            let mut facts = Vec::with_capacity(step.facts.len());
            for (index, recorded) in step.facts.into_iter().enumerate() {
                let at = all.and_then(|f| f.element(index));
                let fact = fact(recorded.fact, at.and_then(|r| r.field("fact", 0)))?;
                let queued = at.and_then(|r| r.field("queued", 1));
                let queued = envelopes(&recorded.queued, queued)?.into_boxed_slice();
                facts.push(RecordedIn { fact, queued });
            }
            let failure = match step.failure.map(|f| *f) {
                None => None,
                Some(StepFailure::Conflict { conflict, attempts }) => {
                    Some(Box::new(StepFailure::Conflict { conflict, attempts }))
                }
                Some(StepFailure::CascadeLimit { limit, dropped }) => {
                    let at = at.and_then(|s| s.field("failure", 3)?.variant()?.field("dropped", 1));
                    let dropped = envelopes(&dropped, at)?;
                    Some(Box::new(StepFailure::CascadeLimit { limit, dropped }))
                }
            };
            EntryIn::Step(StepIn {
                step: step.step,
                command,
                facts,
                failure,
                injected: step.injected,
            })
        }
        EntryIn::Given(given) => {
            let mut facts = Vec::with_capacity(given.len());
            for (index, recorded) in given.into_iter().enumerate() {
                facts.push(fact(recorded, at.and_then(|g| g.element(index)))?);
            }
            EntryIn::Given(facts)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saga::Stateless;
    use crate::tests::domain::{add, added, system, Cmd, Counter, Echo, Ev, Rej};
    use crate::view::NoView;
    use crate::{Engine, EngineConfig, Parts};
    use serde_json::json;

    type Entry = ReadEntry<Cmd, Ev, Rej>;

    /// Entries of every kind and shape: given history, submissions, steps that queue
    /// reactions, a rejection and its compensation, a step whose reactions were dropped.
    fn journal() -> Vec<Value> {
        let mut engine = Engine::new(system(), EngineConfig::default());
        engine.given(&"counter-2".into(), [added(2, 95)]).unwrap();
        engine.submit(add(0, 10));
        engine.run_until_idle(100);
        let looping = Parts {
            decider: Counter,
            view: NoView::default(),
            process: Stateless(Echo),
        };
        let config = EngineConfig {
            max_depth: 2,
            ..EngineConfig::default()
        };
        let mut echo = Engine::new(looping, config);
        echo.submit(add(0, 1));
        echo.run_until_idle(100);
        let run = |run| serde_json::to_value(run).unwrap();
        let (Value::Array(mut entries), Value::Array(echoed)) =
            (run(engine.journal_run()), run(echo.journal_run()))
        else {
            unreachable!("a journal's JSON is an array")
        };
        entries.extend(echoed);
        entries
    }

    /// What the typed reader (the entry read as one value) makes of `value`.
    fn typed_reader(value: &Value) -> Result<Entry, (String, String)> {
        located::deserialize(value)
    }

    /// What [`read`] makes of `value`.
    fn framed_reader(value: &Value) -> Result<Entry, (String, String)> {
        read(&Tree::of(value)).map_err(|e| (e.path, e.message))
    }

    /// `value` with the node at each place replaced by each of `by` and each object by
    /// the array of its values, and each object member removed, one change at a time.
    fn changed(value: &Value, by: &[Value]) -> Vec<Value> {
        let mut out: Vec<Value> = by.to_vec();
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    for inner in changed(item, by) {
                        let mut copy = items.clone();
                        copy[i] = inner;
                        out.push(Value::Array(copy));
                    }
                }
            }
            Value::Object(members) => {
                out.push(Value::Array(members.values().cloned().collect()));
                for (key, member) in members {
                    let mut without = members.clone();
                    without.remove(key);
                    out.push(Value::Object(without));
                    for inner in changed(member, by) {
                        let mut copy = members.clone();
                        copy.insert(key.clone(), inner);
                        out.push(Value::Object(copy));
                    }
                }
            }
            _ => {}
        }
        out
    }

    #[test]
    fn every_entry_reads_as_the_typed_reader_reads_it() {
        let journal = journal();
        let kinds: Vec<&str> = journal
            .iter()
            .filter_map(|e| e.as_object()?.keys().next().map(String::as_str))
            .collect();
        for kind in ["given", "submitted", "step"] {
            assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
        }
        let text = serde_json::to_string(&journal).unwrap();
        for needle in ["\"rejected\"", "\"queued\":[{", "\"cascade_limit\""] {
            assert!(text.contains(needle), "{needle} in the journal");
        }
        for entry in &journal {
            let read = framed_reader(entry).expect("the entry reads");
            assert_eq!(Ok(&read), typed_reader(entry).as_ref());
        }
        let read = read_values::<Cmd, Ev, Rej>(&journal).unwrap();
        assert_eq!(read.len(), journal.len());
    }

    #[test]
    fn an_entry_with_one_error_fails_where_and_as_the_typed_reader_fails() {
        let by = [
            json!("x"),
            json!(7),
            json!(-1),
            json!(null),
            json!({}),
            json!([]),
        ];
        let (mut cases, mut failed) = (0, 0);
        for entry in journal() {
            for changed in changed(&entry, &by) {
                let typed = typed_reader(&changed);
                failed += usize::from(typed.is_err());
                assert_eq!(framed_reader(&changed), typed, "{changed}");
                cases += 1;
            }
        }
        assert!(failed > cases / 2, "{failed} of {cases} changes fail");
    }

    #[test]
    fn a_struct_written_as_an_array_reads_as_the_typed_reader_reads_it() {
        let entry = |command: Value| {
            let origin = json!({"reactor": {"name": "forward"}});
            json!({"submitted": ["00000000000000a1", "00000000000000a0", "00000000000000a0", 3, origin, false, 1, command]})
        };
        let good = entry(json!({"Add": {"counter": 1, "amount": 2}}));
        let read = framed_reader(&good).expect("an envelope as an array reads");
        assert_eq!(Ok(&read), typed_reader(&good).as_ref());
        let bad = entry(json!({"Add": {"counter": 1, "amount": "two"}}));
        let error = framed_reader(&bad).unwrap_err();
        assert_eq!(error.0, "$.submitted[7].Add.amount");
        assert_eq!(Err(error), typed_reader(&bad));
    }

    #[test]
    fn a_bad_message_is_named_by_its_place_in_the_entry() {
        let journal = journal();
        let step = journal
            .iter()
            .position(|e| {
                e["step"]["facts"][0]["queued"]
                    .as_array()
                    .is_some_and(|q| !q.is_empty())
            })
            .unwrap();
        let mut bad = journal.clone();
        bad[step]["step"]["facts"][0]["queued"][0]["command"] = json!({"Add": {"counter": "one"}});
        let error = read_values::<Cmd, Ev, Rej>(&bad).unwrap_err();
        assert_eq!(
            error.path,
            format!("$[{step}].step.facts[0].queued[0].command.Add.counter")
        );
        assert!(error.message.contains("expected u8"), "{error}");
    }
}
