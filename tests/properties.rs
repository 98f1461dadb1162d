//! Property tests of the typed [`Engine`] on the restaurant and checkout domains.
//!
//! Random sequences of every engine operation (submit, submit with a chosen id, given,
//! step, run until idle, fault injection, fork, rebuild from the journal), over small
//! pools of ids so that flows meet (the same restaurant, order, product or checkout), and
//! with a small reaction depth so that the depth limit is reached. Properties:
//!
//! - **rebuild == live**: an engine rebuilt from its journal (through JSON, as a durable
//!   store keeps it) has the same state, queue and ids;
//! - **fork == prefix**: a fork at any position is the original's journal prefix, and
//!   time travel shows the same state;
//! - **determinism**: the same operations give a byte-identical journal;
//! - **crash and resume**: rebuilding anywhere in the sequence changes nothing after;
//! - **domain invariants**, once the queue is empty: money and stock are conserved.

use decider_core::boundary::{projection_json, JsonSystem};
use decider_core::system::{ProcessStateOf, StreamStateOf, ViewStateOf};
use decider_core::{
    Engine, EngineConfig, EngineError, Id, JournalEntry, ReadEntry, Run, Span, StepFailure,
    StreamId, System,
};
use decider_domains::{checkout, restaurant};
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::sync::Arc;

/// One thing done to an engine.
#[derive(Clone, Debug)]
enum Op<C, E, R> {
    /// `submit`: a user command with a generated id.
    Submit(C),
    /// `submit_with_id`: a user command under an id from a small pool (so some repeat).
    SubmitAs(u64, C),
    /// `given`: history recorded in a stream.
    Given(StreamId, Vec<E>),
    /// `step`: one command from the queue.
    Step,
    /// `run_until_idle` with this many steps at most.
    Run(u64),
    /// `inject_fault` on the queued command at this index (on an unknown id when no
    /// queued command can fail).
    Fault(Index, R),
    /// Go on with a fork at this position (of the head + 1 positions).
    Fork(Index),
    /// Go on with the engine rebuilt from the journal, as after a crash.
    Rebuild,
}

/// The operations of system `Y`.
type OpOf<Y> = Op<<Y as System>::Command, <Y as System>::Event, <Y as System>::Rejection>;

/// The failure a domain compensates for a command of system `Y`, if any.
type Failure<Y> = fn(&<Y as System>::Command) -> Option<<Y as System>::Rejection>;

/// The ids `SubmitAs` chooses from.
const CHOSEN_IDS: u64 = 4;

/// Enough steps for any generated sequence to become idle.
const ENOUGH: u64 = 10_000;

/// Runs operations on engines of one system and checks the engine properties as it goes.
struct Harness<Y: System> {
    /// Makes the system (each engine gets its own).
    make: fn() -> Y,
    config: EngineConfig,
    /// When set, faults are injected only into the queued commands it gives a rejection
    /// for, with that rejection (failures the domain compensates), instead of anywhere
    /// with any rejection.
    failure: Option<Failure<Y>>,
}

impl<Y> Harness<Y>
where
    Y: JsonSystem<Command: Clone + Debug>,
    StreamStateOf<Y>: Serialize,
    ViewStateOf<Y>: Serialize,
    ProcessStateOf<Y>: Serialize,
{
    /// An engine after `ops`, each checked, then run until idle.
    fn run(&self, ops: &[OpOf<Y>]) -> Result<Engine<Y>, TestCaseError> {
        let mut engine = Engine::new((self.make)(), self.config);
        for op in ops {
            engine = self.apply(engine, op)?;
        }
        prop_assert!(engine.run_until_idle(ENOUGH).idle);
        Ok(engine)
    }

    /// `engine` after `op`, with what `op` promises checked.
    fn apply(&self, mut engine: Engine<Y>, op: &OpOf<Y>) -> Result<Engine<Y>, TestCaseError> {
        let before = engine.journal().len();
        match op {
            Op::Submit(command) => {
                let id = engine.submit(command.clone());
                prop_assert!(engine.state().queue.iter().any(|c| c.command_id == id));
            }
            Op::SubmitAs(chosen, command) => {
                let id = Id(*chosen);
                match engine.submit_with_id(id, command.clone()) {
                    Ok(queued) => prop_assert_eq!(queued, id),
                    Err(e) => {
                        prop_assert_eq!(e, EngineError::Duplicate(id));
                        prop_assert_eq!(engine.journal().len(), before, "nothing recorded");
                        prop_assert!(queued_ids(engine.journal()).contains(&id));
                        return Ok(engine);
                    }
                }
            }
            Op::Given(stream, events) => {
                prop_assert!(engine.given(stream, events.iter().cloned()).is_ok());
            }
            Op::Step => {
                let idle = engine.state().queue.is_empty();
                prop_assert_eq!(engine.step().is_none(), idle);
                if idle {
                    prop_assert_eq!(engine.journal().len(), before);
                    return Ok(engine);
                }
            }
            Op::Run(max) => {
                let summary = engine.run_until_idle(*max);
                prop_assert!(summary.steps <= *max);
                prop_assert_eq!(summary.idle, engine.state().queue.is_empty());
                prop_assert_eq!(engine.journal().len(), before + summary.steps as usize);
                return Ok(engine);
            }
            Op::Fault(index, reason) => return self.fault(engine, index, reason),
            Op::Fork(index) => return self.fork(&engine, index),
            Op::Rebuild => return self.rebuild(&engine),
        }
        prop_assert_eq!(engine.journal().len(), before + 1);
        Ok(engine)
    }

    /// Injects a rejection into a queued command: one injected step that takes it off
    /// the queue; or, when no command can fail, a refusal that records nothing.
    fn fault(
        &self,
        mut engine: Engine<Y>,
        index: &Index,
        reason: &Y::Rejection,
    ) -> Result<Engine<Y>, TestCaseError> {
        let before = engine.journal().len();
        let candidates: Vec<(Id, Y::Rejection)> = engine
            .state()
            .queue
            .iter()
            .filter_map(|c| match self.failure {
                Some(failure) => failure(&c.command).map(|r| (c.command_id, r)),
                None => Some((c.command_id, reason.clone())),
            })
            .collect();
        if candidates.is_empty() {
            let unknown = Id(u64::MAX);
            let refused = engine.inject_fault(unknown, reason.clone()).err();
            prop_assert_eq!(refused, Some(EngineError::NotQueued(unknown)));
            prop_assert_eq!(engine.journal().len(), before);
            return Ok(engine);
        }
        let (id, reason) = candidates[index.index(candidates.len())].clone();
        let step = engine
            .inject_fault(id, reason)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(step.injected());
        prop_assert_eq!(step.command().command_id, id);
        prop_assert!(engine.state().queue.iter().all(|c| c.command_id != id));
        prop_assert_eq!(engine.journal().len(), before + 1);
        Ok(engine)
    }

    /// A fork at a position chosen by `index`: the journal prefix that recorded the facts
    /// before it, in the state time travel shows for that prefix.
    fn fork(&self, engine: &Engine<Y>, index: &Index) -> Result<Engine<Y>, TestCaseError> {
        let head = engine.timeline().head();
        let position = index.index(head as usize + 1) as u64;
        let fork = engine.fork_at(position);
        let entries = fork.journal().len();
        prop_assert_eq!(
            journal_text(fork.journal_run()),
            journal_text(engine.timeline().run(0, entries))
        );
        prop_assert!(fork.timeline().head() >= position);
        let past = engine
            .timeline()
            .at_entry(engine.system(), &engine.state().streams, entries);
        prop_assert_eq!(projection_json(fork.state()), projection_json(&past));
        let travelled = engine.at_position(position);
        prop_assert_eq!(travelled.position, position);
        if fork.timeline().head() == position {
            prop_assert_eq!(projection_json(&travelled), projection_json(fork.state()));
        }
        Ok(fork)
    }

    /// The engine rebuilt from its journal as a durable store keeps it (JSON), which must
    /// be the same engine: state, queue, ids and journal.
    fn rebuild(&self, engine: &Engine<Y>) -> Result<Engine<Y>, TestCaseError> {
        let stored = journal_text(engine.journal_run());
        let entries: Vec<ReadEntry<Y::Command, Y::Event, Y::Rejection>> =
            serde_json::from_str(&stored).expect("journals read back");
        let rebuilt = Engine::from_journal(Arc::new((self.make)()), self.config, entries)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(
            projection_json(rebuilt.state()),
            projection_json(engine.state())
        );
        prop_assert_eq!(journal_text(rebuilt.journal_run()), stored);
        Ok(rebuilt)
    }

    /// The engine properties on `ops`: rebuild == live at the end, determinism, and crash
    /// and resume before `ops[crash]`.
    fn check(&self, ops: &[OpOf<Y>], crash: usize) -> Result<Engine<Y>, TestCaseError> {
        let engine = self.run(ops)?;
        self.rebuild(&engine)?;
        let again = self.run(ops)?;
        prop_assert_eq!(
            journal_text(again.journal_run()),
            journal_text(engine.journal_run()),
            "deterministic"
        );
        let mut crashed = ops[..crash].to_vec();
        crashed.push(Op::Rebuild);
        crashed.extend_from_slice(&ops[crash..]);
        let resumed = self.run(&crashed)?;
        prop_assert_eq!(
            journal_text(resumed.journal_run()),
            journal_text(engine.journal_run()),
            "resumed"
        );
        Ok(engine)
    }
}

/// Every command id a journal queued (submitted or in reaction).
fn queued_ids<C, E, R>(journal: Span<'_, JournalEntry<C, E, R>>) -> BTreeSet<Id> {
    journal
        .iter()
        .flat_map(|entry| match entry {
            JournalEntry::Submitted(c) => vec![c.command_id],
            JournalEntry::Step(step) => step.queued().map(|c| c.command_id).collect(),
            JournalEntry::Given(_) => vec![],
        })
        .collect()
}

/// A journal as a durable store writes it.
fn journal_text<C: Serialize, E: Serialize, R: Serialize>(run: Run<'_, C, E, R>) -> String {
    serde_json::to_string(&run).expect("journals serialize")
}

/// Whether any step dropped reactions at the depth limit.
fn cut_short<C, E, R>(journal: Span<'_, JournalEntry<C, E, R>>) -> bool {
    journal
        .iter()
        .filter_map(JournalEntry::as_step)
        .any(|s| matches!(s.failure(), Some(StepFailure::CascadeLimit { .. })))
}

/// A configuration whose small depth limit cuts flows short as often as not.
fn shallow(seed: u64, max_depth: u8) -> EngineConfig {
    EngineConfig {
        seed,
        max_depth,
        snapshot_every: 4,
    }
}

/// At most `len` operations with commands from `command`, history from `history` and
/// faults from `rejection`.
fn ops<C: Clone + Debug, E: Clone + Debug, R: Clone + Debug>(
    command: impl Strategy<Value = C> + Clone,
    history: impl Strategy<Value = (StreamId, Vec<E>)>,
    rejection: impl Strategy<Value = R>,
    len: usize,
) -> impl Strategy<Value = Vec<Op<C, E, R>>> {
    let op = prop_oneof![
        4 => command.clone().prop_map(Op::Submit),
        1 => (0..CHOSEN_IDS, command).prop_map(|(id, c)| Op::SubmitAs(id + 1, c)),
        1 => history.prop_map(|(stream, events)| Op::Given(stream, events)),
        4 => Just(Op::Step),
        1 => (0u64..6).prop_map(Op::Run),
        1 => (any::<Index>(), rejection).prop_map(|(i, r)| Op::Fault(i, r)),
        1 => any::<Index>().prop_map(Op::Fork),
        1 => Just(Op::Rebuild),
    ];
    prop::collection::vec(op, 0..len)
}

/// An id from a pool of `n`, with `prefix`.
fn pooled(prefix: &'static str, n: u8) -> impl Strategy<Value = String> + Clone {
    (0..n).prop_map(move |i| format!("{prefix}{i}"))
}

mod restaurant_props {
    use super::*;
    use restaurant::{
        Command, Event, MenuItem, OrderCommand, PaymentCommand, PaymentRejection, Rejection,
        RestaurantCommand, RestaurantEvent, RestaurantRejection, Text,
    };

    /// An id from a pool of `n`, with `prefix`, as the domain's shared text.
    fn pooled_text(prefix: &'static str, n: u8) -> impl Strategy<Value = Text> + Clone {
        pooled(prefix, n).prop_map(Text::from)
    }

    fn menu() -> Vec<MenuItem> {
        [("pizza", 900), ("pasta", 700)]
            .map(|(item, price)| MenuItem {
                item_id: item.into(),
                name: item.into(),
                price_cents: price,
            })
            .to_vec()
    }

    fn items() -> impl Strategy<Value = restaurant::Items> + Clone {
        prop::collection::vec(
            prop::sample::select(vec!["pizza", "pasta", "sushi"]).prop_map(Text::from),
            0..3,
        )
        .prop_map(restaurant::Items::from)
    }

    /// What users do: restaurants open and close, customers order and cancel, kitchens
    /// finish orders. With `internal`, also the commands only the process issues.
    pub fn command(internal: bool) -> BoxedStrategy<Command> {
        let restaurant = pooled_text("r", 2);
        let order = pooled_text("o", 3);
        let user = prop_oneof![
            1 => (restaurant.clone(), 0u32..3).prop_map(|(restaurant_id, capacity)| {
                Command::Restaurant(RestaurantCommand::CreateRestaurant {
                    name: restaurant_id.clone(),
                    restaurant_id,
                    menu: menu(),
                    capacity,
                })
            }),
            2 => restaurant.clone().prop_map(|restaurant_id| Command::Restaurant(
                RestaurantCommand::Open { restaurant_id }
            )),
            1 => restaurant.clone().prop_map(|restaurant_id| Command::Restaurant(
                RestaurantCommand::Close { restaurant_id }
            )),
            4 => (order.clone(), restaurant.clone(), items()).prop_map(
                |(order_id, restaurant_id, items)| Command::Order(OrderCommand::PlaceOrder {
                    order_id,
                    restaurant_id,
                    customer: "ada".into(),
                    items,
                })
            ),
            3 => order.clone().prop_map(|order_id| Command::Order(OrderCommand::CancelOrder {
                order_id,
                reason: "changed my mind".into(),
            })),
            2 => (restaurant.clone(), order.clone()).prop_map(|(restaurant_id, order_id)| {
                Command::Restaurant(RestaurantCommand::MarkPrepared {
                    restaurant_id,
                    order_id,
                })
            }),
        ];
        let process = prop_oneof![
            (restaurant.clone(), order.clone(), items()).prop_map(
                |(restaurant_id, order_id, items)| Command::Restaurant(
                    RestaurantCommand::AcceptOrder {
                        restaurant_id,
                        order_id,
                        items,
                    }
                )
            ),
            (restaurant, order.clone()).prop_map(|(restaurant_id, order_id)| {
                Command::Restaurant(RestaurantCommand::CancelTicket {
                    restaurant_id,
                    order_id,
                })
            }),
            order
                .clone()
                .prop_map(|order_id| Command::Order(OrderCommand::ConfirmOrder { order_id })),
            (order.clone(), 0u64..2000).prop_map(|(order_id, amount_cents)| {
                Command::Payment(PaymentCommand::TakePayment {
                    payment_id: restaurant::payment_id(&order_id),
                    order_id,
                    amount_cents,
                })
            }),
            order.prop_map(|order_id| Command::Payment(PaymentCommand::RefundPayment {
                payment_id: restaurant::payment_id(&order_id),
            })),
        ];
        if internal {
            prop_oneof![3 => user, 1 => process].boxed()
        } else {
            user.boxed()
        }
    }

    /// History: restaurants opened or closed (with `created`, also created anew, which
    /// forgets the kitchen's tickets: history, not a decision).
    pub fn history(created: bool) -> impl Strategy<Value = (StreamId, Vec<Event>)> {
        let kinds = prop::collection::vec(if created { 0u8..3 } else { 1u8..3 }, 1..3);
        (pooled_text("r", 2), kinds).prop_map(|(restaurant_id, kinds)| {
            let stream = StreamId::from(format!("restaurant-{restaurant_id}").as_str());
            let events = kinds
                .into_iter()
                .map(|kind| {
                    let restaurant_id = restaurant_id.clone();
                    Event::Restaurant(match kind {
                        0 => RestaurantEvent::RestaurantCreated {
                            name: restaurant_id.clone(),
                            restaurant_id,
                            menu: menu(),
                            capacity: 1,
                        },
                        1 => RestaurantEvent::Opened { restaurant_id },
                        _ => RestaurantEvent::Closed { restaurant_id },
                    })
                })
                .collect();
            (stream, events)
        })
    }

    /// History that starts the invariant runs: both restaurants created and open, one
    /// with a single kitchen slot, so that most orders get somewhere.
    pub fn setup() -> Vec<OpOf<restaurant::RestaurantSystem>> {
        (0..2u32)
            .map(|i| {
                let restaurant_id = Text::from(format!("r{i}"));
                let stream = StreamId::from(format!("restaurant-{restaurant_id}").as_str());
                let created = RestaurantEvent::RestaurantCreated {
                    restaurant_id: restaurant_id.clone(),
                    name: restaurant_id.clone(),
                    menu: menu(),
                    capacity: i + 1,
                };
                let opened = RestaurantEvent::Opened { restaurant_id };
                Op::Given(
                    stream,
                    vec![Event::Restaurant(created), Event::Restaurant(opened)],
                )
            })
            .collect()
    }

    /// Any rejection, whatever the command.
    pub fn rejection() -> impl Strategy<Value = Rejection> {
        prop::sample::select(vec![
            Rejection::Restaurant(RestaurantRejection::Closed),
            Rejection::Restaurant(RestaurantRejection::OverCapacity { capacity: 1 }),
            Rejection::Restaurant(RestaurantRejection::UnknownOrder),
            Rejection::Order(restaurant::OrderRejection::WrongCustomer),
            Rejection::Payment(PaymentRejection::ZeroAmount),
            Rejection::Payment(PaymentRejection::NothingToRefund),
        ])
    }
}

mod checkout_props {
    use super::*;
    use checkout::{
        CheckoutCommand, CheckoutRejection, Command, Event, Line, PaymentCommand, PaymentRejection,
        Rejection, ShippingCommand, ShippingRejection, StockCommand, StockEvent, StockRejection,
    };

    fn lines() -> impl Strategy<Value = Vec<Line>> {
        prop::collection::vec(
            (pooled("sku", 3), 0u32..3).prop_map(|(sku, quantity)| Line { sku, quantity }),
            0..4,
        )
    }

    /// What users do: restock shelves and check carts out (some cards declined, some
    /// amounts over the limit, some addresses undeliverable). With `internal`, also the
    /// commands only the process issues.
    pub fn command(internal: bool) -> BoxedStrategy<Command> {
        let checkout = pooled("c", 3);
        let sku = pooled("sku", 3);
        let card =
            prop::sample::select(vec!["4242", checkout::DECLINED_CARD]).prop_map(String::from);
        let address =
            prop::sample::select(vec!["1 Main St", "Base, Antarctica", " "]).prop_map(String::from);
        let amount = prop::sample::select(vec![0, 500, checkout::CHARGE_LIMIT_CENTS + 1]);
        let user = prop_oneof![
            1 => (sku.clone(), 0u32..4).prop_map(|(sku, quantity)| Command::Stock(StockCommand::Restock { sku, quantity })),
            2 => (checkout.clone(), lines(), amount.clone(), card.clone(), address.clone()).prop_map(
                |(checkout_id, lines, amount_cents, card, address)| Command::Checkout(CheckoutCommand::StartCheckout {
                    checkout_id, lines, amount_cents, card, address,
                }),
            ),
        ];
        if !internal {
            return user.boxed();
        }
        let process = prop_oneof![
            (sku.clone(), checkout.clone(), 0u32..3).prop_map(|(sku, checkout_id, quantity)| {
                Command::Stock(StockCommand::Reserve {
                    sku,
                    checkout_id,
                    quantity,
                })
            }),
            (sku, checkout.clone()).prop_map(|(sku, checkout_id)| Command::Stock(
                StockCommand::Release { sku, checkout_id }
            )),
            (checkout.clone(), amount, card).prop_map(|(checkout_id, amount_cents, card)| {
                Command::Payment(PaymentCommand::Charge {
                    checkout_id,
                    amount_cents,
                    card,
                })
            }),
            checkout
                .clone()
                .prop_map(|checkout_id| Command::Payment(PaymentCommand::Refund { checkout_id })),
            (checkout.clone(), address).prop_map(|(checkout_id, address)| Command::Shipping(
                ShippingCommand::Ship {
                    checkout_id,
                    address
                }
            )),
            checkout
                .clone()
                .prop_map(|checkout_id| Command::Checkout(CheckoutCommand::Complete {
                    checkout_id
                })),
            checkout.prop_map(|checkout_id| Command::Checkout(CheckoutCommand::Fail {
                checkout_id,
                reason: "ops".into()
            })),
        ];
        prop_oneof![3 => user, 1 => process].boxed()
    }

    /// History: shelves restocked.
    pub fn history() -> impl Strategy<Value = (StreamId, Vec<Event>)> {
        (pooled("sku", 3), prop::collection::vec(0u32..4, 1..3)).prop_map(|(sku, quantities)| {
            let stream = StreamId::from(format!("stock-{sku}").as_str());
            let events = quantities
                .into_iter()
                .map(|quantity| {
                    Event::Stock(StockEvent::Restocked {
                        sku: sku.clone(),
                        quantity,
                    })
                })
                .collect();
            (stream, events)
        })
    }

    /// Any rejection, whatever the command.
    pub fn rejection() -> impl Strategy<Value = Rejection> {
        prop::sample::select(vec![
            Rejection::Stock(StockRejection::OutOfStock { available: 0 }),
            Rejection::Stock(StockRejection::NoReservation),
            Rejection::Payment(PaymentRejection::Declined {
                reason: "injected".into(),
            }),
            Rejection::Payment(PaymentRejection::NothingToRefund),
            Rejection::Shipping(ShippingRejection::Undeliverable {
                address: "here".into(),
            }),
            Rejection::Checkout(CheckoutRejection::AlreadyFinished),
        ])
    }
}

/// A configuration deep enough for every flow of the two domains.
fn deep(seed: u64) -> EngineConfig {
    EngineConfig {
        seed,
        snapshot_every: 4,
        ..EngineConfig::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn restaurant_operations_rebuild_fork_replay_and_resume_exactly(
        ops in ops(restaurant_props::command(true), restaurant_props::history(true), restaurant_props::rejection(), 40),
        seed in any::<u64>(),
        depth in 1u8..8,
        crash in any::<Index>(),
    ) {
        let harness = Harness { make: restaurant::system, config: shallow(seed, depth), failure: None };
        harness.check(&ops, crash.index(ops.len() + 1))?;
    }

    #[test]
    fn checkout_operations_rebuild_fork_replay_and_resume_exactly(
        ops in ops(checkout_props::command(true), checkout_props::history(), checkout_props::rejection(), 40),
        seed in any::<u64>(),
        depth in 1u8..8,
        crash in any::<Index>(),
    ) {
        let harness = Harness { make: checkout::system, config: shallow(seed, depth), failure: None };
        harness.check(&ops, crash.index(ops.len() + 1))?;
    }

    #[test]
    fn restaurant_money_and_kitchen_slots_are_conserved(
        ops in ops(restaurant_props::command(false), restaurant_props::history(false), restaurant_props::rejection(), 40),
        crash in any::<Index>(),
    ) {
        let harness = Harness { make: restaurant::system, config: deep(7), failure: Some(restaurant::invariants::failure) };
        let ops = [restaurant_props::setup(), ops].concat();
        let engine = harness.check(&ops, crash.index(ops.len() + 1))?;
        prop_assert!(!cut_short(engine.journal()));
        if let Err(broken) = restaurant::invariants::invariants(&engine) {
            return Err(TestCaseError::fail(broken));
        }
    }

    #[test]
    fn checkout_money_and_stock_are_conserved(
        ops in ops(checkout_props::command(false), checkout_props::history(), checkout_props::rejection(), 40),
        crash in any::<Index>(),
    ) {
        let harness = Harness { make: checkout::system, config: deep(7), failure: Some(checkout::invariants::failure) };
        let engine = harness.check(&ops, crash.index(ops.len() + 1))?;
        prop_assert!(!cut_short(engine.journal()));
        if let Err(broken) = checkout::invariants::invariants(&engine) {
            return Err(TestCaseError::fail(broken));
        }
    }
}

/// The shallow configurations above do reach the depth limit: a restaurant order cut
/// after its payment, the cut recorded, and the engine rebuilt exactly.
#[test]
fn the_depth_limit_cuts_a_flow_and_records_the_cut() {
    use restaurant::{Command, OrderCommand, RestaurantCommand};
    let harness = Harness {
        make: restaurant::system,
        config: shallow(1, 2),
        failure: None,
    };
    let restaurant_id = restaurant::Text::from("r0");
    let ops: Vec<OpOf<restaurant::RestaurantSystem>> = vec![
        Op::Submit(Command::Restaurant(RestaurantCommand::CreateRestaurant {
            restaurant_id: restaurant_id.clone(),
            name: "R".into(),
            menu: vec![restaurant::MenuItem {
                item_id: "pizza".into(),
                name: "Pizza".into(),
                price_cents: 900,
            }],
            capacity: 1,
        })),
        Op::Submit(Command::Restaurant(RestaurantCommand::Open {
            restaurant_id: restaurant_id.clone(),
        })),
        Op::Submit(Command::Order(OrderCommand::PlaceOrder {
            order_id: "o0".into(),
            restaurant_id,
            customer: "ada".into(),
            items: ["pizza".into()].into(),
        })),
    ];
    let engine = harness.check(&ops, 2).unwrap();
    assert!(cut_short(engine.journal()));
    // Payment (depth 1) and acceptance (depth 2) ran; the confirmation (depth 3) was cut.
    let board = &engine.state().view;
    assert_eq!(board.orders["o0"].paid_cents, 900);
    assert_eq!(board.orders["o0"].status, restaurant::OrderStatus::Placed);
}
