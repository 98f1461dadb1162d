//! Every flow of a journal at a glance: each user command, what it set off and what became
//! of it (completed, compensated, refused, still pending, or stopped by a bound), kept up
//! to date entry by entry as the journal grows.
//!
//! A [`FlowList`] is plain data, not generic over a domain's messages: the engine notes
//! each entry into it ([`crate::DynEngine::update_flows`]), so the list costs nothing until
//! someone asks for it, and then only the entries appended since it last read.

use super::flow::Tone;
use crate::ids::{FastHash, Id, SeededIds};
use crate::journal::{JournalEntry, Placed};
use crate::segmented::{Segmented, Span};
use serde_json::Value;
use std::collections::HashMap;

/// What became of a flow, as far as its journal goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowOutcome {
    /// Every command handled, and no rejection.
    Completed,
    /// A saga or process manager issued a compensating command (in reaction to a
    /// rejection), and every command was handled.
    Compensated,
    /// A command was refused and nothing compensated it.
    Refused,
    /// A command of the flow still waits in the queue.
    Pending,
    /// A step hit a bound (a conflict, the cascade limit).
    Failed,
}

impl FlowOutcome {
    /// Every outcome, in the order the page offers them.
    pub const ALL: [FlowOutcome; 5] = [
        FlowOutcome::Completed,
        FlowOutcome::Compensated,
        FlowOutcome::Refused,
        FlowOutcome::Pending,
        FlowOutcome::Failed,
    ];

    /// Its word: `completed`, `compensated`, `refused`, `pending` or `failed`.
    pub fn word(self) -> &'static str {
        match self {
            FlowOutcome::Completed => "completed",
            FlowOutcome::Compensated => "compensated",
            FlowOutcome::Refused => "refused",
            FlowOutcome::Pending => "pending",
            FlowOutcome::Failed => "failed",
        }
    }

    /// The tone it is drawn in (its colour on the page), the tone of the node that
    /// decided it: an event, a compensation, a rejection or a pending command; a failure
    /// is drawn as a rejection.
    pub fn tone(self) -> Tone {
        match self {
            FlowOutcome::Completed => Tone::Event,
            FlowOutcome::Compensated => Tone::Compensation,
            FlowOutcome::Refused | FlowOutcome::Failed => Tone::Rejection,
            FlowOutcome::Pending => Tone::Pending,
        }
    }

    /// Its glyph: its tone's, and `⚠` for a failure (which a rejection's `✘` would hide).
    pub fn glyph(self) -> &'static str {
        match self {
            FlowOutcome::Failed => "⚠",
            outcome => outcome.tone().glyph(),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One flow: its user command's place and what its commands did so far. 48 bytes: a
/// million flows (a counter session of a million facts) keep 48 MB.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowSummary {
    /// The flow's correlation id (its user command's id).
    pub correlation_id: Id,
    /// The position of its first fact, once it has one (see [`FlowSummary::span`]).
    first: u64,
    /// The journal entry that submitted its user command (an engine's journal holds
    /// fewer than 2³² entries).
    pub entry: u32,
    /// How far its last fact is from its first.
    extent: u32,
    /// Commands queued in all, its user command included.
    pub queued: u32,
    /// Commands handled (each took a step).
    pub handled: u32,
    /// Events recorded.
    pub events: u32,
    /// Rejections recorded.
    pub rejections: u32,
    /// Compensating commands handled.
    pub compensations: u32,
    /// Whether a step hit a bound.
    pub failed: bool,
    /// Whether a rejection was injected as a fault.
    pub injected: bool,
}

impl FlowSummary {
    /// What became of the flow: pending while a command waits, failed once a step hit a
    /// bound, then compensated, refused or completed.
    pub fn outcome(&self) -> FlowOutcome {
        if self.handled < self.queued {
            FlowOutcome::Pending
        } else if self.failed {
            FlowOutcome::Failed
        } else if self.compensations > 0 {
            FlowOutcome::Compensated
        } else if self.rejections > 0 {
            FlowOutcome::Refused
        } else {
            FlowOutcome::Completed
        }
    }

    /// Facts recorded (events and rejections).
    pub fn facts(&self) -> u32 {
        self.events + self.rejections
    }

    /// The positions of its first and last facts (`None` while it has none).
    pub fn span(&self) -> Option<(u64, u64)> {
        (self.facts() > 0).then_some((self.first, self.first + u64::from(self.extent)))
    }
}

/// What one journal entry tells the [`FlowList`], read from it by the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noted {
    /// A person submitted a user command: a new flow, unless its id was seen already.
    Submitted {
        /// The command's id, the flow's correlation id.
        correlation_id: Id,
    },
    /// A step handled one of a flow's commands.
    Step(StepNoted),
    /// An entry that belongs to no flow (given history).
    Other,
}

/// What `entry` tells a [`FlowList`].
pub(crate) fn noted<C, E, R>(entry: &Placed<'_, JournalEntry<C, E, R>>) -> Noted {
    match entry.record {
        JournalEntry::Submitted(envelope) => Noted::Submitted {
            correlation_id: envelope.correlation_id,
        },
        JournalEntry::Step(step) => {
            let command = step.command();
            let facts = step.fact_count() as u32;
            let events = entry.record.events().count() as u32;
            Noted::Step(StepNoted {
                correlation_id: command.correlation_id,
                compensation: command.compensation,
                position: entry.at.position,
                events,
                rejections: facts - events,
                queued: step.queued().count() as u32,
                failed: step.failure().is_some(),
                injected: step.injected(),
            })
        }
        JournalEntry::Given(_) => Noted::Other,
    }
}

/// A step, as a [`FlowList`] notes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepNoted {
    /// The flow its command belongs to.
    pub correlation_id: Id,
    /// Whether the command was a compensation.
    pub compensation: bool,
    /// The position of the step's first fact.
    pub position: u64,
    /// Events recorded.
    pub events: u32,
    /// Rejections recorded.
    pub rejections: u32,
    /// Commands queued in reaction to its facts.
    pub queued: u32,
    /// Whether the step hit a bound.
    pub failed: bool,
    /// Whether its rejection was injected.
    pub injected: bool,
}

/// Every flow of one journal, in the order their user commands were submitted, with how
/// many are in each [`FlowOutcome`].
///
/// A step is put in its flow by its correlation id without a map from ids to flows while
/// the flows' ids are the engine's own: their ordinals ([`SeededIds::command_ordinal`])
/// grow with each submission, so a binary search finds one. A person's own id (a scenario
/// step's `command_id`) that breaks the order makes the list keep a map from then on.
pub struct FlowList {
    flows: Segmented<FlowSummary>,
    /// The ids the flows' correlation ids are drawn from.
    ids: SeededIds,
    /// Every flow's index by its correlation id's ordinal, once the ordinals do not grow
    /// (keyed by ordinal as the engine's command index is: one map type, compiled once).
    by_id: Option<HashMap<u64, u32, FastHash>>,
    /// How many flows are in each outcome, by [`FlowOutcome::index`].
    counts: [usize; 5],
    /// The journal entries noted so far.
    seen: usize,
    /// The flow noted last, its correlation id and index: most steps are of the flow just
    /// submitted or stepped (an instant run, a Repeat), found here without a search.
    recent: Option<(Id, usize)>,
}

impl Default for FlowList {
    /// An empty list of the default seed's flows.
    fn default() -> Self {
        FlowList::new(SeededIds::default())
    }
}

impl FlowList {
    /// An empty list of the flows of a journal whose commands draw `ids`.
    pub fn new(ids: SeededIds) -> Self {
        FlowList {
            flows: Segmented::default(),
            ids,
            by_id: None,
            counts: [0; 5],
            seen: 0,
            recent: None,
        }
    }

    /// The ids its flows draw.
    pub fn ids(&self) -> SeededIds {
        self.ids
    }

    /// How many journal entries it has noted: the next one to note is this one.
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// Every flow, oldest first.
    pub fn flows(&self) -> Span<'_, FlowSummary> {
        self.flows.span()
    }

    /// How many flows are in `outcome`.
    pub fn count(&self, outcome: FlowOutcome) -> usize {
        self.counts[outcome.index()]
    }

    /// The index of the flow of `correlation_id`.
    pub fn index_of(&self, correlation_id: Id) -> Option<usize> {
        match &self.by_id {
            Some(by_id) => by_id
                .get(&self.ids.command_ordinal(correlation_id))
                .map(|&i| i as usize),
            None => {
                let ordinal = self.ids.command_ordinal(correlation_id);
                let index = self
                    .flows
                    .partition_point(|f| self.ids.command_ordinal(f.correlation_id) < ordinal);
                let found = self.flows.get(index)?;
                (found.correlation_id == correlation_id).then_some(index)
            }
        }
    }

    /// [`FlowList::index_of`], the flow noted last first.
    fn find(&mut self, correlation_id: Id) -> Option<usize> {
        match self.recent {
            Some((id, index)) if id == correlation_id => Some(index),
            _ => {
                let index = self.index_of(correlation_id)?;
                self.recent = Some((correlation_id, index));
                Some(index)
            }
        }
    }

    /// The indexes of the flows in `outcome` (every flow's with `None`), oldest first.
    pub fn matching(&self, outcome: Option<FlowOutcome>) -> Vec<usize> {
        self.flows
            .span()
            .iter()
            .enumerate()
            .filter(|(_, flow)| outcome.is_none_or(|o| flow.outcome() == o))
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether a flow of `correlation_id` can be added: not if it is listed already. A
    /// flow whose ordinal does not follow the last one's turns the map on.
    fn admits(&mut self, correlation_id: Id) -> bool {
        let ordinal = |id: Id| self.ids.command_ordinal(id);
        let last = self.flows.len().checked_sub(1).map(|i| &self.flows[i]);
        let in_order =
            last.is_none_or(|last| ordinal(last.correlation_id) < ordinal(correlation_id));
        if self.by_id.is_none() && in_order {
            // Every flow listed has a smaller ordinal: this one is not among them.
            return true;
        }
        if self.index_of(correlation_id).is_some() {
            return false;
        }
        if self.by_id.is_none() {
            let ids = self.ids;
            let span = self.flows.span();
            let by_id = span
                .iter()
                .enumerate()
                .map(|(i, f)| (ids.command_ordinal(f.correlation_id), i as u32));
            self.by_id = Some(by_id.collect());
        }
        true
    }

    /// Notes the next journal entry.
    pub fn note(&mut self, noted: Noted) {
        let entry = self.seen;
        self.seen += 1;
        match noted {
            Noted::Submitted { correlation_id } => {
                if !self.admits(correlation_id) {
                    return;
                }
                let index = self.flows.len();
                if let Some(by_id) = &mut self.by_id {
                    by_id.insert(self.ids.command_ordinal(correlation_id), index as u32);
                }
                let flow = FlowSummary {
                    correlation_id,
                    first: 0,
                    entry: u32::try_from(entry).unwrap_or(u32::MAX),
                    extent: 0,
                    queued: 1,
                    handled: 0,
                    events: 0,
                    rejections: 0,
                    compensations: 0,
                    failed: false,
                    injected: false,
                };
                self.counts[flow.outcome().index()] += 1;
                self.recent = Some((correlation_id, index));
                self.flows.push(flow);
            }
            Noted::Step(StepNoted {
                correlation_id,
                compensation,
                position,
                events,
                rejections,
                queued,
                failed,
                injected,
            }) => {
                let Some(flow) = self
                    .find(correlation_id)
                    .and_then(|index| self.flows.get_mut(index))
                else {
                    return;
                };
                let before = flow.outcome();
                let facts = u64::from(events + rejections);
                if facts > 0 {
                    if flow.facts() == 0 {
                        flow.first = position;
                    }
                    let last = position + facts - 1;
                    flow.extent = u32::try_from(last - flow.first).unwrap_or(u32::MAX);
                }
                flow.handled += 1;
                flow.queued += queued;
                flow.events += events;
                flow.rejections += rejections;
                flow.compensations += u32::from(compensation);
                flow.failed |= failed;
                flow.injected |= injected;
                let after = flow.outcome();
                self.counts[before.index()] -= 1;
                self.counts[after.index()] += 1;
            }
            Noted::Other => {}
        }
    }
}

/// A flow as the page lists it: its summary, and its user command.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowRow {
    /// The flow's index in its [`FlowList`] (0 for the oldest).
    pub index: usize,
    /// What it did so far.
    pub summary: FlowSummary,
    /// Its user command, as JSON.
    pub command: Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(correlation_id: Id, position: u64, events: u32, rejections: u32) -> StepNoted {
        StepNoted {
            correlation_id,
            compensation: false,
            position,
            events,
            rejections,
            queued: 0,
            failed: false,
            injected: false,
        }
    }

    #[test]
    fn a_flow_is_pending_until_every_queued_command_is_handled() {
        let ids = SeededIds::new(5);
        let (a, b) = (ids.command(7), ids.command(9));
        let mut list = FlowList::new(ids);
        list.note(Noted::Submitted { correlation_id: a });
        list.note(Noted::Submitted { correlation_id: b });
        list.note(Noted::Other);
        assert_eq!(list.count(FlowOutcome::Pending), 2);
        list.note(Noted::Step(StepNoted {
            queued: 1,
            ..step(a, 3, 1, 0)
        }));
        assert_eq!(
            list.flows()[0].outcome(),
            FlowOutcome::Pending,
            "its reaction waits"
        );
        list.note(Noted::Step(step(a, 4, 2, 0)));
        list.note(Noted::Step(step(b, 6, 0, 1)));
        let flows = list.flows().to_vec();
        let [first, second] = &flows[..] else {
            panic!("two flows: {flows:?}");
        };
        assert_eq!((first.entry, first.span()), (0, Some((3, 5))));
        assert_eq!((first.events, first.facts(), first.handled), (3, 3, 2));
        assert_eq!(first.outcome(), FlowOutcome::Completed);
        assert_eq!((second.entry, second.span()), (1, Some((6, 6))));
        assert_eq!(second.outcome(), FlowOutcome::Refused);
        assert_eq!(list.seen(), 6);
        let counts: Vec<usize> = FlowOutcome::ALL.map(|o| list.count(o)).to_vec();
        assert_eq!(counts, [1, 0, 1, 0, 0]);
        assert_eq!(list.matching(Some(FlowOutcome::Refused)), [1]);
        assert_eq!(list.matching(None), [0, 1]);
        assert_eq!(list.index_of(b), Some(1));
        assert!(
            list.by_id.is_none(),
            "the engine's own ids are found by their ordinals"
        );
        assert_eq!(list.index_of(ids.command(8)), None);
    }

    #[test]
    fn an_id_out_of_order_turns_the_map_on_and_every_flow_is_still_found() {
        let ids = SeededIds::default();
        let mut list = FlowList::new(ids);
        let ordinals = [3, 10, 20];
        for n in ordinals {
            list.note(Noted::Submitted {
                correlation_id: ids.command(n),
            });
        }
        assert!(list.by_id.is_none());
        list.note(Noted::Submitted {
            correlation_id: ids.command(10),
        });
        assert_eq!(
            list.flows().len(),
            3,
            "an id submitted again is the same flow"
        );
        assert!(list.by_id.is_none(), "and turns nothing on");
        // A person's own id, an ordinal before the last.
        list.note(Noted::Submitted {
            correlation_id: ids.command(5),
        });
        assert!(list.by_id.is_some());
        for (index, n) in [3, 10, 20, 5].into_iter().enumerate() {
            assert_eq!(list.index_of(ids.command(n)), Some(index), "ordinal {n}");
            list.note(Noted::Step(step(ids.command(n), index as u64, 1, 0)));
        }
        assert_eq!(list.count(FlowOutcome::Completed), 4);
        assert_eq!(list.index_of(ids.command(4)), None);
    }

    #[test]
    fn a_compensation_or_a_failure_decides_the_outcome_over_a_rejection() {
        let mut list = FlowList::default();
        for id in 1..=3 {
            list.note(Noted::Submitted {
                correlation_id: Id(id),
            });
        }
        list.note(Noted::Submitted {
            correlation_id: Id(1),
        });
        assert_eq!(
            list.flows().len(),
            3,
            "an id submitted again is the same flow"
        );
        list.note(Noted::Step(StepNoted {
            queued: 1,
            injected: true,
            ..step(Id(1), 0, 0, 1)
        }));
        list.note(Noted::Step(StepNoted {
            compensation: true,
            ..step(Id(1), 1, 1, 0)
        }));
        list.note(Noted::Step(StepNoted {
            failed: true,
            ..step(Id(2), 2, 0, 1)
        }));
        list.note(Noted::Step(step(Id(3), 3, 1, 0)));
        list.note(Noted::Step(step(Id(99), 4, 1, 0)));
        let outcomes: Vec<FlowOutcome> = list.flows().iter().map(|f| f.outcome()).collect();
        assert_eq!(
            outcomes,
            [
                FlowOutcome::Compensated,
                FlowOutcome::Failed,
                FlowOutcome::Completed
            ]
        );
        assert!(list.flows()[0].injected);
        assert_eq!(list.flows()[0].compensations, 1);
        let counts: Vec<usize> = FlowOutcome::ALL.map(|o| list.count(o)).to_vec();
        assert_eq!(
            counts,
            [1, 1, 0, 0, 1],
            "an unknown flow's step counts nowhere"
        );
    }
}
