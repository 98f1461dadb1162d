//! Where an engine's heap bytes are, for the memory benches (native and wasm), which count
//! live bytes with an allocator of their own: what the payload needs on its own, and what
//! each part of the engine frees when it is taken apart.

use decider_core::{Engine, FactKindRef, Freeing, JournalEntry, System};
use std::hint::black_box;

/// The heap bytes the engine's payload needs on its own: every recorded event (or
/// rejection: the refused command and the reason) and every command queued, each stored
/// once by value with its own heap data, measured by cloning them into exact-size vectors
/// while `live` reads the counting allocator's live bytes.
pub fn payload_bytes<Y: System>(engine: &Engine<Y>, live: impl Fn() -> usize) -> usize {
    let journal = engine.journal();
    let before = live();
    let facts = || journal.iter().flat_map(|e| e.facts());
    let rejected = facts().filter(|f| f.is_rejection()).count();
    let mut events: Vec<Y::Event> = Vec::with_capacity(facts().count() - rejected);
    let mut rejections: Vec<(Y::Command, Y::Rejection)> = Vec::with_capacity(rejected);
    let mut commands: Vec<Y::Command> =
        Vec::with_capacity(journal.iter().flat_map(JournalEntry::queued).count());
    for entry in journal {
        for fact in entry.facts() {
            match fact.kind {
                FactKindRef::Event { event, .. } => events.push(event.clone()),
                FactKindRef::Rejected { command, reason } => {
                    rejections.push((command.clone(), reason.clone()))
                }
            }
        }
        commands.extend(entry.queued().map(|c| c.command.clone()));
    }
    let bytes = live() - before;
    drop(black_box((events, rejections, commands)));
    bytes
}

/// Takes `engine` apart a few items at a time and returns the heap bytes each part of it
/// freed (a part frees what only it held: the journal frees the payload, the streams the
/// stream ids the journal shared with them; the last part, [`Freeing::Rest`], is what
/// dropping the remains frees); `live` reads the counting allocator's live bytes.
pub fn parts<Y: System>(engine: Engine<Y>, live: impl Fn() -> usize) -> Vec<(Freeing, usize)> {
    let mut remains = engine.into_remains();
    let mut parts: Vec<(Freeing, usize)> = Vec::new();
    loop {
        let (part, before) = (remains.freeing(), live());
        let left = remains.free(64);
        let freed = before - live();
        match parts.last_mut() {
            Some((last, bytes)) if *last == part => *bytes += freed,
            _ => parts.push((part, freed)),
        }
        if !left {
            break;
        }
    }
    let before = live();
    drop(remains);
    parts.push((Freeing::Rest, before - live()));
    parts
}
