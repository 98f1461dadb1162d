//! **Restaurant & order**: restaurants with menus, orders placed at a restaurant, payment,
//! and preparation. The restaurant can reject an order (an item not on the menu, closed,
//! over capacity); the fulfilment process manager then compensates: the payment is
//! refunded and the order cancelled. The customer can also cancel an order until it is
//! confirmed, wherever its flow is: the process then refunds the payment and takes the
//! ticket off the kitchen, even when they were still on their way.
//!
//! It also shows two ideas about events between services:
//! - **internal** events stay inside their service (the restaurant's
//!   `restaurant_created`, `opened`, `closed`, `kitchen_ticket_created`,
//!   `kitchen_ticket_cancelled`); **external**
//!   (integration) events are published to other services. The process manager reacts to
//!   external events only ([`Event::is_external`]).
//! - `order_prepared` is a **zero-payload** external event: it carries only ids, and its
//!   consumer reads the rest (the customer) from the [`Board`] view.

use decider_core::compose::{Lift, Route};
use decider_core::decider::decided;
use decider_core::{Decider, DomainInfo, Fact, ProcessManager, System, TypedDomain, View};
use imbl::{OrdMap, OrdSet};
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod invariants;

/// The list a decider adds its events to ([`Decider::decide_into`]).
trait Events<E> {
    /// Adds `decided`: the decision.
    fn add<R>(&mut self, decided: impl IntoIterator<Item = E>) -> Result<(), R>;
}

impl<E, L: Extend<E>> Events<E> for L {
    fn add<R>(&mut self, decided: impl IntoIterator<Item = E>) -> Result<(), R> {
        self.extend(decided);
        Ok(())
    }
}

pub use crate::items::Items;
pub use crate::text::Text;

/// A dish on a menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct MenuItem {
    /// The item's id, used in orders.
    pub item_id: String,
    /// The dish's name.
    pub name: String,
    /// Price in cents.
    pub price_cents: u64,
}

/// Commands of the restaurant service (stream `restaurant-<restaurant_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RestaurantCommand {
    /// Registers a restaurant, closed, with its menu and how many orders it can prepare at once.
    CreateRestaurant {
        /// The restaurant.
        restaurant_id: Text,
        /// Its name.
        name: Text,
        /// What it cooks.
        menu: Vec<MenuItem>,
        /// Orders it can prepare at the same time.
        capacity: u32,
    },
    /// Opens the restaurant for orders.
    Open {
        /// The restaurant.
        restaurant_id: Text,
    },
    /// Closes the restaurant.
    Close {
        /// The restaurant.
        restaurant_id: Text,
    },
    /// Takes an order into the kitchen (issued by the fulfilment process once paid).
    AcceptOrder {
        /// The restaurant.
        restaurant_id: Text,
        /// The order.
        order_id: Text,
        /// Item ids.
        items: Items,
    },
    /// Takes a cancelled order's ticket off the kitchen, freeing its slot (issued by the
    /// fulfilment process when the customer cancels an order the kitchen accepted).
    CancelTicket {
        /// The restaurant.
        restaurant_id: Text,
        /// The order.
        order_id: Text,
    },
    /// The kitchen finished an order.
    MarkPrepared {
        /// The restaurant.
        restaurant_id: Text,
        /// The order.
        order_id: Text,
    },
}

/// Events of the restaurant service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RestaurantEvent {
    /// Internal: a restaurant was registered.
    RestaurantCreated {
        /// The restaurant.
        restaurant_id: Text,
        /// Its name.
        name: Text,
        /// Its menu.
        menu: Vec<MenuItem>,
        /// Its capacity.
        capacity: u32,
    },
    /// Internal: the restaurant opened.
    Opened {
        /// The restaurant.
        restaurant_id: Text,
    },
    /// Internal: the restaurant closed.
    Closed {
        /// The restaurant.
        restaurant_id: Text,
    },
    /// Internal: the kitchen got a ticket for an order.
    KitchenTicketCreated {
        /// The restaurant.
        restaurant_id: Text,
        /// The order.
        order_id: Text,
        /// What to cook.
        items: Items,
    },
    /// Internal: a cancelled order's ticket left the kitchen, freeing its slot.
    KitchenTicketCancelled {
        /// The restaurant.
        restaurant_id: Text,
        /// The order.
        order_id: Text,
    },
    /// External: the restaurant accepted an order.
    OrderAccepted {
        /// The restaurant.
        restaurant_id: Text,
        /// The order.
        order_id: Text,
    },
    /// External, zero payload (ids only): an order is ready.
    OrderPrepared {
        /// The restaurant.
        restaurant_id: Text,
        /// The order.
        order_id: Text,
    },
}

/// Why the restaurant refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RestaurantRejection {
    /// No such restaurant.
    UnknownRestaurant,
    /// It was already created.
    AlreadyCreated,
    /// It is closed.
    Closed,
    /// An ordered item is not on the menu.
    NotOnMenu {
        /// The item.
        item_id: Text,
    },
    /// It already prepares as many orders as it can.
    OverCapacity {
        /// Its capacity.
        capacity: u32,
    },
    /// The order is not in its kitchen.
    UnknownOrder,
}

/// A restaurant's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Restaurant {
    /// Item id → price in cents.
    pub menu: BTreeMap<String, u64>,
    /// Orders it can prepare at once.
    pub capacity: u32,
    /// Whether it takes orders.
    pub open: bool,
    /// Orders in the kitchen (a persistent set: it grows with every order a kitchen holds,
    /// and time-travel snapshots share it instead of copying it on the next write).
    pub preparing: OrdSet<Text>,
}

/// The restaurant decider.
#[derive(Clone, Copy, Debug, Default)]
pub struct RestaurantDecider;

impl Decider for RestaurantDecider {
    type Command = RestaurantCommand;
    type Event = RestaurantEvent;
    /// Boxed: every stream of the domain (orders and payments too) holds a state as big
    /// as the biggest service's, and a restaurant's inline took 32 bytes in wasm where an
    /// order's or a payment's takes 24 (a stream's state is 8 bytes smaller, boxed).
    type State = Option<Box<Restaurant>>;
    type Rejection = RestaurantRejection;

    fn initial_state(&self) -> Self::State {
        None
    }

    fn write_stream_id(&self, command: &RestaurantCommand, id: &mut String) {
        use RestaurantCommand::*;
        let (CreateRestaurant { restaurant_id, .. }
        | Open { restaurant_id }
        | Close { restaurant_id }
        | AcceptOrder { restaurant_id, .. }
        | CancelTicket { restaurant_id, .. }
        | MarkPrepared { restaurant_id, .. }) = command;
        id.push_str("restaurant-");
        id.push_str(restaurant_id);
    }

    fn decide(
        &self,
        command: &RestaurantCommand,
        state: &Self::State,
    ) -> Result<Vec<RestaurantEvent>, RestaurantRejection> {
        decided(self, command, state)
    }

    /// Adds its events to the engine's own list: deciding in the engine allocates no list.
    fn decide_into(
        &self,
        command: &RestaurantCommand,
        state: &Self::State,
        events: &mut impl Extend<RestaurantEvent>,
    ) -> Result<(), RestaurantRejection> {
        use RestaurantCommand as C;
        use RestaurantEvent as E;
        use RestaurantRejection as R;
        let restaurant = match (command, state) {
            (
                C::CreateRestaurant {
                    restaurant_id,
                    name,
                    menu,
                    capacity,
                },
                None,
            ) => {
                return events.add([E::RestaurantCreated {
                    restaurant_id: restaurant_id.clone(),
                    name: name.clone(),
                    menu: menu.clone(),
                    capacity: *capacity,
                }])
            }
            (C::CreateRestaurant { .. }, Some(_)) => return Err(R::AlreadyCreated),
            (_, None) => return Err(R::UnknownRestaurant),
            (_, Some(restaurant)) => restaurant,
        };
        match command {
            C::CreateRestaurant { .. } => unreachable!("handled above"),
            C::Open { restaurant_id } => events.add([E::Opened {
                restaurant_id: restaurant_id.clone(),
            }]),
            C::Close { restaurant_id } => events.add([E::Closed {
                restaurant_id: restaurant_id.clone(),
            }]),
            C::AcceptOrder {
                restaurant_id,
                order_id,
                items,
            } => {
                if !restaurant.open {
                    return Err(R::Closed);
                }
                if let Some(item) = items.iter().find(|i| !restaurant.menu.contains_key(&***i)) {
                    return Err(R::NotOnMenu {
                        item_id: item.clone(),
                    });
                }
                if restaurant.preparing.len() >= restaurant.capacity as usize {
                    return Err(R::OverCapacity {
                        capacity: restaurant.capacity,
                    });
                }
                events.add([
                    E::KitchenTicketCreated {
                        restaurant_id: restaurant_id.clone(),
                        order_id: order_id.clone(),
                        items: items.clone(),
                    },
                    E::OrderAccepted {
                        restaurant_id: restaurant_id.clone(),
                        order_id: order_id.clone(),
                    },
                ])
            }
            C::CancelTicket {
                restaurant_id,
                order_id,
            } => {
                if !restaurant.preparing.contains(order_id) {
                    return Err(R::UnknownOrder);
                }
                events.add([E::KitchenTicketCancelled {
                    restaurant_id: restaurant_id.clone(),
                    order_id: order_id.clone(),
                }])
            }
            C::MarkPrepared {
                restaurant_id,
                order_id,
            } => {
                if !restaurant.preparing.contains(order_id) {
                    return Err(R::UnknownOrder);
                }
                events.add([E::OrderPrepared {
                    restaurant_id: restaurant_id.clone(),
                    order_id: order_id.clone(),
                }])
            }
        }
    }

    fn evolve(&self, state: Self::State, event: &RestaurantEvent) -> Self::State {
        use RestaurantEvent as E;
        if let E::RestaurantCreated { menu, capacity, .. } = event {
            // Extended, not collected: collecting a map compiles a sort of its own.
            let mut prices = BTreeMap::new();
            prices.extend(menu.iter().map(|m| (m.item_id.clone(), m.price_cents)));
            return Some(Box::new(Restaurant {
                menu: prices,
                capacity: *capacity,
                open: false,
                preparing: OrdSet::new(),
            }));
        }
        let mut restaurant = state?;
        match event {
            E::RestaurantCreated { .. } | E::OrderAccepted { .. } => {}
            E::Opened { .. } => restaurant.open = true,
            E::Closed { .. } => restaurant.open = false,
            E::KitchenTicketCreated { order_id, .. } => {
                restaurant.preparing.insert(order_id.clone());
            }
            E::OrderPrepared { order_id, .. } | E::KitchenTicketCancelled { order_id, .. } => {
                restaurant.preparing.remove(order_id);
            }
        }
        Some(restaurant)
    }
}

/// Commands of the order service (stream `order-<order_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderCommand {
    /// A customer orders items at a restaurant.
    PlaceOrder {
        /// The order.
        order_id: Text,
        /// Where.
        restaurant_id: Text,
        /// Who (the name called at pickup).
        customer: Text,
        /// Item ids.
        items: Items,
    },
    /// The restaurant accepted it (issued by the fulfilment process).
    ConfirmOrder {
        /// The order.
        order_id: Text,
    },
    /// Cancels it (a compensation, or the customer changed their mind before confirmation).
    CancelOrder {
        /// The order.
        order_id: Text,
        /// Why.
        reason: Text,
    },
    /// It is ready for `customer` to pick up (issued by the fulfilment process).
    MarkReady {
        /// The order.
        order_id: Text,
        /// Who picks it up; must be the order's customer.
        customer: Text,
    },
}

/// Events of the order service; all external.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderEvent {
    /// An order was placed.
    OrderPlaced {
        /// The order.
        order_id: Text,
        /// Where.
        restaurant_id: Text,
        /// Who.
        customer: Text,
        /// Item ids.
        items: Items,
    },
    /// The restaurant accepted it.
    OrderConfirmed {
        /// The order.
        order_id: Text,
    },
    /// It was cancelled.
    OrderCancelled {
        /// The order.
        order_id: Text,
        /// Why.
        reason: Text,
    },
    /// It is ready for pickup.
    OrderReadyForPickup {
        /// The order.
        order_id: Text,
        /// Who picks it up.
        customer: Text,
    },
}

/// Why the order service refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderRejection {
    /// An order with this id exists.
    AlreadyPlaced,
    /// An order needs at least one item.
    NoItems,
    /// No such order.
    UnknownOrder,
    /// The order is past the point where this applies.
    WrongStatus {
        /// Its status.
        status: OrderStatus,
    },
    /// Someone else's order.
    WrongCustomer,
}

/// Where an order is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed, not yet accepted.
    Placed,
    /// Accepted by the restaurant.
    Confirmed,
    /// Cancelled.
    Cancelled,
    /// Ready for pickup.
    Ready,
}

/// An order's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Order {
    /// Who ordered.
    pub customer: Text,
    /// Where it is.
    pub status: OrderStatus,
}

/// The order decider.
#[derive(Clone, Copy, Debug, Default)]
pub struct OrderDecider;

impl Decider for OrderDecider {
    type Command = OrderCommand;
    type Event = OrderEvent;
    type State = Option<Order>;
    type Rejection = OrderRejection;

    fn initial_state(&self) -> Self::State {
        None
    }

    fn write_stream_id(&self, command: &OrderCommand, id: &mut String) {
        use OrderCommand::*;
        let (PlaceOrder { order_id, .. }
        | ConfirmOrder { order_id }
        | CancelOrder { order_id, .. }
        | MarkReady { order_id, .. }) = command;
        id.push_str("order-");
        id.push_str(order_id);
    }

    fn decide(
        &self,
        command: &OrderCommand,
        state: &Self::State,
    ) -> Result<Vec<OrderEvent>, OrderRejection> {
        decided(self, command, state)
    }

    /// Adds its events to the engine's own list: deciding in the engine allocates no list.
    fn decide_into(
        &self,
        command: &OrderCommand,
        state: &Self::State,
        events: &mut impl Extend<OrderEvent>,
    ) -> Result<(), OrderRejection> {
        use OrderCommand as C;
        use OrderEvent as E;
        use OrderRejection as R;
        use OrderStatus as S;
        match (command, state) {
            (
                C::PlaceOrder {
                    order_id,
                    restaurant_id,
                    customer,
                    items,
                },
                None,
            ) => {
                if items.is_empty() {
                    return Err(R::NoItems);
                }
                events.add([E::OrderPlaced {
                    order_id: order_id.clone(),
                    restaurant_id: restaurant_id.clone(),
                    customer: customer.clone(),
                    items: items.clone(),
                }])
            }
            (C::PlaceOrder { .. }, Some(_)) => Err(R::AlreadyPlaced),
            (_, None) => Err(R::UnknownOrder),
            (C::ConfirmOrder { order_id }, Some(order)) => match order.status {
                S::Placed => events.add([E::OrderConfirmed {
                    order_id: order_id.clone(),
                }]),
                status => Err(R::WrongStatus { status }),
            },
            (C::CancelOrder { order_id, reason }, Some(order)) => match order.status {
                S::Placed => events.add([E::OrderCancelled {
                    order_id: order_id.clone(),
                    reason: reason.clone(),
                }]),
                status => Err(R::WrongStatus { status }),
            },
            (C::MarkReady { order_id, customer }, Some(order)) => {
                if order.status != S::Confirmed {
                    return Err(R::WrongStatus {
                        status: order.status,
                    });
                }
                if *customer != order.customer {
                    return Err(R::WrongCustomer);
                }
                events.add([E::OrderReadyForPickup {
                    order_id: order_id.clone(),
                    customer: customer.clone(),
                }])
            }
        }
    }

    fn evolve(&self, state: Self::State, event: &OrderEvent) -> Self::State {
        use OrderEvent as E;
        let status = match event {
            E::OrderPlaced { customer, .. } => {
                return Some(Order {
                    customer: customer.clone(),
                    status: OrderStatus::Placed,
                })
            }
            E::OrderConfirmed { .. } => OrderStatus::Confirmed,
            E::OrderCancelled { .. } => OrderStatus::Cancelled,
            E::OrderReadyForPickup { .. } => OrderStatus::Ready,
        };
        state.map(|order| Order { status, ..order })
    }

    fn is_terminal(&self, state: &Self::State) -> bool {
        state
            .as_ref()
            .is_some_and(|o| matches!(o.status, OrderStatus::Cancelled | OrderStatus::Ready))
    }
}

/// Commands of the payment service (stream `payment-<payment_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentCommand {
    /// Charges the customer for an order.
    TakePayment {
        /// The payment.
        payment_id: Text,
        /// For which order.
        order_id: Text,
        /// How much, in cents.
        amount_cents: u64,
    },
    /// Gives the money back.
    RefundPayment {
        /// The payment.
        payment_id: Text,
    },
}

/// Events of the payment service; all external.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentEvent {
    /// The money was taken.
    PaymentTaken {
        /// The payment.
        payment_id: Text,
        /// For which order.
        order_id: Text,
        /// How much.
        amount_cents: u64,
    },
    /// The money was given back.
    PaymentRefunded {
        /// The payment.
        payment_id: Text,
        /// For which order.
        order_id: Text,
        /// How much.
        amount_cents: u64,
    },
}

/// Why the payment service refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentRejection {
    /// Nothing to charge.
    ZeroAmount,
    /// This payment was already taken.
    AlreadyTaken,
    /// There is no payment to refund.
    NothingToRefund,
}

/// A payment once taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TakenPayment {
    /// For which order.
    pub order_id: Text,
    /// How much, in cents.
    pub amount_cents: u64,
    /// Whether it was given back.
    pub refunded: bool,
}

/// A payment's state: `None` until taken.
pub type Payment = Option<TakenPayment>;

/// The payment decider.
#[derive(Clone, Copy, Debug, Default)]
pub struct PaymentDecider;

impl Decider for PaymentDecider {
    type Command = PaymentCommand;
    type Event = PaymentEvent;
    type State = Payment;
    type Rejection = PaymentRejection;

    fn initial_state(&self) -> Payment {
        None
    }

    fn write_stream_id(&self, command: &PaymentCommand, id: &mut String) {
        let (PaymentCommand::TakePayment { payment_id, .. }
        | PaymentCommand::RefundPayment { payment_id }) = command;
        id.push_str("payment-");
        id.push_str(payment_id);
    }

    fn decide(
        &self,
        command: &PaymentCommand,
        state: &Payment,
    ) -> Result<Vec<PaymentEvent>, PaymentRejection> {
        decided(self, command, state)
    }

    /// Adds its events to the engine's own list: deciding in the engine allocates no list.
    fn decide_into(
        &self,
        command: &PaymentCommand,
        state: &Payment,
        events: &mut impl Extend<PaymentEvent>,
    ) -> Result<(), PaymentRejection> {
        match (command, state) {
            (
                PaymentCommand::TakePayment {
                    amount_cents: 0, ..
                },
                _,
            ) => Err(PaymentRejection::ZeroAmount),
            (
                PaymentCommand::TakePayment {
                    payment_id,
                    order_id,
                    amount_cents,
                },
                None,
            ) => events.add([PaymentEvent::PaymentTaken {
                payment_id: payment_id.clone(),
                order_id: order_id.clone(),
                amount_cents: *amount_cents,
            }]),
            (PaymentCommand::TakePayment { .. }, Some(_)) => Err(PaymentRejection::AlreadyTaken),
            (PaymentCommand::RefundPayment { payment_id }, Some(taken)) if !taken.refunded => {
                events.add([PaymentEvent::PaymentRefunded {
                    payment_id: payment_id.clone(),
                    order_id: taken.order_id.clone(),
                    amount_cents: taken.amount_cents,
                }])
            }
            (PaymentCommand::RefundPayment { .. }, _) => Err(PaymentRejection::NothingToRefund),
        }
    }

    fn evolve(&self, state: Payment, event: &PaymentEvent) -> Payment {
        match event {
            PaymentEvent::PaymentTaken {
                order_id,
                amount_cents,
                ..
            } => Some(TakenPayment {
                order_id: order_id.clone(),
                amount_cents: *amount_cents,
                refunded: false,
            }),
            PaymentEvent::PaymentRefunded { .. } => state.map(|taken| TakenPayment {
                refunded: true,
                ..taken
            }),
        }
    }
}

/// Every command of the domain, by service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// The restaurant service.
    Restaurant(RestaurantCommand),
    /// The order service.
    Order(OrderCommand),
    /// The payment service.
    Payment(PaymentCommand),
}

/// Every event of the domain, by service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The restaurant service.
    Restaurant(RestaurantEvent),
    /// The order service.
    Order(OrderEvent),
    /// The payment service.
    Payment(PaymentEvent),
}

impl Event {
    /// Whether the event is published to other services (an integration event) rather
    /// than kept inside its own.
    pub fn is_external(&self) -> bool {
        !matches!(
            self,
            Event::Restaurant(
                RestaurantEvent::RestaurantCreated { .. }
                    | RestaurantEvent::Opened { .. }
                    | RestaurantEvent::Closed { .. }
                    | RestaurantEvent::KitchenTicketCreated { .. }
                    | RestaurantEvent::KitchenTicketCancelled { .. }
            )
        )
    }
}

/// Every rejection of the domain, by service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// The restaurant service.
    Restaurant(RestaurantRejection),
    /// The order service.
    Order(OrderRejection),
    /// The payment service.
    Payment(PaymentRejection),
}

/// The three services' deciders behind the domain's enums.
pub type Deciders = Route<
    Lift<RestaurantDecider, Command, Event, Rejection>,
    Route<
        Lift<OrderDecider, Command, Event, Rejection>,
        Lift<PaymentDecider, Command, Event, Rejection>,
    >,
>;

/// The deciders, routed.
pub fn deciders() -> Deciders {
    Route(
        lift!(RestaurantDecider, Restaurant, "restaurant", "restaurant-"),
        Route(
            lift!(OrderDecider, Order, "order", "order-"),
            lift!(PaymentDecider, Payment, "payment", "payment-"),
        ),
    )
}

/// One order as the board shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrderSummary {
    /// Where (the order's own copy: the board and the events share it).
    pub restaurant_id: Text,
    /// Who.
    pub customer: Text,
    /// What (the order's own list).
    pub items: Items,
    /// The menu price of the items known to the restaurant, in cents.
    pub total_cents: u64,
    /// Paid and not refunded, in cents.
    pub paid_cents: u64,
    /// Where it is.
    pub status: OrderStatus,
}

/// The board's read model: menus and orders. Persistent maps, so the time-travel snapshots
/// that hold it (the view's and the fulfilment process's) share what did not change;
/// they serialize exactly as ordered maps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BoardState {
    /// Restaurant id → item id → price in cents.
    pub menus: OrdMap<Text, OrdMap<Text, u64>>,
    /// Order id → summary. Each summary is shared ([`triomphe::Arc`]: no weak count, 8
    /// bytes an order less than the standard `Arc`): a write after a time-travel snapshot
    /// copies the map's node that holds it, and that node's summaries are then shared, not
    /// cloned.
    pub orders: OrdMap<Text, triomphe::Arc<OrderSummary>>,
}

/// The board view: every restaurant's menu and every order with its total and payment.
#[derive(Clone, Copy, Debug, Default)]
pub struct Board;

impl View for Board {
    type Event = Event;
    type State = BoardState;

    fn initial_state(&self) -> BoardState {
        BoardState::default()
    }

    fn evolve(&self, mut board: BoardState, event: &Event) -> BoardState {
        match event {
            Event::Restaurant(RestaurantEvent::RestaurantCreated {
                restaurant_id,
                menu,
                ..
            }) => {
                let prices = menu
                    .iter()
                    .map(|m| (Text::from(m.item_id.as_str()), m.price_cents))
                    .collect();
                board.menus.insert(restaurant_id.clone(), prices);
            }
            Event::Order(OrderEvent::OrderPlaced {
                order_id,
                restaurant_id,
                customer,
                items,
            }) => {
                let menu = board.menus.get(restaurant_id);
                let total_cents = items
                    .iter()
                    .filter_map(|item| menu.and_then(|m| m.get(item)))
                    .fold(0u64, |total, price| total.saturating_add(*price));
                let summary = OrderSummary {
                    restaurant_id: restaurant_id.clone(),
                    customer: customer.clone(),
                    items: items.clone(),
                    total_cents,
                    paid_cents: 0,
                    status: OrderStatus::Placed,
                };
                board
                    .orders
                    .insert(order_id.clone(), triomphe::Arc::new(summary));
            }
            Event::Order(event) => {
                let (order_id, status) = match event {
                    OrderEvent::OrderConfirmed { order_id } => (order_id, OrderStatus::Confirmed),
                    OrderEvent::OrderCancelled { order_id, .. } => {
                        (order_id, OrderStatus::Cancelled)
                    }
                    OrderEvent::OrderReadyForPickup { order_id, .. } => {
                        (order_id, OrderStatus::Ready)
                    }
                    OrderEvent::OrderPlaced { .. } => unreachable!("matched above"),
                };
                if let Some(order) = board.orders.get_mut(order_id).map(triomphe::Arc::make_mut) {
                    order.status = status;
                }
            }
            Event::Payment(PaymentEvent::PaymentTaken {
                order_id,
                amount_cents,
                ..
            }) => {
                if let Some(order) = board.orders.get_mut(order_id).map(triomphe::Arc::make_mut) {
                    order.paid_cents = order.paid_cents.saturating_add(*amount_cents);
                }
            }
            Event::Payment(PaymentEvent::PaymentRefunded {
                order_id,
                amount_cents,
                ..
            }) => {
                if let Some(order) = board.orders.get_mut(order_id).map(triomphe::Arc::make_mut) {
                    order.paid_cents = order.paid_cents.saturating_sub(*amount_cents);
                }
            }
            Event::Restaurant(_) => {}
        }
        board
    }
}

/// The payment id the fulfilment process uses for an order.
pub fn payment_id(order_id: &str) -> Text {
    format!("pay-{order_id}").into()
}

/// What the fulfilment process knows: the [`Board`], plus what it has set in motion (in
/// persistent sets, shared between time-travel snapshots like the board's maps).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FulfilmentState {
    /// Menus and orders, folded as the board view folds them.
    pub board: BoardState,
    /// Orders a kitchen accepted and still holds (neither prepared nor released).
    pub in_kitchen: OrdSet<Text>,
    /// Orders whose refund the process already asked for, when the restaurant refused them.
    pub refunding: OrdSet<Text>,
}

impl FulfilmentState {
    fn order(&self, order_id: &Text) -> Option<&OrderSummary> {
        self.board.orders.get(order_id).map(|order| &**order)
    }

    fn is_cancelled(&self, order_id: &Text) -> bool {
        self.order(order_id)
            .is_some_and(|o| o.status == OrderStatus::Cancelled)
    }
}

/// The fulfilment process manager: order placed → take payment → restaurant accepts →
/// confirm; restaurant prepared → ready for pickup. When the restaurant rejects, it
/// refunds and cancels; when the payment is refused, it cancels. When the customer
/// cancels mid-flow, it undoes what was done or is on its way, whichever comes first:
/// a payment taken (now or later) is refunded, and a kitchen ticket (now or later) is
/// cancelled, which frees the kitchen's slot. Its state is the [`Board`], which is where
/// it reads what zero-payload events leave out, and what it has set in motion.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fulfilment;

impl ProcessManager for Fulfilment {
    type Command = Command;
    type Event = Event;
    type Rejection = Rejection;
    type State = FulfilmentState;

    fn name(&self) -> &str {
        "fulfilment"
    }

    fn initial_state(&self) -> FulfilmentState {
        FulfilmentState::default()
    }

    fn evolve(
        &self,
        mut state: FulfilmentState,
        fact: Fact<'_, Command, Event, Rejection>,
    ) -> FulfilmentState {
        if let Fact::Event(event) = fact {
            state.board = Board.evolve(state.board, event);
        }
        follow(&mut state, fact);
        state
    }

    fn react_into(
        &self,
        state: &FulfilmentState,
        fact: Fact<'_, Command, Event, Rejection>,
        out: &mut impl Extend<Command>,
    ) {
        match fact {
            Fact::Event(event) if event.is_external() => react_to_event(state, event, out),
            Fact::Event(_) => {}
            Fact::Rejected { command, reason } => compensate(state, command, reason, out),
        }
    }
}

/// Folds `fact` into what the process has set in motion, its board already holding it.
fn follow(state: &mut FulfilmentState, fact: Fact<'_, Command, Event, Rejection>) {
    match fact {
        Fact::Event(event) => {
            track_kitchen(&mut state.in_kitchen, event);
            settle(state, event);
        }
        Fact::Rejected {
            command: Command::Restaurant(RestaurantCommand::AcceptOrder { order_id, .. }),
            ..
        } if !state.is_cancelled(order_id) => {
            state.refunding.insert(order_id.clone());
        }
        Fact::Rejected { .. } => {}
    }
}

/// Forgets a refund the process asked for once the order is cancelled with nothing left
/// paid: only [`undo`], at the cancellation, reads `refunding`, and with nothing paid it
/// refunds nothing either way. This keeps the not-on-menu flow from leaving an entry
/// behind for every refused order (memory per fact, the engine issue's target).
fn settle(state: &mut FulfilmentState, event: &Event) {
    if let Event::Order(OrderEvent::OrderCancelled { order_id, .. }) = event {
        if state.order(order_id).is_some_and(|o| o.paid_cents == 0) {
            state.refunding.remove(order_id);
        }
    }
}

fn track_kitchen(in_kitchen: &mut OrdSet<Text>, event: &Event) {
    match event {
        Event::Restaurant(RestaurantEvent::OrderAccepted { order_id, .. }) => {
            in_kitchen.insert(order_id.clone());
        }
        Event::Restaurant(
            RestaurantEvent::OrderPrepared { order_id, .. }
            | RestaurantEvent::KitchenTicketCancelled { order_id, .. },
        ) => {
            in_kitchen.remove(order_id);
        }
        _ => {}
    }
}

fn refund(order_id: &str) -> Command {
    Command::Payment(PaymentCommand::RefundPayment {
        payment_id: payment_id(order_id),
    })
}

fn cancel_ticket(order: &OrderSummary, order_id: &Text) -> Command {
    Command::Restaurant(RestaurantCommand::CancelTicket {
        restaurant_id: order.restaurant_id.clone(),
        order_id: order_id.clone(),
    })
}

fn react_to_event(state: &FulfilmentState, event: &Event, out: &mut impl Extend<Command>) {
    let board = &state.board;
    match event {
        Event::Order(OrderEvent::OrderPlaced { order_id, .. }) => {
            let amount_cents = board.orders.get(order_id).map_or(0, |o| o.total_cents);
            out.extend([Command::Payment(PaymentCommand::TakePayment {
                payment_id: payment_id(order_id),
                order_id: order_id.clone(),
                amount_cents,
            })]);
        }
        Event::Payment(PaymentEvent::PaymentTaken { order_id, .. }) => paid(state, order_id, out),
        Event::Restaurant(RestaurantEvent::OrderAccepted { order_id, .. }) => {
            accepted(state, order_id, out)
        }
        Event::Order(OrderEvent::OrderCancelled { order_id, .. }) => undo(state, order_id, out),
        // Zero payload: the customer comes from the board.
        Event::Restaurant(RestaurantEvent::OrderPrepared { order_id, .. }) => {
            out.extend(state.order(order_id).map(|order| {
                Command::Order(OrderCommand::MarkReady {
                    order_id: order_id.clone(),
                    customer: order.customer.clone(),
                })
            }));
        }
        _ => {}
    }
}

/// The payment went through: on to the kitchen, or, when the customer cancelled while
/// the payment was on its way, back to the customer.
fn paid(state: &FulfilmentState, order_id: &Text, out: &mut impl Extend<Command>) {
    let Some(order) = state.order(order_id) else {
        return;
    };
    out.extend([if order.status == OrderStatus::Cancelled {
        refund(order_id)
    } else {
        Command::Restaurant(RestaurantCommand::AcceptOrder {
            restaurant_id: order.restaurant_id.clone(),
            order_id: order_id.clone(),
            items: order.items.clone(),
        })
    }]);
}

/// The kitchen took the order: confirm it, or, when the customer cancelled while the
/// kitchen was taking it, take the ticket off and free the slot.
fn accepted(state: &FulfilmentState, order_id: &Text, out: &mut impl Extend<Command>) {
    out.extend([match state.order(order_id) {
        Some(order) if order.status == OrderStatus::Cancelled => cancel_ticket(order, order_id),
        _ => Command::Order(OrderCommand::ConfirmOrder {
            order_id: order_id.clone(),
        }),
    }]);
}

/// What a cancelled order leaves to undo: the payment taken (unless a compensation
/// already asks for it back) and the kitchen ticket.
fn undo(state: &FulfilmentState, order_id: &Text, out: &mut impl Extend<Command>) {
    let Some(order) = state.order(order_id) else {
        return;
    };
    let paid = order.paid_cents > 0 && !state.refunding.contains(order_id);
    let cooking = state.in_kitchen.contains(order_id);
    let refund = paid.then(|| refund(order_id));
    let ticket = cooking.then(|| cancel_ticket(order, order_id));
    out.extend(refund.into_iter().chain(ticket));
}

/// Compensations. An order the customer already cancelled needs none: the cancellation
/// undid it (see [`undo`]); that is also why the `wrong_status` rejection of a
/// `confirm_order` that comes after a cancellation causes nothing.
fn compensate(
    state: &FulfilmentState,
    command: &Command,
    reason: &Rejection,
    out: &mut impl Extend<Command>,
) {
    let cancel = |order_id: &Text, why: String| {
        Command::Order(OrderCommand::CancelOrder {
            order_id: order_id.clone(),
            reason: why.into(),
        })
    };
    match (command, reason) {
        (
            Command::Restaurant(RestaurantCommand::AcceptOrder { order_id, .. })
            | Command::Payment(PaymentCommand::TakePayment { order_id, .. }),
            _,
        ) if state.is_cancelled(order_id) => {}
        (
            Command::Restaurant(RestaurantCommand::AcceptOrder { order_id, .. }),
            Rejection::Restaurant(why),
        ) => out.extend([
            refund(order_id),
            cancel(order_id, format!("restaurant refused: {}", describe(why))),
        ]),
        (
            Command::Payment(PaymentCommand::TakePayment { order_id, .. }),
            Rejection::Payment(PaymentRejection::ZeroAmount),
        ) => out.extend([cancel(
            order_id,
            format!(
                "payment refused: {}",
                nothing_to_pay(&state.board, order_id)
            ),
        )]),
        _ => {}
    }
}

/// Why an order comes to nothing: its restaurant is unknown, or none of its items is on
/// the menu.
fn nothing_to_pay(board: &BoardState, order_id: &Text) -> String {
    match board.orders.get(order_id) {
        Some(order) if !board.menus.contains_key(&order.restaurant_id) => {
            format!("there is no restaurant `{}`", order.restaurant_id)
        }
        _ => "nothing on the order is on the menu".into(),
    }
}

fn describe(why: &RestaurantRejection) -> String {
    match why {
        RestaurantRejection::NotOnMenu { item_id } => format!("`{item_id}` is not on the menu"),
        RestaurantRejection::Closed => "the restaurant is closed".into(),
        RestaurantRejection::OverCapacity { capacity } => {
            format!("the kitchen is full ({capacity} orders)")
        }
        RestaurantRejection::UnknownRestaurant => "no such restaurant".into(),
        RestaurantRejection::AlreadyCreated | RestaurantRejection::UnknownOrder => {
            "the restaurant cannot take this order".into()
        }
    }
}

/// The restaurant system: the three services, the [`Board`] view, the [`Fulfilment`]
/// process. The process's board is a share of the view's (the same persistent maps), not
/// a second copy folded from the same events: a 1M-fact session holds its ~143k orders
/// once, and each time-travel checkpoint keeps one copy of what changed after it, not two.
pub struct RestaurantSystem {
    deciders: Deciders,
}

impl System for RestaurantSystem {
    type Command = Command;
    type Event = Event;
    type Rejection = Rejection;
    type Decider = Deciders;
    type View = Board;
    type Process = Fulfilment;

    fn decider(&self) -> &Deciders {
        &self.deciders
    }
    fn view(&self) -> &Board {
        &Board
    }
    fn process(&self) -> &Fulfilment {
        &Fulfilment
    }

    /// The view folds the event, then the process takes a share of the view's board: the
    /// same state [`Fulfilment::evolve`] folds for itself (its board folds the same events
    /// as the view, from the same empty board).
    fn fold_read_models(
        &self,
        board: &mut BoardState,
        process: &mut FulfilmentState,
        fact: Fact<'_, Command, Event, Rejection>,
    ) {
        // Let go of the process's share first, so the view writes its maps in place.
        process.board = BoardState::default();
        if let Fact::Event(event) = fact {
            *board = Board.evolve(std::mem::take(board), event);
        }
        process.board = board.clone();
        follow(process, fact);
    }
}

/// The system, typed (for specs and tests).
pub fn system() -> RestaurantSystem {
    RestaurantSystem {
        deciders: deciders(),
    }
}

/// The restaurant domain behind the type-erased boundary.
pub fn domain() -> TypedDomain<RestaurantSystem> {
    TypedDomain::with_schemas(
        DomainInfo {
            id: "restaurant".into(),
            title: "Restaurant & order".into(),
            description: "Customers order at restaurants. The fulfilment process takes the \
                payment, has the restaurant accept the order and confirms it; when the \
                kitchen is done, a zero-payload `order_prepared` event (ids only) makes it \
                look the customer up on the board and mark the order ready. If the \
                restaurant rejects the order (an item not on the menu, closed, kitchen \
                full), the process compensates: the payment is refunded and the order \
                cancelled. A customer who cancels mid-flow gets the payment back and the \
                kitchen its slot, even when they were still on their way. Restaurant events about menus, opening hours and kitchen \
                tickets stay internal; the rest are published."
                .into(),
            streams: vec!["restaurant".into(), "order".into(), "payment".into()],
            views: vec!["board".into()],
            sagas: vec!["fulfilment".into()],
            external_events: [
                "restaurant.order_accepted",
                "restaurant.order_prepared",
                "order.order_placed",
                "order.order_confirmed",
                "order.order_cancelled",
                "order.order_ready_for_pickup",
                "payment.payment_taken",
                "payment.payment_refunded",
            ]
            .map(String::from)
            .to_vec(),
            zero_payload_events: vec!["restaurant.order_prepared".into()],
        },
        system(),
        crate::schemas::bundled!("restaurant"),
    )
    .with_invariants(invariants::declared())
}

#[cfg(test)]
mod tests {
    use super::*;
    use decider_core::spec::{process_then, DeciderSpec, GivenFact};
    use decider_core::{DynDomain, DynEngine, EngineConfig};
    use serde_json::{json, Value};

    fn created() -> Event {
        Event::Restaurant(RestaurantEvent::RestaurantCreated {
            restaurant_id: "r".into(),
            name: "R".into(),
            menu: vec![MenuItem {
                item_id: "soup".into(),
                name: "Soup".into(),
                price_cents: 700,
            }],
            capacity: 1,
        })
    }

    fn placed() -> Event {
        Event::Order(OrderEvent::OrderPlaced {
            order_id: "o".into(),
            restaurant_id: "r".into(),
            customer: "Ada".into(),
            items: ["soup".into()].into(),
        })
    }

    #[test]
    fn the_process_keeps_a_share_of_the_view_s_board_and_the_state_it_folds_itself() {
        let mut engine = decider_core::Engine::new(system(), EngineConfig::default());
        let place = |order_id: &str, item_id: &str| {
            Command::Order(OrderCommand::PlaceOrder {
                order_id: order_id.into(),
                restaurant_id: "r".into(),
                customer: "Ada".into(),
                items: [item_id.into()].into(),
            })
        };
        let Event::Restaurant(RestaurantEvent::RestaurantCreated { menu, .. }) = created() else {
            unreachable!("created() makes a restaurant")
        };
        let commands = [
            Command::Restaurant(RestaurantCommand::CreateRestaurant {
                restaurant_id: "r".into(),
                name: "R".into(),
                menu,
                capacity: 1,
            }),
            Command::Restaurant(RestaurantCommand::Open {
                restaurant_id: "r".into(),
            }),
            place("o1", "soup"),
            place("o2", "sushi"),
            place("o3", "soup"),
        ];
        for command in commands {
            engine.submit(command);
            engine.run_until_idle(u64::MAX);
            let state = engine.state();
            assert!(state.process.board.orders.ptr_eq(&state.view.orders));
            assert!(state.process.board.menus.ptr_eq(&state.view.menus));
            let folded = engine
                .facts(0)
                .fold(Fulfilment.initial_state(), |process, fact| {
                    Fulfilment.evolve(process, fact.as_fact())
                });
            assert_eq!(state.process, folded);
        }
        let process = &engine.state().process;
        let o3 = process.order(&"o3".into()).expect("o3 is on the board");
        assert_eq!(
            o3.status,
            OrderStatus::Cancelled,
            "the kitchen of one is full"
        );
        assert_eq!(o3.paid_cents, 0, "o3 is refunded");
        assert!(
            process.refunding.is_empty(),
            "a settled refund is forgotten"
        );
    }

    #[test]
    fn internal_events_cause_nothing_and_external_ones_are_published() {
        let internal = [
            created(),
            Event::Restaurant(RestaurantEvent::Opened {
                restaurant_id: "r".into(),
            }),
            Event::Restaurant(RestaurantEvent::KitchenTicketCreated {
                restaurant_id: "r".into(),
                order_id: "o".into(),
                items: Items::default(),
            }),
        ];
        for event in internal {
            assert!(!event.is_external(), "{event:?}");
            process_then(&Fulfilment, &[], &GivenFact::Event(event), &[]);
        }
        assert!(placed().is_external());
    }

    #[test]
    fn the_zero_payload_prepared_event_is_completed_from_the_board() {
        let prepared = Event::Restaurant(RestaurantEvent::OrderPrepared {
            restaurant_id: "r".into(),
            order_id: "o".into(),
        });
        assert!(prepared.is_external());
        process_then(
            &Fulfilment,
            &[GivenFact::Event(created()), GivenFact::Event(placed())],
            &GivenFact::Event(prepared),
            &[Command::Order(OrderCommand::MarkReady {
                order_id: "o".into(),
                customer: "Ada".into(),
            })],
        );
    }

    #[test]
    fn the_payment_is_the_menu_price_of_the_order() {
        process_then(
            &Fulfilment,
            &[GivenFact::Event(created())],
            &GivenFact::Event(placed()),
            &[Command::Payment(PaymentCommand::TakePayment {
                payment_id: "pay-o".into(),
                order_id: "o".into(),
                amount_cents: 700,
            })],
        );
    }

    type Given = GivenFact<Command, Event, Rejection>;

    fn cancelled() -> Event {
        Event::Order(OrderEvent::OrderCancelled {
            order_id: "o".into(),
            reason: "changed my mind".into(),
        })
    }

    fn taken() -> Event {
        Event::Payment(PaymentEvent::PaymentTaken {
            payment_id: "pay-o".into(),
            order_id: "o".into(),
            amount_cents: 700,
        })
    }

    fn accepted() -> Event {
        Event::Restaurant(RestaurantEvent::OrderAccepted {
            restaurant_id: "r".into(),
            order_id: "o".into(),
        })
    }

    fn events(events: impl IntoIterator<Item = Event>) -> Vec<Given> {
        events.into_iter().map(GivenFact::Event).collect()
    }

    fn refund_o() -> Command {
        Command::Payment(PaymentCommand::RefundPayment {
            payment_id: "pay-o".into(),
        })
    }

    fn cancel_ticket_o() -> Command {
        Command::Restaurant(RestaurantCommand::CancelTicket {
            restaurant_id: "r".into(),
            order_id: "o".into(),
        })
    }

    #[test]
    fn a_cancelled_unpaid_order_has_nothing_to_undo_yet() {
        let given = events([created(), placed()]);
        process_then(&Fulfilment, &given, &GivenFact::Event(cancelled()), &[]);
    }

    #[test]
    fn a_payment_taken_after_the_order_was_cancelled_is_refunded_not_sent_to_the_kitchen() {
        let given = events([created(), placed(), cancelled()]);
        process_then(
            &Fulfilment,
            &given,
            &GivenFact::Event(taken()),
            &[refund_o()],
        );
    }

    #[test]
    fn cancelling_a_paid_order_refunds_it() {
        let given = events([created(), placed(), taken()]);
        let when = GivenFact::Event(cancelled());
        process_then(&Fulfilment, &given, &when, &[refund_o()]);
    }

    #[test]
    fn an_order_accepted_after_it_was_cancelled_leaves_the_kitchen() {
        let given = events([created(), placed(), taken(), cancelled()]);
        let when = GivenFact::Event(accepted());
        process_then(&Fulfilment, &given, &when, &[cancel_ticket_o()]);
    }

    #[test]
    fn cancelling_an_accepted_order_refunds_it_and_frees_the_kitchen() {
        let given = events([created(), placed(), taken(), accepted()]);
        let when = GivenFact::Event(cancelled());
        process_then(&Fulfilment, &given, &when, &[refund_o(), cancel_ticket_o()]);
    }

    #[test]
    fn the_refused_confirmation_of_a_cancelled_order_causes_nothing_more() {
        let given = events([created(), placed(), taken(), accepted(), cancelled()]);
        let confirm = Command::Order(OrderCommand::ConfirmOrder {
            order_id: "o".into(),
        });
        let reason = Rejection::Order(OrderRejection::WrongStatus {
            status: OrderStatus::Cancelled,
        });
        process_then(
            &Fulfilment,
            &given,
            &GivenFact::Rejected(confirm, reason),
            &[],
        );
    }

    #[test]
    fn a_restaurant_refusal_is_refunded_once_even_when_the_cancellation_follows() {
        let accept = Command::Restaurant(RestaurantCommand::AcceptOrder {
            restaurant_id: "r".into(),
            order_id: "o".into(),
            items: ["soup".into()].into(),
        });
        let refused =
            GivenFact::Rejected(accept, Rejection::Restaurant(RestaurantRejection::Closed));
        let given = events([created(), placed(), taken()]);
        let cancel = Command::Order(OrderCommand::CancelOrder {
            order_id: "o".into(),
            reason: "restaurant refused: the restaurant is closed".into(),
        });
        process_then(&Fulfilment, &given, &refused, &[refund_o(), cancel]);
        let mut after = given.clone();
        after.push(refused.clone());
        process_then(&Fulfilment, &after, &GivenFact::Event(cancelled()), &[]);
        // Refused after the customer cancelled: the cancellation already undid it.
        let given = events([created(), placed(), taken(), cancelled()]);
        process_then(&Fulfilment, &given, &refused, &[]);
    }

    #[test]
    fn an_order_at_an_unknown_restaurant_is_cancelled_for_that_reason() {
        let take = Command::Payment(PaymentCommand::TakePayment {
            payment_id: "pay-o".into(),
            order_id: "o".into(),
            amount_cents: 0,
        });
        let refused = GivenFact::Rejected(take, Rejection::Payment(PaymentRejection::ZeroAmount));
        let cancel = |reason: &str| {
            [Command::Order(OrderCommand::CancelOrder {
                order_id: "o".into(),
                reason: reason.into(),
            })]
        };
        let unknown = cancel("payment refused: there is no restaurant `r`");
        process_then(&Fulfilment, &events([placed()]), &refused, &unknown);
        let off_menu = cancel("payment refused: nothing on the order is on the menu");
        let sushi = Event::Order(OrderEvent::OrderPlaced {
            order_id: "o".into(),
            restaurant_id: "r".into(),
            customer: "Ada".into(),
            items: ["sushi".into()].into(),
        });
        process_then(
            &Fulfilment,
            &events([created(), sushi]),
            &refused,
            &off_menu,
        );
    }

    #[test]
    fn a_cancelled_ticket_frees_its_kitchen_slot() {
        let ticket = RestaurantEvent::KitchenTicketCreated {
            restaurant_id: "r".into(),
            order_id: "o".into(),
            items: ["soup".into()].into(),
        };
        let Event::Restaurant(created) = created() else {
            unreachable!()
        };
        let opened = RestaurantEvent::Opened {
            restaurant_id: "r".into(),
        };
        let given = [created, opened, ticket];
        let cancel = RestaurantCommand::CancelTicket {
            restaurant_id: "r".into(),
            order_id: "o".into(),
        };
        DeciderSpec::given(&RestaurantDecider, &given)
            .when(&cancel)
            .then_events(&[RestaurantEvent::KitchenTicketCancelled {
                restaurant_id: "r".into(),
                order_id: "o".into(),
            }]);
        let mut freed = given.to_vec();
        freed.push(RestaurantEvent::KitchenTicketCancelled {
            restaurant_id: "r".into(),
            order_id: "o".into(),
        });
        DeciderSpec::given(&RestaurantDecider, &freed)
            .when(&cancel)
            .then_rejected(&RestaurantRejection::UnknownOrder);
        let next = RestaurantCommand::AcceptOrder {
            restaurant_id: "r".into(),
            order_id: "o2".into(),
            items: ["soup".into()].into(),
        };
        DeciderSpec::given(&RestaurantDecider, &given)
            .when(&next)
            .then_rejected(&RestaurantRejection::OverCapacity { capacity: 1 });
        let accepted = DeciderSpec::given(&RestaurantDecider, &freed).when(&next);
        assert!(accepted.result.is_ok(), "{:?}", accepted.result);
    }

    /// A restaurant with one kitchen slot; order `o1` is placed, the engine takes
    /// `engine_steps` steps, then the customer cancels it and everything runs to the end.
    fn cancel_after(engine_steps: usize) -> Box<dyn DynEngine> {
        let mut engine = domain().start(EngineConfig::default());
        let setup = [
            json!({"restaurant": {"create_restaurant": {"restaurant_id": "r", "name": "R",
                "menu": [{"item_id": "soup", "name": "Soup", "price_cents": 700}], "capacity": 1}}}),
            json!({"restaurant": {"open": {"restaurant_id": "r"}}}),
        ];
        for command in &setup {
            engine.submit(command).unwrap();
        }
        engine.run_until_idle(100);
        engine.submit(&place("o1")).unwrap();
        for _ in 0..engine_steps {
            engine.step();
        }
        let cancel =
            json!({"order": {"cancel_order": {"order_id": "o1", "reason": "changed my mind"}}});
        engine.submit(&cancel).unwrap();
        assert!(engine.run_until_idle(100).idle);
        engine
    }

    fn place(order_id: &str) -> Value {
        json!({"order": {"place_order": {"order_id": order_id, "restaurant_id": "r",
            "customer": "Ada", "items": ["soup"]}}})
    }

    fn rejections(engine: &dyn DynEngine) -> Vec<Value> {
        let facts = engine.facts(0, engine.head());
        facts
            .iter()
            .filter_map(|f| f["kind"]["rejected"].get("reason").cloned())
            .collect()
    }

    #[test]
    fn a_customer_cancelling_mid_flow_is_refunded_and_the_kitchen_freed() {
        // Before the payment, after it, after the kitchen accepted the order.
        let late_confirmation = json!({"order": {"wrong_status": {"status": "cancelled"}}});
        let expected_rejections = [vec![], vec![], vec![late_confirmation]];
        for (engine_steps, expected) in expected_rejections.iter().enumerate() {
            let mut engine = cancel_after(engine_steps);
            let end = engine.state_at(engine.head());
            let streams = &end["streams"];
            assert_eq!(
                streams["order-o1"]["state"]["status"], "cancelled",
                "{engine_steps}"
            );
            assert_eq!(
                streams["payment-pay-o1"]["state"]["refunded"], true,
                "{engine_steps}"
            );
            assert_eq!(
                streams["restaurant-r"]["state"]["preparing"],
                json!([]),
                "{engine_steps}"
            );
            assert_eq!(&rejections(&*engine), expected, "{engine_steps}");
            // With its only slot free, the kitchen takes the next order.
            engine.submit(&place("o2")).unwrap();
            engine.run_until_idle(100);
            let end = engine.state_at(engine.head());
            assert_eq!(
                end["streams"]["order-o2"]["state"]["status"], "confirmed",
                "{engine_steps}"
            );
        }
    }

    #[test]
    fn a_cancellation_after_confirmation_is_refused_and_the_order_goes_on() {
        let engine = cancel_after(3);
        let end = engine.state_at(engine.head());
        assert_eq!(end["streams"]["order-o1"]["state"]["status"], "confirmed");
        assert_eq!(end["streams"]["payment-pay-o1"]["state"]["refunded"], false);
        assert_eq!(
            rejections(&*engine),
            [json!({"order": {"wrong_status": {"status": "confirmed"}}})]
        );
    }

    #[test]
    fn the_kitchen_prepares_or_cancels_only_the_tickets_it_holds() {
        let created = RestaurantEvent::RestaurantCreated {
            restaurant_id: "r".into(),
            name: "R".into(),
            menu: vec![],
            capacity: 1,
        };
        let ticket = RestaurantEvent::KitchenTicketCreated {
            restaurant_id: "r".into(),
            order_id: "o".into(),
            items: Items::default(),
        };
        let prepare = RestaurantCommand::MarkPrepared {
            restaurant_id: "r".into(),
            order_id: "o".into(),
        };
        let cancel = RestaurantCommand::CancelTicket {
            restaurant_id: "r".into(),
            order_id: "o".into(),
        };
        for command in [&prepare, &cancel] {
            DeciderSpec::given(&RestaurantDecider, std::slice::from_ref(&created))
                .when(command)
                .then_rejected(&RestaurantRejection::UnknownOrder);
        }
        let held = [created, ticket];
        DeciderSpec::given(&RestaurantDecider, &held)
            .when(&prepare)
            .then_events(&[RestaurantEvent::OrderPrepared {
                restaurant_id: "r".into(),
                order_id: "o".into(),
            }]);
        DeciderSpec::given(&RestaurantDecider, &held)
            .when(&cancel)
            .then_events(&[RestaurantEvent::KitchenTicketCancelled {
                restaurant_id: "r".into(),
                order_id: "o".into(),
            }]);
    }

    #[test]
    fn only_a_confirmed_order_is_ready_and_only_for_its_customer() {
        let placed = OrderEvent::OrderPlaced {
            order_id: "o".into(),
            restaurant_id: "r".into(),
            customer: "Ada".into(),
            items: ["soup".into()].into(),
        };
        let confirmed = OrderEvent::OrderConfirmed {
            order_id: "o".into(),
        };
        let ready = |customer: &str| OrderCommand::MarkReady {
            order_id: "o".into(),
            customer: customer.into(),
        };
        DeciderSpec::given(&OrderDecider, std::slice::from_ref(&placed))
            .when(&ready("Ada"))
            .then_rejected(&OrderRejection::WrongStatus {
                status: OrderStatus::Placed,
            });
        let placed_and_confirmed = [placed, confirmed];
        DeciderSpec::given(&OrderDecider, &placed_and_confirmed)
            .when(&ready("Bob"))
            .then_rejected(&OrderRejection::WrongCustomer);
        DeciderSpec::given(&OrderDecider, &placed_and_confirmed)
            .when(&ready("Ada"))
            .then_events(&[OrderEvent::OrderReadyForPickup {
                order_id: "o".into(),
                customer: "Ada".into(),
            }]);
    }

    #[test]
    fn a_payment_is_refunded_once() {
        let taken = PaymentEvent::PaymentTaken {
            payment_id: "pay-o".into(),
            order_id: "o".into(),
            amount_cents: 700,
        };
        let refunded = PaymentEvent::PaymentRefunded {
            payment_id: "pay-o".into(),
            order_id: "o".into(),
            amount_cents: 700,
        };
        let refund = PaymentCommand::RefundPayment {
            payment_id: "pay-o".into(),
        };
        DeciderSpec::given(&PaymentDecider, std::slice::from_ref(&taken))
            .when(&refund)
            .then_events(std::slice::from_ref(&refunded));
        DeciderSpec::given(&PaymentDecider, &[taken, refunded])
            .when(&refund)
            .then_rejected(&PaymentRejection::NothingToRefund);
    }

    #[test]
    fn the_process_counts_on_refunding_only_orders_the_customer_did_not_cancel() {
        let refused = GivenFact::Rejected(
            Command::Restaurant(RestaurantCommand::AcceptOrder {
                restaurant_id: "r".into(),
                order_id: "o".into(),
                items: ["soup".into()].into(),
            }),
            Rejection::Restaurant(RestaurantRejection::Closed),
        );
        let refunding = |history: Vec<Given>| {
            history
                .iter()
                .chain([&refused])
                .fold(Fulfilment.initial_state(), |state, fact| {
                    Fulfilment.evolve(state, fact.as_fact())
                })
                .refunding
        };
        let open = refunding(events([created(), placed(), taken()]));
        assert_eq!(open, OrdSet::unit(Text::from("o")));
        let cancelled_first = refunding(events([created(), placed(), taken(), cancelled()]));
        assert_eq!(cancelled_first, OrdSet::new());
    }

    #[test]
    fn a_refused_order_refunded_then_cancelled_is_forgotten() {
        let refused = || {
            GivenFact::Rejected(
                Command::Restaurant(RestaurantCommand::AcceptOrder {
                    restaurant_id: "r".into(),
                    order_id: "o".into(),
                    items: ["soup".into()].into(),
                }),
                Rejection::Restaurant(RestaurantRejection::Closed),
            )
        };
        let refunded = Event::Payment(PaymentEvent::PaymentRefunded {
            payment_id: "pay-o".into(),
            order_id: "o".into(),
            amount_cents: 700,
        });
        let refunding = |tail: Vec<Given>| {
            let mut history = events([created(), placed(), taken()]);
            history.push(refused());
            history
                .iter()
                .chain(&tail)
                .fold(Fulfilment.initial_state(), |state, fact| {
                    Fulfilment.evolve(state, fact.as_fact())
                })
                .refunding
        };
        let in_flight = OrdSet::unit(Text::from("o"));
        assert_eq!(refunding(vec![]), in_flight);
        // Cancelled while the payment is still held: the refund asked for is remembered,
        // so the cancellation does not ask for it again.
        assert_eq!(refunding(events([cancelled()])), in_flight);
        assert_eq!(refunding(events([refunded, cancelled()])), OrdSet::new());
    }

    #[test]
    fn a_ticket_the_kitchen_finished_or_dropped_is_not_cancelled_again() {
        let left_the_kitchen = [
            RestaurantEvent::OrderPrepared {
                restaurant_id: "r".into(),
                order_id: "o".into(),
            },
            RestaurantEvent::KitchenTicketCancelled {
                restaurant_id: "r".into(),
                order_id: "o".into(),
            },
        ];
        for gone in left_the_kitchen {
            let given = events([created(), placed(), taken(), accepted()]);
            process_then(
                &Fulfilment,
                &given,
                &GivenFact::Event(cancelled()),
                &[refund_o(), cancel_ticket_o()],
            );
            let given = events([
                created(),
                placed(),
                taken(),
                accepted(),
                Event::Restaurant(gone),
            ]);
            process_then(
                &Fulfilment,
                &given,
                &GivenFact::Event(cancelled()),
                &[refund_o()],
            );
        }
    }
}
