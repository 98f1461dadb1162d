//! **Checkout**: reserve stock → charge payment → ship, written as a process manager that
//! compensates at each step: when stock runs out, what was reserved is released; when
//! the payment is declined, the stock is released; when shipping fails, the payment is
//! refunded and the stock released. Every failure also fails the checkout.
//!
//! Lines are reserved one product at a time (lines of the same product are reserved
//! together, as one), so when a reservation fails the process knows exactly which
//! products to release, and releases each once.

use crate::lifecycle::Lifecycle;
use decider_core::compose::{Lift, Route};
use decider_core::{Decider, DomainInfo, Fact, Parts, ProcessManager, TypedDomain, View};
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod invariants;

/// The card number the payment service always declines (for trying the compensation).
pub const DECLINED_CARD: &str = "4000-0000-0000-0002";
/// The largest amount the payment service charges at once, in cents.
pub const CHARGE_LIMIT_CENTS: u64 = 100_000;
/// The region the carrier does not deliver to (an address ending with it is undeliverable).
pub const UNSERVED_REGION: &str = "Antarctica";

/// A quantity of one product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Line {
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: u32,
}

impl Line {
    /// One line per product, in the order products first appear, with the quantities of
    /// its lines added up (saturating: no shelf holds more than `u32::MAX` units anyway);
    /// products with nothing to buy are left out.
    pub fn per_product(lines: &[Line]) -> Vec<Line> {
        let mut merged: Vec<Line> = Vec::with_capacity(lines.len());
        for line in lines.iter().filter(|l| l.quantity > 0) {
            match merged.iter_mut().find(|m| m.sku == line.sku) {
                Some(m) => m.quantity = m.quantity.saturating_add(line.quantity),
                None => merged.push(line.clone()),
            }
        }
        merged
    }
}

/// Commands of a checkout (stream `checkout-<checkout_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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

    fn write_stream_id(&self, command: &CheckoutCommand, id: &mut String) {
        use CheckoutCommand::*;
        let (StartCheckout { checkout_id, .. }
        | Complete { checkout_id }
        | Fail { checkout_id, .. }) = command;
        id.push_str("checkout-");
        id.push_str(checkout_id);
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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

    fn write_stream_id(&self, command: &StockCommand, id: &mut String) {
        use StockCommand::*;
        let (Restock { sku, .. } | Reserve { sku, .. } | Release { sku, .. }) = command;
        id.push_str("stock-");
        id.push_str(sku);
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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

    fn write_stream_id(&self, command: &PaymentCommand, id: &mut String) {
        let (PaymentCommand::Charge { checkout_id, .. } | PaymentCommand::Refund { checkout_id }) =
            command;
        id.push_str("payment-");
        id.push_str(checkout_id);
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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

    fn write_stream_id(
        &self,
        ShippingCommand::Ship { checkout_id, .. }: &ShippingCommand,
        id: &mut String,
    ) {
        id.push_str("shipment-");
        id.push_str(checkout_id);
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
        lift!(CheckoutDecider, Checkout, "checkout", "checkout-"),
        Route(
            lift!(StockDecider, Stock, "stock", "stock-"),
            Route(
                lift!(PaymentDecider, Payment, "payment", "payment-"),
                lift!(ShippingDecider, Shipping, "shipping", "shipment-"),
            ),
        ),
    )
}

/// One checkout as the process tracks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// What to buy, one line per product ([`Line::per_product`]).
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
                    lines: Line::per_product(lines),
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

    fn react_into(
        &self,
        state: &Self::State,
        fact: Fact<'_, Command, Event, Rejection>,
        out: &mut impl Extend<Command>,
    ) {
        match fact {
            Fact::Event(event) => react_to_event(state, event, out),
            Fact::Rejected { command, reason } => compensate(state, command, reason, out),
        }
    }
}

fn react_to_event(
    state: &BTreeMap<String, Progress>,
    event: &Event,
    out: &mut impl Extend<Command>,
) {
    let (checkout_id, progress) = match event {
        Event::Checkout(CheckoutEvent::CheckoutStarted { checkout_id, .. })
        | Event::Stock(StockEvent::Reserved { checkout_id, .. })
        | Event::Payment(PaymentEvent::Charged { checkout_id, .. })
        | Event::Shipping(ShippingEvent::Shipped { checkout_id, .. }) => {
            match state.get(checkout_id) {
                Some(progress) => (checkout_id, progress),
                None => return,
            }
        }
        _ => return,
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
    out.extend([next]);
}

fn compensate(
    state: &BTreeMap<String, Progress>,
    command: &Command,
    reason: &Rejection,
    out: &mut impl Extend<Command>,
) {
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
        _ => return,
    };
    let Some(progress) = state.get(checkout_id) else {
        return;
    };
    let refund = refund.then(|| {
        Command::Payment(PaymentCommand::Refund {
            checkout_id: checkout_id.clone(),
        })
    });
    out.extend(
        refund
            .into_iter()
            .chain(CheckoutProcess::release_all(checkout_id, progress))
            .chain([CheckoutProcess::fail(checkout_id, why)]),
    );
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
    TypedDomain::with_schemas(
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
        crate::schemas::bundled!("checkout"),
    )
    .with_invariants(invariants::declared())
}

#[cfg(test)]
mod tests {
    use super::*;
    use decider_core::compose::Part;
    use decider_core::spec::{process_then, DeciderSpec, FlowSpec, GivenFact};

    fn line(sku: &str, quantity: u32) -> Line {
        Line {
            sku: sku.into(),
            quantity,
        }
    }

    fn start(lines: Vec<Line>) -> CheckoutCommand {
        CheckoutCommand::StartCheckout {
            checkout_id: "c".into(),
            lines,
            amount_cents: 300,
            card: "4242".into(),
            address: "1 Main St, Paris".into(),
        }
    }

    fn started(lines: Vec<Line>) -> CheckoutEvent {
        CheckoutEvent::CheckoutStarted {
            checkout_id: "c".into(),
            lines,
            amount_cents: 300,
            card: "4242".into(),
            address: "1 Main St, Paris".into(),
        }
    }

    fn checkout(given: &[CheckoutEvent]) -> DeciderSpec<'static, CheckoutDecider> {
        DeciderSpec::given(&CheckoutDecider, given)
    }

    #[test]
    fn a_checkout_starts_once_with_something_to_buy() {
        let lines = vec![line("pen", 2), line("ink", 0)];
        checkout(&[])
            .when(&start(lines.clone()))
            .then_events(&[started(lines.clone())])
            .then_state(&Some(Lifecycle::Started));
        checkout(&[started(lines.clone())])
            .when(&start(lines))
            .then_rejected(&CheckoutRejection::AlreadyStarted);
        for empty in [vec![], vec![line("pen", 0)]] {
            checkout(&[])
                .when(&start(empty))
                .then_rejected(&CheckoutRejection::EmptyCart);
        }
    }

    #[test]
    fn a_checkout_completes_or_fails_once() {
        let complete = CheckoutCommand::Complete {
            checkout_id: "c".into(),
        };
        let fail = CheckoutCommand::Fail {
            checkout_id: "c".into(),
            reason: "why".into(),
        };
        let completed = CheckoutEvent::CheckoutCompleted {
            checkout_id: "c".into(),
        };
        let failed = CheckoutEvent::CheckoutFailed {
            checkout_id: "c".into(),
            reason: "why".into(),
        };
        let begun = started(vec![line("pen", 1)]);
        checkout(std::slice::from_ref(&begun))
            .when(&complete)
            .then_events(std::slice::from_ref(&completed))
            .then_state(&Some(Lifecycle::Completed));
        checkout(std::slice::from_ref(&begun))
            .when(&fail)
            .then_events(std::slice::from_ref(&failed))
            .then_state(&Some(Lifecycle::Failed));
        for command in [&complete, &fail] {
            checkout(&[])
                .when(command)
                .then_rejected(&CheckoutRejection::UnknownCheckout);
            for end in [&completed, &failed] {
                checkout(&[begun.clone(), end.clone()])
                    .when(command)
                    .then_rejected(&CheckoutRejection::AlreadyFinished);
            }
        }
    }

    fn restocked(quantity: u32) -> StockEvent {
        StockEvent::Restocked {
            sku: "pen".into(),
            quantity,
        }
    }

    fn reserve(quantity: u32) -> StockCommand {
        StockCommand::Reserve {
            sku: "pen".into(),
            checkout_id: "c".into(),
            quantity,
        }
    }

    fn reserved(quantity: u32) -> StockEvent {
        StockEvent::Reserved {
            sku: "pen".into(),
            checkout_id: "c".into(),
            quantity,
        }
    }

    fn release() -> StockCommand {
        StockCommand::Release {
            sku: "pen".into(),
            checkout_id: "c".into(),
        }
    }

    fn stock(given: &[StockEvent]) -> DeciderSpec<'static, StockDecider> {
        DeciderSpec::given(&StockDecider, given)
    }

    #[test]
    fn restocking_adds_units() {
        stock(&[restocked(2)])
            .when(&StockCommand::Restock {
                sku: "pen".into(),
                quantity: 3,
            })
            .then_events(&[restocked(3)])
            .then_state(&Stock {
                available: 5,
                reserved: BTreeMap::new(),
            });
    }

    #[test]
    fn a_reservation_takes_units_off_the_shelf_while_there_are_enough() {
        stock(&[restocked(5), reserved(2)])
            .when(&reserve(3))
            .then_events(&[reserved(3)])
            .then_state(&Stock {
                available: 0,
                reserved: BTreeMap::from([("c".to_string(), 5)]),
            });
        stock(&[restocked(5), reserved(2)])
            .when(&reserve(4))
            .then_rejected(&StockRejection::OutOfStock { available: 3 });
    }

    #[test]
    fn a_release_puts_back_everything_the_checkout_reserved_once() {
        let released = StockEvent::Released {
            sku: "pen".into(),
            checkout_id: "c".into(),
            quantity: 5,
        };
        let given = [restocked(5), reserved(2), reserved(3)];
        stock(&given)
            .when(&release())
            .then_events(std::slice::from_ref(&released))
            .then_state(&Stock {
                available: 5,
                reserved: BTreeMap::new(),
            });
        let mut again = given.to_vec();
        again.push(released);
        stock(&again)
            .when(&release())
            .then_rejected(&StockRejection::NoReservation);
        stock(&[restocked(5)])
            .when(&release())
            .then_rejected(&StockRejection::NoReservation);
    }

    fn charge(amount_cents: u64, card: &str) -> PaymentCommand {
        PaymentCommand::Charge {
            checkout_id: "c".into(),
            amount_cents,
            card: card.into(),
        }
    }

    fn charged(amount_cents: u64) -> PaymentEvent {
        PaymentEvent::Charged {
            checkout_id: "c".into(),
            amount_cents,
        }
    }

    fn payment(given: &[PaymentEvent]) -> DeciderSpec<'static, PaymentDecider> {
        DeciderSpec::given(&PaymentDecider, given)
    }

    #[test]
    fn a_card_is_charged_once_up_to_the_limit_unless_declined() {
        payment(&[])
            .when(&charge(CHARGE_LIMIT_CENTS, "4242"))
            .then_events(&[charged(CHARGE_LIMIT_CENTS)])
            .then_state(&Payment {
                charged_cents: CHARGE_LIMIT_CENTS,
                charged: true,
            });
        payment(&[charged(300)])
            .when(&charge(300, "4242"))
            .then_rejected(&PaymentRejection::AlreadyCharged);
        payment(&[])
            .when(&charge(300, DECLINED_CARD))
            .then_rejected(&PaymentRejection::Declined {
                reason: "card declined by the issuer".into(),
            });
        payment(&[])
            .when(&charge(CHARGE_LIMIT_CENTS + 1, "4242"))
            .then_rejected(&PaymentRejection::Declined {
                reason: format!("over the {CHARGE_LIMIT_CENTS} cent limit"),
            });
    }

    #[test]
    fn a_charge_is_refunded_once() {
        let refund = PaymentCommand::Refund {
            checkout_id: "c".into(),
        };
        let refunded = PaymentEvent::Refunded {
            checkout_id: "c".into(),
            amount_cents: 300,
        };
        payment(&[charged(300)])
            .when(&refund)
            .then_events(std::slice::from_ref(&refunded))
            .then_state(&Payment {
                charged_cents: 0,
                charged: true,
            });
        payment(&[charged(300), refunded])
            .when(&refund)
            .then_rejected(&PaymentRejection::NothingToRefund);
        payment(&[])
            .when(&refund)
            .then_rejected(&PaymentRejection::NothingToRefund);
    }

    #[test]
    fn a_parcel_ships_once_to_a_served_address() {
        let ship = |address: &str| ShippingCommand::Ship {
            checkout_id: "c".into(),
            address: address.into(),
        };
        let shipped = ShippingEvent::Shipped {
            checkout_id: "c".into(),
            address: "Paris".into(),
        };
        DeciderSpec::given(&ShippingDecider, &[])
            .when(&ship("Paris"))
            .then_events(std::slice::from_ref(&shipped))
            .then_state(&true);
        DeciderSpec::given(&ShippingDecider, &[shipped])
            .when(&ship("Paris"))
            .then_rejected(&ShippingRejection::AlreadyShipped);
        for address in ["  ", "Base 1, Antarctica "] {
            DeciderSpec::given(&ShippingDecider, &[])
                .when(&ship(address))
                .then_rejected(&ShippingRejection::Undeliverable {
                    address: address.into(),
                });
        }
    }

    type Given = GivenFact<Command, Event, Rejection>;

    fn began(lines: Vec<Line>) -> Given {
        GivenFact::Event(Event::Checkout(started(lines)))
    }

    fn reserved_of(sku: &str, quantity: u32) -> Given {
        GivenFact::Event(Event::Stock(StockEvent::Reserved {
            sku: sku.into(),
            checkout_id: "c".into(),
            quantity,
        }))
    }

    fn reserve_of(sku: &str, quantity: u32) -> Command {
        Command::Stock(StockCommand::Reserve {
            sku: sku.into(),
            checkout_id: "c".into(),
            quantity,
        })
    }

    fn release_of(sku: &str) -> Command {
        Command::Stock(StockCommand::Release {
            sku: sku.into(),
            checkout_id: "c".into(),
        })
    }

    fn fail_with(reason: &str) -> Command {
        Command::Checkout(CheckoutCommand::Fail {
            checkout_id: "c".into(),
            reason: reason.into(),
        })
    }

    fn two_products() -> Vec<Line> {
        vec![line("pen", 1), line("ink", 0), line("pad", 2)]
    }

    #[test]
    fn lines_of_the_same_product_are_reserved_as_one() {
        assert_eq!(
            Line::per_product(&[
                line("pen", 1),
                line("pad", 0),
                line("ink", 2),
                line("pen", 3)
            ]),
            [line("pen", 4), line("ink", 2)]
        );
        let lines = vec![line("pen", 1), line("pen", 3)];
        process_then(
            &CheckoutProcess,
            &[],
            &began(lines),
            &[reserve_of("pen", 4)],
        );
    }

    #[test]
    fn the_process_reserves_each_product_in_turn_then_charges() {
        process_then(
            &CheckoutProcess,
            &[],
            &began(two_products()),
            &[reserve_of("pen", 1)],
        );
        let given = [began(two_products())];
        process_then(
            &CheckoutProcess,
            &given,
            &reserved_of("pen", 1),
            &[reserve_of("pad", 2)],
        );
        let given = [began(two_products()), reserved_of("pen", 1)];
        let charge = Command::Payment(charge(300, "4242"));
        process_then(&CheckoutProcess, &given, &reserved_of("pad", 2), &[charge]);
        // Facts about a checkout the process does not follow cause nothing.
        process_then(&CheckoutProcess, &[], &reserved_of("pen", 1), &[]);
    }

    #[test]
    fn the_process_ships_a_charged_checkout_and_completes_a_shipped_one() {
        let given = [began(two_products())];
        let charged = GivenFact::Event(Event::Payment(charged(300)));
        let ship = Command::Shipping(ShippingCommand::Ship {
            checkout_id: "c".into(),
            address: "1 Main St, Paris".into(),
        });
        process_then(&CheckoutProcess, &given, &charged, &[ship]);
        let shipped = GivenFact::Event(Event::Shipping(ShippingEvent::Shipped {
            checkout_id: "c".into(),
            address: "1 Main St, Paris".into(),
        }));
        let complete = Command::Checkout(CheckoutCommand::Complete {
            checkout_id: "c".into(),
        });
        process_then(&CheckoutProcess, &given, &shipped, &[complete]);
        let done = GivenFact::Event(Event::Checkout(CheckoutEvent::CheckoutCompleted {
            checkout_id: "c".into(),
        }));
        process_then(
            &CheckoutProcess,
            &[began(two_products()), done],
            &shipped,
            &[],
        );
    }

    #[test]
    fn out_of_stock_releases_what_was_reserved_and_fails() {
        let refused = GivenFact::Rejected(
            reserve_of("pad", 2),
            Rejection::Stock(StockRejection::OutOfStock { available: 1 }),
        );
        let given = [began(two_products()), reserved_of("pen", 1)];
        let expected = [
            release_of("pen"),
            fail_with("`pad` is out of stock (only 1 available)"),
        ];
        process_then(&CheckoutProcess, &given, &refused, &expected);
        process_then(&CheckoutProcess, &[], &refused, &[]);
    }

    #[test]
    fn a_declined_card_releases_every_product_and_fails() {
        let refused = GivenFact::Rejected(
            Command::Payment(charge(300, DECLINED_CARD)),
            Rejection::Payment(PaymentRejection::Declined {
                reason: "card declined by the issuer".into(),
            }),
        );
        let given = [
            began(two_products()),
            reserved_of("pen", 1),
            reserved_of("pad", 2),
        ];
        let expected = [
            release_of("pen"),
            release_of("pad"),
            fail_with("payment declined: card declined by the issuer"),
        ];
        process_then(&CheckoutProcess, &given, &refused, &expected);
    }

    #[test]
    fn an_undeliverable_address_refunds_releases_and_fails() {
        let refused = GivenFact::Rejected(
            Command::Shipping(ShippingCommand::Ship {
                checkout_id: "c".into(),
                address: "Antarctica".into(),
            }),
            Rejection::Shipping(ShippingRejection::Undeliverable {
                address: "Antarctica".into(),
            }),
        );
        let given = [
            began(two_products()),
            reserved_of("pen", 1),
            reserved_of("pad", 2),
        ];
        let expected = [
            Command::Payment(PaymentCommand::Refund {
                checkout_id: "c".into(),
            }),
            release_of("pen"),
            release_of("pad"),
            fail_with("shipping failed: the carrier does not deliver to Antarctica"),
        ];
        process_then(&CheckoutProcess, &given, &refused, &expected);
    }

    #[test]
    fn other_refusals_are_not_compensated() {
        let given = [began(two_products())];
        let refusals = [
            GivenFact::Rejected(
                release_of("pen"),
                Rejection::Stock(StockRejection::NoReservation),
            ),
            GivenFact::Rejected(
                Command::Payment(charge(300, "4242")),
                Rejection::Payment(PaymentRejection::AlreadyCharged),
            ),
        ];
        for refused in refusals {
            process_then(&CheckoutProcess, &given, &refused, &[]);
        }
    }

    #[test]
    fn same_product_lines_are_released_once_when_a_later_product_runs_out() {
        let restock = |sku: &str, quantity| {
            Command::Stock(StockCommand::Restock {
                sku: sku.into(),
                quantity,
            })
        };
        let lines = vec![line("pen", 1), line("pen", 2), line("pad", 9)];
        FlowSpec::new(system())
            .when([
                restock("pen", 5),
                restock("pad", 1),
                Command::Checkout(start(lines)),
            ])
            .then_rejections(&[Rejection::Stock(StockRejection::OutOfStock {
                available: 1,
            })])
            .then_stream(
                "stock-pen",
                &Part::Second(Part::First(Stock {
                    available: 5,
                    reserved: BTreeMap::new(),
                })),
            );
    }

    #[test]
    fn the_shop_shows_the_shelves_and_each_checkout_status() {
        let stock = Event::Stock;
        let events = [
            stock(StockEvent::Restocked {
                sku: "pen".into(),
                quantity: 5,
            }),
            stock(StockEvent::Reserved {
                sku: "pen".into(),
                checkout_id: "c".into(),
                quantity: 3,
            }),
            stock(StockEvent::Released {
                sku: "pen".into(),
                checkout_id: "c".into(),
                quantity: 2,
            }),
            Event::Checkout(started(vec![line("pen", 3)])),
            Event::Checkout(CheckoutEvent::CheckoutFailed {
                checkout_id: "c".into(),
                reason: "no".into(),
            }),
            Event::Checkout(CheckoutEvent::CheckoutStarted {
                checkout_id: "d".into(),
                lines: vec![],
                amount_cents: 0,
                card: String::new(),
                address: String::new(),
            }),
            Event::Payment(PaymentEvent::Charged {
                checkout_id: "d".into(),
                amount_cents: 1,
            }),
        ];
        decider_core::spec::view_then(
            &Shop,
            &events,
            &ShopState {
                available: BTreeMap::from([("pen".to_string(), 4)]),
                checkouts: BTreeMap::from([
                    ("c".to_string(), Lifecycle::Failed),
                    ("d".to_string(), Lifecycle::Started),
                ]),
            },
        );
    }
}
