//! The engines and flows every benchmark runs, natively and in wasm.

use crate::order::{self, OrderDecider, OrderSystem, Welcome, WelcomeSystem};
use decider_core::saga::{Saga, Stateless};
use decider_core::view::NoView;
use decider_core::{Engine, EngineConfig, Fact, Parts, Projection, StreamId, System};
use decider_domains::counter::{Counter, CounterCommand, CounterEvent, CounterRejection};
use decider_domains::restaurant::{self, Command, MenuItem, OrderCommand, RestaurantCommand};
use std::ops::Range;

/// The default configuration with a snapshot every `snapshot_every` facts.
pub fn config(snapshot_every: u64) -> EngineConfig {
    EngineConfig {
        snapshot_every,
        ..EngineConfig::default()
    }
}

/// An order engine (no saga).
pub fn order_engine(config: EngineConfig) -> Engine<OrderSystem> {
    Engine::new(Parts::default(), config)
}

/// An order engine with the one-hop [`Welcome`] saga.
pub fn welcome_engine() -> Engine<WelcomeSystem> {
    let system = Parts {
        decider: OrderDecider,
        view: NoView::default(),
        process: Stateless(Welcome),
    };
    Engine::new(system, EngineConfig::default())
}

/// Submits each command and runs it to the end (one step each, and its reactions).
///
/// The commands are the caller's, made before and handed over owned, as a real caller
/// has them (just deserialized or built): neither their making nor a copy is measured,
/// only what the engine does with each. Out of line, so a profiler's
/// `--toggle-collect='decider_bench::workloads::run_commands*'` names exactly that.
#[inline(never)]
pub fn run_commands<Y: System>(engine: &mut Engine<Y>, commands: Vec<Y::Command>) {
    for command in commands {
        engine.submit(command);
        engine.run_until_idle(u64::MAX);
    }
}

/// The commands of one-hop order flows `flows` ([`welcome_flows`]): each places order
/// `w<n>`.
pub fn welcome_commands(flows: Range<usize>) -> Vec<order::OrderCommand> {
    flows
        .map(|n| order::command(&format!("w{n}"), 0, 2))
        .collect()
}

/// Runs one one-hop order flow for each of `commands` ([`welcome_commands`]): the order
/// placed makes the saga add an item (two commands, two events). Out of line, so a
/// profiler's `--toggle-collect='decider_bench::workloads::welcome_flows*'` names exactly
/// the flows.
#[inline(never)]
pub fn welcome_flows(engine: &mut Engine<WelcomeSystem>, commands: Vec<order::OrderCommand>) {
    run_commands(engine, commands);
}

/// The restaurant engine, with restaurant `luigi` created and open (capacity unbounded).
pub fn restaurant_engine(config: EngineConfig) -> Engine<restaurant::RestaurantSystem> {
    let mut engine = Engine::new(restaurant::system(), config);
    let luigi = || restaurant::Text::from("luigi");
    let menu = ["margherita", "tiramisu"].map(|item_id| MenuItem {
        item_id: item_id.into(),
        name: item_id.into(),
        price_cents: 900,
    });
    let setup = [
        RestaurantCommand::CreateRestaurant {
            restaurant_id: luigi(),
            name: "Luigi's".into(),
            menu: menu.to_vec(),
            capacity: u32::MAX,
        },
        RestaurantCommand::Open {
            restaurant_id: luigi(),
        },
    ];
    run_commands(&mut engine, setup.map(Command::Restaurant).into());
    engine
}

/// Which restaurant flow to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestaurantFlow {
    /// Order placed → payment taken → accepted → confirmed; then prepared → ready.
    HappyPath,
    /// Order placed → payment taken → rejected (not on the menu) → refunded, cancelled.
    NotOnMenu,
}

/// The commands of restaurant flow `flow` for orders `o<n>`, `n` in `orders`, in order
/// ([`run_commands`] runs each to the end): the order placed and, on the happy path, then
/// marked prepared.
pub fn restaurant_commands(flow: RestaurantFlow, orders: Range<usize>) -> Vec<Command> {
    let dish = match flow {
        RestaurantFlow::HappyPath => "margherita",
        RestaurantFlow::NotOnMenu => "sushi",
    };
    let mut commands = Vec::with_capacity(orders.len() * 2);
    for n in orders {
        let order_id = format!("o{n}");
        commands.push(Command::Order(OrderCommand::PlaceOrder {
            order_id: order_id.as_str().into(),
            restaurant_id: "luigi".into(),
            customer: "Ada".into(),
            items: [dish.into(), "tiramisu".into()].into(),
        }));
        if flow == RestaurantFlow::HappyPath {
            commands.push(Command::Restaurant(RestaurantCommand::MarkPrepared {
                restaurant_id: "luigi".into(),
                order_id: order_id.into(),
            }));
        }
    }
    commands
}

/// The counter's one-hop flow: an increment of counter `a` makes this saga increment `b`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mirror;

impl Saga for Mirror {
    type Command = CounterCommand;
    type Event = CounterEvent;
    type Rejection = CounterRejection;
    fn name(&self) -> &str {
        "mirror"
    }
    fn react_into(
        &self,
        fact: Fact<'_, CounterCommand, CounterEvent, CounterRejection>,
        out: &mut impl Extend<CounterCommand>,
    ) {
        if let Fact::Event(CounterEvent::Incremented { counter_id, by }) = fact {
            if counter_id == "a" {
                out.extend([increment("b", *by)]);
            }
        }
    }
}

/// The counter with the [`Mirror`] saga.
pub type MirrorSystem = Parts<Counter, NoView<CounterEvent>, Stateless<Mirror>>;

fn increment(counter: &str, by: u32) -> CounterCommand {
    CounterCommand::Increment {
        counter_id: counter.into(),
        by,
    }
}

/// The counter with the [`Mirror`] saga.
pub fn mirror_system() -> MirrorSystem {
    Parts {
        decider: Counter,
        view: NoView::default(),
        process: Stateless(Mirror),
    }
}

/// A counter engine with the [`Mirror`] saga.
pub fn counter_engine() -> Engine<MirrorSystem> {
    Engine::new(mirror_system(), EngineConfig::default())
}

/// The commands of `flows` counter one-hop flows ([`Mirror`]): increments of counter `a`.
pub fn mirror_commands(flows: u64) -> Vec<CounterCommand> {
    (0..flows).map(|_| increment("a", 0)).collect()
}

/// `facts` increments, each of a counter of its own (`c0`, `c1`, …), as the playground's
/// Repeat makes them: one fact and one stream per command.
pub fn stream_commands(facts: u64) -> Vec<CounterCommand> {
    (0..facts).map(|i| increment(&format!("c{i}"), 1)).collect()
}

/// The position after `position` in a pseudo-random walk over `0..head` (a linear
/// congruential step): the "state at a random position" benches visit positions spread
/// over the whole log, the same ones natively and in wasm.
pub fn next_position(position: u64, head: u64) -> u64 {
    position
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1)
        % head
}

/// Restaurant happy-path flows ([`restaurant_commands`]) whose log has about a million
/// facts (7 a flow, after the restaurant's 2).
pub const RESTAURANT_1M_FLOWS: usize = 142_857;

/// The state at `position` (`0 < position <= head`) as the page's slider asks for it:
/// with only the stream of the fact at `position - 1` sure to be right, beside the view,
/// the process manager and the queue ([`decider_core::Timeline::at_position_for`]).
pub fn partial_state<Y: System>(engine: &Engine<Y>, position: u64) -> Projection<Y> {
    let timeline = engine.timeline();
    let entry = timeline.entry_of_position(position - 1);
    let stream = timeline.journal()[entry].stream_id().cloned();
    let streams: Vec<StreamId> = stream.into_iter().collect();
    timeline.at_position_for(engine.system(), &engine.state().streams, position, &streams)
}
