//! The causal [`Trace`] of one flow: user command → facts → reactions → commands → …,
//! with compensations marked, ready to draw as swimlanes (one lane per stream).

use crate::decider::Decider;
use crate::envelope::{FactKind, SharedCommand};
use crate::ids::{Id, StreamId};
use crate::journal::{JournalEntry, StepFailure, StepRecord};
use crate::store::SharedFact;
use crate::system::System;
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
    pub fact: SharedFact<C, E, R>,
    /// The commands sagas and process managers issued in reaction.
    pub reactions: Vec<TraceNode<C, E, R>>,
}

impl<C: Clone, E, R> Trace<C, E, R> {
    /// The trace of `correlation_id` in `journal`, or `None` if no user command has that id.
    pub fn build<Y>(
        system: &Y,
        journal: &[JournalEntry<C, E, R>],
        correlation_id: Id,
    ) -> Option<Self>
    where
        Y: System<Command = C, Event = E, Rejection = R>,
    {
        let mut root = None;
        let mut steps: HashMap<Id, &StepRecord<C, E, R>> = HashMap::new();
        for entry in journal {
            match entry {
                JournalEntry::Submitted(envelope) if envelope.command_id == correlation_id => {
                    root = Some(envelope)
                }
                JournalEntry::Step(step) if step.command.correlation_id == correlation_id => {
                    steps.insert(step.command.command_id, step);
                }
                _ => {}
            }
        }
        let root = node(system, &steps, root?.clone());
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

/// The steps of one flow, by the id of the command each handled.
type StepsById<'j, Y> = HashMap<
    Id,
    &'j StepRecord<<Y as System>::Command, <Y as System>::Event, <Y as System>::Rejection>,
>;

fn node<Y: System>(
    system: &Y,
    steps: &StepsById<'_, Y>,
    envelope: SharedCommand<Y::Command>,
) -> TraceNode<Y::Command, Y::Event, Y::Rejection> {
    let stream_id = system.decider().stream_id(&envelope.command);
    let step = steps.get(&envelope.command_id);
    TraceNode {
        stream_id,
        step: step.map(|s| s.step),
        facts: step.map_or_else(Vec::new, |s| {
            s.facts
                .iter()
                .map(|r| TraceFact {
                    fact: r.fact.clone(),
                    reactions: r
                        .queued
                        .iter()
                        .map(|q| node(system, steps, q.clone()))
                        .collect(),
                })
                .collect()
        }),
        failure: step.and_then(|s| s.failure.clone()),
        injected: step.is_some_and(|s| s.injected),
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

fn render_node<C: Serialize, E: Serialize, R: Serialize>(
    node: &TraceNode<C, E, R>,
    depth: usize,
    out: &mut String,
) {
    let pad = "  ".repeat(depth);
    let mark = if node.envelope.compensation {
        "↩"
    } else {
        "▶"
    };
    let origin = match &node.envelope.origin {
        crate::envelope::Origin::User => "user".to_string(),
        crate::envelope::Origin::Reactor { name } => name.to_string(),
    };
    let _ = writeln!(
        out,
        "{pad}{mark} {} → {} [{origin}]{}",
        json(&node.envelope.command),
        node.stream_id,
        if node.step.is_none() { " (queued)" } else { "" }
    );
    for fact in &node.facts {
        match &fact.fact.kind {
            FactKind::Event {
                event,
                stream_version,
            } => {
                let _ = writeln!(
                    out,
                    "{pad}  ✔ #{} {} v{stream_version}: {}",
                    fact.fact.position,
                    fact.fact.stream_id,
                    json(event)
                );
            }
            FactKind::Rejected { reason, .. } => {
                let (mark, what) = if node.injected {
                    ("⚡", "injected fault")
                } else {
                    ("✘", "rejected")
                };
                let _ = writeln!(
                    out,
                    "{pad}  {mark} #{} {what}: {}",
                    fact.fact.position,
                    json(reason)
                );
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
