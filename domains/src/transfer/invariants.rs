//! The transfer domain's invariants and the failures exploration makes its steps meet
//! (`decider_core::explore`).

use super::{
    AccountCommand, AccountEvent, AccountRejection, Command, Event, Rejection, TransferEvent,
    TransferSystem,
};
use decider_core::{Engine, Invariants, Said};
use std::collections::BTreeMap;

/// The transfer domain's invariants and failures, as it declares them.
pub fn declared() -> Invariants<TransferSystem> {
    Invariants {
        check: invariants,
        failure,
        unhandled,
        said: Said {
            holds: &[
                "Every requested transfer finishes, completed or failed.",
                "A completed transfer debited and credited its amount and refunded nothing.",
                "A failed transfer credited nothing and refunded all it debited.",
                "The balances shown are what each account's own events add up to.",
            ],
            fails: "The debited or the credited account is frozen meanwhile.",
            fails_unhandled: "The refund of a failed transfer is refused (the account closed).",
        },
    }
}

/// The failures the saga compensates: the debited or the credited account is frozen by
/// the bank in the meantime.
pub fn failure(command: &Command) -> Option<Rejection> {
    match command {
        Command::Account(AccountCommand::Debit { .. } | AccountCommand::Credit { .. }) => {
            Some(Rejection::Account(AccountRejection::Frozen))
        }
        _ => None,
    }
}

/// The failure the saga does not recover from: the refund of a failed transfer refused
/// (the account closed at the bank), so the money debited stays nowhere.
pub fn unhandled(command: &Command) -> Option<Rejection> {
    match command {
        Command::Account(AccountCommand::Refund { .. }) => {
            Some(Rejection::Account(AccountRejection::Closed))
        }
        _ => None,
    }
}

/// What one transfer moved.
#[derive(Default)]
struct Moved {
    requested: Option<u64>,
    finished: Option<bool>,
    debited: u64,
    credited: u64,
    refunded: u64,
}

/// Once idle: every requested transfer finished; a completed one debited and credited
/// its amount and refunded nothing; a failed one credited nothing and refunded all it
/// debited; the balances shown are what each account's own events add up to.
pub fn invariants(engine: &Engine<TransferSystem>) -> Result<(), String> {
    let mut transfers: BTreeMap<String, Moved> = BTreeMap::new();
    let mut balances: BTreeMap<String, u64> = BTreeMap::new();
    for event in crate::recorded_events(engine) {
        match event {
            Event::Transfer(e) => {
                let (id, _) = e.progress();
                let moved = transfers.entry(id.clone()).or_default();
                match e {
                    TransferEvent::TransferRequested { amount_cents, .. } => {
                        moved.requested = Some(amount_cents)
                    }
                    TransferEvent::TransferCompleted { .. } => moved.finished = Some(true),
                    TransferEvent::TransferFailed { .. } => moved.finished = Some(false),
                }
            }
            Event::Account(AccountEvent::AccountOpened {
                account_id,
                balance_cents,
                ..
            }) => {
                balances.insert(account_id, balance_cents);
            }
            Event::Account(AccountEvent::Debited {
                account_id,
                transfer_id,
                amount_cents,
            }) => {
                let balance = balances.entry(account_id).or_default();
                *balance = balance.saturating_sub(amount_cents);
                transfers.entry(transfer_id).or_default().debited += amount_cents;
            }
            Event::Account(AccountEvent::Credited {
                account_id,
                transfer_id,
                amount_cents,
            }) => {
                let balance = balances.entry(account_id).or_default();
                *balance = balance.saturating_add(amount_cents);
                transfers.entry(transfer_id).or_default().credited += amount_cents;
            }
            Event::Account(AccountEvent::Refunded {
                account_id,
                transfer_id,
                amount_cents,
            }) => {
                let balance = balances.entry(account_id).or_default();
                *balance = balance.saturating_add(amount_cents);
                transfers.entry(transfer_id).or_default().refunded += amount_cents;
            }
            Event::Account(AccountEvent::Frozen { .. } | AccountEvent::Closed { .. }) => {}
        }
    }
    for (id, moved) in &transfers {
        let Some(amount) = moved.requested else {
            continue;
        };
        let Moved {
            debited,
            credited,
            refunded,
            ..
        } = moved;
        match moved.finished {
            None => return Err(format!("{id} never finished")),
            Some(true) if (*debited, *credited, *refunded) != (amount, amount, 0) => {
                return Err(format!(
                    "{id} completed: {debited} debited, {credited} credited, {refunded} refunded of {amount}"
                ))
            }
            Some(false) if *credited != 0 || refunded != debited => {
                return Err(format!(
                    "{id} failed: {debited} debited, {credited} credited, {refunded} refunded"
                ))
            }
            Some(_) => {}
        }
    }
    let shown = &engine.state().view.accounts;
    match balances.iter().find(|(id, b)| shown.get(*id) != Some(*b)) {
        Some((id, balance)) => Err(format!(
            "{id}: the balances show {:?}, its events add up to {balance}",
            shown.get(id)
        )),
        None => Ok(()),
    }
}
