//! What the playground relies on: fault injection, and the boundary's typed rows, state,
//! filter and swimlane layout, over the tiny domain.

use super::domain::*;
use crate::boundary::{
    DomainInfo, DynDomain, DynEngine, LaneKind, LogFilter, NodeKind, RowKind, TypedDomain,
};
use crate::envelope::{FactKindRef, Origin};
use crate::{Engine, EngineConfig, EngineError, Id};
use serde_json::json;
use std::sync::Arc;

fn domain() -> impl DynDomain {
    let info = DomainInfo {
        external_events: vec!["Added".into()],
        ..info()
    };
    TypedDomain::new(info, system())
}

#[test]
fn an_injected_fault_is_recorded_compensated_and_replayed() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    let user = engine.submit(add(0, 10));
    engine.step();
    let forwarded = engine.state().queue[0].command_id;
    let step = engine
        .inject_fault(forwarded, Rej::OverCap { total: 999 })
        .expect("the forwarded command is queued");
    assert!(step.injected());
    assert_eq!(step.facts().len(), 1);
    let fact = step.facts().next().unwrap();
    assert_eq!(fact.stream_id.as_str(), "counter-1");
    assert!(matches!(
        fact.kind,
        FactKindRef::Rejected { command, reason: Rej::OverCap { total: 999 } } if *command == add(1, 10)
    ));
    let reaction = step.queued().next().unwrap();
    assert!(reaction.compensation, "sagas react as to a real rejection");
    assert_eq!(reaction.command, add(0, -10));
    assert_eq!(
        reaction.origin,
        Origin::Reactor {
            name: "compensate".into()
        }
    );
    engine.run_until_idle(10);
    assert_eq!(
        engine
            .state()
            .stream(engine.system(), &"counter-0".into())
            .state,
        0
    );
    assert!(
        !engine
            .state()
            .streams
            .contains_key(&crate::StreamId::from("counter-1")),
        "the injected rejection changed no stream"
    );

    let rebuilt = Engine::from_journal(
        Arc::new(system()),
        EngineConfig::default(),
        engine.journal().to_vec(),
    )
    .expect("a journal with an injected fault folds");
    assert_eq!(rebuilt.journal(), engine.journal());
    assert_eq!(rebuilt.state().position, engine.state().position);
    assert_eq!(rebuilt.state().process, engine.state().process);
    let text = engine.trace(user).unwrap().render_text();
    assert!(
        text.contains("⚡ #1 injected fault: {\"OverCap\":{\"total\":999}}"),
        "{text}"
    );
    assert_eq!(
        engine.inject_fault(forwarded, Rej::Negative { total: 0 }),
        Err(EngineError::NotQueued(forwarded))
    );
}

#[test]
fn a_fault_can_be_injected_behind_the_front_of_the_queue() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    let first = engine.submit(add(5, 1));
    let second = engine.submit(add(6, 1));
    engine
        .inject_fault(second, Rej::Negative { total: -1 })
        .unwrap();
    let queue: Vec<Id> = engine.state().queue.iter().map(|c| c.command_id).collect();
    assert_eq!(queue[0], first, "the front stays where it was");
    assert_eq!(
        queue.len(),
        2,
        "then the compensation for counter 6's rejection"
    );
    engine.run_until_idle(10);
    let rebuilt = Engine::from_journal(
        Arc::new(system()),
        EngineConfig::default(),
        engine.journal().to_vec(),
    )
    .unwrap();
    assert_eq!(rebuilt.state().queue.len(), 0);
    assert_eq!(rebuilt.state().position, 3);
    // A journal that claims a decided (not injected) step behind the front does not fold.
    let mut json: Vec<serde_json::Value> = engine
        .journal_run()
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    assert_eq!(json[2]["step"]["injected"], json!(true));
    assert!(
        json[3]["step"].get("injected").is_none(),
        "a decided step does not write the flag, so older journals read the same: {}",
        json[3]
    );
    json[2]["step"].as_object_mut().unwrap().remove("injected");
    let err = domain()
        .rebuild(EngineConfig::default(), &json)
        .err()
        .unwrap();
    assert_eq!(err.path, "$[2]");
    assert!(err.message.contains("at the front of the queue"), "{err}");
}

/// A flow with a compensation, stepped through the boundary: user add(0, 10) forwarded to
/// counter 1, then counter 2 over its cap, compensated on counter 1.
fn compensated_flow() -> (Box<dyn DynEngine>, Id) {
    let domain = domain();
    let mut engine = domain.start(EngineConfig::default());
    engine
        .given(
            "counter-2",
            &[json!({"Added": {"counter": 2, "amount": 95}})],
        )
        .unwrap();
    let user = engine
        .submit(&json!({"Add": {"counter": 0, "amount": 10}}))
        .unwrap();
    engine.run_until_idle(100);
    (engine, user)
}

#[test]
fn rows_carry_origin_compensation_and_the_declared_marks() {
    let (engine, user) = compensated_flow();
    let rows = engine.rows(0, 99);
    let summary: Vec<(u64, &str, &str, bool)> = rows
        .iter()
        .map(|r| {
            (
                r.position,
                r.kind.as_str(),
                r.origin.as_str(),
                r.compensation,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (0, "event", "given", false),
            (1, "event", "user", false),
            (2, "event", "forward", false),
            (3, "rejection", "forward", false),
            (4, "event", "compensate", true),
        ]
    );
    assert_eq!(rows[3].name, "OverCap");
    assert_eq!(
        rows[3].command,
        Some(json!({"Add": {"counter": 2, "amount": 10}}))
    );
    assert_eq!(rows[3].stream_version, None);
    assert_eq!(rows[1].name, "Added");
    assert!(rows[1].external && !rows[1].zero_payload);
    assert!(!rows[3].external, "rejections are never external events");
    assert_eq!(rows[1].correlation_id, user);
    assert_eq!(rows[0].step, None);
    assert_eq!(rows[1].step, Some(0));
    assert_eq!(engine.rows(3, 4).len(), 1, "a range, not everything");
}

#[test]
fn the_filter_finds_positions_by_kind_origin_flow_stream_and_text() {
    let (engine, user) = compensated_flow();
    let find = |filter: LogFilter| engine.matching(&filter);
    assert_eq!(find(LogFilter::default()), [0, 1, 2, 3, 4]);
    let rejections = LogFilter {
        kind: Some(RowKind::Rejection),
        ..LogFilter::default()
    };
    assert_eq!(find(rejections), [3]);
    let flow = LogFilter {
        correlation_id: Some(user),
        ..LogFilter::default()
    };
    assert_eq!(find(flow), [1, 2, 3, 4]);
    let stream = LogFilter {
        stream: Some("counter-1".into()),
        ..LogFilter::default()
    };
    assert_eq!(find(stream), [2, 4]);
    assert_eq!(
        engine.stream_ids(2),
        ["counter-0", "counter-1"],
        "the first two in order"
    );
    assert_eq!(
        engine.stream_ids(9),
        ["counter-0", "counter-1", "counter-2"]
    );
    let origin = LogFilter {
        origin: Some("compensate".into()),
        ..LogFilter::default()
    };
    assert_eq!(find(origin), [4]);
    let text = LogFilter {
        text: "overcap".into(),
        ..LogFilter::default()
    };
    assert_eq!(find(text), [3]);
    let events = LogFilter {
        kind: Some(RowKind::Event),
        ..LogFilter::default()
    };
    assert_eq!(
        engine.matching_from(&events, 2),
        [2, 4],
        "only from position 2 on"
    );
}

#[test]
fn inspect_shows_one_stream_the_view_the_process_and_the_queue() {
    let domain = domain();
    let mut engine = domain.start(EngineConfig::default());
    engine
        .submit(&json!({"Add": {"counter": 0, "amount": 10}}))
        .unwrap();
    engine.step();
    let queued_late = engine
        .submit(&json!({"Add": {"counter": 7, "amount": 1}}))
        .unwrap();
    let live = engine.inspect(None, Some("counter-0"), 10);
    assert_eq!(live.position, 1);
    assert_eq!(live.stream, Some(json!({"version": 1, "state": 10})));
    assert_eq!(live.view, json!([{"0": 10}, 1]));
    assert_eq!(
        live.queue_len, 2,
        "the queue includes what was submitted after the fact"
    );
    assert_eq!(live.queue[0].origin, "forward");
    assert_eq!(live.queue[0].stream_id, "counter-1");
    assert_eq!(live.queue[0].depth, 1);
    assert_eq!(live.queue[1].command_id, queued_late);
    assert_eq!(live.queue[1].name, "Add");
    assert_eq!(engine.inspect(None, None, 1).queue.len(), 1, "bounded");
    assert_eq!(
        engine.live_state()["queue"].as_array().map(Vec::len),
        Some(2)
    );
    let past = engine.inspect(Some(0), Some("counter-0"), 10);
    assert_eq!(past.position, 0);
    assert_eq!(past.stream, None);
    assert_eq!(past.queue_len, 0, "position 0 is the initial state");
    assert_eq!(
        engine.stream_state(None, "counter-0"),
        Some(json!({"version": 1, "state": 10}))
    );
    assert_eq!(engine.stream_state(Some(0), "counter-0"), None);
    assert_eq!(engine.view_state(None), json!([{"0": 10}, 1]));
    assert_eq!(engine.view_state(Some(0)), json!([{}, 0]));
    assert_eq!(engine.journal_range(1, 2).len(), 1);
    assert_eq!(engine.submitted_since(0), 2);
    assert_eq!(engine.head_after(0), 0);
    assert_eq!(engine.head_after(1), 0, "a submission records no fact");
    assert_eq!(engine.head_after(2), 1);
    assert_eq!(engine.head_after(3), 1);
    assert_eq!(engine.head_after(99), 1, "past the end: every fact");
    assert_eq!(
        engine.submitted_since(1),
        1,
        "the second submission, after the step"
    );
    assert_eq!(engine.submitted_since(99), 0);
    assert_eq!(engine.journal_range(5, 2).len(), 0);
    assert_eq!(
        engine.stream_of(&json!({"Add": {"counter": 4, "amount": 1}})),
        Ok("counter-4".to_string())
    );
}

#[test]
fn a_flow_is_laid_out_in_lanes_and_columns_with_causation() {
    let (mut engine, user) = compensated_flow();
    let flow = engine.flow(user).expect("a flow");
    let lanes: Vec<(&str, LaneKind)> = flow
        .lanes
        .iter()
        .map(|l| (l.name.as_str(), l.kind))
        .collect();
    assert_eq!(
        lanes,
        [
            ("user", LaneKind::User),
            ("counter-0", LaneKind::Stream),
            ("forward", LaneKind::Reactor),
            ("counter-1", LaneKind::Stream),
            ("counter-2", LaneKind::Stream),
            ("compensate", LaneKind::Reactor),
        ]
    );
    type Summary = (usize, NodeKind, Option<u64>, Option<usize>, bool);
    let nodes: Vec<Summary> = flow
        .nodes
        .iter()
        .map(|n| (n.column, n.kind, n.position, n.parent, n.compensation))
        .collect();
    use NodeKind::*;
    assert_eq!(
        nodes,
        [
            (0, Command, None, None, false),
            (1, Event, Some(1), Some(0), false),
            (2, Command, None, Some(1), false),
            (3, Event, Some(2), Some(2), false),
            (4, Command, None, Some(3), false),
            (5, Rejection, Some(3), Some(4), false),
            (6, Command, None, Some(5), true),
            (7, Event, Some(4), Some(6), true),
        ]
    );
    assert_eq!(
        flow.nodes[5].lane, 4,
        "the rejection sits in counter-2's lane"
    );
    assert_eq!(
        flow.nodes[6].lane, 5,
        "the compensation in the process manager's"
    );

    // Pending commands are drawn last, and an injected fault is marked.
    let second = engine
        .submit(&json!({"Add": {"counter": 0, "amount": 1}}))
        .unwrap();
    engine.step();
    let pending = engine.flow(second).unwrap();
    let last = pending.nodes.last().unwrap();
    assert!(last.pending && last.kind == Command && last.parent == Some(1));
    let command_id = pending.nodes[2].command_id;
    engine
        .inject_fault(command_id, &json!({"Negative": {"total": -1}}))
        .unwrap();
    let injected = engine.flow(second).unwrap();
    assert!(injected
        .nodes
        .iter()
        .any(|n| n.kind == Rejection && n.injected));
    let err = engine
        .inject_fault(command_id, &json!({"Negative": {"total": -1}}))
        .unwrap_err();
    assert!(err.message.contains("waits in the queue"), "{err}");
    let err = engine
        .inject_fault(Id(1), &json!({"Nope": {}}))
        .unwrap_err();
    assert!(err.message.contains("unknown variant"), "{err}");
}

#[test]
fn inspect_sends_a_window_of_a_large_view_and_view_state_all_of_it() {
    let domain = domain();
    let mut engine = domain.start(EngineConfig::default());
    for counter in 10..=250u8 {
        engine
            .submit(&json!({"Add": {"counter": counter, "amount": 1}}))
            .unwrap();
    }
    engine.run_until_idle(1_000);
    let view = engine.inspect(None, None, 0).view;
    let totals = view[0].as_object().unwrap();
    assert_eq!(totals.len(), crate::boundary::INSPECT_ENTRIES + 1);
    assert_eq!(totals["…"], json!("41 more entries not shown"));
    // The window follows the view's own order (counters 10 to 209), not the text order of
    // its JSON keys: the entries past it were never serialized.
    assert!(totals.contains_key("209") && !totals.contains_key("210"));
    assert_eq!(engine.view_state(None)[0].as_object().unwrap().len(), 241);
}

#[test]
fn a_journal_read_back_as_text_extends_an_engine_to_the_same_one() {
    let (whole, _) = compensated_flow();
    let length = whole.journal_len();
    assert!(length > 3);
    let text = whole.journal_text(0, length);
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&text).unwrap(),
        whole.journal(0),
        "the text of the typed entries is their JSON"
    );
    let domain = domain();
    let mut engine = domain.start(EngineConfig::default());
    engine.extend(&whole.journal_text(0, 2)).unwrap();
    engine.extend(&whole.journal_text(2, length)).unwrap();
    assert_eq!(engine.journal(0), whole.journal(0));
    assert_eq!(engine.head(), whole.head());

    // A bad entry stops it there: the ones before it are folded, its path is given.
    let mut engine = domain.start(EngineConfig::default());
    let mut entries = whole.journal_range(0, 2);
    entries.push(json!({"Step": {"not": "a step"}}));
    let error = engine
        .extend(&serde_json::to_string(&entries).unwrap())
        .unwrap_err();
    assert!(error.path.starts_with("$[2]"), "{}", error.path);
    assert_eq!(engine.journal(0), whole.journal_range(0, 2));
    let error = engine.extend("not json").unwrap_err();
    assert_eq!(error.path, "$[2]");
}

#[test]
fn inspect_with_previous_is_inspect_here_and_one_fact_earlier() {
    let domain = domain();
    let mut engine = domain.start(EngineConfig {
        snapshot_every: 3,
        ..EngineConfig::default()
    });
    // A given history of several facts in one entry, steps of one fact each (the saga's
    // forwards and a rejection), and a command that waits.
    let given = vec![json!({"Added": {"counter": 4, "amount": 1}}); 3];
    engine.given("counter-4", &given).unwrap();
    for command in [
        json!({"Add": {"counter": 0, "amount": 10}}),
        json!({"Add": {"counter": 1, "amount": 5}}),
        json!({"Add": {"counter": 0, "amount": 2000}}),
        json!({"Add": {"counter": 2, "amount": 7}}),
    ] {
        engine.submit(&command).unwrap();
        engine.run_until_idle(100);
    }
    engine
        .submit(&json!({"Add": {"counter": 3, "amount": 1}}))
        .unwrap();
    let head = engine.head();
    assert!(head >= 5, "{head} facts");
    for stream in [None, Some("counter-0"), Some("counter-4")] {
        for p in 0..=head + 1 {
            let expected = (
                engine.inspect(Some(p), stream, 10),
                (p.min(head) > 0).then(|| engine.inspect(Some(p.min(head) - 1), stream, 0)),
            );
            assert_eq!(
                engine.inspect_with_previous(Some(p), stream, 10),
                expected,
                "at {p}"
            );
        }
        assert_eq!(
            engine.inspect_with_previous(None, stream, 10),
            (
                engine.inspect(None, stream, 10),
                Some(engine.inspect(Some(head - 1), stream, 0))
            ),
            "live"
        );
    }
}

#[test]
fn the_journals_records_as_json_are_what_the_windowing_serializer_makes_of_them() {
    // The boundary reads steps, entries, facts and traces back from their JSON text; the
    // values are the ones the inspector's serializer makes of the typed records.
    use crate::boundary::window::whole;
    let (mut dynamic, user) = compensated_flow();
    let mut typed = Engine::new(system(), EngineConfig::default());
    typed.given(&"counter-2".into(), [added(2, 95)]).unwrap();
    assert_eq!(typed.submit(add(0, 10)), user);
    typed.run_until_idle(100);
    let entries: Vec<_> = typed.journal_run().iter().map(|e| whole(&e)).collect();
    assert!(entries.len() > 3, "a flow with a compensation");
    assert_eq!(dynamic.journal(0), entries);
    let head = typed.timeline().head();
    let facts: Vec<_> = typed.facts(0).map(|f| whole(&f)).collect();
    assert_eq!(dynamic.facts(0, head), facts);
    assert_eq!(dynamic.trace(user), typed.trace(user).map(|t| whole(&t)));
    dynamic
        .submit(&json!({"Add": {"counter": 3, "amount": 1}}))
        .unwrap();
    typed.submit(add(3, 1));
    let step = typed.step().map(|s| whole(&s));
    assert!(step.is_some());
    assert_eq!(dynamic.step(), step);
}

#[test]
fn a_fields_history_lists_the_events_that_changed_it_with_the_value_each_left() {
    let (mut engine, _) = compensated_flow();
    // counter-1: +10 forwarded at #2, the compensation's −10 at #4 (#3 is counter-2's
    // rejection); given history counts as any event.
    engine
        .given(
            "counter-1",
            &[
                json!({"Added": {"counter": 1, "amount": 0}}),
                json!({"Added": {"counter": 1, "amount": 7}}),
            ],
        )
        .unwrap();
    let history = engine.field_history("counter-1", "", None, 10);
    assert_eq!(history.initial, Some(json!(0)));
    let changes: Vec<(u64, Option<u64>, &str, Option<serde_json::Value>)> = history
        .changes
        .iter()
        .map(|c| {
            (
                c.fact.position,
                c.fact.stream_version,
                c.fact.origin.as_str(),
                c.value.clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (2, Some(1), "forward", Some(json!(10))),
            (4, Some(2), "compensate", Some(json!(0))),
            (6, Some(4), "given", Some(json!(7))),
        ],
        "the event of 0 at #5 left the total as it was"
    );
    assert!(history.changes[1].fact.compensation);
    assert_eq!((history.earlier, history.events), (0, 4));
    assert_eq!((history.skipped, history.from), (0, 0));

    let until_three = engine.field_history("counter-1", "", Some(3), 10);
    assert_eq!(until_three.changes.len(), 1, "the facts before position 3");
    assert_eq!(until_three.events, 1);

    let last = engine.field_history("counter-1", "", None, 1);
    assert_eq!(last.changes.len(), 1);
    assert_eq!(last.changes[0].fact.position, 6, "the latest are kept");
    assert_eq!((last.earlier, last.events), (2, 4));

    let absent = engine.field_history("counter-1", "/total", None, 10);
    assert_eq!((absent.initial, absent.changes.len()), (None, 0));
    assert_eq!(
        absent.events, 4,
        "a field the state never has never changes"
    );
    let unknown = engine.field_history("counter-9", "", None, 10);
    assert_eq!((unknown.changes.len(), unknown.events), (0, 0));
}

#[test]
fn a_long_streams_field_is_followed_over_its_latest_events_from_a_restored_state() {
    let domain = domain();
    let mut engine = domain.start(EngineConfig {
        snapshot_every: 1_000,
        ..EngineConfig::default()
    });
    let one = [json!({"Added": {"counter": 1, "amount": 1}})];
    for _ in 0..25_000 {
        engine.given("counter-1", &one).unwrap();
    }
    // A state of one node: the latest 20,000 events are followed, from the total of 5,000.
    let history = engine.field_history("counter-1", "", None, 3);
    assert_eq!((history.events, history.skipped), (25_000, 5_000));
    assert_eq!(history.initial, Some(json!(5_000)), "restored, not folded");
    assert_eq!(history.from, 5_000);
    assert_eq!(history.earlier, 19_997);
    let last: Vec<(u64, Option<serde_json::Value>)> = history
        .changes
        .iter()
        .map(|c| (c.fact.position, c.value.clone()))
        .collect();
    assert_eq!(
        last,
        [
            (24_997, Some(json!(24_998))),
            (24_998, Some(json!(24_999))),
            (24_999, Some(json!(25_000))),
        ]
    );
    // Up to a position, the events before it count.
    let before = engine.field_history("counter-1", "", Some(21_000), 1);
    assert_eq!((before.events, before.skipped), (21_000, 1_000));
    assert_eq!(before.initial, Some(json!(1_000)));
    assert_eq!(before.changes[0].value, Some(json!(21_000)));
}

#[test]
fn a_larger_state_is_followed_over_fewer_events() {
    use crate::boundary::history::{events_to_fold, json_nodes};
    assert_eq!(json_nodes(&json!(7)), 1);
    assert_eq!(json_nodes(&json!({"a": [1, 2], "b": {"c": null}})), 6);
    assert_eq!(events_to_fold(1), 20_000, "at most 20,000 however small");
    assert_eq!(events_to_fold(100), 2_500);
    assert_eq!(events_to_fold(300_000), 1, "at least the last one");
}

#[test]
fn a_fork_is_compared_with_its_original_from_where_they_part() {
    use crate::boundary::{compare, Limits, Part};
    let limits = |n| Limits {
        facts: n,
        differences: n,
    };
    let domain = domain();
    let add = |counter: u8, amount: i32| json!({"Add": {"counter": counter, "amount": amount}});
    let run = |engine: &mut Box<dyn DynEngine>, command: serde_json::Value| {
        engine.submit(&command).unwrap();
        engine.run_until_idle(100);
    };
    let mut original = domain.start(EngineConfig::default());
    run(&mut original, add(0, 10));
    let forked_at = original.head();
    let mut fork = original.fork_at(forked_at);
    let same = compare(&*original, &*fork, forked_at, limits(100));
    assert_eq!((same.shared, same.facts.len()), (forked_at, 0));
    assert!(same.differences.is_empty(), "nothing differs yet");

    // The same next command on both: its facts are alike, so they part after them.
    run(&mut original, add(2, 1));
    run(&mut fork, add(2, 1));
    run(&mut original, add(0, 5));
    run(&mut fork, add(3, 50));
    run(&mut fork, add(10, 1));
    let c = compare(&*original, &*fork, forked_at, limits(100));
    assert_eq!(
        c.shared,
        forked_at + 2,
        "the same command's two facts are alike"
    );
    assert_eq!((c.their_head, c.our_head), (forked_at + 6, forked_at + 4));
    let positions: Vec<u64> = c.facts.iter().map(|pair| pair.position).collect();
    assert_eq!(positions, (c.shared..c.their_head).collect::<Vec<_>>());
    let first = &c.facts[0];
    assert!(!first.alike());
    assert_eq!(first.theirs.as_ref().unwrap().stream_id, "counter-0");
    assert_eq!(first.ours.as_ref().unwrap().stream_id, "counter-3");
    assert!(
        c.facts[2..].iter().all(|pair| pair.ours.is_none()),
        "the fork's log is shorter"
    );
    let parts: Vec<&Part> = c.differences.iter().map(|d| &d.part).collect();
    let stream = |id: &str| Part::Stream(id.into());
    assert_eq!(
        parts,
        [
            &Part::View,
            &stream("counter-0"),
            &stream("counter-1"),
            &stream("counter-2"),
            &stream("counter-3"),
            &stream("counter-10"),
        ],
        "the process managers' state is the same in both; the streams both have first"
    );
    assert_eq!(
        c.differences[5].theirs, None,
        "counter-10 is the fork's alone"
    );
    let counter_3 = &c.differences[4];
    assert_eq!(
        (counter_3.theirs.clone(), counter_3.ours.clone()),
        (
            original.stream_state(None, "counter-3"),
            fork.stream_state(None, "counter-3")
        )
    );
    assert_ne!(counter_3.theirs, counter_3.ours);
    assert_eq!((c.streams_compared, c.more_differences), (5, 0));

    // At most `limit` positions and differences, the other differences counted.
    let short = compare(&*original, &*fork, forked_at, limits(2));
    assert_eq!(short.facts.len(), 2);
    assert_eq!((short.differences.len(), short.more_differences), (2, 4));
    assert_eq!(short.differences[1].part, stream("counter-0"));
    let few_facts = Limits {
        facts: 1,
        differences: 100,
    };
    let few = compare(&*original, &*fork, forked_at, few_facts);
    assert_eq!(
        (few.facts.len(), few.differences.len()),
        (1, 6),
        "each limit alone"
    );
}

#[test]
fn the_streams_since_a_position_are_listed_once_in_order() {
    let domain = domain();
    let mut engine = domain.start(EngineConfig::default());
    engine
        .submit(&json!({"Add": {"counter": 2, "amount": 1}}))
        .unwrap();
    engine.run_until_idle(10);
    let middle = engine.head();
    engine
        .submit(&json!({"Add": {"counter": 1, "amount": 1}}))
        .unwrap();
    engine.run_until_idle(10);
    assert_eq!(
        engine.streams_since(0),
        ["counter-1", "counter-2", "counter-3"]
    );
    assert_eq!(
        engine.streams_since(middle),
        ["counter-1", "counter-2", "counter-3"]
    );
    assert_eq!(engine.streams_since(engine.head() - 1), ["counter-3"]);
    assert!(engine.streams_since(engine.head()).is_empty());
    assert_eq!(
        engine.process_state(None),
        engine.inspect(None, None, 0).process,
        "the process managers' state, whole (small here: the window cuts nothing)"
    );
}

/// The outcome of a command the tiny domain accepts.
fn accepted_added() -> crate::boundary::Outcome {
    crate::boundary::Outcome::Accepted {
        events: vec!["Added".into()],
    }
}

/// The stretches of a refusal as `(from, to, since, outcome's name)`.
fn stretches(refusal: &crate::boundary::Refusal) -> Vec<(u64, u64, Option<u64>, String)> {
    use crate::boundary::Outcome;
    refusal
        .stretches
        .iter()
        .map(|s| {
            let name = match &s.outcome {
                Outcome::Accepted { events } => format!("accepted {}", events.join(" ")),
                Outcome::Refused { name, .. } => format!("refused {name}"),
            };
            (s.from, s.to, s.since.as_ref().map(|f| f.position), name)
        })
        .collect()
}

#[test]
fn a_refusal_names_the_event_that_made_the_difference_and_the_facts_that_led_to_it() {
    use crate::boundary::Outcome;
    let (mut engine, _) = compensated_flow();
    // #3: counter-2 (95 given at #0) refused the forwarded +10.
    let why = engine.why_refused(3, 10).expect("a rejection");
    assert_eq!((why.fact.position, why.version), (3, 1));
    assert_eq!(
        stretches(&why),
        [
            (0, 0, None, "accepted Added".to_string()),
            (1, 1, Some(0), "refused OverCap".to_string()),
        ]
    );
    assert_eq!(why.turning_point.as_ref().map(|f| f.position), Some(0));
    assert_eq!(
        why.again,
        Outcome::Refused {
            name: "OverCap".into(),
            reason: json!({"OverCap": {"total": 105}})
        },
        "decided again, the same reason as recorded"
    );
    assert_eq!(why.fact.payload, json!({"OverCap": {"total": 105}}));
    assert_eq!(why.verdict(), crate::boundary::Verdict::TurningPoint);
    assert_eq!(
        why.summary(),
        "#3 OverCap in counter-2 at v1: refused since #0 Added (accepted before it)"
    );
    let causes: Vec<(u64, &str)> = (why.causes.iter())
        .map(|c| (c.position, c.origin.as_str()))
        .collect();
    assert_eq!(
        causes,
        [(2, "forward"), (1, "user")],
        "back to the user's command"
    );
    assert_eq!(why.live_version, 1);
    assert!(matches!(why.live, Outcome::Refused { .. }));

    // Taken back below the cap, the same command would pass now.
    engine
        .given(
            "counter-2",
            &[json!({"Added": {"counter": 2, "amount": -50}})],
        )
        .unwrap();
    let now = engine.why_refused(3, 10).unwrap();
    assert_eq!(now.live_version, 2);
    assert_eq!(now.live, accepted_added());
    assert_eq!(
        stretches(&now),
        stretches(&why),
        "up to the rejection, as before"
    );

    // Only the latest stretch asked for: the earlier version is counted.
    let one = engine.why_refused(3, 1).unwrap();
    assert_eq!(
        stretches(&one),
        [(1, 1, Some(0), "refused OverCap".to_string())]
    );
    assert_eq!((one.earlier, one.decided_from), (1, 0));
    assert_eq!(
        one.turning_point.map(|f| f.position),
        Some(0),
        "found among the versions not listed too"
    );

    assert_eq!(engine.why_refused(2, 10), None, "an event is not refused");
    assert_eq!(engine.why_refused(99, 10), None, "nothing there");
}

#[test]
fn an_injected_refusal_says_the_decider_would_have_accepted_it() {
    let mut engine = domain().start(EngineConfig::default());
    engine
        .submit(&json!({"Add": {"counter": 0, "amount": 10}}))
        .unwrap();
    engine.step();
    let forwarded = engine.inspect(None, None, 1).queue[0].command_id;
    engine
        .inject_fault(forwarded, &json!({"OverCap": {"total": 999}}))
        .unwrap();
    let why = engine.why_refused(1, 10).unwrap();
    assert!(why.fact.injected);
    assert_eq!(why.version, 0);
    assert_eq!(why.again, accepted_added());
    assert_eq!(
        stretches(&why),
        [(0, 0, None, "accepted Added".to_string())]
    );
    assert_eq!(why.turning_point, None, "accepted at the version it met");
    assert_eq!(why.verdict(), crate::boundary::Verdict::Injected);
    assert_eq!(
        why.summary(),
        "#1 OverCap in counter-1 at v0: injected by hand (decided, it would have been accepted)"
    );
    assert_eq!(
        why.causes.iter().map(|c| c.position).collect::<Vec<_>>(),
        [0]
    );
}

#[test]
fn a_long_streams_refusal_is_decided_again_over_its_latest_versions() {
    let mut engine = domain().start(EngineConfig {
        snapshot_every: 1_000,
        ..EngineConfig::default()
    });
    engine
        .given(
            "counter-1",
            &[json!({"Added": {"counter": 1, "amount": 60}})],
        )
        .unwrap();
    let zero = [json!({"Added": {"counter": 1, "amount": 0}})];
    for _ in 0..25_000 {
        engine.given("counter-1", &zero).unwrap();
    }
    engine
        .submit(&json!({"Add": {"counter": 1, "amount": 50}}))
        .unwrap();
    engine.run_until_idle(10);
    let why = engine.why_refused(25_001, 5).unwrap();
    assert_eq!(why.version, 25_001);
    // The latest 20,000 versions decided, from the state restored at version 5,002 (the
    // refusal names the same total at each: one stretch).
    assert_eq!(
        stretches(&why),
        [(5_002, 25_001, None, "refused OverCap".to_string())]
    );
    assert_eq!((why.earlier, why.decided_from), (5_002, 5_002));
    assert_eq!(why.turning_point, None, "refused at every version decided");
    assert!(why
        .summary()
        .ends_with(": no event of the stream made it fail"));
    assert!(why.causes.is_empty(), "the user's own command");
}

#[test]
fn a_flow_is_written_as_a_mermaid_sequence_diagram() {
    let (mut engine, user) = compensated_flow();
    let flow = engine.flow(user).expect("a flow");
    let id = flow.correlation_id;
    assert_eq!(
        flow.to_mermaid(),
        format!(
            "sequenceDiagram
    %% Decider Lab: flow {id}
    actor L0 as user
    participant L1 as counter-0
    participant L2 as forward (saga)
    participant L3 as counter-1
    participant L4 as counter-2
    participant L5 as compensate (saga)
    L0->>L1: ▶ Add
    L1-->>L2: ✔ #35;1 Added
    L2->>L3: ▶ Add
    L3-->>L2: ✔ #35;2 Added
    L2->>L4: ▶ Add
    L4--xL5: ✘ #35;3 OverCap
    rect rgba(245, 158, 11, 0.15)
        L5->>L3: ↩ Add
        Note over L3: ✔ #35;4 Added
    end
"
        )
    );

    // A command waiting in the queue, and one whose step was made to fail.
    let second = engine
        .submit(&json!({"Add": {"counter": 0, "amount": 1}}))
        .unwrap();
    engine.step();
    let text = engine.flow(second).unwrap().to_mermaid();
    assert!(
        text.ends_with("    Note over L2: ◌ Add (waiting in the queue)\n"),
        "{text}"
    );
    let forwarded = engine.flow(second).unwrap().nodes[2].command_id;
    engine
        .inject_fault(forwarded, &json!({"Negative": {"total": -1}}))
        .unwrap();
    let text = engine.flow(second).unwrap().to_mermaid();
    assert!(text.contains("L2->>L3: ⚡ Add\n"), "{text}");
    assert!(text.contains(": ⚡ #35;6 Negative\n"), "{text}");
}

#[test]
fn the_flow_list_says_what_became_of_each_flow_and_follows_the_journal() {
    use crate::boundary::{FlowList, FlowOutcome};
    let (mut engine, compensated) = compensated_flow();
    let mut list = FlowList::default();
    engine.update_flows(&mut list, usize::MAX);
    let refused = engine
        .submit(&json!({"Add": {"counter": 3, "amount": -5}}))
        .unwrap();
    let pending = engine
        .submit(&json!({"Add": {"counter": 0, "amount": 1}}))
        .unwrap();
    engine.step();
    engine.update_flows(&mut list, usize::MAX);
    let outcomes: Vec<(Id, FlowOutcome)> = list
        .flows()
        .iter()
        .map(|f| (f.correlation_id, f.outcome()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (compensated, FlowOutcome::Compensated),
            (refused, FlowOutcome::Refused),
            (pending, FlowOutcome::Pending),
        ],
        "given history is no flow; a flow's queued command keeps it pending"
    );
    let first = &list.flows()[0];
    assert_eq!(first.span(), Some((1, 4)));
    assert_eq!((first.handled, first.events, first.rejections), (4, 3, 1));
    assert_eq!(list.seen(), engine.journal_len());
    let rows = engine.flow_rows(&list, &[2, 0, 7]);
    let commands: Vec<(usize, &serde_json::Value)> =
        rows.iter().map(|r| (r.index, &r.command)).collect();
    assert_eq!(
        commands,
        [
            (2, &json!({"Add": {"counter": 0, "amount": 1}})),
            (0, &json!({"Add": {"counter": 0, "amount": 10}})),
        ],
        "an index past the list has no row"
    );
    engine.run_until_idle(100);
    engine.update_flows(&mut list, usize::MAX);
    assert_eq!(list.flows()[2].outcome(), FlowOutcome::Completed);
    assert_eq!(list.count(FlowOutcome::Pending), 0);
    // Two entries at a time, the same list.
    let mut sliced = FlowList::default();
    let mut slices = 1;
    while !engine.update_flows(&mut sliced, 2) {
        slices += 1;
    }
    assert_eq!(slices, engine.journal_len().div_ceil(2));
    assert_eq!(sliced.flows(), list.flows());
    assert_eq!(sliced.count(FlowOutcome::Completed), 1);
    // A shorter journal (a fork) is another journal: listed again from its start.
    let fork = engine.fork_at(2);
    fork.update_flows(&mut list, usize::MAX);
    assert_eq!(list.flows().len(), 1);
    assert_eq!(list.flows()[0].outcome(), FlowOutcome::Pending);
    assert_eq!(list.seen(), fork.journal_len());
}

#[test]
fn a_command_is_labelled_by_its_name_its_ids_then_its_other_fields_cut_short() {
    use crate::boundary::rows::command_label;
    let names = ["order.place_order".to_string(), "Add".to_string()];
    let place = json!({"order": {"place_order": {
        "customer": "Ada", "items": ["margherita"], "order_id": "o1", "restaurant_id": "luigi"
    }}});
    assert_eq!(
        command_label(&place, &names),
        "order.place_order o1 · luigi · customer Ada",
        "ids first, then scalars with their keys; lists left out"
    );
    let add = json!({"Add": {"counter": 2, "amount": -10}});
    assert_eq!(command_label(&add, &names), "Add amount -10 · counter 2");
    let long = json!({"Add": {"note": "x".repeat(60)}});
    let label = command_label(&long, &names);
    assert_eq!(label.chars().count(), "Add ".len() + 48 + 1);
    assert!(label.ends_with("x…"), "{label}");
    assert_eq!(command_label(&json!("Reset"), &names), "Reset");
}
