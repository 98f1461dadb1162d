//! Given/when/then specifications for deciders, views, process managers and whole engine
//! flows, with a readable line diff when an expectation fails.
//!
//! Each `then_*` panics with the diff (for `#[test]`s); tools that must not panic
//! (the scenario runner) call [`diff`] themselves.

mod line_diff;

use crate::decider::{fold, Decider};
use crate::engine::{Engine, EngineConfig};
use crate::envelope::{Fact, FactKindRef};
use crate::ids::StreamId;
use crate::process_manager::ProcessManager;
use crate::system::{StreamStateOf, System, ViewStateOf};
use crate::view::View;
use std::fmt::Debug;

/// `None` when `expected == actual`, else a unified line diff of their pretty `Debug`
/// forms (`-` expected, `+` actual).
pub fn diff<T: Debug + PartialEq + ?Sized>(expected: &T, actual: &T) -> Option<String> {
    if expected == actual {
        return None;
    }
    Some(text_diff(
        &format!("{expected:#?}\n"),
        &format!("{actual:#?}\n"),
    ))
}

/// A unified line diff of two texts (`-` expected, `+` actual).
pub fn text_diff(expected: &str, actual: &str) -> String {
    line_diff::unified(expected, actual)
}

#[track_caller]
fn assert_same<T: Debug + PartialEq + ?Sized>(what: &str, expected: &T, actual: &T) {
    if let Some(d) = diff(expected, actual) {
        panic!("then {what}: expected (-) differs from actual (+)\n{d}");
    }
}

/// A decider given some events.
pub struct DeciderSpec<'d, D: Decider> {
    decider: &'d D,
    state: D::State,
}

impl<'d, D: Decider> DeciderSpec<'d, D> {
    /// Given these past events of the stream.
    pub fn given(decider: &'d D, events: &[D::Event]) -> Self {
        DeciderSpec {
            decider,
            state: fold(decider, decider.initial_state(), events),
        }
    }

    /// When this command is decided.
    pub fn when(self, command: &D::Command) -> DecisionOutcome<'d, D> {
        let result = self.decider.decide(command, &self.state);
        DecisionOutcome {
            decider: self.decider,
            state: self.state,
            result,
        }
    }
}

/// What a decider decided, to assert on.
pub struct DecisionOutcome<'d, D: Decider> {
    decider: &'d D,
    state: D::State,
    /// The decision.
    pub result: Result<Vec<D::Event>, D::Rejection>,
}

impl<D: Decider> DecisionOutcome<'_, D>
where
    D::Event: Debug + PartialEq,
    D::Rejection: Debug + PartialEq,
{
    /// Then exactly these events are recorded.
    #[track_caller]
    pub fn then_events(self, expected: &[D::Event]) -> Self {
        match &self.result {
            Ok(events) => assert_same("events", expected, &events[..]),
            Err(r) => {
                panic!("then events: expected {expected:#?}\nbut the command was rejected: {r:#?}")
            }
        }
        self
    }

    /// Then the command is rejected for this reason.
    #[track_caller]
    pub fn then_rejected(self, expected: &D::Rejection) -> Self {
        match &self.result {
            Err(reason) => assert_same("rejection", expected, reason),
            Ok(events) => panic!(
                "then rejection: expected {expected:#?}\nbut events were recorded: {events:#?}"
            ),
        }
        self
    }

    /// Then the stream's state after the new events is this.
    #[track_caller]
    pub fn then_state(self, expected: &D::State) -> Self
    where
        D::State: Debug + PartialEq,
    {
        let events = self.result.as_deref().unwrap_or(&[]);
        let after = fold(self.decider, self.state.clone(), events);
        assert_same("state", expected, &after);
        self
    }
}

/// Then a view folded over `events` is `expected`.
#[track_caller]
pub fn view_then<V: View>(view: &V, events: &[V::Event], expected: &V::State)
where
    V::State: Debug + PartialEq,
{
    let state = events
        .iter()
        .fold(view.initial_state(), |s, e| view.evolve(s, e));
    assert_same("view", expected, &state);
}

/// An owned fact, for writing process manager specs.
#[derive(Clone, Debug, PartialEq)]
pub enum GivenFact<C, E, R> {
    /// An event.
    Event(E),
    /// A command refused for a reason.
    Rejected(C, R),
}

impl<C, E, R> GivenFact<C, E, R> {
    /// The fact as sagas see it.
    pub fn as_fact(&self) -> Fact<'_, C, E, R> {
        match self {
            GivenFact::Event(e) => Fact::Event(e),
            GivenFact::Rejected(command, reason) => Fact::Rejected { command, reason },
        }
    }
}

/// Given the facts `given`, when `when` happens, then the process manager (or a saga in
/// [`crate::saga::Stateless`]) issues exactly `expected`.
#[track_caller]
pub fn process_then<P: ProcessManager>(
    process: &P,
    given: &[GivenFact<P::Command, P::Event, P::Rejection>],
    when: &GivenFact<P::Command, P::Event, P::Rejection>,
    expected: &[P::Command],
) where
    P::Command: Debug + PartialEq,
{
    let state = given.iter().fold(process.initial_state(), |s, f| {
        process.evolve(s, f.as_fact())
    });
    let state = process.evolve(state, when.as_fact());
    let issued = process.react(&state, when.as_fact());
    assert_same("commands", expected, &issued[..]);
}

/// A whole engine flow: given history, when commands, then what the run recorded.
pub struct FlowSpec<Y: System> {
    engine: Engine<Y>,
    mark: u64,
}

impl<Y: System> FlowSpec<Y> {
    /// A flow over `system` with default bounds and seed 0.
    pub fn new(system: Y) -> Self {
        FlowSpec {
            engine: Engine::new(system, EngineConfig::default()),
            mark: 0,
        }
    }

    /// Given these past events of `stream` (no saga reacts to them).
    pub fn given(mut self, stream: &str, events: impl IntoIterator<Item = Y::Event>) -> Self {
        self.engine
            .given(&StreamId::from(stream), events)
            .expect("given history fits its stream (an in-memory store has no other writer)");
        self.mark = self.engine.timeline().head();
        self
    }

    /// When these user commands are submitted and the engine runs until idle.
    pub fn when(mut self, commands: impl IntoIterator<Item = Y::Command>) -> Self {
        for command in commands {
            self.engine.submit(command);
        }
        self.engine.run_until_idle(100_000);
        self
    }

    /// The engine, for assertions the DSL does not cover.
    pub fn engine(&self) -> &Engine<Y> {
        &self.engine
    }

    fn recorded(
        &self,
    ) -> impl Iterator<Item = FactKindRef<'_, Y::Command, Y::Event, Y::Rejection>> {
        self.engine.facts(self.mark).map(|f| f.kind)
    }

    /// Then the run recorded exactly these events, in order (all streams).
    #[track_caller]
    pub fn then_events(self, expected: &[Y::Event]) -> Self
    where
        Y::Event: Debug + PartialEq,
    {
        let events: Vec<Y::Event> = self
            .recorded()
            .filter_map(|k| match k {
                FactKindRef::Event { event, .. } => Some(event.clone()),
                FactKindRef::Rejected { .. } => None,
            })
            .collect();
        assert_same("events", expected, &events[..]);
        self
    }

    /// Then the run recorded exactly these rejections, in order.
    #[track_caller]
    pub fn then_rejections(self, expected: &[Y::Rejection]) -> Self
    where
        Y::Rejection: Debug + PartialEq,
    {
        let reasons: Vec<Y::Rejection> = self
            .recorded()
            .filter_map(|k| match k {
                FactKindRef::Rejected { reason, .. } => Some(reason.clone()),
                FactKindRef::Event { .. } => None,
            })
            .collect();
        assert_same("rejections", expected, &reasons[..]);
        self
    }

    /// Then sagas and process managers issued exactly these commands, in order.
    #[track_caller]
    pub fn then_commands(self, expected: &[Y::Command]) -> Self
    where
        Y::Command: Debug + PartialEq,
    {
        let issued: Vec<Y::Command> = self
            .engine
            .journal()
            .iter()
            .filter_map(|e| e.as_step())
            .flat_map(|s| s.queued().map(|c| c.command.clone()))
            .collect();
        assert_same("commands", expected, &issued[..]);
        self
    }

    /// Then `stream`'s state is `expected`.
    #[track_caller]
    pub fn then_stream(self, stream: &str, expected: &StreamStateOf<Y>) -> Self
    where
        StreamStateOf<Y>: Debug + PartialEq,
    {
        let state = self
            .engine
            .state()
            .stream(self.engine.system(), &StreamId::from(stream));
        assert_same("stream state", expected, &state.state);
        self
    }

    /// Then the view's read model is `expected`.
    #[track_caller]
    pub fn then_view(self, expected: &ViewStateOf<Y>) -> Self
    where
        ViewStateOf<Y>: Debug + PartialEq,
    {
        assert_same("view", expected, &self.engine.state().view);
        self
    }
}
