//! The memory of a one-million-fact restaurant session in the browser (issue 9 §5: it
//! must fit in a tab in ≤ 300 MB), in a wasm binary of its own so that no other
//! benchmark's high-water mark hides the growth. Run with
//! `WASM_BINDGEN_TEST_DRIVER_TIMEOUT=600 cargo bench -p decider-web --target wasm32-unknown-unknown --bench memory -- --nocapture`
//! (with the browser environment of `cargo xtask bench`); the figure is printed.
#![cfg(target_arch = "wasm32")]

use decider_bench::heap::{self, parts, payload_bytes, Counting};
use decider_bench::workloads::{
    config, restaurant_commands, restaurant_engine, run_commands, RestaurantFlow,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{
    console_log, wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion, Instant,
};

wasm_bindgen_test_configure!(run_in_browser);

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The size of the module's linear memory, in bytes (it only grows).
fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

/// The growth of the wasm memory while a restaurant engine records one million facts
/// (happy-path flows), split into the live bytes the program asked for, their number of
/// allocations, and what the allocator holds beyond them; the live bytes each part of the
/// engine frees when it is taken apart, and the time that takes. Printed once: building
/// it takes seconds, too long to repeat as criterion samples.
#[wasm_bindgen_bench]
fn memory(_: &mut Criterion) {
    let before = memory_bytes();
    let (live_before, blocks_before) = (heap::live(), heap::blocks());
    let mut engine = restaurant_engine(config(1024));
    let mut flows = 0;
    while engine.timeline().head() < 1_000_000 {
        let commands = restaurant_commands(RestaurantFlow::HappyPath, flows..flows + 1);
        run_commands(&mut engine, commands);
        flows += 1;
    }
    let facts = engine.timeline().head();
    let grown = memory_bytes() - before;
    let live = (heap::live() - live_before) as f64;
    let blocks = (heap::blocks() - blocks_before) as f64;
    let payload = payload_bytes(&engine, heap::live) as f64;
    let start = Instant::now();
    let parts: Vec<String> = parts(engine, heap::live)
        .iter()
        .map(|(part, bytes)| format!("{part:?} {:.0}", *bytes as f64 / facts as f64))
        .collect();
    console_log!(
        "memory/restaurant happy path (wasm): {facts} facts in {flows} flows; the wasm memory grew {:.1} MB ({:.0} bytes per fact: {:.0} live bytes asked for (payload {:.0}, beyond the payload {:.0}) in {:.2} live allocations, {:.0} beyond them); live bytes per fact freed by part: {}; taken apart in {:?}",
        grown / 1e6,
        grown / facts as f64,
        live / facts as f64,
        payload / facts as f64,
        (live - payload) / facts as f64,
        blocks / facts as f64,
        (grown - live) / facts as f64,
        parts.join(", "),
        start.elapsed()
    );
}
