//! Component tests of the playground, mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]

use decider_web::app::App;
use std::time::Duration;
use wasm_bindgen::JsCast;
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
async fn the_page_opens_on_the_restaurant_domain_with_every_domain_offered() {
    let root = mount().await;
    let title = root.query_selector("h1").unwrap().unwrap();
    assert_eq!(title.text_content().unwrap(), "◆ Decider Lab");
    let picker: web_sys::HtmlSelectElement = root
        .query_selector("[data-testid=domain-picker]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(picker.value(), "restaurant");
    let ids: Vec<String> = (0..picker.length())
        .map(|i| picker.item(i).unwrap().get_attribute("value").unwrap())
        .collect();
    let expected: Vec<String> = decider_domains::all()
        .iter()
        .map(|d| d.info().id.clone())
        .collect();
    assert_eq!(ids, expected);
    let head = root.query_selector("[data-testid=head]").unwrap().unwrap();
    assert_eq!(head.text_content().unwrap(), "0");
    assert!(
        root.query_selector("[data-testid=past-banner]")
            .unwrap()
            .is_none(),
        "a new session is live"
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
fn each_domain_offers_its_example_flows_happy_path_first_and_each_opens_as_a_journal() {
    use decider_web::examples::{flow_journal, flows_for};
    for domain in decider_domains::all() {
        let id = &domain.info().id;
        let flows = flows_for(id);
        assert_eq!(
            flows.first().map(|f| f.path.to_string()),
            Some(format!("{id}/happy-path.json"))
        );
        for flow in &flows {
            let file = flow_journal(flow.path).unwrap();
            assert_eq!((&file.domain, &file.title), (id, &flow.title));
            let config = decider_core::EngineConfig {
                seed: file.seed,
                ..Default::default()
            };
            let engine = domain.rebuild(config, &file.journal).unwrap();
            assert!(engine.head() > 0, "{}: facts", flow.path);
        }
    }
    let menu = flow_journal("restaurant/rejected-not-on-menu.json").unwrap();
    assert_eq!(
        menu.title,
        "The restaurant rejects an item not on its menu: refund and cancel"
    );
    assert_eq!(
        flow_journal("restaurant/nope.json").unwrap_err(),
        "no example scenario `restaurant/nope.json`"
    );
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
