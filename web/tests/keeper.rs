//! The keeper and the workspace bar mounted in Chromium: the session is saved step by step,
//! a "reload" (a new mount) resumes it exactly, two "tabs" (two mounts) on one workspace
//! neither lose nor duplicate an entry, and the spec panel goes green.
#![cfg(target_arch = "wasm32")]

mod support;

use decider_core::DynDomain;
use decider_web::components::specs::Specs;
use decider_web::components::workspaces::Workspaces;
use decider_web::persistence::{db, journal_store, workspaces};
use decider_web::session::store::{use_session, SessionHandle, SessionStore};
use decider_web::session::{Action, RunMode, Session};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    static HANDLES: RefCell<Vec<Option<SessionHandle>>> = const { RefCell::new(Vec::new()) };
}

#[derive(Properties, PartialEq)]
struct Slot {
    slot: usize,
}

/// Keeps the session handle of tab `slot` where the test can reach it.
#[function_component]
fn Probe(props: &Slot) -> Html {
    let store = use_session();
    HANDLES.with(|h| {
        let mut h = h.borrow_mut();
        let len = h.len().max(props.slot + 1);
        h.resize(len, None);
        h[props.slot] = Some(store.clone());
    });
    html! {}
}

/// One "tab": a session provider with the workspace bar.
#[function_component]
fn Tab(props: &Slot) -> Html {
    let store = use_reducer(|| {
        let domains: Vec<Rc<dyn DynDomain>> =
            decider_domains::all().into_iter().map(Rc::from).collect();
        SessionStore::new(Session::new(Rc::new(domains), "restaurant", 0))
    });
    html! {
        <ContextProvider<SessionHandle> context={store}>
            <Probe slot={props.slot} />
            <Workspaces />
        </ContextProvider<SessionHandle>>
    }
}

fn root() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn open_tab(slot: usize) -> (yew::AppHandle<Tab>, web_sys::Element) {
    let root = root();
    let handle = yew::Renderer::<Tab>::with_root_and_props(root.clone(), Slot { slot }).render();
    (handle, root)
}

fn handle(slot: usize) -> SessionHandle {
    HANDLES.with(|h| h.borrow()[slot].clone().unwrap())
}

fn mounted(slot: usize) -> bool {
    HANDLES.with(|h| h.borrow().get(slot).is_some_and(Option::is_some))
}

/// Closes tab `slot` (its handle is forgotten, as a reload forgets the page).
fn close_tab(slot: usize, app: yew::AppHandle<Tab>) {
    app.destroy();
    HANDLES.with(|h| h.borrow_mut()[slot] = None);
}

/// Waits (up to 5 s) until `done` holds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..250 {
        if done() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting until {what}");
}

fn text(root: &web_sys::Element, testid: &str) -> Option<String> {
    root.query_selector(&format!("[data-testid={testid}]"))
        .unwrap()
        .and_then(|e| e.text_content())
}

fn journal(slot: usize) -> String {
    serde_json::to_string(&handle(slot).get().journal(0)).unwrap()
}

fn commands() -> Vec<Value> {
    let text = include_str!("../../tests/scenarios/restaurant/cancelled-after-payment.json");
    let scenario: Value = serde_json::from_str(text).unwrap();
    scenario["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["command"].clone())
        .collect()
}

async fn delete_database() {
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let request = factory.delete_database(db::NAME).unwrap();
    db::finished(&request).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_session_is_saved_step_by_step_resumes_exactly_and_two_tabs_agree() {
    delete_database().await;
    let commands = commands();

    // First visit: step mode, two commands queued, one step taken.
    let (first, root) = open_tab(0);
    until("the first workspace is kept", || {
        text(&root, "saved").is_some() && handle(0).get().error().is_none()
    })
    .await;
    let store = handle(0);
    store.dispatch(Action::SetMode(RunMode::Step));
    store.dispatch(Action::Submit(commands[0].clone()));
    store.dispatch(Action::Submit(commands[1].clone()));
    store.dispatch(Action::Step);
    let head = store.get().head();
    assert!(head > 0);
    until("every fact is committed", || {
        text(&root, "saved") == Some(head.to_string())
    })
    .await;
    let before = journal(0);
    let queued = store.get().queue_len();
    assert!(queued > 0, "commands are still queued");
    close_tab(0, first);

    // "Reload": the same log, queue and mode.
    let (second, root) = open_tab(0);
    until("the workspace reopens", || {
        mounted(0) && journal(0) == before
    })
    .await;
    let store = handle(0);
    assert_eq!(store.get().mode(), RunMode::Step);
    assert_eq!(store.get().queue_len(), queued);
    until("the saved count is shown", || {
        text(&root, "saved") == Some(head.to_string())
    })
    .await;

    // Continuing gives the journal of an uninterrupted run.
    store.dispatch(Action::RunToIdle);
    let domains: Vec<Rc<dyn DynDomain>> =
        decider_domains::all().into_iter().map(Rc::from).collect();
    let mut uninterrupted = Session::new(Rc::new(domains), "restaurant", 0);
    uninterrupted.apply(Action::SetMode(RunMode::Step));
    uninterrupted.apply(Action::Submit(commands[0].clone()));
    uninterrupted.apply(Action::Submit(commands[1].clone()));
    uninterrupted.apply(Action::Step);
    uninterrupted.apply(Action::RunToIdle);
    assert_eq!(
        journal(0),
        serde_json::to_string(&uninterrupted.journal(0)).unwrap()
    );

    // A second tab opens the same workspace and hears the first one's appends.
    let (third, other_root) = open_tab(1);
    until("the second tab opens the same journal", || {
        mounted(1) && journal(1) == journal(0)
    })
    .await;
    let id = picker_value(&root);
    assert_eq!(picker_value(&other_root), id);
    handle(0).dispatch(Action::Submit(commands[2].clone()));
    handle(0).dispatch(Action::RunToIdle);
    until("the second tab follows", || journal(1) == journal(0)).await;

    // Both append at once: one wins, the other reloads what it wrote and says so.
    handle(0).dispatch(Action::Submit(commands[3 % commands.len()].clone()));
    handle(1).dispatch(Action::Submit(commands[0].clone()));
    until("one tab reports the conflict", || {
        [0, 1].iter().any(|&s| {
            handle(s)
                .get()
                .error()
                .is_some_and(|e| e.contains("Another tab wrote"))
        })
    })
    .await;
    until("both tabs agree", || journal(0) == journal(1)).await;
    let database = db::open().await.unwrap();
    let stored = journal_store::read(&database, &id, 0)
        .await
        .unwrap()
        .entries();
    assert_eq!(
        serde_json::to_string(&stored).unwrap(),
        journal(0),
        "nothing lost or twice"
    );
    let listed = workspaces::list(&database).await.unwrap();
    assert_eq!(listed.len(), 1, "one workspace: {listed:?}");
    close_tab(1, third);

    // Fork from here: a kept workspace that names its parent and position.
    handle(0).dispatch(Action::SetCursor(2));
    handle(0).dispatch(Action::Fork);
    until("the fork is kept", || picker_value(&root) != id).await;
    let fork_id = picker_value(&root);
    let mut listed = Vec::new();
    for _ in 0..100 {
        listed = workspaces::list(&database).await.unwrap();
        if listed.len() == 2 {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    let fork = listed
        .iter()
        .find(|w| w.id == fork_id)
        .expect("the fork is listed");
    let parent = fork.parent.clone().expect("the fork names its parent");
    assert_eq!((parent.id.as_str(), parent.position), (id.as_str(), 2));
    until("the fork's journal is saved", || {
        text(&root, "saved") == Some(handle(0).get().head().to_string())
    })
    .await;

    // Another domain is only kept once something is recorded in it.
    handle(0).dispatch(Action::SelectDomain("counter".into()));
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(workspaces::list(&database).await.unwrap().len(), 2);

    // A damaged journal opens read-only up to its last good entry, and says where.
    handle(0).dispatch(Action::SelectDomain("restaurant".into()));
    let opened = workspaces::list(&database).await.unwrap();
    let fork = opened.iter().find(|w| w.id == fork_id).unwrap().clone();
    support::tamper(
        &database,
        &fork.id,
        1,
        &serde_json::json!({"step": {"tampered": true}}),
    )
    .await;
    close_tab(0, second);
    let (fourth, root) = open_tab(0);
    until("the damaged fork opens read-only", || {
        mounted(0) && handle(0).get().read_only()
    })
    .await;
    let error = handle(0).get().error().unwrap_or_default().to_string();
    assert!(
        error.contains("journal entry 1 does not load (at $[1]"),
        "{error}"
    );
    assert_eq!(handle(0).get().journal_len(), 1, "the good part");
    assert_eq!(
        handle(0).get().fork_origin().map(|f| f.position),
        Some(2),
        "a reopened fork still says where it was forked"
    );
    until("the way out is offered", || {
        text(&root, "workspace-keep-good").is_some()
    })
    .await;
    let stored = journal_store::read(&database, &fork.id, 0).await.unwrap();
    assert!(stored.len() > 2, "nothing stored was deleted");
    close_tab(0, fourth);

    // A share link opens its scenario read-only, to be saved as a workspace.
    let example = decider_web::components::specs::EXAMPLES[0].1;
    let window = web_sys::window().unwrap();
    let fragment = decider_web::share::fragment(example).await.unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&fragment))
        .unwrap();
    let (fifth, root) = open_tab(0);
    until("the shared scenario is shown read-only", || {
        mounted(0) && handle(0).get().read_only() && handle(0).get().head() > 0
    })
    .await;
    let shared = journal(0);
    until("it offers to be saved (once the store is open)", || {
        root.query_selector("[data-testid=workspace-save-shared]:not([disabled])")
            .unwrap()
            .is_some()
    })
    .await;
    let save: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(
        root.query_selector("[data-testid=workspace-save-shared]")
            .unwrap()
            .unwrap(),
    );
    save.click();
    until("it is saved as a workspace", || {
        !handle(0).get().read_only() && journal(0) == shared
    })
    .await;
    // The link gives way to the new workspace's address once it is kept and listed (a task
    // later).
    until("the link gives way to the workspace's address", || {
        window.location().hash().unwrap() == format!("#workspace={}", picker_value(&root))
    })
    .await;
    until("the new workspace is listed", || {
        text(&root, "saved") == Some(handle(0).get().head().to_string())
    })
    .await;
    close_tab(0, fifth);
    // The next test's tabs open what the store says, not this address.
    decider_web::share::clear_location();
}

fn picker_value(root: &web_sys::Element) -> String {
    use wasm_bindgen::JsCast;
    root.query_selector("[data-testid=workspace-picker]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap()
        .value()
}

#[wasm_bindgen_test]
async fn the_spec_panel_runs_the_bundled_examples_green() {
    let root = root();
    let app = yew::Renderer::<Specs>::with_root(root.clone()).render();
    let rows = || root.query_selector_all("[data-testid=spec-row]").unwrap();
    until("every spec passed", || {
        let rows = rows();
        rows.length() >= 21
            && (0..rows.length()).all(|i| {
                let row: web_sys::Element =
                    wasm_bindgen::JsCast::unchecked_into(rows.item(i).unwrap());
                row.get_attribute("data-status").as_deref() == Some("pass")
            })
    })
    .await;
    let first: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(rows().item(0).unwrap());
    assert!(!first
        .get_attribute("data-title")
        .unwrap_or_default()
        .is_empty());
    app.destroy();
}

/// Pastes `text` on the page, outside any field.
fn paste(text: &str) {
    let data = web_sys::DataTransfer::new().unwrap();
    data.set_data("text", text).unwrap();
    let init = web_sys::ClipboardEventInit::new();
    init.set_clipboard_data(Some(&data));
    let event = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap();
    gloo::utils::document().dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn pasted_scenarios_become_workspaces_and_bad_ones_change_nothing() {
    let (app, root) = open_tab(2);
    until("the store is open", || {
        mounted(2)
            && root
                .query_selector("[data-testid=workspace-picker]:not([disabled])")
                .unwrap()
                .is_some()
    })
    .await;
    let database = db::open().await.unwrap();
    let before = workspaces::list(&database).await.unwrap().len();
    let example = include_str!("../../tests/scenarios/counter/happy-path.json");

    let doubled = example.replacen("\"title\":", "\"title\": \"x\",\n  \"title\":", 1);
    paste(&doubled);
    until("the duplicate key is reported", || {
        handle(2)
            .get()
            .error()
            .is_some_and(|e| e.contains("duplicate key `title` at $.title"))
    })
    .await;
    assert_eq!(workspaces::list(&database).await.unwrap().len(), before);

    let mut scenario = decider_core::scenario::Scenario::parse(example).unwrap();
    scenario.title = "pasted spec".into();
    scenario.steps[0].expect.events = Some(Vec::new());
    paste(&scenario.to_json());
    // The verdict is reported once the run is over, maybe a task after the head moved.
    until("it becomes a workspace, run, its verdict reported", || {
        text(&root, "workspace-picker").is_some_and(|t| t.contains("pasted spec"))
            && handle(2).get().head() > 0
            && handle(2).get().error().is_some()
    })
    .await;
    let error = handle(2).get().error().unwrap_or_default().to_string();
    assert!(error.contains("do not hold"), "{error}");
    assert!(error.contains("$.steps[0].expect.events"), "{error}");
    assert_eq!(workspaces::list(&database).await.unwrap().len(), before + 1);
    let kept = workspaces::scenarios(&database).await.unwrap();
    assert!(
        kept.iter().any(|s| s.text.contains("pasted spec")),
        "kept in the suite"
    );
    close_tab(2, app);
}
