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
    // 200 streams copy at most 200 held states an interval: never far apart enough to
    // wait for (8 entries a copy), so every 16,384 entries.
    let checkpoints = engine.timeline().checkpoint_entries();
    assert!(checkpoints.len() >= 2, "{checkpoints:?}");
    assert!((0..)
        .zip(&checkpoints)
        .all(|(n, &entries)| entries == 16_384 * n));
    let system = engine.system();
    let mut folded = Projection::new(system, engine.state().ids);
    for (entries, entry) in engine.journal().iter().enumerate() {
        if entries % 13 == 0 {
            let at = engine
                .timeline()
                .at_entry(system, &engine.state().streams, entries);
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
    let mut folded = Projection::new(system, engine.state().ids);
    for (entries, entry) in engine.journal().iter().enumerate() {
        if entries % 997 == 0 || entries % 16_384 < 3 {
            let at = timeline.at_entry(system, &engine.state().streams, entries);
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
fn a_whole_state_takes_the_streams_not_written_again_from_the_next_checkpoint_or_the_live_map() {
    // Counters 10 to 249 written in bursts of 40 commands, each again 9,600 commands
    // later, and every fifth command one of counters 0 to 2 (forwarded to the next): at
    // any position some streams written since the checkpoint are not written again
    // before the next checkpoint (or the head: the live map), some are written on both
    // sides, some are created after it (the first sweep) or before it and written again.
    let config = EngineConfig {
        snapshot_every: 128,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    for n in 0..30_000u32 {
        let counter = if n % 5 == 0 {
            n % 3
        } else {
            (n / 40) % 240 + 10
        };
        engine.submit(add(counter as u8, 1));
        engine.run_until_idle(10);
    }
    let (system, timeline) = (engine.system(), engine.timeline());
    let checkpoints = timeline.checkpoint_entries();
    let head = engine.journal().len();
    assert!(checkpoints.len() >= 3, "{checkpoints:?}");
    let near = |entries: usize| {
        let around = |at: usize| entries.abs_diff(at) <= 2 || entries.abs_diff(at) == 128;
        checkpoints.iter().any(|&c| around(c as usize)) || around(head)
    };
    let mut folded = Projection::new(system, engine.state().ids);
    for (entries, entry) in engine.journal().iter().enumerate() {
        if entries % 101 == 0 || near(entries) {
            let at = timeline.at_entry(system, &engine.state().streams, entries);
            assert_eq!(at.streams, folded.streams, "after {entries} entries");
            assert!(
                at.streams.keys().eq(folded.streams.keys()),
                "in order after {entries} entries"
            );
        }
        folded.apply(system, entry).expect("the journal folds");
    }
    let at = timeline.at_entry(system, &engine.state().streams, head);
    assert_eq!(at.streams, engine.state().streams);
    assert!(at.streams.keys().eq(engine.state().streams.keys()));
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
    let at = engine
        .timeline()
        .at_entry(system, &engine.state().streams, entries);
    assert_eq!((at.streams[&id].version, at.streams[&id].state), (1, 5));
}

/// Tallies: stream `tally-{n}` for command `n`, whose state lists every number recorded
/// (a state a copy must allocate for, like an order's items); `WEIGHED`: its copy
/// weighs one more for every 8 numbers ([`crate::Decider::copy_weight`]).
#[derive(Default)]
struct Tally<const WEIGHED: bool = false>;

impl<const WEIGHED: bool> crate::Decider for Tally<WEIGHED> {
    type Command = u32;
    type Event = u32;
    type State = Vec<u32>;
    type Rejection = ();

    fn initial_state(&self) -> Vec<u32> {
        Vec::new()
    }
    fn write_stream_id(&self, n: &u32, id: &mut String) {
        use std::fmt::Write;
        write!(id, "tally-{n}").expect("a `String` takes any text");
    }
    fn decide(&self, n: &u32, _: &Vec<u32>) -> Result<Vec<u32>, ()> {
        Ok(vec![*n])
    }
    fn evolve(&self, mut state: Vec<u32>, n: &u32) -> Vec<u32> {
        state.push(*n);
        state
    }
    fn copy_weight(&self, state: &Vec<u32>) -> u64 {
        if WEIGHED {
            1 + state.len() as u64 / 8
        } else {
            1
        }
    }
}

type TallySystem<const WEIGHED: bool = false> = crate::Parts<
    Tally<WEIGHED>,
    crate::view::NoView<u32>,
    crate::process_manager::NoProcess<u32, u32, ()>,
>;

/// An engine that ran `rounds` rounds of one command to each of `streams` streams, in
/// order, snapshotting every `every` entries.
fn tallies<const WEIGHED: bool>(
    streams: u32,
    rounds: u32,
    every: u64,
) -> Engine<TallySystem<WEIGHED>> {
    let config = EngineConfig {
        snapshot_every: every,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(TallySystem::default(), config);
    for n in (0..rounds).flat_map(|_| 0..streams) {
        engine.submit(n);
        engine.run_until_idle(10);
    }
    engine
}

/// Checks that the whole state after the first `entries` journal entries of `engine`, and
/// `stream`'s state alone, are those of an engine rebuilt from that prefix of its journal,
/// and, at the head, that the rebuilt engine put its checkpoints where `engine` did (the
/// journal rebuilt copies and weighs as the engine did); returns the whole state.
fn restores_as_rebuilt<const WEIGHED: bool>(
    engine: &Engine<TallySystem<WEIGHED>>,
    entries: usize,
    stream: &str,
) -> Projection<TallySystem<WEIGHED>> {
    let (system, timeline) = (engine.system(), engine.timeline());
    let live = &engine.state().streams;
    let at = timeline.at_entry(system, live, entries);
    let rebuilt = Engine::from_journal(
        std::sync::Arc::new(TallySystem::<WEIGHED>::default()),
        *engine.config(),
        engine.journal().range(..entries).iter().cloned(),
    )
    .expect("a prefix of the journal folds");
    assert_eq!(
        at.streams,
        rebuilt.state().streams,
        "after {entries} entries"
    );
    let id = crate::StreamId::from(stream);
    let part = timeline.at_entry_for(system, live, entries, std::slice::from_ref(&id));
    assert_eq!(part.streams.get(&id), rebuilt.state().streams.get(&id));
    if entries == engine.journal().len() {
        let rebuilt = rebuilt.timeline().checkpoint_entries();
        assert_eq!(rebuilt, timeline.checkpoint_entries());
    }
    at
}

#[test]
fn checkpoints_come_further_apart_when_the_writes_since_copy_many_held_states() {
    // 3,000 streams written round after round (two entries a command), a snapshot every
    // 256 entries. The first 16,384 entries write streams the checkpoint before did not
    // hold (the first round, then the same streams again in the same interval): a
    // checkpoint at 16,384, as with few streams. After it every stream's first write
    // copies the state it holds: 3,000 copies, so the next one waits for 8 × 3,000 =
    // 24,000 entries (the first snapshot past them, 94 × 256 = 24,064 after 16,384), where
    // one every 16,384 entries would have come at 32,768 and made 3,000 copies again.
    let engine = tallies::<false>(3_000, 8, 256);
    let timeline = engine.timeline();
    assert_eq!(timeline.checkpoint_entries(), [0, 16_384, 40_448]);
    let system = engine.system();
    let live = &engine.state().streams;
    let mut folded = Projection::new(system, engine.state().ids);
    for (entries, entry) in engine.journal().iter().enumerate() {
        if entries % 2_999 == 0 || (40_440..40_460).contains(&entries) {
            let at = timeline.at_entry(system, &engine.state().streams, entries);
            assert_eq!(at.streams, folded.streams, "after {entries} entries");
            for id in folded.streams.keys().step_by(101) {
                let part = timeline.at_entry_for(system, live, entries, std::slice::from_ref(id));
                assert_eq!(part.streams.get(id), folded.streams.get(id), "{id}");
            }
        }
        folded.apply(system, entry).expect("the journal folds");
    }
    assert_eq!(engine.state().streams, folded.streams);
}

#[test]
fn a_checkpoint_comes_at_most_eight_times_16384_entries_after_the_last() {
    // 20,000 streams written round after round: after the third checkpoint (32,768, the
    // last before the first round's streams are written again) every stream's first write
    // copies, 20,000 copies would ask for 160,000 entries, and the checkpoint comes at
    // 8 × 16,384 = 131,072 entries after it instead.
    let engine = tallies::<false>(20_000, 5, 4_096);
    let timeline = engine.timeline();
    assert_eq!(
        timeline.checkpoint_entries(),
        [0, 16_384, 32_768, 32_768 + 131_072]
    );
    for entries in [32_767, 163_839, 163_840, 163_841, engine.journal().len()] {
        restores_as_rebuilt(&engine, entries, "tally-19999");
    }
}

#[test]
fn checkpoints_stay_16384_entries_apart_when_the_writes_cannot_come_round_before_the_most() {
    // 80,000 streams written twice, round after round: after the first round (160,000
    // entries) every write copies a held state, 8,192 copies in 16,384 entries, and the
    // 80,000 held streams would take 160,000 entries to be written once each, beyond the
    // 8 × 16,384 a checkpoint may wait: waiting would save no copy, so the checkpoints
    // stay 16,384 entries apart (where the wait put one at 163,840 + 131,072).
    let engine = tallies::<false>(80_000, 2, 4_096);
    let timeline = engine.timeline();
    let every: Vec<u64> = (0..=311_296).step_by(16_384).collect();
    assert_eq!(timeline.checkpoint_entries(), every);
    let system = engine.system();
    let (live, head) = (&engine.state().streams, engine.journal().len());
    for entries in [180_223, 180_224, 250_001, head] {
        let at = timeline.at_entry(system, &engine.state().streams, entries);
        let rebuilt = Engine::from_journal(
            std::sync::Arc::new(TallySystem::<false>::default()),
            *engine.config(),
            engine.journal().range(..entries).iter().cloned(),
        )
        .expect("a prefix of the journal folds");
        assert_eq!(at.streams, rebuilt.state().streams, "after {entries}");
        assert!(at.streams.keys().eq(rebuilt.state().streams.keys()));
        let id = crate::StreamId::from("tally-45000");
        let part = timeline.at_entry_for(system, live, entries, std::slice::from_ref(&id));
        assert_eq!(part.streams.get(&id), rebuilt.state().streams.get(&id));
        if entries == head {
            let rebuilt = rebuilt.timeline().checkpoint_entries();
            assert_eq!(rebuilt, timeline.checkpoint_entries());
        }
    }
}

#[test]
fn checkpoints_come_further_apart_when_the_copies_since_weigh_more() {
    // 100 streams written round after round, 600 rounds (120,000 entries), a snapshot
    // every 1024 entries. Each copy weighing one: 100 copies an interval, never 8 × 100
    // entries short, so a checkpoint every 16,384 entries. Each weighing one more for
    // every 8 numbers its state lists: the first interval writes new streams only (a
    // checkpoint at 16,384). After it every stream's first write copies the state it
    // holds, and the rule weighs them when it first asks, 16 snapshots on (32,768
    // entries, 16,384 commands: 163 or 164 numbers a stream, 21 each): 2,100, so the next
    // checkpoint waits for 8 × 2,100 = 16,800 entries, at 17 × 1024 = 17,408 after
    // 16,384 (33,792). The same way: 250 or 251 numbers at 50,176 entries, 3,200, 25,600
    // entries (25 snapshots: 59,392); 378 or 379 at 75,776, 4,800, 38,400 (38 snapshots:
    // 98,304); then 573 or 574 at 114,688, 7,200, 57,600 entries, past the journal.
    let light = tallies::<false>(100, 600, 1024);
    let every: Vec<u64> = (0..120_000).step_by(16_384).collect();
    assert_eq!(light.timeline().checkpoint_entries(), every);
    let engine = tallies::<true>(100, 600, 1024);
    let timeline = engine.timeline();
    assert_eq!(
        timeline.checkpoint_entries(),
        [0, 16_384, 33_792, 59_392, 98_304]
    );
    for entries in [
        16_383,
        16_385,
        33_791,
        33_792,
        33_793,
        98_305,
        110_001,
        engine.journal().len(),
    ] {
        let at = restores_as_rebuilt(&engine, entries, "tally-57");
        let unweighed = light
            .timeline()
            .at_entry(light.system(), &light.state().streams, entries);
        assert_eq!(at.streams, unweighed.streams);
    }
}

#[test]
fn a_restored_state_written_to_leaves_the_checkpoint_and_the_live_engine_as_they_were() {
    // A whole state restored past the second checkpoint shares that checkpoint's streams
    // and the live map's table of ordinals; a fork written after it (its held streams
    // written again, streams the live engine never had created) is folded into it.
    let config = EngineConfig {
        snapshot_every: 512,
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(system(), config);
    for n in 0..10_000u32 {
        engine.submit(add((n % 150) as u8, 1 + (n % 3) as i32));
        engine.run_until_idle(10);
    }
    let entries = 16_384 + 700;
    assert_eq!(engine.timeline().checkpoint_entries()[..2], [0, 16_384]);
    let system = &crate::tests::domain::system();
    let live_before = engine.state().streams.clone();
    let mut restored = engine
        .timeline()
        .at_entry(system, &engine.state().streams, entries);
    let untouched = restored.clone();
    let mut fork = engine.fork_at_entry(entries);
    for n in 0..2_000u32 {
        // Counters 150 to 199 are new to the fork; 4 and 5 forward nothing.
        fork.submit(add((n % 200) as u8, 2));
        fork.run_until_idle(10);
    }
    for entry in fork.journal().range(entries..).iter() {
        restored
            .apply(system, entry)
            .expect("the fork's journal folds");
    }
    assert_eq!(restored.streams, fork.state().streams);
    assert_eq!(restored.streams.len(), 200);
    let new: crate::StreamId = "counter-199".into();
    assert!(restored.streams.contains_key(&new));
    assert!(!engine.state().streams.contains_key(&new));
    // The checkpoint and the live engine are as they were.
    assert_eq!(engine.state().streams, live_before);
    let again = engine
        .timeline()
        .at_entry(system, &engine.state().streams, entries);
    assert_eq!(again.streams, untouched.streams);
    assert_eq!(untouched.streams.len(), 150);
    let mut folded = Projection::new(system, engine.state().ids);
    for entry in engine.journal().range(..16_384).iter() {
        folded.apply(system, entry).expect("the journal folds");
    }
    let at_checkpoint = engine
        .timeline()
        .at_entry(system, &engine.state().streams, 16_384);
    assert_eq!(at_checkpoint.streams, folded.streams);
    // A live engine that creates a stream while a restored state shares its table of
    // ordinals leaves that state as it was.
    engine.submit(add(199, 3));
    engine.run_until_idle(10);
    assert_eq!(engine.state().streams[&new].state, 3);
    assert_eq!(again.streams, untouched.streams);
    assert!(!again.streams.contains_key(&new));
    let head = engine.journal().len();
    let latest = engine
        .timeline()
        .at_entry(system, &engine.state().streams, head);
    assert_eq!(latest.streams, engine.state().streams);
}
