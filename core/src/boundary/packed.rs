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
use crate::ids::{FastHash, Id, SeededIds, SharedStr, StreamId};
use crate::journal::{
    At, Batch, GivenRecord, JournalEntry, Named, ReadEntry, Recorded, Run, StepFailure, StepRecord,
};
use bincode::config::{Bounded, WithOtherLimit};
use bincode::de::read::SliceReader;
use bincode::{DefaultOptions, Options};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

/// The packed form of `run` (a run of a journal).
pub fn write<C: Serialize, E: Serialize, R: Serialize>(run: Run<'_, C, E, R>) -> Vec<u8> {
    let entries = run.entries();
    let mut bytes = Vec::with_capacity(96 * entries.len() + 16);
    let mut out = Writer(bincode::Serializer::new(&mut bytes, DefaultOptions::new()));
    out.byte(VERSION);
    out.number(entries.len() as u64);
    let mut queued: HashMap<Id, &SharedCommand<C>, FastHash> = HashMap::default();
    for placed in run.iter() {
        let (entry, at) = (placed.record, placed.at);
        match entry {
            JournalEntry::Submitted(envelope) => {
                out.byte(SUBMITTED);
                out.envelope(envelope);
            }
            JournalEntry::Step(step) => {
                out.byte(STEP);
                out.number(step.step());
                let id = step.command().command_id;
                match queued.remove(&id) {
                    Some(known) if SharedCommand::ptr_eq(known, step.command()) => {
                        out.byte(0);
                        out.id(id);
                    }
                    _ => {
                        out.byte(1);
                        out.envelope(step.command());
                    }
                }
                let flags = (u8::from(step.failure().is_some()) * FAILED)
                    | (u8::from(step.injected()) * INJECTED);
                out.byte(flags);
                if let Some(failure) = step.failure() {
                    out.payload(failure);
                }
                let facts: Vec<_> = step.recorded(at).collect();
                let first = facts
                    .first()
                    .map(|(f, _)| (f.stream_id, f.position, f.time));
                out.batch_head(facts.len(), first);
                for (fact, commands) in facts {
                    out.id(fact.id);
                    out.payload(&fact.kind);
                    out.number(commands.len() as u64);
                    for command in commands {
                        out.queued(command, fact.id, fact.time, step.command());
                    }
                }
            }
            JournalEntry::Given(given) => {
                out.byte(GIVEN);
                let facts: Vec<_> = given.facts(at).collect();
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

/// The entries `bytes` (as [`write()`] wrote them) hold, each with the place its facts
/// name; why not, if they do not read. `ids` are those of the engine that loads them: an
/// entry's first fact whose id they give at the place it names keeps none, as that engine
/// records it (an engine of other ids would read another id there).
pub fn read<C: DeserializeOwned, E: DeserializeOwned, R: DeserializeOwned>(
    bytes: &[u8],
    ids: SeededIds,
) -> Result<Vec<ReadEntry<C, E, R>>, String> {
    let mut input = Reader {
        input: Input::new(bytes)?,
        queued: HashMap::default(),
        ids,
    };
    let count = input.input.count()?;
    let mut entries = Vec::with_capacity(count.min(ROOM));
    for index in 0..count {
        let entry = input
            .entry()
            .map_err(|e| format!("entry {index} of the packed run: {e}"))?;
        entries.push(entry);
    }
    if input.input.byte().is_ok() {
        return Err("bytes after the last entry".into());
    }
    Ok(entries)
}

/// The number of entries `bytes` say they hold (read from their head alone), if they are
/// of this version of the form.
pub fn count(bytes: &[u8]) -> Option<usize> {
    Input::new(bytes).ok()?.count().ok()
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
        self.head(&Head::of(envelope));
        self.payload(&envelope.command);
    }

    /// What [`Writer::envelope`] writes before the command (not generic: written once,
    /// not once per domain).
    #[inline(never)]
    fn head(&mut self, head: &Head<'_>) {
        self.id(head.command_id);
        self.id(head.correlation_id);
        self.id(head.causation_id);
        self.number(u64::from(head.time));
        self.origin(head.origin);
        self.byte(u8::from(head.compensation));
        self.number(u64::from(head.depth));
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
        self.queued_head(&Head::of(envelope), fact, time, &Head::of(step));
        self.payload(&envelope.command);
    }

    /// What [`Writer::queued`] writes before the command (not generic).
    #[inline(never)]
    fn queued_head(&mut self, envelope: &Head<'_>, fact: Id, time: u64, step: &Head<'_>) {
        let depth = u64::from(step.depth) + 1;
        let flags = (u8::from(envelope.correlation_id != step.correlation_id) * OWN_CORRELATION)
            | (u8::from(envelope.causation_id != fact) * OWN_CAUSATION)
            | (u8::from(u64::from(envelope.time) != time) * OWN_TIME)
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
            self.number(u64::from(envelope.time));
        }
        if flags & OWN_DEPTH != 0 {
            self.number(u64::from(envelope.depth));
        }
        self.origin(envelope.origin);
        self.byte(u8::from(envelope.compensation));
    }

    /// A run of facts' shared part: their number, then the stream, first position and time
    /// of the first (`None`: there is no fact). Not generic.
    #[inline(never)]
    fn batch_head(&mut self, count: usize, first: Option<(&StreamId, u64, u64)>) {
        self.number(count as u64);
        if let Some((stream, position, time)) = first {
            self.text(stream.as_str());
            self.number(position);
            self.number(time);
        }
    }
}

/// An envelope's fields but its command: what the framing of the form reads and writes
/// without knowing the domain's command type.
struct Head<'o> {
    command_id: Id,
    correlation_id: Id,
    causation_id: Id,
    time: u32,
    origin: &'o Origin,
    compensation: bool,
    depth: u16,
}

impl<'o> Head<'o> {
    fn of<C>(envelope: &'o CommandEnvelope<C>) -> Self {
        Head {
            command_id: envelope.command_id,
            correlation_id: envelope.correlation_id,
            causation_id: envelope.causation_id,
            time: envelope.time,
            origin: &envelope.origin,
            compensation: envelope.compensation,
            depth: envelope.depth,
        }
    }
}

/// Bytes being read: the framing of the form, which does not know the domain's types
/// (compiled once, not once per domain).
struct Input<'a> {
    input: bincode::Deserializer<SliceReader<'a>, ReadOptions>,
    /// Each stream id read, shared by every entry of the run that names it.
    streams: HashMap<&'a str, StreamId, FastHash>,
}

impl<'a> Input<'a> {
    /// An input of `bytes`, past their version (which must be this one).
    fn new(bytes: &'a [u8]) -> Result<Self, String> {
        let options = DefaultOptions::new().with_limit(bytes.len() as u64);
        let mut input = Input {
            input: bincode::Deserializer::from_slice(bytes, options),
            streams: HashMap::default(),
        };
        match input.byte()? {
            VERSION => Ok(input),
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

    /// A command's time, which its envelope keeps in 32 bits.
    fn time(&mut self) -> Result<u32, String> {
        let n = self.number()?;
        narrow_time(n)
    }

    /// A command's depth, which its envelope keeps in 16 bits.
    fn depth(&mut self) -> Result<u16, String> {
        let n = self.number()?;
        u16::try_from(n).map_err(|_| format!("a command's depth {n} does not fit 16 bits"))
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

    /// A whole envelope's fields before its command (the command is `()`).
    #[inline(never)]
    fn head(&mut self) -> Result<CommandEnvelope<()>, String> {
        Ok(CommandEnvelope {
            command_id: self.id()?,
            correlation_id: self.id()?,
            causation_id: self.id()?,
            time: self.time()?,
            origin: self.origin()?,
            compensation: self.flag()?,
            depth: self.depth()?,
            command: (),
        })
    }

    /// The fields before its command of an envelope queued by fact `fact` (at `time`) of a
    /// step of a command in flow `correlation_id` at `depth` (the command is `()`).
    #[inline(never)]
    fn queued_head(
        &mut self,
        fact: Id,
        time: u64,
        (correlation_id, depth): (Id, u16),
    ) -> Result<CommandEnvelope<()>, String> {
        let flags = self.byte()?;
        let command_id = self.id()?;
        let correlation_id = if flags & OWN_CORRELATION != 0 {
            self.id()?
        } else {
            correlation_id
        };
        let causation_id = if flags & OWN_CAUSATION != 0 {
            self.id()?
        } else {
            fact
        };
        let time = if flags & OWN_TIME != 0 {
            self.time()?
        } else {
            narrow_time(time)?
        };
        let depth = if flags & OWN_DEPTH != 0 {
            self.depth()?
        } else {
            depth
                .checked_add(1)
                .ok_or("a reaction's depth does not fit 16 bits")?
        };
        Ok(CommandEnvelope {
            command_id,
            correlation_id,
            causation_id,
            time,
            origin: self.origin()?,
            compensation: self.flag()?,
            depth,
            command: (),
        })
    }

    /// A step's run of facts, their shared part: how many, and the stream, first position
    /// and time of the first (no stream when there is no fact).
    #[inline(never)]
    fn batch_head(&mut self) -> Result<(usize, Option<StreamId>, u64, u64), String> {
        let count = self.count()?;
        if count == 0 {
            return Ok((0, None, 0, 0));
        }
        Ok((count, Some(self.stream()?), self.number()?, self.number()?))
    }
}

/// A command's time read as `time`, which its envelope keeps in 32 bits.
fn narrow_time(time: u64) -> Result<u32, String> {
    u32::try_from(time).map_err(|_| format!("a command's time {time} does not fit 32 bits"))
}

/// `head`'s fields around `command`.
pub(super) fn enveloped<C>(head: CommandEnvelope<()>, command: C) -> SharedCommand<C> {
    let CommandEnvelope {
        command_id,
        correlation_id,
        causation_id,
        time,
        origin,
        compensation,
        depth,
        command: (),
    } = head;
    SharedCommand::new(CommandEnvelope {
        command_id,
        correlation_id,
        causation_id,
        time,
        origin,
        compensation,
        depth,
        command,
    })
}

/// Entries being read: the framing's [`Input`] and the commands the run queued, until a
/// step takes one.
struct Reader<'a, C> {
    input: Input<'a>,
    queued: HashMap<Id, SharedCommand<C>, FastHash>,
    /// The ids of the engine that loads the entries.
    ids: SeededIds,
}

impl<'a, C: DeserializeOwned> Reader<'a, C> {
    fn envelope(&mut self) -> Result<SharedCommand<C>, String> {
        let head = self.input.head()?;
        Ok(enveloped(head, self.input.payload()?))
    }

    /// A command queued by fact `fact` (at `time`) of a step of a command in flow
    /// `step.0` at depth `step.1`.
    fn queued(&mut self, fact: Id, time: u64, step: (Id, u16)) -> Result<SharedCommand<C>, String> {
        let head = self.input.queued_head(fact, time, step)?;
        let command_id = head.command_id;
        let envelope = enveloped(head, self.input.payload()?);
        self.queued.insert(command_id, envelope.clone());
        Ok(envelope)
    }

    /// The batch of `facts` read in `stream` (none: no fact) at `time` and `position`, and
    /// the place they name.
    fn batch<E, R>(
        &self,
        stream: Option<StreamId>,
        time: u64,
        position: u64,
        facts: Vec<Recorded<C, E, R>>,
    ) -> (Batch<C, E, R>, Option<Named>) {
        let Some(stream) = stream else {
            return (Batch::empty(), None);
        };
        let ids = self.ids;
        let at = At {
            time,
            position,
            ids,
        };
        (
            Batch::new(&stream, Some(at), facts),
            Some(Named { time, position }),
        )
    }

    fn entry<E: DeserializeOwned, R: DeserializeOwned>(
        &mut self,
    ) -> Result<ReadEntry<C, E, R>, String> {
        match self.input.byte()? {
            SUBMITTED => {
                let envelope = self.envelope()?;
                self.queued.insert(envelope.command_id, envelope.clone());
                Ok(JournalEntry::Submitted(envelope).into())
            }
            STEP => {
                let step = self.input.number()?;
                let command = match self.input.byte()? {
                    0 => {
                        let id = self.input.id()?;
                        self.queued
                            .remove(&id)
                            .ok_or_else(|| format!("step of command {id}, not queued before"))?
                    }
                    1 => self.envelope()?,
                    other => return Err(format!("{other} is not a step's command")),
                };
                let flags = self.input.byte()?;
                let failure: Option<Box<StepFailure<C>>> = match flags & FAILED {
                    0 => None,
                    _ => Some(Box::new(self.input.payload()?)),
                };
                let (count, stream, position, time) = self.input.batch_head()?;
                let mut facts = Vec::with_capacity(count.min(ROOM));
                let step_of = (command.correlation_id, command.depth);
                for _ in 0..count {
                    let id = self.input.id()?;
                    let kind: FactKind<C, E, R> = self.input.payload()?;
                    let queued = (0..self.input.count()?)
                        .map(|_| self.queued(id, time, step_of))
                        .collect::<Result<_, _>>()?;
                    facts.push(Recorded { id, kind, queued });
                }
                let (facts, at) = self.batch(stream, time, position, facts);
                let step = StepRecord::new(step, command, facts, failure, flags & INJECTED != 0);
                Ok(ReadEntry {
                    entry: JournalEntry::Step(Box::new(step)),
                    at,
                })
            }
            GIVEN => {
                let input = &mut self.input;
                let count = input.count()?;
                let mut facts = Vec::with_capacity(count.min(ROOM));
                let (mut command_id, mut stream, mut position, mut time) = (Id(0), None, 0, 0);
                if count > 0 {
                    command_id = input.id()?;
                    stream = Some(input.stream()?);
                    position = input.number()?;
                    time = input.number()?;
                }
                for _ in 0..count {
                    facts.push(Recorded {
                        id: input.id()?,
                        kind: input.payload()?,
                        queued: Box::default(),
                    });
                }
                let (facts, at) = self.batch(stream, time, position, facts);
                Ok(ReadEntry {
                    entry: JournalEntry::Given(Box::new(GivenRecord::new(command_id, facts))),
                    at,
                })
            }
            other => Err(format!("{other} is not an entry")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of one submitted command whose time and depth are `time` and `depth`.
    fn submitted(time: u64, depth: u64) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut out = Writer(bincode::Serializer::new(&mut bytes, DefaultOptions::new()));
        out.byte(VERSION);
        out.number(1);
        out.byte(SUBMITTED);
        for id in [Id(3); 3] {
            out.id(id);
        }
        out.number(time);
        out.origin(&Origin::User);
        out.byte(0);
        out.number(depth);
        out.payload(&7_u32);
        bytes
    }

    #[test]
    fn a_time_or_depth_an_envelope_cannot_hold_is_refused_not_truncated() {
        type Entries = Vec<ReadEntry<u32, (), ()>>;
        let fits = read::<u32, (), ()>(
            &submitted(u64::from(u32::MAX), u64::from(u16::MAX)),
            SeededIds::new(0),
        );
        let fits: Entries = fits.expect("the widest time and depth read");
        let JournalEntry::Submitted(envelope) = &fits[0].entry else {
            panic!("a submission");
        };
        assert_eq!((envelope.time, envelope.depth), (u32::MAX, u16::MAX));
        assert_eq!(
            read::<u32, (), ()>(&submitted(1 << 32, 0), SeededIds::new(0))
                .err()
                .as_deref(),
            Some("entry 0 of the packed run: a command's time 4294967296 does not fit 32 bits")
        );
        assert_eq!(
            read::<u32, (), ()>(&submitted(0, 1 << 16), SeededIds::new(0))
                .err()
                .as_deref(),
            Some("entry 0 of the packed run: a command's depth 65536 does not fit 16 bits")
        );
    }
}
