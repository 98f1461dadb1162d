//! Time travel on the tiny domain: the state at any position, inside given history too,
//! the journal's positions, and the snapshots the configuration asks for.

use super::domain::*;
use crate::{Engine, EngineConfig, JournalEntry, StreamId};

#[test]
fn before_the_first_fact_time_travel_shows_the_initial_state() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.submit(add(0, 10));
    engine.run_until_idle(100);
    assert!(
        matches!(engine.journal()[0], JournalEntry::Submitted(_)),
        "the journal starts with the submission"
    );
    let start = engine.at_position(0);
    assert_eq!(start.position, 0);
    assert!(start.queue.is_empty(), "nothing submitted yet");
    assert!(start.streams.is_empty());
    assert_eq!(start.view, Default::default());
    let after_submission = engine
        .timeline()
        .at_entry(engine.system(), &engine.state().streams, 1);
    assert_eq!(after_submission.queue.len(), 1, "the submission is queued");
}

#[test]
fn time_travel_into_given_history_shows_only_the_events_before_the_position() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    let c1: StreamId = "counter-1".into();
    engine
        .given(&c1, [added(1, 5), added(1, 7), added(1, 9)])
        .unwrap();
    let totals: Vec<(i32, u64, u64)> = (0..=3)
        .map(|p| {
            let at = engine.at_position(p);
            let stream = at.stream(engine.system(), &c1);
            (stream.state, stream.version, at.view.1)
        })
        .collect();
    assert_eq!(
        totals,
        [(0, 0, 0), (5, 1, 1), (12, 2, 2), (21, 3, 3)],
        "(total, version, events seen by the view) at positions 0 to 3"
    );
}

#[test]
fn the_timeline_maps_journal_entries_to_the_facts_they_recorded() {
    let mut engine = Engine::new(system(), EngineConfig::default());
    engine.submit(add(3, 1)); // entry 0: no fact
    engine.step(); // entry 1: fact 0
    engine
        .given(&"counter-1".into(), [added(1, 1), added(1, 2)])
        .unwrap(); // entry 2: facts 1, 2
    engine.submit(add(3, 2)); // entry 3: no fact
    engine.step(); // entry 4: fact 3
    let timeline = engine.timeline();
    assert_eq!(timeline.head(), 4);
    let after: Vec<u64> = (0..=6).map(|e| timeline.position_after(e)).collect();
    assert_eq!(after, [0, 0, 1, 3, 3, 4, 4], "past the journal: the head");
    let entry_of: Vec<usize> = (0..=4).map(|p| timeline.entry_of_position(p)).collect();
    assert_eq!(
        entry_of,
        [1, 2, 2, 4, 5],
        "no entry recorded position 4 yet"
    );
    let through: Vec<usize> = (0..=4)
        .map(|p| timeline.entries_through_position(p))
        .collect();
    assert_eq!(through, [0, 2, 3, 3, 5]);
    assert_eq!(timeline.position_after(timeline.journal().len()), 4);
}

#[test]
fn a_snapshot_is_kept_every_k_facts_or_every_k_entries() {
    let config = EngineConfig {
        snapshot_every: 3,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    let mut counts = vec![engine.timeline().snapshot_count()];
    engine.submit(add(3, 1)); // entries 1, facts 0
    counts.push(engine.timeline().snapshot_count());
    engine.submit(add(3, 1)); // entries 2, facts 0
    counts.push(engine.timeline().snapshot_count());
    engine.step(); // entries 3, facts 1: three entries since the last snapshot
    counts.push(engine.timeline().snapshot_count());
    engine.step(); // entries 4, facts 2
    counts.push(engine.timeline().snapshot_count());
    engine
        .given(&"counter-1".into(), [added(1, 1), added(1, 1), added(1, 1)])
        .unwrap(); // entries 5, facts 5: four facts since the last snapshot
    counts.push(engine.timeline().snapshot_count());
    assert_eq!(counts, [1, 1, 1, 2, 2, 3]);
    for position in 0..=5 {
        assert_eq!(engine.at_position(position).position, position);
    }
}

#[test]
fn the_state_for_some_streams_is_the_whole_state_for_those_streams() {
    let config = EngineConfig {
        snapshot_every: 3,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    // Fifty streams, the saga forwarding from the first three, a rejection now and then,
    // and commands left waiting at the end.
    for i in 0..150u8 {
        engine.submit(add(i % 50, if i % 17 == 0 { 2 * CAP } else { 1 }));
        engine.run_until_idle(100);
    }
    engine.submit(add(7, 1));
    engine.submit(add(8, 1));
    let (system, timeline) = (engine.system(), engine.timeline());
    let live = &engine.state().streams;
    let queued = |queue: &imbl::Vector<crate::envelope::SharedCommand<Cmd>>| {
        queue.iter().map(|c| c.command_id).collect::<Vec<_>>()
    };
    let mut partial = 0;
    for position in 0..=timeline.head() + 1 {
        let whole = engine.at_position(position);
        for counter in [0, 1, 7, 49] {
            let id: StreamId = format!("counter-{counter}").into();
            let part = timeline.at_position_for(system, live, position, std::slice::from_ref(&id));
            let at = format!("counter {counter} at {position}");
            assert_eq!(part.streams.get(&id), whole.streams.get(&id), "{at}");
            assert_eq!(
                (&part.view, &part.process),
                (&whole.view, &whole.process),
                "{at}"
            );
            assert_eq!(
                (part.position, part.entries, part.steps, part.commands),
                (whole.position, whole.entries, whole.steps, whole.commands),
                "{at}"
            );
            assert_eq!(queued(&part.queue), queued(&whole.queue), "{at}");
            partial += usize::from(part.streams.len() < whole.streams.len());
        }
    }
    assert!(
        partial > 0,
        "some states put back fewer streams than the whole state"
    );
    let entries = timeline.journal().len();
    for at in 0..=entries {
        let id: StreamId = "counter-3".into();
        let part = timeline.at_entry_for(system, live, at, std::slice::from_ref(&id));
        let whole = timeline.at_entry(system, &engine.state().streams, at);
        assert_eq!(part.streams.get(&id), whole.streams.get(&id), "entry {at}");
        assert_eq!(part.view, whole.view, "entry {at}");
    }
}

#[test]
fn the_state_for_some_streams_holds_only_those_streams() {
    // A snapshot every 64 entries, a checkpoint of every stream every 256 snapshots: past
    // the first checkpoint the whole state holds all fifty streams, the state for one
    // stream that stream alone, however many streams the entries it folds write.
    let config = EngineConfig {
        snapshot_every: 64,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    for i in 0..10_000u32 {
        engine.submit(add((i % 50) as u8, 1));
        engine.run_until_idle(100);
    }
    let (system, timeline) = (engine.system(), engine.timeline());
    let live = &engine.state().streams;
    let id: StreamId = "counter-20".into();
    for position in [9_000, 9_001, 9_500, timeline.head() - 1] {
        let part = timeline.at_position_for(system, live, position, std::slice::from_ref(&id));
        let whole = engine.at_position(position);
        assert_eq!(
            part.streams.get(&id),
            whole.streams.get(&id),
            "at {position}"
        );
        assert!(whole.streams.len() >= 50, "at {position}");
        assert_eq!(part.streams.len(), 1, "at {position}");
    }
}
