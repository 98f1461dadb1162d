//! How a node looks: one tone per kind, each with its glyph, its colour (a `.kind-*`
//! class of the theme) and its word, shared by the nodes and the legend.

use decider_core::boundary::{FlowNode, FlowView, NodeKind};

/// The look of a node. Colour is never alone: each tone has its glyph too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// A command: ▶ blue.
    Command,
    /// A compensating command: ↩ amber.
    Compensation,
    /// An event: ✔ green.
    Event,
    /// A rejection: ✘ red.
    Rejection,
    /// An injected fault, or the command it was injected on: ⚡ violet.
    Injected,
    /// A command still waiting in the queue: ◌ dashed grey.
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
    /// is amber; the facts it records keep their own colour).
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

    /// Its word (also the suffix of its `.kind-*` theme class and of its node class).
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

/// How many nodes of each sort a flow has, for the panel's header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Commands, compensating and pending ones included.
    pub commands: usize,
    /// Events.
    pub events: usize,
    /// Rejections.
    pub rejections: usize,
    /// Compensating commands.
    pub compensations: usize,
    /// Commands still waiting in the queue.
    pub pending: usize,
}

impl Counts {
    /// Counts the nodes of `flow`.
    pub fn of(flow: &FlowView) -> Counts {
        flow.nodes.iter().fold(Counts::default(), |mut c, node| {
            match node.kind {
                NodeKind::Command => {
                    c.commands += 1;
                    c.compensations += usize::from(node.compensation);
                    c.pending += usize::from(node.pending);
                }
                NodeKind::Event => c.events += 1,
                NodeKind::Rejection => c.rejections += 1,
            }
            c
        })
    }
}

/// The last segment of a message's variant path: `payment.refund_payment` gives
/// `refund_payment`.
pub fn short_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}
