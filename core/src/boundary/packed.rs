//! The journal's packed form: a run of journal entries as compact bytes, read straight
//! back into typed entries (no JSON text, no tree of values), for a store's cache of what
//! it keeps in its own, readable form (the playground's packed images of its [`stored`]
//! segments, read first when a workspace opens).
//!
//! What every fact of an entry shares (stream, first position, time, command and flow) is
//! written once, as in memory; a step whose command the same run queued names it by id
//! and shares that envelope again; a queued command leaves out the flow, cause, time and
//! depth its fact implies. Everything is written by [`bincode`] (varint integers, text
//! read in place), the commands, events and rejections by their own `Serialize`. The
//! first byte is the form's version: bytes of another version, cut short or left over do
//! not read, and a reader then goes back to the entries' own form.
//!
//! [`stored`]: super::stored

use crate::envelope::{CommandEnvelope, FactKind, Origin, SharedCommand};
use crate::ids::{FastHash, Id, SharedStr, StreamId};
use crate::journal::{Batch, GivenRecord, JournalEntry, Recorded, StepFailure, StepRecord};
use bincode::config::{Bounded, WithOtherLimit};
use bincode::de::read::SliceReader;
use bincode::{DefaultOptions, Options};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// The version of the form, its first byte.
const VERSION: u8 = 1;

/// Entry tags.
const SUBMITTED: u8 = 0;
const STEP: u8 = 1;
const GIVEN: u8 = 2;

/// A step's flags.
const FAILED: u8 = 1;
const INJECTED: u8 = 2;

/// A queued command's flags: which of what its fact implies it states.
const OWN_CORRELATION: u8 = 1;
const OWN_CAUSATION: u8 = 2;
const OWN_TIME: u8 = 4;
const OWN_DEPTH: u8 = 8;

/// What is read: varint integers, little-endian, no more bytes than there are.
type ReadOptions = WithOtherLimit<DefaultOptions, Bounded>;

/// The most items a count read makes room for before they are read (a count is only
/// trusted as far as the items are there).
const ROOM: usize = 1024;

/// The packed form of `entries` (a run of a journal).
pub fn write<C: Serialize, E: Serialize, R: Serialize>(
    entries: &[JournalEntry<C, E, R>],
) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(96 * entries.len() + 16);
    let mut out = Writer(bincode::Serializer::new(&mut bytes, DefaultOptions::new()));
    out.byte(VERSION);
    out.number(entries.len() as u64);
    let mut queued: HashMap<Id, &SharedCommand<C>, FastHash> = HashMap::default();
    for entry in entries {
        match entry {
            JournalEntry::Submitted(envelope) => {
                out.byte(SUBMITTED);
                out.envelope(envelope);
            }
            JournalEntry::Step(step) => {
                out.byte(STEP);
                out.number(step.step());
                let id = step.command.command_id;
                match queued.remove(&id) {
                    Some(known) if Arc::ptr_eq(known, &step.command) => {
                        out.byte(0);
                        out.id(id);
                    }
                    _ => {
                        out.byte(1);
                        out.envelope(&step.command);
                    }
                }
                let flags = (u8::from(step.failure().is_some()) * FAILED)
                    | (u8::from(step.injected()) * INJECTED);
                out.byte(flags);
                if let Some(failure) = step.failure() {
                    out.payload(failure);
                }
                let facts: Vec<_> = step.recorded().collect();
                out.number(facts.len() as u64);
                if let Some((first, _)) = facts.first() {
                    out.text(first.stream_id.as_str());
                    out.number(first.position);
                    out.number(first.time);
                }
                for (fact, commands) in facts {
                    out.id(fact.id);
                    out.payload(&fact.kind);
                    out.number(commands.len() as u64);
                    for command in commands {
                        out.queued(command, fact.id, fact.time, &step.command);
                    }
                }
            }
            JournalEntry::Given(given) => {
                out.byte(GIVEN);
                let facts: Vec<_> = given.facts().collect();
                out.number(facts.len() as u64);
                if let Some(first) = facts.first() {
                    out.id(first.command_id);
                    out.text(first.stream_id.as_str());
                    out.number(first.position);
                    out.number(first.time);
                }
                for fact in facts {
                    out.id(fact.id);
                    out.payload(&fact.kind);
                }
            }
        }
        // After the step's own command was looked up, as the reader meets them.
        for command in entry.queued() {
            queued.insert(command.command_id, command);
        }
    }
    bytes
}

/// The entries `bytes` (as [`write()`] wrote them) hold; why not, if they do not read.
pub fn read<C: DeserializeOwned, E: DeserializeOwned, R: DeserializeOwned>(
    bytes: &[u8],
) -> Result<Vec<JournalEntry<C, E, R>>, String> {
    let mut input = Reader::new(bytes)?;
    let count = input.count()?;
    let mut entries = Vec::with_capacity(count.min(ROOM));
    for index in 0..count {
        let entry = input
            .entry()
            .map_err(|e| format!("entry {index} of the packed run: {e}"))?;
        entries.push(entry);
    }
    if input.byte().is_ok() {
        return Err("bytes after the last entry".into());
    }
    Ok(entries)
}

/// The number of entries `bytes` say they hold (read from their head alone), if they are
/// of this version of the form.
pub fn count(bytes: &[u8]) -> Option<usize> {
    Reader::<()>::new(bytes).ok()?.count().ok()
}

/// Bytes being written.
struct Writer<'a>(bincode::Serializer<&'a mut Vec<u8>, DefaultOptions>);

impl Writer<'_> {
    /// Writes `value` (into a Vec this fails only for a value serde cannot write at all,
    /// which the JSON boundary would have refused before it reached a journal).
    fn payload<T: Serialize + ?Sized>(&mut self, value: &T) {
        let _ = value.serialize(&mut self.0);
    }

    fn byte(&mut self, byte: u8) {
        self.payload(&byte);
    }

    fn number(&mut self, n: u64) {
        self.payload(&n);
    }

    fn id(&mut self, id: Id) {
        self.number(id.0);
    }

    fn text(&mut self, text: &str) {
        self.payload(text);
    }

    fn origin(&mut self, origin: &Origin) {
        match origin {
            Origin::User => self.byte(0),
            Origin::Reactor { name } => {
                self.byte(1);
                self.text(name);
            }
        }
    }

    /// A whole envelope.
    fn envelope<C: Serialize>(&mut self, envelope: &CommandEnvelope<C>) {
        self.id(envelope.command_id);
        self.id(envelope.correlation_id);
        self.id(envelope.causation_id);
        self.number(envelope.time);
        self.origin(&envelope.origin);
        self.byte(u8::from(envelope.compensation));
        self.number(u64::from(envelope.depth));
        self.payload(&envelope.command);
    }

    /// A command the fact `fact` (at `time`, of a step of command `step`) queued, without
    /// what that implies.
    fn queued<C: Serialize>(
        &mut self,
        envelope: &CommandEnvelope<C>,
        fact: Id,
        time: u64,
        step: &CommandEnvelope<C>,
    ) {
        let depth = u64::from(step.depth) + 1;
        let flags = (u8::from(envelope.correlation_id != step.correlation_id) * OWN_CORRELATION)
            | (u8::from(envelope.causation_id != fact) * OWN_CAUSATION)
            | (u8::from(envelope.time != time) * OWN_TIME)
            | (u8::from(u64::from(envelope.depth) != depth) * OWN_DEPTH);
        self.byte(flags);
        self.id(envelope.command_id);
        if flags & OWN_CORRELATION != 0 {
            self.id(envelope.correlation_id);
        }
        if flags & OWN_CAUSATION != 0 {
            self.id(envelope.causation_id);
        }
        if flags & OWN_TIME != 0 {
            self.number(envelope.time);
        }
        if flags & OWN_DEPTH != 0 {
            self.number(u64::from(envelope.depth));
        }
        self.origin(&envelope.origin);
        self.byte(u8::from(envelope.compensation));
        self.payload(&envelope.command);
    }
}

/// Bytes being read, with what the run read so far shares.
struct Reader<'a, C> {
    input: bincode::Deserializer<SliceReader<'a>, ReadOptions>,
    /// Each stream id read, shared by every entry of the run that names it.
    streams: HashMap<&'a str, StreamId, FastHash>,
    /// The commands the run queued, until a step takes one.
    queued: HashMap<Id, SharedCommand<C>, FastHash>,
}

impl<'a, C: DeserializeOwned> Reader<'a, C> {
    /// A reader of `bytes`, past their version (which must be this one).
    fn new(bytes: &'a [u8]) -> Result<Self, String> {
        let options = DefaultOptions::new().with_limit(bytes.len() as u64);
        let mut reader = Reader {
            input: bincode::Deserializer::from_slice(bytes, options),
            streams: HashMap::default(),
            queued: HashMap::default(),
        };
        match reader.byte()? {
            VERSION => Ok(reader),
            other => Err(format!("packed form version {other}, not {VERSION}")),
        }
    }

    fn payload<T: Deserialize<'a>>(&mut self) -> Result<T, String> {
        T::deserialize(&mut self.input).map_err(|e| e.to_string())
    }

    fn byte(&mut self) -> Result<u8, String> {
        self.payload()
    }

    fn flag(&mut self) -> Result<bool, String> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(format!("{other} is not a flag")),
        }
    }

    fn number(&mut self) -> Result<u64, String> {
        self.payload()
    }

    /// A number of items (room is made for at most [`ROOM`] before they are read).
    fn count(&mut self) -> Result<usize, String> {
        let n = self.number()?;
        usize::try_from(n).map_err(|_| format!("{n} items"))
    }

    fn small(&mut self) -> Result<u32, String> {
        let n = self.number()?;
        u32::try_from(n).map_err(|_| format!("{n} does not fit 32 bits"))
    }

    fn id(&mut self) -> Result<Id, String> {
        self.number().map(Id)
    }

    fn text(&mut self) -> Result<&'a str, String> {
        self.payload()
    }

    fn stream(&mut self) -> Result<StreamId, String> {
        let text = self.text()?;
        Ok(self
            .streams
            .entry(text)
            .or_insert_with(|| StreamId::from(text))
            .clone())
    }

    fn origin(&mut self) -> Result<Origin, String> {
        match self.byte()? {
            0 => Ok(Origin::User),
            1 => Ok(Origin::Reactor {
                name: SharedStr::from(self.text()?),
            }),
            other => Err(format!("{other} is not an origin")),
        }
    }

    fn envelope(&mut self) -> Result<SharedCommand<C>, String> {
        Ok(Arc::new(CommandEnvelope {
            command_id: self.id()?,
            correlation_id: self.id()?,
            causation_id: self.id()?,
            time: self.number()?,
            origin: self.origin()?,
            compensation: self.flag()?,
            depth: self.small()?,
            command: self.payload()?,
        }))
    }

    /// A command queued by fact `fact` (at `time`) of a step of command `step`.
    fn queued(
        &mut self,
        fact: Id,
        time: u64,
        step: &CommandEnvelope<C>,
    ) -> Result<SharedCommand<C>, String> {
        let flags = self.byte()?;
        let command_id = self.id()?;
        let correlation_id = if flags & OWN_CORRELATION != 0 {
            self.id()?
        } else {
            step.correlation_id
        };
        let causation_id = if flags & OWN_CAUSATION != 0 {
            self.id()?
        } else {
            fact
        };
        let time = if flags & OWN_TIME != 0 {
            self.number()?
        } else {
            time
        };
        let depth = if flags & OWN_DEPTH != 0 {
            self.small()?
        } else {
            step.depth
                .checked_add(1)
                .ok_or("a reaction deeper than 32 bits")?
        };
        let envelope = Arc::new(CommandEnvelope {
            command_id,
            correlation_id,
            causation_id,
            time,
            origin: self.origin()?,
            compensation: self.flag()?,
            depth,
            command: self.payload()?,
        });
        self.queued.insert(command_id, envelope.clone());
        Ok(envelope)
    }

    fn entry<E: DeserializeOwned, R: DeserializeOwned>(
        &mut self,
    ) -> Result<JournalEntry<C, E, R>, String> {
        match self.byte()? {
            SUBMITTED => {
                let envelope = self.envelope()?;
                self.queued.insert(envelope.command_id, envelope.clone());
                Ok(JournalEntry::Submitted(envelope))
            }
            STEP => {
                let step = self.number()?;
                let command = match self.byte()? {
                    0 => {
                        let id = self.id()?;
                        self.queued
                            .remove(&id)
                            .ok_or_else(|| format!("step of command {id}, not queued before"))?
                    }
                    1 => self.envelope()?,
                    other => return Err(format!("{other} is not a step's command")),
                };
                let flags = self.byte()?;
                let failure: Option<Box<StepFailure<C>>> = match flags & FAILED {
                    0 => None,
                    _ => Some(Box::new(self.payload()?)),
                };
                let count = self.count()?;
                let mut facts = Vec::with_capacity(count.min(ROOM));
                let (mut stream, mut position, mut time) = (None, 0, 0);
                if count > 0 {
                    stream = Some(self.stream()?);
                    position = self.number()?;
                    time = self.number()?;
                }
                for _ in 0..count {
                    let id = self.id()?;
                    let kind: FactKind<C, E, R> = self.payload()?;
                    let queued = (0..self.count()?)
                        .map(|_| self.queued(id, time, &command))
                        .collect::<Result<_, _>>()?;
                    facts.push(Recorded { id, kind, queued });
                }
                let facts = match &stream {
                    Some(stream) => Batch::new(stream, position, time, facts),
                    None => Batch::empty(),
                };
                Ok(JournalEntry::Step(Box::new(StepRecord::new(
                    step,
                    command,
                    facts,
                    failure,
                    flags & INJECTED != 0,
                ))))
            }
            GIVEN => {
                let count = self.count()?;
                let mut facts = Vec::with_capacity(count.min(ROOM));
                let (mut command_id, mut stream, mut position, mut time) = (Id(0), None, 0, 0);
                if count > 0 {
                    command_id = self.id()?;
                    stream = Some(self.stream()?);
                    position = self.number()?;
                    time = self.number()?;
                }
                for _ in 0..count {
                    facts.push(Recorded {
                        id: self.id()?,
                        kind: self.payload()?,
                        queued: Box::default(),
                    });
                }
                let facts = match &stream {
                    Some(stream) => Batch::new(stream, position, time, facts),
                    None => Batch::empty(),
                };
                Ok(JournalEntry::Given(Box::new(GivenRecord::new(
                    command_id, facts,
                ))))
            }
            other => Err(format!("{other} is not an entry")),
        }
    }
}
