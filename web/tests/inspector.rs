//! The inspector and its widgets: the JSON diff (pure: runs natively and in the browser),
//! the JSON tree (collapsing by click and keyboard, paging, diff marks), and the panel over
//! a real restaurant engine (diff marks, envelope ids, the view's JSON in the text,
//! teaching empty states, a field's history asked from its row).

use decider_web::widgets::json_diff::{diff, ChangeKind, Segment};
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// `(path, kind, old)` of every change, in order.
fn changes(old: &Value, new: &Value) -> Vec<(String, ChangeKind, Option<Value>)> {
    diff(old, new)
        .changes()
        .iter()
        .map(|c| (c.path.clone(), c.kind, c.old.clone()))
        .collect()
}

#[test]
fn the_diff_names_added_removed_and_changed_paths_in_nested_objects() {
    let old = json!({"a": {"b": 1, "c": 2}, "d": true, "same": {"x": [1]}});
    let new = json!({"a": {"b": 1, "c": 3, "e": [1]}, "f": null, "same": {"x": [1]}});
    assert_eq!(
        changes(&old, &new),
        vec![
            ("$.a.c".into(), ChangeKind::Changed, Some(json!(2))),
            ("$.a.e".into(), ChangeKind::Added, None),
            ("$.d".into(), ChangeKind::Removed, Some(json!(true))),
            ("$.f".into(), ChangeKind::Added, None),
        ]
    );
    let d = diff(&old, &new);
    assert_eq!(d.get("$.a.c").map(|c| c.new.clone()), Some(Some(json!(3))));
    assert!(d.get("$.a").is_none(), "a parent is not itself a change");
    assert!(d.changed_below("$") && d.changed_below("$.a"));
    assert!(!d.changed_below("$.same") && !d.changed_below("$.a.c"));
    let removed: Vec<_> = d.removed_under("$").collect();
    assert_eq!(removed, vec![(&Segment::Key("d".into()), &json!(true))]);
}

#[test]
fn the_diff_compares_arrays_index_by_index() {
    let old = json!({"items": [1, {"x": 1}, 3]});
    assert_eq!(
        changes(&old, &json!({"items": [1, {"x": 2}]})),
        vec![
            ("$.items[1].x".into(), ChangeKind::Changed, Some(json!(1))),
            ("$.items[2]".into(), ChangeKind::Removed, Some(json!(3))),
        ]
    );
    assert_eq!(
        changes(&old, &json!({"items": [1, {"x": 1}, 3, "new"]})),
        vec![("$.items[3]".into(), ChangeKind::Added, None)]
    );
}

#[test]
fn an_element_inserted_or_removed_in_a_list_is_one_change_not_a_shift_of_the_rest() {
    let old = json!({"preparing": ["o1", "o10", "o3", "o4"]});
    let inserted = json!({"preparing": ["o1", "o10", "o2", "o3", "o4"]});
    assert_eq!(
        changes(&old, &inserted),
        vec![("$.preparing[2]".into(), ChangeKind::Added, None)]
    );
    let d = diff(&inserted, &old);
    assert_eq!(
        changes(&inserted, &old),
        vec![(
            "$.preparing[2]".into(),
            ChangeKind::Removed,
            Some(json!("o2"))
        )]
    );
    assert!(
        d.get("$.preparing[2]").is_none(),
        "the element now at [2] (o3) did not change"
    );
    let removed: Vec<_> = d.removed_under("$.preparing").collect();
    assert_eq!(removed, vec![(&Segment::Index(2), &json!("o2"))]);
    assert!(d.changed_below("$") && d.changed_below("$.preparing"));
    // Between equal ends, elements are compared index by index.
    assert_eq!(
        changes(&json!([0, 1, 2, 9]), &json!([0, 5, 6, 7, 9])),
        vec![
            ("$[1]".into(), ChangeKind::Changed, Some(json!(1))),
            ("$[2]".into(), ChangeKind::Changed, Some(json!(2))),
            ("$[3]".into(), ChangeKind::Added, None),
        ]
    );
}

#[test]
fn the_diff_treats_a_change_of_type_as_one_change_and_quotes_ambiguous_keys() {
    assert_eq!(
        changes(&json!({"a": {"b": 1}}), &json!({"a": null})),
        vec![("$.a".into(), ChangeKind::Changed, Some(json!({"b": 1})))]
    );
    assert_eq!(
        changes(&json!(1), &json!("1")),
        vec![("$".into(), ChangeKind::Changed, Some(json!(1)))]
    );
    assert_eq!(
        changes(&json!({"a.b": 1}), &json!({"a.b": 2})),
        vec![(r#"$["a.b"]"#.into(), ChangeKind::Changed, Some(json!(1)))]
    );
    assert!(diff(
        &json!({"a": [1, {"b": null}]}),
        &json!({"a": [1, {"b": null}]})
    )
    .is_empty());
}

#[test]
fn a_childs_json_pointer_escapes_tilde_and_slash_and_finds_the_child() {
    let value = json!({"menu": {"a/b~c": [1, {"price": 900}]}});
    let key = Segment::Key("a/b~c".into()).pointer_under("/menu");
    assert_eq!(key, "/menu/a~1b~0c");
    let item = Segment::Index(1).pointer_under(&key);
    let price = Segment::Key("price".into()).pointer_under(&item);
    assert_eq!(price, "/menu/a~1b~0c/1/price");
    assert_eq!(value.pointer(&price), Some(&json!(900)));
    assert_eq!(Segment::Index(0).pointer_under(""), "/0", "under the root");
}

/// Component tests, mounted in headless Chromium.
#[cfg(target_arch = "wasm32")]
mod browser {
    use super::diff;
    use decider_core::boundary::{DynEngine, FactRow, Refusal};
    use decider_core::engine::EngineConfig;
    use decider_web::components::inspector::{Inspector, InspectorProps};
    use decider_web::widgets::json_tree::{JsonTree, JsonTreeProps};
    use serde_json::{json, Value};
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::{Element, HtmlElement};

    async fn settle() {
        yew::platform::time::sleep(Duration::from_millis(30)).await;
    }

    fn new_root() -> Element {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        root
    }

    async fn mount_inspector(props: InspectorProps) -> Element {
        let root = new_root();
        yew::Renderer::<Inspector>::with_root_and_props(root.clone(), props).render();
        settle().await;
        root.query_selector("[data-testid=inspector]")
            .unwrap()
            .unwrap()
    }

    fn text(element: &Element) -> String {
        element.text_content().unwrap_or_default()
    }

    /// Clicks the inspector tab `id` (`stream`, `view`, `process`, `envelope`).
    async fn open_tab(panel: &Element, id: &str) {
        let tab: HtmlElement = panel
            .query_selector(&format!("[data-testid=inspector-tab][data-tab={id}]"))
            .unwrap()
            .unwrap()
            .unchecked_into();
        tab.click();
        settle().await;
    }

    /// A restaurant engine that ran the happy path to the end.
    fn restaurant() -> Box<dyn DynEngine> {
        restaurant_ran(include_str!(
            "../../tests/scenarios/restaurant/happy-path.json"
        ))
    }

    /// A restaurant engine that ran the scenario `text`'s commands to the end.
    fn restaurant_ran(text: &str) -> Box<dyn DynEngine> {
        let scenario: Value = serde_json::from_str(text).unwrap();
        let domain = decider_domains::find("restaurant").unwrap();
        let mut engine = domain.start(EngineConfig::default());
        for step in scenario["steps"].as_array().unwrap() {
            engine.submit(&step["command"]).unwrap();
            assert!(engine.run_until_idle(1_000).idle);
        }
        engine
    }

    /// The props the lead's session gives for the cursor just after the last fact of
    /// `stream_prefix`'s streams, with that fact selected.
    fn props_after_last_fact_of(engine: &dyn DynEngine, stream_prefix: &str) -> InspectorProps {
        let rows = engine.rows(0, engine.head());
        let fact: FactRow = rows
            .into_iter()
            .rev()
            .find(|r| r.stream_id.starts_with(stream_prefix))
            .unwrap();
        let p = fact.position + 1;
        let stream = fact.stream_id.clone();
        InspectorProps {
            current: Rc::new(engine.inspect(Some(p), Some(&stream), 50)),
            previous: Some(Rc::new(engine.inspect(Some(p - 1), Some(&stream), 50))),
            fact: Some(Rc::new(fact)),
            stream: Some(stream),
            past: p < engine.head(),
            held: false,
            has_view: true,
            has_process: true,
            field: None,
            why: None,
            on_why: yew::Callback::noop(),
            on_fork: yew::Callback::noop(),
            on_track: None,
            on_select: yew::Callback::noop(),
        }
    }

    #[wasm_bindgen_test]
    async fn the_inspector_marks_what_the_selected_fact_changed() {
        let engine = restaurant();
        let props = props_after_last_fact_of(&*engine, "order-");
        let position = props.current.position;
        let stream = props.stream.clone().unwrap();
        let panel = mount_inspector(props).await;
        let marks = panel.query_selector_all("[data-testid=diff-mark]").unwrap();
        assert!(marks.length() > 0, "no diff mark in {}", text(&panel));
        let stream_marks = panel
            .query_selector_all("[data-section=stream] [data-testid=diff-mark]")
            .unwrap();
        let marked: Vec<String> = (0..stream_marks.length())
            .filter_map(|i| stream_marks.get(i)?.text_content())
            .collect();
        assert!(
            marked
                .iter()
                .any(|m| m.contains("status") && m.contains("Δ")),
            "the order's status changed: {marked:?}"
        );
        let header = text(&panel.query_selector("header").unwrap().unwrap());
        assert!(
            header.contains(&format!("state after #{}", position - 1)),
            "{header}"
        );
        let stream_tab = panel
            .query_selector("[data-section=stream]")
            .unwrap()
            .unwrap();
        assert!(
            text(&stream_tab).contains(&stream),
            "the stream id is shown"
        );
    }

    #[wasm_bindgen_test]
    async fn the_panel_text_holds_the_state_and_the_envelope_its_ids() {
        let engine = restaurant();
        let props = props_after_last_fact_of(&*engine, "restaurant-");
        let view = props.current.view.to_string();
        let process = props.current.process.to_string();
        let fact = props.fact.clone().unwrap();
        let panel = mount_inspector(props).await;
        let all = text(&panel);
        assert!(all.contains(&view), "the view's JSON is in the text: {all}");
        assert!(all.contains(&process), "the process state's JSON too");
        assert!(all.contains(r#""status""#), "{all}");
        let tab = panel
            .query_selector("[data-testid=inspector-tab][data-tab=envelope]")
            .unwrap()
            .unwrap();
        tab.unchecked_ref::<HtmlElement>().click();
        settle().await;
        assert_eq!(tab.get_attribute("aria-selected").as_deref(), Some("true"));
        let envelope = panel
            .query_selector("[data-testid=envelope]")
            .unwrap()
            .unwrap();
        let shown = text(&envelope);
        assert!(
            shown.contains(&fact.correlation_id.to_string()),
            "correlation id in {shown}"
        );
        let copies = envelope
            .query_selector_all("[data-testid=copy-id]")
            .unwrap();
        assert_eq!(
            copies.length(),
            5,
            "stream, fact, command, correlation, causation"
        );
    }

    #[wasm_bindgen_test]
    async fn empty_states_teach_what_to_do() {
        let engine = restaurant();
        let state = Rc::new(engine.inspect(Some(3), None, 50));
        let panel = mount_inspector(InspectorProps {
            current: state.clone(),
            previous: Some(state),
            fact: None,
            stream: None,
            past: true,
            held: false,
            has_view: true,
            has_process: true,
            field: None,
            why: None,
            on_why: yew::Callback::noop(),
            on_fork: yew::Callback::noop(),
            on_track: None,
            on_select: yew::Callback::noop(),
        })
        .await;
        let all = text(&panel);
        assert!(all.contains("No change at this position"), "{all}");
        assert!(all.contains("past"), "{all}");
        // Only the shown tab is drawn: each empty state shows once its tab is chosen.
        open_tab(&panel, "stream").await;
        let stream = text(&panel);
        assert!(
            stream.contains("Select a fact in the log to see its stream here"),
            "{stream}"
        );
        open_tab(&panel, "envelope").await;
        let envelope = panel
            .query_selector("[data-testid=envelope]")
            .unwrap()
            .unwrap();
        assert!(
            text(&envelope).contains("Select a fact in the log to see its envelope"),
            "{}",
            text(&envelope)
        );
        assert_eq!(
            panel
                .query_selector_all("[data-testid=diff-mark]")
                .unwrap()
                .length(),
            0
        );
        let initial = mount_inspector(InspectorProps {
            current: Rc::new(engine.inspect(Some(0), None, 50)),
            previous: None,
            fact: None,
            stream: None,
            past: true,
            held: false,
            has_view: true,
            has_process: true,
            field: None,
            why: None,
            on_why: yew::Callback::noop(),
            on_fork: yew::Callback::noop(),
            on_track: None,
            on_select: yew::Callback::noop(),
        })
        .await;
        assert!(
            text(&initial).contains("initial state"),
            "{}",
            text(&initial)
        );
    }

    /// A `keydown` of `key` that bubbles, as a keyboard sends it.
    fn key_down(key: &str) -> web_sys::Event {
        let init = js_sys::Object::new();
        js_sys::Reflect::set(&init, &"key".into(), &key.into()).unwrap();
        js_sys::Reflect::set(&init, &"bubbles".into(), &true.into()).unwrap();
        let constructor: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &"KeyboardEvent".into())
                .unwrap()
                .unchecked_into();
        js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&"keydown".into(), &init))
            .unwrap()
            .unchecked_into()
    }

    #[wasm_bindgen_test]
    async fn a_node_opens_and_closes_by_click_and_by_keyboard() {
        let root = new_root();
        let props = JsonTreeProps {
            value: Rc::new(json!({"order": {"status": "placed"}})),
            diff: None,
            collapsed_depth: 1,
            name: "state".into(),
            choices: None,
            on_history: None,
            tracked: None,
        };
        yew::Renderer::<JsonTree>::with_root_and_props(root.clone(), props).render();
        settle().await;
        let toggle = |label: &str| {
            let buttons = root.query_selector_all("button[aria-expanded]").unwrap();
            (0..buttons.length())
                .filter_map(|i| buttons.get(i)?.dyn_into::<HtmlElement>().ok())
                .find(|b| b.text_content().is_some_and(|t| t.contains(label)))
                .unwrap()
        };
        let order = toggle("order");
        assert_eq!(
            order.get_attribute("aria-expanded").as_deref(),
            Some("false")
        );
        assert!(!text(&root).contains("placed"), "closed: {}", text(&root));
        assert!(
            text(&root).contains("1 key"),
            "a closed node counts its items"
        );

        order.click();
        settle().await;
        let order = toggle("order");
        assert_eq!(
            order.get_attribute("aria-expanded").as_deref(),
            Some("true")
        );
        assert!(text(&root).contains(r#""placed""#), "{}", text(&root));

        order.dispatch_event(&key_down("ArrowLeft")).unwrap();
        settle().await;
        let order = toggle("order");
        assert_eq!(
            order.get_attribute("aria-expanded").as_deref(),
            Some("false")
        );
        assert!(!text(&root).contains("placed"));

        order.dispatch_event(&key_down("ArrowRight")).unwrap();
        settle().await;
        assert_eq!(
            toggle("order").get_attribute("aria-expanded").as_deref(),
            Some("true")
        );
    }

    #[wasm_bindgen_test]
    async fn long_arrays_page_two_hundred_at_a_time() {
        let root = new_root();
        let items: Vec<Value> = (0..450).map(|i| json!(format!("item-{i}"))).collect();
        let props = JsonTreeProps {
            value: Rc::new(json!({ "items": items })),
            diff: None,
            collapsed_depth: 2,
            name: "list".into(),
            choices: None,
            on_history: None,
            tracked: None,
        };
        yew::Renderer::<JsonTree>::with_root_and_props(root.clone(), props).render();
        settle().await;
        assert!(text(&root).contains("item-199") && !text(&root).contains("item-200"));
        let more = root.query_selector(".json-tree-more").unwrap().unwrap();
        assert!(
            text(&more).contains("show 200 more (250 hidden)"),
            "{}",
            text(&more)
        );
        more.unchecked_ref::<HtmlElement>().click();
        settle().await;
        assert!(text(&root).contains("item-399") && !text(&root).contains("item-400"));
    }

    /// A tree of `new` marking what changed since `old`, mounted.
    async fn mount_diffed_tree(old: &Value, new: &Value) -> Element {
        let root = new_root();
        let props = JsonTreeProps {
            value: Rc::new(new.clone()),
            diff: Some(Rc::new(diff(old, new))),
            collapsed_depth: 2,
            name: "state".into(),
            choices: None,
            on_history: None,
            tracked: None,
        };
        yew::Renderer::<JsonTree>::with_root_and_props(root.clone(), props).render();
        settle().await;
        root
    }

    #[wasm_bindgen_test]
    async fn a_change_further_on_than_a_long_lists_page_is_in_sight() {
        let old: Vec<Value> = (0..450).map(|i| json!(format!("item-{i}"))).collect();
        let mut new = old.clone();
        new.insert(300, json!("inserted"));
        let (old, new) = (json!({ "items": old }), json!({ "items": new }));
        let root = mount_diffed_tree(&old, &new).await;
        let marks = root.query_selector_all("[data-testid=diff-mark]").unwrap();
        assert_eq!(marks.length(), 1, "one element added: {}", text(&root));
        let mark = text(&marks.get(0).unwrap().unchecked_into());
        assert!(mark.contains("300") && mark.contains("inserted"), "{mark}");
        assert!(text(&root).contains("item-199") && !text(&root).contains("item-200"));
        assert!(root.query_selector(".json-tree-gap").unwrap().is_some());
        let more = root.query_selector(".json-tree-more").unwrap().unwrap();
        assert!(
            text(&more).contains("show 200 more (250 hidden)"),
            "451 items, 200 and the changed one shown: {}",
            text(&more)
        );
        // Once the page reaches it, the change is in its place, not repeated.
        more.unchecked_ref::<HtmlElement>().click();
        settle().await;
        more.unchecked_ref::<HtmlElement>().click();
        settle().await;
        assert_eq!(text(&root).matches("inserted").count(), 1);
        assert!(root.query_selector(".json-tree-gap").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn a_removed_key_and_a_changed_value_are_marked_with_the_old_value() {
        let old = json!({"status": "placed", "note": "ring twice", "tags": ["vip"]});
        let new = json!({"status": "ready", "tags": []});
        let root = mount_diffed_tree(&old, &new).await;
        let marks = root.query_selector_all("[data-testid=diff-mark]").unwrap();
        assert_eq!(marks.length(), 3, "status, note and tags[0]");
        assert!(
            text(&root).contains(r#""vip""#),
            "an emptied array still shows what it lost: {}",
            text(&root)
        );
        let changed = root.query_selector(".json-tree-changed").unwrap().unwrap();
        assert!(text(&changed).contains(r#""placed""#) && text(&changed).contains(r#""ready""#));
        let removed = root.query_selector_all(".json-tree-removed").unwrap();
        let removed = (0..removed.length())
            .filter_map(|i| removed.get(i)?.dyn_into::<Element>().ok())
            .find(|r| text(r).contains("note"))
            .unwrap();
        assert!(text(&removed).contains("ring twice"));
        assert!(
            removed.query_selector("del").unwrap().is_some(),
            "struck through"
        );
    }

    #[wasm_bindgen_test]
    async fn parents_of_changes_open_and_big_unchanged_subtrees_stay_closed() {
        let big: serde_json::Map<String, Value> =
            (0..30).map(|i| (format!("k{i}"), json!(i))).collect();
        let old = json!({"deep": {"er": {"still": {"status": "placed"}}}, "big": big});
        let mut new = old.clone();
        new["deep"]["er"]["still"]["status"] = json!("ready");
        let root = new_root();
        let props = JsonTreeProps {
            value: Rc::new(new.clone()),
            diff: Some(Rc::new(diff(&old, &new))),
            collapsed_depth: 1,
            name: "state".into(),
            choices: None,
            on_history: None,
            tracked: None,
        };
        yew::Renderer::<JsonTree>::with_root_and_props(root.clone(), props).render();
        settle().await;
        let all = text(&root);
        assert!(all.contains(r#""ready""#), "the change is shown: {all}");
        assert!(
            !all.contains("k29"),
            "the big unchanged object stays closed: {all}"
        );
        assert!(all.contains("30 keys"), "{all}");
        let marks = root.query_selector_all("[data-testid=diff-mark]").unwrap();
        assert_eq!(marks.length(), 1);
    }

    #[wasm_bindgen_test]
    async fn tabs_follow_the_arrow_keys_and_copy_buttons_say_what_happened() {
        let engine = restaurant();
        let props = props_after_last_fact_of(&*engine, "order-");
        let panel = mount_inspector(props).await;
        let selected = || {
            panel
                .query_selector("[data-testid=inspector-tab][aria-selected=true]")
                .unwrap()
                .and_then(|t| t.get_attribute("data-tab"))
        };
        assert_eq!(
            selected().as_deref(),
            Some("stream"),
            "a selected stream is shown first"
        );
        let active = panel
            .query_selector("[data-testid=inspector-tab][aria-selected=true]")
            .unwrap()
            .unwrap();
        active.dispatch_event(&key_down("ArrowLeft")).unwrap();
        settle().await;
        assert_eq!(
            selected().as_deref(),
            Some("envelope"),
            "the arrows wrap around"
        );
        let envelope = panel
            .query_selector("[data-section=envelope]")
            .unwrap()
            .unwrap();
        assert!(!envelope.has_attribute("hidden"));
        let stream = panel
            .query_selector("[data-section=stream]")
            .unwrap()
            .unwrap();
        assert!(stream.has_attribute("hidden"));

        let copy: HtmlElement = envelope
            .query_selector("[data-testid=copy-id]")
            .unwrap()
            .unwrap()
            .unchecked_into();
        assert_eq!(text(&copy), "copy");
        copy.click();
        let mut said = text(&copy);
        for _ in 0..50 {
            if said != "copy" {
                break;
            }
            settle().await;
            said = text(&copy);
        }
        assert!(said == "✔ copied" || said == "✘ refused", "{said}");
    }

    /// The view tab's node toggles, with their paths and whether each is open.
    fn view_toggles(panel: &Element) -> Vec<(String, bool, HtmlElement)> {
        let found = panel
            .query_selector_all("[data-section=view] button[aria-expanded]")
            .unwrap();
        (0..found.length())
            .filter_map(|i| found.get(i)?.dyn_into::<HtmlElement>().ok())
            .map(|b| {
                let path = b.get_attribute("title").unwrap_or_default();
                let open = b.get_attribute("aria-expanded").as_deref() == Some("true");
                (path, open, b)
            })
            .collect()
    }

    /// Clicks the view tab's toggle of `path`, which must be shown.
    async fn toggle_view_node(panel: &Element, path: &str) {
        let (_, _, toggle) = view_toggles(panel)
            .into_iter()
            .find(|(p, _, _)| p == path)
            .unwrap_or_else(|| panic!("{path} is shown"));
        toggle.click();
        settle().await;
    }

    fn is_open(panel: &Element, path: &str) -> Option<bool> {
        view_toggles(panel)
            .into_iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, open, _)| open)
    }

    /// The change count a tab shows beside its title, if any.
    fn tab_changes(panel: &Element, tab: &str) -> Option<String> {
        let selector =
            format!("[data-testid=inspector-tab][data-tab={tab}] .inspector-tab-changes");
        panel
            .query_selector(&selector)
            .unwrap()
            .map(|badge| text(&badge))
    }

    #[wasm_bindgen_test]
    async fn the_tabs_not_shown_count_their_changes_once_the_cursor_rests() {
        let engine = restaurant();
        let props = props_after_last_fact_of(&*engine, "order-");
        let previous = props.previous.clone().unwrap();
        let view_changes = diff(&previous.view, &props.current.view).len();
        let process_changes = diff(&previous.process, &props.current.process).len();
        assert!(
            view_changes > 0 && process_changes > 0,
            "the fact changed the view and the process"
        );
        // Mounted as a move renders it: the shown tab (the stream) counts its changes in
        // that render, the others not yet (their diffs wait until the cursor rests).
        let panel = mount_inspector(props).await;
        assert!(
            tab_changes(&panel, "stream").is_some(),
            "the shown tab's count"
        );
        assert_eq!(
            tab_changes(&panel, "view"),
            None,
            "the view's count waits for the rest"
        );
        assert_eq!(tab_changes(&panel, "process"), None);
        for _ in 0..200 {
            if tab_changes(&panel, "view").is_some() {
                break;
            }
            settle().await;
        }
        assert_eq!(
            tab_changes(&panel, "view"),
            Some(format!("Δ{view_changes}"))
        );
        assert_eq!(
            tab_changes(&panel, "process"),
            Some(format!("Δ{process_changes}"))
        );
    }

    #[wasm_bindgen_test]
    async fn a_tab_shown_again_opens_as_it_was_left() {
        let engine = restaurant();
        let props = props_after_last_fact_of(&*engine, "order-");
        let panel = mount_inspector(props).await;
        open_tab(&panel, "view").await;
        let toggles = view_toggles(&panel);
        let (closed, _, _) = toggles
            .iter()
            .find(|(_, open, _)| !open)
            .expect("the view has a closed node");
        let (other, _, _) = toggles
            .iter()
            .rev()
            .find(|(p, open, _)| *open && !closed.starts_with(p.as_str()))
            .expect("the view has an open node beside it");
        let (closed, other) = (closed.clone(), other.clone());
        toggle_view_node(&panel, &closed).await;
        toggle_view_node(&panel, &other).await;
        assert_eq!(is_open(&panel, &closed), Some(true), "{closed} opened");
        assert_eq!(is_open(&panel, &other), Some(false), "{other} closed");

        open_tab(&panel, "process").await;
        assert!(view_toggles(&panel).is_empty(), "the view's tree is gone");
        open_tab(&panel, "view").await;
        assert_eq!(is_open(&panel, &closed), Some(true), "{closed} still open");
        assert_eq!(is_open(&panel, &other), Some(false), "{other} still closed");
    }

    #[wasm_bindgen_test]
    async fn a_stream_created_by_the_fact_is_all_added() {
        let engine = restaurant();
        let first = engine
            .rows(0, engine.head())
            .into_iter()
            .find(|r| r.stream_id.starts_with("order-"))
            .unwrap();
        let p = first.position + 1;
        let stream = first.stream_id.clone();
        let panel = mount_inspector(InspectorProps {
            current: Rc::new(engine.inspect(Some(p), Some(&stream), 50)),
            previous: Some(Rc::new(engine.inspect(Some(p - 1), Some(&stream), 50))),
            fact: Some(Rc::new(first)),
            stream: Some(stream),
            past: true,
            held: false,
            has_view: true,
            has_process: true,
            field: None,
            why: None,
            on_why: yew::Callback::noop(),
            on_fork: yew::Callback::noop(),
            on_track: None,
            on_select: yew::Callback::noop(),
        })
        .await;
        let section = panel
            .query_selector("[data-section=stream]")
            .unwrap()
            .unwrap();
        assert!(text(&section).contains("created at this position"));
        let added = section.query_selector_all(".json-tree-added").unwrap();
        let marks = section
            .query_selector_all("[data-testid=diff-mark]")
            .unwrap();
        assert!(added.length() > 0);
        assert_eq!(added.length(), marks.length(), "every mark is an addition");
    }

    #[wasm_bindgen_test]
    async fn a_domain_without_a_view_says_so_and_opens_on_a_tab_with_content() {
        let domain = decider_domains::find("counter").unwrap();
        let mut engine = domain.start(EngineConfig::default());
        engine
            .submit(&json!({"increment": {"counter_id": "c1", "by": 1}}))
            .unwrap();
        assert!(engine.run_until_idle(100).idle);
        let panel = mount_inspector(InspectorProps {
            current: Rc::new(engine.inspect(None, None, 50)),
            previous: Some(Rc::new(engine.inspect(Some(0), None, 50))),
            fact: None,
            stream: None,
            past: false,
            held: false,
            has_view: false,
            has_process: false,
            field: None,
            why: None,
            on_why: yew::Callback::noop(),
            on_fork: yew::Callback::noop(),
            on_track: None,
            on_select: yew::Callback::noop(),
        })
        .await;
        let selected = panel
            .query_selector("[data-testid=inspector-tab][aria-selected=true]")
            .unwrap()
            .and_then(|t| t.get_attribute("data-tab"));
        assert_eq!(selected.as_deref(), Some("stream"), "not the empty view");
        let shown = panel
            .query_selector("[data-section=stream]")
            .unwrap()
            .unwrap();
        assert!(text(&shown).contains("Select a fact"), "{}", text(&shown));
        open_tab(&panel, "view").await;
        let view = panel
            .query_selector("[data-section=view]")
            .unwrap()
            .unwrap();
        assert!(text(&view).contains("no view"), "{}", text(&view));
        assert!(!text(&view).contains("null"), "{}", text(&view));
    }

    /// A callback that records what it is given, and the record.
    fn recorder<T: 'static>() -> (Rc<std::cell::RefCell<Vec<T>>>, yew::Callback<T>) {
        let record = Rc::new(std::cell::RefCell::new(Vec::new()));
        let kept = record.clone();
        (
            record,
            yew::Callback::from(move |t| kept.borrow_mut().push(t)),
        )
    }

    /// The element inside `parent` that `selector` matches (there is one).
    fn one(parent: &Element, selector: &str) -> Element {
        parent.query_selector(selector).unwrap().unwrap()
    }

    /// Clicks `element` as a person would.
    async fn click(element: &Element) {
        element.unchecked_ref::<HtmlElement>().click();
        settle().await;
    }

    #[wasm_bindgen_test]
    async fn a_fields_history_is_asked_for_from_its_row_and_lists_what_changed_it() {
        use decider_web::components::inspector::TrackedField;
        use decider_web::widgets::json_tree::TreeField;

        let engine = restaurant();
        let props = props_after_last_fact_of(&*engine, "order-");
        let stream = props.stream.clone().unwrap();
        let history = engine.field_history(&stream, "/status", None, 200);
        assert!(history.changes.len() >= 2, "{history:?}");
        let positions: Vec<String> = history
            .changes
            .iter()
            .map(|c| c.fact.position.to_string())
            .collect();

        // Asked from the row: the field's path and pointer go to the owner.
        let (asked, on_track) = recorder::<Option<TreeField>>();
        let panel = mount_inspector(InspectorProps {
            on_track: Some(on_track.clone()),
            ..props_after_last_fact_of(&*engine, "order-")
        })
        .await;
        let button = panel
            .query_selector("[data-testid=field-history-button][data-path='$.status']")
            .unwrap()
            .expect("the status row offers its history");
        assert_eq!(
            button.get_attribute("aria-pressed").as_deref(),
            Some("false")
        );
        click(&button).await;
        assert_eq!(
            *asked.borrow(),
            [Some(TreeField {
                path: "$.status".into(),
                pointer: "/status".into()
            })]
        );
        open_tab(&panel, "view").await;
        let view = panel
            .query_selector("[data-section=view]")
            .unwrap()
            .unwrap();
        assert!(view.query_selector(".json-tree-row").unwrap().is_some());
        assert!(
            view.query_selector("[data-testid=field-history-button]")
                .unwrap()
                .is_none(),
            "only the stream's rows offer a history"
        );

        // Shown with the cursor on the last change: that change is after the cursor, the
        // one before it set the value shown.
        let last = history.changes.last().unwrap().fact.position;
        let (selected, on_select) = recorder::<u64>();
        let field = Rc::new(TrackedField {
            path: "$.status".into(),
            history: history.clone(),
        });
        let panel = mount_inspector(InspectorProps {
            current: Rc::new(engine.inspect(Some(last), Some(&stream), 50)),
            previous: Some(Rc::new(engine.inspect(Some(last - 1), Some(&stream), 50))),
            past: true,
            field: Some(field),
            on_track: Some(on_track),
            on_select,
            ..props_after_last_fact_of(&*engine, "order-")
        })
        .await;
        let shown = panel
            .query_selector("[data-testid=field-history]")
            .unwrap()
            .expect("the history is shown");
        assert_eq!(
            shown.get_attribute("data-path").as_deref(),
            Some("$.status")
        );
        let rows = shown
            .query_selector_all("[data-testid=field-change]")
            .unwrap();
        let listed: Vec<String> = (0..rows.length())
            .filter_map(|i| {
                rows.get(i)?
                    .unchecked_into::<Element>()
                    .get_attribute("data-position")
            })
            .collect();
        assert_eq!(listed, positions);
        let first_value = history.changes[0].value.clone().unwrap().to_string();
        assert!(text(&shown).contains(&first_value), "{}", text(&shown));
        let current = shown
            .query_selector("[aria-current=true]")
            .unwrap()
            .unwrap();
        let before_last = &history.changes[history.changes.len() - 2];
        assert!(
            text(&current).contains(&format!("#{}", before_last.fact.position)),
            "the value at the cursor came from the change before the last: {}",
            text(&current)
        );
        let later = shown.query_selector_all(".field-change-later").unwrap();
        assert_eq!(later.length(), 1, "the last change is after the cursor");
        let pressed = panel
            .query_selector("[data-testid=field-history-button][aria-pressed=true]")
            .unwrap()
            .and_then(|b| b.get_attribute("data-path"));
        assert_eq!(pressed.as_deref(), Some("$.status"));

        click(&rows.get(0).unwrap().unchecked_into()).await;
        assert_eq!(*selected.borrow(), [history.changes[0].fact.position]);
        // The pressed button closes the history; so does the close button.
        let button = panel
            .query_selector("[data-testid=field-history-button][data-path='$.status']")
            .unwrap()
            .unwrap();
        click(&button).await;
        let close = panel
            .query_selector("[data-testid=field-history-close]")
            .unwrap()
            .unwrap();
        click(&close).await;
        assert_eq!(asked.borrow()[1..], [None, None]);
    }

    #[wasm_bindgen_test]
    async fn a_history_that_skipped_a_long_streams_first_events_says_so() {
        use decider_web::components::inspector::TrackedField;

        let engine = restaurant();
        let props = props_after_last_fact_of(&*engine, "order-");
        let stream = props.stream.clone().unwrap();
        let mut history = engine.field_history(&stream, "/status", None, 200);
        let first = history.changes.remove(0);
        // As the engine says it when the state is too large to fold every event.
        history.skipped = 1;
        history.from = first.fact.position + 1;
        history.initial = first.value.clone();
        let panel = mount_inspector(InspectorProps {
            field: Some(Rc::new(TrackedField {
                path: "$.status".into(),
                history: history.clone(),
            })),
            on_track: Some(yew::Callback::noop()),
            ..props
        })
        .await;
        let shown = text(
            &panel
                .query_selector("[data-testid=field-history]")
                .unwrap()
                .unwrap(),
        );
        let examined = history.events - 1;
        assert!(
            shown.contains(&format!("in the last {examined} events of {stream}")),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("before #{}", history.from)),
            "{shown}"
        );
        assert!(!shown.contains("initial state"), "{shown}");
    }

    #[wasm_bindgen_test]
    async fn a_rejection_asks_why_it_was_refused_and_shows_the_answer_or_a_decider_that_disagrees()
    {
        use decider_core::boundary::Outcome;

        let engine = restaurant_ran(include_str!(
            "../../tests/scenarios/restaurant/rejected-not-on-menu.json"
        ));
        // The restaurant's last fact is the refusal of the order.
        let props = || props_after_last_fact_of(&*engine, "restaurant-");
        let position = props().fact.unwrap().position;
        let (asked, on_why) = recorder::<Option<u64>>();
        let panel = mount_inspector(InspectorProps {
            on_why: on_why.clone(),
            ..props()
        })
        .await;
        open_tab(&panel, "envelope").await;
        let button = one(&panel, "[data-testid=why-button]");
        assert_eq!(
            button.get_attribute("aria-expanded").as_deref(),
            Some("false")
        );
        assert!(panel.query_selector("[data-testid=why]").unwrap().is_none());
        click(&button).await;
        assert_eq!(asked.borrow()[..], [Some(position)]);

        let why = engine.why_refused(position, 50).unwrap();
        let panel = mount_inspector(InspectorProps {
            why: Some(Rc::new(why.clone())),
            on_why: on_why.clone(),
            ..props()
        })
        .await;
        open_tab(&panel, "envelope").await;
        let answer = one(&panel, "[data-testid=why]");
        let verdict = |answer: &Element| {
            let verdict = one(answer, "[data-testid=why-verdict]");
            verdict.get_attribute("data-verdict").unwrap()
        };
        assert_eq!(verdict(&answer), "always", "{}", text(&answer));
        let stretches = answer
            .query_selector_all("[data-testid=why-stretch]")
            .unwrap();
        assert_eq!(stretches.length(), 3, "unknown, closed, not on the menu");
        assert!(text(&answer).contains("it would still be refused: not_on_menu"));
        let button = one(&panel, "[data-testid=why-button]");
        assert_eq!(
            button.get_attribute("aria-expanded").as_deref(),
            Some("true")
        );
        click(&button).await;
        assert_eq!(asked.borrow()[1..], [None], "the pressed toggle closes it");

        // A decider that decides otherwise the second time is said to be one.
        let disagreeing = Refusal {
            again: Outcome::Accepted {
                events: vec!["restaurant.order_accepted".into()],
            },
            ..why
        };
        let panel = mount_inspector(InspectorProps {
            why: Some(Rc::new(disagreeing)),
            ..props()
        })
        .await;
        open_tab(&panel, "envelope").await;
        let answer = one(&panel, "[data-testid=why]");
        assert_eq!(verdict(&answer), "differs");
        assert!(
            text(&answer).contains("not deterministic"),
            "{}",
            text(&answer)
        );

        // An event has nothing to explain.
        let event = mount_inspector(props_after_last_fact_of(&*engine, "order-")).await;
        open_tab(&event, "envelope").await;
        assert!(event
            .query_selector("[data-testid=why-button]")
            .unwrap()
            .is_none());
    }
}
