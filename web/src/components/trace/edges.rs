//! The causation arrows, their arrowheads, and the time-travel cursor's line.

use super::layout;
use decider_core::boundary::{FlowNode, FlowView, NodeKind};
use yew::prelude::*;

/// The arrowheads, one per colour of arrow.
pub(super) fn markers() -> Html {
    html! {
        <defs>
            { for ["plain", "compensation", "pending"].iter().map(|variant| html! {
                <marker id={format!("trace-arrow-{variant}")} viewBox="0 0 8 8" refX="7" refY="4"
                    markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">
                    <path class={format!("trace-arrowhead trace-arrowhead-{variant}")} d="M0 0 L8 4 L0 8 z" />
                </marker>
            }) }
        </defs>
    }
}

/// The arrow from `node`'s cause into it, if it has one: amber and dashed into a
/// compensating command, grey and dashed into a pending one.
/// `after`: the node lies after the time-travel cursor; `traced`: it is in the lineage of
/// the hovered node.
pub(super) fn edge(flow: &FlowView, node: &FlowNode, after: bool, traced: bool) -> Html {
    let Some(parent) = node.parent.and_then(|p| flow.nodes.get(p)) else {
        return Html::default();
    };
    let compensation = node.kind == NodeKind::Command && node.compensation;
    let variant = if node.pending {
        "pending"
    } else if compensation {
        "compensation"
    } else {
        "plain"
    };
    let d = layout::edge_path((parent.column, parent.lane), (node.column, node.lane));
    html! {
        <path class={classes!("trace-edge", format!("trace-edge-{variant}"), after.then_some("trace-after"), traced.then_some("trace-traced"))}
            data-compensation={compensation.to_string()}
            {d} fill="none" marker-end={format!("url(#trace-arrow-{variant})")}
            stroke-dasharray={(variant != "plain").then_some("5 3")} />
    }
}

/// The time-travel cursor: a line before the first node that lies after it.
pub(super) fn cursor_line(cursor: u64, column: usize, height: f64) -> Html {
    let ((x, _), _) = layout::cell_spans(column, 0);
    html! {
        <line class="trace-cursor" data-testid="trace-cursor" x1={x.to_string()} x2={x.to_string()}
            y1="0" y2={height.to_string()} stroke-dasharray="3 3">
            <title>{format!("Time-travel cursor: the log is shown up to position {cursor}")}</title>
        </line>
    }
}
