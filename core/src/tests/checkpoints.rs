//! Time travel across the timeline's checkpoints: snapshots between two checkpoints keep
//! no stream (the checkpoint's streams with the events since folded in stand for them),
//! and must still give the state the journal folds to.

use super::domain::{add, system};
use crate::{Engine, EngineConfig, Projection};

#[test]
fn the_state_at_any_entry_is_the_fold_of_the_journal_across_checkpoints() {
    let config = EngineConfig {
        snapshot_every: 512,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    for n in 0..12_000u32 {
        let counter = (n % 200) as u8;
        engine.submit(add(counter, if n % 400 < 200 { 3 } else { -1 }));
        engine.run_until_idle(10);
    }
    // A checkpoint every 16,384 / 512 = 32 snapshots: the journal crosses the second.
    assert!(
        engine.timeline().snapshot_count() > 40,
        "{} snapshots",
        engine.timeline().snapshot_count()
    );
    let system = engine.system();
    let mut folded = Projection::new(system);
    for (entries, entry) in engine.journal().iter().enumerate() {
        if entries % 13 == 0 {
            let at = engine.timeline().at_entry(system, entries);
            assert_eq!(
                at.streams, folded.streams,
                "streams after {entries} entries"
            );
            assert_eq!(
                (at.position, at.entries, at.queue.len(), &at.view),
                (
                    folded.position,
                    folded.entries,
                    folded.queue.len(),
                    &folded.view
                ),
                "after {entries} entries"
            );
        }
        folded.apply(system, entry).expect("the journal folds");
    }
    let head = engine.timeline().head();
    assert_eq!(engine.at_position(head).streams, engine.state().streams);
}

#[test]
fn streams_first_written_between_checkpoints_are_kept_by_the_next_one() {
    // A checkpoint every 16,384 / 1024 = 16 snapshots, about every 8,000 commands here:
    // a new stream every 100 commands, the others written now and then, so every
    // checkpoint holds streams it wrote, streams it only shares with the one before, and
    // streams that came after the one before.
    let config = EngineConfig {
        snapshot_every: 1024,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    for n in 0..25_000u32 {
        let newest = n / 100;
        let counter = if n % 7 == 0 { newest } else { n % (newest + 1) };
        engine.submit(add(counter as u8, 1));
        engine.run_until_idle(10);
    }
    let system = engine.system();
    let (timeline, live) = (engine.timeline(), &engine.state().streams);
    let mut folded = Projection::new(system);
    for (entries, entry) in engine.journal().iter().enumerate() {
        if entries % 997 == 0 || entries % 16_384 < 3 {
            let at = timeline.at_entry(system, entries);
            assert_eq!(at.streams, folded.streams, "after {entries} entries");
            for id in folded.streams.keys().step_by(17) {
                let part = timeline.at_entry_for(system, live, entries, std::slice::from_ref(id));
                let expected = folded.streams.get(id);
                assert_eq!(part.streams.get(id), expected, "{id} after {entries}");
            }
        }
        folded.apply(system, entry).expect("the journal folds");
    }
    assert_eq!(folded.streams.len(), 250);
    assert_eq!(engine.state().streams, folded.streams);
}

#[test]
fn a_write_after_a_checkpoint_leaves_the_live_state_in_place_and_the_checkpoint_a_copy() {
    use crate::{Decider, System};
    let mut engine = Engine::new(system(), EngineConfig::default());
    // Counters 4 and 5 forward nothing (see `Forward`).
    engine.submit(add(5, 5));
    engine.run_until_idle(10);
    // A checkpoint every 16,384 entries: counter 4's commands carry the journal past one,
    // which keeps counter 5's state, shared with the live map.
    while engine.journal().len() <= 16_384 {
        engine.submit(add(4, 0));
        engine.run_until_idle(10);
    }
    let id = engine.system().decider().stream_id(&add(5, 5));
    let live = |engine: &Engine<_>| -> *const _ { &engine.state().streams[&id] };
    let (before, entries) = (live(&engine), engine.journal().len());
    engine.submit(add(5, 5));
    engine.run_until_idle(10);
    assert!(std::ptr::eq(live(&engine), before), "written in place");
    assert_eq!(engine.state().streams[&id].state, 10);
    let system = engine.system();
    let at = engine.timeline().at_entry(system, entries);
    assert_eq!((at.streams[&id].version, at.streams[&id].state), (1, 5));
}
