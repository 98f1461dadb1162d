//! The causal [`Trace`] of one flow: user command → facts → reactions → commands → …,
//! with compensations marked, ready to draw as swimlanes (one lane per stream).

use crate::decider::Decider;
use crate::engine::StepOf;
use crate::envelope::RecordedFact;
use crate::envelope::{FactKind, Origin, SharedCommand};
use crate::ids::{FastHash, Id, SeededIds, StreamId};
use crate::journal::{JournalEntry, Placed, StepFailure};
use crate::system::System;
use crate::time_travel::Timeline;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The causal tree of one correlation id.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace<C, E, R> {
    /// The flow's correlation id (the user command's id).
    pub correlation_id: Id,
    /// The streams the flow touched, in order of first appearance: the swimlanes.
    pub lanes: Vec<StreamId>,
    /// The user command at the root.
    pub root: TraceNode<C, E, R>,
}

/// A command in a trace, with what became of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceNode<C, E, R> {
    /// The command and its metadata.
    pub envelope: SharedCommand<C>,
    /// The stream it is addressed to (its lane).
    pub stream_id: StreamId,
    /// The step that handled it; `None` while it waits in the queue.
    pub step: Option<u64>,
    /// What the step recorded, each fact with the commands it caused.
    pub facts: Vec<TraceFact<C, E, R>>,
    /// The bound the step hit, if any.
    pub failure: Option<Box<StepFailure<C>>>,
    /// Whether the step's rejection was injected as a fault instead of decided.
    pub injected: bool,
}

/// A recorded fact in a trace, with the commands it caused.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceFact<C, E, R> {
    /// The event or rejection.
    pub fact: RecordedFact<C, E, R>,
    /// The commands sagas and process managers issued in reaction.
    pub reactions: Vec<TraceNode<C, E, R>>,
}

impl<C: Clone, E: Clone, R: Clone> Trace<C, E, R> {
    /// The trace of `correlation_id` in `timeline`'s journal, or `None` if no user command
    /// has that id. `index` finds each command's entry, so the time is proportional to
    /// the flow, not to the journal.
    pub fn build<Y>(
        system: &Y,
        timeline: &Timeline<Y>,
        index: &CommandIndex,
        correlation_id: Id,
    ) -> Option<Self>
    where
        Y: System<Command = C, Event = E, Rejection = R>,
    {
        let root = match timeline.journal().get(index.entry(correlation_id)?)? {
            JournalEntry::Submitted(envelope) => envelope,
            JournalEntry::Step(step) => step.command(),
            JournalEntry::Given(_) => return None,
        };
        if root.correlation_id != correlation_id || root.origin != Origin::User {
            return None;
        }
        let steps = Steps { timeline, index };
        let root = node(system, &steps, root.clone());
        let mut lanes = Vec::new();
        root.visit(&mut |n| {
            if !lanes.contains(&n.stream_id) {
                lanes.push(n.stream_id.clone());
            }
        });
        Some(Trace {
            correlation_id,
            lanes,
            root,
        })
    }
}

/// Where each command ever queued is in the journal: the step that handled it, or the
/// submission that queued it while it waits. It is also the engine's idempotency set: a
/// command id is queued once.
///
/// Commands are kept by ordinal ([`SeededIds::command_ordinal`], a bijection of ids), so
/// the engine's own commands, whose ordinals count up from 0, sit in a vector of 4 bytes
/// each instead of a hash map; ids a person chose far from that range go to a map.
#[derive(Clone, Debug)]
pub struct CommandIndex {
    ids: SeededIds,
    /// The slot of each ordinal below its length ([`ABSENT`] where none was queued).
    dense: Vec<u32>,
    /// The slots of ordinals that were far beyond `dense` when queued.
    sparse: HashMap<u64, u32, FastHash>,
    /// The last two commands queued, each id with its ordinal, the older first: a step
    /// most often handles a command queued just before it (a submission run at once, the
    /// reaction of the step before), whose ordinal [`CommandIndex::handled`] then finds
    /// here without undoing the id's mix ([`SeededIds::command_ordinal`]).
    recent: [(Id, u64); 2],
}

impl Default for CommandIndex {
    /// An empty index of the default seed's commands.
    fn default() -> Self {
        CommandIndex::new(SeededIds::default())
    }
}

/// The slot of an ordinal no command was queued with.
const ABSENT: u32 = u32::MAX;
/// The slot of a command queued by a step and not handled yet (it has no entry of its own).
const WAITING: u32 = u32::MAX - 1;
/// How far past the dense ordinals a new one may be and still extend them.
const DENSE_GAP: u64 = 4096;

impl CommandIndex {
    /// An empty index of the commands `ids` draws (any seed indexes any id; the engine's
    /// own seed keeps its commands dense).
    pub fn new(ids: SeededIds) -> Self {
        CommandIndex {
            ids,
            dense: Vec::new(),
            sparse: HashMap::default(),
            recent: [(ids.command(0), 0); 2],
        }
    }

    /// Whether `command_id` was ever queued.
    pub fn contains(&self, command_id: Id) -> bool {
        self.contains_ordinal(self.ids.command_ordinal(command_id))
    }

    /// Whether the command of `ordinal` ([`SeededIds::command`]) was ever queued: what
    /// [`CommandIndex::contains`] answers for its id, without undoing the id's mix.
    pub(crate) fn contains_ordinal(&self, ordinal: u64) -> bool {
        self.slot(ordinal).is_some()
    }

    /// The journal entry of `command_id`: the step that handled it, else its submission.
    pub fn entry(&self, command_id: Id) -> Option<usize> {
        self.slot(self.ids.command_ordinal(command_id))
            .filter(|&entry| entry != WAITING)
            .map(|entry| entry as usize)
    }

    /// Notes that `command_id` was queued, by journal entry `submitted` if it is a user
    /// submission (a command already noted keeps its entry).
    pub(crate) fn queue(&mut self, command_id: Id, submitted: Option<usize>) {
        let ordinal = self.ids.command_ordinal(command_id);
        self.note(command_id, ordinal);
        if self.slot(ordinal).is_none() {
            self.set(ordinal, submitted.map_or(WAITING, slot_of));
        }
    }

    /// [`CommandIndex::queue`] for `command_id`, the command of `ordinal`
    /// ([`SeededIds::command`]), an ordinal no command was queued with yet (the engine's
    /// next one, found free by [`CommandIndex::contains_ordinal`]): set, not looked up
    /// again.
    #[inline]
    pub(crate) fn queue_new(&mut self, command_id: Id, ordinal: u64, submitted: Option<usize>) {
        debug_assert!(!self.contains_ordinal(ordinal), "a new ordinal");
        debug_assert_eq!(self.ids.command(ordinal), command_id, "the ordinal's id");
        self.note(command_id, ordinal);
        self.set(ordinal, submitted.map_or(WAITING, slot_of));
    }

    /// Notes that journal entry `step` handled `command_id`.
    #[inline]
    pub(crate) fn handled(&mut self, command_id: Id, step: usize) {
        let ordinal = match self.recent {
            [(id, ordinal), _] | [_, (id, ordinal)] if id == command_id => ordinal,
            _ => self.ids.command_ordinal(command_id),
        };
        self.set(ordinal, slot_of(step));
    }

    /// Keeps `command_id` and its `ordinal` as the last command queued.
    #[inline]
    fn note(&mut self, command_id: Id, ordinal: u64) {
        self.recent = [self.recent[1], (command_id, ordinal)];
    }

    fn slot(&self, ordinal: u64) -> Option<u32> {
        let dense = usize::try_from(ordinal)
            .ok()
            .and_then(|i| self.dense.get(i))
            .copied()
            .filter(|&slot| slot != ABSENT);
        dense.or_else(|| self.sparse.get(&ordinal).copied())
    }

    /// Sets the slot of `ordinal`. Inlined: the engine's own commands are dense, so most
    /// calls set or append a dense slot; the rest is out of line.
    #[inline]
    fn set(&mut self, ordinal: u64, slot: u32) {
        if self.sparse.is_empty() {
            let dense = self.dense.len() as u64;
            if ordinal < dense {
                self.dense[ordinal as usize] = slot;
                return;
            }
            if ordinal == dense {
                self.dense.push(slot);
                return;
            }
        }
        self.set_beyond(ordinal, slot);
    }

    /// [`CommandIndex::set`] of an ordinal beyond the dense ones, or with sparse ones.
    #[cold]
    #[inline(never)]
    fn set_beyond(&mut self, ordinal: u64, slot: u32) {
        if let Some(known) = self.sparse.get_mut(&ordinal) {
            *known = slot;
            return;
        }
        let len = self.dense.len() as u64;
        match usize::try_from(ordinal) {
            Ok(i) if ordinal < len => self.dense[i] = slot,
            Ok(i) if ordinal - len < DENSE_GAP => {
                self.dense.resize(i, ABSENT);
                self.dense.push(slot);
            }
            _ => {
                self.sparse.insert(ordinal, slot);
            }
        }
    }
}

/// The slot of journal entry `entry` (a journal holds fewer than 2^32 - 2 entries: at
/// hundreds of bytes each, that is beyond any memory the engine runs in).
fn slot_of(entry: usize) -> u32 {
    u32::try_from(entry).map_or(WAITING - 1, |slot| slot.min(WAITING - 1))
}

/// The steps of a journal, by the id of the command each handled.
struct Steps<'j, Y: System> {
    timeline: &'j Timeline<Y>,
    index: &'j CommandIndex,
}

impl<'j, Y: System> Steps<'j, Y> {
    fn get(&self, command_id: Id) -> Option<Placed<'j, StepOf<Y>>> {
        let entry = self.timeline.placed(self.index.entry(command_id)?)?;
        let record = entry.record.as_step()?;
        (record.command().command_id == command_id).then_some(Placed {
            at: entry.at,
            record,
        })
    }
}

fn node<Y: System>(
    system: &Y,
    steps: &Steps<'_, Y>,
    envelope: SharedCommand<Y::Command>,
) -> TraceNode<Y::Command, Y::Event, Y::Rejection> {
    let stream_id = system.decider().stream_id(&envelope.command);
    let step = steps.get(envelope.command_id);
    TraceNode {
        stream_id,
        step: step.map(|s| s.step()),
        facts: step.map_or_else(Vec::new, |s| {
            s.record
                .recorded(s.at)
                .map(|(fact, queued)| TraceFact {
                    fact: fact.to_recorded(),
                    reactions: queued
                        .iter()
                        .map(|q| node(system, steps, q.clone()))
                        .collect(),
                })
                .collect()
        }),
        failure: step.and_then(|s| s.failure().cloned().map(Box::new)),
        injected: step.is_some_and(|s| s.injected()),
        envelope,
    }
}

impl<C, E, R> TraceNode<C, E, R> {
    /// Calls `f` on this command and every command below it, depth first.
    pub fn visit(&self, f: &mut impl FnMut(&TraceNode<C, E, R>)) {
        f(self);
        for fact in &self.facts {
            for reaction in &fact.reactions {
                reaction.visit(f);
            }
        }
    }
}

impl<C: Serialize, E: Serialize, R: Serialize> Trace<C, E, R> {
    /// The trace as an indented text tree: `▶` commands (with their origin), `✔` events,
    /// `✘` rejections, `↩` compensating commands, `⚠` bounds hit.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        render_node(&self.root, 0, &mut out);
        out
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("<unserializable: {e}>"))
}

/// Writes `node` and the commands below it. Only the serialization is generic: the lines
/// are written by the functions below, compiled once instead of once per domain.
fn render_node<C: Serialize, E: Serialize, R: Serialize>(
    node: &TraceNode<C, E, R>,
    depth: usize,
    out: &mut String,
) {
    let pad = "  ".repeat(depth);
    command_line(
        out,
        &pad,
        node.envelope.compensation,
        &node.envelope.origin,
        &json(&node.envelope.command),
        &node.stream_id,
        node.step.is_none(),
    );
    for fact in &node.facts {
        let position = fact.fact.position;
        match &fact.fact.kind {
            FactKind::Event {
                event,
                stream_version,
            } => event_line(
                out,
                &pad,
                position,
                &fact.fact.stream_id,
                *stream_version,
                &json(event),
            ),
            FactKind::Rejected { reason, .. } => {
                rejection_line(out, &pad, position, node.injected, &json(reason))
            }
        }
        for reaction in &fact.reactions {
            render_node(reaction, depth + 2, out);
        }
    }
    match node.failure.as_deref() {
        Some(StepFailure::Conflict { conflict, attempts }) => {
            let _ = writeln!(
                out,
                "{pad}  ⚠ dropped after {attempts} attempts: {conflict}"
            );
        }
        Some(StepFailure::CascadeLimit { limit, dropped }) => {
            let _ = writeln!(
                out,
                "{pad}  ⚠ {} reaction(s) dropped: deeper than {limit} hops",
                dropped.len()
            );
        }
        None => {}
    }
}

/// A command's line: `▶` (or `↩` for a compensation), the command, its stream, its origin.
fn command_line(
    out: &mut String,
    pad: &str,
    compensation: bool,
    origin: &Origin,
    command: &str,
    stream_id: &StreamId,
    queued: bool,
) {
    let mark = if compensation { "↩" } else { "▶" };
    let origin = match origin {
        Origin::User => "user",
        Origin::Reactor { name } => name,
    };
    let queued = if queued { " (queued)" } else { "" };
    let _ = writeln!(
        out,
        "{pad}{mark} {command} → {stream_id} [{origin}]{queued}"
    );
}

/// An event's line: `✔`, its position, stream and version, the event.
fn event_line(
    out: &mut String,
    pad: &str,
    position: u64,
    stream_id: &StreamId,
    stream_version: u64,
    event: &str,
) {
    let _ = writeln!(
        out,
        "{pad}  ✔ #{position} {stream_id} v{stream_version}: {event}"
    );
}

/// A rejection's line: `✘` (or `⚡` for an injected fault), its position, the reason.
fn rejection_line(out: &mut String, pad: &str, position: u64, injected: bool, reason: &str) {
    let (mark, what) = if injected {
        ("⚡", "injected fault")
    } else {
        ("✘", "rejected")
    };
    let _ = writeln!(out, "{pad}  {mark} #{position} {what}: {reason}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_index_keeps_near_and_far_ordinals_apart_and_finds_both() {
        let ids = SeededIds::new(3);
        let mut index = CommandIndex::new(ids);
        let far = ids.command(1 << 40);
        let foreign = Id(0xdead_beef);
        index.queue(ids.command(0), Some(0));
        index.queue(far, None);
        index.queue(foreign, Some(1));
        index.queue(ids.command(5), None);
        assert_eq!(index.dense.len(), 6, "ordinals 0..=5 are dense");
        assert_eq!(
            index.sparse.len(),
            2,
            "the far ordinal and the foreign id are not"
        );
        for (id, entry) in [(ids.command(0), Some(0)), (foreign, Some(1))] {
            assert!(index.contains(id));
            assert_eq!(index.entry(id), entry);
        }
        assert!(index.contains(far) && index.contains(ids.command(5)));
        assert_eq!(index.entry(far), None, "waiting commands have no entry yet");
        assert!(!index.contains(ids.command(3)), "a gap is not a command");
        index.handled(far, 7);
        index.handled(ids.command(5), 8);
        index.queue(far, Some(9));
        assert_eq!(index.entry(far), Some(7), "a known command keeps its entry");
        assert_eq!(index.entry(ids.command(5)), Some(8));
        assert_eq!(index.entry(ids.command(4)), None);
        let beyond = ids.command(6 + DENSE_GAP);
        index.queue(beyond, None);
        assert_eq!(index.sparse.len(), 3, "just past the gap is far");
        for ordinal in 6..2 * DENSE_GAP {
            index.queue(ids.command(ordinal), None);
        }
        assert_eq!(index.dense.len() as u64, 2 * DENSE_GAP);
        index.handled(beyond, 10);
        assert_eq!(index.entry(beyond), Some(10), "found where it was put");
        let other_seed = CommandIndex::default();
        assert!(!other_seed.contains(ids.command(0)));
    }

    #[test]
    fn a_handled_command_is_found_by_its_ordinal_whether_or_not_it_was_queued_last() {
        let ids = SeededIds::new(11);
        let mut index = CommandIndex::new(ids);
        for ordinal in 0..4 {
            index.queue_new(ids.command(ordinal), ordinal, None);
        }
        // 2 and 3 are the last two queued, 0 and 1 were queued before them.
        let order = [3, 0, 2, 1];
        for (step, ordinal) in order.into_iter().enumerate() {
            index.handled(ids.command(ordinal), 10 + step);
        }
        for (step, ordinal) in order.into_iter().enumerate() {
            assert_eq!(
                index.entry(ids.command(ordinal)),
                Some(10 + step),
                "{ordinal}"
            );
        }
        let mut fresh = CommandIndex::default();
        let first = SeededIds::default().command(0);
        fresh.handled(first, 4);
        assert_eq!(
            fresh.entry(first),
            Some(4),
            "an empty index's first command"
        );
    }
}
