//! One workload, once, for profilers (`valgrind --tool=callgrind`, `perf`):
//! `cargo build --release -p decider-bench --example profile`, then
//! `valgrind --tool=callgrind target/release/examples/profile orders 25000 4 1024`
//! (streams, commands per stream, snapshot every) or `... profile travel-log
//! counter|orders|restaurant 20 whole|partial` (a log of about a million facts: the
//! counter's one-hop flows, the orders 250,000 × 4, the restaurant's happy path; then the
//! state at 20 positions spread over it, whole or as the page's slider asks for it) or `... profile trace 500000`
//! (one-hop counter flows, then one flow's trace) or `... profile welcome 50000` (one-hop
//! order flows, `welcome_flows` inclusive) or `... profile rebuild 100000` (one-hop
//! counter flows, then the engine rebuilt from its journal) or `... profile travel 25000 4
//! 1024 1000` (the orders, then the state at 1000 positions spread over the log) or
//! `... profile slider 100000 100 whole|partial` (counter facts each in a stream of its own,
//! as the playground's Repeat makes them, then the state at 100 positions as the page's
//! slider asks for it: whole, or with only the stream it shows, `Timeline::at_position_for`;
//! `--toggle-collect='*slider*'` counts only that part) or `... profile plain 25000 4` (the
//! orders' commands through the plain load → fold → decide → save loop, `plain_commands`
//! inclusive, the baseline the engine's `run_commands` is compared with) or `... profile
//! load 50000 stored|json|packed` (the playground's restaurant Repeat ×50,000, its journal written
//! in segments of 4,000 entries in their stored form, as IndexedDB keeps them, in their
//! JSON form, or in their packed form, as the packed images beside them keep them, then
//! read back through the boundary, as a cold load of the page does;
//! `--toggle-collect='*write_segments*'` or `'*read_segments*'` counts one part) or `...
//! profile restaurant 10000 happy|menu` (the restaurant flows of the `flows` bench, the
//! happy path or the order not on the menu, `restaurant_flows` inclusive). The
//! commands of `orders`, `welcome` and `plain` are made before the measured function,
//! which takes them owned (`run_commands`, `welcome_flows`, `plain_commands`).

use decider_bench::order;
use decider_bench::plain::PlainLoop;
use decider_bench::workloads::{
    config, counter_engine, mirror_commands, mirror_system, order_engine, partial_state,
    restaurant_commands, restaurant_engine, run_commands, stream_commands, welcome_commands,
    welcome_engine, welcome_flows, MirrorSystem, RestaurantFlow, RESTAURANT_1M_FLOWS,
};
use decider_core::{Engine, StreamId};
use decider_domains::restaurant::{Command, RestaurantSystem};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number =
        |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    match args.first().map(String::as_str) {
        Some("trace") => {
            let mut engine = counter_engine();
            run_commands(&mut engine, mirror_commands(number(1, 500_000)));
            let last = engine.journal().len() - 3;
            let root = engine.journal()[last]
                .as_step()
                .map(|s| s.command().command_id);
            black_box(root.and_then(|id| engine.trace(id)));
        }
        Some("rebuild") => {
            let mut engine = counter_engine();
            run_commands(&mut engine, mirror_commands(number(1, 100_000)));
            let journal = engine.journal().to_vec();
            let entries = journal.len() as u64;
            let t = Instant::now();
            black_box(rebuild(*engine.config(), journal));
            per_unit("rebuild", entries, "entry", t);
        }
        Some("welcome") => {
            let (mut engine, flows) = (welcome_engine(), number(1, 50_000));
            let commands = welcome_commands(0..flows as usize);
            let t = Instant::now();
            welcome_flows(&mut engine, commands);
            per_unit("welcome_flows", flows, "flow", t);
            black_box(engine.timeline().head());
        }
        Some("restaurant") => {
            let flow = match args.get(2).map(String::as_str) {
                Some("menu") => RestaurantFlow::NotOnMenu,
                _ => RestaurantFlow::HappyPath,
            };
            let flows = number(1, 10_000);
            let mut engine = restaurant_engine(config(1024));
            let commands = restaurant_commands(flow, 0..flows as usize);
            let t = Instant::now();
            restaurant_flows(&mut engine, commands);
            per_unit("restaurant_flows", flows, "flow", t);
            black_box(engine.timeline().head());
        }
        Some("load") => load(number(1, 50_000), args.get(2).map(String::as_str)),
        Some("inspect") => {
            let engine = restaurant_session(number(1, 20_000));
            let positions: Vec<u64> = args.get(2).map_or(vec![50_001, 99_901], |list| {
                list.split(',').filter_map(|p| p.parse().ok()).collect()
            });
            let t = Instant::now();
            inspect(&*engine, &positions);
            per_unit("inspect", positions.len() as u64, "move", t);
        }
        Some("travel") => {
            let commands = order::commands(number(1, 25_000) as usize, number(2, 4) as usize);
            let mut engine = order_engine(config(number(3, 1024)));
            run_commands(&mut engine, commands);
            travel(&engine, number(4, 1000));
        }
        Some("travel-log") => {
            let (calls, partial) = (number(2, 20), args.get(3).is_some_and(|a| a == "partial"));
            match args.get(1).map(String::as_str) {
                Some("orders") => {
                    let mut engine = order_engine(config(1024));
                    run_commands(&mut engine, order::commands(250_000, 4));
                    travel_log(&engine, calls, partial);
                }
                Some("restaurant") => {
                    let mut engine = restaurant_engine(config(1024));
                    let flow = RestaurantFlow::HappyPath;
                    run_commands(
                        &mut engine,
                        restaurant_commands(flow, 0..RESTAURANT_1M_FLOWS),
                    );
                    travel_log(&engine, calls, partial);
                }
                _ => {
                    let mut engine = counter_engine();
                    run_commands(&mut engine, mirror_commands(500_000));
                    travel_log(&engine, calls, partial);
                }
            }
        }
        Some("plain") => {
            let commands = order::commands(number(1, 25_000) as usize, number(2, 4) as usize);
            let count = commands.len() as u64;
            let t = Instant::now();
            let plain = plain_commands(commands);
            per_unit("plain_commands", count, "command", t);
            black_box(plain.events());
        }
        Some("slider") => {
            let mut engine = counter_engine();
            run_commands(&mut engine, stream_commands(number(1, 100_000)));
            slider(
                &engine,
                number(2, 100),
                args.get(3).is_some_and(|a| a == "whole"),
            );
        }
        _ => {
            let commands = order::commands(number(1, 25_000) as usize, number(2, 4) as usize);
            let mut engine = order_engine(config(number(3, 1024)));
            let count = commands.len() as u64;
            let t = Instant::now();
            run_commands(&mut engine, commands);
            per_unit("run_commands", count, "command", t);
            black_box(engine.timeline().head());
        }
    }
}

/// Runs the restaurant's `commands`, each to the end of its flow (what `profile
/// restaurant` counts).
#[inline(never)]
fn restaurant_flows(engine: &mut Engine<RestaurantSystem>, commands: Vec<Command>) {
    run_commands(engine, commands);
}

/// Prints on stderr the wall-clock time since `start` of `what`, per `unit` of `count`
/// (outside the functions a profiler counts).
fn per_unit(what: &str, count: u64, unit: &str, start: Instant) {
    let elapsed = start.elapsed();
    let per = elapsed.as_nanos() as f64 / count.max(1) as f64;
    eprintln!("{what}: {count} × {unit} in {elapsed:.2?}, {per:.0} ns per {unit}");
}

/// The counter engine rebuilt from `journal` (what opening a workspace does), apart from
/// the journal's copy and the drop, so `rebuild` inclusive is the rebuild alone.
#[inline(never)]
fn rebuild(
    config: decider_core::EngineConfig,
    journal: Vec<decider_core::engine::EntryOf<MirrorSystem>>,
) -> Option<Engine<MirrorSystem>> {
    Engine::from_journal(Arc::new(mirror_system()), config, journal).ok()
}

/// Runs `commands` through the plain loop ([`PlainLoop::run`]), returned so that its drop
/// is not counted (as `run_commands` does not count the engine's).
#[inline(never)]
fn plain_commands(commands: Vec<order::OrderCommand>) -> PlainLoop<order::OrderDecider> {
    let mut plain = PlainLoop::new(order::OrderDecider);
    plain.run(commands);
    plain
}

/// The state at `times` positions spread evenly over the log (time travel).
#[inline(never)]
fn travel<Y: decider_core::System>(engine: &Engine<Y>, times: u64) {
    let head = engine.timeline().head();
    for n in 0..times {
        black_box(engine.at_position(head * n / times.max(1) + n % 7));
    }
}

/// The state at `calls` positions spread evenly over the log, as [`travel`] asks for it
/// (`partial` false) or as the page's slider does (`partial`: with only the stream of
/// the fact before the position right, `Timeline::at_position_for`); prints the log's
/// size and the calls' time on stderr. `--toggle-collect='profile::travel_log*'` counts
/// the calls (and the drop of each state).
#[inline(never)]
fn travel_log<Y: decider_core::System>(engine: &Engine<Y>, calls: u64, partial: bool) {
    let timeline = engine.timeline();
    let head = timeline.head();
    let start = Instant::now();
    for n in 0..calls {
        let position = (head * n / calls.max(1) + n % 7 + 1).min(head);
        if partial {
            black_box(partial_state(engine, position));
        } else {
            black_box(engine.at_position(position));
        }
    }
    per_unit("travel_log", calls, "call", start);
    eprintln!("{head} facts, {} entries", timeline.journal().len());
}

/// The state at `moves` positions spread over a log whose fact at `p` is the only one of
/// stream `c{p}`: whole, or with only that stream right (what the inspector reads).
#[inline(never)]
fn slider(engine: &Engine<MirrorSystem>, moves: u64, whole: bool) {
    let (timeline, system) = (engine.timeline(), engine.system());
    let live = &engine.state().streams;
    let head = timeline.head();
    for n in 0..moves {
        let position = (head * n / moves.max(1) + n % 7 + 1).min(head);
        if whole {
            black_box(engine.at_position(position));
        } else {
            let stream = StreamId::from(format!("c{}", position - 1));
            black_box(timeline.at_position_for(system, live, position, &[stream]));
        }
    }
}

/// The inspector's states at each of `positions` (and one fact before it), as the page's
/// slider asks for them: the stream of the fact before the cursor shown.
#[inline(never)]
fn inspect(engine: &dyn decider_core::DynEngine, positions: &[u64]) {
    for &position in positions {
        let stream = engine
            .rows(position - 1, position)
            .pop()
            .map(|row| row.stream_id);
        black_box(engine.inspect_with_previous(Some(position), stream.as_deref(), 200));
    }
}

/// The playground's restaurant session: the big restaurant, then a Repeat ×`orders`
/// orders, each run to the end of its flow, through the boundary.
fn restaurant_session(orders: u64) -> Box<dyn decider_core::DynEngine> {
    use serde_json::json;
    let domain = decider_domains::find("restaurant").unwrap_or_else(|_| unreachable!());
    let mut engine = domain.start(decider_core::EngineConfig::default());
    let menu = json!([{ "item_id": "pizza", "name": "Pizza", "price_cents": 900 }]);
    let setup = [
        json!({ "restaurant": { "create_restaurant": { "restaurant_id": "big", "name": "Big", "capacity": 4_000_000_000u64, "menu": menu } } }),
        json!({ "restaurant": { "open": { "restaurant_id": "big" } } }),
    ];
    let orders = (1..=orders).map(|i| {
        json!({ "order": { "place_order": { "order_id": format!("o{i}"), "restaurant_id": "big",
            "customer": format!("C{i}"), "items": ["pizza"] } } })
    });
    for command in setup.into_iter().chain(orders) {
        engine.submit(&command).expect("a valid command");
        engine.run_until_idle(u64::MAX);
    }
    engine
}

/// The playground's restaurant Repeat ×`orders` through the boundary, then its journal
/// written in segments of 4,000 entries in their stored form, as IndexedDB keeps them
/// ([`decider_core::DynEngine::stored_text`]; `form` `json`: their JSON form,
/// [`decider_core::DynEngine::journal_text`]) and read back
/// ([`decider_core::DynEngine::extend`]), each phase timed on stderr.
#[inline(never)]
fn load(orders: u64, form: Option<&str>) {
    let domain = decider_domains::find("restaurant").unwrap_or_else(|_| unreachable!());
    let config = decider_core::EngineConfig::default();
    let engine = restaurant_session(orders);
    let form = form.unwrap_or("stored");
    let t = Instant::now();
    let segments = write_segments(&*engine, form);
    let bytes: usize = segments.iter().map(Vec::len).sum();
    eprintln!(
        "{} entries, {} facts, {bytes} bytes {form} (written in {:?})",
        engine.journal_len(),
        engine.head(),
        t.elapsed()
    );
    drop(engine);
    let t = Instant::now();
    let loaded = read_segments(&*domain, config, &segments, form == "packed");
    eprintln!("extend: {:?}", t.elapsed());
    black_box(loaded.head());
}

/// The journal of `engine` as segments of 4,000 entries, in their `form`: `json`,
/// `packed`, else stored.
#[inline(never)]
fn write_segments(engine: &dyn decider_core::DynEngine, form: &str) -> Vec<Vec<u8>> {
    (0..engine.journal_len())
        .step_by(4_000)
        .map(|from| match form {
            "json" => engine.journal_text(from, from + 4_000).into_bytes(),
            "packed" => engine.packed(from, from + 4_000),
            _ => engine.stored_text(from, from + 4_000).into_bytes(),
        })
        .collect()
}

/// The engine of `segments`, each read back with `extend` (or `extend_packed`).
#[inline(never)]
fn read_segments(
    domain: &dyn decider_core::DynDomain,
    config: decider_core::EngineConfig,
    segments: &[Vec<u8>],
    packed: bool,
) -> Box<dyn decider_core::DynEngine> {
    let mut loaded = domain.start(config);
    for segment in segments {
        let folded = match packed {
            true => loaded.extend_packed(segment),
            false => Some(loaded.extend(&String::from_utf8_lossy(segment))),
        };
        assert_eq!(folded, Some(Ok(())), "the journal folds");
    }
    loaded
}
