//! **Counter**: the smallest domain, decide and evolve alone. A counter goes up and down
//! between 0 and its maximum; a command that would leave that range is rejected.

use decider_core::process_manager::NoProcess;
use decider_core::view::NoView;
use decider_core::{Decider, DomainInfo, Parts, TypedDomain};
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The highest value a counter may hold.
pub const MAX: u32 = 1_000;

/// What a user can ask of a counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CounterCommand {
    /// Adds `by` to counter `counter_id`.
    Increment {
        /// Which counter (the stream is `counter-<id>`).
        counter_id: String,
        /// How much to add.
        by: u32,
    },
    /// Subtracts `by` from counter `counter_id`.
    Decrement {
        /// Which counter.
        counter_id: String,
        /// How much to subtract.
        by: u32,
    },
}

/// What happened to a counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CounterEvent {
    /// The counter went up.
    Incremented {
        /// Which counter.
        counter_id: String,
        /// By how much.
        by: u32,
    },
    /// The counter went down.
    Decremented {
        /// Which counter.
        counter_id: String,
        /// By how much.
        by: u32,
    },
}

/// Why a counter refused a command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CounterRejection {
    /// The counter would go below zero.
    BelowZero {
        /// The value it holds.
        value: u32,
    },
    /// The counter would go above [`MAX`].
    AboveMax {
        /// The value it holds.
        value: u32,
    },
}

/// The counter decider: its state is the counter's value.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counter;

impl Decider for Counter {
    type Command = CounterCommand;
    type Event = CounterEvent;
    type State = u32;
    type Rejection = CounterRejection;

    fn initial_state(&self) -> u32 {
        0
    }

    fn write_stream_id(&self, command: &CounterCommand, id: &mut String) {
        let (CounterCommand::Increment { counter_id, .. }
        | CounterCommand::Decrement { counter_id, .. }) = command;
        id.push_str("counter-");
        id.push_str(counter_id);
    }

    fn decide(
        &self,
        command: &CounterCommand,
        value: &u32,
    ) -> Result<Vec<CounterEvent>, CounterRejection> {
        let value = *value;
        match command {
            CounterCommand::Increment { counter_id, by } => match value.checked_add(*by) {
                Some(next) if next <= MAX => Ok(vec![CounterEvent::Incremented {
                    counter_id: counter_id.clone(),
                    by: *by,
                }]),
                _ => Err(CounterRejection::AboveMax { value }),
            },
            CounterCommand::Decrement { counter_id, by } => match value.checked_sub(*by) {
                Some(_) => Ok(vec![CounterEvent::Decremented {
                    counter_id: counter_id.clone(),
                    by: *by,
                }]),
                None => Err(CounterRejection::BelowZero { value }),
            },
        }
    }

    fn evolve(&self, value: u32, event: &CounterEvent) -> u32 {
        match event {
            // Saturating: history given in a scenario is folded as it is, never a panic.
            CounterEvent::Incremented { by, .. } => value.saturating_add(*by),
            CounterEvent::Decremented { by, .. } => value.saturating_sub(*by),
        }
    }
}

/// The counter system: one decider, no view, no saga.
pub type CounterSystem =
    Parts<Counter, NoView<CounterEvent>, NoProcess<CounterCommand, CounterEvent, CounterRejection>>;

/// The counter domain behind the type-erased boundary.
pub fn domain() -> TypedDomain<CounterSystem> {
    TypedDomain::with_schemas(
        DomainInfo {
            id: "counter".into(),
            title: "Counter".into(),
            description: "The smallest decider: a counter between 0 and 1000. Increment and \
                decrement it and watch decide record events, evolve fold them into the value, \
                and a command that would leave the range become a recorded rejection."
                .into(),
            streams: vec!["counter".into()],
            views: vec![],
            sagas: vec![],
            external_events: vec![],
            zero_payload_events: vec![],
        },
        Parts::default(),
        crate::schemas::bundled!("counter"),
    )
}

/// `n` events of counter `bench` (up 3, down 2, up 3, …), which never take it below zero:
/// the replay benchmark's workload, natively and in the browser.
pub fn replay_workload(n: usize) -> Vec<CounterEvent> {
    (0..n)
        .map(|i| {
            let counter_id = "bench".to_string();
            if i % 2 == 0 {
                CounterEvent::Incremented { counter_id, by: 3 }
            } else {
                CounterEvent::Decremented { counter_id, by: 2 }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use decider_core::spec::DeciderSpec;

    fn inc(by: u32) -> CounterCommand {
        CounterCommand::Increment {
            counter_id: "a".into(),
            by,
        }
    }

    #[test]
    fn the_replay_workload_never_goes_below_zero() {
        let events = replay_workload(1001);
        assert_eq!(decider_core::fold(&Counter, 0, &events), 1503 - 1000);
        let lowest = (0..=events.len())
            .map(|n| decider_core::fold(&Counter, 0, &events[..n]))
            .min();
        assert_eq!(lowest, Some(0), "only the empty prefix is at zero");
    }

    #[test]
    fn increments_within_range_and_rejects_past_the_max() {
        let up = CounterEvent::Incremented {
            counter_id: "a".into(),
            by: 999,
        };
        DeciderSpec::given(&Counter, &[])
            .when(&inc(999))
            .then_events(std::slice::from_ref(&up))
            .then_state(&999);
        DeciderSpec::given(&Counter, &[up])
            .when(&inc(2))
            .then_rejected(&CounterRejection::AboveMax { value: 999 });
        DeciderSpec::given(&Counter, &[])
            .when(&CounterCommand::Decrement {
                counter_id: "a".into(),
                by: 1,
            })
            .then_rejected(&CounterRejection::BelowZero { value: 0 });
    }
}
