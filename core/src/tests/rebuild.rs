//! Rebuilding an engine from its journal: it goes on exactly as the original would, and
//! a journal that does not continue the engine names the entry and what is wrong.

use super::domain::*;
use crate::{
    Engine, EngineConfig, EngineError, Freeing, JournalEntry, ReadEntry, Run, StepFailure,
};
use std::sync::Arc;

/// An entry of the tiny domain, typed or read.
type Read = ReadEntry<Cmd, Ev, Rej>;

/// `journal` rebuilt on the tiny domain with `config`.
fn rebuild(
    config: EngineConfig,
    journal: Vec<impl Into<Read>>,
) -> Result<Engine<System>, EngineError> {
    Engine::from_journal(Arc::new(system()), config, journal)
}

/// The message of the journal error `journal` fails with, prefixed by its entry.
fn refusal(journal: Vec<impl Into<Read>>) -> String {
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
        .find_map(|s| match s.failure() {
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

/// `journal` written as JSON, changed by `tamper`, and read back.
fn tampered(
    journal: Run<'_, Cmd, Ev, Rej>,
    tamper: impl FnOnce(&mut serde_json::Value),
) -> Result<Vec<Read>, serde_json::Error> {
    let mut json = serde_json::to_value(journal).expect("a journal is JSON");
    tamper(&mut json);
    serde_json::from_value(json)
}

#[test]
fn a_journal_with_an_entry_in_two_streams_does_not_read() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine
        .given(&"counter-1".into(), [added(1, 1), added(1, 2)])
        .unwrap();
    let refused = tampered(engine.journal_run(), |json| {
        let second = &mut json[0]["given"][1];
        second["stream_id"] = "counter-2".into();
        second["kind"]["event"]["event"] = serde_json::to_value(added(2, 2)).unwrap();
    })
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "one entry records facts in streams `counter-1` and `counter-2`"
    );
}

#[test]
fn a_journal_whose_fact_names_another_command_does_not_read() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.submit(add(1, 2));
    engine.step();
    let refused = tampered(engine.journal_run(), |json| {
        json[1]["step"]["facts"][0]["fact"]["causation_id"] = "00000000000000ff".into();
    })
    .unwrap_err();
    assert!(refused.to_string().contains("causation ids"), "{refused}");
    let read = tampered(engine.journal_run(), |_| {}).expect("an untouched journal reads");
    let entries: Vec<_> = read.iter().map(|read| read.entry.clone()).collect();
    // Read alone, a fact keeps the id it names; loaded by an engine whose ids give it,
    // the entry is kept as that engine recorded it.
    let ids = engine.state().ids;
    let written = |run| serde_json::to_value(run).expect("a journal is JSON");
    assert_eq!(
        written(Run::whole(&entries, ids)),
        written(engine.journal_run()),
        "and reads as it was written"
    );
    let loaded = Engine::from_journal(Arc::new(system()), *engine.config(), read.clone())
        .expect("it rebuilds");
    assert_eq!(
        loaded.journal(),
        engine.journal(),
        "and loads as it was recorded"
    );
    let places: Vec<_> = read.iter().map(|read| read.at).collect();
    let step = crate::Named {
        time: 1,
        position: 0,
    };
    assert_eq!(places, [None, Some(step)], "with the place its facts name");
}

/// An engine whose journal is given history (entry 0, fact 0), a submission and a step
/// (entry 2, fact 1).
fn given_and_stepped() -> Engine<System> {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.given(&"counter-1".into(), [added(1, 1)]).unwrap();
    engine.submit(add(1, 2));
    engine.step();
    engine
}

#[test]
fn a_journal_whose_facts_name_another_time_than_their_entry_s_does_not_rebuild() {
    // Before an entry kept its own time (session 15), a journal read with another time
    // rebuilt, and wrote that time back; the entry's time is its index now, so it is
    // refused, at its entry, before anything else of it is checked.
    let engine = given_and_stepped();
    for (entry, path) in [(0, "/0/given/0/time"), (2, "/2/step/facts/0/fact/time")] {
        let journal = tampered(engine.journal_run(), |json| {
            *json.pointer_mut(path).expect("the fact's time") = 7.into();
        })
        .expect("a time is checked against the engine, not when read");
        let position = if entry == 0 { 0 } else { 1 };
        assert_eq!(
            refusal(journal),
            format!("journal entry {entry}: fact at position {position} has time 7 where {entry} was expected")
        );
    }
    let journal = tampered(engine.journal_run(), |_| {}).unwrap();
    let rebuilt = rebuild(EngineConfig::default(), journal).expect("the journal as written");
    assert_eq!(rebuilt.journal(), engine.journal());
}

#[test]
fn a_journal_whose_facts_name_another_position_does_not_rebuild_as_before() {
    // The entry keeps no position either: the one its facts name is checked as each fact
    // is folded, with the message it always had.
    let engine = given_and_stepped();
    let journal = tampered(engine.journal_run(), |json| {
        json[2]["step"]["facts"][0]["fact"]["position"] = 5.into();
    })
    .expect("a position is checked against the engine, not when read");
    assert_eq!(
        refusal(journal),
        "journal entry 2: fact at position 5 where 1 was expected"
    );
}

#[test]
fn typed_entries_name_no_place_and_fold_where_they_land() {
    // Only an engine or a reader makes typed entries; handed over typed, an entry names no
    // place, so with the one before it left out it folds where it lands (before session
    // 15 it kept its position and was refused), while the same entry read from its JSON
    // names its place and is refused.
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.given(&"counter-1".into(), [added(1, 1)]).unwrap();
    engine.given(&"counter-2".into(), [added(2, 1)]).unwrap();
    let second = vec![engine.journal()[1].clone()];
    let rebuilt = rebuild(EngineConfig::default(), second).expect("placed where it lands");
    let places: Vec<(u64, u64)> = rebuilt.facts(0).map(|f| (f.time, f.position)).collect();
    assert_eq!(places, [(0, 0)]);
    let read = tampered(engine.journal_run(), |json| {
        json.as_array_mut().expect("an array of entries").remove(0);
    })
    .unwrap();
    assert_eq!(
        refusal(read),
        "journal entry 0: fact at position 1 has time 1 where 0 was expected"
    );
}

#[test]
fn a_journal_that_skips_a_stream_version_does_not_rebuild() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.given(&"counter-1".into(), [added(1, 1)]).unwrap();
    engine.submit(add(1, 2));
    engine.step();
    let journal = tampered(engine.journal_run(), |json| {
        json[2]["step"]["facts"][0]["fact"]["kind"]["event"]["stream_version"] = 3.into();
    })
    .expect("a stream version is checked against the engine, not when read");
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

#[test]
fn an_engine_taken_apart_frees_its_snapshots_journal_and_streams_a_slice_at_a_time() {
    for snapshot_every in [4, 16_384] {
        let config = EngineConfig {
            snapshot_every,
            ..EngineConfig::default()
        };
        let mut engine = Engine::new(system(), config);
        for n in 0..20_000u32 {
            engine.submit(add((n % 3) as u8, 1));
            engine.run_until_idle(100);
        }
        let snapshots = engine.timeline().snapshot_count() - 1;
        let states = engine.timeline().checkpoint_items();
        let (entries, streams) = (engine.journal().len(), engine.state().streams.len());
        assert!(
            snapshots > 0 && streams > 1,
            "{snapshots} snapshots, {streams} streams"
        );
        let mut remains = engine.into_remains();
        assert!(remains.free(0), "freeing nothing leaves everything");
        // A snapshot takes a call of its own; every stream state and stream id the
        // checkpoints hold, journal entry and live stream is an item.
        // `freeing` names each call's part, in order, as many calls as the part has.
        let items = states + entries + streams;
        let mut parts: Vec<(Freeing, usize)> = Vec::new();
        let calls = (1..=snapshots + items).find(|_| {
            match parts.last_mut() {
                Some((part, calls)) if *part == remains.freeing() => *calls += 1,
                _ => parts.push((remains.freeing(), 1)),
            }
            !remains.free(1)
        });
        assert_eq!(
            calls,
            Some(snapshots + items),
            "every {snapshot_every} facts"
        );
        let expected = [
            (Freeing::Snapshots, snapshots + states),
            (Freeing::Journal, entries),
            (Freeing::Streams, streams),
        ];
        assert_eq!(parts, expected, "every {snapshot_every} facts");
        assert_eq!(remains.freeing(), Freeing::Rest);
        assert!(!remains.free(7), "nothing is left");
    }
}
