//! The replay benchmark in the browser: the same fold of 1M counter events as
//! `core/benches/core.rs`, compiled to wasm and run in headless Chromium.
//! Run: see BENCHMARKS.md (`cargo xtask bench-wasm`).
#![cfg(target_arch = "wasm32")]

use decider_core::{fold, Decider};
use decider_domains::counter::{replay_workload, Counter};
use std::hint::black_box;
use wasm_bindgen_test::{wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_bench]
fn replay(c: &mut Criterion) {
    let events = replay_workload(1_000_000);
    c.bench_function("replay/fold 1M counter events (wasm)", |b| {
        b.iter(|| fold(&Counter, Counter.initial_state(), black_box(&events)))
    });
}
