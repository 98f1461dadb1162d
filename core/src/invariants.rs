//! What a domain declares so that its flows can be explored at random
//! ([`crate::explore`]): what must hold once the engine is idle, and how a command can
//! plausibly fail, with or without the domain recovering.

use crate::engine::Engine;
use crate::system::System;
use serde::Serialize;

/// A domain's invariants, and the failure each command can be made to meet.
pub struct Invariants<Y: System> {
    /// What must hold of an idle engine: `Err` says what is broken, in the domain's words
    /// (say, `o1: refunded more than paid`).
    pub check: fn(&Engine<Y>) -> Result<(), String>,
    /// The rejection a queued command can plausibly meet instead of being decided (what
    /// its service could answer: a kitchen that refuses, a declined payment), or `None`
    /// when exploration should not make it fail.
    pub failure: fn(&Y::Command) -> Option<Y::Rejection>,
    /// The rejection a queued command could meet that the domain does not recover from
    /// (a refund refused: the money stays where it is), for exploring "what if it failed
    /// anyway"; `None` when it cannot fail.
    pub unhandled: fn(&Y::Command) -> Option<Y::Rejection>,
    /// The same, in the domain's words (what the explorer lists).
    pub said: Said,
}

/// What a domain's [`Invariants`] check and make fail, in its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Said {
    /// What must hold once the engine is idle, a sentence each ([`Invariants::check`]).
    pub holds: &'static [&'static str],
    /// The failures the domain recovers from ([`Invariants::failure`]).
    pub fails: &'static str,
    /// The failures it does not recover from ([`Invariants::unhandled`]).
    pub fails_unhandled: &'static str,
}

impl<Y: System> Clone for Invariants<Y> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Y: System> Copy for Invariants<Y> {}
