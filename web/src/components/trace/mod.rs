//! The saga trace panel: the selected flow drawn as swimlanes in SVG. A lane per row (the
//! user, each saga or process manager, each stream), time flowing left to right, one node
//! per column, and an arrow from each node's cause. Colour and glyph say what a node is;
//! compensations, injected faults and pending commands stand out; nodes after the
//! time-travel cursor are dimmed, nodes that just appeared flash briefly, and hovering
//! (or focusing) a node highlights its lineage: what caused it and what it caused.
//!
//! Keyboard: every node is a button; the flow is one stop of the tab order (the selected
//! node, else the first); Left / Right move to the node before / after it in time, Home /
//! End to the first / last.
//!
//! Selecting: clicking (or Enter / Space on) a fact selects its position through
//! `on_select`; a command selects its first fact the same way, and a command that
//! recorded nothing (pending, or dropped) sends its id through `on_select_command`.

pub mod arrivals;
mod edges;
pub mod fit;
mod header;
mod lanes;
pub mod layout;
mod node;
pub mod scrolling;
pub mod timing;
pub mod tone;

use crate::browser::next_frame::NextFrame;
use crate::browser::resize;
use crate::effect::use_effect_on;
use arrivals::{node_key, Arrivals, NodeKey};
use decider_core::boundary::{FlowNode, FlowView};
use decider_core::Id;
use scrolling::Follow;
use std::collections::HashSet;
use std::rc::Rc;
use web_sys::Element;
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
    /// Replays the session without a flow (its correlation id), as a fork; `None` while
    /// it cannot (a Repeat ×N runs).
    #[prop_or_default]
    pub on_without: Option<Callback<Id>>,
    /// The replay without a flow under way, if any: the flow left out, how much of it is
    /// done and of how much.
    #[prop_or_default]
    pub replaying: Option<(Id, usize, usize)>,
    /// Stops that replay.
    #[prop_or_default]
    pub on_stop_without: Callback<()>,
}

/// The trace panel: header (flow id, counts, legend) and the swimlanes, or an empty state
/// that says how to get a flow.
#[function_component(Trace)]
pub fn trace(props: &TraceProps) -> Html {
    let scroller = use_node_ref();
    let follow = use_mut_ref(Follow::default);
    let shown = use_mut_ref(|| None::<Id>);
    let arrivals = use_mut_ref(Arrivals::default);
    let traced = use_state_eq(|| None::<usize>);
    let fresh = arrivals.borrow_mut().observe(props.flow.as_deref()).clone();
    let flow_id = props.flow.as_ref().map(|f| f.correlation_id);
    let node_count = props.flow.as_ref().map_or(0, |f| f.nodes.len());
    // Fitting the flow to the panel ([`fit`]): the room, watched while there is a flow,
    // and the scale the flow is drawn at (read by the scrolling the effects do). A new
    // room draws the flow again only when it changes the scale (a drag of the panel's
    // edge changes the room at every frame).
    let fitted = use_state(fit::kept);
    let room = use_mut_ref(|| None::<(f64, f64)>);
    let drawing = props
        .flow
        .as_deref()
        .map(|flow| layout::canvas_size(flow.nodes.len().max(1), flow.lanes.len()));
    let scale = fit::drawn_scale(drawing, *fitted, *room.borrow());
    let drawn_at = use_mut_ref(|| 1.0);
    *drawn_at.borrow_mut() = scale;
    let redraw = use_force_update();
    {
        let (scroller, room, drawn_at) = (scroller.clone(), room.clone(), drawn_at.clone());
        let on = *fitted;
        use_effect_on(
            (flow_id.is_some(), drawing, on),
            move |&(_, drawing, on)| {
                let watched = scroller.cast::<Element>().and_then(|el| {
                    let target = el.clone();
                    resize::watch(&el, move || {
                        let measured = fit::room(&target);
                        *room.borrow_mut() = Some(measured);
                        let scale = fit::drawn_scale(drawing, on, Some(measured));
                        if scale != *drawn_at.borrow() {
                            redraw.force_update();
                        }
                    })
                });
                move || drop(watched)
            },
        );
    }
    let on_fit = {
        let fitted = fitted.clone();
        Callback::from(move |_: MouseEvent| {
            fit::keep(!*fitted);
            fitted.set(!*fitted);
        })
    };

    // Scrolling to a node reads the layout: in the next frame ([`NextFrame`]).
    let next_frame = (*use_memo((), |_| NextFrame::default())).clone();
    {
        // A new node while following the newest one (or another flow): show the newest.
        let (flow, scroller, follow) = (props.flow.clone(), scroller.clone(), follow.clone());
        let (next_frame, drawn_at) = (next_frame.clone(), drawn_at.clone());
        use_effect_on((flow_id, node_count), move |(id, _)| {
            if *shown.borrow() != *id {
                *shown.borrow_mut() = *id;
                follow.borrow_mut().restart();
            }
            next_frame.run(move || {
                let mut follow = follow.borrow_mut();
                let newest = flow.as_ref().and_then(|f| f.nodes.last());
                if let (true, Some(node), Some(el)) = (follow.is_on(), newest, scroller.cast()) {
                    let at = (node.column, node.lane);
                    scrolling::reveal_cell(&el, at, *drawn_at.borrow(), &mut follow);
                }
            });
        });
    }
    {
        // Another selection (or another flow): show the selected node.
        let (flow, scroller, follow) = (props.flow.clone(), scroller.clone(), follow.clone());
        use_effect_on((flow_id, props.selected), move |&(_, selected)| {
            next_frame.run(move || {
                let nodes = flow.as_ref().map(|f| f.nodes.as_slice()).unwrap_or(&[]);
                let node = nodes
                    .iter()
                    .find(|n| n.position.is_some() && n.position == selected);
                if let (Some(node), Some(el)) = (node, scroller.cast()) {
                    let (at, scale) = ((node.column, node.lane), *drawn_at.borrow());
                    scrolling::reveal_cell(&el, at, scale, &mut follow.borrow_mut());
                }
            });
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

    let Some(flow_rc) = props.flow.as_ref() else {
        return html! {
            <section class="trace" aria-label="Saga trace">
                <header class="trace-head">
                    <h2 class="trace-title">{"Trace"}</h2>
                    {header::fit_toggle(*fitted, 1.0, on_fit)}
                    {header::legend()}
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
    let flow: &FlowView = flow_rc;
    let named = match *traced {
        Some(index) => flow.nodes.get(index),
        None => flow
            .nodes
            .iter()
            .find(|n| n.position.is_some() && n.position == props.selected),
    };
    // In the past the swimlanes end above the past banner, which lies over the panel's foot.
    html! {
        <section class={classes!("trace", props.cursor.is_some().then_some("trace-past"))} aria-label="Saga trace">
            <header class="trace-head">
                <h2 class="trace-title">{"Trace"}</h2>
                {header::summary(flow)}
                {header::named_node(flow, named)}
                {header::fit_toggle(*fitted, scale, on_fit)}
                {header::mermaid_copy(flow_rc)}
                <header::WithoutButton flow={flow.correlation_id} on_without={props.on_without.clone()}
                    replaying={props.replaying.and_then(|(id, done, total)| (id == flow.correlation_id).then_some((done, total)))}
                    on_stop={props.on_stop_without.clone()} />
                {header::legend()}
            </header>
            <div class="trace-scroll" ref={scroller} {onscroll}>
                {swimlanes(props, flow, &fresh, &traced, scale)}
            </div>
        </section>
    }
}

/// The lane labels (sticky on the left) beside the drawing: lane bands, arrows, the
/// cursor's line and the nodes; the lineage of the hovered node (`traced`) stands out.
/// The drawing keeps its own units and is shown at `scale` ([`fit`]).
fn swimlanes(
    props: &TraceProps,
    flow: &FlowView,
    fresh: &HashSet<NodeKey>,
    traced: &UseStateHandle<Option<usize>>,
    scale: f64,
) -> Html {
    let (width, height) = layout::canvas_size(flow.nodes.len().max(1), flow.lanes.len());
    let (shown_w, shown_h) = (width * scale, height * scale);
    let first = timing::first_facts(flow);
    let after = timing::after_cursor(flow, &first, props.cursor);
    let lineage = match **traced {
        Some(index) => timing::lineage(flow, index),
        None => vec![false; flow.nodes.len()],
    };
    let on_trace = {
        let traced = traced.clone();
        Callback::from(move |index| traced.set(index))
    };
    let id = flow.correlation_id.to_string();
    let is_selected = |node: &FlowNode| node.position.is_some() && node.position == props.selected;
    let tab_stop = flow.nodes.iter().position(is_selected).unwrap_or(0);
    html! {
        <div class="trace-canvas" style={format!("--drawing-h: {shown_h}px; --lane-h: {}px", layout::LANE_H * scale)}>
            <div class="trace-lanes">
                { for flow.lanes.iter().map(|lane| lanes::lane_label(lane, scale)) }
            </div>
            <svg data-testid="trace" class={classes!("trace-svg", traced.is_some().then_some("trace-tracing"))} role="group"
                aria-label={format!("Swimlanes of flow {id}")}
                width={shown_w.to_string()} height={shown_h.to_string()}
                viewBox={format!("0 0 {width} {height}")}>
                {edges::markers()}
                {lanes::bands(flow, width)}
                <g class="trace-edges" aria-hidden="true">
                    { for flow.nodes.iter().enumerate().map(|(i, node)| edges::edge(flow, node, after[i], lineage[i])) }
                </g>
                if let (Some(cursor), Some(column)) = (props.cursor, after.iter().position(|a| *a)) {
                    {edges::cursor_line(cursor, column, height)}
                }
                <g class="trace-nodes">
                    { for flow.nodes.iter().enumerate().map(|(i, node)| {
                        let state = node::NodeState {
                            selected: is_selected(node),
                            after: after[i],
                            fresh: fresh.contains(&node_key(node)),
                            pick: timing::pick(flow, &first, i),
                            traced: lineage[i],
                            on_trace: on_trace.clone(),
                            tab_stop: i == tab_stop,
                        };
                        node::node_view(props, flow, node, state)
                    }) }
                </g>
            </svg>
        </div>
    }
}
