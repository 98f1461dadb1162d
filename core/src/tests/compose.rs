//! Composition through the engine: a command no part takes, history of one part in
//! another part's stream, and a stream handed the other part's event.

use super::domain::*;
use super::properties::{left_command, left_event, routed, Side};
use crate::boundary::{DynDomain, TypedDomain};
use crate::compose::{Adapt, Part, Route, Sum};
use crate::decider::Misplaced;
use crate::process_manager::NoProcess;
use crate::view::NoView;
use crate::{Engine, EngineConfig, EngineError, GivenError, Parts, StreamId};
use serde_json::json;
use std::sync::Arc;

type C = Sum<Cmd, Cmd>;
type E = Sum<Ev, Ev>;
type R = Sum<Rej, Rej>;

/// A system of `decider` alone: no view, no process manager.
fn alone<D>(decider: D) -> Parts<D, NoView<E>, NoProcess<C, E, R>> {
    Parts {
        decider,
        view: NoView::default(),
        process: NoProcess::default(),
    }
}

/// The left counter alone: a right command is no part's.
fn left_only() -> Side {
    Adapt::new(Counter, left_command, Sum::Left, left_event, Sum::Left)
}

/// The two sides with their streams declared: `left` owns `counter-…`, `right` `right-…`.
fn declared() -> Route<Side, Side> {
    let Route(left, right) = routed();
    Route(
        left.owning("left", "counter-"),
        right.owning("right", "right-"),
    )
}

#[test]
fn a_command_no_part_takes_records_nothing_instead_of_panicking() {
    let mut engine = Engine::new(alone(left_only()), EngineConfig::default());
    engine.submit(Sum::Right(add(0, 5)));
    let step = engine.step().expect("the command is handled");
    assert_eq!(step.facts().len(), 0);
    assert!(step.failure().is_none());
    assert!(engine.state().streams.is_empty());
    assert!(engine.state().queue.is_empty());

    let domain = TypedDomain::new(info(), alone(left_only()));
    let mut engine = domain.start(EngineConfig::default());
    engine
        .submit(&json!({"Right": {"Add": {"counter": 0, "amount": 5}}}))
        .unwrap();
    assert!(engine.step().is_some());
    assert_eq!(engine.head(), 0, "no fact recorded");
}

#[test]
fn a_stream_handed_the_other_parts_event_keeps_its_state() {
    // Parts that declare no streams take any history, so the engine can be given this.
    let mut engine = Engine::new(alone(routed()), EngineConfig::default());
    let history = [Sum::Left(added(0, 5)), Sum::Right(added(0, 3))];
    engine.given(&"counter-0".into(), history).unwrap();
    let stream = &engine.state().streams[&StreamId::from("counter-0")];
    assert_eq!(stream.state, Part::First(5), "not reset to the right part");
    assert_eq!(stream.version, 2);
}

#[test]
fn history_of_one_part_in_another_parts_stream_is_refused_naming_both() {
    let mut engine = Engine::new(alone(declared()), EngineConfig::default());
    let history = [Sum::Left(added(0, 5)), Sum::Right(added(0, 3))];
    let refused = engine.given(&"counter-0".into(), history).unwrap_err();
    assert_eq!(
        refused,
        GivenError::Misplaced {
            index: 1,
            misplaced: Misplaced {
                stream: "counter-0".into(),
                event_owner: "right",
                prefix: "right-",
                stream_owner: Some("left"),
            },
        }
    );
    assert_eq!(
        refused.to_string(),
        "a `right` event belongs to `right-…` streams, not `counter-0` (owned by `left`)"
    );
    assert!(engine.journal().is_empty(), "nothing recorded");
    let unowned = engine
        .given(&"other-1".into(), [Sum::Left(added(1, 1))])
        .unwrap_err();
    assert!(unowned
        .to_string()
        .ends_with("not `other-1` (owned by no part)"));
    engine
        .given(&"right-0".into(), [Sum::Right(added(0, 3))])
        .unwrap();
    assert_eq!(engine.journal().len(), 1);

    let domain = TypedDomain::new(info(), alone(declared()));
    let mut engine = domain.start(EngineConfig::default());
    let history = [
        json!({"Left": {"Added": {"counter": 0, "amount": 5}}}),
        json!({"Right": {"Added": {"counter": 0, "amount": 3}}}),
    ];
    let error = engine.given("counter-0", &history).unwrap_err();
    assert_eq!(error.path, "$[1]");
    assert_eq!(error.message, refused.to_string());
}

#[test]
fn a_journal_with_one_part_in_another_parts_stream_does_not_rebuild() {
    let mut loose = Engine::new(alone(routed()), EngineConfig::default());
    loose
        .given(&"counter-0".into(), [Sum::Right(added(0, 3))])
        .unwrap();
    let rebuilt = Engine::from_journal(
        Arc::new(alone(declared())),
        EngineConfig::default(),
        loose.journal().to_vec(),
    );
    match rebuilt {
        Err(EngineError::Journal(e)) => {
            assert_eq!(e.entry, 0);
            assert!(e.message.contains("not `counter-0`"), "{e}");
        }
        other => panic!("rebuilt: {:?}", other.err()),
    }
}
