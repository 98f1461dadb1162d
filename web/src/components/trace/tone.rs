//! How a node looks: one tone per kind, each with its glyph, its colour (a `.kind-*`
//! class of the theme) and its word, shared by the nodes and the legend.

pub use decider_core::boundary::{short_name, Tone};
use decider_core::boundary::{FlowView, NodeKind};

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
