//! The [`ProcessManager`]: a saga with state of its own, so it knows what to compensate.

use crate::envelope::Fact;

/// Folds its own state from the facts it sees and reacts with commands.
///
/// The engine first evolves the state with a fact, then calls
/// [`ProcessManager::react_into`] with the new state and the same fact. Write the
/// reaction as `react_into`, adding each command to the list it is handed (`extend` takes
/// one command as `[command]`, at most one as an `Option`, or any iterator):
///
/// ```
/// use decider_core::{Fact, ProcessManager};
///
/// /// Asks for a payment for every order placed (commands, events and rejections as texts).
/// struct Payments;
///
/// impl ProcessManager for Payments {
///     type Command = String;
///     type Event = String;
///     type Rejection = String;
///     type State = ();
///     fn name(&self) -> &str {
///         "payments"
///     }
///     fn initial_state(&self) {}
///     fn evolve(&self, state: (), _fact: Fact<'_, String, String, String>) {}
///     fn react_into(
///         &self,
///         _state: &(),
///         fact: Fact<'_, String, String, String>,
///         out: &mut impl Extend<String>,
///     ) {
///         if let Fact::Event(order) = fact {
///             out.extend([format!("take payment for {order}")]);
///         }
///     }
/// }
///
/// let placed = String::from("o1");
/// assert_eq!(Payments.react(&(), Fact::Event(&placed)), ["take payment for o1"]);
/// ```
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

    /// Adds the commands `fact` causes, given the state *after* it, to `out` (e.g.
    /// `out.extend([command])`, or an `Option`, or any iterator). The engine calls this
    /// one, with its own list (whose room it reuses), so a reaction allocates no list of
    /// its own.
    fn react_into(
        &self,
        state: &Self::State,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
        out: &mut impl Extend<Self::Command>,
    );

    /// The commands `fact` causes, given the state *after* it, in a new list: what
    /// [`ProcessManager::react_into`] adds.
    fn react(
        &self,
        state: &Self::State,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
    ) -> Vec<Self::Command> {
        let mut commands = Vec::new();
        self.react_into(state, fact, &mut commands);
        commands
    }

    /// Like [`ProcessManager::react_into`], but names the issuer of each command. Merged
    /// managers override it so each command keeps the name of the part that issued it.
    fn react_named<'s>(
        &'s self,
        state: &Self::State,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
        out: &mut Vec<(&'s str, Self::Command)>,
    ) {
        self.react_into(
            state,
            fact,
            &mut Issued {
                by: self.name(),
                into: out,
            },
        );
    }
}

/// The engine's list of named reactions as the list of one reactor's commands: each
/// command added to it goes in with that reactor's name.
struct Issued<'l, 's, C> {
    /// The reactor's name.
    by: &'s str,
    /// The engine's list.
    into: &'l mut Vec<(&'s str, C)>,
}

impl<C> Extend<C> for Issued<'_, '_, C> {
    #[inline]
    fn extend<I: IntoIterator<Item = C>>(&mut self, commands: I) {
        let by = self.by;
        self.into
            .extend(commands.into_iter().map(|command| (by, command)));
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
    fn react_into(&self, _state: &(), _fact: Fact<'_, C, E, R>, _out: &mut impl Extend<C>) {}
}
