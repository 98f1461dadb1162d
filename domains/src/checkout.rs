//! **Checkout**: reserve stock → charge payment → ship, written as a process manager that
//! compensates at each step: when stock runs out, what was reserved is released; when
//! the payment is declined, the stock is released; when shipping fails, the payment is
//! refunded and the stock released. Every failure also fails the checkout.
//!
//! Lines are reserved one at a time, so when a reservation fails the process knows
//! exactly which lines to release.

use crate::lifecycle::Lifecycle;
use decider_core::compose::{Lift, Route};
use decider_core::{Decider, DomainInfo, Fact, Parts, ProcessManager, StreamId, TypedDomain, View};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The card number the payment service always declines (for trying the compensation).
pub const DECLINED_CARD: &str = "4000-0000-0000-0002";
/// The largest amount the payment service charges at once, in cents.
pub const CHARGE_LIMIT_CENTS: u64 = 100_000;
/// The region the carrier does not deliver to (an address ending with it is undeliverable).
pub const UNSERVED_REGION: &str = "Antarctica";

/// A quantity of one product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Line {
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: u32,
}

/// Commands of a checkout (stream `checkout-<checkout_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutCommand {
    /// A customer checks out a cart.
    StartCheckout {
        /// The checkout.
        checkout_id: String,
        /// What to buy.
        lines: Vec<Line>,
        /// The total, in cents.
        amount_cents: u64,
        /// The card to charge.
        card: String,
        /// Where to ship.
        address: String,
    },
    /// Everything went through (issued by the process).
    Complete {
        /// The checkout.
        checkout_id: String,
    },
    /// A step failed and was compensated (issued by the process).
    Fail {
        /// The checkout.
        checkout_id: String,
        /// Why.
        reason: String,
    },
}

/// Events of a checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutEvent {
    /// A checkout started.
    CheckoutStarted {
        /// The checkout.
        checkout_id: String,
        /// What to buy.
        lines: Vec<Line>,
        /// The total, in cents.
        amount_cents: u64,
        /// The card to charge.
        card: String,
        /// Where to ship.
        address: String,
    },
    /// It went through.
    CheckoutCompleted {
        /// The checkout.
        checkout_id: String,
    },
    /// It failed; everything done was undone.
    CheckoutFailed {
        /// The checkout.
        checkout_id: String,
        /// Why.
        reason: String,
    },
}

/// Why a checkout command was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutRejection {
    /// A checkout with this id exists.
    AlreadyStarted,
    /// Nothing to buy.
    EmptyCart,
    /// No such checkout.
    UnknownCheckout,
    /// It already completed or failed.
    AlreadyFinished,
}

impl CheckoutEvent {
    /// The checkout this event is about, and where it leaves it.
    pub fn progress(&self) -> (&String, Lifecycle) {
        match self {
            CheckoutEvent::CheckoutStarted { checkout_id, .. } => (checkout_id, Lifecycle::Started),
            CheckoutEvent::CheckoutCompleted { checkout_id } => (checkout_id, Lifecycle::Completed),
            CheckoutEvent::CheckoutFailed { checkout_id, .. } => (checkout_id, Lifecycle::Failed),
        }
    }
}

/// The checkout decider; its state is the checkout's status.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckoutDecider;

impl Decider for CheckoutDecider {
    type Command = CheckoutCommand;
    type Event = CheckoutEvent;
    type State = Option<Lifecycle>;
    type Rejection = CheckoutRejection;

    fn initial_state(&self) -> Self::State {
        None
    }

    fn stream_id(&self, command: &CheckoutCommand) -> StreamId {
        use CheckoutCommand::*;
        let (StartCheckout { checkout_id, .. }
        | Complete { checkout_id }
        | Fail { checkout_id, .. }) = command;
        format!("checkout-{checkout_id}").into()
    }

    fn decide(
        &self,
        command: &CheckoutCommand,
        state: &Self::State,
    ) -> Result<Vec<CheckoutEvent>, CheckoutRejection> {
        use CheckoutCommand as C;
        use CheckoutEvent as E;
        use CheckoutRejection as R;
        match (command, state) {
            (
                C::StartCheckout {
                    checkout_id,
                    lines,
                    amount_cents,
                    card,
                    address,
                },
                None,
            ) => {
                if lines.iter().all(|l| l.quantity == 0) {
                    return Err(R::EmptyCart);
                }
                Ok(vec![E::CheckoutStarted {
                    checkout_id: checkout_id.clone(),
                    lines: lines.clone(),
                    amount_cents: *amount_cents,
                    card: card.clone(),
                    address: address.clone(),
                }])
            }
            (C::StartCheckout { .. }, Some(_)) => Err(R::AlreadyStarted),
            (_, None) => Err(R::UnknownCheckout),
            (_, Some(status)) if status.is_finished() => Err(R::AlreadyFinished),
            (C::Complete { checkout_id }, Some(_)) => Ok(vec![E::CheckoutCompleted {
                checkout_id: checkout_id.clone(),
            }]),
            (
                C::Fail {
                    checkout_id,
                    reason,
                },
                Some(_),
            ) => Ok(vec![E::CheckoutFailed {
                checkout_id: checkout_id.clone(),
                reason: reason.clone(),
            }]),
        }
    }

    fn evolve(&self, _state: Self::State, event: &CheckoutEvent) -> Self::State {
        Some(event.progress().1)
    }

    fn is_terminal(&self, state: &Self::State) -> bool {
        Lifecycle::finished(state)
    }
}

/// Commands of a product's stock (stream `stock-<sku>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StockCommand {
    /// Adds units to the shelf.
    Restock {
        /// The product.
        sku: String,
        /// How many.
        quantity: u32,
    },
    /// Sets units aside for a checkout (issued by the process).
    Reserve {
        /// The product.
        sku: String,
        /// For which checkout.
        checkout_id: String,
        /// How many.
        quantity: u32,
    },
    /// Puts a checkout's reserved units back (a compensation).
    Release {
        /// The product.
        sku: String,
        /// For which checkout.
        checkout_id: String,
    },
}

/// Events of a product's stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StockEvent {
    /// Units were added.
    Restocked {
        /// The product.
        sku: String,
        /// How many.
        quantity: u32,
    },
    /// Units were set aside.
    Reserved {
        /// The product.
        sku: String,
        /// For which checkout.
        checkout_id: String,
        /// How many.
        quantity: u32,
    },
    /// Reserved units went back on the shelf.
    Released {
        /// The product.
        sku: String,
        /// For which checkout.
        checkout_id: String,
        /// How many.
        quantity: u32,
    },
}

/// Why the stock refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StockRejection {
    /// Not enough units on the shelf.
    OutOfStock {
        /// Units available.
        available: u32,
    },
    /// The checkout holds no reservation of this product.
    NoReservation,
}

/// A product's stock: units on the shelf, and units reserved per checkout.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stock {
    /// Units free to reserve.
    pub available: u32,
    /// Checkout id → units set aside.
    pub reserved: BTreeMap<String, u32>,
}

/// The stock decider.
#[derive(Clone, Copy, Debug, Default)]
pub struct StockDecider;

impl Decider for StockDecider {
    type Command = StockCommand;
    type Event = StockEvent;
    type State = Stock;
    type Rejection = StockRejection;

    fn initial_state(&self) -> Stock {
        Stock::default()
    }

    fn stream_id(&self, command: &StockCommand) -> StreamId {
        use StockCommand::*;
        let (Restock { sku, .. } | Reserve { sku, .. } | Release { sku, .. }) = command;
        format!("stock-{sku}").into()
    }

    fn decide(
        &self,
        command: &StockCommand,
        stock: &Stock,
    ) -> Result<Vec<StockEvent>, StockRejection> {
        match command {
            StockCommand::Restock { sku, quantity } => Ok(vec![StockEvent::Restocked {
                sku: sku.clone(),
                quantity: *quantity,
            }]),
            StockCommand::Reserve {
                sku,
                checkout_id,
                quantity,
            } => {
                if stock.available < *quantity {
                    return Err(StockRejection::OutOfStock {
                        available: stock.available,
                    });
                }
                Ok(vec![StockEvent::Reserved {
                    sku: sku.clone(),
                    checkout_id: checkout_id.clone(),
                    quantity: *quantity,
                }])
            }
            StockCommand::Release { sku, checkout_id } => match stock.reserved.get(checkout_id) {
                Some(quantity) => Ok(vec![StockEvent::Released {
                    sku: sku.clone(),
                    checkout_id: checkout_id.clone(),
                    quantity: *quantity,
                }]),
                None => Err(StockRejection::NoReservation),
            },
        }
    }

    fn evolve(&self, mut stock: Stock, event: &StockEvent) -> Stock {
        match event {
            StockEvent::Restocked { quantity, .. } => {
                stock.available = stock.available.saturating_add(*quantity)
            }
            StockEvent::Reserved {
                checkout_id,
                quantity,
                ..
            } => {
                stock.available = stock.available.saturating_sub(*quantity);
                let reserved = stock.reserved.entry(checkout_id.clone()).or_default();
                *reserved = reserved.saturating_add(*quantity);
            }
            StockEvent::Released {
                checkout_id,
                quantity,
                ..
            } => {
                stock.available = stock.available.saturating_add(*quantity);
                stock.reserved.remove(checkout_id);
            }
        }
        stock
    }
}

/// Commands of a checkout's payment (stream `payment-<checkout_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentCommand {
    /// Charges the card (issued by the process).
    Charge {
        /// For which checkout.
        checkout_id: String,
        /// How much, in cents.
        amount_cents: u64,
        /// Which card.
        card: String,
    },
    /// Gives the money back (a compensation).
    Refund {
        /// For which checkout.
        checkout_id: String,
    },
}

/// Events of a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentEvent {
    /// The card was charged.
    Charged {
        /// For which checkout.
        checkout_id: String,
        /// How much.
        amount_cents: u64,
    },
    /// The money went back.
    Refunded {
        /// For which checkout.
        checkout_id: String,
        /// How much.
        amount_cents: u64,
    },
}

/// Why the payment was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentRejection {
    /// The card was declined.
    Declined {
        /// Why.
        reason: String,
    },
    /// Already charged.
    AlreadyCharged,
    /// Nothing to refund.
    NothingToRefund,
}

/// A payment's state: the amount charged and not refunded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Payment {
    /// Charged and not refunded, in cents.
    pub charged_cents: u64,
    /// Whether the card was ever charged.
    pub charged: bool,
}

/// The payment decider.
#[derive(Clone, Copy, Debug, Default)]
pub struct PaymentDecider;

impl Decider for PaymentDecider {
    type Command = PaymentCommand;
    type Event = PaymentEvent;
    type State = Payment;
    type Rejection = PaymentRejection;

    fn initial_state(&self) -> Payment {
        Payment::default()
    }

    fn stream_id(&self, command: &PaymentCommand) -> StreamId {
        let (PaymentCommand::Charge { checkout_id, .. } | PaymentCommand::Refund { checkout_id }) =
            command;
        format!("payment-{checkout_id}").into()
    }

    fn decide(
        &self,
        command: &PaymentCommand,
        payment: &Payment,
    ) -> Result<Vec<PaymentEvent>, PaymentRejection> {
        match command {
            PaymentCommand::Charge { .. } if payment.charged => {
                Err(PaymentRejection::AlreadyCharged)
            }
            PaymentCommand::Charge { card, .. } if card == DECLINED_CARD => {
                Err(PaymentRejection::Declined {
                    reason: "card declined by the issuer".into(),
                })
            }
            PaymentCommand::Charge { amount_cents, .. } if *amount_cents > CHARGE_LIMIT_CENTS => {
                Err(PaymentRejection::Declined {
                    reason: format!("over the {CHARGE_LIMIT_CENTS} cent limit"),
                })
            }
            PaymentCommand::Charge {
                checkout_id,
                amount_cents,
                ..
            } => Ok(vec![PaymentEvent::Charged {
                checkout_id: checkout_id.clone(),
                amount_cents: *amount_cents,
            }]),
            PaymentCommand::Refund { .. } if payment.charged_cents == 0 => {
                Err(PaymentRejection::NothingToRefund)
            }
            PaymentCommand::Refund { checkout_id } => Ok(vec![PaymentEvent::Refunded {
                checkout_id: checkout_id.clone(),
                amount_cents: payment.charged_cents,
            }]),
        }
    }

    fn evolve(&self, mut payment: Payment, event: &PaymentEvent) -> Payment {
        match event {
            PaymentEvent::Charged { amount_cents, .. } => {
                payment.charged = true;
                payment.charged_cents = payment.charged_cents.saturating_add(*amount_cents);
            }
            PaymentEvent::Refunded { amount_cents, .. } => {
                payment.charged_cents = payment.charged_cents.saturating_sub(*amount_cents)
            }
        }
        payment
    }
}

/// Commands of a checkout's shipment (stream `shipment-<checkout_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShippingCommand {
    /// Hands the parcel to the carrier (issued by the process).
    Ship {
        /// For which checkout.
        checkout_id: String,
        /// Where to.
        address: String,
    },
}

/// Events of a shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShippingEvent {
    /// The parcel left.
    Shipped {
        /// For which checkout.
        checkout_id: String,
        /// Where to.
        address: String,
    },
}

/// Why the carrier refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShippingRejection {
    /// The carrier does not deliver there.
    Undeliverable {
        /// The address.
        address: String,
    },
    /// Already shipped.
    AlreadyShipped,
}

/// The shipping decider; its state is whether the parcel left.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShippingDecider;

impl Decider for ShippingDecider {
    type Command = ShippingCommand;
    type Event = ShippingEvent;
    type State = bool;
    type Rejection = ShippingRejection;

    fn initial_state(&self) -> bool {
        false
    }

    fn stream_id(&self, ShippingCommand::Ship { checkout_id, .. }: &ShippingCommand) -> StreamId {
        format!("shipment-{checkout_id}").into()
    }

    fn decide(
        &self,
        command: &ShippingCommand,
        shipped: &bool,
    ) -> Result<Vec<ShippingEvent>, ShippingRejection> {
        let ShippingCommand::Ship {
            checkout_id,
            address,
        } = command;
        if *shipped {
            return Err(ShippingRejection::AlreadyShipped);
        }
        if address.trim().is_empty() || address.trim_end().ends_with(UNSERVED_REGION) {
            return Err(ShippingRejection::Undeliverable {
                address: address.clone(),
            });
        }
        Ok(vec![ShippingEvent::Shipped {
            checkout_id: checkout_id.clone(),
            address: address.clone(),
        }])
    }

    fn evolve(&self, _shipped: bool, _event: &ShippingEvent) -> bool {
        true
    }

    fn is_terminal(&self, shipped: &bool) -> bool {
        *shipped
    }
}

/// Every command of the domain, by service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// Checkouts.
    Checkout(CheckoutCommand),
    /// Stock.
    Stock(StockCommand),
    /// Payments.
    Payment(PaymentCommand),
    /// Shipping.
    Shipping(ShippingCommand),
}

/// Every event of the domain, by service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Checkouts.
    Checkout(CheckoutEvent),
    /// Stock.
    Stock(StockEvent),
    /// Payments.
    Payment(PaymentEvent),
    /// Shipping.
    Shipping(ShippingEvent),
}

/// Every rejection of the domain, by service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// Checkouts.
    Checkout(CheckoutRejection),
    /// Stock.
    Stock(StockRejection),
    /// Payments.
    Payment(PaymentRejection),
    /// Shipping.
    Shipping(ShippingRejection),
}

/// The four services' deciders behind the domain's enums.
pub type Deciders = Route<
    Lift<CheckoutDecider, Command, Event, Rejection>,
    Route<
        Lift<StockDecider, Command, Event, Rejection>,
        Route<
            Lift<PaymentDecider, Command, Event, Rejection>,
            Lift<ShippingDecider, Command, Event, Rejection>,
        >,
    >,
>;

/// The deciders, routed.
pub fn deciders() -> Deciders {
    Route(
        lift!(CheckoutDecider, Checkout),
        Route(
            lift!(StockDecider, Stock),
            Route(
                lift!(PaymentDecider, Payment),
                lift!(ShippingDecider, Shipping),
            ),
        ),
    )
}

/// One checkout as the process tracks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// What to buy.
    pub lines: Vec<Line>,
    /// How many lines are reserved (lines are reserved in order).
    pub reserved: usize,
    /// The total, in cents.
    pub amount_cents: u64,
    /// The card.
    pub card: String,
    /// The address.
    pub address: String,
}

/// The checkout process manager: reserve each line, charge, ship, complete; and
/// compensate each failure.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckoutProcess;

impl CheckoutProcess {
    /// The commands that release every line `progress` reserved.
    fn release_all<'p>(
        checkout_id: &str,
        progress: &'p Progress,
    ) -> impl Iterator<Item = Command> + 'p {
        let checkout_id = checkout_id.to_string();
        let reserved = progress.reserved.min(progress.lines.len());
        progress.lines[..reserved].iter().map(move |line| {
            Command::Stock(StockCommand::Release {
                sku: line.sku.clone(),
                checkout_id: checkout_id.clone(),
            })
        })
    }

    fn fail(checkout_id: &str, reason: String) -> Command {
        Command::Checkout(CheckoutCommand::Fail {
            checkout_id: checkout_id.to_string(),
            reason,
        })
    }

    fn reserve(checkout_id: &str, line: &Line) -> Command {
        Command::Stock(StockCommand::Reserve {
            sku: line.sku.clone(),
            checkout_id: checkout_id.to_string(),
            quantity: line.quantity,
        })
    }
}

impl ProcessManager for CheckoutProcess {
    type Command = Command;
    type Event = Event;
    type Rejection = Rejection;
    type State = BTreeMap<String, Progress>;

    fn name(&self) -> &str {
        "checkout"
    }

    fn initial_state(&self) -> Self::State {
        BTreeMap::new()
    }

    fn evolve(
        &self,
        mut state: Self::State,
        fact: Fact<'_, Command, Event, Rejection>,
    ) -> Self::State {
        match fact {
            Fact::Event(Event::Checkout(CheckoutEvent::CheckoutStarted {
                checkout_id,
                lines,
                amount_cents,
                card,
                address,
            })) => {
                let progress = Progress {
                    lines: lines.iter().filter(|l| l.quantity > 0).cloned().collect(),
                    reserved: 0,
                    amount_cents: *amount_cents,
                    card: card.clone(),
                    address: address.clone(),
                };
                state.insert(checkout_id.clone(), progress);
            }
            Fact::Event(Event::Stock(StockEvent::Reserved { checkout_id, .. })) => {
                if let Some(progress) = state.get_mut(checkout_id) {
                    progress.reserved += 1;
                }
            }
            Fact::Event(Event::Checkout(
                CheckoutEvent::CheckoutCompleted { checkout_id }
                | CheckoutEvent::CheckoutFailed { checkout_id, .. },
            )) => {
                state.remove(checkout_id);
            }
            _ => {}
        }
        state
    }

    fn react(
        &self,
        state: &Self::State,
        fact: Fact<'_, Command, Event, Rejection>,
    ) -> Vec<Command> {
        match fact {
            Fact::Event(event) => react_to_event(state, event),
            Fact::Rejected { command, reason } => compensate(state, command, reason),
        }
    }
}

fn react_to_event(state: &BTreeMap<String, Progress>, event: &Event) -> Vec<Command> {
    let (checkout_id, progress) = match event {
        Event::Checkout(CheckoutEvent::CheckoutStarted { checkout_id, .. })
        | Event::Stock(StockEvent::Reserved { checkout_id, .. })
        | Event::Payment(PaymentEvent::Charged { checkout_id, .. })
        | Event::Shipping(ShippingEvent::Shipped { checkout_id, .. }) => {
            match state.get(checkout_id) {
                Some(progress) => (checkout_id, progress),
                None => return vec![],
            }
        }
        _ => return vec![],
    };
    let next = match event {
        Event::Checkout(_) | Event::Stock(_) => match progress.lines.get(progress.reserved) {
            Some(line) => CheckoutProcess::reserve(checkout_id, line),
            None => Command::Payment(PaymentCommand::Charge {
                checkout_id: checkout_id.clone(),
                amount_cents: progress.amount_cents,
                card: progress.card.clone(),
            }),
        },
        Event::Payment(_) => Command::Shipping(ShippingCommand::Ship {
            checkout_id: checkout_id.clone(),
            address: progress.address.clone(),
        }),
        Event::Shipping(_) => Command::Checkout(CheckoutCommand::Complete {
            checkout_id: checkout_id.clone(),
        }),
    };
    vec![next]
}

fn compensate(
    state: &BTreeMap<String, Progress>,
    command: &Command,
    reason: &Rejection,
) -> Vec<Command> {
    let (checkout_id, refund, why) = match (command, reason) {
        (
            Command::Stock(StockCommand::Reserve {
                sku, checkout_id, ..
            }),
            Rejection::Stock(StockRejection::OutOfStock { available }),
        ) => (
            checkout_id,
            false,
            format!("`{sku}` is out of stock (only {available} available)"),
        ),
        (
            Command::Payment(PaymentCommand::Charge { checkout_id, .. }),
            Rejection::Payment(PaymentRejection::Declined { reason }),
        ) => (checkout_id, false, format!("payment declined: {reason}")),
        (
            Command::Shipping(ShippingCommand::Ship {
                checkout_id,
                address,
            }),
            Rejection::Shipping(ShippingRejection::Undeliverable { .. }),
        ) => (
            checkout_id,
            true,
            format!("shipping failed: the carrier does not deliver to {address}"),
        ),
        _ => return vec![],
    };
    let Some(progress) = state.get(checkout_id) else {
        return vec![];
    };
    let refund = refund.then(|| {
        Command::Payment(PaymentCommand::Refund {
            checkout_id: checkout_id.clone(),
        })
    });
    refund
        .into_iter()
        .chain(CheckoutProcess::release_all(checkout_id, progress))
        .chain([CheckoutProcess::fail(checkout_id, why)])
        .collect()
}

/// The shop view: stock on the shelf per product and each checkout's status.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shop;

/// The shop read model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ShopState {
    /// SKU → units free to reserve.
    pub available: BTreeMap<String, u32>,
    /// Checkout id → status.
    pub checkouts: BTreeMap<String, Lifecycle>,
}

impl View for Shop {
    type Event = Event;
    type State = ShopState;

    fn initial_state(&self) -> ShopState {
        ShopState::default()
    }

    fn evolve(&self, mut shop: ShopState, event: &Event) -> ShopState {
        match event {
            Event::Stock(
                StockEvent::Restocked { sku, quantity }
                | StockEvent::Released { sku, quantity, .. },
            ) => {
                let available = shop.available.entry(sku.clone()).or_default();
                *available = available.saturating_add(*quantity);
            }
            Event::Stock(StockEvent::Reserved { sku, quantity, .. }) => {
                let available = shop.available.entry(sku.clone()).or_default();
                *available = available.saturating_sub(*quantity);
            }
            Event::Checkout(event) => {
                let (id, status) = event.progress();
                shop.checkouts.insert(id.clone(), status);
            }
            Event::Payment(_) | Event::Shipping(_) => {}
        }
        shop
    }
}

/// The checkout system: four services, the shop view and the checkout process.
pub type CheckoutSystem = Parts<Deciders, Shop, CheckoutProcess>;

/// The system, typed (for specs and tests).
pub fn system() -> CheckoutSystem {
    Parts {
        decider: deciders(),
        view: Shop,
        process: CheckoutProcess,
    }
}

/// The checkout domain behind the type-erased boundary.
pub fn domain() -> TypedDomain<CheckoutSystem> {
    TypedDomain::new(
        DomainInfo {
            id: "checkout".into(),
            title: "Checkout".into(),
            description: "A multi-step checkout run by a process manager: reserve stock line \
                by line, charge the card, ship, complete. Each failure is compensated: out of \
                stock releases what was reserved; a declined card (try 4000-0000-0000-0002) \
                releases the stock; an undeliverable address (ending in Antarctica) refunds \
                the payment and releases the stock. Every failure also fails the checkout."
                .into(),
            streams: vec![
                "checkout".into(),
                "stock".into(),
                "payment".into(),
                "shipment".into(),
            ],
            views: vec!["shop".into()],
            sagas: vec!["checkout".into()],
            external_events: vec![],
            zero_payload_events: vec![],
        },
        system(),
    )
}
