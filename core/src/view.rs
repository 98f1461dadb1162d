//! The [`View`]: a read model folded from the events of one or more streams.

/// A read model (the Q of CQRS): pure fold over events.
pub trait View {
    /// The events this view follows.
    type Event;
    /// The read model.
    type State: Clone;

    /// The read model before any event.
    fn initial_state(&self) -> Self::State;

    /// The read model after `event`; takes the state by value so folds never clone.
    fn evolve(&self, state: Self::State, event: &Self::Event) -> Self::State;
}

/// A view that follows nothing, for systems without read models.
pub struct NoView<E>(std::marker::PhantomData<fn(&E)>);

impl<E> Default for NoView<E> {
    fn default() -> Self {
        NoView(std::marker::PhantomData)
    }
}

impl<E> View for NoView<E> {
    type Event = E;
    type State = ();
    fn initial_state(&self) {}
    fn evolve(&self, state: (), _event: &E) -> Self::State {
        state
    }
}
