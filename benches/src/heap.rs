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
