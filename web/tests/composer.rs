//! The command composer and the schema form, mounted in headless Chromium and driven
//! through the DOM and the public `data-testid`s.
#![cfg(target_arch = "wasm32")]

use decider_core::MessageKind;
use decider_web::components::composer::{Catalog, Composer, ComposerProps, DomainRef};
use decider_web::components::schema_form::schema::{shape, tagged};
use decider_web::components::schema_form::{default_value, Shape};
use decider_web::examples::examples_for;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// What the composer sent: each `(command, n)`.
type Sent = Rc<RefCell<Vec<(Value, u32)>>>;

fn domain(id: &str) -> DomainRef {
    DomainRef::from(decider_domains::find(id).expect("a known domain"))
}

/// Lets Yew finish rendering (and running effects) after a mount or an event.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(1)).await;
    yew::scheduler::flush().await;
}

async fn mount(props: ComposerProps) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Composer>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

async fn composer(id: &str, sent: &Sent) -> Element {
    let sent = sent.clone();
    mount(ComposerProps {
        domain: domain(id),
        locked: false,
        lock_reason: None,
        history: Rc::default(),
        examples: Rc::new(examples_for(id)),
        progress: None,
        on_submit: Callback::from(move |c| sent.borrow_mut().push(c)),
        on_cancel: Callback::noop(),
    })
    .await
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.get(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

fn testid(root: &Element, id: &str) -> Element {
    one(root, &format!("[data-testid='{id}']"))
}

fn dispatch(element: &Element, event: &str) {
    element
        .dispatch_event(&web_sys::Event::new(event).unwrap())
        .unwrap();
}

/// Types `text` into an input or textarea, as a script driving the page does.
async fn type_into(element: &Element, text: &str) {
    if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(text);
    } else {
        element
            .dyn_ref::<HtmlInputElement>()
            .unwrap()
            .set_value(text);
    }
    dispatch(element, "input");
    settle().await;
}

async fn pick(root: &Element, command: &str) {
    let select = testid(root, "command-picker");
    select
        .dyn_ref::<HtmlSelectElement>()
        .unwrap()
        .set_value(command);
    dispatch(&select, "change");
    settle().await;
}

async fn click(element: &Element) {
    element.dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
}

fn json_text(root: &Element) -> Value {
    let area = testid(root, "command-json");
    serde_json::from_str(&area.dyn_into::<HtmlTextAreaElement>().unwrap().value()).unwrap()
}

/// The input labelled `name` (the last segment of its JSON path).
fn field(root: &Element, path: &str) -> HtmlInputElement {
    let id_tail: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    one(root, &format!("[id$='{id_tail}']"))
        .dyn_into::<HtmlInputElement>()
        .unwrap()
}

fn label_text(root: &Element, input: &HtmlInputElement) -> String {
    one(root, &format!("label[for='{}']", input.id()))
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_form_of_place_order_has_a_labelled_field_per_property_and_a_list_of_items() {
    let sent = Sent::default();
    let root = composer("restaurant", &sent).await;
    pick(&root, "order.place_order").await;
    assert_eq!(
        json_text(&root),
        json!({"order": {"place_order": {"customer": "", "items": [], "order_id": "", "restaurant_id": ""}}})
    );
    for name in ["customer", "order_id", "restaurant_id"] {
        let input = field(&root, &format!("$.order.place_order.{name}"));
        assert_eq!(input.type_(), "text");
        assert!(label_text(&root, &input).contains(name));
    }
    let doc = one(&root, ".composer-doc").text_content().unwrap();
    assert_eq!(doc, "A customer orders items at a restaurant.");

    let add = one(&root, ".sf-array .sf-add");
    click(&add).await;
    click(&add).await;
    assert_eq!(all(&root, ".sf-array .sf-item input").len(), 2);
    type_into(
        &field(&root, "$.order.place_order.items[1]").into(),
        "tiramisu",
    )
    .await;
    assert_eq!(
        json_text(&root)["order"]["place_order"]["items"],
        json!(["", "tiramisu"])
    );
    click(&all(&root, ".sf-item .sf-remove")[0]).await;
    assert_eq!(
        json_text(&root)["order"]["place_order"]["items"],
        json!(["tiramisu"])
    );
    assert_eq!(all(&root, ".sf-array .sf-item input").len(), 1);
}

#[wasm_bindgen_test]
async fn integers_carry_their_bounds_and_the_menu_nests_objects() {
    let sent = Sent::default();
    let root = composer("restaurant", &sent).await;
    pick(&root, "restaurant.create_restaurant").await;
    let capacity = field(&root, "$.restaurant.create_restaurant.capacity");
    assert_eq!(capacity.type_(), "number");
    assert_eq!(capacity.min(), "0");
    assert_eq!(capacity.max(), u32::MAX.to_string());
    assert!(label_text(&root, &capacity).contains("capacity"));

    click(&one(&root, ".sf-array .sf-add")).await;
    let price = field(&root, "$.restaurant.create_restaurant.menu[0].price_cents");
    assert_eq!(price.max(), u64::MAX.to_string());
    type_into(&price.into(), "900").await;
    type_into(
        &field(&root, "$.restaurant.create_restaurant.menu[0].item_id").into(),
        "margherita",
    )
    .await;
    assert_eq!(
        json_text(&root)["restaurant"]["create_restaurant"]["menu"],
        json!([{"item_id": "margherita", "name": "", "price_cents": 900}])
    );
    let nested = all(&root, ".sf-array .sf-object legend");
    assert_eq!(nested.len(), 1);
    assert!(nested[0].text_content().unwrap().contains("menu[0]"));
}

#[wasm_bindgen_test]
async fn editing_the_json_moves_the_form_and_the_picker() {
    let sent = Sent::default();
    let root = composer("restaurant", &sent).await;
    let command = json!({"order": {"place_order": {
        "customer": "Ada", "items": ["margherita", "sushi"], "order_id": "o2", "restaurant_id": "luigi"}}});
    type_into(&testid(&root, "command-json"), &command.to_string()).await;
    let picker = testid(&root, "command-picker")
        .dyn_into::<HtmlSelectElement>()
        .unwrap();
    assert_eq!(picker.value(), "order.place_order");
    assert_eq!(field(&root, "$.order.place_order.customer").value(), "Ada");
    assert_eq!(
        field(&root, "$.order.place_order.items[1]").value(),
        "sushi"
    );
    assert!(root
        .query_selector("[data-testid='command-error']")
        .unwrap()
        .is_none());

    // A syntax error keeps the form as it was and says where.
    type_into(
        &testid(&root, "command-json"),
        "{\"order\": {\n  \"place_order\": ",
    )
    .await;
    let error = testid(&root, "command-error").text_content().unwrap();
    assert!(error.contains("line 2"), "{error}");
    assert_eq!(field(&root, "$.order.place_order.customer").value(), "Ada");
}

#[wasm_bindgen_test]
async fn an_invalid_command_names_its_path_at_the_field_and_cannot_be_submitted() {
    let sent = Sent::default();
    let root = composer("restaurant", &sent).await;
    let command = json!({"order": {"place_order": {
        "customer": "Ada", "items": [5], "order_id": "o2", "restaurant_id": "luigi"}}});
    type_into(&testid(&root, "command-json"), &command.to_string()).await;
    let error = testid(&root, "command-error").text_content().unwrap();
    assert!(error.contains("$.order.place_order.items[0]"), "{error}");
    let submit = testid(&root, "command-submit");
    assert!(submit.has_attribute("disabled"));
    let item = field(&root, "$.order.place_order.items[0]");
    assert_eq!(item.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(item
        .parent_element()
        .unwrap()
        .class_name()
        .contains("sf-invalid"));

    click(&submit).await;
    assert!(sent.borrow().is_empty());

    // Fixing the field in the form clears the error.
    type_into(&item.into(), "margherita").await;
    assert!(root
        .query_selector("[data-testid='command-error']")
        .unwrap()
        .is_none());
    assert!(!testid(&root, "command-submit").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn a_valid_command_is_submitted_with_its_repeat_count_by_click_and_by_ctrl_enter() {
    let sent = Sent::default();
    let root = composer("counter", &sent).await;
    let repeat = testid(&root, "repeat-count");
    assert_eq!(repeat.dyn_ref::<HtmlInputElement>().unwrap().value(), "1");
    let command = json!({"increment": {"by": 2, "counter_id": "c-${i}"}});
    type_into(&testid(&root, "command-json"), &command.to_string()).await;
    type_into(&repeat, "3").await;
    click(&testid(&root, "command-submit")).await;
    assert_eq!(*sent.borrow(), vec![(command.clone(), 3)]);

    let ctrl_enter = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', ctrlKey: true, bubbles: true}))",
    );
    ctrl_enter
        .call1(&wasm_bindgen::JsValue::NULL, &testid(&root, "command-json"))
        .unwrap();
    settle().await;
    assert_eq!(sent.borrow().len(), 2);

    // Out of range: nothing is sent.
    type_into(&repeat, "0").await;
    assert!(testid(&root, "command-submit").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn the_shelves_follow_the_history_across_a_lock_and_still_fill_the_composer() {
    let props = |locked: bool, history: Vec<Value>| ComposerProps {
        domain: domain("counter"),
        locked,
        lock_reason: None,
        history: Rc::new(history),
        examples: Rc::new(examples_for("counter")),
        progress: None,
        on_submit: Callback::noop(),
        on_cancel: Callback::noop(),
    };
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let mut handle =
        yew::Renderer::<Composer>::with_root_and_props(root.clone(), props(false, vec![])).render();
    settle().await;
    assert!(all(&root, "[data-testid='history-item']").is_empty());
    assert!(root.text_content().unwrap().contains("pick one to start"));

    // Submitted, then locked by a move into the past: the shelves list the submission.
    let submitted = json!({"increment": {"counter_id": "c7", "by": 3}});
    handle.update(props(false, vec![submitted.clone()]));
    settle().await;
    handle.update(props(true, vec![submitted.clone()]));
    settle().await;
    assert!(one(&root, "fieldset.composer-body").has_attribute("disabled"));
    assert_eq!(all(&root, "[data-testid='history-item']").len(), 1);
    assert!(!root.text_content().unwrap().contains("pick one to start"));

    // Back to live: an example, then the history item, each fill the draft (the shelves
    // kept from before the lock still reach it).
    handle.update(props(false, vec![submitted.clone()]));
    settle().await;
    assert!(!one(&root, "fieldset.composer-body").has_attribute("disabled"));
    click(&all(&root, "[data-testid='example']")[0]).await;
    assert_eq!(json_text(&root), examples_for("counter")[0].command);
    click(&testid(&root, "history-item")).await;
    assert_eq!(json_text(&root), submitted);
}

#[wasm_bindgen_test]
async fn examples_and_history_fill_the_composer_in_one_click() {
    let history = json!({"transfer": {"request_transfer": {
        "amount_cents": 1, "from": "a", "to": "b", "transfer_id": "t9"}}});
    let root = mount(ComposerProps {
        domain: domain("transfer"),
        locked: false,
        lock_reason: None,
        history: Rc::new(vec![history.clone()]),
        examples: Rc::new(examples_for("transfer")),
        progress: None,
        on_submit: Callback::noop(),
        on_cancel: Callback::noop(),
    })
    .await;
    let examples = all(&root, "[data-testid='example']");
    assert_eq!(examples.len(), examples_for("transfer").len());
    assert!(examples[0]
        .text_content()
        .unwrap()
        .starts_with("account.open_account alice"));
    click(&examples[0]).await;
    assert_eq!(json_text(&root), examples_for("transfer")[0].command);

    assert!(!root.text_content().unwrap().contains("pick one to start"));
    let item = testid(&root, "history-item");
    assert!(item
        .text_content()
        .unwrap()
        .contains("transfer.request_transfer"));
    click(&item).await;
    assert_eq!(json_text(&root), history);
    let picker = testid(&root, "command-picker")
        .dyn_into::<HtmlSelectElement>()
        .unwrap();
    assert_eq!(picker.value(), "transfer.request_transfer");
    let groups: Vec<String> = all(&root, "optgroup")
        .iter()
        .map(|g| g.get_attribute("label").unwrap())
        .collect();
    assert_eq!(groups, ["account", "transfer"]);
}

/// The element that has the focus.
fn focused() -> Option<Element> {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
}

/// A key pressed on `element` (a `keydown` that bubbles, as the browser sends it).
async fn press(element: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    element.dispatch_event(&event).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn a_shelf_is_one_tab_stop_its_arrows_move_and_a_pick_moves_to_the_command() {
    let sent = Sent::default();
    let root = composer("restaurant", &sent).await;
    let examples = all(&root, "[data-testid='example']");
    assert!(examples.len() > 3);
    // Only the first entry is in the Tab order.
    let tab_stops: Vec<bool> = examples
        .iter()
        .map(|e| e.get_attribute("tabindex").as_deref() == Some("0"))
        .collect();
    assert!(tab_stops[0]);
    assert!(tab_stops[1..].iter().all(|stop| !stop));

    // ↓ and ↑ walk the shelf; ↑ on the first entry stays there.
    let first = examples[0].dyn_ref::<HtmlElement>().unwrap();
    first.focus().unwrap();
    press(&examples[0], "ArrowDown").await;
    assert_eq!(focused().as_ref(), Some(&examples[1]));
    press(&examples[1], "ArrowDown").await;
    assert_eq!(focused().as_ref(), Some(&examples[2]));
    press(&examples[2], "ArrowUp").await;
    assert_eq!(focused().as_ref(), Some(&examples[1]));
    press(&examples[1], "ArrowUp").await;
    press(&examples[0], "ArrowUp").await;
    assert_eq!(
        focused().as_ref(),
        Some(&examples[0]),
        "no entry above the first"
    );

    // Taking an example fills the composer and moves the focus to its command.
    click(&examples[2]).await;
    yew::platform::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(json_text(&root), examples_for("restaurant")[2].command);
    assert_eq!(focused(), Some(testid(&root, "command-picker")));
}

#[wasm_bindgen_test]
async fn the_past_locks_the_composer_and_a_running_repeat_shows_progress_and_cancels() {
    let cancelled = Rc::new(RefCell::new(0));
    let count = cancelled.clone();
    let root = mount(ComposerProps {
        domain: domain("counter"),
        locked: true,
        lock_reason: None,
        history: Rc::default(),
        examples: Rc::new(examples_for("counter")),
        progress: Some((40, 100)),
        on_submit: Callback::noop(),
        on_cancel: Callback::from(move |()| *count.borrow_mut() += 1),
    })
    .await;
    assert!(one(&root, ".composer-locked")
        .text_content()
        .unwrap()
        .contains("past"));
    assert!(one(&root, "fieldset.composer-body").has_attribute("disabled"));
    // Locked for the keyboard too: the raw JSON takes no focus, and Submit is disabled.
    let json = testid(&root, "command-json")
        .dyn_into::<HtmlElement>()
        .unwrap();
    json.focus().unwrap();
    let focused = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element();
    assert_ne!(focused.as_ref(), Some(json.unchecked_ref::<Element>()));
    assert!(testid(&root, "command-submit").has_attribute("disabled"));
    // Nothing submitted yet: the examples say to start there.
    assert!(one(&root, ".composer-shelf summary")
        .text_content()
        .unwrap()
        .contains("pick one to start"));
    let progress = one(&root, "progress");
    assert_eq!(progress.get_attribute("value").as_deref(), Some("40"));
    assert_eq!(progress.get_attribute("max").as_deref(), Some("100"));
    click(&one(&root, ".composer-cancel")).await;
    assert_eq!(*cancelled.borrow(), 1);
}

#[wasm_bindgen_test]
fn examples_are_every_scenario_command_once_in_order() {
    let examples = examples_for("restaurant");
    let first = &examples[0];
    assert!(
        first
            .label
            .starts_with("restaurant.create_restaurant luigi"),
        "{}",
        first.label
    );
    for (i, a) in examples.iter().enumerate() {
        assert!(examples[i + 1..].iter().all(|b| b.command != a.command));
    }
    assert!(examples_for("no-such-domain").is_empty());
}

/// The default of every leaf variant under `schema` (variants of variants are followed),
/// wrapped in the tags of `outer` (a dotted variant path).
fn leaves(schema: &Value, defs: &Value, outer: &str, out: &mut Vec<Value>) {
    match shape(schema, defs) {
        Shape::Choice(variants) if !variants.is_empty() => {
            for v in variants {
                match v.payload {
                    Some(payload) if matches!(shape(payload, defs), Shape::Choice(_)) => {
                        let path = [outer, v.name].join(".");
                        leaves(payload, defs, path.trim_start_matches('.'), out)
                    }
                    _ => out.push(tagged(outer, v.default_value(defs))),
                }
            }
        }
        _ => out.push(tagged(outer, default_value(schema, defs))),
    }
}

#[wasm_bindgen_test]
fn defaults_pass_the_boundary_for_every_command_and_every_rejection_of_every_domain() {
    for domain in decider_domains::all() {
        let catalog = Catalog::of(&*domain);
        for name in &catalog.names {
            let command = catalog.default_command(name);
            assert!(
                domain.validate(MessageKind::Command, &command).is_ok(),
                "{}: {command}: {:?}",
                name,
                domain.validate(MessageKind::Command, &command)
            );
        }
        let rejection = domain.rejection_schema();
        let defs = rejection.get("$defs").cloned().unwrap_or(Value::Null);
        let mut all_rejections = Vec::new();
        leaves(&rejection, &defs, "", &mut all_rejections);
        assert!(all_rejections.len() > 1, "{}", domain.info().id);
        if domain.info().id == "restaurant" {
            assert!(
                all_rejections.contains(&json!({"restaurant": {"not_on_menu": {"item_id": ""}}}))
            );
            assert!(
                all_rejections.contains(&json!({"order": {"wrong_status": {"status": "placed"}}}))
            );
        }
        for value in all_rejections {
            assert!(
                domain.validate(MessageKind::Rejection, &value).is_ok(),
                "{}: {value}",
                domain.info().id
            );
        }
        let whole = default_value(&catalog.schema, &catalog.defs);
        assert!(
            domain.validate(MessageKind::Command, &whole).is_ok(),
            "{whole}"
        );
    }
}

/// A schema with the shapes the example domains do not use (yet): optionals, booleans,
/// string enums, signed integers with explicit bounds, an optional reference.
fn synthetic() -> (Value, Value) {
    let defs = json!({"Mode": {"type": "string", "enum": ["fast", "safe"]}});
    let schema = json!({
        "type": "object",
        "properties": {
            "note": {"type": ["string", "null"], "description": "A note."},
            "urgent": {"type": "boolean"},
            "mode": {"$ref": "#/$defs/Mode"},
            "retries": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 9},
            "fallback": {"anyOf": [{"$ref": "#/$defs/Mode"}, {"type": "null"}]}
        },
        "required": ["urgent", "mode", "retries"]
    });
    (schema, defs)
}

#[wasm_bindgen_test]
async fn the_schema_form_edits_optionals_booleans_enums_and_bounded_integers() {
    use decider_web::components::schema_form::SchemaForm;
    use yew::prelude::*;

    /// The form alone, as an editor holds it.
    #[derive(Properties, PartialEq)]
    struct FormProps {
        schema: Value,
        defs: Value,
        value: Value,
        on_change: Callback<Value>,
    }

    #[function_component]
    fn Form(props: &FormProps) -> Html {
        let error = decider_core::BoundaryError {
            path: "$.job.retries".into(),
            message: "too many".into(),
        };
        SchemaForm {
            schema: &props.schema,
            defs: &props.defs,
            value: &props.value,
            on_change: props.on_change.clone(),
            path: "$.job",
            error: Some(&error),
            prefix: "sf",
        }
        .view()
    }

    let (schema, defs) = synthetic();
    let start = default_value(&schema, &defs);
    assert_eq!(
        start,
        json!({"note": null, "urgent": false, "mode": "fast", "retries": 1, "fallback": null})
    );
    let changes = Rc::new(RefCell::new(Vec::<Value>::new()));
    let seen = changes.clone();
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let props = FormProps {
        schema,
        defs,
        value: start,
        on_change: Callback::from(move |v| seen.borrow_mut().push(v)),
    };
    yew::Renderer::<Form>::with_root_and_props(root.clone(), props).render();
    settle().await;

    let retries = field(&root, "$.job.retries");
    assert_eq!((retries.min(), retries.max()), ("1".into(), "9".into()));
    assert_eq!(
        retries.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(root.text_content().unwrap().contains("✘ too many"));
    let mode = one(&root, "select[id$='-job-mode']");
    let options: Vec<String> = all(&mode, "option")
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert_eq!(options, ["fast", "safe"]);

    // Setting the optional note gives it a default; ticking the boolean sets it.
    click(&one(&root, "input[id$='-job-note-set']")).await;
    assert_eq!(changes.borrow().last().unwrap()["note"], json!(""));
    click(&field(&root, "$.job.urgent").into()).await;
    assert_eq!(changes.borrow().last().unwrap()["urgent"], json!(true));
    mode.dyn_ref::<HtmlSelectElement>()
        .unwrap()
        .set_value("safe");
    dispatch(&mode, "change");
    settle().await;
    assert_eq!(changes.borrow().last().unwrap()["mode"], json!("safe"));
    // Text that is not a number is kept, for the boundary to name the field.
    type_into(&retries.into(), "").await;
    assert_eq!(changes.borrow().last().unwrap()["retries"], json!(""));
}

#[wasm_bindgen_test]
async fn a_new_domain_starts_a_new_draft() {
    use yew::prelude::*;

    #[function_component]
    fn Switcher() -> Html {
        let id = use_state(|| "restaurant");
        let onclick = {
            let id = id.clone();
            Callback::from(move |_| id.set("counter"))
        };
        html! {
            <>
                <button id="switch" {onclick}>{ "switch" }</button>
                <Composer domain={domain(*id)} on_submit={Callback::noop()} />
            </>
        }
    }

    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Switcher>::with_root(root.clone()).render();
    settle().await;
    pick(&root, "order.place_order").await;
    assert!(json_text(&root).get("order").is_some());
    click(&one(&root, "#switch")).await;
    let picker = testid(&root, "command-picker")
        .dyn_into::<HtmlSelectElement>()
        .unwrap();
    assert_eq!(picker.value(), "increment");
    assert_eq!(
        json_text(&root),
        json!({"increment": {"by": 0, "counter_id": ""}})
    );
}

thread_local! {
    /// How many times [`Drawn`] was rendered.
    static DRAWS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Properties that never equal the ones before, so a render of whatever holds [`Drawn`]
/// renders it again unless something skips it.
#[derive(yew::Properties)]
struct AlwaysNew {}

impl PartialEq for AlwaysNew {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// Counts its renders.
#[yew::function_component]
fn Drawn(_: &AlwaysNew) -> yew::Html {
    DRAWS.with(|d| d.set(d.get() + 1));
    yew::html! { <span>{ "drawn" }</span> }
}

#[derive(yew::Properties, PartialEq)]
struct HostProps {
    markup: Rc<yew::Html>,
    kept: bool,
    tick: u32,
}

/// Holds `markup`, as [`Kept`] markup or plainly.
#[yew::function_component]
fn Host(props: &HostProps) -> yew::Html {
    use decider_web::widgets::kept::Kept;
    let inner = if props.kept {
        yew::html! { <Kept html={props.markup.clone()} /> }
    } else {
        (*props.markup).clone()
    };
    yew::html! { <div data-tick={props.tick.to_string()}>{ inner }</div> }
}

#[wasm_bindgen_test]
async fn kept_markup_is_not_drawn_again_by_its_holders_render_until_it_is_replaced() {
    let document = web_sys::window().unwrap().document().unwrap();
    let draws = || DRAWS.with(|d| d.get());
    for kept in [false, true] {
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let markup = Rc::new(yew::html! { <Drawn /> });
        let props = |markup: &Rc<yew::Html>, tick| HostProps {
            markup: markup.clone(),
            kept,
            tick,
        };
        let mut handle =
            yew::Renderer::<Host>::with_root_and_props(root.clone(), props(&markup, 0)).render();
        settle().await;
        let before = draws();
        handle.update(props(&markup, 1));
        settle().await;
        // Plain markup is walked again, and its component with it; kept markup is not.
        assert_eq!(draws() - before, u32::from(!kept), "kept: {kept}");
        assert_eq!(root.text_content().unwrap(), "drawn");
        // Replaced (a new `Rc`, even of the same content): drawn again.
        handle.update(props(&Rc::new(yew::html! { <Drawn /> }), 2));
        settle().await;
        assert_eq!(draws() - before, 1 + u32::from(!kept), "kept: {kept}");
        handle.destroy();
    }
}
