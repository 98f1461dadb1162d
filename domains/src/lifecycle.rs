//! The lifecycle of a long-running process record (a transfer, a checkout): it starts,
//! then completes or fails, and after that takes no more commands.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a process record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// In progress.
    Started,
    /// Went through.
    Completed,
    /// Failed (and whatever was done was compensated).
    Failed,
}

impl Lifecycle {
    /// Whether it completed or failed.
    pub fn is_finished(self) -> bool {
        !matches!(self, Lifecycle::Started)
    }

    /// Whether a stream whose state is `state` is finished (the decider's `is_terminal`).
    pub fn finished(state: &Option<Lifecycle>) -> bool {
        state.is_some_and(Lifecycle::is_finished)
    }
}
