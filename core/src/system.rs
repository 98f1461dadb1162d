//! A [`System`]: the decider, view and process manager that one engine runs together.

use crate::decider::Decider;
use crate::envelope::Fact;
use crate::process_manager::ProcessManager;
use crate::view::View;

/// The parts an engine runs, with their message types lined up.
///
/// Implemented by [`Parts`]; several deciders, views or sagas become one part each with
/// the combinators of [`crate::compose`].
pub trait System {
    /// The commands (all streams).
    type Command: Clone + 'static;
    /// The events (all streams).
    type Event: Clone + 'static;
    /// The rejections (all streams).
    type Rejection: Clone + 'static;
    /// The decider for every stream.
    type Decider: Decider<Command = Self::Command, Event = Self::Event, Rejection = Self::Rejection>;
    /// The read model(s).
    type View: View<Event = Self::Event>;
    /// The saga(s) and process manager(s).
    type Process: ProcessManager<
        Command = Self::Command,
        Event = Self::Event,
        Rejection = Self::Rejection,
    >;

    /// The decider.
    fn decider(&self) -> &Self::Decider;
    /// The view.
    fn view(&self) -> &Self::View;
    /// The process manager.
    fn process(&self) -> &Self::Process;

    /// Folds one fact into the view's read model (an event) and the process manager's
    /// state (every fact), each on its own. A system whose process manager keeps the
    /// view's read model in its state overrides it to hand the manager a share of the
    /// view's (held once, not folded twice); the states after it must be the ones this
    /// default gives.
    #[inline]
    fn fold_read_models(
        &self,
        view: &mut <Self::View as View>::State,
        process: &mut <Self::Process as ProcessManager>::State,
        fact: Fact<'_, Self::Command, Self::Event, Self::Rejection>,
    ) {
        if let Fact::Event(event) = fact {
            let state = std::mem::replace(view, self.view().initial_state());
            *view = self.view().evolve(state, event);
        }
        let state = std::mem::replace(process, self.process().initial_state());
        *process = self.process().evolve(state, fact);
    }
}

/// The state of one stream under system `Y`.
pub type StreamStateOf<Y> = <<Y as System>::Decider as Decider>::State;
/// The state of the view of system `Y`.
pub type ViewStateOf<Y> = <<Y as System>::View as View>::State;
/// The state of the process manager of system `Y`.
pub type ProcessStateOf<Y> = <<Y as System>::Process as ProcessManager>::State;

/// The plain [`System`]: a decider, a view and a process manager side by side.
#[derive(Clone, Debug, Default)]
pub struct Parts<D, V, P> {
    /// The decider.
    pub decider: D,
    /// The view.
    pub view: V,
    /// The process manager (a [`crate::saga::Stateless`] saga works too).
    pub process: P,
}

impl<D, V, P> System for Parts<D, V, P>
where
    D: Decider,
    D::Command: Clone + 'static,
    D::Event: Clone + 'static,
    D::Rejection: Clone + 'static,
    V: View<Event = D::Event>,
    P: ProcessManager<Command = D::Command, Event = D::Event, Rejection = D::Rejection>,
{
    type Command = D::Command;
    type Event = D::Event;
    type Rejection = D::Rejection;
    type Decider = D;
    type View = V;
    type Process = P;

    fn decider(&self) -> &D {
        &self.decider
    }
    fn view(&self) -> &V {
        &self.view
    }
    fn process(&self) -> &P {
        &self.process
    }
}
