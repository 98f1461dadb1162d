//! Heap bytes the whole engine keeps per event, and which part of it holds them,
//! measured with a counting allocator; then the longest chunk of freeing a 1M-fact engine
//! taken apart ([`decider_core::Remains`]). Run with
//! `cargo bench -p decider-bench --bench memory`; figures are in BENCHMARKS.md.

use decider_bench::heap::{self, parts, payload_bytes, payload_bytes_with_texts, Counting};
use decider_bench::order;
use decider_bench::workloads::{
    config, counter_engine, mirror_commands, order_engine, restaurant_commands, restaurant_engine,
    run_commands, stream_commands, RestaurantFlow,
};
use decider_core::{CommandEnvelope, Engine, JournalEntry, StepRecord, System};
use std::hint::black_box;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Builds an engine with `build`, then prints its live bytes per fact (all of them, the
/// payload's own, and the engine's beyond the payload), the bytes each part of it frees
/// when it is taken apart ([`Freeing`]), and the time that takes.
///
/// The payload is given twice. "As cloned" (the headline, [`payload_bytes`]): a clone of
/// each message, which copies no text the messages share (`Arc<str>`), so those texts
/// count as beyond the payload. "With its texts" ([`payload_bytes_with_texts`], on a
/// second engine `build` makes): what those clones keep alive once the engine is dropped,
/// each shared text counted once.
fn measure<Y: System>(name: &str, build: impl Fn() -> Engine<Y>) {
    let with_texts = payload_bytes_with_texts(&build, heap::live);
    let (before, blocks_before) = (heap::live(), heap::blocks());
    let engine = build();
    let bytes = heap::live() - before;
    let blocks = heap::blocks() - blocks_before;
    let payload = payload_bytes(&engine, heap::live);
    let events = engine.timeline().head();
    let entries = engine.journal().len();
    let start = Instant::now();
    let parts = parts(black_box(engine), heap::live);
    let freed = start.elapsed();
    let per_fact = |bytes: usize| bytes as f64 / events as f64;
    let parts: Vec<String> = parts
        .iter()
        .map(|(part, bytes)| format!("{part:?} {:.0}", per_fact(*bytes)))
        .collect();
    println!(
        "{name}: {events} facts, {entries} journal entries, {bytes} bytes live \
         ({:.0} bytes per fact: payload as cloned {:.0}, beyond the payload as cloned {:.0}; \
         payload with its texts {:.0}, beyond the payload with its texts {:.0}; {:.2} live \
         allocations per fact; freed per fact by part: {}); taken apart in {:.1} ms; {}",
        per_fact(bytes),
        per_fact(payload),
        per_fact(bytes - payload),
        per_fact(with_texts),
        per_fact(bytes - with_texts),
        per_fact(blocks),
        parts.join(", "),
        freed.as_secs_f64() * 1e3,
        layout::<Y>(),
    );
}

/// The sizes of the records every command and step allocates, beside the payload they
/// hold inline: where the bytes beyond the payload go.
fn layout<Y: System>() -> String {
    use std::mem::size_of;
    format!(
        "a command envelope {} bytes (the command {}), a step record {} (an event {}), a \
         journal slot {}",
        size_of::<CommandEnvelope<Y::Command>>(),
        size_of::<Y::Command>(),
        size_of::<StepRecord<Y::Command, Y::Event, Y::Rejection>>(),
        size_of::<Y::Event>(),
        size_of::<JournalEntry<Y::Command, Y::Event, Y::Rejection>>(),
    )
}

/// Takes a counter engine of 1M facts, each in a stream of its own (as the playground's
/// Repeat makes them), apart, and frees it `ITEMS_PER_CHUNK` items at a time as the
/// playground does (`web/src/session/teardown.rs`): prints the chunks, the longest one,
/// the time each part took ([`decider_core::Freeing`]), and the whole time.
fn teardown() {
    const ITEMS_PER_CHUNK: usize = 512;
    let mut engine = counter_engine();
    run_commands(&mut engine, stream_commands(1_000_000));
    let start = Instant::now();
    let mut remains = black_box(engine).into_remains();
    let (mut chunks, mut longest) = (0, Duration::ZERO);
    let mut by_part: Vec<(decider_core::Freeing, Duration)> = Vec::new();
    loop {
        let part = remains.freeing();
        let chunk = Instant::now();
        let left = remains.free(ITEMS_PER_CHUNK);
        let took = chunk.elapsed();
        chunks += 1;
        longest = longest.max(took);
        match by_part.last_mut() {
            Some((last, time)) if *last == part => *time += took,
            _ => by_part.push((part, took)),
        }
        if !left {
            break;
        }
    }
    let last = Instant::now();
    drop(remains);
    let dropped = last.elapsed();
    longest = longest.max(dropped);
    let by_part: Vec<String> = by_part
        .iter()
        .map(|(part, time)| format!("{part:?} {:.0} ms", time.as_secs_f64() * 1e3))
        .collect();
    println!(
        "teardown of 1M counter facts in 1M streams: {chunks} chunks of {ITEMS_PER_CHUNK} \
         items, the longest {:.2} ms (the final drop included), {:.0} ms in all ({}, the \
         final drop {:.0} ms)",
        longest.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3,
        by_part.join(", "),
        dropped.as_secs_f64() * 1e3,
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench` asks every bench target for its list
    }
    measure("counter one-hop, 100k flows", || {
        let mut engine = counter_engine();
        run_commands(&mut engine, mirror_commands(100_000));
        engine
    });
    measure("counter one-hop, 500k flows (1M facts)", || {
        let mut engine = counter_engine();
        run_commands(&mut engine, mirror_commands(500_000));
        engine
    });
    measure("orders 25000x4", || {
        let mut engine = order_engine(config(1024));
        run_commands(&mut engine, order::commands(25_000, 4));
        engine
    });
    for (name, flow, every) in [
        (
            "restaurant happy path, 10k flows",
            RestaurantFlow::HappyPath,
            1024,
        ),
        (
            "restaurant not on menu, 10k flows",
            RestaurantFlow::NotOnMenu,
            1024,
        ),
        (
            "restaurant happy path, 10k flows, no snapshots",
            RestaurantFlow::HappyPath,
            u64::MAX,
        ),
    ] {
        measure(name, || {
            let mut engine = restaurant_engine(config(every));
            run_commands(&mut engine, restaurant_commands(flow, 0..10_000));
            engine
        });
    }
    teardown();
}
