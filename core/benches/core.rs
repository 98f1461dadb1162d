//! Native benchmarks of decider-core (criterion). Figures and how to reproduce them are in
//! BENCHMARKS.md. Run with `cargo bench -p decider-core --bench core`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use decider_core::saga::{Saga, Stateless};
use decider_core::view::NoView;
use decider_core::{fold, Decider, Engine, EngineConfig, Fact, Parts};
use decider_domains::counter::{
    replay_workload, Counter, CounterCommand, CounterEvent, CounterRejection,
};
use std::alloc::{GlobalAlloc, Layout, System as SystemAlloc};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live heap bytes, to report the memory each stored event costs.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator and only adds bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { SystemAlloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { SystemAlloc.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The one-hop flow: an increment of counter `a` makes this saga increment counter `b`.
struct Mirror;

impl Saga for Mirror {
    type Command = CounterCommand;
    type Event = CounterEvent;
    type Rejection = CounterRejection;
    fn name(&self) -> &str {
        "mirror"
    }
    fn react(
        &self,
        fact: Fact<'_, CounterCommand, CounterEvent, CounterRejection>,
    ) -> Vec<CounterCommand> {
        match fact {
            Fact::Event(CounterEvent::Incremented { counter_id, by }) if counter_id == "a" => {
                vec![increment("b", *by)]
            }
            _ => vec![],
        }
    }
}

type MirrorSystem = Parts<Counter, NoView<CounterEvent>, Stateless<Mirror>>;

fn increment(counter: &str, by: u32) -> CounterCommand {
    CounterCommand::Increment {
        counter_id: counter.into(),
        by,
    }
}

fn engine() -> Engine<MirrorSystem> {
    let system = Parts {
        decider: Counter,
        view: NoView::default(),
        process: Stateless(Mirror),
    };
    Engine::new(system, EngineConfig::default())
}

/// Runs `flows` user commands, each of which records two events through the saga.
fn run_flows(engine: &mut Engine<MirrorSystem>, flows: u64) {
    for _ in 0..flows {
        engine.submit(increment("a", 0));
        engine.run_until_idle(10);
    }
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

fn round_trip(c: &mut Criterion) {
    const FLOWS: u64 = 1_000;
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(FLOWS));
    group.bench_function("1k flows: command, event, saga, command, event", |b| {
        b.iter_batched(
            engine,
            |mut engine| {
                run_flows(&mut engine, FLOWS);
                engine
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn state_at_position(c: &mut Criterion) {
    let mut engine = engine();
    run_flows(&mut engine, 500_000);
    let head = engine.timeline().head();
    assert_eq!(head, 1_000_000);
    let mut position = 12_345u64;
    c.bench_function("state at a position in a 1M-event log", |b| {
        b.iter(|| {
            // A different position each time, spread over the whole log.
            position = position
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1)
                % head;
            black_box(engine.at_position(position).position)
        })
    });
}

fn memory_per_event(_: &mut Criterion) {
    const FLOWS: u64 = 100_000;
    let before = LIVE.load(Ordering::Relaxed);
    let mut engine = engine();
    run_flows(&mut engine, FLOWS);
    let bytes = LIVE.load(Ordering::Relaxed) - before;
    let events = engine.timeline().head();
    let payload = std::mem::size_of::<CounterEvent>() + 1; // the enum and its 1-byte id
    println!(
        "memory: {events} events, {bytes} bytes live in the engine (log, journal with \
         envelopes, projection, snapshots): {:.0} bytes per event, {payload} of them payload",
        bytes as f64 / events as f64,
    );
    black_box(engine);
}

criterion_group!(
    benches,
    replay,
    round_trip,
    state_at_position,
    memory_per_event
);
criterion_main!(benches);
