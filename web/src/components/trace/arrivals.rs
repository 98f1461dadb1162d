//! Which nodes of the shown flow just appeared, so that they get a short highlight: a run
//! in real time then reads as motion, and selecting another flow flashes nothing.

use decider_core::boundary::{FlowNode, FlowView};
use decider_core::Id;
use std::collections::HashSet;

/// A node's identity across redraws: its kind, its command's id and its position (facts).
pub type NodeKey = (&'static str, Id, Option<u64>);

/// The identity of `node`.
pub fn node_key(node: &FlowNode) -> NodeKey {
    (node.kind.as_str(), node.command_id, node.position)
}

/// The nodes seen in the last drawing of a flow, and those that were new then.
#[derive(Debug, Default)]
pub struct Arrivals {
    flow: Option<Id>,
    seen: HashSet<NodeKey>,
    fresh: HashSet<NodeKey>,
}

impl Arrivals {
    /// Takes in the flow about to be drawn; returns the nodes that appeared since it was
    /// last drawn with other nodes (none when another flow was shown before). Drawing the
    /// same nodes again keeps the same answer, so a redraw does not cut a highlight short.
    pub fn observe(&mut self, flow: Option<&FlowView>) -> &HashSet<NodeKey> {
        let id = flow.map(|f| f.correlation_id);
        let keys: HashSet<NodeKey> = flow
            .map(|f| f.nodes.iter().map(node_key).collect())
            .unwrap_or_default();
        if id != self.flow {
            self.flow = id;
            self.fresh.clear();
            self.seen = keys;
        } else if keys != self.seen {
            self.fresh = keys.difference(&self.seen).copied().collect();
            self.seen = keys;
        }
        &self.fresh
    }
}
