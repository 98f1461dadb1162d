//! The event log, mounted in headless Chromium over real engines: virtualization at
//! 100,000 facts, row kinds and marks, filters, selection, keyboard and following the tail.
#![cfg(target_arch = "wasm32")]

use decider_core::boundary::rows::unwrap_variants;
use decider_core::boundary::rows::{FactRow, LogFilter};
use decider_core::boundary::DynEngine;
use decider_core::EngineConfig;
use decider_web::components::log::row::compact_payload;
use decider_web::components::log::Log;
use decider_web::widgets::number::compact;
use decider_web::widgets::tabs;
use decider_web::widgets::text::shorten_middle;
use decider_web::widgets::virtual_list::Viewport;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

/// The engine under test and what the log told the page.
struct Shared {
    engine: RefCell<Box<dyn DynEngine>>,
    selected: RefCell<Vec<FactRow>>,
    filters: RefCell<Vec<LogFilter>>,
}

#[derive(Properties)]
struct HarnessProps {
    shared: Rc<Shared>,
    /// Bumped by the test after it changes the engine.
    version: u64,
    follow: bool,
    cursor: Option<u64>,
    reveal: Option<(usize, u64)>,
    focus_filter: u64,
}

impl PartialEq for HarnessProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
            && self.version == other.version
            && self.follow == other.follow
            && self.cursor == other.cursor
            && self.reveal == other.reveal
            && self.focus_filter == other.focus_filter
    }
}

/// A small session: owns the filter and the selection, reads rows from the engine by range
/// (through `matching` when filtered), as the playground's session does.
#[function_component]
fn Harness(props: &HarnessProps) -> Html {
    let filter = use_state(LogFilter::default);
    let selected = use_state(|| None::<FactRow>);
    let version_bump = use_state(|| 0u64);
    let shared = props.shared.clone();
    let (head, matching) = {
        let engine = shared.engine.borrow();
        let matching = (!filter.is_empty()).then(|| Rc::new(engine.matching(&filter)));
        (engine.head(), matching)
    };
    let len = matching.as_ref().map_or(head as usize, |m| m.len());
    let fetch = {
        let shared = shared.clone();
        Callback::from(move |(from, to): (usize, usize)| {
            let engine = shared.engine.borrow();
            match &matching {
                None => engine.rows(from as u64, to as u64),
                Some(positions) => positions[from.min(len)..to.min(len)]
                    .iter()
                    .flat_map(|&p| engine.rows(p, p + 1))
                    .collect(),
            }
        })
    };
    let on_filter = {
        let shared = shared.clone();
        let filter = filter.clone();
        let version_bump = version_bump.clone();
        Callback::from(move |f: LogFilter| {
            shared.filters.borrow_mut().push(f.clone());
            filter.set(f);
            version_bump.set(*version_bump + 1);
        })
    };
    let on_select = {
        let shared = shared.clone();
        let selected = selected.clone();
        Callback::from(move |row: FactRow| {
            shared.selected.borrow_mut().push(row.clone());
            selected.set(Some(row));
        })
    };
    let origins = Rc::new(vec!["user".to_string(), "given".to_string()]);
    html! {
        <div style="height: 480px; width: 1100px; display: flex; flex-direction: column;">
            <Log
                {len}
                {fetch}
                version={props.version * 1_000_000 + *version_bump}
                cursor={props.cursor}
                selected={selected.as_ref().map(|r| r.position)}
                flow={selected.as_ref().map(|r| r.correlation_id)}
                follow={props.follow}
                reveal={props.reveal}
                filter={(*filter).clone()}
                {on_filter}
                {origins}
                {on_select}
                {head}
                focus_filter={props.focus_filter}
            />
        </div>
    }
}

/// Puts the playground's theme, the shared panel rules and the log's stylesheet in the
/// page (once).
fn install_styles(document: &web_sys::Document) {
    if document.get_element_by_id("log-test-styles").is_some() {
        return;
    }
    let style = document.create_element("style").unwrap();
    style.set_id("log-test-styles");
    style.set_text_content(Some(&format!(
        "{}\n{}\n{}",
        include_str!("../styles/theme.css"),
        include_str!("../styles/layout.css"),
        include_str!("../styles/log.css")
    )));
    document.head().unwrap().append_child(&style).unwrap();
}

async fn frames() {
    yew::platform::time::sleep(Duration::from_millis(80)).await;
}

/// Waits until `check` holds, for up to 5 s (the machine running the tests may be busy);
/// returns whether it did.
async fn eventually(check: impl Fn() -> bool) -> bool {
    for _ in 0..250 {
        if check() {
            return true;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    check()
}

struct Mounted {
    root: Element,
    handle: AppHandle<Harness>,
    shared: Rc<Shared>,
    version: u64,
    follow: bool,
    cursor: Option<u64>,
    reveal: Option<(usize, u64)>,
    focus_filter: u64,
}

impl Mounted {
    async fn new(engine: Box<dyn DynEngine>, follow: bool, cursor: Option<u64>) -> Mounted {
        let document = web_sys::window().unwrap().document().unwrap();
        install_styles(&document);
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let shared = Rc::new(Shared {
            engine: RefCell::new(engine),
            selected: RefCell::default(),
            filters: RefCell::default(),
        });
        let props = HarnessProps {
            shared: shared.clone(),
            version: 0,
            follow,
            cursor,
            reveal: None,
            focus_filter: 0,
        };
        let handle = yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
        frames().await;
        // A busy machine may not have laid out the first rows yet: wait for them (an
        // empty log has none to wait for), then for one more frame.
        if shared.engine.borrow().head() > 0 {
            eventually(|| {
                root.query_selector("[data-testid=log-row]")
                    .ok()
                    .flatten()
                    .is_some()
            })
            .await;
            frames().await;
        }
        Mounted {
            root,
            handle,
            shared,
            version: 0,
            follow,
            cursor,
            reveal: None,
            focus_filter: 0,
        }
    }

    /// Renders the harness again with the fields of `self`.
    async fn update(&mut self) {
        self.update_now();
        frames().await;
    }

    /// Gives the harness the fields of `self` (Yew renders it in a microtask, before the
    /// next animation frame), without waiting.
    fn update_now(&mut self) {
        self.handle.update(HarnessProps {
            shared: self.shared.clone(),
            version: self.version,
            follow: self.follow,
            cursor: self.cursor,
            reveal: self.reveal,
            focus_filter: self.focus_filter,
        });
    }

    /// Tells the log that the engine changed.
    async fn refresh(&mut self) {
        self.version += 1;
        self.update().await;
    }

    fn rows(&self) -> Vec<Element> {
        let list = self
            .root
            .query_selector_all("[data-testid=log-row]")
            .unwrap();
        (0..list.length())
            .map(|i| list.get(i).unwrap().dyn_into::<Element>().unwrap())
            .collect()
    }

    fn positions(&self) -> Vec<u64> {
        self.rows()
            .iter()
            .map(|r| r.get_attribute("data-position").unwrap().parse().unwrap())
            .collect()
    }

    fn row(&self, position: u64) -> Option<Element> {
        self.root
            .query_selector(&format!(
                "[data-testid=log-row][data-position='{position}']"
            ))
            .unwrap()
    }

    fn by_testid(&self, id: &str) -> Element {
        self.root
            .query_selector(&format!("[data-testid={id}]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no [data-testid={id}]"))
    }

    fn scroller(&self) -> HtmlElement {
        self.by_testid("log").dyn_into().unwrap()
    }

    /// Whether the row at `position` is in the DOM and inside the scroller's visible box.
    fn in_view(&self, position: u64) -> bool {
        let Some(row) = self.row(position) else {
            return false;
        };
        let row = row.get_bounding_client_rect();
        let view = self.scroller().get_bounding_client_rect();
        row.top() >= view.top() - 0.5 && row.bottom() <= view.bottom() + 0.5
    }

    async fn scroll_to(&self, top: i32) {
        let scroller = self.scroller();
        scroller.set_scroll_top(top);
        scroller
            .dispatch_event(&web_sys::Event::new("scroll").unwrap())
            .unwrap();
        frames().await;
    }

    async fn key(&self, key: &str) {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.scroller().dispatch_event(&event).unwrap();
        self.selection_shown().await;
    }

    /// Waits until the log shows the last selected row as selected.
    async fn selection_shown(&self) {
        let Some(position) = self.shared.selected.borrow().last().map(|r| r.position) else {
            return;
        };
        eventually(|| {
            self.row(position)
                .is_some_and(|r| r.get_attribute("aria-selected").as_deref() == Some("true"))
        })
        .await;
    }
}

fn has_class(element: &Element, class: &str) -> bool {
    element
        .get_attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|k| k == class))
}

fn counter_engine() -> Box<dyn DynEngine> {
    decider_domains::find("counter")
        .unwrap()
        .start(EngineConfig::default())
}

fn submit(engine: &mut Box<dyn DynEngine>, command: Value) {
    engine.submit(&command).unwrap();
    engine.run_until_idle(10_000);
}

/// `n` facts of history, spread over 100 counters.
fn given_counters(engine: &mut Box<dyn DynEngine>, n: usize) {
    let per_stream = n / 100;
    for c in 0..100 {
        let events: Vec<Value> = (0..per_stream)
            .map(|_| json!({"incremented": {"counter_id": format!("c{c}"), "by": 0}}))
            .collect();
        engine.given(&format!("counter-c{c}"), &events).unwrap();
    }
}

#[wasm_bindgen_test]
async fn at_100k_facts_only_the_rows_in_view_are_in_the_dom_and_the_end_is_reachable() {
    let mut engine = counter_engine();
    given_counters(&mut engine, 100_000);
    assert_eq!(engine.head(), 100_000);
    let log = Mounted::new(engine, false, None).await;
    let rows = log.rows();
    assert!(!rows.is_empty() && rows.len() < 100, "{} rows", rows.len());
    assert_eq!(log.positions()[0], 0);
    assert!(eventually(|| log.in_view(0)).await);

    log.scroll_to(log.scroller().scroll_height()).await;
    eventually(|| log.positions().contains(&99_999)).await;
    let positions = log.positions();
    assert!(positions.len() < 100, "{} rows", positions.len());
    assert!(positions.contains(&99_999), "{positions:?}");
    assert!(eventually(|| log.in_view(99_999)).await);
    assert!(!positions.contains(&0));

    log.scroll_to(24 * 50_000).await;
    eventually(|| log.positions().contains(&50_000)).await;
    let positions = log.positions();
    assert!(positions.len() < 100, "{} rows", positions.len());
    assert!(positions.contains(&50_000), "{positions:?}");
    assert_eq!(
        log.by_testid("log-count").text_content().unwrap(),
        "100,000 facts"
    );
    let grid = log.scroller();
    assert_eq!(grid.get_attribute("role").as_deref(), Some("grid"));
    assert_eq!(
        grid.get_attribute("aria-rowcount").as_deref(),
        Some("100001")
    );
}

#[wasm_bindgen_test]
async fn a_row_chosen_elsewhere_is_scrolled_into_view_and_slash_focuses_the_filter() {
    let mut engine = counter_engine();
    given_counters(&mut engine, 100_000);
    let mut log = Mounted::new(engine, false, None).await;
    log.reveal = Some((70_000, 1));
    log.update().await;
    assert!(
        eventually(|| log.in_view(70_000)).await,
        "{:?}",
        log.positions()
    );
    log.scroll_to(0).await;
    assert!(eventually(|| !log.in_view(70_000)).await);
    // The same index again, with a new nonce.
    log.reveal = Some((70_000, 2));
    log.update().await;
    assert!(
        eventually(|| log.in_view(70_000)).await,
        "{:?}",
        log.positions()
    );

    // Other tests run alongside and may take the focus later: record the focus event.
    let input = log.by_testid("log-filter");
    let focused = Rc::new(std::cell::Cell::new(false));
    let _listener = {
        let focused = focused.clone();
        gloo::events::EventListener::new(&input, "focus", move |_| focused.set(true))
    };
    log.update().await;
    assert!(!focused.get(), "not focused before `/`");
    log.focus_filter = 1;
    log.update().await;
    assert!(eventually(|| focused.get()).await, "`/` focuses the filter");
}

/// A reveal far from the view does not render again the rows it scrolls away from: when
/// the next animation frame begins (this test's callback is asked for before the list's
/// own frame work), a row in view still has the state of the render before (here, not
/// yet dimmed by the cursor that came with the reveal); that frame then scrolls and
/// renders the rows the reveal brings.
#[wasm_bindgen_test]
async fn a_far_reveal_leaves_the_rows_it_scrolls_away_from_untouched() {
    let mut engine = counter_engine();
    given_counters(&mut engine, 100_000);
    let mut log = Mounted::new(engine, false, None).await;
    assert!(eventually(|| log.in_view(5)).await);
    log.cursor = Some(3);
    log.reveal = Some((60_000, 1));
    log.update_now();
    let seen = Rc::new(std::cell::Cell::new(None));
    let _frame = {
        let (row, seen) = (log.row(5).unwrap(), seen.clone());
        gloo::render::request_animation_frame(move |_| {
            seen.set(Some(has_class(&row, "log-row-future")));
        })
    };
    assert!(eventually(|| seen.get().is_some()).await, "a frame came");
    assert_eq!(
        seen.get(),
        Some(false),
        "the row scrolled away from is not rendered again"
    );
    assert!(
        eventually(|| log.in_view(60_000)).await,
        "{:?}",
        log.positions()
    );
    let revealed = log.row(60_000).unwrap();
    assert!(
        has_class(&revealed, "log-row-future"),
        "rendered with the cursor"
    );
    assert!(log.positions().len() > 10, "{:?}", log.positions());
}

/// What the list holds: its rows, those wholly below the scroller's box (the overscan
/// above sits under the sticky header), and whether the row at `position` is one of them.
fn rows_below(root: &Element, position: u64) -> (usize, usize, bool) {
    let rows = root.query_selector_all("[data-testid=log-row]").unwrap();
    let rows: Vec<Element> = (0..rows.length())
        .map(|i| rows.get(i).unwrap().dyn_into::<Element>().unwrap())
        .collect();
    let bottom = root
        .query_selector("[data-testid=log]")
        .unwrap()
        .unwrap()
        .get_bounding_client_rect()
        .bottom();
    let below = rows
        .iter()
        .filter(|r| r.get_bounding_client_rect().top() >= bottom)
        .count();
    let there = rows
        .iter()
        .any(|r| r.get_attribute("data-position") == Some(position.to_string()));
    (rows.len(), below, there)
}

impl Mounted {
    /// Reveals `index` (the row at `position`); returns what the list held ([`rows_below`])
    /// after each of its renders until that row was in view, seen by a mutation observer:
    /// its callback is a microtask right after a render, before any timer runs.
    async fn reveal_watched(
        &mut self,
        index: usize,
        nonce: u64,
        position: u64,
    ) -> Vec<(usize, usize, bool)> {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let on_mutation = {
            let (seen, root) = (seen.clone(), self.root.clone());
            wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                seen.borrow_mut().push(rows_below(&root, position))
            })
        };
        let observer =
            web_sys::MutationObserver::new(on_mutation.as_ref().unchecked_ref()).unwrap();
        let options = web_sys::MutationObserverInit::new();
        options.set_subtree(true);
        options.set_child_list(true);
        options.set_attributes(true);
        observer
            .observe_with_options(&self.scroller(), &options)
            .unwrap();
        self.reveal = Some((index, nonce));
        self.update_now();
        let shown = eventually(|| self.in_view(position)).await;
        observer.disconnect();
        assert!(shown, "{position} revealed: {:?}", self.positions());
        seen.take()
    }
}

/// A reveal that jumps renders the rows in view only: a slider dragged across the log
/// reveals a far row every frame, and the rows above and below the view would be styled,
/// laid out and painted for nothing. They are rendered once reveals rest. A step (a key
/// that scrolls by a row) keeps them.
#[wasm_bindgen_test]
async fn a_far_reveal_renders_the_rows_in_view_and_the_overscan_once_reveals_rest() {
    let mut engine = counter_engine();
    given_counters(&mut engine, 100_000);
    let mut log = Mounted::new(engine, false, None).await;
    assert!(eventually(|| log.in_view(5)).await);
    let (full, below, _) = rows_below(&log.root, 0);
    assert!(below >= 4, "the overscan below the view at first");

    let renders = log.reveal_watched(60_000, 1, 60_000).await;
    let (rows, below, _) = *renders
        .iter()
        .find(|(_, _, there)| *there)
        .expect("a render brought the row");
    assert!(
        rows < full && below <= 1,
        "the rows in view only: {rows} rows (a window {full}), {below} below the view"
    );
    assert!(
        eventually(|| {
            let (now, below, _) = rows_below(&log.root, 0);
            now > rows && below >= 4
        })
        .await,
        "the overscan once reveals rest: {:?}",
        log.positions()
    );
    assert!(log.in_view(60_000), "{:?}", log.positions());

    // The first row below the view, revealed: a step of one row.
    let (rendered, _, _) = rows_below(&log.root, 0);
    let next = (60_000..60_100)
        .find(|&p| log.row(p).is_some() && !log.in_view(p))
        .expect("a row below the view");
    let renders = log.reveal_watched(next as usize, 2, next).await;
    assert!(
        renders.iter().all(|(rows, _, _)| *rows == rendered),
        "a step keeps the overscan: {rendered} rows, then {renders:?}"
    );
}

/// Following the tail, the log renders the rows in view only, in the slots a jump's rows
/// take: the slider's first move into the past (a far reveal from the tail) patches the
/// rows it finds and makes or drops none (a row made or dropped lays the whole page out
/// again, in that move's frame).
#[wasm_bindgen_test]
async fn a_far_reveal_from_the_tail_patches_its_rows_and_makes_or_drops_none() {
    let mut engine = counter_engine();
    given_counters(&mut engine, 100_000);
    let mut log = Mounted::new(engine, true, None).await;
    assert!(eventually(|| log.in_view(99_999)).await);
    let tail = log.rows();

    (log.follow, log.cursor) = (false, Some(60_001));
    log.reveal_watched(60_000, 1, 60_000).await;
    let jumped = log.rows();
    assert_eq!(
        jumped.len(),
        tail.len(),
        "as many rows as at the tail: {:?}",
        log.positions()
    );
    assert!(
        jumped.iter().all(|row| tail.contains(row)),
        "each row patched in place: {:?}",
        log.positions()
    );
}

#[wasm_bindgen_test]
async fn rejections_are_rows_of_their_own_kind_naming_the_refused_command() {
    let mut engine = counter_engine();
    submit(
        &mut engine,
        json!({"increment": {"counter_id": "clicks", "by": 10}}),
    );
    submit(
        &mut engine,
        json!({"decrement": {"counter_id": "clicks", "by": 11}}),
    );
    let log = Mounted::new(engine, false, None).await;
    let event = log.row(0).unwrap();
    assert_eq!(event.get_attribute("data-kind").unwrap(), "event");
    assert_eq!(event.get_attribute("data-origin").unwrap(), "user");
    assert_eq!(
        event.get_attribute("data-stream").unwrap(),
        "counter-clicks"
    );
    let text = event.text_content().unwrap();
    assert!(text.contains('✔') && text.contains("incremented"), "{text}");
    assert!(
        text.contains("by: 10"),
        "payload without the variant: {text}"
    );

    let rejection = log.row(1).unwrap();
    assert_eq!(rejection.get_attribute("data-kind").unwrap(), "rejection");
    assert!(has_class(&rejection, "log-row-rejection"));
    let text = rejection.text_content().unwrap();
    assert!(text.contains('✘') && text.contains("below_zero"), "{text}");
    assert!(text.contains("decrement"), "the refused command: {text}");
}

#[wasm_bindgen_test]
async fn an_injected_fault_is_its_own_mark() {
    let mut engine = counter_engine();
    let id = engine
        .submit(&json!({"increment": {"counter_id": "a", "by": 1}}))
        .unwrap();
    engine
        .inject_fault(id, &json!({"above_max": {"value": 0}}))
        .unwrap();
    let log = Mounted::new(engine, false, None).await;
    let row = log.row(0).unwrap();
    assert_eq!(row.get_attribute("data-kind").unwrap(), "rejection");
    assert_eq!(row.get_attribute("data-injected").unwrap(), "true");
    assert!(has_class(&row, "log-row-injected"));
    let text = row.text_content().unwrap();
    assert!(text.contains('⚡') && text.contains('✘'), "{text}");
}

/// The commands of the restaurant's not-on-menu scenario.
fn restaurant_not_on_menu() -> Box<dyn DynEngine> {
    let scenario: Value = serde_json::from_str(include_str!(
        "../../tests/scenarios/restaurant/rejected-not-on-menu.json"
    ))
    .unwrap();
    let mut engine = decider_domains::find("restaurant")
        .unwrap()
        .start(EngineConfig::default());
    for step in scenario["steps"].as_array().unwrap() {
        submit(&mut engine, step["command"].clone());
    }
    engine
}

#[wasm_bindgen_test]
async fn compensations_are_marked_with_the_process_that_issued_them() {
    let log = Mounted::new(restaurant_not_on_menu(), false, None).await;
    let compensations: Vec<Element> = log
        .rows()
        .into_iter()
        .filter(|r| r.get_attribute("data-compensation").as_deref() == Some("true"))
        .collect();
    assert_eq!(compensations.len(), 2, "refund and cancel");
    for row in &compensations {
        assert_eq!(row.get_attribute("data-origin").unwrap(), "fulfilment");
        assert_eq!(row.get_attribute("data-injected").unwrap(), "false");
        assert!(row.text_content().unwrap().contains('↩'));
    }
    let rejected = log
        .rows()
        .into_iter()
        .find(|r| r.get_attribute("data-kind").as_deref() == Some("rejection"))
        .unwrap();
    let text = rejected.text_content().unwrap();
    assert!(
        text.contains("not_on_menu") && text.contains("accept_order"),
        "{text}"
    );
    let badges = log.root.query_selector_all(".badge-ext").unwrap().length();
    assert!(badges > 0, "the order and payment events are external");
}

#[wasm_bindgen_test]
async fn filters_are_emitted_and_applied() {
    let log = Mounted::new(restaurant_not_on_menu(), false, None).await;
    let input: HtmlInputElement = log.by_testid("log-filter").dyn_into().unwrap();
    input.set_value("refund");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    let emitted = |text: &str| {
        log.shared
            .filters
            .borrow()
            .last()
            .is_some_and(|f| f.text == text)
    };
    assert!(eventually(|| emitted("refund")).await);
    assert!(eventually(|| log.positions().len() == 1).await);
    let positions = log.positions();
    assert_eq!(positions.len(), 1, "{positions:?}");
    let count = log.by_testid("log-count").text_content().unwrap();
    assert_eq!(
        count,
        format!("1 of {} facts", log.shared.engine.borrow().head())
    );

    input.set_value("no such thing");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    assert!(eventually(|| emitted("no such thing")).await);
    assert!(eventually(|| log.rows().is_empty()).await);
    let text = log.by_testid("log").text_content().unwrap();
    assert!(text.contains("No fact matches the filter"), "{text}");

    input.set_value("");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    let kind: HtmlSelectElement = log.by_testid("log-kind-filter").dyn_into().unwrap();
    assert!(eventually(|| emitted("")).await);
    kind.set_value("rejection");
    kind.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    assert!(eventually(|| log.positions() == [4]).await);
    let last = log.shared.filters.borrow().last().cloned().unwrap();
    assert_eq!(last.kind.map(|k| k.as_str()), Some("rejection"));
    assert_eq!(last.text, "");
    let kinds: Vec<String> = log
        .rows()
        .iter()
        .map(|r| r.get_attribute("data-kind").unwrap())
        .collect();
    assert_eq!(kinds, ["rejection"]);

    let origin: HtmlSelectElement = log.by_testid("log-origin-filter").dyn_into().unwrap();
    origin.set_value("user");
    origin
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    let last = log.shared.filters.borrow().last().cloned().unwrap();
    assert_eq!(last.origin.as_deref(), Some("user"));
    assert!(
        eventually(|| log.rows().is_empty()).await,
        "no rejection of a user command"
    );
    assert!(log
        .by_testid("log")
        .text_content()
        .unwrap()
        .contains("No fact matches the filter"));
}

#[wasm_bindgen_test]
async fn clicking_a_row_selects_it_and_marks_its_flow() {
    let log = Mounted::new(restaurant_not_on_menu(), false, None).await;
    let row: HtmlElement = log.row(3).unwrap().dyn_into().unwrap();
    row.click();
    log.selection_shown().await;
    let selected = log.shared.selected.borrow().last().cloned().unwrap();
    assert_eq!(selected.position, 3);
    let row = log.row(3).unwrap();
    assert!(has_class(&row, "log-row-selected"));
    assert_eq!(row.get_attribute("aria-selected").unwrap(), "true");
    // Positions 2.. belong to the order's flow; the restaurant's setup does not.
    assert!(has_class(&log.row(5).unwrap(), "log-row-flow"));
    assert!(!has_class(&log.row(0).unwrap(), "log-row-flow"));

    let flow: HtmlElement = log.by_testid("log-flow-filter").dyn_into().unwrap();
    flow.click();
    let last = log.shared.filters.borrow().last().cloned().unwrap();
    assert_eq!(last.correlation_id, Some(selected.correlation_id));
    assert!(eventually(|| log.positions() == [2, 3, 4, 5, 6]).await);
}

#[wasm_bindgen_test]
async fn the_keyboard_moves_the_selection() {
    let log = Mounted::new(restaurant_not_on_menu(), false, None).await;
    log.scroller().focus().unwrap();
    log.key("Enter").await;
    log.key("ArrowDown").await;
    let selected: Vec<u64> = log
        .shared
        .selected
        .borrow()
        .iter()
        .map(|r| r.position)
        .collect();
    assert_eq!(selected, [0, 1], "Enter selects the first row in view");
    assert_eq!(
        log.scroller()
            .get_attribute("aria-activedescendant")
            .as_deref(),
        Some("log-row-1")
    );
    log.key("End").await;
    let head = log.shared.engine.borrow().head();
    let last = log.shared.selected.borrow().last().unwrap().position;
    assert_eq!(last, head - 1);
    log.key("ArrowUp").await;
    let last = log.shared.selected.borrow().last().unwrap().position;
    assert_eq!(last, head - 2);
    log.key("Home").await;
    let last = log.shared.selected.borrow().last().unwrap().position;
    assert_eq!(last, 0);
}

#[wasm_bindgen_test]
async fn following_the_tail_keeps_the_newest_row_in_view() {
    let mut engine = counter_engine();
    given_counters(&mut engine, 1_000);
    let mut log = Mounted::new(engine, true, None).await;
    assert!(
        eventually(|| log.in_view(999)).await,
        "{:?}",
        log.positions()
    );
    given_counters(&mut log.shared.engine.borrow_mut(), 500);
    log.refresh().await;
    assert!(
        eventually(|| log.in_view(1_499)).await,
        "{:?}",
        log.positions()
    );
    assert!(log
        .root
        .query_selector("[data-testid=log-new-pill]")
        .unwrap()
        .is_none());

    // Scrolled up, new facts wait behind a pill.
    log.scroll_to(0).await;
    given_counters(&mut log.shared.engine.borrow_mut(), 200);
    log.refresh().await;
    assert!(eventually(|| log.in_view(0)).await);
    eventually(|| {
        log.root
            .query_selector("[data-testid=log-new-pill]")
            .unwrap()
            .is_some()
    })
    .await;
    let pill: HtmlElement = log.by_testid("log-new-pill").dyn_into().unwrap();
    assert_eq!(pill.text_content().unwrap(), "↓ 200 new");
    pill.click();
    frames().await;
    assert!(
        eventually(|| log.in_view(1_699)).await,
        "{:?}",
        log.positions()
    );
    assert!(
        eventually(|| log
            .root
            .query_selector("[data-testid=log-new-pill]")
            .unwrap()
            .is_none())
        .await
    );
}

#[wasm_bindgen_test]
async fn facts_flash_once_when_they_arrive_not_again_back_from_the_past() {
    let mut engine = counter_engine();
    given_counters(&mut engine, 1_000);
    let mut log = Mounted::new(engine, true, None).await;
    given_counters(&mut log.shared.engine.borrow_mut(), 500);
    log.refresh().await;
    let fresh = |log: &Mounted| {
        log.rows()
            .iter()
            .filter(|r| has_class(r, "log-row-fresh"))
            .count()
    };
    assert!(eventually(|| log.in_view(1_499)).await);
    assert!(fresh(&log) > 0, "the facts that just arrived flash");

    // Into the past and back to the tail: nothing arrived, nothing flashes.
    (log.follow, log.cursor) = (false, Some(500));
    log.update().await;
    (log.follow, log.cursor) = (true, None);
    log.update().await;
    assert!(eventually(|| log.in_view(1_499)).await);
    assert_eq!(fresh(&log), 0, "{:?}", log.positions());
}

#[wasm_bindgen_test]
async fn the_future_is_dimmed_while_viewing_the_past() {
    let log = Mounted::new(restaurant_not_on_menu(), false, Some(4)).await;
    assert!(!has_class(&log.row(3).unwrap(), "log-row-future"));
    assert!(has_class(&log.row(4).unwrap(), "log-row-future"));
    assert!(has_class(&log.row(6).unwrap(), "log-row-future"));
}

#[wasm_bindgen_test]
async fn an_empty_log_teaches_what_to_do_first() {
    let log = Mounted::new(counter_engine(), true, None).await;
    assert!(log.rows().is_empty());
    let text = log.by_testid("log").text_content().unwrap();
    assert!(text.contains("No facts yet"), "{text}");
    assert!(text.contains("Ctrl+Enter"), "{text}");
}

#[wasm_bindgen_test]
fn long_ids_are_shortened_in_the_middle_and_payloads_unwrapped() {
    assert_eq!(shorten_middle("order-o2", 22), "order-o2");
    let short = shorten_middle("restaurant-luigi-trattoria-centrale", 12);
    assert_eq!(short.chars().count(), 12);
    assert!(
        short.starts_with("restau") && short.ends_with("trale"),
        "{short}"
    );
    let placed = json!({"order": {"order_placed": {"customer": "Ada", "n": 2}}});
    assert_eq!(
        compact_payload(unwrap_variants(&placed, 2)),
        r#"customer: "Ada", n: 2"#
    );
    let unit = json!({"order": "order_prepared"});
    assert_eq!(compact_payload(unwrap_variants(&unit, 2)), "");
}

/// A log of `len` rows made up on request from one engine row, to go past what an engine in
/// a debug build fills quickly.
#[derive(Properties, PartialEq)]
struct SyntheticProps {
    len: usize,
    template: FactRow,
}

#[function_component]
fn Synthetic(props: &SyntheticProps) -> Html {
    let template = props.template.clone();
    let len = props.len;
    let fetch = Callback::from(move |(from, to): (usize, usize)| {
        (from..to.min(len))
            .map(|i| FactRow {
                position: i as u64,
                ..template.clone()
            })
            .collect::<Vec<_>>()
    });
    html! {
        <div style="height: 480px; width: 900px; display: flex; flex-direction: column;">
            <Log
                {len}
                {fetch}
                version={0}
                cursor={None::<u64>}
                selected={None::<u64>}
                flow={None::<decider_core::ids::Id>}
                follow={false}
                reveal={None::<(usize, u64)>}
                filter={LogFilter::default()}
                on_filter={Callback::noop()}
                origins={Rc::new(Vec::new())}
                on_select={Callback::noop()}
                head={len as u64}
                focus_filter={0}
            />
        </div>
    }
}

/// A [`Synthetic`] log of `len` rows made from `template`, mounted in an element of its
/// own (with the page's styles) and rendered.
async fn synthetic(len: usize, template: FactRow) -> (Element, AppHandle<Synthetic>) {
    let document = web_sys::window().unwrap().document().unwrap();
    install_styles(&document);
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let props = SyntheticProps { len, template };
    let app = yew::Renderer::<Synthetic>::with_root_and_props(root.clone(), props).render();
    frames().await;
    (root, app)
}

#[wasm_bindgen_test]
async fn two_million_rows_fit_under_the_browsers_height_cap_and_all_are_reachable() {
    let mut engine = counter_engine();
    submit(
        &mut engine,
        json!({"increment": {"counter_id": "a", "by": 1}}),
    );
    let template = engine.rows(0, 1).remove(0);
    let (root, _app) = synthetic(2_000_000, template).await;
    let scroller: HtmlElement = root
        .query_selector("[data-testid=log]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let height = scroller.scroll_height();
    assert!(height < 10_000_000, "the spacer is capped: {height}");
    let positions = |root: &Element| -> Vec<u64> {
        let list = root.query_selector_all("[data-testid=log-row]").unwrap();
        (0..list.length())
            .map(|i| {
                let row = list.get(i).unwrap().dyn_into::<Element>().unwrap();
                row.get_attribute("data-position").unwrap().parse().unwrap()
            })
            .collect()
    };
    let scroll = |top: i32| {
        scroller.set_scroll_top(top);
        scroller
            .dispatch_event(&web_sys::Event::new("scroll").unwrap())
            .unwrap();
    };
    scroll(height);
    eventually(|| positions(&root).contains(&1_999_999)).await;
    let at_end = positions(&root);
    assert!(at_end.contains(&1_999_999), "{at_end:?}");
    assert!(at_end.len() < 100);
    let last = root
        .query_selector("[data-position='1999999']")
        .unwrap()
        .unwrap()
        .get_bounding_client_rect();
    let view = scroller.get_bounding_client_rect();
    assert!(last.bottom() <= view.bottom() + 0.5 && last.top() >= view.top());

    scroll(height / 2);
    eventually(|| {
        positions(&root)
            .iter()
            .any(|p| (900_000..1_100_000).contains(p))
    })
    .await;
    let middle = positions(&root);
    assert!(
        middle.iter().any(|p| (900_000..1_100_000).contains(p)),
        "{middle:?}"
    );
}

#[wasm_bindgen_test]
async fn a_version_of_six_digits_is_shown_in_thousands_and_whole_in_its_tooltip() {
    assert_eq!(compact(99_999), "99999");
    assert_eq!(compact(100_000), "100k");
    assert_eq!(
        compact(123_999),
        "123k",
        "rounded down: never a version not reached"
    );
    assert_eq!(compact(99_999_999), "99999k");
    assert_eq!(compact(123_456_789), "123M");
    let mut engine = counter_engine();
    submit(
        &mut engine,
        json!({"increment": {"counter_id": "a", "by": 1}}),
    );
    let versions = [(1, "1", None), (123_456, "123k", Some("version 123,456"))];
    for (version, shown, tooltip) in versions {
        let mut template = engine.rows(0, 1).remove(0);
        template.stream_version = Some(version);
        let (root, app) = synthetic(3, template).await;
        let cell = root
            .query_selector("[data-testid=log-row] .log-version")
            .unwrap()
            .expect("a row's version cell");
        let (text, title) = (cell.text_content(), cell.get_attribute("title"));
        assert_eq!(text.as_deref(), Some(shown));
        assert_eq!(title.as_deref(), tooltip);
        app.destroy();
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn the_position_column_is_as_wide_as_the_last_position_needs_up_to_seven() {
    let mut engine = counter_engine();
    submit(
        &mut engine,
        json!({"increment": {"counter_id": "a", "by": 1}}),
    );
    // The last position's digits and two for the pending mark, 3 at least, 7 at most.
    let cases = [
        (1, "3ch"),
        (10, "3ch"),
        (11, "4ch"),
        (1_000, "5ch"),
        (100_001, "7ch"),
        (2_000_000, "7ch"),
    ];
    let mut drawn = Vec::new();
    for (len, width) in cases {
        let (root, app) = synthetic(len, engine.rows(0, 1).remove(0)).await;
        let log = root
            .query_selector("section.log")
            .unwrap()
            .expect("the log");
        let style = log.get_attribute("style").unwrap_or_default();
        assert_eq!(style, format!("--pos-w: {width}"), "{len} facts");
        let cell = root
            .query_selector("[data-testid=log-row] .log-pos")
            .unwrap()
            .unwrap();
        drawn.push(cell.get_bounding_client_rect().width());
        app.destroy();
        root.remove();
    }
    // As drawn: the same width for the same characters, wider for more.
    assert_eq!(drawn[0], drawn[1], "{drawn:?}");
    assert!(
        drawn[1] < drawn[2] && drawn[2] < drawn[3] && drawn[3] < drawn[4],
        "{drawn:?}"
    );
    assert_eq!(drawn[4], drawn[5], "{drawn:?}");
}

#[wasm_bindgen_test]
fn list_and_tab_keys_move_within_their_bounds() {
    let view = Viewport {
        first: 10,
        fits: 12,
        at_end: false,
        first_top: 240,
    };
    let keys = [
        "ArrowDown",
        "ArrowUp",
        "PageDown",
        "PageUp",
        "Home",
        "End",
        "Enter",
        "x",
    ];
    let from_none: Vec<Option<usize>> = keys.map(|k| view.key_target(k, None, 50)).to_vec();
    let first = Some(10);
    assert_eq!(
        from_none,
        [first, first, first, first, Some(0), Some(49), first, None]
    );
    let from_48: Vec<Option<usize>> = keys.map(|k| view.key_target(k, Some(48), 50)).to_vec();
    assert_eq!(
        from_48,
        [
            Some(49),
            Some(47),
            Some(49),
            Some(38),
            Some(0),
            Some(49),
            Some(48),
            None
        ],
        "a page is what fits less two; the last row bounds every move"
    );
    assert_eq!(
        view.key_target("Home", None, 0),
        None,
        "an empty list moves nowhere"
    );
    let tab_keys = ["ArrowRight", "ArrowLeft", "Home", "End", "ArrowDown"];
    assert_eq!(
        tab_keys.map(|k| tabs::key_target(k, 1, 2)),
        [Some(0), Some(0), Some(0), Some(1), None],
        "round the ends"
    );
    assert_eq!(tabs::key_target("ArrowLeft", 0, 4), Some(3));
}
