//! Native speed benchmarks of the engine on realistic deciders (criterion). Figures and
//! how to reproduce them are in BENCHMARKS.md. Run with
//! `cargo bench -p decider-bench --bench engine`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use decider_bench::order::{self, OrderDecider};
use decider_bench::plain::PlainLoop;
use decider_bench::workloads::{
    config, counter_engine, mirror_commands, mirror_system, next_position, order_engine,
    partial_state, restaurant_commands, restaurant_engine, run_commands, welcome_commands,
    welcome_engine, welcome_flows, RestaurantFlow, RESTAURANT_1M_FLOWS,
};
use decider_core::{fold, Decider, Engine, System};
use decider_domains::counter::{replay_workload, Counter};
use std::hint::black_box;
use std::sync::Arc;

/// Commands per stream of the order workloads, each over 100k commands.
const SHAPES: [(usize, usize); 3] = [(25_000, 4), (5_000, 20), (100, 1_000)];

fn orders(c: &mut Criterion) {
    let mut group = c.benchmark_group("orders");
    group.sample_size(10);
    for (streams, per_stream) in SHAPES {
        let commands = order::commands(streams, per_stream);
        group.throughput(Throughput::Elements(commands.len() as u64));
        group.bench_function(format!("engine {streams}x{per_stream}"), |b| {
            b.iter_batched(
                || (order_engine(config(1024)), commands.clone()),
                |(mut engine, commands)| {
                    run_commands(&mut engine, commands);
                    engine
                },
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("plain loop {streams}x{per_stream}"), |b| {
            b.iter_batched(
                || (PlainLoop::new(OrderDecider), commands.clone()),
                |(mut plain, commands)| {
                    plain.run(commands);
                    plain
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn snapshots(c: &mut Criterion) {
    let mut group = c.benchmark_group("snapshots");
    group.sample_size(10);
    let commands = order::commands(25_000, 4);
    group.throughput(Throughput::Elements(commands.len() as u64));
    for every in [64, 1024, u64::MAX] {
        group.bench_function(format!("engine 25000x4, snapshot every {every}"), |b| {
            b.iter_batched(
                || (order_engine(config(every)), commands.clone()),
                |(mut engine, commands)| {
                    run_commands(&mut engine, commands);
                    engine
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn flows(c: &mut Criterion) {
    const FLOWS: usize = 1_000;
    let mut group = c.benchmark_group("flows");
    group.sample_size(10);
    group.throughput(Throughput::Elements(FLOWS as u64));
    group.bench_function("order one-hop, 1k flows", |b| {
        b.iter_batched(
            || (welcome_engine(), welcome_commands(0..FLOWS)),
            |(mut engine, commands)| {
                welcome_flows(&mut engine, commands);
                engine
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("counter one-hop, 1k flows", |b| {
        b.iter_batched(
            || (counter_engine(), mirror_commands(FLOWS as u64)),
            |(mut engine, commands)| {
                run_commands(&mut engine, commands);
                engine
            },
            BatchSize::PerIteration,
        )
    });
    for (name, flow) in [
        ("restaurant happy path", RestaurantFlow::HappyPath),
        ("restaurant not on menu", RestaurantFlow::NotOnMenu),
    ] {
        group.bench_function(format!("{name}, 1k flows"), |b| {
            b.iter_batched(
                || {
                    let engine = restaurant_engine(config(1024));
                    (engine, restaurant_commands(flow, 0..FLOWS))
                },
                |(mut engine, commands)| {
                    run_commands(&mut engine, commands);
                    engine
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn replay(c: &mut Criterion) {
    let events = replay_workload(1_000_000);
    let mut group = c.benchmark_group("replay");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("fold 1M counter events", |b| {
        b.iter(|| fold(&Counter, Counter.initial_state(), black_box(&events)))
    });
    group.finish();
}

/// Time travel, one flow's trace and a rebuild, over a 1M-event counter log.
fn million(c: &mut Criterion) {
    let mut engine = counter_engine();
    run_commands(&mut engine, mirror_commands(499_999));
    let last = engine.submit(decider_domains::counter::CounterCommand::Increment {
        counter_id: "a".into(),
        by: 0,
    });
    engine.run_until_idle(10);
    let head = engine.timeline().head();
    assert_eq!(head, 1_000_000);
    let mut group = c.benchmark_group("1M events");
    let mut position = 12_345u64;
    group.bench_function("state at a random position", |b| {
        b.iter(|| {
            position = next_position(position, head);
            black_box(engine.at_position(position).position)
        })
    });
    group.bench_function("trace of one flow", |b| {
        b.iter(|| black_box(engine.trace(last)))
    });
    group.bench_function("the slider's state at a random position", |b| {
        b.iter(|| {
            position = next_position(position, head - 1) + 1;
            black_box(partial_state(&engine, position).position)
        })
    });
    group.sample_size(10);
    group.throughput(Throughput::Elements(engine.journal().len() as u64));
    group.bench_function("rebuild from the journal (1.5M entries)", |b| {
        b.iter_batched(
            || engine.journal().to_vec(),
            |journal| {
                Engine::from_journal(Arc::new(mirror_system()), *engine.config(), journal).unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Time travel on logs of about a million facts where many writes copy a state a
/// checkpoint holds: the orders 250,000 × 4 (1M commands, 2M entries) and the
/// restaurant's happy path (142,857 orders); the whole state and the slider's.
fn million_realistic(c: &mut Criterion) {
    let mut orders = order_engine(config(1024));
    run_commands(&mut orders, order::commands(250_000, 4));
    let mut restaurant = restaurant_engine(config(1024));
    let flows = restaurant_commands(RestaurantFlow::HappyPath, 0..RESTAURANT_1M_FLOWS);
    run_commands(&mut restaurant, flows);
    let mut group = c.benchmark_group("1M events");
    group.sample_size(20);
    travel_benches(&mut group, "orders 250,000 × 4", &orders);
    travel_benches(&mut group, "restaurant", &restaurant);
    group.finish();
}

/// The whole state and the slider's at random positions of `engine`'s log.
fn travel_benches<Y: System>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    log: &str,
    engine: &Engine<Y>,
) {
    let head = engine.timeline().head();
    let mut position = 12_345u64;
    group.bench_function(format!("{log}: state at a random position"), |b| {
        b.iter(|| {
            position = next_position(position, head);
            black_box(engine.at_position(position).position)
        })
    });
    group.bench_function(
        format!("{log}: the slider's state at a random position"),
        |b| {
            b.iter(|| {
                position = next_position(position, head - 1) + 1;
                black_box(partial_state(engine, position).position)
            })
        },
    );
}

criterion_group!(
    benches,
    orders,
    snapshots,
    flows,
    replay,
    million,
    million_realistic
);
criterion_main!(benches);
