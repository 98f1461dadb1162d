//! The journal's stored form: what a durable store keeps of a run of journal entries (a
//! segment), smaller than their JSON form and read back into exactly it.
//!
//! The JSON form repeats what the run already says elsewhere: a step holds its command's
//! whole envelope, which the submission or the fact that queued it holds too, and every
//! fact repeats its step's stream, time and ids. The stored form keeps each thing once:
//! - a submission and a given history are as in the JSON form;
//! - a step is `{"step", "command", "stream_id", "position", "time", "facts"}` (and
//!   `failure`, `injected` when they say something): its `command` is the command's id
//!   (a string) when the envelope was queued earlier in the same run, its stream, first
//!   position and time are said once, and each fact is its own members without those its
//!   step implies (position, stream, time, command, correlation and causation ids), with
//!   `queued` when it queued commands, each envelope without the causation, correlation,
//!   time and depth its fact implies.
//!
//! Only what equals the implied value is left out; anything else stays as it was. A JSON
//! form entry is also a stored entry (it leaves nothing out), so reading accepts both.
//! The stored form is JSON too: a store keeps it as structured values (readable in a
//! browser's DevTools) or as its text.

use super::located::Tree;
use super::BoundaryError;
use crate::envelope::{CommandEnvelope, FactRef, SharedCommand};
use crate::ids::Id;
use crate::journal::{JournalEntry, Placed, Run, StepRecord};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Number;
use std::borrow::Cow;
use std::collections::HashMap;

/// An object's members, in order.
type Members<'a> = Vec<(Cow<'a, str>, Tree<'a>)>;

/// The stored form of `journal` (the text of a JSON array of entries in their JSON form),
/// as the text of a JSON array.
pub fn compact(journal: &str) -> Result<String, BoundaryError> {
    let mut entries = parse(journal)?;
    let mut queued = HashMap::new();
    for entry in &mut entries {
        compact_entry(entry, &mut queued);
    }
    serde_json::to_string(&entries).map_err(|e| BoundaryError::whole(&e))
}

/// The stored form of `run` (a run of a journal), as the text of a JSON array: written
/// straight from the typed entries, it is what [`compact`] makes of their JSON form (a
/// step names its command when the run queued that very envelope).
pub fn write<C: Serialize, E: Serialize, R: Serialize>(run: Run<'_, C, E, R>) -> String {
    let mut queued: HashMap<Id, &SharedCommand<C>> = HashMap::new();
    let run: Vec<EntryOut<'_, C, E, R>> = run
        .iter()
        .map(|entry| {
            for command in entry.record.queued() {
                queued.insert(command.command_id, command);
            }
            match entry.record {
                JournalEntry::Step(step) => {
                    let id = step.command().command_id;
                    let named = queued
                        .get(&id)
                        .is_some_and(|known| SharedCommand::ptr_eq(known, step.command()));
                    if named {
                        queued.remove(&id);
                    }
                    let record = &**step;
                    EntryOut::Step(
                        Placed {
                            at: entry.at,
                            record,
                        },
                        named,
                    )
                }
                _ => EntryOut::Whole(entry),
            }
        })
        .collect();
    serde_json::to_string(&run).unwrap_or_else(|_| "[]".into())
}

/// An entry as [`write`] writes it.
enum EntryOut<'a, C, E, R> {
    /// As in the JSON form.
    Whole(Placed<'a, JournalEntry<C, E, R>>),
    /// A step, naming its command (`true`) or holding its envelope.
    Step(Placed<'a, StepRecord<C, E, R>>, bool),
}

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for EntryOut<'_, C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EntryOut::Whole(entry) => entry.serialize(serializer),
            EntryOut::Step(step, named) => {
                let mut out = serializer.serialize_map(Some(1))?;
                out.serialize_entry("step", &StepOut(*step, *named))?;
                out.end()
            }
        }
    }
}

/// A step's body in the stored form.
struct StepOut<'a, C, E, R>(Placed<'a, StepRecord<C, E, R>>, bool);

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for StepOut<'_, C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let StepOut(step, named) = *self;
        let command = &**step.command();
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("step", &step.step())?;
        match named {
            true => out.serialize_entry("command", &command.command_id)?,
            false => out.serialize_entry("command", command)?,
        }
        let facts: Vec<FactOut<'_, C, E, R>> = step
            .record
            .recorded(step.at)
            .map(|(fact, queued)| FactOut {
                fact,
                queued,
                command,
            })
            .collect();
        out.serialize_entry("facts", &facts)?;
        if let Some(failure) = step.failure() {
            out.serialize_entry("failure", failure)?;
        }
        if step.injected() {
            out.serialize_entry("injected", &true)?;
        }
        if let Some(first) = facts.first() {
            out.serialize_entry("stream_id", first.fact.stream_id)?;
            out.serialize_entry("position", &first.fact.position)?;
            out.serialize_entry("time", &first.fact.time)?;
        }
        out.end()
    }
}

/// A fact of a step in the stored form: its own members, and what it queued.
struct FactOut<'a, C, E, R> {
    fact: FactRef<'a, C, E, R>,
    queued: &'a [SharedCommand<C>],
    /// The step's command.
    command: &'a CommandEnvelope<C>,
}

impl<C: Serialize, E: Serialize, R: Serialize> Serialize for FactOut<'_, C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("id", &self.fact.id)?;
        out.serialize_entry("kind", &self.fact.kind)?;
        if !self.queued.is_empty() {
            let queued: Vec<QueuedOut<'_, C, E, R>> = self
                .queued
                .iter()
                .map(|envelope| QueuedOut {
                    envelope,
                    fact: self,
                })
                .collect();
            out.serialize_entry("queued", &queued)?;
        }
        out.end()
    }
}

/// A command a fact queued, without what the fact implies.
struct QueuedOut<'a, C, E, R> {
    envelope: &'a CommandEnvelope<C>,
    fact: &'a FactOut<'a, C, E, R>,
}

impl<C: Serialize, E, R> Serialize for QueuedOut<'_, C, E, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (envelope, step) = (self.envelope, self.fact.command);
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("command_id", &envelope.command_id)?;
        if envelope.correlation_id != step.correlation_id {
            out.serialize_entry("correlation_id", &envelope.correlation_id)?;
        }
        if envelope.causation_id != self.fact.fact.id {
            out.serialize_entry("causation_id", &envelope.causation_id)?;
        }
        if u64::from(envelope.time) != self.fact.fact.time {
            out.serialize_entry("time", &envelope.time)?;
        }
        out.serialize_entry("origin", &envelope.origin)?;
        out.serialize_entry("compensation", &envelope.compensation)?;
        if u64::from(envelope.depth) != u64::from(step.depth) + 1 {
            out.serialize_entry("depth", &envelope.depth)?;
        }
        out.serialize_entry("command", &envelope.command)?;
        out.end()
    }
}

/// The JSON form of `stored` (the text of a JSON array of entries in the stored form, the
/// first of them entry `start` of the journal), as the text of a JSON array; the error
/// names the entry (`$[i]…`) that does not expand.
pub fn expand(stored: &str, start: usize) -> Result<String, BoundaryError> {
    let mut entries = parse(stored)?;
    let mut expander = Expander::default();
    for i in 0..entries.len() {
        expander
            .expand(&mut entries, i)
            .map_err(|e| e.in_element(start + i))?;
    }
    serde_json::to_string(&entries).map_err(|e| BoundaryError::whole(&e))
}

/// The entries of the JSON array `text`.
fn parse(text: &str) -> Result<Vec<Tree<'_>>, BoundaryError> {
    serde_json::from_str(text).map_err(|e| BoundaryError {
        path: "$".into(),
        message: format!("not a JSON array of entries: {e}"),
    })
}

impl Serialize for Tree<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Null => serializer.serialize_unit(),
            Tree::Bool(b) => serializer.serialize_bool(*b),
            Tree::Number(n) => n.serialize(serializer),
            Tree::String(s) => serializer.serialize_str(s),
            Tree::Array(items) => serializer.collect_seq(items),
            Tree::Object(members) => {
                serializer.collect_map(members.iter().map(|(k, v)| (k.as_ref(), v)))
            }
        }
    }
}

/// The member `key` of `members`.
fn get<'t, 'a>(members: &'t [(Cow<'a, str>, Tree<'a>)], key: &str) -> Option<&'t Tree<'a>> {
    members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The member `key` of `members`, to change.
fn get_mut<'t, 'a>(members: &'t mut Members<'a>, key: &str) -> Option<&'t mut Tree<'a>> {
    members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Removes the member `key` from `members`, and returns it.
fn take<'a>(members: &mut Members<'a>, key: &str) -> Option<Tree<'a>> {
    let index = members.iter().position(|(k, _)| k == key)?;
    Some(members.remove(index).1)
}

/// The only member of an entry's object: its kind (`submitted`, `step`, `given`) and body.
fn kind_of<'t, 'a>(entry: &'t mut Tree<'a>) -> Option<(&'t str, &'t mut Tree<'a>)> {
    match entry {
        Tree::Object(members) => match members.as_mut_slice() {
            [(key, body)] => {
                let key: &'t Cow<'a, str> = key;
                Some((key.as_ref(), body))
            }
            _ => None,
        },
        _ => None,
    }
}

fn as_u64(tree: &Tree<'_>) -> Option<u64> {
    match tree {
        Tree::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// The command id of an envelope (a hexadecimal string), as a number.
fn id_of(envelope: &[(Cow<'_, str>, Tree<'_>)]) -> Option<u64> {
    match get(envelope, "command_id")? {
        Tree::String(id) => u64::from_str_radix(id, 16).ok(),
        _ => None,
    }
}

/// What a step implies for each of its facts and for the commands they queued.
struct Implied<'a> {
    command_id: Option<Tree<'a>>,
    correlation_id: Option<Tree<'a>>,
    /// The depth of what its facts queue: one more than its command's.
    depth: Option<Tree<'a>>,
    stream_id: Option<Tree<'a>>,
    position: Option<u64>,
    time: Option<Tree<'a>>,
}

impl<'a> Implied<'a> {
    /// What a step whose command is `command` implies; its stream, position and time are
    /// filled in from its first fact or its stored members.
    fn of(command: &[(Cow<'a, str>, Tree<'a>)]) -> Self {
        Implied {
            command_id: get(command, "command_id").cloned(),
            correlation_id: get(command, "correlation_id").cloned(),
            depth: get(command, "depth")
                .and_then(as_u64)
                .map(|d| Tree::Number(Number::from(d + 1))),
            stream_id: None,
            position: None,
            time: None,
        }
    }

    /// The members a fact at `index` in the step leaves out when they have these values.
    fn fact(&self, index: usize) -> [(&'static str, Option<Tree<'a>>); 6] {
        let position = self
            .position
            .map(|p| Tree::Number(Number::from(p + index as u64)));
        [
            ("position", position),
            ("stream_id", self.stream_id.clone()),
            ("command_id", self.command_id.clone()),
            ("correlation_id", self.correlation_id.clone()),
            ("causation_id", self.command_id.clone()),
            ("time", self.time.clone()),
        ]
    }

    /// The members an envelope queued in reaction to the fact `fact_id` leaves out when
    /// they have these values.
    fn queued(&self, fact_id: Option<&Tree<'a>>) -> [(&'static str, Option<Tree<'a>>); 4] {
        [
            ("causation_id", fact_id.cloned()),
            ("correlation_id", self.correlation_id.clone()),
            ("time", self.time.clone()),
            ("depth", self.depth.clone()),
        ]
    }
}

/// Removes from `members` each of `implied` whose value it has.
fn leave_out<'a>(members: &mut Members<'a>, implied: &[(&'static str, Option<Tree<'a>>)]) {
    members.retain(|(key, value)| {
        !implied
            .iter()
            .any(|(k, v)| k == key && v.as_ref() == Some(value))
    });
}

/// Adds to `members` each of `implied` it lacks (and that has a value).
fn fill_in<'a>(members: &mut Members<'a>, implied: [(&'static str, Option<Tree<'a>>); 6]) {
    for (key, value) in implied {
        if let Some(value) = value {
            if get(members, key).is_none() {
                members.push((Cow::Borrowed(key), value));
            }
        }
    }
}

/// Writes `entry` in the stored form; `queued` holds the envelopes queued earlier in the
/// run (in the JSON form), by command id.
fn compact_entry<'a>(entry: &mut Tree<'a>, queued: &mut HashMap<u64, Tree<'a>>) {
    match kind_of(entry) {
        Some(("submitted", Tree::Object(envelope))) => {
            if let Some(id) = id_of(envelope) {
                queued.insert(id, Tree::Object(envelope.clone()));
            }
        }
        Some(("step", Tree::Object(step))) => compact_step(step, queued),
        _ => {}
    }
}

fn compact_step<'a>(step: &mut Members<'a>, queued: &mut HashMap<u64, Tree<'a>>) {
    let Some(Tree::Object(command)) = get(step, "command") else {
        return;
    };
    let mut implied = Implied::of(command);
    let id = id_of(command);
    let reference = match (id, get(command, "command_id")) {
        (Some(id), Some(reference)) if queued.get(&id) == get(step, "command") => {
            queued.remove(&id);
            Some(reference.clone())
        }
        _ => None,
    };
    if let (Some(reference), Some(slot)) = (reference, get_mut(step, "command")) {
        *slot = reference;
    }
    let Some(Tree::Array(facts)) = get_mut(step, "facts") else {
        return;
    };
    let first = match facts.first() {
        Some(Tree::Object(fact)) => match get(fact, "fact") {
            Some(Tree::Object(fact)) => Some(fact),
            _ => return,
        },
        _ => None,
    };
    if let Some(first) = first {
        implied.stream_id = get(first, "stream_id").cloned();
        implied.position = get(first, "position").and_then(as_u64);
        implied.time = get(first, "time").cloned();
    }
    for (index, fact) in facts.iter_mut().enumerate() {
        compact_fact(fact, index, &implied, queued);
    }
    let said = [
        ("stream_id", implied.stream_id),
        ("position", implied.position.map(|p| Tree::Number(p.into()))),
        ("time", implied.time),
    ];
    for (key, value) in said {
        if let Some(value) = value {
            step.push((Cow::Borrowed(key), value));
        }
    }
    if get(step, "failure") == Some(&Tree::Null) {
        take(step, "failure");
    }
}

/// Writes the fact `{"fact", "queued"}` at `index` in its step as its own members, with
/// `queued` when it queued something.
fn compact_fact<'a>(
    fact: &mut Tree<'a>,
    index: usize,
    implied: &Implied<'a>,
    known: &mut HashMap<u64, Tree<'a>>,
) {
    let Tree::Object(members) = fact else {
        return;
    };
    if !matches!(get(members, "queued"), Some(Tree::Array(_))) {
        return;
    }
    let mut own = match get_mut(members, "fact") {
        Some(Tree::Object(own)) => std::mem::take(own),
        _ => return,
    };
    let mut queued = match get_mut(members, "queued") {
        Some(Tree::Array(queued)) => std::mem::take(queued),
        _ => Vec::new(),
    };
    leave_out(&mut own, &implied.fact(index));
    let implied_queued = implied.queued(get(&own, "id"));
    for envelope in &mut queued {
        if let Tree::Object(envelope) = envelope {
            if let Some(id) = id_of(envelope) {
                known.insert(id, Tree::Object(envelope.clone()));
            }
            leave_out(envelope, &implied_queued);
        }
    }
    if !queued.is_empty() {
        own.push((Cow::Borrowed("queued"), Tree::Array(queued)));
    }
    *members = own;
}

/// Where an envelope was queued in a run of entries.
#[derive(Clone, Copy)]
enum Place {
    /// Entry `0` submitted it.
    Submitted(usize),
    /// Entry `0`'s fact `1` queued it, as its `2`nd command.
    Queued(usize, usize, usize),
}

/// Expands stored entries into their JSON form, in order, remembering where each command
/// was queued.
#[derive(Default)]
pub(crate) struct Expander {
    queued: HashMap<u64, Place>,
}

/// A problem at `path` inside an entry.
fn broken(path: &str, message: String) -> BoundaryError {
    BoundaryError {
        path: path.into(),
        message,
    }
}

impl Expander {
    /// Expands `entries[index]` (the entries before it are expanded already); the error's
    /// path is relative to the entry (`$.step.command`).
    pub(crate) fn expand(
        &mut self,
        entries: &mut [Tree<'_>],
        index: usize,
    ) -> Result<(), BoundaryError> {
        let (before, rest) = entries.split_at_mut(index);
        match kind_of(&mut rest[0]) {
            Some(("submitted", Tree::Object(envelope))) => {
                if let Some(id) = id_of(envelope) {
                    self.queued.insert(id, Place::Submitted(index));
                }
                Ok(())
            }
            Some(("step", Tree::Object(step))) => self.expand_step(step, before, index),
            _ => Ok(()),
        }
    }

    /// The envelope queued as `id`, in `entries`.
    fn envelope<'t, 'a>(&self, id: &str, entries: &'t [Tree<'a>]) -> Option<&'t Tree<'a>> {
        let place = *self.queued.get(&u64::from_str_radix(id, 16).ok()?)?;
        let member = |tree: &'t Tree<'a>, key: &str| match tree {
            Tree::Object(members) => get(members, key),
            _ => None,
        };
        let element = |tree: &'t Tree<'a>, index: usize| match tree {
            Tree::Array(items) => items.get(index),
            _ => None,
        };
        match place {
            Place::Submitted(entry) => member(entries.get(entry)?, "submitted"),
            Place::Queued(entry, fact, command) => {
                let facts = member(member(entries.get(entry)?, "step")?, "facts")?;
                element(member(element(facts, fact)?, "queued")?, command)
            }
        }
    }

    fn expand_step<'a>(
        &mut self,
        step: &mut Members<'a>,
        before: &[Tree<'a>],
        index: usize,
    ) -> Result<(), BoundaryError> {
        if let Some(Tree::String(id)) = get(step, "command") {
            let envelope = self.envelope(id, before).cloned().ok_or_else(|| {
                broken(
                    "$.step.command",
                    format!("command {id} was not queued earlier in this segment"),
                )
            })?;
            if let Some(slot) = get_mut(step, "command") {
                *slot = envelope;
            }
        }
        let mut implied = match get(step, "command") {
            Some(Tree::Object(command)) => Implied::of(command),
            // The typed reader says what is wrong with it.
            _ => return Ok(()),
        };
        implied.stream_id = take(step, "stream_id");
        implied.time = take(step, "time");
        implied.position =
            match take(step, "position") {
                None => None,
                Some(position) => Some(as_u64(&position).ok_or_else(|| {
                    broken("$.step.position", "a position is a whole number".into())
                })?),
            };
        if get(step, "failure").is_none() {
            step.push((Cow::Borrowed("failure"), Tree::Null));
        }
        let Some(Tree::Array(facts)) = get_mut(step, "facts") else {
            return Ok(());
        };
        for (at, fact) in facts.iter_mut().enumerate() {
            let Tree::Object(members) = fact else {
                continue;
            };
            if get(members, "fact").is_none() {
                let mut queued = take(members, "queued").unwrap_or(Tree::Array(Vec::new()));
                let mut own = std::mem::take(members);
                fill_in(&mut own, implied.fact(at));
                let implied_queued = implied.queued(get(&own, "id"));
                if let Tree::Array(items) = &mut queued {
                    for envelope in items {
                        if let Tree::Object(envelope) = envelope {
                            for (key, value) in implied_queued.iter().cloned() {
                                if let (Some(value), None) = (value, get(envelope, key)) {
                                    envelope.push((Cow::Borrowed(key), value));
                                }
                            }
                        }
                    }
                }
                *members = vec![
                    (Cow::Borrowed("fact"), Tree::Object(own)),
                    (Cow::Borrowed("queued"), queued),
                ];
            }
            if let Some(Tree::Array(items)) = get(members, "queued") {
                for (command, envelope) in items.iter().enumerate() {
                    if let Some(id) = match envelope {
                        Tree::Object(envelope) => id_of(envelope),
                        _ => None,
                    } {
                        self.queued.insert(id, Place::Queued(index, at, command));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn golden() -> String {
        include_str!("../../../tests/golden/restaurant-rejected-not-on-menu.journal.json").into()
    }

    fn values(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn the_stored_form_expands_to_the_json_form_exactly_and_is_smaller() {
        let journal = serde_json::to_string(&values(&golden())).unwrap();
        let stored = compact(&journal).unwrap();
        assert!(
            stored.len() * 10 < journal.len() * 6,
            "{} bytes stored for {}",
            stored.len(),
            journal.len()
        );
        assert_eq!(values(&expand(&stored, 0).unwrap()), values(&journal));
        // Every run of it alone (a segment) too: commands queued before it stay whole.
        let entries: Vec<Value> = serde_json::from_str(&journal).unwrap();
        for from in 0..entries.len() {
            let part = serde_json::to_string(&entries[from..]).unwrap();
            let stored = compact(&part).unwrap();
            assert_eq!(values(&expand(&stored, from).unwrap()), values(&part));
        }
    }

    #[test]
    fn written_from_typed_entries_it_is_what_compacting_their_json_makes() {
        let read: Vec<crate::journal::ReadEntry<Value, Value, Value>> =
            serde_json::from_str(&golden()).unwrap();
        let journal: Vec<_> = read.into_iter().map(|read| read.entry).collect();
        // Read from JSON, not loaded: every fact keeps the id it was read with.
        let journal = Run::whole(&journal, crate::SeededIds::new(0));
        // Read back from JSON, a step's command is its own copy: it is written whole,
        // as `compact` does for an envelope that differs.
        let text = serde_json::to_string(&journal).unwrap();
        let whole = compact(&text).unwrap();
        assert_eq!(values(&expand(&write(journal), 0).unwrap()), values(&text));
        assert!(write(journal).len() > whole.len());
    }

    #[test]
    fn the_json_form_reads_as_stored_and_a_step_names_its_command() {
        let journal = golden();
        assert_eq!(values(&expand(&journal, 0).unwrap()), values(&journal));
        let stored = values(&compact(&journal).unwrap());
        assert_eq!(
            stored[1]["step"]["command"],
            json!("93756110bc369f73"),
            "the submitted envelope is named, not repeated"
        );
        assert_eq!(stored[1]["step"]["facts"][0]["fact"], Value::Null);
        assert_eq!(stored[1]["step"]["stream_id"], json!("restaurant-luigi"));
    }

    #[test]
    fn what_differs_from_what_is_implied_is_kept() {
        let mut journal = values(&golden());
        let fact = &mut journal[5]["step"]["facts"][0];
        fact["fact"]["causation_id"] = json!("00000000000000aa");
        fact["queued"][0]["depth"] = json!(7);
        let text = journal.to_string();
        let stored = compact(&text).unwrap();
        assert_eq!(values(&expand(&stored, 0).unwrap()), journal);
    }

    #[test]
    fn a_command_not_queued_before_its_step_is_named_by_path() {
        let stored = values(&compact(&golden()).unwrap());
        let alone = json!([stored[1]]).to_string();
        let error = expand(&alone, 1).unwrap_err();
        assert_eq!(error.path, "$[1].step.command");
        assert!(
            error.message.contains("93756110bc369f73"),
            "{}",
            error.message
        );
    }
}
