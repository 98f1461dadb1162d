//! When each node of a flow happened, as far as the log can tell: what a click selects,
//! and which nodes lie after the time-travel cursor.

use decider_core::boundary::{FlowView, NodeKind};
use decider_core::Id;

/// The position of each node's first fact: a fact's own; a command's first recorded
/// fact's; `None` for a command that recorded nothing (yet).
pub fn first_facts(flow: &FlowView) -> Vec<Option<u64>> {
    let mut first: Vec<Option<u64>> = flow.nodes.iter().map(|n| n.position).collect();
    for node in &flow.nodes {
        if node.kind == NodeKind::Command {
            continue;
        }
        let cause = node.parent.and_then(|p| first.get_mut(p));
        if let Some(slot @ None) = cause {
            *slot = node.position;
        }
    }
    first
}

/// Which nodes lie after `cursor` (`None`: live, nothing does): facts at positions
/// `>= cursor`, commands whose first fact does, pending commands, and commands that
/// recorded nothing when their cause does.
pub fn after_cursor(flow: &FlowView, first: &[Option<u64>], cursor: Option<u64>) -> Vec<bool> {
    let Some(cursor) = cursor else {
        return vec![false; flow.nodes.len()];
    };
    let mut after: Vec<bool> = Vec::with_capacity(flow.nodes.len());
    for (i, node) in flow.nodes.iter().enumerate() {
        let own = match first.get(i).copied().flatten() {
            Some(position) => position >= cursor,
            None if node.pending => true,
            None => node
                .parent
                .and_then(|p| after.get(p).copied())
                .unwrap_or(false),
        };
        after.push(own);
    }
    after
}

/// What clicking a node selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// The fact at this position: the node's own, or its command's first fact.
    Fact(u64),
    /// A command that recorded nothing (yet): its id.
    Command(Id),
}

/// What clicking node `index` selects, given [`first_facts`].
pub fn pick(flow: &FlowView, first: &[Option<u64>], index: usize) -> Option<Pick> {
    let node = flow.nodes.get(index)?;
    Some(match first.get(index).copied().flatten() {
        Some(position) => Pick::Fact(position),
        None => Pick::Command(node.command_id),
    })
}

/// The lineage of node `index`: its causes up to the root, itself, and everything it
/// caused, directly or not (what hovering a node highlights).
pub fn lineage(flow: &FlowView, index: usize) -> Vec<bool> {
    let mut marked = vec![false; flow.nodes.len()];
    let Some(slot) = marked.get_mut(index) else {
        return marked;
    };
    *slot = true;
    // Causes come before their effects (a parent's column is smaller), so one pass down
    // the columns finds every descendant, and one walk up the parents every ancestor.
    for (i, node) in flow.nodes.iter().enumerate().skip(index + 1) {
        if node.parent.is_some_and(|p| p < i && marked[p]) {
            marked[i] = true;
        }
    }
    let mut cause = flow.nodes[index].parent;
    while let Some(p) = cause.filter(|&p| p < marked.len() && !marked[p]) {
        marked[p] = true;
        cause = flow.nodes[p].parent;
    }
    marked
}
