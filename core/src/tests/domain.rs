//! A tiny domain for the core's own tests: numbered counters with a cap.

use crate::compose::Merge;
use crate::envelope::Fact;
use crate::saga::{Saga, Stateless};
use crate::{Decider, Parts, ProcessManager, View};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

pub const CAP: i32 = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Cmd {
    Add { counter: u8, amount: i32 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Ev {
    Added { counter: u8, amount: i32 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Rej {
    OverCap { total: i32 },
    Negative { total: i32 },
}

pub fn add(counter: u8, amount: i32) -> Cmd {
    Cmd::Add { counter, amount }
}

pub fn added(counter: u8, amount: i32) -> Ev {
    Ev::Added { counter, amount }
}

pub struct Counter;

impl Decider for Counter {
    type Command = Cmd;
    type Event = Ev;
    type State = i32;
    type Rejection = Rej;

    fn initial_state(&self) -> i32 {
        0
    }
    fn write_stream_id(&self, Cmd::Add { counter, .. }: &Cmd, id: &mut String) {
        write!(id, "counter-{counter}").expect("a `String` takes any text");
    }
    fn decide(&self, Cmd::Add { counter, amount }: &Cmd, total: &i32) -> Result<Vec<Ev>, Rej> {
        let total = total + amount;
        if total > CAP {
            Err(Rej::OverCap { total })
        } else if total < 0 {
            Err(Rej::Negative { total })
        } else {
            Ok(vec![added(*counter, *amount)])
        }
    }
    fn evolve(&self, total: i32, Ev::Added { amount, .. }: &Ev) -> i32 {
        total + amount
    }
    fn is_terminal(&self, total: &i32) -> bool {
        *total == CAP
    }
}

/// Read model: total per counter and the number of events.
pub struct Totals;

impl View for Totals {
    type Event = Ev;
    type State = (BTreeMap<u8, i32>, u64);
    fn initial_state(&self) -> Self::State {
        Default::default()
    }
    fn evolve(
        &self,
        (mut totals, n): Self::State,
        Ev::Added { counter, amount }: &Ev,
    ) -> Self::State {
        *totals.entry(*counter).or_default() += amount;
        (totals, n + 1)
    }
}

/// Saga: a positive amount added to counter k < 3 is forwarded to counter k + 1.
pub struct Forward;

impl Saga for Forward {
    type Command = Cmd;
    type Event = Ev;
    type Rejection = Rej;
    fn name(&self) -> &str {
        "forward"
    }
    fn react_into(&self, fact: Fact<'_, Cmd, Ev, Rej>, out: &mut impl Extend<Cmd>) {
        if let Fact::Event(Ev::Added { counter, amount }) = fact {
            if *counter < 3 && *amount > 0 {
                out.extend([add(counter + 1, *amount)]);
            }
        }
    }
}

/// Process manager: when a forwarded amount is refused by counter k > 0, takes it back
/// from counter k - 1, at most twice per counter (it counts what it compensated).
pub struct Compensate;

impl ProcessManager for Compensate {
    type Command = Cmd;
    type Event = Ev;
    type Rejection = Rej;
    type State = BTreeMap<u8, u32>;
    fn name(&self) -> &str {
        "compensate"
    }
    fn initial_state(&self) -> Self::State {
        BTreeMap::new()
    }
    fn evolve(&self, mut state: Self::State, fact: Fact<'_, Cmd, Ev, Rej>) -> Self::State {
        if let Fact::Rejected {
            command: Cmd::Add { counter, amount },
            ..
        } = fact
        {
            if *counter > 0 && *amount > 0 {
                *state.entry(*counter).or_default() += 1;
            }
        }
        state
    }
    // Written as `react_into` (`Forward` as `react`), so both ways are run.
    fn react_into(
        &self,
        state: &Self::State,
        fact: Fact<'_, Cmd, Ev, Rej>,
        out: &mut impl Extend<Cmd>,
    ) {
        if let Fact::Rejected {
            command: Cmd::Add { counter, amount },
            ..
        } = fact
        {
            if *counter > 0 && *amount > 0 && state[counter] <= 2 {
                out.extend([add(counter - 1, -amount)]);
            }
        }
    }
}

pub type System = Parts<Counter, Totals, Merge<Stateless<Forward>, Compensate>>;

/// How the tiny domain describes itself at the boundary.
pub fn info() -> crate::DomainInfo {
    crate::DomainInfo {
        id: "counters".into(),
        title: "Counters".into(),
        description: "test".into(),
        streams: vec!["counter".into()],
        views: vec!["totals".into()],
        sagas: vec!["forward".into(), "compensate".into()],
        external_events: vec![],
        zero_payload_events: vec![],
    }
}

pub fn system() -> System {
    Parts {
        decider: Counter,
        view: Totals,
        process: Merge(Stateless(Forward), Compensate),
    }
}

/// Saga that answers every event with another one on the same counter: a loop.
pub struct Echo;

impl Saga for Echo {
    type Command = Cmd;
    type Event = Ev;
    type Rejection = Rej;
    fn name(&self) -> &str {
        "echo"
    }
    fn react_into(&self, fact: Fact<'_, Cmd, Ev, Rej>, out: &mut impl Extend<Cmd>) {
        if let Fact::Event(Ev::Added { counter, .. }) = fact {
            out.extend([add(*counter, 0)]);
        }
    }
}
