//! Engine behaviour on the tiny domain: flows, compensation, bounds, traces, specs.

use super::domain::*;
use crate::boundary::{DynDomain, TypedDomain};
use crate::envelope::{FactKind, FactKindRef, Origin};
use crate::envelope::{FactRef, RecordedFact};
use crate::journal::StepFailure;
use crate::saga::Stateless;
use crate::spec::{process_then, view_then, DeciderSpec, FlowSpec, GivenFact};
use crate::store::{Conflict, EventStore};
use crate::view::NoView;
use crate::{Engine, EngineConfig, EngineError, Parts, StreamId};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

#[test]
fn every_fact_of_a_stream_shares_the_id_made_for_its_first() {
    // The engine names a command's stream with the text the decider writes and makes a
    // `StreamId` only for a stream that has no fact yet: every later fact (an event or
    // a rejection) and the live stream share that one id.
    let mut engine = Engine::new(system(), EngineConfig::default());
    for amount in [5, -50, 2] {
        engine.submit(add(3, amount));
    }
    engine.run_until_idle(100);
    let facts: Vec<_> = engine.facts(0).collect();
    assert_eq!(facts.len(), 3);
    assert!(facts[1].is_rejection(), "the second command is refused");
    let live = engine.state().streams.keys().next().expect("one stream");
    assert_eq!(live.as_str(), "counter-3");
    for fact in &facts {
        assert_eq!(fact.stream_id, live);
        assert_eq!(fact.stream_id.addr(), live.addr(), "#{}", fact.position);
    }
}

#[test]
fn a_forwarded_amount_flows_through_three_counters_with_metadata() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    let user = engine.submit(add(0, 10));
    let summary = engine.run_until_idle(100);
    assert!(summary.idle);
    assert_eq!(summary.steps, 4, "counter 0, then forwarded to 1, 2 and 3");
    let facts: Vec<RecordedFact<Cmd, Ev, Rej>> = engine.facts(0).map(|f| f.to_recorded()).collect();
    let counters: Vec<&str> = facts.iter().map(|f| f.stream_id.as_str()).collect();
    assert_eq!(
        counters,
        ["counter-0", "counter-1", "counter-2", "counter-3"]
    );
    for (i, fact) in facts.iter().enumerate() {
        assert_eq!(fact.position, i as u64);
        assert_eq!(
            fact.correlation_id, user,
            "every fact belongs to the user's flow"
        );
        assert_eq!(
            fact.causation_id, fact.command_id,
            "an event is caused by its command"
        );
    }
    // Each forwarded command is caused by the previous event and issued by the saga.
    let steps: Vec<_> = engine
        .journal_run()
        .iter()
        .filter_map(|e| {
            let record = e.record.as_step()?;
            Some(crate::Placed { at: e.at, record })
        })
        .collect();
    assert_eq!(
        engine.journal().len(),
        5,
        "the submission, then one entry per step"
    );
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[0].command().command_id, user);
    for pair in steps.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        assert_eq!(
            after.command().causation_id,
            before.facts().next().unwrap().id
        );
        assert_eq!(
            after.command().origin,
            Origin::Reactor {
                name: "forward".into()
            }
        );
        assert_eq!(after.command().depth, before.command().depth + 1);
        assert!(!after.command().compensation);
    }
    assert_eq!(engine.state().view.0.values().sum::<i32>(), 40);
}

#[test]
fn a_rejection_is_recorded_and_compensated_by_the_process_manager() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.given(&"counter-2".into(), [added(2, 95)]).unwrap();
    let user = engine.submit(add(0, 10));
    engine.run_until_idle(100);
    let kinds: Vec<String> = engine
        .facts(1)
        .map(|f| match f.kind {
            FactKindRef::Event {
                event: Ev::Added { counter, amount },
                ..
            } => format!("{counter}+{amount}"),
            FactKindRef::Rejected { reason, .. } => format!("{}:{reason:?}", f.stream_id),
        })
        .collect();
    assert_eq!(
        kinds,
        ["0+10", "1+10", "counter-2:OverCap { total: 105 }", "1+-10",]
    );
    let compensation = engine
        .journal()
        .iter()
        .filter_map(|e| e.as_step())
        .flat_map(|s| s.queued())
        .find(|c| c.compensation)
        .expect("a compensating command");
    assert_eq!(compensation.command, add(1, -10));
    assert_eq!(compensation.correlation_id, user);
    assert_eq!(
        compensation.origin,
        Origin::Reactor {
            name: "compensate".into()
        }
    );
    assert_eq!(engine.state().process.1.get(&2), Some(&1));
    assert_eq!(
        engine
            .state()
            .stream(engine.system(), &"counter-1".into())
            .state,
        0
    );

    let trace = engine.trace(user).expect("the flow's trace");
    let lanes: Vec<&str> = trace.lanes.iter().map(StreamId::as_str).collect();
    assert_eq!(lanes, ["counter-0", "counter-1", "counter-2"]);
    let text = trace.render_text();
    assert!(
        text.contains("✘ #3 rejected: {\"OverCap\":{\"total\":105}}"),
        "{text}"
    );
    assert!(
        text.contains("↩ {\"Add\":{\"counter\":1,\"amount\":-10}} → counter-1 [compensate]"),
        "{text}"
    );
}

#[test]
fn submitting_the_same_command_id_twice_queues_it_once() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    let id = crate::Id(42);
    assert_eq!(engine.submit_with_id(id, add(3, 1)), Ok(id));
    assert_eq!(
        engine.submit_with_id(id, add(3, 1)),
        Err(EngineError::Duplicate(id))
    );
    engine.run_until_idle(10);
    assert_eq!(engine.store().head(), 1);
}

#[test]
fn run_until_idle_takes_at_most_the_steps_it_is_allowed() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.submit(add(0, 10)); // four steps: counter 0, then forwarded to 1, 2 and 3
    let handled = engine.step().expect("a command is queued");
    assert_eq!(
        handled.command().origin,
        Origin::User,
        "step returns the step it took"
    );
    assert_eq!(engine.journal().len(), 2, "the submission and that step");
    let first = engine.run_until_idle(2);
    assert_eq!((first.steps, first.idle), (2, false));
    assert_eq!(engine.state().position, 3);
    let rest = engine.run_until_idle(3);
    assert_eq!((rest.steps, rest.idle), (1, true));
    assert_eq!(engine.state().position, 4);
    let none = engine.run_until_idle(0);
    assert_eq!((none.steps, none.idle), (0, true));
}

#[test]
fn a_saga_loop_stops_at_the_depth_bound_with_a_recorded_failure() {
    let looping = Parts {
        decider: Counter,
        view: NoView::default(),
        process: Stateless(Echo),
    };
    let config = EngineConfig {
        max_depth: 5,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(looping, config);
    engine.submit(add(0, 1));
    let summary = engine.run_until_idle(1_000);
    assert!(summary.idle, "the loop ended by itself");
    assert_eq!(summary.steps, 6, "the user command and five reactions");
    let last = engine.journal().last().and_then(|e| e.as_step()).unwrap();
    match last.failure() {
        Some(StepFailure::CascadeLimit { limit: 5, dropped }) => {
            assert_eq!(dropped.len(), 1);
            assert_eq!(dropped[0].depth, 6);
        }
        other => panic!("expected a cascade failure, got {other:?}"),
    }
}

/// A store shared with another writer, which keeps each stream's version as a durable
/// store does and refuses an append whose expected version is stale; it also refuses the
/// first `refusals` appends as if that writer got there first, and, when `race` is set,
/// that writer really adds 95 to the stream just before the first append.
struct Interfering {
    head: u64,
    versions: HashMap<StreamId, u64>,
    refusals: u32,
    race: bool,
}

impl Interfering {
    fn new(refusals: u32, race: bool) -> Self {
        Interfering {
            head: 0,
            versions: HashMap::new(),
            refusals,
            race,
        }
    }

    /// Appends `facts` if `stream` is at version `expected`, else the conflict.
    fn write<'f>(
        &mut self,
        stream: &StreamId,
        expected: u64,
        facts: impl IntoIterator<Item = FactRef<'f, Cmd, Ev, Rej>>,
    ) -> Result<(), Conflict> {
        let actual = self.versions.get(stream).copied().unwrap_or(0);
        if actual != expected {
            return Err(Conflict {
                stream_id: stream.clone(),
                expected,
                actual,
            });
        }
        let mut version = actual;
        for fact in facts {
            assert_eq!(fact.position, self.head, "gap in positions");
            version += u64::from(fact.event().is_some());
            self.head += 1;
        }
        self.versions.insert(stream.clone(), version);
        Ok(())
    }
}

impl EventStore<Cmd, Ev, Rej> for Interfering {
    fn head(&self) -> u64 {
        self.head
    }
    fn stream_version(&self, stream: &StreamId) -> Option<u64> {
        Some(self.versions.get(stream).copied().unwrap_or(0))
    }
    fn append<'f>(
        &mut self,
        stream: &StreamId,
        expected: u64,
        facts: impl IntoIterator<Item = FactRef<'f, Cmd, Ev, Rej>>,
    ) -> Result<(), Conflict> {
        let facts: Vec<_> = facts.into_iter().collect();
        if std::mem::take(&mut self.race) {
            let mut foreign = facts[0].to_recorded();
            foreign.kind = FactKind::Event {
                stream_version: expected + 1,
                event: added(0, 95),
            };
            self.write(stream, expected, [foreign.borrowed()])?;
        }
        if self.refusals > 0 {
            self.refusals -= 1;
            return Err(Conflict {
                stream_id: stream.clone(),
                expected,
                actual: expected + 1,
            });
        }
        self.write(stream, expected, facts)
    }
}

/// The counter alone.
type Plain = Parts<Counter, NoView<Ev>, crate::process_manager::NoProcess<Cmd, Ev, Rej>>;

fn plain() -> Plain {
    Parts {
        decider: Counter,
        view: NoView::default(),
        process: crate::process_manager::NoProcess::default(),
    }
}

/// The counter alone, over `store`.
fn over(store: Interfering) -> Engine<Plain, Interfering> {
    Engine::with_store(Arc::new(plain()), EngineConfig::default(), store)
}

#[test]
fn a_conflict_is_recorded_once_and_never_retried() {
    let mut engine = over(Interfering::new(1, false));
    engine.submit(add(0, 1));
    let step = engine.step().unwrap();
    match step.failure() {
        Some(StepFailure::Conflict {
            conflict,
            attempts: 1,
        }) => assert_eq!(conflict.stream_id.as_str(), "counter-0"),
        other => panic!("expected a conflict failure, got {other:?}"),
    }
    assert_eq!(step.facts().len(), 0);
    assert!(
        engine.state().queue.is_empty(),
        "the command left the queue"
    );
    assert_eq!(engine.store().head(), 0);
}

#[test]
fn another_writers_facts_stop_the_engine_and_never_enter_its_state() {
    let mut engine = over(Interfering::new(0, true));
    engine.submit(add(0, 10));
    engine.submit(add(1, 10));
    engine.run_until_idle(10);
    assert_eq!(engine.store().head(), 1, "only the other writer's fact");
    let mut conflicts = Vec::new();
    for step in engine.journal().iter().filter_map(|e| e.as_step()) {
        assert_eq!(step.fact_count(), 0, "the engine wrote nothing after it");
        match step.failure() {
            Some(StepFailure::Conflict {
                conflict,
                attempts: 1,
            }) => conflicts.push(conflict.clone()),
            other => panic!("expected a conflict failure, got {other:?}"),
        }
    }
    // The store refused the stale expected version of the stream the other writer wrote,
    // naming both; the next command found the store's head moved.
    let conflict = |stream: &str, expected, actual| Conflict {
        stream_id: stream.into(),
        expected,
        actual,
    };
    assert_eq!(
        conflicts,
        [conflict("counter-0", 0, 1), conflict("counter-1", 0, 0)]
    );
    assert_eq!(
        conflicts[0].to_string(),
        "stream `counter-0` is at version 1, expected 0"
    );
    // History given to the stream the other writer moved is refused the same way.
    assert_eq!(
        engine.given(&"counter-0".into(), [added(0, 1)]),
        Err(crate::GivenError::Conflict(conflict("counter-0", 0, 1)))
    );
    assert!(engine.state().streams.is_empty(), "no foreign fact folded");
    let rebuilt = Engine::from_journal(
        Arc::new(plain()),
        *engine.config(),
        engine.journal().iter().cloned(),
    )
    .expect("the journal rebuilds the engine");
    assert_eq!(rebuilt.journal(), engine.journal());
    assert_eq!(rebuilt.state().position, engine.state().position);
    assert!(rebuilt.state().streams.is_empty());
}

#[test]
fn a_chosen_id_equal_to_a_later_generated_id_is_skipped_not_queued_twice() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    let ids = crate::SeededIds::new(0);
    // A person picks the ids the engine would generate for its 2nd and 3rd commands.
    assert_eq!(
        engine.submit_with_id(ids.command(1), add(3, 1)),
        Ok(ids.command(1))
    );
    let user = engine.submit(add(0, 10));
    assert_eq!(user, ids.command(2), "ordinal 1's id was taken");
    engine.run_until_idle(100);
    let queued: Vec<crate::Id> = engine
        .journal()
        .iter()
        .filter_map(|e| e.as_step())
        .map(|s| s.command().command_id)
        .collect();
    let distinct: std::collections::HashSet<_> = queued.iter().collect();
    assert_eq!(distinct.len(), queued.len(), "every command queued once");
    let mut rebuilt = Engine::from_journal(
        Arc::new(system()),
        EngineConfig::default(),
        engine.journal().iter().cloned(),
    )
    .expect("the journal rebuilds the engine");
    assert_eq!(rebuilt.submit(add(1, 1)), engine.submit(add(1, 1)));
    assert_eq!(engine.trace(user).unwrap().root.envelope.command_id, user);
}

#[test]
fn time_travel_shows_streams_view_process_and_queue_at_each_position() {
    let config = EngineConfig {
        snapshot_every: 2,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    engine.given(&"counter-2".into(), [added(2, 95)]).unwrap();
    engine.submit(add(0, 10));
    engine.run_until_idle(100);
    assert!(engine.timeline().snapshot_count() > 2);
    let c1: StreamId = "counter-1".into();
    let at = |p| engine.at_position(p);
    assert_eq!(at(0).position, 0);
    assert_eq!(
        at(1).queue.len(),
        0,
        "after the given event, before the submission"
    );
    assert_eq!(at(2).stream(engine.system(), &c1).state, 0);
    assert_eq!(at(2).queue.len(), 1, "the forward to counter 1 is queued");
    assert_eq!(at(3).stream(engine.system(), &c1).state, 10);
    assert_eq!(at(4).process.1.get(&2), Some(&1), "the rejection was seen");
    assert_eq!(at(4).queue[0].command, add(1, -10));
    assert_eq!(at(5).stream(engine.system(), &c1).state, 0);
    assert_eq!(at(99).position, 5, "past the head is the head");
    let fork = engine.fork_at(3);
    assert_eq!(fork.store().head(), 3);
    assert_eq!(fork.state().queue.len(), 1);
}

#[test]
fn the_boundary_takes_json_and_names_the_path_of_bad_input() {
    let domain = TypedDomain::new(info(), system());
    assert_eq!(domain.command_names(), ["Add"]);
    let mut engine = domain.start(EngineConfig::default());
    let err = engine
        .submit(&json!({"Add": {"counter": 1, "amount": "ten"}}))
        .unwrap_err();
    assert_eq!(err.path, "$.Add.amount");
    assert!(err.message.contains("expected i32"), "{err}");
    let err = engine.submit(&json!({"Subtract": {}})).unwrap_err();
    assert!(
        err.message
            .contains("unknown variant `Subtract`, expected `Add`"),
        "{err}"
    );

    let id = engine
        .submit(&json!({"Add": {"counter": 2, "amount": 5}}))
        .unwrap();
    engine.run_until_idle(10);
    assert_eq!(engine.head(), 2);
    let state = engine.state_at(2);
    assert_eq!(state["streams"]["counter-3"]["state"], json!(5));
    let click = crate::Id(7);
    let again = json!({"Add": {"counter": 0, "amount": 1}});
    assert_eq!(engine.submit_as(click, &again), Ok(click));
    let twice = engine.submit_as(click, &again).unwrap_err();
    assert_eq!(
        twice.message,
        "command 0000000000000007 was already submitted"
    );
    engine.run_until_idle(10);
    let fork = engine.fork_at(1);
    assert_eq!(
        fork.head(),
        1,
        "the what-if branch ends after the first fact"
    );
    assert_eq!(fork.state_at(1)["queue"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        engine.trace(id).unwrap()["lanes"],
        json!(["counter-2", "counter-3"])
    );

    // A journal survives JSON and rebuilds the same engine; a damaged one names the entry.
    let journal = engine.journal(0);
    let rebuilt = domain.rebuild(EngineConfig::default(), &journal).unwrap();
    assert_eq!(rebuilt.journal(0), journal);
    let mut damaged = journal.clone();
    damaged[1]["step"]["facts"][0]["fact"]["position"] = json!(7);
    let err = domain
        .rebuild(EngineConfig::default(), &damaged)
        .err()
        .unwrap();
    assert_eq!(err.path, "$[1]");
    assert!(
        err.message.contains("position 7 where 0 was expected"),
        "{err}"
    );
    let mut broken = journal.clone();
    broken[1]["step"]["command"]["command_id"] = json!(12);
    let err = domain
        .rebuild(EngineConfig::default(), &broken)
        .err()
        .unwrap();
    assert_eq!(err.path, "$[1].step.command.command_id");
    // A time or depth its envelope cannot hold (32 and 16 bits) is refused, not truncated.
    for (field, too_wide) in [("time", json!(1_u64 << 32)), ("depth", json!(1 << 16))] {
        let mut wide = journal.clone();
        wide[0]["submitted"][field] = too_wide;
        let err = domain
            .rebuild(EngineConfig::default(), &wide)
            .err()
            .unwrap();
        assert_eq!(err.path, format!("$[0].submitted.{field}"), "{err}");
    }
}

#[test]
fn specs_pass_on_truth_and_fail_with_a_diff() {
    DeciderSpec::given(&Counter, &[added(0, 60)])
        .when(&add(0, 30))
        .then_events(&[added(0, 30)])
        .then_state(&90);
    DeciderSpec::given(&Counter, &[added(0, 60)])
        .when(&add(0, 50))
        .then_rejected(&Rej::OverCap { total: 110 });
    view_then(&Totals, &[added(1, 2), added(1, 3)], &([(1, 5)].into(), 2));
    process_then(
        &Compensate,
        &[],
        &GivenFact::Rejected(add(2, 7), Rej::OverCap { total: 107 }),
        &[add(1, -7)],
    );
    FlowSpec::new(system())
        .given("counter-3", [added(3, 100)])
        .when([add(2, 1)])
        .then_events(&[added(2, 1), added(2, -1)])
        .then_rejections(&[Rej::OverCap { total: 101 }])
        .then_commands(&[add(3, 1), add(2, -1)])
        .then_stream("counter-2", &0)
        .then_view(&([(2, 0), (3, 100)].into(), 3));

    let failure = std::panic::catch_unwind(|| {
        DeciderSpec::given(&Counter, &[])
            .when(&add(0, 1))
            .then_events(&[added(0, 2)]);
    })
    .unwrap_err();
    let message = failure.downcast_ref::<String>().unwrap();
    assert!(message.starts_with("then events: expected (-) differs from actual (+)"));
    assert!(
        message.contains("-        amount: 2,\n+        amount: 1,"),
        "{message}"
    );
}

#[test]
fn an_engine_and_what_it_hands_out_can_be_moved_to_and_shared_with_other_threads() {
    // A server embedding the runtime moves an engine into a task or a worker pool: the
    // engine, its journal, projection and traces stay `Send` and `Sync` (a compile-time
    // property: this test does not build otherwise), and an engine runs on another thread.
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine<System>>();
    send_sync::<crate::Projection<System>>();
    send_sync::<crate::JournalEntry<Cmd, Ev, Rej>>();
    send_sync::<crate::Trace<Cmd, Ev, Rej>>();
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.submit(add(3, 5));
    let engine = std::thread::spawn(move || {
        engine.run_until_idle(100);
        engine
    })
    .join()
    .expect("the engine ran on another thread");
    assert_eq!(engine.facts(0).count(), 1);
}

/// The counter, deciding in the engine's list: it adds the event before it checks the
/// cap, so a refused command leaves an event in the list.
struct Hasty;

impl crate::Decider for Hasty {
    type Command = Cmd;
    type Event = Ev;
    type State = i32;
    type Rejection = Rej;

    fn initial_state(&self) -> i32 {
        Counter.initial_state()
    }
    fn write_stream_id(&self, command: &Cmd, id: &mut String) {
        Counter.write_stream_id(command, id);
    }
    fn decide(&self, command: &Cmd, total: &i32) -> Result<Vec<Ev>, Rej> {
        Counter.decide(command, total)
    }
    fn decide_into(
        &self,
        command @ Cmd::Add { counter, amount }: &Cmd,
        total: &i32,
        events: &mut impl Extend<Ev>,
    ) -> Result<(), Rej> {
        events.extend([added(*counter, *amount)]);
        Counter.decide(command, total).map(drop)
    }
    fn evolve(&self, total: i32, event: &Ev) -> i32 {
        Counter.evolve(total, event)
    }
}

#[test]
fn a_refused_command_records_none_of_the_events_its_decider_added() {
    // The engine decides in a list it keeps between steps: what a refused command's
    // decider added before refusing is neither recorded nor left for the next command.
    let system = Parts {
        decider: Hasty,
        view: NoView::default(),
        process: crate::process_manager::NoProcess::default(),
    };
    let mut engine = Engine::new(system, EngineConfig::default());
    for amount in [60, 60, 1] {
        engine.submit(add(0, amount));
    }
    engine.run_until_idle(10);
    let kinds: Vec<_> = engine.facts(0).map(|f| f.to_recorded().kind).collect();
    assert_eq!(
        kinds,
        [
            FactKind::Event {
                stream_version: 1,
                event: added(0, 60)
            },
            FactKind::Rejected {
                command: add(0, 60),
                reason: Rej::OverCap { total: 120 }
            },
            FactKind::Event {
                stream_version: 2,
                event: added(0, 1)
            },
        ]
    );
    let live = engine.state().streams.values().next().expect("one stream");
    assert_eq!((live.version, live.state), (2, 61));
}
