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
