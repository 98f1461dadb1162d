//! Where an engine's heap bytes are, for the memory benches (native and wasm), which count
//! live bytes with an allocator of their own: what the payload needs on its own, and what
//! each part of the engine frees when it is taken apart.

use decider_core::{Engine, FactKindRef, Freeing, JournalEntry, System};
use std::alloc::{GlobalAlloc, Layout, System as SystemAlloc};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An allocator that counts the live heap bytes and live allocations the program asked
/// for, and forwards every call to the system's (dlmalloc in wasm). A bench installs it
/// with `#[global_allocator] static ALLOCATOR: Counting = Counting;` and reads [`live`]
/// and [`blocks`]. Allocations matter beside bytes: each costs the allocator a header and
/// rounding, which the byte count does not show.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static BLOCKS: AtomicUsize = AtomicUsize::new(0);

/// The live heap bytes counted by [`Counting`] (0 if it is not the global allocator).
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The live allocations counted by [`Counting`] (0 if it is not the global allocator).
pub fn blocks() -> usize {
    BLOCKS.load(Ordering::Relaxed)
}

// SAFETY: forwards every call to the system allocator and only adds bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        BLOCKS.fetch_add(1, Ordering::Relaxed);
        unsafe { SystemAlloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
        unsafe { SystemAlloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { SystemAlloc.realloc(ptr, layout, new_size) }
    }
}

/// The heap bytes the engine's payload needs on its own: every recorded event (or
/// rejection: the refused command and the reason) and every command queued, each stored
/// once by value with its own heap data, measured by cloning them into exact-size vectors
/// while `live` reads the counting allocator's live bytes. A clone of a text the messages
/// share (an `Arc<str>`) copies nothing, so those texts are not counted here (they are
/// in [`payload_bytes_with_texts`]).
pub fn payload_bytes<Y: System>(engine: &Engine<Y>, live: impl Fn() -> usize) -> usize {
    let before = live();
    let payload = Payload::cloned(engine);
    let bytes = live() - before;
    drop(black_box(payload));
    bytes
}

/// The heap bytes the payload keeps alive on its own, each text it shares counted once:
/// the engine `build` makes, its messages cloned as [`payload_bytes`] clones them, then
/// the engine dropped, so that the texts the clones shared with it stay alive for them
/// alone; `live` reads the counting allocator's live bytes.
pub fn payload_bytes_with_texts<Y: System>(
    build: impl FnOnce() -> Engine<Y>,
    live: impl Fn() -> usize,
) -> usize {
    let before = live();
    let engine = build();
    let payload = Payload::cloned(&engine);
    drop(black_box(engine));
    let bytes = live() - before;
    drop(black_box(payload));
    bytes
}

/// An engine's messages, each cloned once into exact-size vectors.
struct Payload<Y: System> {
    events: Vec<Y::Event>,
    rejections: Vec<(Y::Command, Y::Rejection)>,
    commands: Vec<Y::Command>,
}

impl<Y: System> Payload<Y> {
    /// Every event and rejection `engine` recorded, and every command queued, cloned.
    fn cloned(engine: &Engine<Y>) -> Self {
        let journal = engine.journal();
        let facts = || engine.journal_run().facts();
        let rejected = facts().filter(|f| f.is_rejection()).count();
        let mut payload = Payload {
            events: Vec::with_capacity(facts().count() - rejected),
            rejections: Vec::with_capacity(rejected),
            commands: Vec::with_capacity(journal.iter().flat_map(JournalEntry::queued).count()),
        };
        for entry in engine.journal_run().iter() {
            for fact in entry.record.facts(entry.at) {
                match fact.kind {
                    FactKindRef::Event { event, .. } => payload.events.push(event.clone()),
                    FactKindRef::Rejected { command, reason } => {
                        payload.rejections.push((command.clone(), reason.clone()))
                    }
                }
            }
            payload
                .commands
                .extend(entry.queued().map(|c| c.command.clone()));
        }
        payload
    }
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
