//! The trace panel, mounted in headless Chromium over flows built by the real restaurant
//! domain (and one synthetic flow of 200 nodes), plus its pure geometry and bookkeeping.
#![cfg(target_arch = "wasm32")]

use decider_core::boundary::{FlowNode, FlowView, Lane, LaneKind, NodeKind};
use decider_core::{DynEngine, EngineConfig, Id};
use decider_web::components::trace::arrivals::Arrivals;
use decider_web::components::trace::fit;
use decider_web::components::trace::layout::{self, COLUMN_W, LANE_H};
use decider_web::components::trace::scrolling::Follow;
use decider_web::components::trace::timing::{self, Pick};
use decider_web::components::trace::tone::{short_name, Counts, Tone};
use decider_web::components::trace::{Trace, TraceProps};
use decider_web::widgets::text::{shorten_end, shorten_middle};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, MouseEvent};
use yew::{AppHandle, Callback};

wasm_bindgen_test_configure!(run_in_browser);

const SCENARIO: &str = include_str!("../../tests/scenarios/restaurant/rejected-not-on-menu.json");

/// The restaurant engine with the scenario's set-up commands run; returns the engine and
/// the scenario's last command (the order), not yet submitted.
fn restaurant() -> (Box<dyn DynEngine>, Value) {
    let scenario: Value = serde_json::from_str(SCENARIO).unwrap();
    let domain = decider_domains::find("restaurant").unwrap();
    let mut engine = domain.start(EngineConfig::default());
    let steps = scenario["steps"].as_array().unwrap();
    let (order, setup) = steps.split_last().unwrap();
    for step in setup {
        engine.submit(&step["command"]).unwrap();
        engine.run_until_idle(1000);
    }
    (engine, order["command"].clone())
}

/// The scenario's order flow, run to the end: rejected by the restaurant, compensated.
fn compensated_flow() -> Rc<FlowView> {
    let (mut engine, order) = restaurant();
    let correlation = engine.submit(&order).unwrap();
    engine.run_until_idle(1000);
    Rc::new(engine.flow(correlation).unwrap())
}

/// What the panel emitted.
#[derive(Clone, Default)]
struct Emitted {
    facts: Rc<RefCell<Vec<u64>>>,
    commands: Rc<RefCell<Vec<Id>>>,
    without: Rc<RefCell<Vec<Id>>>,
    stops: Rc<RefCell<usize>>,
}

impl Emitted {
    fn props(
        &self,
        flow: Option<Rc<FlowView>>,
        selected: Option<u64>,
        cursor: Option<u64>,
    ) -> TraceProps {
        let (facts, commands, without, stops) = (
            self.facts.clone(),
            self.commands.clone(),
            self.without.clone(),
            self.stops.clone(),
        );
        TraceProps {
            flow,
            selected,
            cursor,
            on_select: Callback::from(move |p| facts.borrow_mut().push(p)),
            on_select_command: Callback::from(move |id| commands.borrow_mut().push(id)),
            on_without: Some(Callback::from(move |id| without.borrow_mut().push(id))),
            replaying: None,
            on_stop_without: Callback::from(move |()| *stops.borrow_mut() += 1),
        }
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Loads the theme and the panel's stylesheet once, as the page does.
fn styles() {
    let document = document();
    if document.get_element_by_id("trace-test-styles").is_some() {
        return;
    }
    let style = document.create_element("style").unwrap();
    style.set_id("trace-test-styles");
    let css = [
        include_str!("../styles/theme.css"),
        include_str!("../styles/layout.css"),
        include_str!("../styles/trace.css"),
    ];
    style.set_text_content(Some(&css.concat()));
    document.head().unwrap().append_child(&style).unwrap();
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

/// Waits (up to 3 s) until `done`: Yew renders and runs effects in slices of ~16 ms, so a
/// large flow takes several slices in a debug build.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..150 {
        if done() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting until {what}");
}

/// The scroll container of the swimlanes, once `nodes` nodes are drawn and it has
/// scrolled to the newest.
async fn followed(root: &Element, nodes: usize) -> Element {
    until(&format!("{nodes} nodes are drawn"), || {
        all(root, "[data-testid=trace-node]").len() == nodes
    })
    .await;
    let scroller = root.query_selector(".trace-scroll").unwrap().unwrap();
    until("the newest node is in view", || at_end(&scroller)).await;
    scroller
}

fn at_end(scroller: &Element) -> bool {
    scroller.scroll_left() + scroller.client_width() >= scroller.scroll_width() - 1
}

/// Mounts the panel in a 640×260 cell, like a grid cell of the page.
async fn mount(props: TraceProps) -> (Element, AppHandle<Trace>) {
    styles();
    let document = document();
    let cell = document.create_element("div").unwrap();
    cell.set_attribute(
        "style",
        "width: 640px; height: 260px; display: flex; flex-direction: column",
    )
    .unwrap();
    document.body().unwrap().append_child(&cell).unwrap();
    let handle = yew::Renderer::<Trace>::with_root_and_props(cell.clone(), props).render();
    // The component renders in one piece: once its section is there, all of it is.
    until("the panel is drawn", || {
        cell.query_selector(".trace").ok().flatten().is_some()
    })
    .await;
    (cell, handle)
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.get(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

/// The node drawn for the flow node named `name` (variant path), by its tooltip.
fn node_named(root: &Element, name: &str) -> Element {
    all(root, "[data-testid=trace-node]")
        .into_iter()
        .find(|g| {
            let title = g.query_selector("title").unwrap().unwrap();
            let first_line = title.text_content().unwrap_or_default();
            first_line
                .lines()
                .next()
                .unwrap_or("")
                .ends_with(&format!(" {name}"))
        })
        .unwrap_or_else(|| panic!("no node named {name}"))
}

fn has_class(el: &Element, class: &str) -> bool {
    attr(el, "class").split_whitespace().any(|c| c == class)
}

fn click(el: &Element) {
    let event = MouseEvent::new("click").unwrap();
    event.init_mouse_event_with_can_bubble_arg("click", true);
    el.dispatch_event(&event).unwrap();
}

fn press(el: &Element, key: &str) {
    // `new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })`.
    let init = js_sys::Object::new();
    for (name, value) in [
        ("key", JsValue::from_str(key)),
        ("bubbles", JsValue::TRUE),
        ("cancelable", JsValue::TRUE),
    ] {
        js_sys::Reflect::set(&init, &name.into(), &value).unwrap();
    }
    let window = web_sys::window().unwrap();
    let constructor = js_sys::Reflect::get(&window, &"KeyboardEvent".into()).unwrap();
    let args = js_sys::Array::of2(&"keydown".into(), &init);
    let event =
        js_sys::Reflect::construct(constructor.unchecked_ref::<js_sys::Function>(), &args).unwrap();
    el.dispatch_event(event.unchecked_ref()).unwrap();
}

#[wasm_bindgen_test]
async fn without_a_flow_the_panel_teaches_how_to_get_one() {
    let (root, _handle) = mount(Emitted::default().props(None, None, None)).await;
    let empty = root
        .query_selector("[data-testid=trace-empty]")
        .unwrap()
        .unwrap();
    assert!(empty
        .text_content()
        .unwrap()
        .contains("Select a fact in the log (or submit a command) to see its flow as swimlanes"));
    assert!(root
        .query_selector("[data-testid=trace]")
        .unwrap()
        .is_none());
    let legend = root
        .query_selector(".trace-legend")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    for word in [
        "command",
        "compensation",
        "event",
        "rejection",
        "injected",
        "pending",
    ] {
        assert!(legend.contains(word), "{legend}");
    }
}

#[wasm_bindgen_test]
async fn a_rejected_order_is_drawn_in_one_lane_per_stream_and_saga_with_its_compensations() {
    let flow = compensated_flow();
    let (root, _handle) = mount(Emitted::default().props(Some(flow.clone()), None, None)).await;

    let svg = root
        .query_selector("svg[data-testid=trace]")
        .unwrap()
        .unwrap();
    assert_eq!(svg.tag_name().to_lowercase(), "svg");
    let labels: Vec<String> = all(&root, "[data-testid=trace-lane]")
        .iter()
        .map(|l| l.text_content().unwrap())
        .collect();
    assert_eq!(labels.len(), flow.lanes.len());
    for (label, lane) in labels.iter().zip(&flow.lanes) {
        assert!(label.ends_with(&lane.name), "{label} for {}", lane.name);
    }
    for stream in ["user", "order-o2", "payment-pay-o2", "restaurant-luigi"] {
        assert!(
            labels.iter().any(|l| l.ends_with(stream)),
            "{stream} in {labels:?}"
        );
    }

    let nodes = all(&root, "[data-testid=trace-node]");
    assert_eq!(nodes.len(), flow.nodes.len());
    let rejection = node_named(&root, "restaurant.not_on_menu");
    assert_eq!(attr(&rejection, "data-kind"), "rejection");
    assert_eq!(attr(&rejection, "data-compensation"), "false");
    assert!(rejection.text_content().unwrap().contains("✘ not_on_menu"));
    for compensation in ["payment.refund_payment", "order.cancel_order"] {
        let node = node_named(&root, compensation);
        assert_eq!(attr(&node, "data-kind"), "command", "{compensation}");
        assert_eq!(attr(&node, "data-compensation"), "true", "{compensation}");
        assert!(node.text_content().unwrap().contains('↩'), "{compensation}");
    }
    let take = node_named(&root, "payment.take_payment");
    assert_eq!(attr(&take, "data-compensation"), "false");
    assert!(take.text_content().unwrap().contains("▶ take_payment"));
    let compensating_arrows = all(&root, "path.trace-edge[data-compensation=true]");
    assert_eq!(compensating_arrows.len(), 2);
    assert_eq!(attr(&compensating_arrows[0], "stroke-dasharray"), "5 3");
    // One arrow per node with a cause, each ending in an arrowhead.
    let arrows = all(&root, "path.trace-edge");
    assert_eq!(
        arrows.len(),
        flow.nodes.iter().filter(|n| n.parent.is_some()).count()
    );
    assert!(arrows
        .iter()
        .all(|a| attr(a, "marker-end").starts_with("url(#trace-arrow-")));

    let header = root
        .query_selector(".trace-summary")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    let commands = flow
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Command)
        .count();
    assert!(header.contains(&format!("{commands} commands")), "{header}");
    assert!(
        header.contains("1 rejection") && header.contains("2 compensations"),
        "{header}"
    );
}

#[wasm_bindgen_test]
async fn without_it_asks_for_the_flow_replayed_without_its_command_and_waits_while_it_cannot() {
    let flow = compensated_flow();
    let emitted = Emitted::default();
    let (root, mut handle) = mount(emitted.props(Some(flow.clone()), None, None)).await;
    let button: web_sys::HtmlButtonElement = root
        .query_selector("[data-testid=trace-without]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(!button.disabled());
    button.click();
    // Drawn before the replay starts (the replay waits for a task of its own).
    yew::scheduler::flush().await;
    assert_eq!(button.text_content().unwrap(), "◌ replaying…");
    assert!(button.disabled(), "pressed once");
    settle().await;
    assert_eq!(*emitted.without.borrow(), [flow.correlation_id]);
    assert_eq!(button.text_content().unwrap(), "⊘ without it");
    let busy = TraceProps {
        on_without: None,
        ..emitted.props(Some(flow.clone()), None, None)
    };
    handle.update(busy);
    settle().await;
    assert!(button.disabled());
    assert!(button.title().contains("Repeat"), "{}", button.title());

    // While the session is replayed without this flow: how far it is, and a click stops it.
    let replaying = TraceProps {
        replaying: Some((flow.correlation_id, 4_000, 9_999)),
        ..emitted.props(Some(flow.clone()), None, None)
    };
    handle.update(replaying);
    settle().await;
    assert_eq!(button.text_content().unwrap(), "◌ replaying… 40 %");
    assert_eq!(
        button.title(),
        "Replaying the session without this flow: 40 %. Click (or Esc) to stop."
    );
    assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("true"));
    assert!(!button.disabled());
    button.click();
    settle().await;
    assert_eq!(*emitted.stops.borrow(), 1);
    assert_eq!(
        *emitted.without.borrow(),
        [flow.correlation_id],
        "no second replay"
    );

    // Another flow's replay: this flow's button offers its own.
    let other = TraceProps {
        replaying: Some((Id(1), 1, 2)),
        ..emitted.props(Some(flow), None, None)
    };
    handle.update(other);
    settle().await;
    assert_eq!(button.text_content().unwrap(), "⊘ without it");
    assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn a_name_longer_than_its_box_is_squeezed_into_it_whole() {
    let flow = compensated_flow();
    let (root, _handle) = mount(Emitted::default().props(Some(flow), None, None)).await;
    let label = |name: &str| {
        let node = node_named(&root, name);
        let text = node.query_selector("text.trace-label").unwrap().unwrap();
        let frame = node.query_selector("rect.trace-box").unwrap().unwrap();
        (text, frame)
    };
    // A short name keeps its natural width.
    let (take, _) = label("payment.take_payment");
    assert_eq!(attr(&take, "textLength"), "");
    assert!(take.text_content().unwrap().ends_with(" take_payment"));
    // A longer one is shown whole, drawn inside its box.
    for (name, short) in [
        ("payment.payment_refunded", "payment_refunded"),
        ("order.order_cancelled", "order_cancelled"),
        ("payment.refund_payment", "refund_payment"),
    ] {
        let (text, frame) = label(name);
        assert!(
            text.text_content().unwrap().ends_with(&format!(" {short}")),
            "{name}"
        );
        assert_eq!(attr(&text, "lengthAdjust"), "spacingAndGlyphs", "{name}");
        let (text, frame) = (
            text.get_bounding_client_rect(),
            frame.get_bounding_client_rect(),
        );
        assert!(
            text.right() <= frame.right() - 2.0,
            "{name}: {} > {}",
            text.right(),
            frame.right()
        );
    }
    assert_eq!(
        shorten_end("kitchen_ticket_cancelled", 18),
        "kitchen_ticket_ca…"
    );
}

#[wasm_bindgen_test]
async fn clicking_or_pressing_enter_on_a_node_selects_its_fact() {
    let flow = compensated_flow();
    let emitted = Emitted::default();
    let (root, _handle) = mount(emitted.props(Some(flow.clone()), None, None)).await;

    let placed = node_named(&root, "order.order_placed");
    let position: u64 = attr(&placed, "data-position").parse().unwrap();
    // Every node is a button; the flow is one stop of the tab order: with nothing
    // selected, its first node (the arrow keys move from there).
    assert_eq!(attr(&placed, "tabindex"), "-1");
    assert_eq!(attr(&placed, "role"), "button");
    let stops: Vec<String> = all(&root, "[data-testid=trace-node][tabindex='0']")
        .iter()
        .map(|n| attr(n, "data-column"))
        .collect();
    assert_eq!(stops, ["0"], "one tab stop, the first node");
    let label = attr(&placed, "aria-label");
    assert!(label.contains("event order_placed in order-o2"), "{label}");
    click(&placed);
    settle().await;
    assert_eq!(*emitted.facts.borrow(), [position]);

    // A command selects its first fact: placing the order recorded `order_placed`.
    let place = node_named(&root, "order.place_order");
    assert_eq!(
        attr(&place, "data-position"),
        "",
        "commands have no position"
    );
    press(&place, "Enter");
    settle().await;
    assert_eq!(*emitted.facts.borrow(), [position, position]);
    press(&place, "a");
    settle().await;
    assert_eq!(emitted.facts.borrow().len(), 2, "other keys do nothing");
    assert!(emitted.commands.borrow().is_empty());

    // Arrows move through time, Home and End to the ends.
    let focused = || {
        let active = document().active_element().unwrap();
        attr(&active, "data-column")
    };
    press(&place, "ArrowRight");
    assert_eq!(focused(), "1");
    press(&placed, "End");
    assert_eq!(focused(), (flow.nodes.len() - 1).to_string());
    press(&placed, "ArrowLeft");
    assert_eq!(focused(), "0");
}

#[wasm_bindgen_test]
async fn the_selected_node_is_highlighted_and_nodes_after_the_cursor_are_dimmed() {
    let flow = compensated_flow();
    let rejection = flow
        .nodes
        .iter()
        .find(|n| n.kind == NodeKind::Rejection)
        .unwrap();
    let at = rejection.position.unwrap();
    let (root, _handle) =
        mount(Emitted::default().props(Some(flow.clone()), Some(at), Some(at))).await;
    let selected = all(&root, ".trace-node-selected");
    assert_eq!(selected.len(), 1);
    assert_eq!(attr(&selected[0], "data-kind"), "rejection");
    assert_eq!(attr(&selected[0], "aria-pressed"), "true");
    // The selected node is the flow's stop in the tab order, and the only one.
    assert_eq!(attr(&selected[0], "tabindex"), "0");
    assert_eq!(
        all(&root, "[data-testid=trace-node][tabindex='0']").len(),
        1
    );
    for node in all(&root, "[data-testid=trace-node]") {
        let dimmed = has_class(&node, "trace-after");
        let position: Option<u64> = attr(&node, "data-position").parse().ok();
        if let Some(p) = position {
            assert_eq!(dimmed, p >= at, "fact {p} with the cursor at {at}");
        }
    }
    let refund = node_named(&root, "payment.refund_payment");
    assert!(
        has_class(&refund, "trace-after"),
        "its first fact lies after"
    );
    let place = node_named(&root, "order.place_order");
    assert!(!has_class(&place, "trace-after"));
}

#[wasm_bindgen_test]
async fn a_pending_command_is_dashed_and_an_injected_fault_is_marked() {
    let (mut engine, order) = restaurant();
    let correlation = engine.submit(&order).unwrap();
    engine.step();
    let flow = Rc::new(engine.flow(correlation).unwrap());
    let waiting = flow
        .nodes
        .iter()
        .find(|n| n.pending)
        .expect("a queued reaction");
    let emitted = Emitted::default();
    let (root, mut handle) = mount(emitted.props(Some(flow.clone()), None, None)).await;

    let pending: Vec<Element> = all(&root, "[data-testid=trace-node][data-pending=true]");
    assert_eq!(pending.len(), 1);
    assert_eq!(attr(&pending[0], "data-kind"), "command");
    assert!(pending[0].text_content().unwrap().contains('◌'));
    let rect = pending[0].query_selector("rect").unwrap().unwrap();
    assert_eq!(attr(&rect, "stroke-dasharray"), "4 3");
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&rect)
        .unwrap()
        .unwrap();
    assert_ne!(
        style.get_property_value("stroke-dasharray").unwrap(),
        "none"
    );
    // A pending command has no fact yet: choosing it names the command.
    click(&pending[0]);
    settle().await;
    assert_eq!(*emitted.commands.borrow(), [waiting.command_id]);
    assert!(emitted.facts.borrow().is_empty());

    engine
        .inject_fault(waiting.command_id, &json!({"payment": "zero_amount"}))
        .unwrap();
    let flow = Rc::new(engine.flow(correlation).unwrap());
    handle.update(emitted.props(Some(flow), None, None));
    until("the injected fault is drawn", || {
        root.query_selector("[data-kind=rejection][data-injected=true]")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    let injected = all(&root, "[data-testid=trace-node][data-injected=true]");
    assert!(injected.iter().any(|n| attr(n, "data-kind") == "rejection"));
    assert!(injected
        .iter()
        .all(|n| n.text_content().unwrap().contains('⚡')));
    assert!(all(&root, "[data-pending=true]")
        .iter()
        .all(|n| attr(n, "data-injected") == "false"));
    // The rejection is new since the last drawing: it flashes; the order did not change.
    let rejection = injected
        .iter()
        .find(|n| attr(n, "data-kind") == "rejection")
        .unwrap();
    assert!(has_class(rejection, "trace-node-fresh"));
    let place = node_named(&root, "order.place_order");
    assert!(!has_class(&place, "trace-node-fresh"));
}

/// Two counter flows of the same shape (an increment and its event), as two moves of the
/// slider show them one after the other.
fn two_counter_flows() -> (Rc<FlowView>, Rc<FlowView>) {
    let domain = decider_domains::find("counter").unwrap();
    let mut engine = domain.start(EngineConfig::default());
    let mut flow = |counter: &str| {
        let command = json!({"increment": {"counter_id": counter, "by": 1}});
        let correlation = engine.submit(&command).unwrap();
        engine.run_until_idle(10);
        Rc::new(engine.flow(correlation).unwrap())
    };
    (flow("a"), flow("b"))
}

#[wasm_bindgen_test]
async fn the_next_flow_of_the_same_shape_is_drawn_over_the_nodes_already_there() {
    let (first, second) = two_counter_flows();
    let emitted = Emitted::default();
    let (root, mut handle) = mount(emitted.props(Some(first.clone()), None, None)).await;
    let before = all(&root, "[data-testid=trace-node]");
    assert_eq!(before.len(), 2);
    let event = |flow: &FlowView| {
        let node = flow
            .nodes
            .iter()
            .find(|n| n.kind == NodeKind::Event)
            .unwrap();
        node.position.unwrap().to_string()
    };
    assert!(before
        .iter()
        .any(|g| attr(g, "data-position") == event(&first)));

    handle.update(emitted.props(Some(second.clone()), None, None));
    until("the second flow is drawn", || {
        all(&root, "[data-testid=trace-node]")
            .iter()
            .any(|g| attr(g, "data-position") == event(&second))
    })
    .await;
    let after = all(&root, "[data-testid=trace-node]");
    assert_eq!(after.len(), 2);
    // The same elements, now telling the second flow (a slider's move patches them
    // instead of making them again).
    for (old, new) in before.iter().zip(&after) {
        assert!(
            old.is_same_node(Some(&**new)),
            "node {} was made again",
            attr(new, "data-column")
        );
    }
    assert!(after
        .iter()
        .all(|g| !g.text_content().unwrap().contains("\"a\"")));
    assert!(after
        .iter()
        .any(|g| g.text_content().unwrap().contains("\"b\"")));
}

/// A synthetic flow of `n` nodes: a command and its event, over and over, zigzagging
/// between a saga lane and three streams.
fn long_flow(n: usize) -> FlowView {
    let lanes = vec![
        Lane {
            name: "user".into(),
            kind: LaneKind::User,
        },
        Lane {
            name: "fulfilment".into(),
            kind: LaneKind::Reactor,
        },
        Lane {
            name: "stream-a".into(),
            kind: LaneKind::Stream,
        },
        Lane {
            name: "stream-b".into(),
            kind: LaneKind::Stream,
        },
        Lane {
            name: "stream-c-with-a-very-long-name-0123456789".into(),
            kind: LaneKind::Stream,
        },
    ];
    let nodes = (0..n)
        .map(|column| {
            let command = column % 2 == 0;
            FlowNode {
                kind: if command {
                    NodeKind::Command
                } else {
                    NodeKind::Event
                },
                lane: if column == 0 {
                    0
                } else if command {
                    1
                } else {
                    2 + column % 3
                },
                column,
                name: if command {
                    "demo.do_it".into()
                } else {
                    "demo.done_it".into()
                },
                message: json!({"demo": {"step": column}}),
                position: (!command).then_some(column as u64),
                command_id: Id(column as u64 / 2 + 1),
                parent: column.checked_sub(1),
                compensation: false,
                injected: false,
                pending: false,
                failure: None,
            }
        })
        .collect();
    FlowView {
        correlation_id: Id(0xabcdef0123456789),
        lanes,
        nodes,
    }
}

#[wasm_bindgen_test]
async fn a_flow_of_200_nodes_scrolls_with_sticky_lane_labels_and_follows_the_newest() {
    let flow = Rc::new(long_flow(200));
    let (root, _handle) = mount(Emitted::default().props(Some(flow), None, None)).await;
    let scroller = followed(&root, 200).await;
    let svg = root.query_selector("[data-testid=trace]").unwrap().unwrap();
    assert_eq!(attr(&svg, "width"), (200.0 * COLUMN_W).to_string());
    assert_eq!(attr(&svg, "height"), (5.0 * LANE_H).to_string());
    assert!(scroller.scroll_width() > scroller.client_width() * 10);
    assert!(scroller.scroll_left() > 0);
    // The labels stay in view whatever the horizontal scroll.
    let label = root
        .query_selector("[data-testid=trace-lane]")
        .unwrap()
        .unwrap();
    let (label_box, scroller_box) = (
        label.get_bounding_client_rect(),
        scroller.get_bounding_client_rect(),
    );
    assert!((label_box.left() - scroller_box.left()).abs() < 1.0);
    let long = all(&root, "[data-testid=trace-lane]").pop().unwrap();
    assert!(long.text_content().unwrap().contains('…'));
    assert!(attr(&long, "title").ends_with("stream-c-with-a-very-long-name-0123456789"));
}

#[wasm_bindgen_test]
async fn after_scrolling_away_a_growing_flow_stays_where_the_user_is() {
    let emitted = Emitted::default();
    let (root, mut handle) = mount(emitted.props(Some(Rc::new(long_flow(100))), None, None)).await;
    let scroller = followed(&root, 100).await;
    let first = scroller.scroll_left();
    // While following, a growing flow scrolls on to its newest node.
    handle.update(emitted.props(Some(Rc::new(long_flow(110))), None, None));
    followed(&root, 110).await;
    assert_eq!(scroller.scroll_left(), first + 10 * COLUMN_W as i32);
    // The user scrolls back to the start: the flow grows, the view stays.
    scroller.set_scroll_left(0);
    settle().await;
    handle.update(emitted.props(Some(Rc::new(long_flow(120))), None, None));
    until("120 nodes are drawn", || {
        all(&root, "[data-testid=trace-node]").len() == 120
    })
    .await;
    yew::platform::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(scroller.scroll_left(), 0, "the user's place is kept");
    // Selecting a fact far away brings it into view, right of the sticky labels.
    handle.update(emitted.props(Some(Rc::new(long_flow(120))), Some(101), None));
    until("the selected node is revealed", || {
        scroller.scroll_left() > 0
    })
    .await;
    let labels = root.query_selector(".trace-lanes").unwrap().unwrap();
    let selected = root
        .query_selector(".trace-node-selected")
        .unwrap()
        .unwrap();
    let (node_box, scroller_box) = (
        selected.get_bounding_client_rect(),
        scroller.get_bounding_client_rect(),
    );
    assert!(node_box.right() <= scroller_box.right() + 1.0);
    assert!(
        node_box.left() >= labels.get_bounding_client_rect().right(),
        "not under the labels"
    );
    assert!(!at_end(&scroller));
}

#[wasm_bindgen_test]
fn arrows_run_straight_on_a_lane_and_bend_down_the_effects_column_across_lanes() {
    assert_eq!(layout::edge_path((0, 1), (1, 1)), "M114 60 H126");
    // Down from lane 0 to lane 2, into the top of the node in column 2.
    assert_eq!(
        layout::edge_path((0, 0), (2, 2)),
        "M114 16 H290 Q300 16 300 26 V92"
    );
    // Up from lane 2 to lane 1, into the bottom of the node.
    assert_eq!(
        layout::edge_path((1, 2), (2, 1)),
        "M234 104 H290 Q300 104 300 94 V72"
    );
    assert_eq!(layout::node_origin(3, 2), (366.0, 92.0));
    assert_eq!(layout::canvas_size(200, 5), (24000.0, 220.0));
}

#[wasm_bindgen_test]
fn reveal_moves_the_least_to_show_a_span() {
    assert_eq!(layout::reveal(100.0, 220.0, 0.0, 500.0), None);
    assert_eq!(layout::reveal(600.0, 720.0, 0.0, 500.0), Some(220.0));
    assert_eq!(layout::reveal(100.0, 220.0, 300.0, 500.0), Some(100.0));
    assert_eq!(
        layout::reveal(100.0, 220.0, 0.0, 50.0),
        Some(100.0),
        "too long: its start"
    );
}

#[wasm_bindgen_test]
fn reveal_whole_keeps_the_first_lane_in_view_whole() {
    // The 1100 × 760 past scene: lane 3 (132..176) in a 160 px view scrolled to 0. The
    // least move (16) would cut the top lane; a whole lane's (44) keeps lane 3's end.
    assert_eq!(layout::reveal(132.0, 176.0, 0.0, 160.0), Some(16.0));
    assert_eq!(
        layout::reveal_whole(132.0, 176.0, 0.0, 160.0, 44.0),
        Some(44.0)
    );
    assert_eq!(
        layout::reveal_whole(44.0, 88.0, 132.0, 160.0, 44.0),
        Some(44.0),
        "up: the lane's start, already whole"
    );
    assert_eq!(layout::reveal_whole(44.0, 88.0, 44.0, 160.0, 44.0), None);
    assert_eq!(
        layout::reveal_whole(176.0, 220.0, 50.0, 160.0, 44.0),
        Some(88.0),
        "from a scroll the user left between lanes"
    );
    assert_eq!(
        layout::reveal_whole(176.0, 220.0, 88.0, 160.0, 44.0),
        None,
        "what is in view stays"
    );
    assert_eq!(
        layout::reveal_whole(176.0, 220.0, 0.0, 175.0, 44.0),
        Some(44.0),
        "a view a pixel short of four lanes shows four, not three"
    );
    assert_eq!(
        layout::reveal_whole(0.0, 44.0, 88.0, 160.0, 44.0),
        Some(0.0)
    );
}

#[wasm_bindgen_test]
fn text_is_shortened_in_the_middle_for_ids_and_at_the_end_for_names() {
    assert_eq!(shorten_middle("abcdef0123456789", 9), "abcd…6789");
    assert_eq!(shorten_middle("order-o2", 9), "order-o2");
    assert_eq!(shorten_middle("abcdef0123456789", 9).chars().count(), 9);
    assert_eq!(shorten_end("payment_refunded_late", 13), "payment_refu…");
    assert_eq!(shorten_end("refund", 13), "refund");
    assert_eq!(short_name("payment.refund_payment"), "refund_payment");
    assert_eq!(short_name("increment"), "increment");
}

#[wasm_bindgen_test]
fn tones_counts_and_timing_follow_the_flow() {
    let flow = compensated_flow();
    let counts = Counts::of(&flow);
    assert_eq!(
        (counts.rejections, counts.compensations, counts.pending),
        (1, 2, 0)
    );
    assert_eq!(
        counts.commands + counts.events + counts.rejections,
        flow.nodes.len()
    );
    let tones: Vec<Tone> = flow.nodes.iter().map(Tone::of).collect();
    assert_eq!(
        tones.iter().filter(|t| **t == Tone::Compensation).count(),
        2
    );
    assert_eq!(tones[0], Tone::Command);

    let first = timing::first_facts(&flow);
    let root_fact = flow.nodes.iter().find(|n| n.parent == Some(0)).unwrap();
    assert_eq!(first[0], root_fact.position, "the order's first fact");
    assert_eq!(
        timing::pick(&flow, &first, 0),
        root_fact.position.map(Pick::Fact)
    );
    assert!(timing::after_cursor(&flow, &first, None).iter().all(|a| !a));
    let all_after = timing::after_cursor(&flow, &first, Some(0));
    assert!(
        all_after.iter().all(|a| *a),
        "the whole flow lies after position 0"
    );
}

#[wasm_bindgen_test]
fn arrivals_flash_new_nodes_of_the_same_flow_only() {
    let mut arrivals = Arrivals::default();
    assert!(
        arrivals.observe(Some(&long_flow(4))).is_empty(),
        "a flow shown anew"
    );
    assert_eq!(arrivals.observe(Some(&long_flow(6))).len(), 2);
    assert_eq!(
        arrivals.observe(Some(&long_flow(6))).len(),
        2,
        "a redraw keeps them"
    );
    let mut other = long_flow(8);
    other.correlation_id = Id(7);
    assert!(arrivals.observe(Some(&other)).is_empty(), "another flow");
    assert!(arrivals.observe(None).is_empty());
}

#[wasm_bindgen_test]
fn following_ignores_the_late_events_of_the_panels_own_scrolling() {
    let mut follow = Follow::default();
    assert!(follow.is_on());
    follow.placed(1000, 500, 1500);
    // The flow grew before the event of that scroll arrived: still following.
    follow.scrolled(1000, 500, 1740);
    assert!(follow.is_on());
    follow.scrolled(200, 500, 1740);
    assert!(!follow.is_on(), "the user scrolled away");
    follow.scrolled(1200, 500, 1740);
    assert!(follow.is_on(), "and back to the end");
    follow.placed(0, 500, 1740);
    assert!(!follow.is_on(), "revealing an old node stops following");
    follow.restart();
    assert!(follow.is_on());
}

#[wasm_bindgen_test]
async fn a_failed_step_is_noted_under_its_node_and_spoken() {
    let mut flow = long_flow(4);
    let failure = "dropped after 3 attempts: stream-a expected version 1, found 2";
    flow.nodes[2].failure = Some(failure.into());
    let (root, _handle) = mount(Emitted::default().props(Some(Rc::new(flow)), None, None)).await;
    until("the flow is drawn", || {
        all(&root, "[data-testid=trace-node]").len() == 4
    })
    .await;
    let notes = all(&root, ".trace-failure");
    assert_eq!(notes.len(), 1);
    let note = notes[0].text_content().unwrap();
    assert!(
        note.starts_with("⚠ dropped after 3") && note.ends_with('…'),
        "{note}"
    );
    let node = &all(&root, "[data-testid=trace-node]")[2];
    assert!(attr(node, "aria-label").ends_with(failure));
    let title = node.query_selector("title").unwrap().unwrap();
    assert!(title.text_content().unwrap().contains(failure));
}

#[wasm_bindgen_test]
async fn hovering_or_focusing_a_node_highlights_its_causes_and_effects() {
    let flow = compensated_flow();
    let refund = flow
        .nodes
        .iter()
        .position(|n| n.name == "payment.refund_payment")
        .unwrap();
    let lineage = timing::lineage(&flow, refund);
    // The refund's causes up to the order, and the refund recorded; not the cancellation,
    // its sibling.
    let cancel = flow
        .nodes
        .iter()
        .position(|n| n.name == "order.cancel_order")
        .unwrap();
    assert!(lineage[..=refund].iter().all(|t| *t));
    assert!(lineage[refund + 1], "payment_refunded");
    assert!(!lineage[cancel] && !lineage[cancel + 1]);
    assert!(timing::lineage(&flow, 99).iter().all(|t| !t));

    let (root, _handle) = mount(Emitted::default().props(Some(flow.clone()), None, None)).await;
    let node = node_named(&root, "payment.refund_payment");
    node.dyn_ref::<web_sys::SvgElement>()
        .unwrap()
        .focus()
        .unwrap();
    until("the lineage is highlighted", || {
        all(&root, ".trace-node.trace-traced").len() == lineage.iter().filter(|t| **t).count()
    })
    .await;
    let svg = root.query_selector("[data-testid=trace]").unwrap().unwrap();
    assert!(has_class(&svg, "trace-tracing"));
    assert!(!has_class(
        &node_named(&root, "order.cancel_order"),
        "trace-traced"
    ));
    node.dyn_ref::<web_sys::SvgElement>()
        .unwrap()
        .blur()
        .unwrap();
    until("the highlight is gone", || {
        all(&root, ".trace-traced").is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
fn a_flow_is_fitted_down_to_the_least_scale_on_the_side_that_then_shows_whole() {
    // Wider than the room, within the least scale: fitted to the width.
    assert_eq!(fit::scale((600.0, 100.0), (480.0, 400.0)), 0.8);
    // Both sides: the smaller scale, so both show whole.
    assert_eq!(fit::scale((600.0, 200.0), (540.0, 150.0)), 0.75);
    // Never above full size.
    assert_eq!(fit::scale((300.0, 100.0), (900.0, 900.0)), 1.0);
    // Too long to show whole even at the least scale: it scrolls at full size, and only
    // the lanes, which can show whole, are fitted.
    assert_eq!(fit::scale((6000.0, 200.0), (600.0, 180.0)), 0.9);
    assert_eq!(fit::scale((6000.0, 200.0), (600.0, 400.0)), 1.0);
    assert_eq!(fit::scale((6000.0, 2000.0), (600.0, 400.0)), 1.0);
    // A panel as tall as its content gives no height to fit.
    assert_eq!(fit::scale((600.0, 200.0), (540.0, f64::INFINITY)), 0.9);
    // Drawn: fitted only when on, with a flow and a measured room.
    let (drawing, room) = (Some((600.0, 100.0)), Some((480.0, 400.0)));
    assert_eq!(fit::drawn_scale(drawing, true, room), 0.8);
    assert_eq!(fit::drawn_scale(drawing, false, room), 1.0);
    assert_eq!(fit::drawn_scale(drawing, true, None), 1.0);
    assert_eq!(fit::drawn_scale(None, true, room), 1.0);
}

#[wasm_bindgen_test]
async fn fit_shows_a_slightly_wide_flow_whole_and_its_toggle_is_kept() {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item("decider-lab.trace.fit")
        .unwrap();
    let flow = Rc::new(long_flow(5));
    let full = 5.0 * COLUMN_W;
    let (root, handle) = mount(Emitted::default().props(Some(flow.clone()), None, None)).await;
    let svg = root.query_selector("[data-testid=trace]").unwrap().unwrap();
    let toggle = root
        .query_selector("[data-testid=trace-fit]")
        .unwrap()
        .unwrap();
    let scroller = root.query_selector(".trace-scroll").unwrap().unwrap();
    let width = || attr(&svg, "width").parse::<f64>().unwrap();
    until("the flow is fitted", || width() < full).await;
    assert_eq!(attr(&toggle, "aria-pressed"), "true", "on by default");
    let scale = width() / full;
    assert!(scale >= fit::LEAST_SCALE, "{scale}");
    assert!(
        scroller.scroll_width() <= scroller.client_width(),
        "no scrolling"
    );
    let percent = format!("{} %", (scale * 100.0).round());
    assert!(toggle.text_content().unwrap().contains(&percent));
    // The lanes' labels are as tall as the lanes drawn.
    let label = root
        .query_selector("[data-testid=trace-lane]")
        .unwrap()
        .unwrap();
    let label_h = label.get_bounding_client_rect().height();
    assert!((label_h - LANE_H * scale).abs() < 0.5, "{label_h}");
    // Off: full size, scrolled; kept for the next load.
    click(&toggle);
    until("the flow is full size", || width() == full).await;
    assert_eq!(attr(&toggle, "aria-pressed"), "false");
    assert!(scroller.scroll_width() > scroller.client_width());
    handle.destroy();
    root.remove();
    let (root, handle) = mount(Emitted::default().props(Some(flow), None, None)).await;
    let svg = root.query_selector("[data-testid=trace]").unwrap().unwrap();
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(attr(&svg, "width"), full.to_string(), "off, as kept");
    let toggle = root
        .query_selector("[data-testid=trace-fit]")
        .unwrap()
        .unwrap();
    click(&toggle);
    until("fitted again", || {
        attr(&svg, "width").parse::<f64>().unwrap() < full
    })
    .await;
    handle.destroy();
    root.remove();
}
