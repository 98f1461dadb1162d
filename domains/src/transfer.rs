//! **Money transfer** between accounts: the transfer saga debits the source, credits the
//! destination, and completes the transfer. When the destination refuses the credit (a
//! closed or frozen account) it compensates: the source is refunded and the transfer
//! marked failed. When the debit is refused (no funds, frozen), the transfer just fails.
//! A credit that would take a balance past `u64::MAX` cents is refused like any other, so
//! no money disappears at the limit.

use crate::lifecycle::Lifecycle;
use decider_core::compose::{Lift, Route};
use decider_core::{Decider, DomainInfo, Fact, Parts, ProcessManager, TypedDomain, View};
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod invariants;

/// Commands of an account (stream `account-<account_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountCommand {
    /// Opens an account with an opening balance.
    OpenAccount {
        /// The account.
        account_id: String,
        /// Its owner.
        owner: String,
        /// Opening balance in cents.
        balance_cents: u64,
    },
    /// Freezes the account: no debit, no credit.
    Freeze {
        /// The account.
        account_id: String,
    },
    /// Closes the account: no debit, no credit.
    Close {
        /// The account.
        account_id: String,
    },
    /// Takes money out for a transfer (issued by the transfer saga).
    Debit {
        /// The account.
        account_id: String,
        /// The transfer.
        transfer_id: String,
        /// How much, in cents.
        amount_cents: u64,
    },
    /// Puts money in for a transfer (issued by the transfer saga).
    Credit {
        /// The account.
        account_id: String,
        /// The transfer.
        transfer_id: String,
        /// How much, in cents.
        amount_cents: u64,
    },
    /// Gives back a debit whose transfer failed (a compensation; accepted even when frozen
    /// or closed, since the money was that account's).
    Refund {
        /// The account.
        account_id: String,
        /// The transfer.
        transfer_id: String,
        /// How much, in cents.
        amount_cents: u64,
    },
}

/// Events of an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountEvent {
    /// The account was opened.
    AccountOpened {
        /// The account.
        account_id: String,
        /// Its owner.
        owner: String,
        /// Opening balance in cents.
        balance_cents: u64,
    },
    /// The account was frozen.
    Frozen {
        /// The account.
        account_id: String,
    },
    /// The account was closed.
    Closed {
        /// The account.
        account_id: String,
    },
    /// Money left for a transfer.
    Debited {
        /// The account.
        account_id: String,
        /// The transfer.
        transfer_id: String,
        /// How much.
        amount_cents: u64,
    },
    /// Money arrived from a transfer.
    Credited {
        /// The account.
        account_id: String,
        /// The transfer.
        transfer_id: String,
        /// How much.
        amount_cents: u64,
    },
    /// A failed transfer's debit came back.
    Refunded {
        /// The account.
        account_id: String,
        /// The transfer.
        transfer_id: String,
        /// How much.
        amount_cents: u64,
    },
}

/// Why an account refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountRejection {
    /// No such account.
    UnknownAccount,
    /// It is already open.
    AlreadyOpen,
    /// Not enough money.
    InsufficientFunds {
        /// The balance.
        balance_cents: u64,
    },
    /// The account is frozen.
    Frozen,
    /// The account is closed.
    Closed,
    /// The balance would exceed the largest amount an account holds (`u64::MAX` cents).
    BalanceOverflow {
        /// The balance.
        balance_cents: u64,
    },
}

/// An account's state once opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Balance in cents.
    pub balance_cents: u64,
    /// Frozen accounts take no debit and no credit.
    pub frozen: bool,
    /// Closed accounts take no debit and no credit.
    pub closed: bool,
}

/// The account decider.
#[derive(Clone, Copy, Debug, Default)]
pub struct AccountDecider;

impl Decider for AccountDecider {
    type Command = AccountCommand;
    type Event = AccountEvent;
    type State = Option<Account>;
    type Rejection = AccountRejection;

    fn initial_state(&self) -> Self::State {
        None
    }

    fn write_stream_id(&self, command: &AccountCommand, id: &mut String) {
        use AccountCommand::*;
        let (OpenAccount { account_id, .. }
        | Freeze { account_id }
        | Close { account_id }
        | Debit { account_id, .. }
        | Credit { account_id, .. }
        | Refund { account_id, .. }) = command;
        id.push_str("account-");
        id.push_str(account_id);
    }

    fn decide(
        &self,
        command: &AccountCommand,
        state: &Self::State,
    ) -> Result<Vec<AccountEvent>, AccountRejection> {
        use AccountCommand as C;
        use AccountEvent as E;
        use AccountRejection as R;
        let account = match (command, state) {
            (
                C::OpenAccount {
                    account_id,
                    owner,
                    balance_cents,
                },
                None,
            ) => {
                return Ok(vec![E::AccountOpened {
                    account_id: account_id.clone(),
                    owner: owner.clone(),
                    balance_cents: *balance_cents,
                }])
            }
            (C::OpenAccount { .. }, Some(_)) => return Err(R::AlreadyOpen),
            (_, None) => return Err(R::UnknownAccount),
            (_, Some(account)) => account,
        };
        let usable = || match (account.closed, account.frozen) {
            (true, _) => Err(R::Closed),
            (_, true) => Err(R::Frozen),
            _ => Ok(()),
        };
        let room_for = |amount_cents: u64| match account.balance_cents.checked_add(amount_cents) {
            Some(_) => Ok(()),
            None => Err(R::BalanceOverflow {
                balance_cents: account.balance_cents,
            }),
        };
        match command {
            C::OpenAccount { .. } => unreachable!("handled above"),
            C::Freeze { account_id } => Ok(vec![E::Frozen {
                account_id: account_id.clone(),
            }]),
            C::Close { account_id } => Ok(vec![E::Closed {
                account_id: account_id.clone(),
            }]),
            C::Debit {
                account_id,
                transfer_id,
                amount_cents,
            } => {
                usable()?;
                if account.balance_cents < *amount_cents {
                    return Err(R::InsufficientFunds {
                        balance_cents: account.balance_cents,
                    });
                }
                Ok(vec![E::Debited {
                    account_id: account_id.clone(),
                    transfer_id: transfer_id.clone(),
                    amount_cents: *amount_cents,
                }])
            }
            C::Credit {
                account_id,
                transfer_id,
                amount_cents,
            } => {
                usable()?;
                room_for(*amount_cents)?;
                Ok(vec![E::Credited {
                    account_id: account_id.clone(),
                    transfer_id: transfer_id.clone(),
                    amount_cents: *amount_cents,
                }])
            }
            C::Refund {
                account_id,
                transfer_id,
                amount_cents,
            } => {
                room_for(*amount_cents)?;
                Ok(vec![E::Refunded {
                    account_id: account_id.clone(),
                    transfer_id: transfer_id.clone(),
                    amount_cents: *amount_cents,
                }])
            }
        }
    }

    /// Balances saturate only on history `decide` would not have written (a credit or
    /// refund past `u64::MAX` is refused as [`AccountRejection::BalanceOverflow`]).
    fn evolve(&self, state: Self::State, event: &AccountEvent) -> Self::State {
        use AccountEvent as E;
        if let E::AccountOpened { balance_cents, .. } = event {
            return Some(Account {
                balance_cents: *balance_cents,
                frozen: false,
                closed: false,
            });
        }
        let mut account = state?;
        match event {
            E::AccountOpened { .. } => {}
            E::Frozen { .. } => account.frozen = true,
            E::Closed { .. } => account.closed = true,
            E::Debited { amount_cents, .. } => {
                account.balance_cents = account.balance_cents.saturating_sub(*amount_cents)
            }
            E::Credited { amount_cents, .. } | E::Refunded { amount_cents, .. } => {
                account.balance_cents = account.balance_cents.saturating_add(*amount_cents)
            }
        }
        Some(account)
    }
}

/// Commands of a transfer (stream `transfer-<transfer_id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferCommand {
    /// Asks to move money between two accounts.
    RequestTransfer {
        /// The transfer.
        transfer_id: String,
        /// The source account.
        from: String,
        /// The destination account.
        to: String,
        /// How much, in cents.
        amount_cents: u64,
    },
    /// The money arrived (issued by the saga).
    Complete {
        /// The transfer.
        transfer_id: String,
    },
    /// The transfer could not be made (issued by the saga).
    Fail {
        /// The transfer.
        transfer_id: String,
        /// Why.
        reason: String,
    },
}

/// Events of a transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferEvent {
    /// A transfer was requested.
    TransferRequested {
        /// The transfer.
        transfer_id: String,
        /// The source account.
        from: String,
        /// The destination account.
        to: String,
        /// How much.
        amount_cents: u64,
    },
    /// It went through.
    TransferCompleted {
        /// The transfer.
        transfer_id: String,
    },
    /// It failed; any debit was refunded.
    TransferFailed {
        /// The transfer.
        transfer_id: String,
        /// Why.
        reason: String,
    },
}

/// Why a transfer was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferRejection {
    /// A transfer with this id exists.
    AlreadyRequested,
    /// Source and destination are the same account.
    SameAccount,
    /// Nothing to move.
    ZeroAmount,
    /// No such transfer.
    UnknownTransfer,
    /// It already completed or failed.
    AlreadyFinished,
}

impl TransferEvent {
    /// The transfer this event is about, and where it leaves it.
    pub fn progress(&self) -> (&String, Lifecycle) {
        match self {
            TransferEvent::TransferRequested { transfer_id, .. } => {
                (transfer_id, Lifecycle::Started)
            }
            TransferEvent::TransferCompleted { transfer_id } => (transfer_id, Lifecycle::Completed),
            TransferEvent::TransferFailed { transfer_id, .. } => (transfer_id, Lifecycle::Failed),
        }
    }
}

/// The transfer decider; its state is the transfer's status.
#[derive(Clone, Copy, Debug, Default)]
pub struct TransferDecider;

impl Decider for TransferDecider {
    type Command = TransferCommand;
    type Event = TransferEvent;
    type State = Option<Lifecycle>;
    type Rejection = TransferRejection;

    fn initial_state(&self) -> Self::State {
        None
    }

    fn write_stream_id(&self, command: &TransferCommand, id: &mut String) {
        use TransferCommand::*;
        let (RequestTransfer { transfer_id, .. }
        | Complete { transfer_id }
        | Fail { transfer_id, .. }) = command;
        id.push_str("transfer-");
        id.push_str(transfer_id);
    }

    fn decide(
        &self,
        command: &TransferCommand,
        state: &Self::State,
    ) -> Result<Vec<TransferEvent>, TransferRejection> {
        use TransferCommand as C;
        use TransferEvent as E;
        use TransferRejection as R;
        match (command, state) {
            (
                C::RequestTransfer {
                    transfer_id,
                    from,
                    to,
                    amount_cents,
                },
                None,
            ) => {
                if from == to {
                    return Err(R::SameAccount);
                }
                if *amount_cents == 0 {
                    return Err(R::ZeroAmount);
                }
                Ok(vec![E::TransferRequested {
                    transfer_id: transfer_id.clone(),
                    from: from.clone(),
                    to: to.clone(),
                    amount_cents: *amount_cents,
                }])
            }
            (C::RequestTransfer { .. }, Some(_)) => Err(R::AlreadyRequested),
            (_, None) => Err(R::UnknownTransfer),
            (_, Some(status)) if status.is_finished() => Err(R::AlreadyFinished),
            (C::Complete { transfer_id }, Some(_)) => Ok(vec![E::TransferCompleted {
                transfer_id: transfer_id.clone(),
            }]),
            (
                C::Fail {
                    transfer_id,
                    reason,
                },
                Some(_),
            ) => Ok(vec![E::TransferFailed {
                transfer_id: transfer_id.clone(),
                reason: reason.clone(),
            }]),
        }
    }

    fn evolve(&self, _state: Self::State, event: &TransferEvent) -> Self::State {
        Some(event.progress().1)
    }

    fn is_terminal(&self, state: &Self::State) -> bool {
        Lifecycle::finished(state)
    }
}

/// Every command of the domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// Accounts.
    Account(AccountCommand),
    /// Transfers.
    Transfer(TransferCommand),
}

/// Every event of the domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Accounts.
    Account(AccountEvent),
    /// Transfers.
    Transfer(TransferEvent),
}

/// Every rejection of the domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// Accounts.
    Account(AccountRejection),
    /// Transfers.
    Transfer(TransferRejection),
}

/// Accounts and transfers behind the domain's enums.
pub type Deciders = Route<
    Lift<AccountDecider, Command, Event, Rejection>,
    Lift<TransferDecider, Command, Event, Rejection>,
>;

/// The deciders, routed.
pub fn deciders() -> Deciders {
    Route(
        lift!(AccountDecider, Account, "account", "account-"),
        lift!(TransferDecider, Transfer, "transfer", "transfer-"),
    )
}

/// A transfer the saga is running.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pending {
    /// The source account.
    pub from: String,
    /// The destination account.
    pub to: String,
    /// How much.
    pub amount_cents: u64,
}

/// The transfer saga: debit, credit, complete; refund and fail when the credit is refused.
/// Its state is the transfers it has seen requested (it needs the source to refund).
#[derive(Clone, Copy, Debug, Default)]
pub struct TransferSaga;

impl ProcessManager for TransferSaga {
    type Command = Command;
    type Event = Event;
    type Rejection = Rejection;
    type State = BTreeMap<String, Pending>;

    fn name(&self) -> &str {
        "transfer"
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
            Fact::Event(Event::Transfer(TransferEvent::TransferRequested {
                transfer_id,
                from,
                to,
                amount_cents,
            })) => {
                let pending = Pending {
                    from: from.clone(),
                    to: to.clone(),
                    amount_cents: *amount_cents,
                };
                state.insert(transfer_id.clone(), pending);
            }
            Fact::Event(Event::Transfer(
                TransferEvent::TransferCompleted { transfer_id }
                | TransferEvent::TransferFailed { transfer_id, .. },
            )) => {
                state.remove(transfer_id);
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
        let account = |c: AccountCommand| Command::Account(c);
        let transfer = |c: TransferCommand| Command::Transfer(c);
        match fact {
            Fact::Event(Event::Transfer(TransferEvent::TransferRequested {
                transfer_id,
                from,
                amount_cents,
                ..
            })) => out.extend([account(AccountCommand::Debit {
                account_id: from.clone(),
                transfer_id: transfer_id.clone(),
                amount_cents: *amount_cents,
            })]),
            Fact::Event(Event::Account(AccountEvent::Debited { transfer_id, .. })) => {
                out.extend(state.get(transfer_id).map(|p| {
                    account(AccountCommand::Credit {
                        account_id: p.to.clone(),
                        transfer_id: transfer_id.clone(),
                        amount_cents: p.amount_cents,
                    })
                }))
            }
            Fact::Event(Event::Account(AccountEvent::Credited { transfer_id, .. })) => {
                out.extend([transfer(TransferCommand::Complete {
                    transfer_id: transfer_id.clone(),
                })])
            }
            Fact::Rejected {
                command: Command::Account(AccountCommand::Debit { transfer_id, .. }),
                reason,
            } => out.extend([transfer(TransferCommand::Fail {
                transfer_id: transfer_id.clone(),
                reason: format!("debit refused: {}", describe(reason)),
            })]),
            Fact::Rejected {
                command:
                    Command::Account(AccountCommand::Credit {
                        transfer_id,
                        amount_cents,
                        ..
                    }),
                reason,
            } => {
                if let Some(p) = state.get(transfer_id) {
                    out.extend([
                        account(AccountCommand::Refund {
                            account_id: p.from.clone(),
                            transfer_id: transfer_id.clone(),
                            amount_cents: *amount_cents,
                        }),
                        transfer(TransferCommand::Fail {
                            transfer_id: transfer_id.clone(),
                            reason: format!("credit refused: {}", describe(reason)),
                        }),
                    ])
                }
            }
            _ => {}
        }
    }
}

fn describe(reason: &Rejection) -> String {
    match reason {
        Rejection::Account(AccountRejection::InsufficientFunds { balance_cents }) => {
            format!("insufficient funds (balance {balance_cents})")
        }
        Rejection::Account(AccountRejection::Frozen) => "the account is frozen".into(),
        Rejection::Account(AccountRejection::Closed) => "the account is closed".into(),
        Rejection::Account(AccountRejection::UnknownAccount) => "no such account".into(),
        Rejection::Account(AccountRejection::BalanceOverflow { balance_cents }) => {
            format!("the balance would overflow (balance {balance_cents})")
        }
        Rejection::Account(AccountRejection::AlreadyOpen) | Rejection::Transfer(_) => {
            "the transfer cannot go on".into()
        }
    }
}

/// The balances view: every account's balance, and every transfer's status.
#[derive(Clone, Copy, Debug, Default)]
pub struct Balances;

/// The balances read model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BalancesState {
    /// Account id → balance in cents.
    pub accounts: BTreeMap<String, u64>,
    /// Transfer id → status.
    pub transfers: BTreeMap<String, Lifecycle>,
}

impl View for Balances {
    type Event = Event;
    type State = BalancesState;

    fn initial_state(&self) -> BalancesState {
        BalancesState::default()
    }

    fn evolve(&self, mut view: BalancesState, event: &Event) -> BalancesState {
        match event {
            Event::Account(AccountEvent::AccountOpened {
                account_id,
                balance_cents,
                ..
            }) => {
                view.accounts.insert(account_id.clone(), *balance_cents);
            }
            Event::Account(AccountEvent::Debited {
                account_id,
                amount_cents,
                ..
            }) => {
                if let Some(balance) = view.accounts.get_mut(account_id) {
                    *balance = balance.saturating_sub(*amount_cents);
                }
            }
            Event::Account(
                AccountEvent::Credited {
                    account_id,
                    amount_cents,
                    ..
                }
                | AccountEvent::Refunded {
                    account_id,
                    amount_cents,
                    ..
                },
            ) => {
                if let Some(balance) = view.accounts.get_mut(account_id) {
                    *balance = balance.saturating_add(*amount_cents);
                }
            }
            Event::Account(_) => {}
            Event::Transfer(event) => {
                let (id, status) = event.progress();
                view.transfers.insert(id.clone(), status);
            }
        }
        view
    }
}

/// The transfer system: accounts, transfers, the balances view and the transfer saga.
pub type TransferSystem = Parts<Deciders, Balances, TransferSaga>;

/// The system, typed (for specs and tests).
pub fn system() -> TransferSystem {
    Parts {
        decider: deciders(),
        view: Balances,
        process: TransferSaga,
    }
}

/// The money transfer domain behind the type-erased boundary.
pub fn domain() -> TypedDomain<TransferSystem> {
    TypedDomain::with_schemas(
        DomainInfo {
            id: "transfer".into(),
            title: "Money transfer".into(),
            description: "Move money between accounts. The transfer saga debits the source, \
                credits the destination and completes the transfer. If the destination \
                refuses the credit (closed or frozen), the saga compensates: it refunds the \
                source and fails the transfer. If the source refuses the debit (not enough \
                money, frozen), the transfer fails with nothing to undo."
                .into(),
            streams: vec!["account".into(), "transfer".into()],
            views: vec!["balances".into()],
            sagas: vec!["transfer".into()],
            external_events: vec![],
            zero_payload_events: vec![],
        },
        system(),
        crate::schemas::bundled!("transfer"),
    )
    .with_invariants(invariants::declared())
}

#[cfg(test)]
mod tests {
    use super::*;
    use decider_core::spec::{process_then, DeciderSpec, GivenFact};

    fn opened(balance_cents: u64) -> AccountEvent {
        AccountEvent::AccountOpened {
            account_id: "a".into(),
            owner: "Ada".into(),
            balance_cents,
        }
    }

    fn frozen() -> AccountEvent {
        AccountEvent::Frozen {
            account_id: "a".into(),
        }
    }

    fn closed() -> AccountEvent {
        AccountEvent::Closed {
            account_id: "a".into(),
        }
    }

    fn debit(amount_cents: u64) -> AccountCommand {
        AccountCommand::Debit {
            account_id: "a".into(),
            transfer_id: "t".into(),
            amount_cents,
        }
    }

    fn credit(amount_cents: u64) -> AccountCommand {
        AccountCommand::Credit {
            account_id: "a".into(),
            transfer_id: "t".into(),
            amount_cents,
        }
    }

    fn refund(amount_cents: u64) -> AccountCommand {
        AccountCommand::Refund {
            account_id: "a".into(),
            transfer_id: "t".into(),
            amount_cents,
        }
    }

    fn account(given: &[AccountEvent]) -> DeciderSpec<'static, AccountDecider> {
        DeciderSpec::given(&AccountDecider, given)
    }

    #[test]
    fn an_account_opens_once() {
        let open = AccountCommand::OpenAccount {
            account_id: "a".into(),
            owner: "Ada".into(),
            balance_cents: 500,
        };
        account(&[])
            .when(&open)
            .then_events(&[opened(500)])
            .then_state(&Some(Account {
                balance_cents: 500,
                frozen: false,
                closed: false,
            }));
        account(&[opened(500)])
            .when(&open)
            .then_rejected(&AccountRejection::AlreadyOpen);
    }

    #[test]
    fn an_unknown_account_refuses_everything_but_opening() {
        for command in [debit(1), credit(1), refund(1)] {
            account(&[])
                .when(&command)
                .then_rejected(&AccountRejection::UnknownAccount);
        }
        let freeze = AccountCommand::Freeze {
            account_id: "a".into(),
        };
        account(&[])
            .when(&freeze)
            .then_rejected(&AccountRejection::UnknownAccount);
    }

    #[test]
    fn an_account_freezes_and_closes() {
        let freeze = AccountCommand::Freeze {
            account_id: "a".into(),
        };
        let close = AccountCommand::Close {
            account_id: "a".into(),
        };
        let state = |frozen, closed| {
            Some(Account {
                balance_cents: 5,
                frozen,
                closed,
            })
        };
        account(&[opened(5)])
            .when(&freeze)
            .then_events(&[frozen()])
            .then_state(&state(true, false));
        account(&[opened(5)])
            .when(&close)
            .then_events(&[closed()])
            .then_state(&state(false, true));
    }

    #[test]
    fn a_debit_needs_an_usable_account_with_the_funds() {
        account(&[opened(500)])
            .when(&debit(500))
            .then_events(&[AccountEvent::Debited {
                account_id: "a".into(),
                transfer_id: "t".into(),
                amount_cents: 500,
            }])
            .then_state(&Some(Account {
                balance_cents: 0,
                frozen: false,
                closed: false,
            }));
        account(&[opened(500)])
            .when(&debit(501))
            .then_rejected(&AccountRejection::InsufficientFunds { balance_cents: 500 });
        account(&[opened(500), frozen()])
            .when(&debit(1))
            .then_rejected(&AccountRejection::Frozen);
        // Closed wins over frozen.
        account(&[opened(500), frozen(), closed()])
            .when(&debit(1))
            .then_rejected(&AccountRejection::Closed);
    }

    #[test]
    fn a_credit_needs_an_usable_account_with_room_for_it() {
        account(&[opened(5)])
            .when(&credit(7))
            .then_events(&[AccountEvent::Credited {
                account_id: "a".into(),
                transfer_id: "t".into(),
                amount_cents: 7,
            }])
            .then_state(&Some(Account {
                balance_cents: 12,
                frozen: false,
                closed: false,
            }));
        account(&[opened(5), frozen()])
            .when(&credit(1))
            .then_rejected(&AccountRejection::Frozen);
        account(&[opened(5), closed()])
            .when(&credit(1))
            .then_rejected(&AccountRejection::Closed);
        account(&[opened(u64::MAX - 1)])
            .when(&credit(1))
            .then_events(&[AccountEvent::Credited {
                account_id: "a".into(),
                transfer_id: "t".into(),
                amount_cents: 1,
            }]);
        account(&[opened(u64::MAX - 1)])
            .when(&credit(2))
            .then_rejected(&AccountRejection::BalanceOverflow {
                balance_cents: u64::MAX - 1,
            });
    }

    #[test]
    fn a_refund_is_accepted_even_when_frozen_or_closed_but_never_overflows() {
        let refunded = [AccountEvent::Refunded {
            account_id: "a".into(),
            transfer_id: "t".into(),
            amount_cents: 40,
        }];
        for given in [
            vec![opened(0)],
            vec![opened(0), frozen()],
            vec![opened(0), closed()],
        ] {
            account(&given)
                .when(&refund(40))
                .then_events(&refunded)
                .then_state(&Some(Account {
                    balance_cents: 40,
                    frozen: given.contains(&frozen()),
                    closed: given.contains(&closed()),
                }));
        }
        account(&[opened(u64::MAX)]).when(&refund(1)).then_rejected(
            &AccountRejection::BalanceOverflow {
                balance_cents: u64::MAX,
            },
        );
    }

    fn request(from: &str, to: &str, amount_cents: u64) -> TransferCommand {
        TransferCommand::RequestTransfer {
            transfer_id: "t".into(),
            from: from.into(),
            to: to.into(),
            amount_cents,
        }
    }

    fn requested() -> TransferEvent {
        TransferEvent::TransferRequested {
            transfer_id: "t".into(),
            from: "a".into(),
            to: "b".into(),
            amount_cents: 40,
        }
    }

    fn complete() -> TransferCommand {
        TransferCommand::Complete {
            transfer_id: "t".into(),
        }
    }

    fn fail() -> TransferCommand {
        TransferCommand::Fail {
            transfer_id: "t".into(),
            reason: "why".into(),
        }
    }

    fn transfer(given: &[TransferEvent]) -> DeciderSpec<'static, TransferDecider> {
        DeciderSpec::given(&TransferDecider, given)
    }

    #[test]
    fn a_transfer_is_requested_once_between_two_accounts_for_some_money() {
        transfer(&[])
            .when(&request("a", "b", 40))
            .then_events(&[requested()])
            .then_state(&Some(Lifecycle::Started));
        transfer(&[requested()])
            .when(&request("a", "b", 40))
            .then_rejected(&TransferRejection::AlreadyRequested);
        transfer(&[])
            .when(&request("a", "a", 40))
            .then_rejected(&TransferRejection::SameAccount);
        transfer(&[])
            .when(&request("a", "b", 0))
            .then_rejected(&TransferRejection::ZeroAmount);
    }

    #[test]
    fn a_transfer_completes_or_fails_once() {
        let completed = TransferEvent::TransferCompleted {
            transfer_id: "t".into(),
        };
        let failed = TransferEvent::TransferFailed {
            transfer_id: "t".into(),
            reason: "why".into(),
        };
        transfer(&[requested()])
            .when(&complete())
            .then_events(std::slice::from_ref(&completed))
            .then_state(&Some(Lifecycle::Completed));
        transfer(&[requested()])
            .when(&fail())
            .then_events(std::slice::from_ref(&failed))
            .then_state(&Some(Lifecycle::Failed));
        for command in [complete(), fail()] {
            transfer(&[])
                .when(&command)
                .then_rejected(&TransferRejection::UnknownTransfer);
            for finished in [&completed, &failed] {
                transfer(&[requested(), finished.clone()])
                    .when(&command)
                    .then_rejected(&TransferRejection::AlreadyFinished);
            }
        }
    }

    type Given = GivenFact<Command, Event, Rejection>;

    fn started() -> Given {
        GivenFact::Event(Event::Transfer(requested()))
    }

    fn account_event(event: AccountEvent) -> Given {
        GivenFact::Event(Event::Account(event))
    }

    fn credit_b(amount_cents: u64) -> Command {
        Command::Account(AccountCommand::Credit {
            account_id: "b".into(),
            transfer_id: "t".into(),
            amount_cents,
        })
    }

    #[test]
    fn the_saga_debits_the_source_then_credits_the_destination_then_completes() {
        let debit_a = Command::Account(debit(40));
        process_then(&TransferSaga, &[], &started(), &[debit_a]);
        let debited = account_event(AccountEvent::Debited {
            account_id: "a".into(),
            transfer_id: "t".into(),
            amount_cents: 40,
        });
        process_then(&TransferSaga, &[started()], &debited, &[credit_b(40)]);
        // A debit for a transfer the saga never saw requested causes nothing.
        process_then(&TransferSaga, &[], &debited, &[]);
        let credited = account_event(AccountEvent::Credited {
            account_id: "b".into(),
            transfer_id: "t".into(),
            amount_cents: 40,
        });
        let given = [started(), debited];
        process_then(
            &TransferSaga,
            &given,
            &credited,
            &[Command::Transfer(complete())],
        );
    }

    #[test]
    fn a_refused_debit_fails_the_transfer_with_its_reason() {
        let refused = GivenFact::Rejected(
            Command::Account(debit(40)),
            Rejection::Account(AccountRejection::InsufficientFunds { balance_cents: 10 }),
        );
        let fail = Command::Transfer(TransferCommand::Fail {
            transfer_id: "t".into(),
            reason: "debit refused: insufficient funds (balance 10)".into(),
        });
        process_then(&TransferSaga, &[started()], &refused, &[fail]);
    }

    #[test]
    fn a_refused_credit_refunds_the_source_and_fails_the_transfer() {
        let reasons = [
            (AccountRejection::Frozen, "the account is frozen"),
            (AccountRejection::Closed, "the account is closed"),
            (AccountRejection::UnknownAccount, "no such account"),
            (
                AccountRejection::BalanceOverflow { balance_cents: 9 },
                "the balance would overflow (balance 9)",
            ),
        ];
        for (reason, why) in reasons {
            let refused = GivenFact::Rejected(credit_b(40), Rejection::Account(reason));
            let expected = [
                Command::Account(refund(40)),
                Command::Transfer(TransferCommand::Fail {
                    transfer_id: "t".into(),
                    reason: format!("credit refused: {why}"),
                }),
            ];
            process_then(&TransferSaga, &[started()], &refused, &expected);
            // Without the requested transfer, the saga does not know whom to refund.
            process_then(&TransferSaga, &[], &refused, &[]);
        }
    }

    #[test]
    fn a_finished_transfer_is_forgotten() {
        let finished = [
            TransferEvent::TransferCompleted {
                transfer_id: "t".into(),
            },
            TransferEvent::TransferFailed {
                transfer_id: "t".into(),
                reason: "why".into(),
            },
        ];
        let debited = account_event(AccountEvent::Debited {
            account_id: "a".into(),
            transfer_id: "t".into(),
            amount_cents: 40,
        });
        for event in finished {
            let given = [started(), GivenFact::Event(Event::Transfer(event))];
            process_then(&TransferSaga, &given, &debited, &[]);
        }
    }

    #[test]
    fn the_balances_follow_debits_credits_and_refunds() {
        let (account_id, transfer_id) = (String::from("a"), String::from("t"));
        let events = [
            Event::Account(opened(1000)),
            Event::Account(AccountEvent::Debited {
                account_id: account_id.clone(),
                transfer_id: transfer_id.clone(),
                amount_cents: 300,
            }),
            Event::Account(AccountEvent::Credited {
                account_id: account_id.clone(),
                transfer_id: transfer_id.clone(),
                amount_cents: 50,
            }),
            Event::Account(AccountEvent::Refunded {
                account_id,
                transfer_id,
                amount_cents: 20,
            }),
        ];
        decider_core::spec::view_then(
            &Balances,
            &events,
            &BalancesState {
                accounts: BTreeMap::from([("a".to_string(), 770)]),
                transfers: BTreeMap::new(),
            },
        );
    }
}
