//! The order-like decider alone, for profilers: `cargo build --release -p decider-bench
//! --example decider_alone`, then `valgrind --tool=callgrind
//! target/release/examples/decider_alone 25000 4` (streams, commands per stream): the
//! orders' commands of `profile orders` decided and evolved with no engine,
//! `decider_alone` inclusive, the decider's own share of a command at each shape. A
//! binary of its own, so that its code moves no inlining in `profile`'s.

use decider_bench::order::{self, Order, OrderCommand, OrderDecider};
use decider_core::Decider;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (streams, per_stream) = (
        args.first().copied().unwrap_or(25_000),
        args.get(1).copied().unwrap_or(4),
    );
    let commands = order::commands(streams, per_stream);
    let count = commands.len();
    let t = Instant::now();
    let states = decider_alone(streams, commands);
    let elapsed = t.elapsed();
    let per = elapsed.as_nanos() as f64 / count.max(1) as f64;
    eprintln!("decider_alone: {count} × command in {elapsed:.2?}, {per:.0} ns per command");
    black_box(states);
}

/// Decides `commands` (made by [`order::commands`]: round after round, one to each of
/// `streams` streams in turn) with the order decider alone, each on its stream's state,
/// and evolves that state in place: no envelope, journal, lookup or snapshot. Returned
/// so that their drop is not counted.
#[inline(never)]
fn decider_alone(streams: usize, commands: Vec<OrderCommand>) -> Vec<Order> {
    let decider = OrderDecider;
    let mut states = vec![decider.initial_state(); streams];
    let mut events = Vec::new();
    for (n, command) in commands.into_iter().enumerate() {
        let state = &mut states[n % streams];
        if decider.decide_into(&command, state, &mut events).is_ok() {
            for event in events.drain(..) {
                *state = decider.evolve(std::mem::take(state), &event);
            }
        }
        events.clear();
    }
    states
}
