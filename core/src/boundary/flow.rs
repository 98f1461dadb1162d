//! A flow's causal trace laid out for drawing as swimlanes: a lane per stream and per
//! saga or process manager (and one for the user), a column per node in the order things
//! happened, and the causation of every node.

use super::rows::{message_name, origin_name, to_json, Catalog};
use crate::envelope::{FactKind, Origin};
use crate::ids::Id;
use crate::journal::StepFailure;
use crate::trace::{Trace, TraceNode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a lane stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    /// The person (or script) who submitted the flow's first command.
    User,
    /// A saga or process manager: the commands it issued.
    Reactor,
    /// A stream: the facts recorded in it.
    Stream,
}

/// One swimlane.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// The stream id, the reactor's name, or `user`.
    pub name: String,
    /// What it stands for.
    pub kind: LaneKind,
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A command (in its issuer's lane).
    Command,
    /// An event (in its stream's lane).
    Event,
    /// A rejection (in its stream's lane).
    Rejection,
}

impl NodeKind {
    /// `command`, `event` or `rejection`.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Command => "command",
            NodeKind::Event => "event",
            NodeKind::Rejection => "rejection",
        }
    }
}

/// How a node reads, drawn or written: one tone per sort of node, each with its glyph, so
/// that colour (the page's) is never alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// A command: ▶ (blue on the page).
    Command,
    /// A compensating command: ↩ (amber).
    Compensation,
    /// An event: ✔ (green).
    Event,
    /// A rejection: ✘ (red).
    Rejection,
    /// An injected fault, or the command it was injected on: ⚡ (violet).
    Injected,
    /// A command still waiting in the queue: ◌ (dashed grey).
    Pending,
}

impl Tone {
    /// Every tone, in the legend's order.
    pub const ALL: [Tone; 6] = [
        Tone::Command,
        Tone::Compensation,
        Tone::Event,
        Tone::Rejection,
        Tone::Injected,
        Tone::Pending,
    ];

    /// The tone of `node`: pending, then injected, then its kind (a compensating command
    /// is a compensation; the facts it records keep their own tone).
    pub fn of(node: &FlowNode) -> Tone {
        match node.kind {
            _ if node.pending => Tone::Pending,
            _ if node.injected => Tone::Injected,
            NodeKind::Command if node.compensation => Tone::Compensation,
            NodeKind::Command => Tone::Command,
            NodeKind::Event => Tone::Event,
            NodeKind::Rejection => Tone::Rejection,
        }
    }

    /// Its glyph.
    pub fn glyph(self) -> &'static str {
        match self {
            Tone::Command => "▶",
            Tone::Compensation => "↩",
            Tone::Event => "✔",
            Tone::Rejection => "✘",
            Tone::Injected => "⚡",
            Tone::Pending => "◌",
        }
    }

    /// Its word (the page's `.kind-*` theme class and node class end with it).
    pub fn word(self) -> &'static str {
        match self {
            Tone::Command => "command",
            Tone::Compensation => "compensation",
            Tone::Event => "event",
            Tone::Rejection => "rejection",
            Tone::Injected => "injected",
            Tone::Pending => "pending",
        }
    }
}

/// The last segment of a message's variant path, the name without its service (the lane
/// or the stream says it): `payment.refund_payment` gives `refund_payment`.
pub fn short_name(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(_, short)| short)
}

/// One node of a flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowNode {
    /// Command, event or rejection.
    pub kind: NodeKind,
    /// Index into [`FlowView::lanes`].
    pub lane: usize,
    /// Left-to-right order of happening (0-based, one node per column).
    pub column: usize,
    /// The message's variant path, e.g. `payment.refund_payment`.
    pub name: String,
    /// The command, the event, or the rejection's reason, as JSON.
    pub message: Value,
    /// The fact's global position (facts only).
    pub position: Option<u64>,
    /// The command's id, or for a fact the id of the command that recorded it.
    pub command_id: Id,
    /// The node that caused this one (the arrow into it); `None` for the root.
    pub parent: Option<usize>,
    /// A compensating command, or a fact recorded for one.
    pub compensation: bool,
    /// A rejection injected as a fault, or the command it was injected on.
    pub injected: bool,
    /// A command still waiting in the queue.
    pub pending: bool,
    /// A bound the command's step hit (conflict, cascade limit), in words.
    pub failure: Option<String>,
}

/// A flow laid out for swimlanes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowView {
    /// The flow's correlation id.
    pub correlation_id: Id,
    /// The lanes, top to bottom: user, then in order of first appearance.
    pub lanes: Vec<Lane>,
    /// The nodes, in column order.
    pub nodes: Vec<FlowNode>,
}

/// Where a node sorts: facts by position; a handled command just before its first fact;
/// a command whose step recorded nothing just after its cause; pending commands last.
type SortKey = (u64, u8, usize);

impl FlowView {
    /// Lays out `trace`, labelling messages with `catalog`.
    pub fn of<C: Serialize, E: Serialize, R: Serialize>(
        trace: &Trace<C, E, R>,
        catalog: &Catalog,
    ) -> Self {
        let mut builder = Builder {
            catalog,
            lanes: vec![Lane {
                name: "user".into(),
                kind: LaneKind::User,
            }],
            nodes: Vec::new(),
        };
        builder.command(&trace.root, None, (0, 0, 0));
        let (lanes, nodes) = builder.into_columns();
        FlowView {
            correlation_id: trace.correlation_id,
            lanes,
            nodes,
        }
    }
}

struct Builder<'c> {
    catalog: &'c Catalog,
    lanes: Vec<Lane>,
    nodes: Vec<(SortKey, FlowNode)>,
}

impl Builder<'_> {
    fn lane(&mut self, name: String, kind: LaneKind) -> usize {
        if let Some(i) = self
            .lanes
            .iter()
            .position(|l| l.name == name && l.kind == kind)
        {
            return i;
        }
        self.lanes.push(Lane { name, kind });
        self.lanes.len() - 1
    }

    fn push(&mut self, key: SortKey, node: FlowNode) -> usize {
        self.nodes.push((key, node));
        self.nodes.len() - 1
    }

    /// The lanes, and the nodes in columns: ordered by their sort keys, parents renumbered.
    /// Not generic over the message types, so that the sorting is compiled once.
    fn into_columns(self) -> (Vec<Lane>, Vec<FlowNode>) {
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        // Unstable, ties broken by insertion: the same order as a stable sort, in less code.
        order.sort_unstable_by_key(|&i| (self.nodes[i].0, i));
        let mut rank = vec![0; order.len()];
        for (column, &i) in order.iter().enumerate() {
            rank[i] = column;
        }
        let mut nodes: Vec<Option<FlowNode>> =
            self.nodes.into_iter().map(|(_, node)| Some(node)).collect();
        // The nodes in column order, each taken out once: `order` is a permutation.
        let columns = order
            .iter()
            .enumerate()
            .filter_map(|(column, &i)| {
                let mut node = nodes[i].take()?;
                node.column = column;
                node.parent = node.parent.map(|p| rank[p]);
                Some(node)
            })
            .collect();
        (self.lanes, columns)
    }

    fn command<C: Serialize, E: Serialize, R: Serialize>(
        &mut self,
        node: &TraceNode<C, E, R>,
        parent: Option<usize>,
        cause: SortKey,
    ) {
        let envelope = &node.envelope;
        let lane = match &envelope.origin {
            Origin::User => 0,
            origin @ Origin::Reactor { .. } => self.lane(origin_name(origin), LaneKind::Reactor),
        };
        let message = to_json(&envelope.command);
        let key = match (node.step, node.facts.first()) {
            (Some(_), Some(first)) => (first.fact.position, 0, 0),
            (Some(_), None) => (cause.0, 2, self.nodes.len()),
            (None, _) => (u64::MAX, 0, self.nodes.len()),
        };
        let command = self.push(
            key,
            FlowNode {
                kind: NodeKind::Command,
                lane,
                column: 0,
                name: message_name(&message, &self.catalog.commands),
                message,
                position: None,
                command_id: envelope.command_id,
                parent,
                compensation: envelope.compensation,
                injected: node.injected,
                pending: node.step.is_none(),
                failure: node.failure.as_deref().map(failure_text),
            },
        );
        for traced in &node.facts {
            let fact = &traced.fact;
            let stream = self.lane(fact.stream_id.to_string(), LaneKind::Stream);
            let (kind, message, names) = match &fact.kind {
                FactKind::Event { event, .. } => {
                    (NodeKind::Event, to_json(event), &self.catalog.events)
                }
                FactKind::Rejected { reason, .. } => (
                    NodeKind::Rejection,
                    to_json(reason),
                    &self.catalog.rejections,
                ),
            };
            let key = (fact.position, 1, 0);
            let index = self.push(
                key,
                FlowNode {
                    kind,
                    lane: stream,
                    column: 0,
                    name: message_name(&message, names),
                    message,
                    position: Some(fact.position),
                    command_id: envelope.command_id,
                    parent: Some(command),
                    compensation: envelope.compensation,
                    injected: node.injected,
                    pending: false,
                    failure: None,
                },
            );
            for reaction in &traced.reactions {
                self.command(reaction, Some(index), key);
            }
        }
    }
}

fn failure_text<C>(failure: &StepFailure<C>) -> String {
    match failure {
        StepFailure::Conflict { conflict, attempts } => {
            format!("dropped after {attempts} attempts: {conflict}")
        }
        StepFailure::CascadeLimit { limit, dropped } => {
            format!(
                "{} reaction(s) dropped: deeper than {limit} hops",
                dropped.len()
            )
        }
    }
}
