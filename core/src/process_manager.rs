//! The [`ProcessManager`]: a saga with state of its own, so it knows what to compensate.

use crate::envelope::Fact;

/// Folds its own state from the facts it sees and reacts with commands.
///
/// The engine first evolves the state with a fact, then calls [`ProcessManager::react`]
/// with the new state and the same fact.
pub trait ProcessManager {
    /// The commands it issues.
    type Command;
    /// The events it follows.
    type Event;
    /// The rejections it follows.
    type Rejection;
    /// Its own state (usually keyed by the id of the process it tracks).
    type State: Clone;

    /// The manager's name, recorded as the origin of every command it issues.
    fn name(&self) -> &str;

    /// The state before any fact.
    fn initial_state(&self) -> Self::State;

    /// The state after `fact`.
    fn evolve(
        &self,
        state: Self::State,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
    ) -> Self::State;

    /// The commands `fact` causes, given the state *after* it.
    fn react(
        &self,
        state: &Self::State,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
    ) -> Vec<Self::Command>;

    /// Like [`ProcessManager::react`], but names the issuer of each command. Merged
    /// managers override it so each command keeps the name of the part that issued it.
    fn react_named<'s>(
        &'s self,
        state: &Self::State,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
        out: &mut Vec<(&'s str, Self::Command)>,
    ) {
        let commands = self.react(state, fact);
        // Most facts cause no command: their (empty) list is dropped as it came.
        if !commands.is_empty() {
            let name = self.name();
            out.extend(commands.into_iter().map(|c| (name, c)));
        }
    }
}

/// A process manager that never reacts, for systems without sagas.
pub struct NoProcess<C, E, R>(std::marker::PhantomData<fn(&C, &E, &R)>);

impl<C, E, R> Default for NoProcess<C, E, R> {
    fn default() -> Self {
        NoProcess(std::marker::PhantomData)
    }
}

impl<C, E, R> ProcessManager for NoProcess<C, E, R> {
    type Command = C;
    type Event = E;
    type Rejection = R;
    type State = ();
    fn name(&self) -> &str {
        "none"
    }
    fn initial_state(&self) {}
    fn evolve(&self, state: (), _fact: Fact<'_, C, E, R>) {
        state
    }
    fn react(&self, _state: &(), _fact: Fact<'_, C, E, R>) -> Vec<C> {
        Vec::new()
    }
}
