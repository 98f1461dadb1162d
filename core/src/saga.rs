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

    /// Adds the commands that `fact` causes to `out`. The engine calls this one
    /// ([`ProcessManager::react_into`]), with its own list.
    fn react_into(
        &self,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
        out: &mut impl Extend<Self::Command>,
    );

    /// The commands that `fact` causes, in a new list: what [`Saga::react_into`] adds.
    fn react(
        &self,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
    ) -> Vec<Self::Command> {
        let mut commands = Vec::new();
        self.react_into(fact, &mut commands);
        commands
    }
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
    fn react_into(
        &self,
        _state: &(),
        fact: Fact<'_, S::Command, S::Event, S::Rejection>,
        out: &mut impl Extend<S::Command>,
    ) {
        self.0.react_into(fact, out)
    }
}
