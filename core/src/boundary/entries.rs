//! A journal's entries read from their JSON form, the framing once for every domain.
//!
//! An entry's framing (its kind, the envelopes' ids, time, origin and depth, the facts'
//! positions and streams, a step's failure) is the same for every domain; only the
//! commands, events and rejections inside are the domain's. Read as one typed value, the
//! whole entry is compiled again for each domain (its visitors were the largest generic
//! code of the playground's wasm). Here the framing is read once, with every message left
//! as a [`Tree`] (the same `Deserialize` under the same names, so a framing error is
//! found where and worded as the typed reader words it), then each message is read as its
//! domain's type, an error's path being the message's place in the entry followed by the
//! path inside it, as the typed reader gives it.
//!
//! One difference remains, only for an entry with two errors: the framing's is reported
//! before a message's, where the typed reader reports the one it meets first.

use super::located::{self, Tree};
use super::packed::enveloped;
use super::BoundaryError;
use crate::envelope::{CommandEnvelope, FactKind, RecordedFact, SharedCommand};
use crate::journal::{EntryIn, JournalEntry, RecordedIn, StepFailure, StepIn};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An entry as read with each message left as JSON.
type Framed<'t> = EntryIn<Tree<'t>, Tree<'t>, Tree<'t>>;

/// The typed entry `tree` (an entry in its JSON form) says; the error's path is relative
/// to the entry (`$…`).
pub fn read<C, E, R>(tree: &Tree<'_>) -> Result<JournalEntry<C, E, R>, BoundaryError>
where
    C: DeserializeOwned,
    E: DeserializeOwned,
    R: DeserializeOwned,
{
    let framed = frame(tree)?;
    let laid_out = batch_path(&framed);
    let entry = typed(framed)?;
    JournalEntry::from_read(entry).map_err(|message| BoundaryError {
        path: laid_out.into(),
        message,
    })
}

/// The typed entries `values` (entries in their JSON form) say; the error names the
/// element (`$[i]…`).
pub fn read_values<C, E, R>(values: &[Value]) -> Result<Vec<JournalEntry<C, E, R>>, BoundaryError>
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

/// The entry's framing, its messages as trees (not generic: compiled once).
fn frame<'t>(tree: &'t Tree<'_>) -> Result<Framed<'t>, BoundaryError> {
    located::from_tree(tree).map_err(|(path, message)| BoundaryError { path, message })
}

/// Where an error of laying out the entry's facts is reported: the step or the given
/// history, as the typed reader reports it.
fn batch_path(entry: &Framed<'_>) -> &'static str {
    match entry {
        EntryIn::Submitted(_) => "$",
        EntryIn::Step(_) => "$.step",
        EntryIn::Given(_) => "$.given",
    }
}

/// Where a message sits in an entry's JSON form.
#[derive(Clone, Copy)]
enum Place {
    /// A submission's command.
    Submitted,
    /// A step's command.
    Step,
    /// The `fact`-th fact of a step (`in_step`) or of a given history, its `part`.
    Fact {
        in_step: bool,
        fact: usize,
        part: Part,
    },
    /// The `queued`-th command the `fact`-th fact of a step queued.
    Queued { fact: usize, queued: usize },
    /// The `dropped`-th command a step's cascade limit dropped.
    Dropped { dropped: usize },
}

/// The message of a fact.
#[derive(Clone, Copy)]
enum Part {
    Event,
    RejectedCommand,
    Reason,
}

impl Place {
    /// The path of the message (`$.step.command.command`).
    fn path(self) -> String {
        match self {
            Place::Submitted => "$.submitted.command".into(),
            Place::Step => "$.step.command.command".into(),
            Place::Fact {
                in_step,
                fact,
                part,
            } => {
                let part = match part {
                    Part::Event => "kind.event.event",
                    Part::RejectedCommand => "kind.rejected.command",
                    Part::Reason => "kind.rejected.reason",
                };
                match in_step {
                    true => format!("$.step.facts[{fact}].fact.{part}"),
                    false => format!("$.given[{fact}].{part}"),
                }
            }
            Place::Queued { fact, queued } => {
                format!("$.step.facts[{fact}].queued[{queued}].command")
            }
            Place::Dropped { dropped } => {
                format!("$.step.failure.cascade_limit.dropped[{dropped}].command")
            }
        }
    }

    /// A message's error (its path inside the message) as the entry's.
    #[cold]
    fn error(self, (path, message): (String, String)) -> BoundaryError {
        BoundaryError {
            path: format!("{}{}", self.path(), &path[1..]),
            message,
        }
    }
}

/// The message `tree` at `place` as a `T`.
fn message<T: DeserializeOwned>(tree: &Tree<'_>, place: Place) -> Result<T, BoundaryError> {
    located::from_tree(tree).map_err(|e| place.error(e))
}

/// The envelope of a command as read, its command at `place` as a `C`.
fn envelope<C: DeserializeOwned>(
    envelope: &CommandEnvelope<Tree<'_>>,
    place: Place,
) -> Result<SharedCommand<C>, BoundaryError> {
    let command = message(&envelope.command, place)?;
    Ok(enveloped(head(envelope), command))
}

/// An envelope's fields but its command.
fn head(envelope: &CommandEnvelope<Tree<'_>>) -> CommandEnvelope<()> {
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

/// The `index`-th fact of a step (`in_step`) or a given history as read, its messages as
/// its domain's.
fn fact<C, E, R>(
    fact: RecordedFact<Tree<'_>, Tree<'_>, Tree<'_>>,
    in_step: bool,
    index: usize,
) -> Result<RecordedFact<C, E, R>, BoundaryError>
where
    C: DeserializeOwned,
    E: DeserializeOwned,
    R: DeserializeOwned,
{
    let place = |part| Place::Fact {
        in_step,
        fact: index,
        part,
    };
    let kind = match fact.kind {
        FactKind::Event {
            stream_version,
            event,
        } => FactKind::Event {
            stream_version,
            event: message(&event, place(Part::Event))?,
        },
        FactKind::Rejected { command, reason } => FactKind::Rejected {
            command: message(&command, place(Part::RejectedCommand))?,
            reason: message(&reason, place(Part::Reason))?,
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

/// The entry with its messages read as its domain's.
fn typed<C, E, R>(entry: Framed<'_>) -> Result<EntryIn<C, E, R>, BoundaryError>
where
    C: DeserializeOwned,
    E: DeserializeOwned,
    R: DeserializeOwned,
{
    Ok(match entry {
        EntryIn::Submitted(submitted) => {
            EntryIn::Submitted(envelope(&submitted, Place::Submitted)?)
        }
        EntryIn::Step(step) => {
            let command = envelope(&step.command, Place::Step)?;
            let mut facts = Vec::with_capacity(step.facts.len());
            for (index, recorded) in step.facts.into_iter().enumerate() {
                let fact = fact(recorded.fact, true, index)?;
                let queued = recorded.queued.iter().enumerate().map(|(queued, command)| {
                    envelope(
                        command,
                        Place::Queued {
                            fact: index,
                            queued,
                        },
                    )
                });
                let queued = queued.collect::<Result<_, _>>()?;
                facts.push(RecordedIn { fact, queued });
            }
            let failure = match step.failure.map(|f| *f) {
                None => None,
                Some(StepFailure::Conflict { conflict, attempts }) => {
                    Some(Box::new(StepFailure::Conflict { conflict, attempts }))
                }
                Some(StepFailure::CascadeLimit { limit, dropped }) => {
                    let dropped = dropped
                        .iter()
                        .enumerate()
                        .map(|(dropped, command)| envelope(command, Place::Dropped { dropped }));
                    let dropped = dropped.collect::<Result<_, _>>()?;
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
            let facts = given
                .into_iter()
                .enumerate()
                .map(|(index, recorded)| fact(recorded, false, index));
            EntryIn::Given(facts.collect::<Result<_, _>>()?)
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

    type Entry = JournalEntry<Cmd, Ev, Rej>;

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
        let entries = engine.journal().iter().chain(echo.journal());
        entries.map(|e| serde_json::to_value(e).unwrap()).collect()
    }

    /// What the typed reader (the entry read as one value) makes of `value`.
    fn typed_reader(value: &Value) -> Result<Entry, (String, String)> {
        located::deserialize(value)
    }

    /// What [`read`] makes of `value`.
    fn framed_reader(value: &Value) -> Result<Entry, (String, String)> {
        read(&Tree::of(value)).map_err(|e| (e.path, e.message))
    }

    /// `value` with the node at each place replaced by each of `by`, and each object
    /// member removed, one change at a time.
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
