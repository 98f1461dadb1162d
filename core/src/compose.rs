//! Composition: several deciders as one (sums of messages, product of states), merged
//! views and process managers, and adapters that map messages and state.

use crate::decider::{decided, Decider, Misplaced};
use crate::envelope::Fact;
use crate::ids::StreamId;
use crate::process_manager::ProcessManager;
use crate::view::View;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// One of two message types: the sum used by [`Combine`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum Sum<L, R> {
    /// A message of the first part.
    Left(L),
    /// A message of the second part.
    Right(R),
}

/// A list of outer events as a list of a part's own: each event added to it goes in
/// mapped (a part's [`Decider::decide_into`] adds to the composed decider's list).
struct Mapped<'l, L, F>(&'l mut L, F);

impl<T, U, L: Extend<U>, F: FnMut(T) -> U> Extend<T> for Mapped<'_, L, F> {
    #[inline]
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        self.0.extend(items.into_iter().map(&mut self.1));
    }
}

/// Two deciders as one: commands, events and rejections are [`Sum`]s, state is a pair.
/// Each command goes to its own part and gives exactly that part's answer.
#[derive(Clone, Debug, Default)]
pub struct Combine<A, B>(pub A, pub B);

impl<A: Decider, B: Decider> Decider for Combine<A, B> {
    type Command = Sum<A::Command, B::Command>;
    type Event = Sum<A::Event, B::Event>;
    type State = (A::State, B::State);
    type Rejection = Sum<A::Rejection, B::Rejection>;

    fn initial_state(&self) -> Self::State {
        (self.0.initial_state(), self.1.initial_state())
    }

    fn write_stream_id(&self, command: &Self::Command, id: &mut String) {
        match command {
            Sum::Left(c) => self.0.write_stream_id(c, id),
            Sum::Right(c) => self.1.write_stream_id(c, id),
        }
    }

    fn decide(
        &self,
        command: &Self::Command,
        state: &Self::State,
    ) -> Result<Vec<Self::Event>, Self::Rejection> {
        decided(self, command, state)
    }

    fn decide_into(
        &self,
        command: &Self::Command,
        state: &Self::State,
        events: &mut impl Extend<Self::Event>,
    ) -> Result<(), Self::Rejection> {
        match command {
            Sum::Left(c) => self
                .0
                .decide_into(c, &state.0, &mut Mapped(events, Sum::Left))
                .map_err(Sum::Left),
            Sum::Right(c) => self
                .1
                .decide_into(c, &state.1, &mut Mapped(events, Sum::Right))
                .map_err(Sum::Right),
        }
    }

    fn evolve(&self, (a, b): Self::State, event: &Self::Event) -> Self::State {
        match event {
            Sum::Left(e) => (self.0.evolve(a, e), b),
            Sum::Right(e) => (a, self.1.evolve(b, e)),
        }
    }

    fn is_terminal(&self, state: &Self::State) -> bool {
        self.0.is_terminal(&state.0) && self.1.is_terminal(&state.1)
    }

    /// The heavier part's: two states of a few words weigh one, as one does.
    fn copy_weight(&self, state: &Self::State) -> u64 {
        let a = self.0.copy_weight(&state.0);
        a.max(self.1.copy_weight(&state.1))
    }

    fn check_stream(&self, stream: &StreamId, event: &Self::Event) -> Result<(), Misplaced> {
        match event {
            Sum::Left(e) => self.0.check_stream(stream, e),
            Sum::Right(e) => self.1.check_stream(stream, e),
        }
    }

    fn stream_owner(&self, stream: &StreamId) -> Option<&'static str> {
        self.0
            .stream_owner(stream)
            .or_else(|| self.1.stream_owner(stream))
    }
}

/// Two views or two process managers over the same messages, run side by side; the state
/// is a pair. Each command a merged manager issues keeps the name of the part that issued it.
#[derive(Clone, Debug, Default)]
pub struct Merge<A, B>(pub A, pub B);

impl<A: View, B: View<Event = A::Event>> View for Merge<A, B> {
    type Event = A::Event;
    type State = (A::State, B::State);

    fn initial_state(&self) -> Self::State {
        (self.0.initial_state(), self.1.initial_state())
    }

    fn evolve(&self, (a, b): Self::State, event: &Self::Event) -> Self::State {
        (self.0.evolve(a, event), self.1.evolve(b, event))
    }
}

impl<A, B> ProcessManager for Merge<A, B>
where
    A: ProcessManager,
    B: ProcessManager<Command = A::Command, Event = A::Event, Rejection = A::Rejection>,
{
    type Command = A::Command;
    type Event = A::Event;
    type Rejection = A::Rejection;
    type State = (A::State, B::State);

    fn name(&self) -> &str {
        "merged"
    }

    fn initial_state(&self) -> Self::State {
        (self.0.initial_state(), self.1.initial_state())
    }

    fn evolve(
        &self,
        (a, b): Self::State,
        fact: Fact<'_, A::Command, A::Event, A::Rejection>,
    ) -> Self::State {
        (self.0.evolve(a, fact), self.1.evolve(b, fact))
    }

    fn react_into(
        &self,
        state: &Self::State,
        fact: Fact<'_, A::Command, A::Event, A::Rejection>,
        out: &mut impl Extend<A::Command>,
    ) {
        self.0.react_into(&state.0, fact, out);
        self.1.react_into(&state.1, fact, out);
    }

    fn react_named<'s>(
        &'s self,
        state: &Self::State,
        fact: Fact<'_, A::Command, A::Event, A::Rejection>,
        out: &mut Vec<(&'s str, A::Command)>,
    ) {
        self.0.react_named(&state.0, fact, out);
        self.1.react_named(&state.1, fact, out);
    }
}

/// The outer message types an [`Adapt`] maps to (for variance only).
type Outer<C, E, R> = fn(&C) -> (E, R);

/// A decider that knows which messages of a shared message type are its own, so that
/// several of them can share one command and event enum under [`Route`].
pub trait Routed: Decider {
    /// Whether `command` is for this decider.
    fn accepts_command(&self, command: &Self::Command) -> bool;
    /// Whether `event` is this decider's.
    fn accepts_event(&self, event: &Self::Event) -> bool;
}

/// Several deciders over one command, event and rejection type (each usually an
/// [`Adapt`] of a decider with its own types): a command goes to the first part that
/// accepts it. Nest it for more parts: `Route(a, Route(b, c))`.
///
/// Each stream belongs to one part (the parts' stream ids must not overlap), so a
/// stream's state is that part's state alone ([`Part`]). Parts that declare their streams
/// ([`Adapt::owning`]) refuse history given in another part's stream
/// ([`Decider::check_stream`]), so no stream ever holds two parts' events.
#[derive(Clone, Debug, Default)]
pub struct Route<A, B>(pub A, pub B);

/// The state of a stream under a [`Route`]: no event yet, or the state of the part that
/// owns the stream. Serializes as that part's state (`null` when empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Part<A, B> {
    /// No event yet.
    Empty,
    /// The stream belongs to the first part.
    First(A),
    /// The stream belongs to the second part.
    Second(B),
}

impl<A, B> Decider for Route<A, B>
where
    A: Routed,
    B: Routed<Command = A::Command, Event = A::Event, Rejection = A::Rejection>,
{
    type Command = A::Command;
    type Event = A::Event;
    type State = Part<A::State, B::State>;
    type Rejection = A::Rejection;

    fn initial_state(&self) -> Self::State {
        Part::Empty
    }

    fn write_stream_id(&self, command: &A::Command, id: &mut String) {
        if self.0.accepts_command(command) {
            self.0.write_stream_id(command, id)
        } else {
            self.1.write_stream_id(command, id)
        }
    }

    fn decide(
        &self,
        command: &A::Command,
        state: &Self::State,
    ) -> Result<Vec<A::Event>, A::Rejection> {
        decided(self, command, state)
    }

    fn decide_into(
        &self,
        command: &A::Command,
        state: &Self::State,
        events: &mut impl Extend<A::Event>,
    ) -> Result<(), A::Rejection> {
        match (self.0.accepts_command(command), state) {
            (true, Part::First(a)) => self.0.decide_into(command, a, events),
            (true, _) => self.0.decide_into(command, &self.0.initial_state(), events),
            (false, Part::Second(b)) => self.1.decide_into(command, b, events),
            (false, _) => self.1.decide_into(command, &self.1.initial_state(), events),
        }
    }

    /// Folds `event` into the state of the part it belongs to. An event of the other part
    /// than the one whose state the stream holds leaves the state unchanged (never a
    /// reset): the engine cannot record one, since a part's events are decided in the
    /// part's own streams and given or loaded history passes [`Decider::check_stream`].
    fn evolve(&self, state: Self::State, event: &A::Event) -> Self::State {
        match (self.0.accepts_event(event), state) {
            (true, Part::First(a)) => Part::First(self.0.evolve(a, event)),
            (true, Part::Empty) => Part::First(self.0.evolve(self.0.initial_state(), event)),
            (false, Part::Second(b)) => Part::Second(self.1.evolve(b, event)),
            (false, Part::Empty) => Part::Second(self.1.evolve(self.1.initial_state(), event)),
            (_, other) => other,
        }
    }

    fn is_terminal(&self, state: &Self::State) -> bool {
        match state {
            Part::Empty => false,
            Part::First(a) => self.0.is_terminal(a),
            Part::Second(b) => self.1.is_terminal(b),
        }
    }

    fn copy_weight(&self, state: &Self::State) -> u64 {
        match state {
            Part::Empty => 1,
            Part::First(a) => self.0.copy_weight(a),
            Part::Second(b) => self.1.copy_weight(b),
        }
    }

    /// Asks the part `event` belongs to, and names the part that owns `stream` instead.
    fn check_stream(&self, stream: &StreamId, event: &A::Event) -> Result<(), Misplaced> {
        let checked = if self.0.accepts_event(event) {
            self.0.check_stream(stream, event)
        } else {
            self.1.check_stream(stream, event)
        };
        checked.map_err(|misplaced| Misplaced {
            stream_owner: misplaced.stream_owner.or_else(|| self.stream_owner(stream)),
            ..misplaced
        })
    }

    fn stream_owner(&self, stream: &StreamId) -> Option<&'static str> {
        self.0
            .stream_owner(stream)
            .or_else(|| self.1.stream_owner(stream))
    }
}

impl<A, B> Routed for Route<A, B>
where
    A: Routed,
    B: Routed<Command = A::Command, Event = A::Event, Rejection = A::Rejection>,
{
    fn accepts_command(&self, command: &A::Command) -> bool {
        self.0.accepts_command(command) || self.1.accepts_command(command)
    }
    fn accepts_event(&self, event: &A::Event) -> bool {
        self.0.accepts_event(event) || self.1.accepts_event(event)
    }
}

/// An [`Adapt`] built from plain functions, so its type can be named (in a `type` alias
/// of a domain's system): `D` lifted into the outer types `C`, `E`, `R`.
pub type Lift<D, C, E, R> = Adapt<
    D,
    C,
    E,
    R,
    fn(&C) -> Option<&<D as Decider>::Command>,
    fn(<D as Decider>::Event) -> E,
    fn(&E) -> Option<&<D as Decider>::Event>,
    fn(<D as Decider>::Rejection) -> R,
>;

/// Maps a decider's messages and state to other types: commands in through `command`
/// (`None`: not this decider's), events out through `event_out` and back in through
/// `event_in`, rejections out through `rejection`.
///
/// This is how a domain gives several deciders one command and event enum of its own.
/// Build it with [`Adapt::new`], and declare the streams it owns with [`Adapt::owning`].
///
/// A command `command` does not map is not this decider's (a [`Route`] never gives it
/// one, unless no part takes it): it is addressed to the empty stream id, which no
/// decider names, and records nothing.
pub struct Adapt<D, C, E, R, FC, FEo, FEi, FR> {
    /// The adapted decider.
    pub decider: D,
    /// Outer command to inner command.
    pub command: FC,
    /// Inner event to outer event.
    pub event_out: FEo,
    /// Outer event to inner event (`None`: not this decider's).
    pub event_in: FEi,
    /// Inner rejection to outer rejection.
    pub rejection: FR,
    /// The streams this decider owns, when declared.
    streams: Option<Streams>,
    outer: PhantomData<Outer<C, E, R>>,
}

/// The streams an [`Adapt`] owns: the name of its part and how the stream ids begin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Streams {
    owner: &'static str,
    prefix: &'static str,
}

impl Streams {
    fn own(&self, stream: &StreamId) -> bool {
        stream.as_bytes().starts_with(self.prefix.as_bytes())
    }
}

impl<D, C, E, R, FC, FEo, FEi, FR> Adapt<D, C, E, R, FC, FEo, FEi, FR> {
    /// Adapts `decider` with the four mappings.
    pub fn new(decider: D, command: FC, event_out: FEo, event_in: FEi, rejection: FR) -> Self {
        Adapt {
            decider,
            command,
            event_out,
            event_in,
            rejection,
            streams: None,
            outer: PhantomData,
        }
    }

    /// Declares that this decider, the part named `owner`, owns exactly the streams whose
    /// ids begin with `prefix` (`"order-"`): its events given in any other stream are
    /// refused ([`Decider::check_stream`]), and [`Decider::stream_owner`] names it.
    pub fn owning(self, owner: &'static str, prefix: &'static str) -> Self {
        Adapt {
            streams: Some(Streams { owner, prefix }),
            ..self
        }
    }
}

impl<D, C, E, R, FC, FEo, FEi, FR> Decider for Adapt<D, C, E, R, FC, FEo, FEi, FR>
where
    D: Decider,
    FC: Fn(&C) -> Option<&D::Command>,
    FEo: Fn(D::Event) -> E,
    FEi: Fn(&E) -> Option<&D::Event>,
    FR: Fn(D::Rejection) -> R,
{
    type Command = C;
    type Event = E;
    type State = D::State;
    type Rejection = R;

    fn initial_state(&self) -> D::State {
        self.decider.initial_state()
    }

    fn write_stream_id(&self, command: &C, id: &mut String) {
        if let Some(inner) = (self.command)(command) {
            self.decider.write_stream_id(inner, id);
        }
    }

    fn decide(&self, command: &C, state: &D::State) -> Result<Vec<E>, R> {
        decided(self, command, state)
    }

    fn decide_into(
        &self,
        command: &C,
        state: &D::State,
        events: &mut impl Extend<E>,
    ) -> Result<(), R> {
        let Some(inner) = (self.command)(command) else {
            return Ok(());
        };
        self.decider
            .decide_into(inner, state, &mut Mapped(events, &self.event_out))
            .map_err(&self.rejection)
    }

    fn evolve(&self, state: D::State, event: &E) -> D::State {
        match (self.event_in)(event) {
            Some(inner) => self.decider.evolve(state, inner),
            None => state,
        }
    }

    fn is_terminal(&self, state: &D::State) -> bool {
        self.decider.is_terminal(state)
    }

    fn copy_weight(&self, state: &D::State) -> u64 {
        self.decider.copy_weight(state)
    }

    /// Refuses this decider's event in a stream it does not own (when declared), then
    /// asks the adapted decider; another decider's event is not this one's to judge.
    fn check_stream(&self, stream: &StreamId, event: &E) -> Result<(), Misplaced> {
        let Some(inner) = (self.event_in)(event) else {
            return Ok(());
        };
        match self.streams {
            Some(streams) if !streams.own(stream) => Err(Misplaced {
                stream: stream.clone(),
                event_owner: streams.owner,
                prefix: streams.prefix,
                stream_owner: None,
            }),
            _ => self.decider.check_stream(stream, inner),
        }
    }

    fn stream_owner(&self, stream: &StreamId) -> Option<&'static str> {
        match self.streams {
            Some(streams) if streams.own(stream) => Some(streams.owner),
            _ => self.decider.stream_owner(stream),
        }
    }
}

impl<D, C, E, R, FC, FEo, FEi, FR> Routed for Adapt<D, C, E, R, FC, FEo, FEi, FR>
where
    D: Decider,
    FC: Fn(&C) -> Option<&D::Command>,
    FEo: Fn(D::Event) -> E,
    FEi: Fn(&E) -> Option<&D::Event>,
    FR: Fn(D::Rejection) -> R,
{
    fn accepts_command(&self, command: &C) -> bool {
        (self.command)(command).is_some()
    }
    fn accepts_event(&self, event: &E) -> bool {
        (self.event_in)(event).is_some()
    }
}

/// Maps a decider's state to another type and back (`to` after folding, `from` before).
pub struct MapState<D, FTo, FFrom> {
    /// The adapted decider.
    pub decider: D,
    /// Inner state to outer state.
    pub to: FTo,
    /// Outer state to inner state.
    pub from: FFrom,
}

impl<D, S, FTo, FFrom> Decider for MapState<D, FTo, FFrom>
where
    D: Decider,
    S: Clone,
    FTo: Fn(D::State) -> S,
    FFrom: Fn(&S) -> D::State,
{
    type Command = D::Command;
    type Event = D::Event;
    type State = S;
    type Rejection = D::Rejection;

    fn initial_state(&self) -> S {
        (self.to)(self.decider.initial_state())
    }
    fn write_stream_id(&self, command: &D::Command, id: &mut String) {
        self.decider.write_stream_id(command, id)
    }
    fn decide(&self, command: &D::Command, state: &S) -> Result<Vec<D::Event>, D::Rejection> {
        self.decider.decide(command, &(self.from)(state))
    }
    fn decide_into(
        &self,
        command: &D::Command,
        state: &S,
        events: &mut impl Extend<D::Event>,
    ) -> Result<(), D::Rejection> {
        self.decider
            .decide_into(command, &(self.from)(state), events)
    }
    fn evolve(&self, state: S, event: &D::Event) -> S {
        (self.to)(self.decider.evolve((self.from)(&state), event))
    }
    fn is_terminal(&self, state: &S) -> bool {
        self.decider.is_terminal(&(self.from)(state))
    }
    fn check_stream(&self, stream: &StreamId, event: &D::Event) -> Result<(), Misplaced> {
        self.decider.check_stream(stream, event)
    }
    fn stream_owner(&self, stream: &StreamId) -> Option<&'static str> {
        self.decider.stream_owner(stream)
    }
}
