//! The checkout's invariants and the failures exploration makes its steps meet
//! (`decider_core::explore`); the property tests check the same ones.

use super::{
    CheckoutEvent, CheckoutSystem, Command, Event, PaymentCommand, PaymentEvent, PaymentRejection,
    Rejection, ShippingCommand, ShippingEvent, ShippingRejection, StockCommand, StockEvent,
    StockRejection,
};
use decider_core::{Engine, Invariants, Said};
use std::collections::BTreeMap;

/// The checkout's invariants and failures, as the domain declares them.
pub fn declared() -> Invariants<CheckoutSystem> {
    Invariants {
        check: invariants,
        failure,
        unhandled,
        said: Said {
            holds: &[
                "Every checkout finishes, completed or failed.",
                "A checkout completes exactly when it ships.",
                "Only a completed checkout keeps money, and all it charged; none is refunded more than charged.",
                "A failed checkout releases every reservation, once and whole; a completed one releases none.",
                "The shelves hold what was restocked, less what is still reserved.",
            ],
            fails: "Stock runs out; a card is declined; an address is undeliverable.",
            fails_unhandled: "A reservation cannot be released (no reservation); a refund is refused (nothing to refund).",
        },
    }
}

/// The failures the process compensates: out of stock, declined, undeliverable.
pub fn failure(command: &Command) -> Option<Rejection> {
    match command {
        Command::Stock(StockCommand::Reserve { .. }) => {
            Some(Rejection::Stock(StockRejection::OutOfStock {
                available: 0,
            }))
        }
        Command::Payment(PaymentCommand::Charge { .. }) => {
            Some(Rejection::Payment(PaymentRejection::Declined {
                reason: "card declined".into(),
            }))
        }
        Command::Shipping(ShippingCommand::Ship { address, .. }) => {
            Some(Rejection::Shipping(ShippingRejection::Undeliverable {
                address: address.clone(),
            }))
        }
        _ => None,
    }
}

/// The failures the process does not recover from: a reservation that cannot be
/// released, a refund refused.
pub fn unhandled(command: &Command) -> Option<Rejection> {
    match command {
        Command::Stock(StockCommand::Release { .. }) => {
            Some(Rejection::Stock(StockRejection::NoReservation))
        }
        Command::Payment(PaymentCommand::Refund { .. }) => {
            Some(Rejection::Payment(PaymentRejection::NothingToRefund))
        }
        _ => None,
    }
}

/// What one checkout left behind.
#[derive(Default)]
struct Trail {
    finished: Option<CheckoutEvent>,
    charged: u64,
    refunded: u64,
    shipped: bool,
    /// SKU → units reserved, and whether they were released.
    reserved: BTreeMap<String, (u32, bool)>,
}

/// Once idle: every checkout finished; every reservation released (and the checkout
/// failed) or shipped (and the checkout completed); money kept only by completed
/// checkouts; the shop's shelves hold what was restocked minus what is still reserved.
pub fn invariants(engine: &Engine<CheckoutSystem>) -> Result<(), String> {
    let mut trails: BTreeMap<String, Trail> = BTreeMap::new();
    let mut restocked: BTreeMap<String, u64> = BTreeMap::new();
    for event in crate::recorded_events(engine) {
        match event {
            Event::Checkout(CheckoutEvent::CheckoutStarted { checkout_id, .. }) => {
                trails.entry(checkout_id).or_default();
            }
            Event::Checkout(
                e
                @ (CheckoutEvent::CheckoutCompleted { .. } | CheckoutEvent::CheckoutFailed { .. }),
            ) => {
                let id = e.progress().0.clone();
                trails.entry(id).or_default().finished = Some(e);
            }
            Event::Stock(StockEvent::Restocked { sku, quantity }) => {
                *restocked.entry(sku).or_default() += u64::from(quantity);
            }
            Event::Stock(StockEvent::Reserved {
                sku,
                checkout_id,
                quantity,
            }) => {
                trails
                    .entry(checkout_id)
                    .or_default()
                    .reserved
                    .entry(sku)
                    .or_default()
                    .0 += quantity;
            }
            Event::Stock(StockEvent::Released {
                sku,
                checkout_id,
                quantity,
            }) => {
                let trail = trails.entry(checkout_id.clone()).or_default();
                let held = trail
                    .reserved
                    .get_mut(&sku)
                    .ok_or(format!("{checkout_id}: released unreserved {sku}"))?;
                if *held != (quantity, false) {
                    return Err(format!(
                        "{checkout_id}: released {quantity} {sku} of {held:?}"
                    ));
                }
                held.1 = true;
            }
            Event::Payment(PaymentEvent::Charged {
                checkout_id,
                amount_cents,
            }) => {
                trails.entry(checkout_id).or_default().charged += amount_cents;
            }
            Event::Payment(PaymentEvent::Refunded {
                checkout_id,
                amount_cents,
            }) => {
                trails.entry(checkout_id).or_default().refunded += amount_cents;
            }
            Event::Shipping(ShippingEvent::Shipped { checkout_id, .. }) => {
                trails.entry(checkout_id).or_default().shipped = true;
            }
        }
    }
    let mut held: BTreeMap<String, u64> = BTreeMap::new();
    for (id, trail) in &trails {
        let completed = match &trail.finished {
            Some(CheckoutEvent::CheckoutCompleted { .. }) => true,
            Some(_) => false,
            None => return Err(format!("{id} never finished")),
        };
        if completed != trail.shipped {
            return Err(format!(
                "{id}: completed {completed}, shipped {}",
                trail.shipped
            ));
        }
        let kept = trail
            .charged
            .checked_sub(trail.refunded)
            .ok_or(format!("{id}: refunded more than charged"))?;
        if completed && (trail.refunded > 0 || trail.charged != kept) || !completed && kept > 0 {
            return Err(format!(
                "{id}: completed {completed}, charged {}, refunded {}",
                trail.charged, trail.refunded
            ));
        }
        for (sku, (units, released)) in &trail.reserved {
            if *released == completed {
                return Err(format!(
                    "{id}: completed {completed}, {sku} released {released}"
                ));
            }
            if !released {
                *held.entry(sku.clone()).or_default() += u64::from(*units);
            }
        }
    }
    let shop = &engine.state().view;
    for (sku, total) in &restocked {
        let on_shelf = shop.available.get(sku).copied().map_or(0, u64::from);
        let reserved = held.get(sku).copied().unwrap_or(0);
        if on_shelf + reserved != *total {
            return Err(format!(
                "{sku}: {on_shelf} on the shelf + {reserved} reserved != {total} restocked"
            ));
        }
    }
    Ok(())
}
