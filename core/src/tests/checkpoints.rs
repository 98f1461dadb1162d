//! Time travel across the timeline's checkpoints: snapshots between two checkpoints keep
//! no stream (the checkpoint's streams with the events since folded in stand for them),
//! and must still give the state the journal folds to.

use super::domain::{add, added, system};
use crate::{Engine, EngineConfig, Projection, StreamId};

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
fn with_many_streams_the_state_at_any_entry_is_still_the_fold_of_the_journal() {
    // 6,000 streams written round by round: checkpoints come 4 × 6,000 = 24,000 entries
    // apart (more than the 16,384 of a few streams), and the journal crosses two of them.
    let config = EngineConfig {
        snapshot_every: 1024,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    let streams: Vec<StreamId> = (0..6_000).map(|n| format!("s{n}").into()).collect();
    for round in 0..9 {
        for (n, stream) in streams.iter().enumerate() {
            let amount = i32::try_from(n % 7).expect("small") - round;
            engine
                .given(stream, [added((n % 200) as u8, amount)])
                .expect("history of a stream of its own");
        }
    }
    let system = engine.system();
    let timeline = engine.timeline();
    // Snapshots every 1,024 entries: the first one at least 24,000 entries after the last
    // checkpoint is the next (with a few streams, every 16th would be).
    assert_eq!(timeline.checkpoint_entries(), [0, 24_576, 49_152]);
    let watched = streams[4_321].clone();
    let mut folded = Projection::new(system);
    for (entries, entry) in engine.journal().iter().enumerate() {
        if entries % 997 == 0 {
            let at = timeline.at_entry(system, entries);
            assert_eq!(
                at.streams, folded.streams,
                "streams after {entries} entries"
            );
            assert_eq!(
                (at.position, &at.view),
                (folded.position, &folded.view),
                "after {entries} entries"
            );
            let part = timeline.at_entry_for(system, entries, std::slice::from_ref(&watched));
            assert_eq!(
                part.streams.get(&watched),
                folded.streams.get(&watched),
                "{watched} after {entries} entries"
            );
        }
        folded.apply(system, entry).expect("the journal folds");
    }
    assert_eq!(
        engine.at_position(timeline.head()).streams,
        engine.state().streams
    );
}
