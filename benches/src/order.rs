//! An order-like decider whose state holds a collection (a list of items), and a one-hop
//! saga over it: the realistic shape the counter domain (one integer) does not measure.

use decider_core::process_manager::NoProcess;
use decider_core::saga::{Saga, Stateless};
use decider_core::view::NoView;
use decider_core::{Decider, Fact, Parts};

/// Commands of one order (stream `order-<id>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderCommand {
    /// Opens the order.
    Place {
        /// The order.
        order_id: String,
    },
    /// Adds an item to an open order.
    AddItem {
        /// The order.
        order_id: String,
        /// The item.
        item: String,
    },
    /// Confirms the order; no item may be added after.
    Confirm {
        /// The order.
        order_id: String,
    },
}

/// Events of one order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderEvent {
    /// The order was opened.
    Placed {
        /// The order.
        order_id: String,
    },
    /// An item was added.
    ItemAdded {
        /// The order.
        order_id: String,
        /// The item.
        item: String,
    },
    /// The order was confirmed.
    Confirmed {
        /// The order.
        order_id: String,
    },
}

/// Why an order command is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderRejection {
    /// The order was already placed.
    AlreadyPlaced,
    /// The order is not placed, or already confirmed.
    NotOpen,
}

/// One order's state: whether it is open, and its items.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Order {
    /// Placed and not confirmed yet.
    pub open: bool,
    /// Confirmed.
    pub confirmed: bool,
    /// The items added, in order.
    pub items: Vec<String>,
}

/// The order decider.
#[derive(Clone, Copy, Debug, Default)]
pub struct OrderDecider;

impl OrderCommand {
    fn order_id(&self) -> &str {
        match self {
            OrderCommand::Place { order_id }
            | OrderCommand::AddItem { order_id, .. }
            | OrderCommand::Confirm { order_id } => order_id,
        }
    }
}

impl Decider for OrderDecider {
    type Command = OrderCommand;
    type Event = OrderEvent;
    type State = Order;
    type Rejection = OrderRejection;

    fn initial_state(&self) -> Order {
        Order::default()
    }

    fn write_stream_id(&self, command: &OrderCommand, id: &mut String) {
        id.push_str("order-");
        id.push_str(command.order_id());
    }

    fn decide(
        &self,
        command: &OrderCommand,
        state: &Order,
    ) -> Result<Vec<OrderEvent>, OrderRejection> {
        Ok(vec![decided(command, state)?])
    }

    /// Adds the one event a command records: in the engine, to its own list, so deciding
    /// allocates no list.
    fn decide_into(
        &self,
        command: &OrderCommand,
        state: &Order,
        events: &mut impl Extend<OrderEvent>,
    ) -> Result<(), OrderRejection> {
        events.extend([decided(command, state)?]);
        Ok(())
    }

    /// One more for every item: a copy allocates each item's text anew.
    fn copy_weight(&self, state: &Order) -> u64 {
        1 + state.items.len() as u64
    }

    fn evolve(&self, mut state: Order, event: &OrderEvent) -> Order {
        match event {
            OrderEvent::Placed { .. } => state.open = true,
            OrderEvent::ItemAdded { item, .. } => state.items.push(item.clone()),
            OrderEvent::Confirmed { .. } => {
                state.open = false;
                state.confirmed = true;
            }
        }
        state
    }
}

/// The one event `command` records given `state`, or why it is refused. Inlined into
/// both ways of deciding, so each is the code it would be written alone.
#[inline(always)]
fn decided(command: &OrderCommand, state: &Order) -> Result<OrderEvent, OrderRejection> {
    let order_id = command.order_id().to_owned();
    match command {
        OrderCommand::Place { .. } if state.open || state.confirmed => {
            Err(OrderRejection::AlreadyPlaced)
        }
        OrderCommand::Place { .. } => Ok(OrderEvent::Placed { order_id }),
        _ if !state.open => Err(OrderRejection::NotOpen),
        OrderCommand::AddItem { item, .. } => Ok(OrderEvent::ItemAdded {
            order_id,
            item: item.clone(),
        }),
        OrderCommand::Confirm { .. } => Ok(OrderEvent::Confirmed { order_id }),
    }
}

/// The one-hop saga: a placed order gets a welcome item.
#[derive(Clone, Copy, Debug, Default)]
pub struct Welcome;

impl Saga for Welcome {
    type Command = OrderCommand;
    type Event = OrderEvent;
    type Rejection = OrderRejection;

    fn name(&self) -> &str {
        "welcome"
    }

    fn react_into(
        &self,
        fact: Fact<'_, OrderCommand, OrderEvent, OrderRejection>,
        out: &mut impl Extend<OrderCommand>,
    ) {
        if let Fact::Event(OrderEvent::Placed { order_id }) = fact {
            out.extend([OrderCommand::AddItem {
                order_id: order_id.clone(),
                item: "welcome".into(),
            }]);
        }
    }
}

/// The order decider with no view and no saga (commands only).
pub type OrderSystem =
    Parts<OrderDecider, NoView<OrderEvent>, NoProcess<OrderCommand, OrderEvent, OrderRejection>>;

/// The order decider with the [`Welcome`] saga (one-hop flows).
pub type WelcomeSystem = Parts<OrderDecider, NoView<OrderEvent>, Stateless<Welcome>>;

/// The `n`-th command (0-based) of a stream of `per_stream` commands for `order_id`:
/// place, then items, then confirm.
pub fn command(order_id: &str, n: usize, per_stream: usize) -> OrderCommand {
    let order_id = order_id.to_owned();
    match n {
        0 => OrderCommand::Place { order_id },
        n if n + 1 == per_stream => OrderCommand::Confirm { order_id },
        n => OrderCommand::AddItem {
            order_id,
            // Of its exact length, as a deserialized one is (`format!` leaves room).
            item: ["item-", &n.to_string()].concat(),
        },
    }
}

/// `streams × per_stream` commands, streams interleaved round by round (every stream gets
/// its first command, then its second, …), so each command reaches a different stream.
pub fn commands(streams: usize, per_stream: usize) -> Vec<OrderCommand> {
    let ids: Vec<String> = (0..streams).map(|s| format!("o{s}")).collect();
    (0..per_stream)
        .flat_map(|n| ids.iter().map(move |id| command(id, n, per_stream)))
        .collect()
}
