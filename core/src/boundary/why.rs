//! Why was this refused? The inspector's answer for a rejection, found by deciding the
//! refused command again against every version of its stream up to the one it met:
//! the versions group into stretches of one outcome, so the event that began the last
//! stretch is the one that made the difference (an order's cancellation before the
//! refused payment), or the command was refused from the stream's first version on and
//! no event of the stream is to blame (an item that was never on the menu). Beside it,
//! the command decided against the stream's live state (would it pass now?) and the
//! facts that led to it, from the fact it reacted to back to the user's command.
//!
//! The decider is pure, so deciding again costs no more than the engine's own step at
//! each version; the versions decided are the latest [`MAX_VERSIONS`], from the state time
//! travel restores before them.

use super::rows::{message_name, to_json, unwrap_variants, FactRow};
use super::{DomainEngine, DynEngine, JsonSystem};
use crate::decider::{decided, Decider};
use crate::envelope::{FactKindRef, Origin};
use crate::journal::JournalEntry;
use crate::system::{ProcessStateOf, StreamStateOf, ViewStateOf};
use serde_json::Value;
use std::collections::VecDeque;

/// What the decider decides for a command against one state of its stream.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Accepted: the names of the events it would record, in order.
    Accepted {
        /// The events' variant paths (`restaurant.order_accepted`).
        events: Vec<String>,
    },
    /// Refused.
    Refused {
        /// The rejection's variant path (`restaurant.not_on_menu`).
        name: String,
        /// The rejection as JSON.
        reason: Value,
    },
}

impl Outcome {
    /// Whether two outcomes say the same by name: the same events, or the same kind of
    /// rejection (its fields may differ: a total that grows with the stream).
    pub fn alike(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Outcome::Accepted { events: a }, Outcome::Accepted { events: b }) => a == b,
            (Outcome::Refused { name: a, .. }, Outcome::Refused { name: b, .. }) => a == b,
            _ => false,
        }
    }

    /// A refusal's fields: its reason without the variant wrappers its name names (as
    /// [`FactRow::fields`]); `None` for an acceptance or a unit variant.
    pub fn fields(&self) -> Option<&Value> {
        match self {
            Outcome::Accepted { .. } => None,
            Outcome::Refused { name, reason } => unwrap_variants(reason, name.split('.').count()),
        }
    }
}

/// What a refusal comes down to, in the order it is told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A person injected it: [`Refusal::again`] is what the decider would have said.
    Injected,
    /// Decided again, the decider does not refuse it as recorded (it is not
    /// deterministic, or another one wrote the journal).
    Differs,
    /// Refused since [`Refusal::turning_point`], accepted before it.
    TurningPoint,
    /// Refused at every version decided: no event of the stream made it fail.
    Always,
}

impl Verdict {
    /// Its name in the page's `data-verdict` (`turning-point`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Injected => "injected",
            Verdict::Differs => "differs",
            Verdict::TurningPoint => "turning-point",
            Verdict::Always => "always",
        }
    }
}

/// Consecutive versions of a stream at which a command has alike outcomes
/// ([`Outcome::alike`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Stretch {
    /// The first version (0: the initial state).
    pub from: u64,
    /// The last version.
    pub to: u64,
    /// The event that brought the stream to `from` (`None` for the initial state, and for
    /// a first stretch that starts after versions not decided again).
    pub since: Option<FactRow>,
    /// The outcome at its last version (alike at every version of the stretch).
    pub outcome: Outcome,
}

impl Stretch {
    /// Its versions: `v3`, or `v3–v7`.
    pub fn versions(&self) -> String {
        match self.from == self.to {
            true => format!("v{}", self.from),
            false => format!("v{}–v{}", self.from, self.to),
        }
    }
}

/// Why a command was refused, as [`super::DynEngine::why_refused`] finds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The rejection.
    pub fact: FactRow,
    /// The version of its stream the command was decided against (its events before it).
    pub version: u64,
    /// The command decided again against that version (for a decided rejection, the same
    /// rejection: the decider is pure; for an injected one, what the decider would have
    /// said).
    pub again: Outcome,
    /// The outcome at each version up to `version`, in stretches, oldest first: the latest
    /// stretches only (at most the number asked for).
    pub stretches: Vec<Stretch>,
    /// The versions before the first stretch listed (not decided again, or in earlier
    /// stretches not listed).
    pub earlier: u64,
    /// The first version decided again (0 unless the stream is longer than
    /// [`MAX_VERSIONS`]).
    pub decided_from: u64,
    /// The event that made the difference: the one after which the command was refused,
    /// having been accepted at the version before it (the last such change among the
    /// versions decided, listed or not). `None` when it was refused at every version
    /// decided, or accepted at the version it met (an injected refusal).
    pub turning_point: Option<FactRow>,
    /// The stream's live version (the last one recorded).
    pub live_version: u64,
    /// The command decided against the live state: would it pass now?
    pub live: Outcome,
    /// The facts that led to the command, nearest first: the fact a saga or process
    /// manager reacted to by issuing it, then the fact that led to that fact's command,
    /// and so on back to a fact of the user's command (empty when the user submitted the
    /// refused command itself).
    pub causes: Vec<FactRow>,
}

impl Refusal {
    /// The stretch the command met: the last one (which holds `version`).
    pub fn met(&self) -> Option<&Stretch> {
        self.stretches.last()
    }

    /// What the refusal comes down to.
    pub fn verdict(&self) -> Verdict {
        let refused_as_recorded =
            matches!(&self.again, Outcome::Refused { name, .. } if *name == self.fact.name);
        match (self.fact.injected, refused_as_recorded, &self.turning_point) {
            (true, ..) => Verdict::Injected,
            (false, false, _) => Verdict::Differs,
            (false, true, Some(_)) => Verdict::TurningPoint,
            (false, true, None) => Verdict::Always,
        }
    }

    /// The answer on one line: `#4 restaurant.over_capacity in restaurant-luigi at v3:
    /// refused since #2 restaurant.kitchen_ticket_created (accepted before it)`.
    pub fn summary(&self) -> String {
        let fact = &self.fact;
        let at = format!(
            "#{} {} in {} at v{}",
            fact.position, fact.name, fact.stream_id, self.version
        );
        let why = match (self.verdict(), &self.again, &self.turning_point) {
            (Verdict::Injected, Outcome::Accepted { .. }, _) => {
                "injected by hand (decided, it would have been accepted)".to_string()
            }
            (Verdict::Injected, ..) => {
                "injected by hand (decided, it would have been refused too)".to_string()
            }
            (Verdict::Differs, ..) => "decided again, not refused as recorded".to_string(),
            (Verdict::TurningPoint, _, Some(turning)) => format!(
                "refused since #{} {} (accepted before it)",
                turning.position, turning.name
            ),
            _ => {
                "refused at every version decided: no event of the stream made it fail".to_string()
            }
        };
        format!("{at}: {why}")
    }
}

/// The latest versions of a stream decided again at most.
pub const MAX_VERSIONS: u64 = 20_000;

/// Causes followed at most (a cascade is bounded by the engine's depth, 255 at most).
const MAX_CAUSES: usize = 256;

/// The stretches as versions are decided, the latest `limit` kept.
struct Stretches {
    limit: usize,
    kept: VecDeque<(u64, u64, Option<u64>, Outcome)>,
    earlier: u64,
    /// The position of the event after which the command was last refused having been
    /// accepted ([`Refusal::turning_point`]), while it is refused.
    turning: Option<u64>,
}

impl Stretches {
    /// No stretch yet; `skipped` versions come before the first one decided.
    fn new(limit: usize, skipped: u64) -> Self {
        Stretches {
            limit: limit.max(1),
            kept: VecDeque::new(),
            earlier: skipped,
            turning: None,
        }
    }

    /// `outcome` at `version`, which the event at position `since` brought (`None`: the
    /// first version decided).
    fn decided(&mut self, version: u64, since: Option<u64>, outcome: Outcome) {
        match self.kept.back_mut() {
            Some((_, to, _, last)) if last.alike(&outcome) => (*to, *last) = (version, outcome),
            last => {
                let was_accepted = matches!(last, Some((.., Outcome::Accepted { .. })));
                self.turning = match &outcome {
                    Outcome::Accepted { .. } => None,
                    Outcome::Refused { .. } if was_accepted => since,
                    Outcome::Refused { .. } => self.turning,
                };
                self.kept.push_back((version, version, since, outcome));
                if self.kept.len() > self.limit {
                    if let Some((from, to, _, _)) = self.kept.pop_front() {
                        self.earlier += to - from + 1;
                    }
                }
            }
        }
    }
}

impl<Y: JsonSystem> DomainEngine<Y>
where
    StreamStateOf<Y>: serde::Serialize,
    ViewStateOf<Y>: serde::Serialize,
    ProcessStateOf<Y>: serde::Serialize,
{
    /// [`super::DynEngine::why_refused`].
    pub(super) fn refusal(&self, position: u64, limit: usize) -> Option<Refusal> {
        let fact = self.engine.facts(position).next()?;
        let FactKindRef::Rejected { command, .. } = fact.kind else {
            return None;
        };
        let stream = fact.stream_id.clone();
        let system = self.engine.system();
        let entries = self.stream_entries(&stream, position);
        let version = entries.events();
        // The state a fold starts from is a version decided, and so is each event's.
        let start = self.refold_from(&stream, &entries, MAX_VERSIONS - 1);
        let decided_from = start.as_ref().map_or(0, |s| s.skipped);
        let mut stretches = Stretches::new(limit, decided_from);
        let decide = |state: &StreamStateOf<Y>| self.outcome(command, state);
        match start {
            None => {
                let initial = system.decider().initial_state();
                stretches.decided(0, None, decide(&initial));
            }
            Some(start) => {
                let facts = self.refolded(&entries, &start);
                let mut state = start.state;
                stretches.decided(start.skipped, None, decide(&state));
                for fact in facts {
                    if let FactKindRef::Event {
                        event,
                        stream_version,
                    } = fact.kind
                    {
                        state = system.decider().evolve(state, event);
                        stretches.decided(stream_version, Some(fact.position), decide(&state));
                    }
                }
            }
        }
        let live = self.engine.state().stream(system, &stream);
        let row_at = |position: u64| self.rows(position, position.saturating_add(1)).pop();
        let kept: Vec<Stretch> = (stretches.kept.into_iter())
            .map(|(from, to, since, outcome)| Stretch {
                from,
                to,
                since: since.and_then(row_at),
                outcome,
            })
            .collect();
        let fact = row_at(position)?;
        Some(Refusal {
            again: kept.last().map(|s| s.outcome.clone())?,
            causes: self.causes(&fact),
            fact,
            version,
            stretches: kept,
            earlier: stretches.earlier,
            decided_from,
            turning_point: stretches.turning.and_then(row_at),
            live_version: live.version,
            live: decide(&live.state),
        })
    }

    /// What the decider decides for `command` against `state`, named as the log names it.
    fn outcome(&self, command: &Y::Command, state: &StreamStateOf<Y>) -> Outcome {
        match decided(self.engine.system().decider(), command, state) {
            Ok(events) => Outcome::Accepted {
                events: (events.iter())
                    .map(|event| message_name(&to_json(event), &self.catalog.events))
                    .collect(),
            },
            Err(reason) => {
                let reason = to_json(&reason);
                Outcome::Refused {
                    name: message_name(&reason, &self.catalog.rejections),
                    reason,
                }
            }
        }
    }

    /// The facts that led to `fact`'s command, nearest first ([`Refusal::causes`]): each
    /// command a saga or process manager issued names the fact it reacted to as its
    /// causation, whose id this engine drew from its position.
    fn causes(&self, fact: &FactRow) -> Vec<FactRow> {
        let timeline = self.engine.timeline();
        let ids = timeline.place(0).ids;
        // The fact the command that recorded `position` reacted to (given history and the
        // user's commands reacted to none).
        let reacted_to =
            |position: u64| match timeline.journal().get(timeline.entry_of_position(position)) {
                Some(JournalEntry::Step(step)) if step.command().origin != Origin::User => {
                    Some(step.command().causation_id)
                }
                _ => None,
            };
        let mut causes: Vec<FactRow> = Vec::new();
        let mut next = reacted_to(fact.position);
        while let Some(cause) = next.filter(|_| causes.len() < MAX_CAUSES) {
            let position = ids.fact_position(cause);
            match self.rows(position, position.saturating_add(1)).pop() {
                Some(row) if row.fact_id == cause => {
                    next = reacted_to(position);
                    causes.push(row);
                }
                _ => break,
            }
        }
        causes
    }
}
