//! Cross-crate tests: every registered domain driven only through `decider-core`'s
//! type-erased boundary (as the playground and the CLI drive it), the scenario format's
//! errors, its schema file, and the parser under thousands of random and mutated files.

use decider_core::scenario::{self, Scenario, ScenarioError};
use decider_core::EngineConfig;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::Path;

#[test]
fn every_domain_describes_itself_with_schemas_and_commands() {
    let domains = decider_domains::all();
    assert_eq!(domains.len(), 4);
    let mut ids: Vec<&str> = domains.iter().map(|d| d.info().id.as_str()).collect();
    for domain in &domains {
        let info = domain.info();
        assert!(
            !info.title.is_empty() && info.description.len() > 40,
            "{}",
            info.id
        );
        assert!(
            !domain.command_names().is_empty(),
            "{} has no commands",
            info.id
        );
        for schema in [
            domain.command_schema(),
            domain.event_schema(),
            domain.rejection_schema(),
        ] {
            assert!(schema.get("oneOf").is_some(), "{}: {schema}", info.id);
        }
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), domains.len(), "domain ids are unique");
}

#[test]
fn nested_command_names_list_each_service_command() {
    let restaurant = decider_domains::find("restaurant").unwrap();
    let names = restaurant.command_names();
    assert!(
        names.contains(&"order.place_order".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"payment.refund_payment".to_string()),
        "{names:?}"
    );
}

#[test]
fn a_journal_rebuilds_to_the_same_state() {
    let domain = decider_domains::find("counter").unwrap();
    let mut engine = domain.start(EngineConfig::default());
    for by in [5, 7] {
        let command = json!({"increment": {"counter_id": "x", "by": by}});
        engine.submit(&command).unwrap();
    }
    engine.run_until_idle(10);
    let journal = engine.journal(0);
    let rebuilt = domain.rebuild(EngineConfig::default(), &journal).unwrap();
    assert_eq!(
        rebuilt.state_at(rebuilt.head()),
        engine.state_at(engine.head())
    );
    assert_eq!(engine.state_at(2)["streams"]["counter-x"]["state"], 12);
}

fn scenario_text(domain: &str, command: Value) -> String {
    json!({
        "format": "decider-lab/scenario",
        "version": 1,
        "domain": domain,
        "title": "t",
        "steps": [{"command": command}]
    })
    .to_string()
}

fn load_error(text: &str) -> ScenarioError {
    scenario::load(text, &decider_domains::find)
        .err()
        .expect("the file is refused")
}

#[test]
fn an_unknown_domain_is_refused_with_the_known_ones() {
    let error = load_error(&scenario_text("bakery", json!({})));
    assert_eq!(error.path, "$.domain");
    assert_eq!(
        error.message,
        "unknown domain `bakery`; known domains: counter, restaurant, transfer, checkout"
    );
}

#[test]
fn an_unknown_command_is_refused_with_the_known_ones_for_that_domain() {
    let error = load_error(&scenario_text(
        "counter",
        json!({"reset": {"counter_id": "a"}}),
    ));
    assert_eq!(error.path, "$.steps[0].command");
    assert!(
        error
            .message
            .contains("unknown variant `reset`, expected `increment` or `decrement`"),
        "{error}"
    );
    let nested = json!({"order": {"place": {"order_id": "o"}}});
    let error = load_error(&scenario_text("restaurant", nested));
    assert_eq!(error.path, "$.steps[0].command.order");
    assert!(
        error.message.contains("expected one of `place_order`"),
        "{error}"
    );
}

#[test]
fn a_wrong_field_is_named_by_its_json_path() {
    let command = json!({"increment": {"counter_id": "a", "by": -1}});
    let error = load_error(&scenario_text("counter", command));
    assert_eq!(error.path, "$.steps[0].command.increment.by");
    assert!(error.message.contains("expected u32"), "{error}");
    let mut value: Value = serde_json::from_str(&scenario_text("counter", json!({}))).unwrap();
    value["steps"][0]["expect"] = json!({"event": []});
    let error = load_error(&value.to_string());
    assert_eq!(error.path, "$.steps[0].expect.event");
    assert!(
        error
            .message
            .contains("unknown field `event`, expected one of `events`"),
        "{error}"
    );
}

#[test]
fn a_newer_format_version_says_so() {
    let text = scenario_text("counter", json!({})).replace("\"version\":1", "\"version\":2");
    let error = load_error(&text);
    assert_eq!(error.path, "$.version");
    assert!(error
        .message
        .contains("format version 2 is newer than this build reads (up to 1)"));
    let other = scenario_text("counter", json!({})).replace("decider-lab/scenario", "x/y");
    assert!(load_error(&other)
        .message
        .contains("`x/y` is not a Decider Lab scenario"));
}

#[test]
fn a_syntax_error_gives_line_and_column() {
    let error = load_error("{\n  \"format\": \"decider-lab/scenario\",\n  \"version\": 1,,\n}");
    assert_eq!(error.line, Some((3, 16)));
    assert!(
        error.to_string().starts_with("line 3, column 16: "),
        "{error}"
    );
}

fn example_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    for domain in std::fs::read_dir(root).unwrap() {
        for file in std::fs::read_dir(domain.unwrap().path()).unwrap() {
            files.push(file.unwrap().path());
        }
    }
    files.sort();
    files
}

#[test]
fn example_files_are_written_exactly_as_the_writer_writes_them() {
    for file in example_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let scenario = Scenario::parse(&text).unwrap();
        assert_eq!(
            scenario.to_json(),
            text,
            "{} is not in canonical form",
            file.display()
        );
        assert_eq!(Scenario::parse(&scenario.to_json()).unwrap(), scenario);
    }
}

#[test]
fn the_checked_in_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/scenario.schema.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    let current = format!(
        "{}\n",
        serde_json::to_string_pretty(&scenario::schema()).unwrap()
    );
    assert!(
        checked_in == current,
        "docs/scenario.schema.json is out of date; regenerate it with \
         `cargo run -p decider-cli -- schema > docs/scenario.schema.json`"
    );
}

#[test]
fn record_mode_writes_expectations_that_then_pass() {
    let text = scenario_text(
        "counter",
        json!({"increment": {"counter_id": "a", "by": 4}}),
    );
    let (scenario, domain) = scenario::load(&text, &decider_domains::find).unwrap();
    let recorded = scenario.record(&*domain).unwrap();
    assert_eq!(
        recorded.steps[0].expect.events,
        Some(vec![json!({"incremented": {"counter_id": "a", "by": 4}})])
    );
    assert_eq!(recorded.then.streams["counter-a"], json!(4));
    assert!(recorded.check(&*domain).unwrap().passed());
    let mut wrong = recorded.clone();
    wrong.then.streams.insert("counter-a".into(), json!(5));
    let report = wrong.check(&*domain).unwrap();
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].path, "$.then.streams.counter-a");
    assert!(
        report.failures[0].diff.contains("-5\n+4\n"),
        "{}",
        report.failures[0].diff
    );
}

/// Any JSON value, up to a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z_\\-/ ]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every object path in `value`, as pointer segments.
fn paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    out.push(prefix.to_string());
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| paths(v, &format!("{prefix}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| paths(v, &format!("{prefix}/{i}"), out)),
        _ => {}
    }
}

/// Loads (and, when it loads, runs and checks) `text`; returns whether it loaded.
fn exercise(text: &str) -> bool {
    match scenario::load(text, &decider_domains::find) {
        Ok((scenario, domain)) => {
            let _ = scenario.check(&*domain);
            true
        }
        Err(error) => {
            assert!(error.path.starts_with('$'), "{error:?}");
            assert!(!error.message.is_empty());
            false
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_bytes_never_panic_the_parser(text in ".{0,200}") {
        prop_assert!(!exercise(&text) || text.contains("decider-lab/scenario"));
    }

    #[test]
    fn random_json_documents_never_panic_the_parser(value in any_json()) {
        exercise(&value.to_string());
    }

    #[test]
    fn mutated_example_files_never_panic_and_round_trip_when_valid(
        file in prop::sample::select(example_files()),
        pick in any::<prop::sample::Index>(),
        replacement in any_json(),
        cut in any::<prop::sample::Index>(),
    ) {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut value: Value = serde_json::from_str(&text).unwrap();
        let mut all = Vec::new();
        paths(&value, "", &mut all);
        let target = pick.get(&all).clone();
        if let Some(slot) = value.pointer_mut(&target) {
            *slot = replacement;
        }
        let mutated = value.to_string();
        if exercise(&mutated) {
            let scenario = Scenario::parse(&mutated).unwrap();
            prop_assert_eq!(Scenario::parse(&scenario.to_json()).unwrap(), scenario);
        }
        // Truncated files (a half-saved edit) are refused with a position, never a panic;
        // only losing the trailing newline leaves a whole file.
        let truncated = &text[..cut.index(text.len())];
        prop_assert!(!exercise(truncated) || truncated.trim_end() == text.trim_end());
    }
}

/// The scenario whose whole journal (ids included) is pinned in `tests/golden/`, natively
/// here and in the browser by `web/tests/app.rs`: the same bytes on both.
const GOLDEN_SCENARIO: &str = "scenarios/restaurant/rejected-not-on-menu.json";
const GOLDEN_JOURNAL: &str = "golden/restaurant-rejected-not-on-menu.journal.json";

#[test]
fn the_golden_journal_is_what_a_native_run_writes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(dir.join(GOLDEN_SCENARIO)).unwrap();
    let (scenario, domain) = scenario::load(&text, &decider_domains::find).unwrap();
    let run = scenario.run(&*domain).unwrap();
    let journal = format!(
        "{}\n",
        serde_json::to_string_pretty(&run.engine.journal(0)).unwrap()
    );
    if std::env::var_os("DECIDER_BLESS").is_some() {
        std::fs::write(dir.join(GOLDEN_JOURNAL), &journal).unwrap();
    }
    let golden = std::fs::read_to_string(dir.join(GOLDEN_JOURNAL)).unwrap_or_default();
    assert!(
        golden == journal,
        "tests/{GOLDEN_JOURNAL} differs from a run; if the change is intended, rewrite it with \
         `DECIDER_BLESS=1 cargo test -p decider-tests --test cross_crate golden`"
    );
}

/// Runs `given` history then `commands` on `domain`; both may hold any well-typed values.
fn run_extreme(domain: &str, given: Value, commands: Vec<Value>) -> scenario::ScenarioRun {
    let steps: Vec<Value> = commands
        .into_iter()
        .map(|c| json!({"command": c}))
        .collect();
    let text = json!({
        "format": "decider-lab/scenario", "version": 1, "domain": domain, "title": "extreme",
        "given": given, "steps": steps
    })
    .to_string();
    let (scenario, domain) = scenario::load(&text, &decider_domains::find).unwrap();
    scenario.run(&*domain).unwrap()
}

#[test]
fn extreme_numbers_in_history_and_commands_never_panic() {
    let max32 = u32::MAX;
    let max64 = u64::MAX;
    let end = run_extreme(
        "counter",
        json!([{"stream": "counter-a", "events": [
            {"incremented": {"counter_id": "a", "by": max32}},
            {"incremented": {"counter_id": "a", "by": max32}},
            {"decremented": {"counter_id": "b", "by": 1}}
        ]}]),
        vec![json!({"increment": {"counter_id": "a", "by": max32}})],
    )
    .final_state();
    // Saturated at the maximum, then one down: wrapping would give `max32 - 2`.
    assert_eq!(end["streams"]["counter-a"]["state"], max32 - 1);

    let menu = json!([{"item_id": "gold", "name": "Gold", "price_cents": max64}]);
    let end = run_extreme(
        "restaurant",
        json!([]),
        vec![
            json!({"restaurant": {"create_restaurant": {"restaurant_id": "r", "name": "R", "menu": menu, "capacity": max32}}}),
            json!({"restaurant": {"open": {"restaurant_id": "r"}}}),
            json!({"order": {"place_order": {"order_id": "o", "restaurant_id": "r", "customer": "c", "items": ["gold", "gold"]}}}),
        ],
    )
    .final_state();
    assert_eq!(end["view"]["orders"]["o"]["total_cents"], max64);

    // The whole balance leaves `a` (saturated at the maximum by its history); there is no
    // account `b` to credit, so it comes back.
    let run = run_extreme(
        "transfer",
        json!([{"stream": "account-a", "events": [
            {"account": {"account_opened": {"account_id": "a", "owner": "A", "balance_cents": max64}}},
            {"account": {"credited": {"account_id": "a", "transfer_id": "t", "amount_cents": max64}}}
        ]}]),
        vec![
            json!({"transfer": {"request_transfer": {"transfer_id": "t", "from": "a", "to": "b", "amount_cents": max64}}}),
        ],
    );
    assert_eq!(
        run.steps[0].rejections,
        [json!({"account": "unknown_account"})],
        "the debit goes through, the credit finds no account b"
    );
    let end = run.final_state();
    assert_eq!(end["streams"]["account-a"]["state"]["balance_cents"], max64);
    assert_eq!(
        end["view"]["transfers"]["t"], "failed",
        "refunded and failed"
    );

    // A credit that would overflow `b` is refused: `a` gets its money back.
    let run = run_extreme(
        "transfer",
        json!([{"stream": "account-a", "events": [
            {"account": {"account_opened": {"account_id": "a", "owner": "A", "balance_cents": 7}}}
        ]}, {"stream": "account-b", "events": [
            {"account": {"account_opened": {"account_id": "b", "owner": "B", "balance_cents": max64}}}
        ]}]),
        vec![
            json!({"transfer": {"request_transfer": {"transfer_id": "t", "from": "a", "to": "b", "amount_cents": 7}}}),
        ],
    );
    assert_eq!(
        run.steps[0].rejections,
        [json!({"account": {"balance_overflow": {"balance_cents": max64}}})]
    );
    let end = run.final_state();
    assert_eq!(end["streams"]["account-a"]["state"]["balance_cents"], 7);
    assert_eq!(end["streams"]["account-b"]["state"]["balance_cents"], max64);

    let end = run_extreme(
        "checkout",
        json!([{"stream": "stock-s", "events": [
            {"stock": {"reserved": {"sku": "s", "checkout_id": "c", "quantity": max32}}},
            {"stock": {"released": {"sku": "s", "checkout_id": "c", "quantity": max32}}}
        ]}, {"stream": "checkout-c", "events": [
            {"checkout": {"checkout_started": {"checkout_id": "c", "lines": [], "amount_cents": 1, "card": "x", "address": "y"}}}
        ]}]),
        vec![json!({"stock": {"reserve": {"sku": "s", "checkout_id": "c", "quantity": 1}}})],
    )
    .final_state();
    assert_eq!(end["streams"]["stock-s"]["state"]["available"], max32 - 1);
}
