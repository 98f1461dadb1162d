//! The saga trace panel: the selected flow drawn as swimlanes in SVG. A lane per row (the
//! user, each saga or process manager, each stream), time flowing left to right, one node
//! per column, and an arrow from each node's cause. Colour and glyph say what a node is;
//! compensations, injected faults and pending commands stand out; nodes after the
//! time-travel cursor are dimmed, and nodes that just appeared flash briefly.
//!
//! Keyboard: every node is a button (Tab reaches it); Left / Right move to the node
//! before / after it in time, Home / End to the first / last.
//!
//! Selecting: clicking (or Enter / Space on) a fact selects its position through
//! `on_select`; a command selects its first fact the same way, and a command that
//! recorded nothing (pending, or dropped) sends its id through `on_select_command`.

pub mod arrivals;
pub mod layout;
pub mod scrolling;
pub mod text;
pub mod timing;
pub mod tone;

use arrivals::{node_key, Arrivals, NodeKey};
use decider_core::boundary::{FlowNode, FlowView, Lane, LaneKind, NodeKind};
use decider_core::Id;
use layout::{LABEL_W, LANE_H, NODE_H, NODE_W};
use scrolling::Follow;
use std::collections::HashSet;
use std::rc::Rc;
use timing::Pick;
use tone::{Counts, Tone};
use wasm_bindgen::JsCast;
use web_sys::{Element, SvgElement};
use yew::prelude::*;

/// What the lead's session gives the trace panel.
#[derive(Properties, PartialEq)]
pub struct TraceProps {
    /// The selected flow laid out, or `None`.
    pub flow: Option<Rc<FlowView>>,
    /// The selected fact's position (to highlight its node).
    pub selected: Option<u64>,
    /// The time-travel cursor (`None`: live): nodes at positions `>= cursor` are dimmed.
    pub cursor: Option<u64>,
    /// A node was chosen: a fact's position, or for a command its first fact's position.
    pub on_select: Callback<u64>,
    /// A command that recorded nothing (pending, or dropped) was chosen: its id.
    #[prop_or_default]
    pub on_select_command: Callback<Id>,
}

/// The longest lane name shown whole beside its kind's tag (sagas); longer ones are
/// shortened in the middle.
const TAGGED_LANE_CHARS: usize = 14;
/// The longest lane name shown whole without a tag (the user, streams).
const LANE_NAME_CHARS: usize = 19;
/// The longest message name shown whole in a node.
const NODE_NAME_CHARS: usize = 13;
/// The longest failure note shown whole under a node.
const FAILURE_CHARS: usize = 20;

/// The trace panel: header (flow id, counts, legend) and the swimlanes, or an empty state
/// that says how to get a flow.
#[function_component(Trace)]
pub fn trace(props: &TraceProps) -> Html {
    let scroller = use_node_ref();
    let follow = use_mut_ref(Follow::default);
    let shown = use_mut_ref(|| None::<Id>);
    let arrivals = use_mut_ref(Arrivals::default);
    let fresh = arrivals.borrow_mut().observe(props.flow.as_deref()).clone();
    let flow_id = props.flow.as_ref().map(|f| f.correlation_id);
    let node_count = props.flow.as_ref().map_or(0, |f| f.nodes.len());

    {
        // A new node while following the newest one (or another flow): show the newest.
        let (flow, scroller, follow) = (props.flow.clone(), scroller.clone(), follow.clone());
        use_effect_with((flow_id, node_count), move |(id, _)| {
            let mut follow = follow.borrow_mut();
            if *shown.borrow() != *id {
                *shown.borrow_mut() = *id;
                follow.restart();
            }
            let newest = flow.as_ref().and_then(|f| f.nodes.last());
            if let (true, Some(node), Some(el)) = (follow.is_on(), newest, scroller.cast()) {
                scrolling::reveal_cell(&el, node.column, node.lane, &mut follow);
            }
        });
    }
    {
        // Another selection (or another flow): show the selected node.
        let (flow, scroller, follow) = (props.flow.clone(), scroller.clone(), follow.clone());
        use_effect_with((flow_id, props.selected), move |(_, selected)| {
            let nodes = flow.as_ref().map(|f| f.nodes.as_slice()).unwrap_or(&[]);
            let node = nodes
                .iter()
                .find(|n| n.position.is_some() && n.position == *selected);
            if let (Some(node), Some(el)) = (node, scroller.cast()) {
                scrolling::reveal_cell(&el, node.column, node.lane, &mut follow.borrow_mut());
            }
        });
    }
    let onscroll = {
        let scroller = scroller.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<Element>() {
                let (left, view, width) = (el.scroll_left(), el.client_width(), el.scroll_width());
                follow.borrow_mut().scrolled(left, view, width);
            }
        })
    };

    let Some(flow) = props.flow.as_deref() else {
        return html! {
            <section class="trace" aria-label="Saga trace">
                <header class="trace-head">
                    <h2 class="trace-title">{"Trace"}</h2>
                    {legend()}
                </header>
                <div class="trace-empty" data-testid="trace-empty">
                    <p class="trace-empty-lead">
                        {"Select a fact in the log (or submit a command) to see its flow as swimlanes"}
                    </p>
                    <p class="trace-empty-hint">
                        {"Each row is the user, a saga or a stream; time flows left to right, \
                          and arrows go from each message to what it caused."}
                    </p>
                </div>
            </section>
        };
    };
    html! {
        <section class="trace" aria-label="Saga trace">
            <header class="trace-head">
                <h2 class="trace-title">{"Trace"}</h2>
                {summary(flow)}
                {legend()}
            </header>
            <div class="trace-scroll" ref={scroller} {onscroll}>
                {swimlanes(props, flow, &fresh)}
            </div>
        </section>
    }
}

/// The flow's id (shortened, full on hover) and its counts.
fn summary(flow: &FlowView) -> Html {
    let id = flow.correlation_id.to_string();
    let counts = Counts::of(flow);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    html! {
        <div class="trace-summary">
            <span class="trace-flow">
                {"flow "}
                <code class="mono" title={id.clone()}>{text::shorten_middle(&id, 9)}</code>
            </span>
            <span class="trace-counts">
                <span>{plural(counts.commands, "command")}</span>
                <span>{plural(counts.events, "event")}</span>
                <span>{plural(counts.rejections, "rejection")}</span>
                <span>{plural(counts.compensations, "compensation")}</span>
                if counts.pending > 0 {
                    <span>{format!("{} pending", counts.pending)}</span>
                }
            </span>
        </div>
    }
}

/// Glyph, colour and word of each tone.
fn legend() -> Html {
    html! {
        <ul class="trace-legend" aria-label="Legend">
            { for Tone::ALL.iter().map(|tone| html! {
                <li class={classes!("kind", format!("kind-{}", tone.word()))}>
                    <span aria-hidden="true">{tone.glyph()}</span>
                    {tone.word()}
                </li>
            }) }
        </ul>
    }
}

/// The lane labels (sticky on the left) beside the drawing.
fn swimlanes(props: &TraceProps, flow: &FlowView, fresh: &HashSet<NodeKey>) -> Html {
    let (width, height) = layout::canvas_size(flow.nodes.len().max(1), flow.lanes.len());
    let first = timing::first_facts(flow);
    let after = timing::after_cursor(flow, &first, props.cursor);
    let id = flow.correlation_id.to_string();
    html! {
        <div class="trace-canvas" style={format!("width: {}px", LABEL_W + width)}>
            <div class="trace-lanes" style={format!("width: {LABEL_W}px")}>
                { for flow.lanes.iter().map(lane_label) }
            </div>
            <svg data-testid="trace" class="trace-svg" role="group"
                aria-label={format!("Swimlanes of flow {id}")}
                width={width.to_string()} height={height.to_string()}
                viewBox={format!("0 0 {width} {height}")}>
                {markers()}
                <g class="trace-bands" aria-hidden="true">
                    { for flow.lanes.iter().enumerate().map(|(i, lane)| html! {
                        <rect class={classes!("trace-band", format!("trace-band-{}", lane_word(lane.kind)))}
                            x="0" y={layout::lane_top(i).to_string()}
                            width={width.to_string()} height={LANE_H.to_string()} />
                    }) }
                </g>
                <g class="trace-edges" aria-hidden="true">
                    { for flow.nodes.iter().enumerate().map(|(i, node)| edge(flow, node, after[i])) }
                </g>
                if let (Some(cursor), Some(column)) = (props.cursor, after.iter().position(|a| *a)) {
                    {cursor_line(cursor, column, height)}
                }
                <g class="trace-nodes">
                    { for flow.nodes.iter().enumerate().map(|(i, node)| {
                        let state = NodeState {
                            selected: node.position.is_some() && node.position == props.selected,
                            after: after[i],
                            fresh: fresh.contains(&node_key(node)),
                            pick: timing::pick(flow, &first, i),
                        };
                        node_view(props, flow, node, state)
                    }) }
                </g>
            </svg>
        </div>
    }
}

/// The time-travel cursor: a line before the first node that lies after it.
fn cursor_line(cursor: u64, column: usize, height: f64) -> Html {
    let ((x, _), _) = layout::cell_spans(column, 0);
    html! {
        <line class="trace-cursor" data-testid="trace-cursor" x1={x.to_string()} x2={x.to_string()}
            y1="0" y2={height.to_string()} stroke-dasharray="3 3">
            <title>{format!("Time-travel cursor: the log is shown up to position {cursor}")}</title>
        </line>
    }
}

/// A lane's kind in one word.
fn lane_word(kind: LaneKind) -> &'static str {
    match kind {
        LaneKind::User => "user",
        LaneKind::Reactor => "saga",
        LaneKind::Stream => "stream",
    }
}

/// One lane's label: its name (shortened, full on hover), tagged `saga` for a saga or
/// process manager; the user's lane is named `user`, and streams are the rest.
fn lane_label(lane: &Lane) -> Html {
    let word = lane_word(lane.kind);
    let tagged = lane.kind == LaneKind::Reactor;
    let max = if tagged {
        TAGGED_LANE_CHARS
    } else {
        LANE_NAME_CHARS
    };
    html! {
        <div class={classes!("trace-lane", format!("trace-lane-{word}"))} data-testid="trace-lane"
            data-lane-kind={word} title={format!("{word}: {}", lane.name)}
            style={format!("height: {LANE_H}px")}>
            if tagged {
                <span class="trace-lane-kind">{word}</span>
            }
            <span class="trace-lane-name mono">{text::shorten_middle(&lane.name, max)}</span>
        </div>
    }
}

/// The arrowheads, one per colour of arrow.
fn markers() -> Html {
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

/// The arrow from `node`'s cause into it, if it has one.
fn edge(flow: &FlowView, node: &FlowNode, after: bool) -> Html {
    let Some(parent) = node.parent.and_then(|p| flow.nodes.get(p)) else {
        return Html::default();
    };
    let variant = if node.pending {
        "pending"
    } else if node.kind == NodeKind::Command && node.compensation {
        "compensation"
    } else {
        "plain"
    };
    let d = layout::edge_path((parent.column, parent.lane), (node.column, node.lane));
    html! {
        <path class={classes!("trace-edge", format!("trace-edge-{variant}"), after.then_some("trace-after"))}
            data-compensation={(variant == "compensation").to_string()}
            {d} fill="none" marker-end={format!("url(#trace-arrow-{variant})")}
            stroke-dasharray={(variant != "plain").then_some("5 3")} />
    }
}

/// How a node is drawn beyond what it is.
struct NodeState {
    selected: bool,
    after: bool,
    fresh: bool,
    pick: Option<Pick>,
}

/// One node: a rounded box with its glyph and short name, its failure under it, its full
/// message on hover; focusable, and selectable by click, Enter or Space.
fn node_view(props: &TraceProps, flow: &FlowView, node: &FlowNode, state: NodeState) -> Html {
    let tone = Tone::of(node);
    let lane = flow.lanes.get(node.lane).map_or("", |l| l.name.as_str());
    let short = tone::short_name(&node.name);
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
    );
    let (kind, id) = (node.kind.as_str(), node.command_id);
    let key = format!("{kind}-{id}-{:?}", node.position);
    html! {
        <g {key} {class} data-testid="trace-node" data-kind={kind}
            data-compensation={node.compensation.to_string()}
            data-injected={node.injected.to_string()}
            data-pending={node.pending.to_string()}
            data-position={node.position.map(|p| p.to_string())}
            data-column={node.column.to_string()}
            transform={format!("translate({x} {y})")}
            tabindex="0" role="button" aria-label={aria_label(node, tone, lane)}
            aria-pressed={state.selected.to_string()}
            {onclick} {onkeydown}>
            <title>{tooltip(node, tone, lane)}</title>
            <rect class="trace-box" width={NODE_W.to_string()} height={NODE_H.to_string()}
                rx="5" ry="5" stroke-dasharray={node.pending.then_some("4 3")} />
            // A nested <svg> clips the label to the box, whatever the font.
            <svg class="trace-clip" width={(NODE_W - 4.0).to_string()} height={NODE_H.to_string()}>
                <text class="trace-label" x="6" y="16">
                    <tspan class="trace-glyph">{tone.glyph()}</tspan>
                    {" "}{text::shorten_end(short, NODE_NAME_CHARS)}
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
fn focus_column(from: &Element, column: usize) {
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
fn aria_label(node: &FlowNode, tone: Tone, lane: &str) -> String {
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
fn tooltip(node: &FlowNode, tone: Tone, lane: &str) -> String {
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
