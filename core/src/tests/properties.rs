//! Property tests: replay equals live, fork equals prefix, determinism, crash safety,
//! and the composition law.

use super::domain::*;
use crate::boundary::projection_json;
use crate::compose::{Adapt, Combine, Lift, Part, Route, Sum};
use crate::decider::{fold, Decider};
use crate::store::EventStore;
use crate::{Engine, EngineConfig, JournalEntry, Projection, ReadEntry, StepRecord, StreamId};
use proptest::prelude::*;
use std::sync::Arc;

/// What a user does: submit a command, or let the engine take one step.
#[derive(Clone, Debug)]
enum Op {
    Submit(Cmd),
    Step,
}

fn command() -> impl Strategy<Value = Cmd> {
    (0u8..4, -30i32..60).prop_map(|(counter, amount)| add(counter, amount))
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            command().prop_map(Op::Submit),
            Just(Op::Step),
            Just(Op::Step)
        ],
        0..40,
    )
}

fn config(seed: u64) -> EngineConfig {
    EngineConfig {
        seed,
        snapshot_every: 3,
        ..EngineConfig::default()
    }
}

fn apply(engine: &mut Engine<System>, op: &Op) {
    match op {
        Op::Submit(c) => {
            engine.submit(c.clone());
        }
        Op::Step => {
            engine.step();
        }
    }
}

fn run(seed: u64, ops: &[Op]) -> Engine<System> {
    let mut engine = Engine::new(system(), config(seed));
    for op in ops {
        apply(&mut engine, op);
    }
    engine.run_until_idle(10_000);
    engine
}

fn json(p: &Projection<System>) -> serde_json::Value {
    projection_json(p)
}

fn journal_json(engine: &Engine<System>) -> String {
    serde_json::to_string(&engine.journal_run()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn replaying_the_log_from_scratch_equals_the_live_state(ops in ops(), seed in any::<u64>()) {
        let engine = run(seed, &ops);
        // Streams: fold each stream's events straight from the store.
        for (stream, live) in engine.state().streams.iter() {
            let events: Vec<Ev> = engine.facts(0).filter(|f| f.stream_id == stream).filter_map(|f| f.event().cloned()).collect();
            prop_assert_eq!(fold(&Counter, Counter.initial_state(), &events), live.state);
            prop_assert_eq!(events.len() as u64, live.version);
        }
        // Everything (view, process manager, queue): rebuild from the journal.
        let rebuilt = Engine::from_journal(Arc::new(system()), config(seed), engine.journal().iter().cloned()).unwrap();
        prop_assert_eq!(json(rebuilt.state()), json(engine.state()));
        let head = engine.timeline().head();
        prop_assert_eq!(json(&engine.at_position(head)), json(engine.state()));
    }

    #[test]
    fn a_fork_at_any_position_equals_the_prefix(ops in ops(), cut in any::<prop::sample::Index>()) {
        let engine = run(1, &ops);
        let head = engine.timeline().head();
        let position = cut.index(head as usize + 1) as u64;
        let fork = engine.fork_at(position);
        let entries = engine.timeline().entries_through_position(position);
        prop_assert_eq!(json(fork.state()), json(&engine.timeline().at_entry(engine.system(), &engine.state().streams, entries)));
        let original: Vec<_> = engine.facts(0).take(fork.store().head() as usize).collect();
        let forked: Vec<_> = fork.facts(0).collect();
        prop_assert_eq!(forked, original);
        prop_assert!(fork.store().head() >= position);
        // Time travel to a position shows exactly the facts before it.
        let at = engine.at_position(position);
        prop_assert_eq!(at.position, position);
        let total: i32 = at.streams.values().map(|s| s.state).sum();
        let expected: i32 = engine.facts(0).take(position as usize)
            .filter_map(|f| f.event()).map(|Ev::Added { amount, .. }| amount).sum();
        prop_assert_eq!(total, expected);
    }

    #[test]
    fn the_same_inputs_give_a_byte_identical_log(ops in ops(), seed in any::<u64>()) {
        prop_assert_eq!(journal_json(&run(seed, &ops)), journal_json(&run(seed, &ops)));
    }

    #[test]
    fn rebuilding_after_any_entry_and_continuing_loses_and_repeats_nothing(
        ops in ops(),
        crash in any::<prop::sample::Index>(),
    ) {
        let uninterrupted = run(9, &ops);
        let crash = crash.index(ops.len() + 1);
        let mut first = Engine::new(system(), config(9));
        for op in &ops[..crash] {
            apply(&mut first, op);
        }
        // What a durable store kept: every entry, through JSON.
        let stored: Vec<ReadEntry<Cmd, Ev, Rej>> =
            serde_json::from_str(&journal_json(&first)).unwrap();
        drop(first);
        let mut resumed = Engine::from_journal(Arc::new(system()), config(9), stored).unwrap();
        for op in &ops[crash..] {
            apply(&mut resumed, op);
        }
        resumed.run_until_idle(10_000);
        prop_assert_eq!(journal_json(&resumed), journal_json(&uninterrupted));
    }

    #[test]
    fn a_combined_decider_answers_each_part_as_that_part_alone(
        history in prop::collection::vec((any::<bool>(), -30i32..60), 0..20),
        left in any::<bool>(),
        amount in -30i32..120,
    ) {
        let both = Combine(Counter, Counter);
        let mut state = both.initial_state();
        let (mut a, mut b) = (0, 0);
        for (is_left, n) in &history {
            let e = added(0, *n);
            if *is_left {
                state = both.evolve(state, &Sum::Left(e.clone()));
                a = Counter.evolve(a, &e);
            } else {
                state = both.evolve(state, &Sum::Right(e.clone()));
                b = Counter.evolve(b, &e);
            }
        }
        prop_assert_eq!(&state, &(a, b));
        let c = add(0, amount);
        let outer = if left { Sum::Left(c.clone()) } else { Sum::Right(c.clone()) };
        let alone = if left {
            Counter.decide(&c, &a).map(|es| es.into_iter().map(Sum::Left).collect()).map_err(Sum::Left)
        } else {
            Counter.decide(&c, &b).map(|es| es.into_iter().map(Sum::Right).collect()).map_err(Sum::Right)
        };
        prop_assert_eq!(decided_into(&both, &outer, &state), alone.clone());
        prop_assert_eq!(both.decide(&outer, &state), alone);
        prop_assert_eq!(both.stream_id(&Sum::Left(c.clone())), StreamId::from("counter-0"));
    }
}

/// What `decider` adds to a list of its own for `command` ([`Decider::decide_into`]), as
/// [`Decider::decide`] gives it.
fn decided_into<D: Decider>(
    decider: &D,
    command: &D::Command,
    state: &D::State,
) -> Result<Vec<D::Event>, D::Rejection> {
    let mut events = Vec::new();
    decider
        .decide_into(command, state, &mut events)
        .map(|()| events)
}

pub(super) fn left_command(c: &Sum<Cmd, Cmd>) -> Option<&Cmd> {
    match c {
        Sum::Left(c) => Some(c),
        Sum::Right(_) => None,
    }
}

pub(super) fn right_command(c: &Sum<Cmd, Cmd>) -> Option<&Cmd> {
    match c {
        Sum::Right(c) => Some(c),
        Sum::Left(_) => None,
    }
}

pub(super) fn left_event(e: &Sum<Ev, Ev>) -> Option<&Ev> {
    match e {
        Sum::Left(e) => Some(e),
        Sum::Right(_) => None,
    }
}

pub(super) fn right_event(e: &Sum<Ev, Ev>) -> Option<&Ev> {
    match e {
        Sum::Right(e) => Some(e),
        Sum::Left(_) => None,
    }
}

pub(super) type Side = Lift<Counter, Sum<Cmd, Cmd>, Sum<Ev, Ev>, Sum<Rej, Rej>>;

pub(super) fn routed() -> Route<Side, Side> {
    Route(
        Adapt::new(Counter, left_command, Sum::Left, left_event, Sum::Left),
        Adapt::new(Counter, right_command, Sum::Right, right_event, Sum::Right),
    )
}

proptest! {
    #[test]
    fn a_routed_decider_answers_each_part_as_that_part_alone(
        history in prop::collection::vec((any::<bool>(), -30i32..60), 0..20),
        left in any::<bool>(),
        amount in -30i32..120,
    ) {
        let route = routed();
        let wrap = |left: bool, e: Ev| if left { Sum::Left(e) } else { Sum::Right(e) };
        // One stream holds one part's events.
        let events: Vec<Sum<Ev, Ev>> = history.iter().map(|(_, n)| wrap(left, added(0, *n))).collect();
        let state = fold(&route, route.initial_state(), &events);
        let total: i32 = history.iter().map(|(_, n)| n).sum();
        let expected = match (history.is_empty(), left) {
            (true, _) => Part::Empty,
            (false, true) => Part::First(total),
            (false, false) => Part::Second(total),
        };
        prop_assert_eq!(&state, &expected);
        let c = add(0, amount);
        let outer = if left { Sum::Left(c.clone()) } else { Sum::Right(c.clone()) };
        let inner_state = total;
        let alone = Counter
            .decide(&c, &inner_state)
            .map(|es| es.into_iter().map(|e| wrap(left, e)).collect::<Vec<_>>())
            .map_err(|r| if left { Sum::Left(r) } else { Sum::Right(r) });
        prop_assert_eq!(decided_into(&route, &outer, &state), alone.clone());
        prop_assert_eq!(route.decide(&outer, &state), alone);
        prop_assert_eq!(route.stream_id(&outer), StreamId::from("counter-0"));
    }
}

fn given_fact() -> impl Strategy<Value = crate::spec::GivenFact<Cmd, Ev, Rej>> {
    use crate::spec::GivenFact;
    prop_oneof![
        (0u8..4, -30i32..60).prop_map(|(c, n)| GivenFact::Event(added(c, n))),
        (0u8..4, 1i32..60)
            .prop_map(|(c, n)| GivenFact::Rejected(add(c, n), Rej::OverCap { total: 101 })),
    ]
}

proptest! {
    #[test]
    fn merged_views_and_process_managers_behave_as_their_parts_side_by_side(
        facts in prop::collection::vec(given_fact(), 0..30),
    ) {
        use crate::compose::Merge;
        use crate::saga::{Saga, Stateless};
        use crate::spec::GivenFact;
        use crate::{ProcessManager, View};
        let events: Vec<&Ev> = facts.iter().filter_map(|f| match f {
            GivenFact::Event(e) => Some(e),
            GivenFact::Rejected(..) => None,
        }).collect();
        let views = Merge(Totals, Totals);
        let merged = events.iter().fold(views.initial_state(), |s, e| views.evolve(s, e));
        let alone = events.iter().fold(Totals.initial_state(), |s, e| Totals.evolve(s, e));
        prop_assert_eq!(merged, (alone.clone(), alone));

        let both = Merge(Stateless(Forward), Compensate);
        let (mut merged, mut own) = (both.initial_state(), Compensate.initial_state());
        for f in &facts {
            merged = both.evolve(merged, f.as_fact());
            own = Compensate.evolve(own, f.as_fact());
            let mut named = Vec::new();
            both.react_named(&merged, f.as_fact(), &mut named);
            let expected: Vec<(&str, Cmd)> = Forward.react(f.as_fact()).into_iter().map(|c| ("forward", c))
                .chain(Compensate.react(&own, f.as_fact()).into_iter().map(|c| ("compensate", c)))
                .collect();
            prop_assert_eq!(named, expected);
        }
        prop_assert_eq!(merged.1, own);
    }
}

proptest! {
    #[test]
    fn a_state_mapped_decider_decides_and_folds_as_the_original(
        history in prop::collection::vec(-30i32..60, 0..20),
        amount in -30i32..120,
    ) {
        use crate::compose::MapState;
        // The counter's total as text, to prove the mapping is used both ways.
        let mapped = MapState {
            decider: Counter,
            to: |total: i32| total.to_string(),
            from: |text: &String| text.parse::<i32>().expect("written by `to`"),
        };
        let events: Vec<Ev> = history.iter().map(|n| added(0, *n)).collect();
        let text = fold(&mapped, mapped.initial_state(), &events);
        let total = fold(&Counter, Counter.initial_state(), &events);
        prop_assert_eq!(&text, &total.to_string());
        let c = add(0, amount);
        prop_assert_eq!(decided_into(&mapped, &c, &text), Counter.decide(&c, &total));
        prop_assert_eq!(mapped.decide(&c, &text), Counter.decide(&c, &total));
        prop_assert_eq!(mapped.is_terminal(&text), Counter.is_terminal(&total));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// The trace found through the command index holds exactly the steps a scan of the
    /// whole journal finds for the flow, and a rebuilt engine draws the same traces.
    #[test]
    fn a_flow_trace_holds_exactly_the_flows_steps(ops in ops(), seed in any::<u64>()) {
        let mut engine = Engine::new(system(), config(seed));
        for op in &ops {
            apply(&mut engine, op);
        }
        let rebuilt = Engine::from_journal(
            Arc::new(system()),
            config(seed),
            engine.journal().iter().cloned(),
        )
        .unwrap();
        for entry in engine.journal() {
            let JournalEntry::Submitted(root) = entry else { continue };
            let flow = root.command_id;
            let mut scanned: Vec<u64> = engine
                .journal()
                .iter()
                .filter_map(JournalEntry::as_step)
                .filter(|s| s.command().correlation_id == flow)
                .map(StepRecord::step)
                .collect();
            let trace = engine.trace(flow).unwrap();
            let mut traced = Vec::new();
            trace.root.visit(&mut |n| traced.extend(n.step));
            scanned.sort_unstable();
            traced.sort_unstable();
            prop_assert_eq!(traced, scanned);
            prop_assert_eq!(Some(trace), rebuilt.trace(flow));
        }
    }
}
