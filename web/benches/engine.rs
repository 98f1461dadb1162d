//! The engine's benchmarks in the browser: the native benches' realistic workloads
//! (`benches/`, decider-bench) compiled to wasm and run in headless Chromium, so that
//! BENCHMARKS.md can give the wasm/native ratio of each. Every figure is the workload
//! alone: engines are built and dropped outside the timed part. Run by `cargo xtask
//! bench`, or alone with its environment (a sample takes up to a second, so the test
//! runner must wait longer than its default 20 s for the page):
//! `WASM_BINDGEN_TEST_DRIVER_TIMEOUT=600 WASM_BINDGEN_TEST_TIMEOUT=1800 cargo bench -p decider-web --target wasm32-unknown-unknown --bench engine`.
#![cfg(target_arch = "wasm32")]

use decider_bench::order::{self, OrderDecider};
use decider_bench::plain::PlainLoop;
use decider_bench::workloads::{
    config, counter_engine, mirror_commands, mirror_system, next_position, order_engine,
    restaurant_commands, restaurant_engine, run_commands, welcome_commands, welcome_engine,
    welcome_flows, RestaurantFlow,
};
use decider_core::Engine;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen_test::{wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion, Instant};

wasm_bindgen_test_configure!(run_in_browser);

/// The time `run` takes on a fresh value from `setup`, `iters` times; building and
/// dropping the value are not timed (criterion's `iter_batched`, which the wasm harness
/// lacks).
fn batched<T>(iters: u64, mut setup: impl FnMut() -> T, mut run: impl FnMut(&mut T)) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let mut value = setup();
        let start = Instant::now();
        run(&mut value);
        total += start.elapsed();
        drop(value);
    }
    total
}

/// Ten samples a benchmark, as natively: a sample here runs for 10 ms to a second.
fn ten_samples(c: &mut Criterion) {
    *c = std::mem::take(c).sample_size(10);
}

#[wasm_bindgen_bench]
fn orders(c: &mut Criterion) {
    ten_samples(c);
    let commands = order::commands(25_000, 4);
    c.bench_function("orders/engine 25000x4, 100k commands (wasm)", |b| {
        b.iter_custom(|iters| {
            batched(
                iters,
                || (order_engine(config(1024)), commands.clone()),
                |(engine, commands)| run_commands(engine, std::mem::take(commands)),
            )
        })
    });
    c.bench_function("orders/plain loop 25000x4, 100k commands (wasm)", |b| {
        b.iter_custom(|iters| {
            batched(
                iters,
                || (PlainLoop::new(OrderDecider), commands.clone()),
                |(plain, commands)| plain.run(std::mem::take(commands)),
            )
        })
    });
}

#[wasm_bindgen_bench]
fn flows(c: &mut Criterion) {
    const FLOWS: usize = 1_000;
    ten_samples(c);
    c.bench_function("flows/order one-hop, 1k flows (wasm)", |b| {
        b.iter_custom(|iters| {
            batched(
                iters,
                || (welcome_engine(), welcome_commands(0..FLOWS)),
                |(engine, commands)| welcome_flows(engine, std::mem::take(commands)),
            )
        })
    });
    for (name, flow) in [
        ("restaurant happy path", RestaurantFlow::HappyPath),
        ("restaurant not on menu", RestaurantFlow::NotOnMenu),
    ] {
        c.bench_function(&format!("flows/{name}, 1k flows (wasm)"), |b| {
            b.iter_custom(|iters| {
                batched(
                    iters,
                    || {
                        let engine = restaurant_engine(config(1024));
                        (engine, restaurant_commands(flow, 0..FLOWS))
                    },
                    |(engine, commands)| run_commands(engine, std::mem::take(commands)),
                )
            })
        });
    }
}

/// Time travel, one flow's trace and a rebuild, over a 1M-fact counter log (as natively).
#[wasm_bindgen_bench]
fn million(c: &mut Criterion) {
    ten_samples(c);
    let mut engine = counter_engine();
    run_commands(&mut engine, mirror_commands(500_000));
    let head = engine.timeline().head();
    let journal = engine.journal();
    let last = (0..journal.len())
        .rev()
        .find_map(|entry| journal[entry].as_step())
        .map(|step| step.command().correlation_id)
        .expect("the log has steps");
    c.bench_function("1M events/state at a random position (wasm)", |b| {
        let mut position = 12_345u64;
        b.iter(|| {
            position = next_position(position, head);
            black_box(engine.at_position(position).position)
        })
    });
    c.bench_function("1M events/trace of one flow (wasm)", |b| {
        b.iter(|| black_box(engine.trace(last)))
    });
    c.bench_function(
        "1M events/rebuild from the journal, 1.5M entries (wasm)",
        |b| {
            b.iter_custom(|iters| {
                batched(
                    iters,
                    || engine.journal().to_vec(),
                    |journal| {
                        let journal = std::mem::take(journal);
                        let system = Arc::new(mirror_system());
                        let rebuilt = Engine::from_journal(system, *engine.config(), journal);
                        black_box(rebuilt.expect("it folds"));
                    },
                )
            })
        },
    );
}
