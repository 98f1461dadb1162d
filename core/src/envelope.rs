//! Envelopes: the metadata every command and every recorded fact carries.
//!
//! Correlation and causation are first-class fields: the correlation id names the user
//! action that started a whole flow, the causation id the message that directly caused
//! this one. They are what makes the causal [`crate::Trace`] possible.

use crate::ids::{Id, SharedStr, StreamId};
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Who issued a command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A person (or a script) submitted it.
    User,
    /// A saga or process manager issued it in reaction to a fact.
    Reactor {
        /// The saga's or process manager's name.
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        name: SharedStr,
    },
}

/// A command with its metadata, as it sits in the queue (the outbox).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct CommandEnvelope<C> {
    /// This command's id; submitting the same id twice queues it once.
    pub command_id: Id,
    /// The id of the user command that started the flow (its own id for a user command).
    pub correlation_id: Id,
    /// The id of the message that directly caused it (its own id for a user command).
    pub causation_id: Id,
    /// Logical time at which it was queued (the journal length then; never a clock).
    /// 32 bits: a journal read with a time beyond them is refused, never truncated (JSON:
    /// the error names the field's path; the packed form: the entry's index), and an
    /// engine stops (panics) rather than queue a command at its 2³²th entry.
    pub time: u32,
    /// Who issued it.
    pub origin: Origin,
    /// Whether it was issued in reaction to a rejection (a compensating command).
    pub compensation: bool,
    /// Reaction hops from the user command (0 for a user command); bounds cascades. 16
    /// bits: the engine's bound ([`crate::EngineConfig::max_depth`]) is 8 bits, and a
    /// journal whose depth does not fit is refused when it is read, as `time` is.
    pub depth: u16,
    /// The command itself.
    pub command: C,
}

/// A command envelope shared by every record that holds it (queue, journal, trace): one
/// allocation per command however many places refer to it. A [`triomphe::Arc`], whose
/// allocation keeps the count beside the envelope and no weak count (no record holds a
/// weak reference): a word less than the standard `Arc`'s, 8 bytes a command natively.
/// Made with `SharedCommand::new`, compared by address with `SharedCommand::ptr_eq`.
pub type SharedCommand<C> = triomphe::Arc<CommandEnvelope<C>>;

/// A fact as a saga or process manager sees it: an event, or a refused command.
#[derive(Debug, PartialEq)]
pub enum Fact<'a, C, E, R> {
    /// An event was recorded.
    Event(&'a E),
    /// `command` was refused for `reason`.
    Rejected {
        /// The refused command.
        command: &'a C,
        /// Why it was refused.
        reason: &'a R,
    },
}

impl<C, E, R> Clone for Fact<'_, C, E, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, E, R> Copy for Fact<'_, C, E, R> {}

/// What a recorded fact says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FactKind<C, E, R> {
    /// An event, the `stream_version`-th of its stream (1-based).
    Event {
        /// The stream's version after this event.
        stream_version: u64,
        /// The event.
        event: E,
    },
    /// A refused command. Does not change the stream's version.
    Rejected {
        /// The refused command.
        command: C,
        /// Why it was refused.
        reason: R,
    },
}

/// A fact in the global log, with all its metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct RecordedFact<C, E, R> {
    /// Global position (0-based, gap-free, over events and rejections alike).
    pub position: u64,
    /// The stream the command was addressed to.
    pub stream_id: StreamId,
    /// The event id (or rejection id).
    pub id: Id,
    /// The command that recorded it.
    pub command_id: Id,
    /// The flow it belongs to.
    pub correlation_id: Id,
    /// The message that directly caused it (the command).
    pub causation_id: Id,
    /// Logical time of the step that recorded it.
    pub time: u64,
    /// The event or the rejection.
    pub kind: FactKind<C, E, R>,
}

impl<C, E, R> RecordedFact<C, E, R> {
    /// The fact as a borrowed view, the form the journal hands out.
    pub fn borrowed(&self) -> FactRef<'_, C, E, R> {
        FactRef {
            position: self.position,
            stream_id: &self.stream_id,
            id: self.id,
            command_id: self.command_id,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            time: self.time,
            kind: self.kind.borrowed(),
        }
    }

    /// The fact as sagas see it.
    pub fn as_fact(&self) -> Fact<'_, C, E, R> {
        self.kind.as_fact()
    }

    /// The event, if this fact is one.
    pub fn event(&self) -> Option<&E> {
        self.kind.event()
    }

    /// Whether this fact is a rejection.
    pub fn is_rejection(&self) -> bool {
        self.kind.is_rejection()
    }
}

/// A recorded fact as the journal holds it: the fact's own data (its id and kind)
/// borrowed, and the metadata every fact of its journal entry shares (stream, time,
/// command, flow) filled in from the entry. Serializes exactly as [`RecordedFact`].
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct FactRef<'a, C, E, R> {
    /// Global position (0-based, gap-free, over events and rejections alike).
    pub position: u64,
    /// The stream the command was addressed to.
    pub stream_id: &'a StreamId,
    /// The event id (or rejection id).
    pub id: Id,
    /// The command that recorded it.
    pub command_id: Id,
    /// The flow it belongs to.
    pub correlation_id: Id,
    /// The message that directly caused it (the command).
    pub causation_id: Id,
    /// Logical time of the step that recorded it.
    pub time: u64,
    /// The event or the rejection.
    pub kind: FactKindRef<'a, C, E, R>,
}

impl<C, E, R> Clone for FactRef<'_, C, E, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, E, R> Copy for FactRef<'_, C, E, R> {}

impl<'a, C, E, R> FactRef<'a, C, E, R> {
    /// The fact as sagas see it.
    pub fn as_fact(&self) -> Fact<'a, C, E, R> {
        self.kind.as_fact()
    }

    /// The event, if this fact is one.
    pub fn event(&self) -> Option<&'a E> {
        self.kind.event()
    }

    /// Whether this fact is a rejection.
    pub fn is_rejection(&self) -> bool {
        self.kind.is_rejection()
    }

    /// An owned copy (the event, or the refused command and reason, cloned).
    pub fn to_recorded(&self) -> RecordedFact<C, E, R>
    where
        C: Clone,
        E: Clone,
        R: Clone,
    {
        RecordedFact {
            position: self.position,
            stream_id: self.stream_id.clone(),
            id: self.id,
            command_id: self.command_id,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            time: self.time,
            kind: self.kind.cloned(),
        }
    }
}

/// What a recorded fact says, borrowed from where the journal keeps it (which need not be a
/// [`FactKind`]: a journal keeps a rejection apart, so that the rare rejection, as big as a
/// command and its reason, does not size every record). Serializes exactly as [`FactKind`].
#[derive(Debug, PartialEq, Eq, Serialize)]
#[serde(rename = "FactKind", rename_all = "snake_case")]
pub enum FactKindRef<'a, C, E, R> {
    /// An event, the `stream_version`-th of its stream (1-based).
    Event {
        /// The stream's version after this event.
        stream_version: u64,
        /// The event.
        event: &'a E,
    },
    /// A refused command. Does not change the stream's version.
    Rejected {
        /// The refused command.
        command: &'a C,
        /// Why it was refused.
        reason: &'a R,
    },
}

impl<C, E, R> Clone for FactKindRef<'_, C, E, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, E, R> Copy for FactKindRef<'_, C, E, R> {}

impl<'a, C, E, R> FactKindRef<'a, C, E, R> {
    /// The fact as sagas see it.
    pub fn as_fact(&self) -> Fact<'a, C, E, R> {
        match *self {
            FactKindRef::Event { event, .. } => Fact::Event(event),
            FactKindRef::Rejected { command, reason } => Fact::Rejected { command, reason },
        }
    }

    /// The event, if this is one.
    pub fn event(&self) -> Option<&'a E> {
        match *self {
            FactKindRef::Event { event, .. } => Some(event),
            FactKindRef::Rejected { .. } => None,
        }
    }

    /// Whether this is a rejection.
    pub fn is_rejection(&self) -> bool {
        matches!(self, FactKindRef::Rejected { .. })
    }

    /// An owned copy (the event, or the refused command and reason, cloned).
    pub fn cloned(&self) -> FactKind<C, E, R>
    where
        C: Clone,
        E: Clone,
        R: Clone,
    {
        match *self {
            FactKindRef::Event {
                stream_version,
                event,
            } => FactKind::Event {
                stream_version,
                event: event.clone(),
            },
            FactKindRef::Rejected { command, reason } => FactKind::Rejected {
                command: command.clone(),
                reason: reason.clone(),
            },
        }
    }
}

impl<C, E, R> FactKind<C, E, R> {
    /// The kind, borrowed.
    pub fn borrowed(&self) -> FactKindRef<'_, C, E, R> {
        match self {
            FactKind::Event {
                stream_version,
                event,
            } => FactKindRef::Event {
                stream_version: *stream_version,
                event,
            },
            FactKind::Rejected { command, reason } => FactKindRef::Rejected { command, reason },
        }
    }

    /// The fact as sagas see it.
    pub fn as_fact(&self) -> Fact<'_, C, E, R> {
        match self {
            FactKind::Event { event, .. } => Fact::Event(event),
            FactKind::Rejected { command, reason } => Fact::Rejected { command, reason },
        }
    }

    /// The event, if this is one.
    pub fn event(&self) -> Option<&E> {
        match self {
            FactKind::Event { event, .. } => Some(event),
            FactKind::Rejected { .. } => None,
        }
    }

    /// Whether this is a rejection.
    pub fn is_rejection(&self) -> bool {
        matches!(self, FactKind::Rejected { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_keeps_its_time_depth_and_flag_in_one_word() {
        use std::mem::size_of;
        // Three ids (24 bytes), the origin, then time, depth and flag (4 + 2 + 1) in one
        // word, before a 32-byte command: 72 bytes on 64 bits and in wasm32 alike.
        assert_eq!(size_of::<Origin>(), size_of::<usize>());
        assert_eq!(size_of::<CommandEnvelope<[u64; 4]>>(), 72);
    }

    #[test]
    fn a_borrowed_kind_is_written_exactly_as_the_owned_one_and_clones_back_to_it() {
        let kinds: [FactKind<String, Vec<u32>, (u8, bool)>; 2] = [
            FactKind::Event {
                stream_version: 7,
                event: vec![1, 2],
            },
            FactKind::Rejected {
                command: "c".into(),
                reason: (3, true),
            },
        ];
        for kind in kinds {
            let borrowed = kind.borrowed();
            assert_eq!(
                serde_json::to_string(&borrowed).expect("JSON"),
                serde_json::to_string(&kind).expect("JSON")
            );
            assert_eq!(borrowed.cloned(), kind);
            assert_eq!(borrowed.is_rejection(), kind.is_rejection());
            assert_eq!(borrowed.event(), kind.event());
        }
    }
}
