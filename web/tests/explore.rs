//! The explorer panel, mounted in headless Chromium over the real domains: its settings
//! checked, a run that breaks an invariant shown shrunk, and its journal handed over.
#![cfg(target_arch = "wasm32")]

use decider_core::journal_file::JournalFile;
use decider_core::{DynEngine, EngineConfig};
use decider_web::components::composer::DomainRef;
use decider_web::components::explore::{Explore, ExploreProps, Here};
use decider_web::examples::examples_for;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Yew finish rendering (and running effects) after a mount or an event.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(1)).await;
    yew::scheduler::flush().await;
}

/// The explorer of `domain` over its examples, and what it hands over to be opened.
async fn mount(domain: &str) -> (Element, Rc<RefCell<Vec<Rc<JournalFile>>>>) {
    mount_here(domain, None).await
}

/// The explorer of `domain` over its examples, offered to start from `here`.
async fn mount_here(
    domain: &str,
    here: Option<Here>,
) -> (Element, Rc<RefCell<Vec<Rc<JournalFile>>>>) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let opened = Rc::new(RefCell::new(Vec::new()));
    let props = ExploreProps {
        domain: DomainRef::from(decider_domains::find(domain).unwrap()),
        alphabet: Rc::new(
            examples_for(domain)
                .into_iter()
                .map(|e| e.command)
                .collect(),
        ),
        on_open: Callback::from({
            let opened = opened.clone();
            move |file| opened.borrow_mut().push(file)
        }),
        here,
    };
    yew::Renderer::<Explore>::with_root_and_props(root.clone(), props).render();
    settle().await;
    (root, opened)
}

fn find(root: &Element, testid: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid={testid}]"))
        .unwrap()
}

/// The text of every element `testid`, in order.
fn texts(root: &Element, testid: &str) -> Vec<String> {
    let list = root
        .query_selector_all(&format!("[data-testid={testid}]"))
        .unwrap();
    (0..list.length())
        .map(|i| list.get(i).unwrap().text_content().unwrap())
        .collect()
}

/// The text of the first element `testid` (there must be one).
fn text(root: &Element, testid: &str) -> String {
    let first = texts(root, testid).into_iter().next();
    first.unwrap_or_else(|| panic!("no {testid}"))
}

fn count(root: &Element, testid: &str) -> u32 {
    root.query_selector_all(&format!("[data-testid={testid}]"))
        .unwrap()
        .length()
}

/// Types `value` into the setting `testid`.
async fn set(root: &Element, testid: &str, value: &str) {
    let input: HtmlInputElement = find(root, testid).unwrap().dyn_into().unwrap();
    input.set_value(value);
    let event = web_sys::InputEvent::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
    settle().await;
}

/// Clicks ▶ explore (the settings' submit button).
fn start(root: &Element) {
    let button: HtmlElement = find(root, "explore-start").unwrap().dyn_into().unwrap();
    button.click();
}

/// Starts exploring and waits until the exploration is over.
async fn explore(root: &Element) -> Element {
    start(root);
    for _ in 0..2000 {
        settle().await;
        if let Some(result) = find(root, "explore-result") {
            return result;
        }
        if let Some(why) = texts(root, "explore-refused").first() {
            panic!("refused: {why}");
        }
    }
    panic!("the exploration did not end");
}

#[wasm_bindgen_test]
async fn a_refused_refund_is_found_shrunk_and_handed_over_as_a_journal() {
    let (root, opened) = mount("transfer").await;
    let check: HtmlInputElement = find(&root, "explore-unhandled")
        .unwrap()
        .dyn_into()
        .unwrap();
    check.click();
    settle().await;
    let result = explore(&root).await;
    assert_eq!(
        result.get_attribute("data-outcome").as_deref(),
        Some("broken")
    );
    let broken = text(&root, "explore-broken");
    assert!(
        broken.contains("failed") && broken.contains("refunded"),
        "{broken}"
    );
    let moves = count(&root, "explore-move");
    assert!((1..=4).contains(&moves), "{moves} commands");
    let failed = text(&root, "explore-failed");
    assert!(
        failed.contains("refund") && failed.contains("closed"),
        "{failed}"
    );
    let tally = text(&root, "explore-tally");
    assert!(tally.contains("faults injected"), "{tally}");

    // The shrunk run is a scenario too (its refused refund a fault), offered to download.
    assert!(find(&root, "explore-scenario").is_some());
    let open: HtmlElement = find(&root, "explore-open").unwrap().dyn_into().unwrap();
    open.click();
    settle().await;
    let opened = opened.borrow();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].domain, "transfer");
    assert!(
        opened[0].title.starts_with("Explored: "),
        "{}",
        opened[0].title
    );
    // The journal rebuilds the run: the refusal made to fail is in it, marked injected.
    let journal = serde_json::to_string(&opened[0].journal).unwrap();
    assert!(
        journal.contains("closed") && journal.contains("injected"),
        "{journal}"
    );
}

#[wasm_bindgen_test]
async fn the_domains_invariants_and_failures_are_listed_in_its_words() {
    let (root, _) = mount("checkout").await;
    let said = decider_domains::find("checkout")
        .unwrap()
        .invariants()
        .unwrap();
    let listed = texts(&root, "explore-invariant");
    let expected: Vec<String> = said.holds.iter().map(|h| format!("✔ {h}")).collect();
    assert_eq!(listed, expected);
    let fails = text(&root, "explore-fails");
    assert_eq!(fails, format!("⚡ {}", said.fails));
    let unhandled = text(&root, "explore-fails-unhandled");
    assert!(unhandled.ends_with(said.fails_unhandled), "{unhandled}");
}

#[wasm_bindgen_test]
async fn without_the_unhandled_failures_every_invariant_holds() {
    let (root, opened) = mount("restaurant").await;
    set(&root, "explore-runs", "40").await;
    let result = explore(&root).await;
    assert_eq!(
        result.get_attribute("data-outcome").as_deref(),
        Some("held")
    );
    let tally = text(&root, "explore-tally");
    assert!(tally.starts_with("40 runs"), "{tally}");
    assert_eq!(count(&root, "explore-open"), 0);
    assert_eq!(count(&root, "explore-scenario"), 0);
    assert!(opened.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn a_setting_out_of_its_range_is_refused_by_name() {
    let (root, _) = mount("checkout").await;
    set(&root, "explore-faults", "140").await;
    start(&root);
    settle().await;
    let refused = find(&root, "explore-refused").expect("refused");
    assert_eq!(refused.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        refused.text_content().unwrap(),
        "Faults % must be a whole number from 0 to 100."
    );
    assert!(find(&root, "explore-result").is_none());
}

#[wasm_bindgen_test]
async fn a_domain_without_invariants_says_so() {
    let (root, _) = mount("counter").await;
    let none = text(&root, "explore-none");
    assert!(none.contains("declares no invariants"), "{none}");
    assert!(find(&root, "explore-start").is_none());
}

#[wasm_bindgen_test]
async fn runs_start_from_the_workspace_when_asked_and_the_shrunk_run_keeps_it() {
    // A workspace where Alice and Bob hold accounts: its facts are where runs start.
    let domain = decider_domains::find("transfer").unwrap();
    let mut workspace = domain.start(EngineConfig {
        seed: 5,
        ..EngineConfig::default()
    });
    for (id, owner) in [("alice", "Alice"), ("bob", "Bob")] {
        let open = serde_json::json!({"account": {"open_account":
            {"account_id": id, "owner": owner, "balance_cents": 5000}}});
        workspace.submit(&open).unwrap();
        workspace.run_until_idle(100);
    }
    let facts = workspace.head();
    let base_journal = workspace.journal(0);
    let workspace: Rc<dyn DynEngine> = Rc::from(workspace);
    let copies = Rc::new(std::cell::Cell::new(0));
    let here = Here {
        facts,
        live: true,
        copy: Callback::from({
            let copies = copies.clone();
            move |()| {
                copies.set(copies.get() + 1);
                workspace.fork_at(workspace.head())
            }
        }),
    };
    let (root, opened) = mount_here("transfer", Some(here)).await;
    let label = find(&root, "explore-from-here")
        .unwrap()
        .parent_element()
        .unwrap();
    assert_eq!(
        label.text_content().unwrap(),
        format!("start every run from this workspace ({facts} facts)")
    );
    for testid in ["explore-unhandled", "explore-from-here"] {
        let check: HtmlInputElement = find(&root, testid).unwrap().dyn_into().unwrap();
        check.click();
    }
    settle().await;
    let result = explore(&root).await;
    assert_eq!(
        copies.get(),
        1,
        "the workspace is copied once, at the start"
    );
    assert_eq!(
        result.get_attribute("data-outcome").as_deref(),
        Some("broken")
    );
    let shrunk = text(&root, "explore-shrunk");
    assert!(
        shrunk.contains(&format!("after this workspace's {facts} facts")),
        "{shrunk}"
    );
    // The journal handed over is the workspace's, then the shrunk run's, with its seed.
    let open: HtmlElement = find(&root, "explore-open").unwrap().dyn_into().unwrap();
    open.click();
    settle().await;
    let opened = opened.borrow();
    assert_eq!(opened[0].seed, 5);
    assert_eq!(opened[0].journal[..base_journal.len()], base_journal[..]);
    assert!(opened[0].journal.len() > base_journal.len());
}

#[wasm_bindgen_test]
async fn without_facts_to_start_from_none_is_offered() {
    let (root, _) = mount("transfer").await;
    assert!(find(&root, "explore-from-here").is_none());
    assert!(find(&root, "explore-unhandled").is_some());
}
