//! Component tests of the playground, mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]

use decider_web::app::App;
use std::time::Duration;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn mount() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::platform::time::sleep(Duration::from_millis(20)).await;
    root
}

#[wasm_bindgen_test]
async fn the_shell_names_the_product_and_shows_a_flow_computed_by_the_core() {
    let root = mount().await;
    let title = root.query_selector("h1").unwrap().unwrap();
    assert_eq!(title.text_content().unwrap(), "Decider Lab");
    let check = root.query_selector("#core-check").unwrap().unwrap();
    let text = check.text_content().unwrap();
    assert!(
        text.contains("counter `demo` is at 12 after 4 recorded facts"),
        "{text}"
    );
    assert!(text.contains(r#"{"below_zero":{"value":12}}"#), "{text}");
}

#[wasm_bindgen_test]
async fn the_shell_lists_each_domain_with_its_commands() {
    let root = mount().await;
    let items = root.query_selector_all("#domains li").unwrap();
    assert_eq!(items.length() as usize, decider_domains::all().len());
    let first = items.get(0).unwrap().text_content().unwrap();
    assert!(
        first.contains("Counter — 2 commands: increment, decrement"),
        "{first}"
    );
}

/// One example scenario per domain, checked in the browser: the expectations were
/// recorded by a native run.
const SCENARIOS: [&str; 4] = [
    include_str!("../../tests/scenarios/counter/rejections.json"),
    include_str!("../../tests/scenarios/restaurant/rejected-not-on-menu.json"),
    include_str!("../../tests/scenarios/transfer/credit-refused-frozen.json"),
    include_str!("../../tests/scenarios/checkout/shipping-failed.json"),
];

#[wasm_bindgen_test]
fn example_scenarios_pass_in_the_browser_as_they_do_natively() {
    for text in SCENARIOS {
        let (scenario, domain) =
            decider_core::scenario::load(text, &decider_domains::find).unwrap();
        let report = scenario.check(&*domain).unwrap();
        assert!(report.passed(), "{}: {report}", scenario.title);
    }
}

#[wasm_bindgen_test]
fn the_browser_writes_the_same_journal_bytes_as_native() {
    let text = include_str!("../../tests/scenarios/restaurant/rejected-not-on-menu.json");
    let golden = include_str!("../../tests/golden/restaurant-rejected-not-on-menu.journal.json");
    let (scenario, domain) = decider_core::scenario::load(text, &decider_domains::find).unwrap();
    let run = scenario.run(&*domain).unwrap();
    let journal = format!(
        "{}\n",
        serde_json::to_string_pretty(&run.engine.journal(0)).unwrap()
    );
    assert_eq!(journal, golden);
}
