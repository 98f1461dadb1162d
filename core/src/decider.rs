//! The [`Decider`]: the pure heart of one stream (aggregate instance).

use crate::ids::StreamId;
use std::fmt;

/// Decides which events a command records, and folds events into state.
///
/// Pure: no I/O, no clock, no randomness. Time and ids come in with the command.
pub trait Decider {
    /// The intents this decider answers. Each names its stream (see [`Decider::write_stream_id`]).
    type Command;
    /// The facts this decider records.
    type Event;
    /// The state of one stream, folded from its events.
    type State: Clone;
    /// Why a command was refused; recorded as a fact and routed to sagas.
    type Rejection;

    /// The state of a stream with no events.
    fn initial_state(&self) -> Self::State;

    /// Writes the id of the stream `command` is addressed to, read from an id in the
    /// command itself, into `id` (empty when called): `id.push_str("order-");
    /// id.push_str(order_id)`. The engine hands in one buffer it reuses and looks the
    /// stream up by that text, so naming the stream of a command allocates nothing; it
    /// makes a [`StreamId`] only for a stream that has no fact yet.
    fn write_stream_id(&self, command: &Self::Command, id: &mut String);

    /// The id of the stream `command` is addressed to ([`Decider::write_stream_id`]), as
    /// a [`StreamId`] of its own: for a caller that keeps it.
    fn stream_id(&self, command: &Self::Command) -> StreamId {
        let mut id = String::with_capacity(32);
        self.write_stream_id(command, &mut id);
        StreamId::from(id.as_str())
    }

    /// The events that `command` records given `state`, or why it is refused.
    fn decide(
        &self,
        command: &Self::Command,
        state: &Self::State,
    ) -> Result<Vec<Self::Event>, Self::Rejection>;

    /// Adds the events that `command` records given `state` to `events` (e.g.
    /// `events.extend([event])`, or any iterator), or says why it is refused. The engine
    /// calls this one, with a list of its own whose room it reuses, and discards what was
    /// added when the command is refused. By default it adds what [`Decider::decide`]
    /// returns; a decider that writes it can write `decide` as the list this one fills, so
    /// that deciding in the engine allocates no list.
    fn decide_into(
        &self,
        command: &Self::Command,
        state: &Self::State,
        events: &mut impl Extend<Self::Event>,
    ) -> Result<(), Self::Rejection> {
        events.extend(self.decide(command, state)?);
        Ok(())
    }

    /// The state after `event`. Takes the state by value so folds never clone.
    fn evolve(&self, state: Self::State, event: &Self::Event) -> Self::State;

    /// What a copy of `state` costs, in copies of a state of a few words (the default,
    /// 1). Say more for a state that grows with its stream, such as a list of items
    /// (about one more for every 8 items). A time-travel checkpoint shares the live
    /// states, so the first write of a stream after one copies its state; the next
    /// checkpoint waits for 8 journal entries for each such copy, by this weight (and at
    /// most 8 × 16,384 entries), so that a long stream's copies cost a command no more
    /// than a short one's. Only where the checkpoints fall depends on it, never a state.
    fn copy_weight(&self, _state: &Self::State) -> u64 {
        1
    }

    /// Whether the stream has ended and accepts no further commands meaningfully.
    fn is_terminal(&self, _state: &Self::State) -> bool {
        false
    }

    /// Whether `event` may be recorded in `stream`, or which part's streams it belongs to.
    /// Checked wherever history enters without a command (given events, loaded journals):
    /// events a decider decides are in the stream it named. By default every stream is.
    fn check_stream(&self, _stream: &StreamId, _event: &Self::Event) -> Result<(), Misplaced> {
        Ok(())
    }

    /// The name of the part that owns `stream`, when a part declares it (see
    /// [`crate::compose::Adapt::owning`]).
    fn stream_owner(&self, _stream: &StreamId) -> Option<&'static str> {
        None
    }
}

/// An event given in a stream that is not one of its part's: which part the event belongs
/// to, the prefix of that part's streams, and which part owns the stream instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misplaced {
    /// The stream the event was given in.
    pub stream: StreamId,
    /// The part the event belongs to.
    pub event_owner: &'static str,
    /// How the names of that part's streams begin.
    pub prefix: &'static str,
    /// The part that owns `stream`, if any part declares it.
    pub stream_owner: Option<&'static str>,
}

impl fmt::Display for Misplaced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a `{}` event belongs to `{}…` streams, not `{}`",
            self.event_owner, self.prefix, self.stream
        )?;
        match self.stream_owner {
            Some(owner) => write!(f, " (owned by `{owner}`)"),
            None => write!(f, " (owned by no part)"),
        }
    }
}

impl std::error::Error for Misplaced {}

/// What `decider` decides for `command` given `state`, as the list its
/// [`Decider::decide_into`] fills: [`Decider::decide`] for a decider that writes
/// `decide_into` (a combinator routes a command to its part once, in `decide_into`).
pub fn decided<D: Decider>(
    decider: &D,
    command: &D::Command,
    state: &D::State,
) -> Result<Vec<D::Event>, D::Rejection> {
    let mut events = Vec::new();
    decider.decide_into(command, state, &mut events)?;
    Ok(events)
}

/// Folds `events` into `state` with `decider` (replay).
pub fn fold<'e, D: Decider>(
    decider: &D,
    state: D::State,
    events: impl IntoIterator<Item = &'e D::Event>,
) -> D::State
where
    D::Event: 'e,
{
    events
        .into_iter()
        .fold(state, |state, event| decider.evolve(state, event))
}
