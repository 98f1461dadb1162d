//! The queue panel and its fault injection, mounted in headless Chromium over a real
//! engine's queue.
#![cfg(target_arch = "wasm32")]

use decider_core::boundary::QueueRow;
use decider_core::{EngineConfig, Id, MessageKind};
use decider_web::components::composer::DomainRef;
use decider_web::components::queue::{queue, QueueProps};
use decider_web::widgets::text::shorten_middle as shorten;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What the panel sent.
#[derive(Default)]
struct Sent {
    faults: RefCell<Vec<(Id, Value)>>,
    flows: RefCell<Vec<Id>>,
}

/// Lets Yew finish rendering (and running effects) after a mount or an event.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(1)).await;
    yew::scheduler::flush().await;
}

/// The restaurant's queue after two user commands were submitted and none handled.
fn restaurant_queue() -> (Box<dyn decider_core::DynEngine>, Vec<QueueRow>) {
    let domain = decider_domains::find("restaurant").unwrap();
    let mut engine = domain.start(EngineConfig::default());
    engine
        .submit(&json!({"restaurant": {"create_restaurant": {
            "capacity": 2, "menu": [], "name": "Luigi's", "restaurant_id": "luigi"}}}))
        .unwrap();
    engine
        .submit(&json!({"order": {"place_order": {
            "customer": "Ada", "items": ["margherita"], "order_id": "o1", "restaurant_id": "luigi"}}}))
        .unwrap();
    let rows = engine.inspect(None, None, 50).queue;
    (engine, rows)
}

/// The queue panel with the state the page keeps for it (which fault editor is open).
#[function_component]
fn Queue(props: &QueueProps) -> Html {
    let editing = use_state(|| None::<Id>);
    queue(props, &editing)
}

async fn mount(rows: Vec<QueueRow>, total: usize, can_inject: bool, sent: &Rc<Sent>) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let (faults, flows) = (sent.clone(), sent.clone());
    let props = QueueProps {
        rows: Rc::new(rows),
        total,
        domain: DomainRef::from(decider_domains::find("restaurant").unwrap()),
        can_inject,
        on_inject: Callback::from(move |f| faults.faults.borrow_mut().push(f)),
        on_select_flow: Callback::from(move |id| flows.flows.borrow_mut().push(id)),
    };
    yew::Renderer::<Queue>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.get(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

fn testid(root: &Element, id: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
}

async fn click(element: &Element) {
    element.dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
}

fn inject_json(root: &Element) -> HtmlTextAreaElement {
    testid(root, "inject-json").unwrap().dyn_into().unwrap()
}

#[wasm_bindgen_test]
async fn each_queued_command_shows_its_name_stream_origin_and_json_and_selects_its_flow() {
    let (_, rows) = restaurant_queue();
    let sent = Rc::new(Sent::default());
    let root = mount(rows.clone(), rows.len(), true, &sent).await;
    let items = all(&root, "[data-testid='queue-item']");
    assert_eq!(items.len(), 2);
    for (item, row) in items.iter().zip(&rows) {
        let text = item.text_content().unwrap();
        assert!(text.contains(&row.command.to_string()), "{text}");
        assert!(
            text.contains(&row.name) && text.contains("user") && text.contains("d0"),
            "{text}"
        );
    }
    assert!(items[1].text_content().unwrap().contains("order-o1"));
    click(&all(&root, ".queue-main")[1]).await;
    assert_eq!(*sent.flows.borrow(), vec![rows[1].correlation_id]);
}

#[wasm_bindgen_test]
async fn the_fault_editor_is_prefilled_with_a_valid_rejection_of_the_service_and_sends_it() {
    let (mut engine, rows) = restaurant_queue();
    let sent = Rc::new(Sent::default());
    let root = mount(rows.clone(), rows.len(), true, &sent).await;
    assert!(testid(&root, "inject-json").is_none());
    click(&all(&root, "[data-testid='inject-button']")[0]).await;

    let prefilled: Value = serde_json::from_str(&inject_json(&root).value()).unwrap();
    assert_eq!(
        prefilled.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["restaurant"]
    );
    let domain = decider_domains::find("restaurant").unwrap();
    assert!(
        domain.validate(MessageKind::Rejection, &prefilled).is_ok(),
        "{prefilled}"
    );
    assert!(testid(&root, "inject-error").is_none());

    // The service's variants are offered in the form.
    let variants: Vec<String> = all(&root, ".queue-editor select option")
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert!(variants.iter().any(|v| v == "not_on_menu"), "{variants:?}");

    click(&testid(&root, "inject-submit").unwrap()).await;
    let faults = sent.faults.borrow().clone();
    assert_eq!(faults, vec![(rows[0].command_id, prefilled)]);
    assert!(
        testid(&root, "inject-json").is_none(),
        "the editor closes once sent"
    );
    // What the editor sent is what the engine takes.
    let (id, rejection) = &faults[0];
    assert!(engine.inject_fault(*id, rejection).is_ok());

    // The order command's editor writes order rejections.
    click(&all(&root, "[data-testid='inject-button']")[1]).await;
    let order: Value = serde_json::from_str(&inject_json(&root).value()).unwrap();
    assert!(order.get("order").is_some(), "{order}");
}

#[wasm_bindgen_test]
async fn an_invalid_rejection_is_named_at_its_path_and_esc_cancels() {
    let (_, rows) = restaurant_queue();
    let sent = Rc::new(Sent::default());
    let root = mount(rows.clone(), rows.len(), true, &sent).await;
    click(&all(&root, "[data-testid='inject-button']")[0]).await;
    let area = inject_json(&root);
    area.set_value(r#"{"restaurant": {"over_capacity": {"capacity": -1}}}"#);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    settle().await;
    let error = testid(&root, "inject-error")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        error.contains("$.restaurant.over_capacity.capacity"),
        "{error}"
    );
    assert!(testid(&root, "inject-submit")
        .unwrap()
        .has_attribute("disabled"));
    let capacity = root
        .query_selector(".queue-editor .sf-invalid input")
        .unwrap()
        .unwrap();
    assert_eq!(
        capacity.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );

    let escape = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))",
    );
    escape.call1(&wasm_bindgen::JsValue::NULL, &area).unwrap();
    settle().await;
    assert!(testid(&root, "inject-json").is_none());
    assert!(sent.faults.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn the_past_disables_injection_an_empty_queue_teaches_and_a_long_one_says_how_many_more() {
    let (_, rows) = restaurant_queue();
    let sent = Rc::new(Sent::default());
    let root = mount(rows[..1].to_vec(), 7, false, &sent).await;
    let button = testid(&root, "inject-button").unwrap();
    assert!(button.has_attribute("disabled"));
    assert!(root.text_content().unwrap().contains("and 6 more"));

    let empty = mount(Vec::new(), 0, true, &sent).await;
    assert!(empty
        .text_content()
        .unwrap()
        .contains("Queue empty — in step mode, commands wait here"));
}

#[wasm_bindgen_test]
async fn a_compensation_is_marked_and_names_the_reactor_that_issued_it() {
    let (_, rows) = restaurant_queue();
    let refund = QueueRow {
        origin: "fulfilment".into(),
        depth: 3,
        compensation: true,
        ..rows[0].clone()
    };
    let sent = Rc::new(Sent::default());
    let root = mount(vec![refund], 1, true, &sent).await;
    let item = testid(&root, "queue-item").unwrap();
    let text = item.text_content().unwrap();
    assert!(
        text.contains('↩') && text.contains("fulfilment") && text.contains("d3"),
        "{text}"
    );
    assert!(item.query_selector(".kind-compensation").unwrap().is_some());
    assert!(item.query_selector(".kind-pending").unwrap().is_none());
}

#[wasm_bindgen_test]
fn long_ids_are_shortened_in_the_middle() {
    assert_eq!(shorten("restaurant-luigi", 40), "restaurant-luigi");
    let short = shorten("restaurant-a-very-long-restaurant-id-0123", 11);
    assert_eq!(short, "resta…-0123");
    assert_eq!(short.chars().count(), 11);
}
