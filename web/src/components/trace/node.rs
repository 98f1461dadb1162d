//! One node of the swimlanes: its box, glyph, name and failure, its tooltip and screen
//! reader label, and its selection by mouse and keyboard.

use super::layout::{self, NODE_H, NODE_W};
use super::timing::Pick;
use super::tone::{self, Tone};
use super::TraceProps;
use crate::widgets::text;
use decider_core::boundary::{FlowNode, FlowView};
use wasm_bindgen::JsCast;
use web_sys::{Element, SvgElement};
use yew::prelude::*;

/// The longest message name drawn at its natural width in a node.
const NODE_NAME_CHARS: usize = 13;
/// The longest message name shown whole: from `NODE_NAME_CHARS` up to this, the label is
/// squeezed into the box (SVG `textLength`); a longer name is cut, then squeezed.
const SQUEEZED_NAME_CHARS: usize = 18;
/// The width a squeezed label (glyph, space and name) is drawn to: the box less the
/// label's inset on either side.
const SQUEEZED_LABEL_W: f64 = NODE_W - 14.0;
/// The longest failure note shown whole under a node.
const FAILURE_CHARS: usize = 20;

/// How a node is drawn beyond what it is.
pub(super) struct NodeState {
    /// It is the selected fact.
    pub(super) selected: bool,
    /// It lies after the time-travel cursor.
    pub(super) after: bool,
    /// It just appeared.
    pub(super) fresh: bool,
    /// What choosing it selects.
    pub(super) pick: Option<Pick>,
    /// It is in the lineage of the hovered (or focused) node.
    pub(super) traced: bool,
    /// Hovering or focusing it (`Some` of its column) or leaving it (`None`).
    pub(super) on_trace: Callback<Option<usize>>,
    /// It is the flow's one stop in the page's tab order (the selected node, else the
    /// first): Tab crosses a flow of any length in one stop, the arrow keys move inside it.
    pub(super) tab_stop: bool,
}

/// One node: a rounded box with its glyph and short name, its failure under it, its full
/// message on hover; focusable, and selectable by click, Enter or Space.
pub(super) fn node_view(
    props: &TraceProps,
    flow: &FlowView,
    node: &FlowNode,
    state: NodeState,
) -> Html {
    let tone = Tone::of(node);
    let lane = flow.lanes.get(node.lane).map_or("", |l| l.name.as_str());
    let short = tone::short_name(&node.name);
    let squeezed = short.chars().count() > NODE_NAME_CHARS;
    let (x, y) = layout::node_origin(node.column, node.lane);
    let activate = {
        let (on_fact, on_command) = (props.on_select.clone(), props.on_select_command.clone());
        let pick = state.pick;
        Callback::from(move |()| match pick {
            Some(Pick::Fact(position)) => on_fact.emit(position),
            Some(Pick::Command(id)) => on_command.emit(id),
            None => {}
        })
    };
    let onclick = activate.reform(|_: MouseEvent| ());
    let (column, last) = (node.column, flow.nodes.len().saturating_sub(1));
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let target = match e.key().as_str() {
            "Enter" | " " => {
                e.prevent_default();
                activate.emit(());
                return;
            }
            "ArrowLeft" => column.checked_sub(1),
            "ArrowRight" => (column < last).then_some(column + 1),
            "Home" => Some(0),
            "End" => Some(last),
            _ => return,
        };
        e.prevent_default();
        if let (Some(column), Some(from)) = (target, e.target_dyn_into::<Element>()) {
            focus_column(&from, column);
        }
    });
    let class = classes!(
        "trace-node",
        format!("trace-node-{}", tone.word()),
        state.selected.then_some("trace-node-selected"),
        state.after.then_some("trace-after"),
        state.fresh.then_some("trace-node-fresh"),
        state.traced.then_some("trace-traced"),
    );
    let enter = state.on_trace.reform(move |()| Some(column));
    let leave = state.on_trace.reform(|()| None);
    let (onmouseenter, onfocus) = (
        enter.reform(|_: MouseEvent| ()),
        enter.reform(|_: FocusEvent| ()),
    );
    let (onmouseleave, onblur) = (
        leave.reform(|_: MouseEvent| ()),
        leave.reform(|_: FocusEvent| ()),
    );
    let kind = node.kind.as_str();
    // Keyed by column: a node drawn where another one was (the next flow of a slider's
    // move) patches that one's attributes and text instead of making its elements again;
    // a flow that grows adds columns at its end.
    let key = node.column;
    html! {
        <g {key} {class} data-testid="trace-node" data-kind={kind}
            data-compensation={node.compensation.to_string()}
            data-injected={node.injected.to_string()}
            data-pending={node.pending.to_string()}
            data-position={node.position.map(|p| p.to_string())}
            data-column={node.column.to_string()}
            transform={format!("translate({x} {y})")}
            tabindex={if state.tab_stop { "0" } else { "-1" }} role="button" aria-label={aria_label(node, tone, lane)}
            aria-pressed={state.selected.to_string()}
            {onclick} {onkeydown} {onmouseenter} {onmouseleave} {onfocus} {onblur}>
            <title>{tooltip(node, tone, lane)}</title>
            <rect class="trace-box" width={NODE_W.to_string()} height={NODE_H.to_string()}
                rx="5" ry="5" stroke-dasharray={node.pending.then_some("4 3")} />
            // A nested <svg> clips the label to the box, whatever the font.
            <svg class="trace-clip" width={(NODE_W - 4.0).to_string()} height={NODE_H.to_string()}>
                <text class="trace-label" x="6" y="16"
                    textLength={squeezed.then(|| SQUEEZED_LABEL_W.to_string())}
                    lengthAdjust={squeezed.then_some("spacingAndGlyphs")}>
                    <tspan class="trace-glyph">{tone.glyph()}</tspan>
                    {" "}{text::shorten_end(short, SQUEEZED_NAME_CHARS)}
                </text>
            </svg>
            if let Some(failure) = &node.failure {
                <text class="trace-failure" x="0" y={layout::failure_baseline().to_string()}>
                    {"⚠ "}{text::shorten_end(failure, FAILURE_CHARS)}
                </text>
            }
        </g>
    }
}

/// Moves the focus from the node `from` to the node in `column` (arrow keys, Home, End).
pub(super) fn focus_column(from: &Element, column: usize) {
    let target = from
        .parent_element()
        .and_then(|nodes| {
            nodes
                .query_selector(&format!("[data-column=\"{column}\"]"))
                .ok()
        })
        .flatten()
        .and_then(|el| el.dyn_into::<SvgElement>().ok());
    if let Some(target) = target {
        // Focusing fails only on a detached node: nothing to move to then.
        let _ = target.focus();
    }
}

/// What a screen reader says: tone, kind, name, lane and position.
pub(super) fn aria_label(node: &FlowNode, tone: Tone, lane: &str) -> String {
    let kind = node.kind.as_str();
    let mut label = if tone.word() == kind {
        kind.to_string()
    } else {
        format!("{} {kind}", tone.word())
    };
    label.push(' ');
    label.push_str(tone::short_name(&node.name));
    match node.position {
        Some(position) => label.push_str(&format!(" in {lane}, position {position}")),
        None => label.push_str(&format!(" from {lane}")),
    }
    if let Some(failure) = &node.failure {
        label.push_str(&format!(", {failure}"));
    }
    label
}

/// The hover text: what the node is, where, and its full message as JSON.
pub(super) fn tooltip(node: &FlowNode, tone: Tone, lane: &str) -> String {
    let place = match node.position {
        Some(position) => format!("stream {lane} · position {position}"),
        None => format!("issued by {lane} · command {}", node.command_id),
    };
    let failure = node
        .failure
        .as_deref()
        .map(|f| format!("\n⚠ {f}"))
        .unwrap_or_default();
    let json = serde_json::to_string_pretty(&node.message).unwrap_or_default();
    format!(
        "{} {} {}\n{place}{failure}\n{json}",
        tone.glyph(),
        tone.word(),
        node.name
    )
}
