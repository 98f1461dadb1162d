//! The stateless [`Saga`]: reacts to each fact with commands.

use crate::envelope::Fact;
use crate::process_manager::ProcessManager;

/// Turns facts (events and rejections) into commands, without state of its own.
///
/// Reacting to [`Fact::Rejected`] is how a saga compensates: the engine marks the
/// commands it emits for a rejection as compensations.
pub trait Saga {
    /// The commands it issues.
    type Command;
    /// The events it reacts to.
    type Event;
    /// The rejections it reacts to.
    type Rejection;

    /// The saga's name, recorded as the origin of every command it issues.
    fn name(&self) -> &str;

    /// The commands that `fact` causes.
    fn react(
        &self,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
    ) -> Vec<Self::Command>;
}

/// Runs a [`Saga`] where a [`ProcessManager`] is expected (its state is `()`).
pub struct Stateless<S>(pub S);

impl<S: Saga> ProcessManager for Stateless<S> {
    type Command = S::Command;
    type Event = S::Event;
    type Rejection = S::Rejection;
    type State = ();

    fn name(&self) -> &str {
        self.0.name()
    }
    fn initial_state(&self) {}
    fn evolve(&self, state: (), _fact: Fact<'_, S::Command, S::Event, S::Rejection>) {
        state
    }
    fn react(
        &self,
        _state: &(),
        fact: Fact<'_, S::Command, S::Event, S::Rejection>,
    ) -> Vec<S::Command> {
        self.0.react(fact)
    }
}
