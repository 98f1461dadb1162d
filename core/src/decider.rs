//! The [`Decider`]: the pure heart of one stream (aggregate instance).

use crate::ids::StreamId;

/// Decides which events a command records, and folds events into state.
///
/// Pure: no I/O, no clock, no randomness. Time and ids come in with the command.
pub trait Decider {
    /// The intents this decider answers. Each names its stream (see [`Decider::stream_id`]).
    type Command;
    /// The facts this decider records.
    type Event;
    /// The state of one stream, folded from its events.
    type State: Clone;
    /// Why a command was refused; recorded as a fact and routed to sagas.
    type Rejection;

    /// The state of a stream with no events.
    fn initial_state(&self) -> Self::State;

    /// The stream a command is addressed to, read from an id in the command itself.
    fn stream_id(&self, command: &Self::Command) -> StreamId;

    /// The events that `command` records given `state`, or why it is refused.
    fn decide(
        &self,
        command: &Self::Command,
        state: &Self::State,
    ) -> Result<Vec<Self::Event>, Self::Rejection>;

    /// The state after `event`. Takes the state by value so folds never clone.
    fn evolve(&self, state: Self::State, event: &Self::Event) -> Self::State;

    /// Whether the stream has ended and accepts no further commands meaningfully.
    fn is_terminal(&self, _state: &Self::State) -> bool {
        false
    }
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
