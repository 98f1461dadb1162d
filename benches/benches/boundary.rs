//! Native speed benchmarks of what the playground and the CLI ask through the boundary
//! (criterion): checking a long scenario (issue 9 §7: linear in its steps) and reading a
//! range of facts from a 1M-fact engine (`facts(from, to)`: proportional to the range,
//! wherever the range lies), a field's history there (a pass over the log), a fork
//! compared side by side with it, every flow listed with its outcome (a pass over the
//! journal), why a command was refused (a pass over the log and a decision at each
//! version of its stream), and a restaurant session replayed without one flow. Figures are
//! in BENCHMARKS.md. Run with
//! `cargo bench -p decider-bench --bench boundary`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use decider_core::boundary::{DynDomain, FlowList, FlowOutcome};
use decider_core::scenario::Scenario;
use decider_core::EngineConfig;
use serde_json::json;
use std::hint::black_box;

/// The counter domain, through the same boundary the CLI and the page use.
fn counter() -> Box<dyn DynDomain> {
    decider_domains::find("counter").expect("the counter domain is bundled")
}

/// A counter scenario of `steps` steps over 100 counters, its expectations recorded (as
/// `decider record` writes them), so that checking it compares every step.
fn scenario(domain: &dyn DynDomain, steps: usize) -> Scenario {
    let steps: Vec<_> = (0..steps)
        .map(|n| json!({ "command": { "increment": { "by": 1, "counter_id": format!("c{}", n % 100) } } }))
        .collect();
    let text = json!({
        "format": "decider-lab/scenario",
        "version": 1,
        "domain": "counter",
        "title": "many steps",
        "steps": steps,
    })
    .to_string();
    let scenario = Scenario::parse(&text).expect("the generated scenario parses");
    scenario
        .record(domain)
        .expect("the generated scenario runs")
}

fn scenarios(c: &mut Criterion) {
    let domain = counter();
    let mut group = c.benchmark_group("scenario check");
    group.sample_size(10);
    for steps in [2_500, 20_000] {
        let scenario = scenario(&*domain, steps);
        group.throughput(Throughput::Elements(steps as u64));
        group.bench_function(format!("counter, {steps} steps"), |b| {
            b.iter(|| {
                let report = scenario.check(&*domain).expect("it runs");
                assert!(report.passed());
                report
            })
        });
    }
    group.finish();
}

fn facts(c: &mut Criterion) {
    let domain = counter();
    let mut engine = domain.start(EngineConfig::default());
    let batch: Vec<_> = (0..1_000)
        .map(|n| json!({ "increment": { "by": 1, "counter_id": format!("c{n}") } }))
        .collect();
    while engine.head() < 1_000_000 {
        for command in &batch {
            engine.submit(command).expect("a valid command");
        }
        engine.run_until_idle(u64::MAX);
    }
    let head = engine.head();
    let mut group = c.benchmark_group("facts(from, to) at 1M facts");
    for (name, from, len) in [
        ("100 at the start", 0, 100),
        ("100 at the head", head - 100, 100),
        ("10,000 in the middle", head / 2, 10_000),
    ] {
        group.throughput(Throughput::Elements(len));
        group.bench_function(name, |b| {
            b.iter(|| black_box(engine.facts(from, from + len)))
        });
    }
    group.finish();
    // The inspector's "which events changed this field": a pass over the log and a fold
    // of the stream's events (1,000 here, each changing its state).
    let mut group = c.benchmark_group("a field's history at 1M facts");
    group.sample_size(10);
    group.bench_function(
        "one counter's state (1,000 changes, the last 200 listed)",
        |b| {
            b.iter(|| {
                let history = engine.field_history("counter-c500", "", None, 200);
                assert_eq!((history.changes.len(), history.events), (200, 1_000));
                history
            })
        },
    );
    group.finish();
    // The page's side-by-side comparison: a fork made 10,000 facts before the head whose
    // own 10,000 facts add 2, not 1, to the same 1,000 counters; where they part, the 200
    // positions from there, and the 1,000 streams both wrote to since, each compared.
    let forked_at = head - 10_000;
    let mut fork = engine.fork_at(forked_at);
    let by_two: Vec<_> = (0..1_000)
        .map(|n| json!({ "increment": { "by": 2, "counter_id": format!("c{n}") } }))
        .collect();
    while fork.head() < head {
        for command in &by_two {
            fork.submit(command).expect("a valid command");
        }
        fork.run_until_idle(u64::MAX);
    }
    let mut group = c.benchmark_group("a fork against its original at 1M facts");
    group.sample_size(10);
    group.bench_function("10,000 facts each since the fork, 1,000 streams", |b| {
        b.iter(|| {
            let limits = decider_core::boundary::Limits {
                facts: 200,
                differences: 200,
            };
            let c = decider_core::boundary::compare(&*engine, &*fork, forked_at, limits);
            assert_eq!((c.shared, c.facts.len()), (forked_at, 200));
            assert_eq!(c.streams_compared, 1_000);
            c
        })
    });
    group.finish();
    // The page's flow list: every flow of the journal listed from scratch (each command
    // here is a flow of its own: a million), then the flows of one outcome among them.
    let mut group = c.benchmark_group("the flow list at 1M facts");
    group.sample_size(10);
    group.bench_function("every flow listed from the journal (1M flows)", |b| {
        b.iter(|| {
            let mut list = FlowList::default();
            engine.update_flows(&mut list, usize::MAX);
            assert_eq!(list.count(FlowOutcome::Completed), 1_000_000);
            list
        })
    });
    let mut list = FlowList::default();
    engine.update_flows(&mut list, usize::MAX);
    group.bench_function("the completed ones among them", |b| {
        b.iter(|| list.matching(Some(FlowOutcome::Completed)))
    });
    group.finish();
    // The inspector's "why was this refused?": a pass over the log up to the rejection
    // and the refused command decided again at each of its stream's 1,001 versions.
    let refused = json!({ "decrement": { "by": 2_000, "counter_id": "c500" } });
    engine.submit(&refused).expect("a valid command");
    engine.run_until_idle(u64::MAX);
    let position = engine.head() - 1;
    let mut group = c.benchmark_group("why a command was refused at 1M facts");
    group.sample_size(10);
    group.bench_function("one counter's 1,001 versions decided again", |b| {
        b.iter(|| {
            let why = engine.why_refused(position, 50).expect("a rejection");
            assert_eq!((why.version, why.stretches.len()), (1_000, 1));
            why
        })
    });
    group.finish();
}

/// The trace's *⊘ without it* on a restaurant session of one restaurant and 10,000 orders
/// (50,002 facts, as `tests/e2e/without.mjs` measures the page): the first order's flow
/// left out (every later command replayed), then the last one's (nothing to replay: the
/// branch alone).
fn without(c: &mut Criterion) {
    use decider_core::scenario::without::without_flow;
    let domain = decider_domains::find("restaurant").expect("the restaurant domain is bundled");
    let mut engine = domain.start(EngineConfig::default());
    let menu = json!([{ "item_id": "margherita", "name": "Pizza", "price_cents": 900 }]);
    engine
        .submit(&json!({ "restaurant": { "create_restaurant": {
            "capacity": 1_000_000, "menu": menu, "name": "Luigi's", "restaurant_id": "luigi" } } }))
        .expect("a valid command");
    engine
        .submit(&json!({ "restaurant": { "open": { "restaurant_id": "luigi" } } }))
        .expect("a valid command");
    engine.run_until_idle(u64::MAX);
    let mut orders = Vec::new();
    for i in 1..=10_000 {
        let order = json!({ "order": { "place_order": { "customer": "Ada",
            "items": ["margherita"], "order_id": format!("o{i}"), "restaurant_id": "luigi" } } });
        orders.push(engine.submit(&order).expect("a valid command"));
        engine.run_until_idle(u64::MAX);
    }
    assert_eq!(engine.head(), 50_002);
    let mut group = c.benchmark_group("without a flow at 50,002 restaurant facts");
    group.sample_size(10);
    for (name, flow, shared) in [
        ("the first order's (10,000 commands replayed)", orders[0], 2),
        ("the last order's (none replayed)", orders[9_999], 49_997),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let without = without_flow(&*engine, flow).expect("it replays");
                assert_eq!((without.shared, without.engine.head()), (shared, 49_997));
                without
            })
        });
    }
    group.finish();
}

criterion_group!(benches, scenarios, facts, without);
criterion_main!(benches);
