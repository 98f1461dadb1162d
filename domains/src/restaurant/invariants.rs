//! The restaurant's invariants and the failures exploration makes its steps meet
//! (`decider_core::explore`); the property tests check the same ones.

use super::{
    Command, Event, OrderEvent, OrderStatus, PaymentCommand, PaymentEvent, PaymentRejection,
    Rejection, RestaurantCommand, RestaurantEvent, RestaurantRejection, RestaurantSystem, Text,
};
use decider_core::{Engine, Invariants, Said};
use std::collections::{BTreeMap, BTreeSet};

/// The restaurant's invariants and failures, as the domain declares them.
pub fn declared() -> Invariants<RestaurantSystem> {
    Invariants {
        check: invariants,
        failure,
        unhandled,
        said: Said {
            holds: &[
                "An order keeps money (taken and not refunded) exactly when it is confirmed or ready.",
                "A kitchen holds an order's ticket exactly while the order is confirmed.",
                "No payment is refunded more than was taken.",
                "The order board shows each order's status and the money it keeps.",
                "No kitchen holds a ticket for an order never placed.",
            ],
            fails: "A kitchen refuses an order (closed); a payment is refused (zero amount).",
            fails_unhandled: "A refund is refused (nothing to refund); a ticket cannot be cancelled (unknown order).",
        },
    }
}

/// The failures the process compensates: the kitchen refuses, the payment is refused.
pub fn failure(command: &Command) -> Option<Rejection> {
    match command {
        Command::Restaurant(RestaurantCommand::AcceptOrder { .. }) => {
            Some(Rejection::Restaurant(RestaurantRejection::Closed))
        }
        Command::Payment(PaymentCommand::TakePayment { .. }) => {
            Some(Rejection::Payment(PaymentRejection::ZeroAmount))
        }
        _ => None,
    }
}

/// The failures the process does not recover from: a refund refused, a ticket that
/// cannot be cancelled.
pub fn unhandled(command: &Command) -> Option<Rejection> {
    match command {
        Command::Payment(PaymentCommand::RefundPayment { .. }) => {
            Some(Rejection::Payment(PaymentRejection::NothingToRefund))
        }
        Command::Restaurant(RestaurantCommand::CancelTicket { .. }) => {
            Some(Rejection::Restaurant(RestaurantRejection::UnknownOrder))
        }
        _ => None,
    }
}

/// Once idle: money taken and not refunded ⇔ the order is confirmed (or ready);
/// a kitchen holds a ticket ⇔ its order is confirmed; the board shows what was paid.
pub fn invariants(engine: &Engine<RestaurantSystem>) -> Result<(), String> {
    let mut status: BTreeMap<Text, (Text, OrderStatus)> = BTreeMap::new();
    let mut paid: BTreeMap<Text, u64> = BTreeMap::new();
    let mut tickets: BTreeSet<(Text, Text)> = BTreeSet::new();
    for event in crate::recorded_events(engine) {
        match event {
            Event::Order(e) => {
                let (order_id, next) = match e {
                    OrderEvent::OrderPlaced {
                        order_id,
                        restaurant_id,
                        ..
                    } => {
                        status.insert(order_id, (restaurant_id, OrderStatus::Placed));
                        continue;
                    }
                    OrderEvent::OrderConfirmed { order_id } => (order_id, OrderStatus::Confirmed),
                    OrderEvent::OrderCancelled { order_id, .. } => {
                        (order_id, OrderStatus::Cancelled)
                    }
                    OrderEvent::OrderReadyForPickup { order_id, .. } => {
                        (order_id, OrderStatus::Ready)
                    }
                };
                status
                    .get_mut(&order_id)
                    .ok_or("an event of an unplaced order")?
                    .1 = next;
            }
            Event::Payment(PaymentEvent::PaymentTaken {
                order_id,
                amount_cents,
                ..
            }) => {
                *paid.entry(order_id).or_default() += amount_cents;
            }
            Event::Payment(PaymentEvent::PaymentRefunded {
                order_id,
                amount_cents,
                ..
            }) => {
                let left = paid.entry(order_id.clone()).or_default();
                *left = left
                    .checked_sub(amount_cents)
                    .ok_or(format!("{order_id}: refunded more than paid"))?;
            }
            Event::Restaurant(RestaurantEvent::KitchenTicketCreated {
                restaurant_id,
                order_id,
                ..
            }) => {
                tickets.insert((restaurant_id, order_id));
            }
            Event::Restaurant(
                RestaurantEvent::KitchenTicketCancelled {
                    restaurant_id,
                    order_id,
                }
                | RestaurantEvent::OrderPrepared {
                    restaurant_id,
                    order_id,
                },
            ) => {
                tickets.remove(&(restaurant_id, order_id));
            }
            Event::Restaurant(_) => {}
        }
    }
    let board = &engine.state().view;
    for (order_id, (restaurant_id, status)) in &status {
        let kept = paid.get(order_id).copied().unwrap_or(0);
        let confirmed = matches!(status, OrderStatus::Confirmed | OrderStatus::Ready);
        if (kept > 0) != confirmed {
            return Err(format!(
                "{order_id} is {status:?} and {kept} cents are kept"
            ));
        }
        let held = tickets.contains(&(restaurant_id.clone(), order_id.clone()));
        if held != (*status == OrderStatus::Confirmed) {
            return Err(format!("{order_id} is {status:?}; ticket held: {held}"));
        }
        let shown = board.orders.get(order_id).map(|o| (o.paid_cents, o.status));
        if shown != Some((kept, *status)) {
            return Err(format!(
                "{order_id}: the board shows {shown:?}, not {kept} {status:?}"
            ));
        }
    }
    match tickets
        .iter()
        .find(|(_, order_id)| !status.contains_key(order_id))
    {
        Some(ticket) => Err(format!("a ticket for no order: {ticket:?}")),
        None => Ok(()),
    }
}
