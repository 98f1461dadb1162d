//! Rebuilding an engine from its journal: it goes on exactly as the original would, and
//! a journal that does not continue the engine names the entry and what is wrong.

use super::domain::*;
use crate::envelope::FactKind;
use crate::{Engine, EngineConfig, EngineError, JournalEntry, StepFailure};
use std::sync::Arc;

/// `journal` rebuilt on the tiny domain with `config`.
fn rebuild(
    config: EngineConfig,
    journal: Vec<JournalEntry<Cmd, Ev, Rej>>,
) -> Result<Engine<System>, EngineError> {
    Engine::from_journal(Arc::new(system()), config, journal)
}

/// The message of the journal error `journal` fails with, prefixed by its entry.
fn refusal(journal: Vec<JournalEntry<Cmd, Ev, Rej>>) -> String {
    match rebuild(EngineConfig::default(), journal) {
        Err(e @ EngineError::Journal(_)) => e.to_string(),
        Err(other) => panic!("not a journal error: {other:?}"),
        Ok(_) => panic!("the journal folded"),
    }
}

#[test]
fn after_given_history_and_a_cascade_limit_a_rebuilt_engine_issues_the_same_ids() {
    // Counter 0 forwards to 1, 2, 3; at depth 2 the forward to counter 3 is dropped.
    let config = EngineConfig {
        max_depth: 2,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    engine.given(&"counter-5".into(), [added(5, 1)]).unwrap();
    engine.submit(add(0, 10));
    engine.run_until_idle(100);
    let dropped = engine
        .journal()
        .iter()
        .filter_map(JournalEntry::as_step)
        .find_map(|s| match s.failure.as_deref() {
            Some(StepFailure::CascadeLimit { dropped, .. }) => Some(dropped.len()),
            _ => None,
        });
    assert_eq!(dropped, Some(1), "the forward to counter 3 was dropped");
    engine.given(&"counter-6".into(), [added(6, 1)]).unwrap();

    let mut rebuilt = rebuild(config, engine.journal().to_vec()).expect("the journal folds");
    assert_eq!(rebuilt.config(), &config, "the bounds it was rebuilt with");
    let next = engine.submit(add(1, 1));
    assert_eq!(rebuilt.submit(add(1, 1)), next);
    engine.run_until_idle(100);
    rebuilt.run_until_idle(100);
    assert_eq!(rebuilt.journal(), engine.journal());
}

#[test]
fn a_journal_with_an_entry_in_two_streams_does_not_rebuild() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine
        .given(&"counter-1".into(), [added(1, 1), added(1, 2)])
        .unwrap();
    let mut journal = engine.journal().to_vec();
    let JournalEntry::Given(facts) = &mut journal[0] else {
        panic!("given history")
    };
    let second = Arc::make_mut(&mut facts[1]);
    second.stream_id = "counter-2".into();
    second.kind = FactKind::Event {
        stream_version: 1,
        event: added(2, 2),
    };
    assert_eq!(
        refusal(journal),
        "journal entry 0: one entry records facts in streams `counter-1` and `counter-2`"
    );
}

#[test]
fn a_journal_that_skips_a_stream_version_does_not_rebuild() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.given(&"counter-1".into(), [added(1, 1)]).unwrap();
    engine.submit(add(1, 2));
    engine.step();
    let mut journal = engine.journal().to_vec();
    let JournalEntry::Step(step) = &mut journal[2] else {
        panic!("the step")
    };
    let fact = Arc::make_mut(&mut step.facts[0].fact);
    fact.kind = FactKind::Event {
        stream_version: 3,
        event: added(1, 2),
    };
    assert_eq!(
        refusal(journal),
        "journal entry 2: event at position 1 has stream version 3 where 2 was expected"
    );
}

#[test]
fn a_step_for_a_command_that_is_not_queued_does_not_rebuild() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    let first = engine.submit(add(3, 1));
    let second = engine.submit(add(3, 2));
    engine.run_until_idle(10);
    let journal = engine.journal().to_vec();
    // The second command handled before the first, which is at the front.
    let out_of_order = vec![journal[0].clone(), journal[1].clone(), journal[3].clone()];
    assert_eq!(
        refusal(out_of_order),
        format!("journal entry 2: step handles command {second} but {first} is at the front of the queue")
    );
    // A step with nothing submitted.
    assert_eq!(
        refusal(vec![journal[2].clone()]),
        format!("journal entry 0: step handles command {first} but the queue is empty")
    );
}
