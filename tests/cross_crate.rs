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
    for newer in ["2", "1.3"] {
        let text = scenario_text("counter", json!({}))
            .replace("\"version\":1", &format!("\"version\":{newer}"));
        let error = load_error(&text);
        assert_eq!(error.path, "$.version");
        let expected = format!("format version {newer} is newer than this build reads (up to 1.2)");
        assert!(error.message.contains(&expected), "{error}");
    }
    let other = scenario_text("counter", json!({})).replace("decider-lab/scenario", "x/y");
    assert!(load_error(&other)
        .message
        .contains("`x/y` is not a Decider Lab scenario"));
}

/// A counter scenario of `version` whose only step is `step`.
fn counter_scenario(version: Value, step: Value) -> String {
    json!({
        "format": "decider-lab/scenario", "version": version, "domain": "counter",
        "title": "t", "steps": [step]
    })
    .to_string()
}

#[test]
fn versions_1_and_1_1_both_read_and_a_1_1_field_needs_1_1() {
    let increment = json!({"command": {"increment": {"counter_id": "a", "by": 1}}});
    for version in [json!(1), json!(1.0), json!(1.1)] {
        let text = counter_scenario(version.clone(), increment.clone());
        assert!(Scenario::parse(&text).is_ok(), "version {version}");
    }
    let mut partial = increment.clone();
    partial["engine_steps"] = json!(0);
    let error = load_error(&counter_scenario(json!(1), partial.clone()));
    assert_eq!(error.path, "$.steps[0].engine_steps");
    assert!(
        error.message.contains("new in format version 1.1"),
        "{error}"
    );
    assert!(Scenario::parse(&counter_scenario(json!(1.1), partial)).is_ok());
    let error = load_error(&counter_scenario(json!(1.05), increment));
    assert_eq!(error.path, "$.version");
    assert!(error.message.contains("1, 1.1 or 1.2"), "{error}");
}

/// Format 1.2: a step's engine steps made to fail, as the playground's ⚡ does; said in a
/// 1.1 file, at a step never taken or out of order, refused at its path.
#[test]
fn a_fault_makes_its_step_fail_and_needs_1_2() {
    let refused = json!({"above_max": {"value": 0}});
    let mut failing = json!({"command": {"increment": {"counter_id": "a", "by": 1}},
        "faults": [{"at": 0, "rejection": refused}]});
    let (scenario, domain) = scenario::load(
        &counter_scenario(json!(1.2), failing.clone()),
        &decider_domains::find,
    )
    .unwrap();
    let run = scenario.run(&*domain).unwrap();
    assert_eq!(run.steps[0].events, Vec::<Value>::new());
    assert_eq!(run.steps[0].rejections, vec![refused.clone()]);
    let journal = run.engine.journal(0);
    assert_eq!(journal[1]["step"]["injected"], json!(true));
    // Exported again, the journal says the same fault.
    let again = Scenario::from_journal(&*domain, "t", 0, &journal).unwrap();
    assert_eq!(again.version, scenario::Version::V1_2);
    assert_eq!(again.steps[0].faults, scenario.steps[0].faults);

    let error = load_error(&counter_scenario(json!(1.1), failing.clone()));
    assert_eq!(error.path, "$.steps[0].faults");
    assert!(
        error.message.contains("new in format version 1.2"),
        "{error}"
    );
    failing["faults"][0]["at"] = json!(1);
    let (never, domain) = scenario::load(
        &counter_scenario(json!(1.2), failing.clone()),
        &decider_domains::find,
    )
    .unwrap();
    let error = never.run(&*domain).err().unwrap();
    assert_eq!(error.path, "$.steps[0].faults[0].at");
    assert!(
        error
            .message
            .contains("no engine step 1 after this command: it took 1"),
        "{error}"
    );
    failing["faults"] = json!([{"at": 0, "rejection": refused}, {"at": 0, "rejection": refused}]);
    let error = load_error(&counter_scenario(json!(1.2), failing.clone()));
    assert_eq!(error.path, "$.steps[0].faults[1].at");
    failing["faults"] = json!([{"at": 0, "rejection": {"on_fire": {}}}]);
    let error = load_error(&counter_scenario(json!(1.2), failing));
    assert!(
        error.path.starts_with("$.steps[0].faults[0].rejection"),
        "{error}"
    );
}

#[test]
fn recording_keeps_a_version_1_file_at_version_1() {
    let text = scenario_text(
        "counter",
        json!({"increment": {"counter_id": "a", "by": 4}}),
    );
    let (scenario, domain) = scenario::load(&text, &decider_domains::find).unwrap();
    let recorded = scenario.record(&*domain).unwrap();
    assert_eq!(recorded.version, scenario::Version::V1);
    assert_eq!(recorded.first_v1_1_feature(), None);
    assert!(recorded.to_json().contains("\"version\": 1,"));
}

/// A 1.1 transfer scenario: Bob's account is frozen, and the transfer is requested with
/// `engine_steps` engine steps after it.
fn frozen_transfer(engine_steps: Value) -> String {
    let open = |id: &str, balance: u64| json!({"command": {"account": {"open_account": {"account_id": id, "owner": id, "balance_cents": balance}}}});
    let request = json!({
        "command": {"transfer": {"request_transfer": {"transfer_id": "t", "from": "alice", "to": "bob", "amount_cents": 40}}},
        "engine_steps": engine_steps,
    });
    json!({
        "format": "decider-lab/scenario", "version": 1.1, "domain": "transfer", "title": "t",
        "steps": [open("alice", 100), open("bob", 0),
            {"command": {"account": {"freeze": {"account_id": "bob"}}}}, request]
    })
    .to_string()
}

#[test]
fn a_1_1_recording_names_who_issued_each_command_and_what_is_left_queued() {
    let (scenario, domain) =
        scenario::load(&frozen_transfer(json!(3)), &decider_domains::find).unwrap();
    let recorded = scenario.record(&*domain).unwrap();
    assert!(recorded.check(&*domain).unwrap().passed());
    let issued = |i: &scenario::Issued| (i.origin.clone(), i.compensation);
    let step = &recorded.steps[3].expect;
    assert_eq!(step.commands, None, "1.1 records `issued` instead");
    // Request, debit, credit (refused: frozen), then the two compensations.
    let who: Vec<_> = step.issued.iter().flatten().map(issued).collect();
    let (user, saga) = ("user".to_string(), "transfer".to_string());
    assert_eq!(
        who,
        [
            (user, false),
            (saga.clone(), false),
            (saga.clone(), false),
            (saga.clone(), true),
            (saga.clone(), true)
        ]
    );
    // Three engine steps: the refund and the failure are still queued.
    let queued: Vec<_> = recorded.then.queue.iter().flatten().map(issued).collect();
    assert_eq!(queued, [(saga.clone(), true), (saga, true)]);
    let process = recorded.then.process.clone().unwrap();
    assert_eq!(process["t"]["to"], "bob", "{process}");

    let mut wrong = recorded.clone();
    wrong.steps[3].expect.issued.as_mut().unwrap()[3].compensation = false;
    wrong.then.queue.as_mut().unwrap().pop();
    let report = wrong.check(&*domain).unwrap();
    let paths: Vec<&str> = report.failures.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["$.steps[3].expect.issued", "$.then.queue"]);
}

#[test]
fn a_step_without_engine_steps_runs_until_idle() {
    let (scenario, domain) =
        scenario::load(&frozen_transfer(Value::Null), &decider_domains::find).unwrap();
    let recorded = scenario.record(&*domain).unwrap();
    assert_eq!(recorded.then.queue, Some(vec![]));
    assert_eq!(recorded.steps[3].expect.issued.as_ref().unwrap().len(), 5);
    let (scenario, domain) =
        scenario::load(&frozen_transfer(json!(0)), &decider_domains::find).unwrap();
    let recorded = scenario.record(&*domain).unwrap();
    assert_eq!(
        recorded.then.queue.as_ref().unwrap().len(),
        1,
        "only queued"
    );
    assert_eq!(recorded.steps[3].expect.events, Some(vec![]));
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

/// Every example scenario that ends idle ends with its domain's invariants holding (the
/// counter declares none).
#[test]
fn the_examples_keep_their_domains_invariants() {
    let mut checked = 0;
    for file in example_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let (scenario, domain) = scenario::load(&text, &decider_domains::find).unwrap();
        let run = scenario.run(&*domain).unwrap();
        assert_eq!(
            domain.invariants().map(|said| !said.holds.is_empty()),
            (scenario.domain != "counter").then_some(true),
            "{}",
            file.display()
        );
        if run.engine.queue_len() == 0 {
            assert_eq!(run.engine.broken_invariant(), None, "{}", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 18, "{checked} scenarios ended idle");
}

/// A shrunk restaurant run keeps no menu item that no order asks for, and no order item
/// it does not need: the commands' arrays are shrunk too, not only the run.
#[test]
fn a_shrunk_restaurant_run_keeps_only_the_menu_items_it_orders() {
    use decider_core::explore::{Explorer, Plan};
    let domain = decider_domains::find("restaurant").unwrap();
    let mut alphabet = Vec::new();
    for file in example_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let (scenario, _) = scenario::load(&text, &decider_domains::find).unwrap();
        if scenario.domain == "restaurant" {
            alphabet.extend(scenario.steps.iter().map(|step| step.command.clone()));
        }
    }
    for seed in 0..6 {
        let plan = Plan {
            seed,
            unhandled: true,
            ..Plan::over(alphabet.clone())
        };
        let mut explorer = Explorer::new(&*domain, plan).unwrap();
        while !explorer.done() {
            explorer.advance(50);
        }
        let found = explorer
            .found()
            .expect("a refused refund breaks an invariant");
        let commands: Vec<&Value> = found.moves.iter().map(|m| &m.command).collect();
        let ordered: Vec<&Value> = commands
            .iter()
            .filter_map(|c| c["order"]["place_order"]["items"].as_array())
            .flatten()
            .collect();
        assert!(ordered.len() <= 2, "seed {seed}: {commands:?}");
        for menu in commands
            .iter()
            .filter_map(|c| c["restaurant"]["create_restaurant"]["menu"].as_array())
        {
            for item in menu {
                assert!(
                    ordered.contains(&&item["item_id"]),
                    "seed {seed}: {} is on the menu, never ordered: {commands:?}",
                    item["item_id"]
                );
            }
        }
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

/// A scenario-shaped document: mostly a valid header (so that the parser gets past the
/// format, version and domain checks), with any JSON in the other fields.
fn any_document() -> impl Strategy<Value = Value> {
    let domain = prop_oneof![
        4 => prop::sample::select(vec!["counter", "restaurant", "transfer", "checkout"])
            .prop_map(Value::from),
        1 => any_json(),
    ];
    let version = prop_oneof![4 => Just(json!(1)), 1 => any_json()];
    let step =
        (any_json(), prop::option::of(any_json())).prop_map(|(command, expect)| match expect {
            Some(expect) => json!({"command": command, "expect": expect}),
            None => json!({"command": command}),
        });
    let steps = prop_oneof![
        4 => prop::collection::vec(step, 0..4).prop_map(Value::from),
        1 => any_json(),
    ];
    let optional = || prop::option::of(any_json());
    (domain, version, steps, optional(), optional()).prop_map(
        |(domain, version, steps, given, then)| {
            let mut document = json!({
                "format": "decider-lab/scenario", "version": version, "domain": domain,
                "title": "fuzz", "steps": steps,
            });
            for (field, value) in [("given", given), ("then", then)] {
                if let Some(value) = value {
                    document[field] = value;
                }
            }
            document
        },
    )
}

#[test]
fn random_documents_get_past_the_header_and_some_load() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut past_header, mut loaded) = (0, 0);
    for _ in 0..500 {
        let document = any_document().new_tree(&mut runner).unwrap().current();
        match scenario::load(&document.to_string(), &decider_domains::find) {
            Ok(_) => loaded += 1,
            Err(e) if !["$.format", "$.version", "$.domain"].contains(&e.path.as_str()) => {
                past_header += 1
            }
            Err(_) => {}
        }
    }
    assert!(
        past_header > 250,
        "{past_header} of 500 got past the header"
    );
    assert!(loaded > 5, "{loaded} of 500 loaded");
}

/// A small deterministic random source (splitmix64) for generating from a schema.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A value of the JSON Schema `schema` (whose `$ref`s point into `root`), with ids and
/// numbers from small pools so that generated commands meet each other's streams.
fn from_schema(schema: &Value, root: &Value, rng: &mut Rng) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let target = root
            .pointer(reference.trim_start_matches('#'))
            .expect("a $ref into the same schema");
        return from_schema(target, root, rng);
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return from_schema(rng.pick(options), root, rng);
    }
    if let Some(values) = schema["enum"].as_array() {
        return rng.pick(values).clone();
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => rng.pick(kinds).as_str().unwrap_or("null").to_string(),
        kind => kind.as_str().unwrap_or("null").to_string(),
    };
    match kind.as_str() {
        "object" => {
            let properties = schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let object = properties
                .iter()
                .map(|(name, property)| (name.clone(), from_schema(property, root, rng)))
                .collect();
            Value::Object(object)
        }
        "array" => {
            let length = rng.below(4);
            let items: Vec<Value> = (0..length)
                .map(|_| from_schema(&schema["items"], root, rng))
                .collect();
            items.into()
        }
        "string" => json!(rng.pick(&[
            "a",
            "b",
            "o1",
            "luigi",
            "pen",
            "soup",
            "4000-0000-0000-0002"
        ])),
        "integer" => integer(schema["format"].as_str(), rng),
        "boolean" => json!(rng.below(2) == 0),
        _ => Value::Null,
    }
}

fn integer(format: Option<&str>, rng: &mut Rng) -> Value {
    let max = match format {
        Some("uint32") => u64::from(u32::MAX),
        _ => u64::MAX,
    };
    let pool = [0, 1, 2, 5, 700, 100_000, max - 1, max];
    json!(*rng.pick(&pool))
}

/// A scenario of a random domain whose history and commands follow the domain's schemas.
fn generated_scenario(rng: &mut Rng) -> Value {
    let domains = decider_domains::all();
    let domain = rng.pick(&domains);
    let (commands, events) = (domain.command_schema(), domain.event_schema());
    let streams = ["a", "b", "o1", "luigi", "pen"];
    let given: Vec<Value> = (0..rng.below(3))
        .map(|_| {
            let stream = format!(
                "{}-{}",
                rng.pick(&domain.info().streams),
                rng.pick(&streams)
            );
            // Only events of the part that owns the stream fit in it.
            let fits = |event: &Value| {
                let mut engine = domain.start(EngineConfig::default());
                engine.given(&stream, std::slice::from_ref(event)).is_ok()
            };
            let events: Vec<Value> = (0..rng.below(3))
                .map(|_| from_schema(&events, &events, rng))
                .filter(fits)
                .collect();
            json!({"stream": stream, "events": events})
        })
        .collect();
    // Half the files are version 1.1, whose steps may stop after a few engine steps.
    let v1_1 = rng.below(2) == 0;
    let steps: Vec<Value> = (0..1 + rng.below(8))
        .map(|_| {
            let mut step = json!({"command": from_schema(&commands, &commands, rng)});
            if v1_1 && rng.below(2) == 0 {
                step["engine_steps"] = json!(rng.below(4));
            }
            step
        })
        .collect();
    json!({
        "format": "decider-lab/scenario", "version": if v1_1 { json!(1.1) } else { json!(1) },
        "domain": domain.info().id,
        "title": "generated", "seed": rng.next() % 1000, "given": given, "steps": steps,
    })
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
    fn random_json_documents_never_panic_the_parser(document in any_document()) {
        exercise(&document.to_string());
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn documents_generated_from_the_schemas_load_run_deterministically_and_record(
        seed in any::<u64>(),
    ) {
        let text = generated_scenario(&mut Rng(seed)).to_string();
        let (scenario, domain) = scenario::load(&text, &decider_domains::find)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let run = scenario.run(&*domain).unwrap();
        let again = scenario.run(&*domain).unwrap();
        prop_assert_eq!(run.engine.journal(0), again.engine.journal(0));
        let recorded = scenario.record(&*domain).unwrap();
        let report = recorded.check(&*domain).unwrap();
        prop_assert!(report.passed(), "{}", report);
        prop_assert_eq!(Scenario::parse(&recorded.to_json()).unwrap(), recorded);
    }
}

/// Every leaf (string, number, boolean) below `value`, as JSON pointers.
fn leaves(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| leaves(v, &format!("{prefix}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, &format!("{prefix}/{i}"), out)),
        Value::Null => {}
        _ => out.push(prefix.to_string()),
    }
}

/// The leaf changed to another value of the same JSON type.
fn mutate(leaf: &Value) -> Value {
    match leaf {
        Value::String(s) => format!("{s}~").into(),
        Value::Bool(b) => (!b).into(),
        Value::Number(n) => match n.as_u64() {
            Some(0) => 1.into(),
            Some(n) => (n - 1).into(),
            None => (n.as_f64().unwrap_or(0.0) + 1.0).into(),
        },
        other => other.clone(),
    }
}

/// For a pointer into a file's expectations: the path of the expectation a check reports
/// (`$.steps[2].expect.events`, `$.then.view`) and, for a message list, the path of the
/// message holding the pointer (`$.steps[2].expect.events[1]`), which validation names.
fn expectation_paths(pointer: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["steps", s, "expect", list, item, ..] => Some((
            format!("$.steps[{s}].expect.{list}"),
            Some(format!("$.steps[{s}].expect.{list}[{item}]")),
        )),
        ["then", "streams", stream, ..] => Some((format!("$.then.streams.{stream}"), None)),
        ["then", part, ..] => Some((format!("$.then.{part}"), None)),
        _ => None,
    }
}

#[test]
fn a_mutated_expectation_fails_exactly_where_it_was_mutated() {
    let mut mutations = 0;
    for file in example_files() {
        let original: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut pointers = Vec::new();
        leaves(&original, "", &mut pointers);
        for pointer in pointers {
            let Some((reported, message)) = expectation_paths(&pointer) else {
                continue;
            };
            let mut value = original.clone();
            let leaf = value.pointer_mut(&pointer).unwrap();
            *leaf = mutate(leaf);
            let at = format!("{} at {pointer}", file.display());
            match scenario::load(&value.to_string(), &decider_domains::find) {
                Ok((scenario, domain)) => {
                    let report = scenario.check(&*domain).unwrap();
                    let paths: Vec<&str> =
                        report.failures.iter().map(|f| f.path.as_str()).collect();
                    assert_eq!(paths, [reported.as_str()], "{at}");
                }
                // A mutated message may no longer be one of the domain's: refused there.
                Err(error) => {
                    let message = message.unwrap_or_else(|| panic!("{at}: {error}"));
                    assert!(error.path.starts_with(&message), "{at}: {error}");
                }
            }
            mutations += 1;
        }
    }
    assert!(mutations > 500, "only {mutations} expectation leaves");
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

/// A run's stored form (what the playground keeps in IndexedDB), written from the typed
/// entries, is what compacting their JSON form makes, for every run of the journal, and
/// reads back as the same engine.
#[test]
fn the_stored_form_of_a_run_is_its_compacted_json_and_reads_back_the_same() {
    use decider_core::boundary::stored;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        GOLDEN_SCENARIO,
        "scenarios/restaurant/cancelled-after-payment.json",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let (scenario, domain) = scenario::load(&text, &decider_domains::find).unwrap();
        let engine = scenario.run(&*domain).unwrap().engine;
        let len = engine.journal_len();
        for from in 0..len {
            let json = engine.journal_text(from, len);
            let written = engine.stored_text(from, len);
            assert_eq!(
                written,
                stored::compact(&json).unwrap(),
                "{file} from {from}"
            );
            assert!(written.len() < json.len(), "{file} from {from}");
        }
        let mut rebuilt = domain.start(EngineConfig::default());
        rebuilt.extend(&engine.stored_text(0, len / 2)).unwrap();
        rebuilt.extend(&engine.stored_text(len / 2, len)).unwrap();
        assert_eq!(
            rebuilt.journal_text(0, len),
            engine.journal_text(0, len),
            "{file}"
        );
    }
}

/// Every example scenario's journal in its packed form (the playground's cache of a
/// segment) reads back as the same entries, cut anywhere into two runs; it is smaller than
/// the stored form; and bytes cut short or changed never fold silently into a longer
/// journal nor panic.
#[test]
fn the_packed_form_of_every_scenario_reads_back_the_same_entries() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = 0;
    for domain_dir in std::fs::read_dir(&dir).unwrap() {
        for file in std::fs::read_dir(domain_dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let (scenario, domain) = scenario::load(&text, &decider_domains::find).unwrap();
            let engine = scenario.run(&*domain).unwrap().engine;
            let len = engine.journal_len();
            let whole = engine.packed(0, len);
            assert!(
                whole.len() < engine.stored_text(0, len).len(),
                "{}",
                path.display()
            );
            for cut in 0..=len {
                let mut rebuilt = domain.start(EngineConfig::default());
                for (from, to) in [(0, cut), (cut, len)] {
                    let folded = rebuilt.extend_packed(&engine.packed(from, to));
                    assert_eq!(folded, Some(Ok(())), "{} cut at {cut}", path.display());
                }
                assert_eq!(
                    rebuilt.journal_text(0, len),
                    engine.journal_text(0, len),
                    "{} cut at {cut}",
                    path.display()
                );
            }
            for end in 0..whole.len() {
                let mut rebuilt = domain.start(EngineConfig::default());
                assert_eq!(
                    rebuilt.extend_packed(&whole[..end]),
                    None,
                    "{}",
                    path.display()
                );
                assert_eq!(rebuilt.journal_len(), 0);
            }
            for at in 0..whole.len() {
                let mut changed = whole.clone();
                changed[at] ^= 0x5a;
                let mut rebuilt = domain.start(EngineConfig::default());
                let _ = rebuilt.extend_packed(&changed);
                assert!(rebuilt.journal_len() <= len, "{} byte {at}", path.display());
            }
            files += 1;
        }
    }
    assert!(files >= 20, "only {files} scenarios");
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

#[test]
fn the_examples_in_the_format_doc_pass() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/scenario-format.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let examples: Vec<&str> = doc
        .split("```json\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .collect();
    assert_eq!(examples.len(), 3, "a version 1, a 1.1 and a 1.2 example");
    for example in examples {
        let (scenario, domain) = scenario::load(example, &decider_domains::find).unwrap();
        let report = scenario.check(&*domain).unwrap();
        assert!(report.passed(), "{}: {report}", scenario.title);
    }
}

/// The over-capacity example with its given history (Luigi's created and opened) moved
/// from `restaurant-luigi` into the order stream `order-o1`.
fn restaurant_history_in_an_order_stream() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(dir.join("scenarios/restaurant/rejected-over-capacity.json"))
            .unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["given"][0]["stream"], "restaurant-luigi");
    value["given"][0]["stream"] = json!("order-o1");
    value.to_string()
}

#[test]
fn history_given_in_another_parts_stream_is_refused_at_its_path_naming_the_owner() {
    let text = restaurant_history_in_an_order_stream();
    let (scenario, domain) = scenario::load(&text, &decider_domains::find).unwrap();
    let error = scenario.run(&*domain).err().expect("refused");
    assert_eq!(error.path, "$.given[0].events[0]");
    assert_eq!(
        error.message,
        "a `restaurant` event belongs to `restaurant-…` streams, not `order-o1` (owned by `order`)"
    );
    // A restaurant event after an order event in an order stream: refused at its index.
    let mut engine = domain.start(EngineConfig::default());
    let placed = json!({"order": {"order_cancelled": {"order_id": "o1", "reason": "test"}}});
    let opened = json!({"restaurant": {"opened": {"restaurant_id": "luigi"}}});
    let refused = engine.given("order-o1", &[placed, opened]).unwrap_err();
    assert_eq!(refused.path, "$[1]");
    assert_eq!(engine.journal_len(), 0, "nothing recorded");
}

#[test]
fn a_journal_with_an_event_in_another_parts_stream_refuses_to_rebuild() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(dir.join(GOLDEN_JOURNAL)).unwrap();
    let mut journal: Vec<Value> = serde_json::from_str(&text).unwrap();
    let domain = decider_domains::find("restaurant").unwrap();
    assert!(domain.rebuild(EngineConfig::default(), &journal).is_ok());
    // Entry 1 records Luigi's creation; move it into an order stream.
    let fact = &mut journal[1]["step"]["facts"][0]["fact"];
    assert_eq!(fact["stream_id"], "restaurant-luigi");
    fact["stream_id"] = json!("order-o1");
    let error = domain
        .rebuild(EngineConfig::default(), &journal)
        .err()
        .expect("refused");
    assert_eq!(error.path, "$[1]");
    assert!(
        error
            .message
            .contains("belongs to `restaurant-…` streams, not `order-o1`"),
        "{error}"
    );
}

#[test]
fn a_step_that_fails_on_a_refusal_says_why_it_was_refused() {
    let (scenario, domain) =
        scenario::load(&frozen_transfer(Value::Null), &decider_domains::find).unwrap();
    let recorded = scenario.record(&*domain).unwrap();
    let mut wrong = recorded.clone();
    wrong.steps[3].expect.rejections = Some(vec![]);
    let report = wrong.check(&*domain).unwrap();
    assert_eq!(report.failures.len(), 1, "{report}");
    let failure = &report.failures[0];
    assert_eq!(failure.path, "$.steps[3].expect.rejections");
    assert_eq!(failure.why.len(), 1);
    assert!(
        failure.why[0].ends_with(
            "account.frozen in account-bob at v2: refused since #2 account.frozen (accepted before it)"
        ),
        "{}",
        failure.why[0]
    );
    assert!(report.to_string().contains("\n  why: #"), "{report}");
    // A failure that is not about the step's facts says nothing of them.
    let mut view = recorded.clone();
    view.then.view = Some(json!("another view"));
    let report = view.check(&*domain).unwrap();
    assert_eq!(report.failures.len(), 1, "{report}");
    assert!(report.failures.iter().all(|f| f.why.is_empty()), "{report}");
}

/// The restaurant with room for one order at a time, and two orders: o1's accepted and
/// confirmed, then o2's refused (the kitchen is full), refunded and cancelled.
fn two_orders() -> Box<dyn decider_core::DynEngine> {
    let domain = decider_domains::find("restaurant").unwrap();
    let mut engine = domain.start(EngineConfig::default());
    let order = |id: &str| json!({"order": {"place_order": {"order_id": id, "restaurant_id": "luigi", "customer": "Ada", "items": ["pizza"]}}});
    for command in [
        json!({"restaurant": {"create_restaurant": {"restaurant_id": "luigi", "name": "Luigi's", "capacity": 1, "menu": [{"item_id": "pizza", "name": "Pizza", "price_cents": 900}]}}}),
        json!({"restaurant": {"open": {"restaurant_id": "luigi"}}}),
        order("o1"),
        order("o2"),
    ] {
        engine.submit(&command).unwrap();
        engine.run_until_idle(100);
    }
    engine
}

/// The names of the facts of `engine` whose flow is the one of the fact at `position`.
fn flow_names(engine: &dyn decider_core::DynEngine, position: u64) -> Vec<String> {
    let rows = engine.rows(0, engine.head());
    let flow = rows[position as usize].correlation_id;
    rows.into_iter()
        .filter(|r| r.correlation_id == flow)
        .map(|r| r.name)
        .collect()
}

#[test]
fn a_flow_removed_replays_every_other_command_as_it_was() {
    use decider_core::scenario::without::without_flow;
    let engine = two_orders();
    let rows = engine.rows(0, engine.head());
    assert_eq!(rows[2].stream_id, "order-o1");
    let o2 = rows.last().unwrap().position;
    assert!(
        flow_names(&*engine, o2).contains(&"restaurant.over_capacity".to_string()),
        "{:?}",
        flow_names(&*engine, o2)
    );
    let without = without_flow(&*engine, rows[2].correlation_id).unwrap();
    assert_eq!(without.shared, 2, "the restaurant's two facts come first");
    assert_eq!(without.command["order"]["place_order"]["order_id"], "o1");
    // The first two facts the same to the byte; then o2's flow alone, now accepted.
    let replayed = &*without.engine;
    assert_eq!(replayed.rows(0, 2), engine.rows(0, 2));
    assert_eq!(replayed.rows(2, 3)[0].stream_id, "order-o2");
    assert_eq!(
        flow_names(replayed, 2),
        [
            "order.order_placed",
            "payment.payment_taken",
            "restaurant.kitchen_ticket_created",
            "restaurant.order_accepted",
            "order.order_confirmed"
        ]
    );
    assert_eq!(replayed.head(), 7);
    let view = replayed.state_at(replayed.head())["view"].clone();
    assert!(view["orders"].get("o1").is_none(), "{view}");
    assert_eq!(view["orders"]["o2"]["status"], "confirmed", "{view}");
    assert_eq!(
        engine.rows(0, engine.head()),
        rows,
        "the original is untouched"
    );

    // Only a user command starts a flow: a reaction's id is refused.
    let reaction = rows[3].command_id;
    assert_ne!(reaction, rows[3].correlation_id);
    let err = without_flow(&*engine, reaction).err().unwrap();
    assert_eq!(err.path, "$");
    assert!(
        err.message.contains("no user command started the flow"),
        "{err}"
    );
}

/// What a person can do to a restaurant session, for [`replaying_without_a_flow`].
#[derive(Clone, Debug)]
enum Act {
    /// Place an order (of a dish on the menu, or not) without running the queue.
    Order(bool),
    /// Take one engine step.
    Step,
    /// Make the next queued command fail (the playground's ⚡), then take that step.
    Fault,
    /// Run the queue until idle.
    Idle,
}

/// A restaurant session made of `acts` (after the restaurant is created and opened).
fn session_of(acts: &[Act]) -> Box<dyn decider_core::DynEngine> {
    let domain = decider_domains::find("restaurant").unwrap();
    let mut engine = domain.start(EngineConfig::default());
    for command in [
        json!({"restaurant": {"create_restaurant": {"restaurant_id": "luigi", "name": "Luigi's", "capacity": 2, "menu": [{"item_id": "pizza", "name": "Pizza", "price_cents": 900}]}}}),
        json!({"restaurant": {"open": {"restaurant_id": "luigi"}}}),
    ] {
        engine.submit(&command).unwrap();
        engine.run_until_idle(100);
    }
    for (i, act) in acts.iter().enumerate() {
        match act {
            Act::Order(on_menu) => {
                let item = if *on_menu { "pizza" } else { "sushi" };
                let order = json!({"order": {"place_order": {"order_id": format!("o{i}"), "restaurant_id": "luigi", "customer": "Ada", "items": [item]}}});
                engine.submit(&order).unwrap();
            }
            Act::Step => {
                engine.step();
            }
            Act::Fault => {
                if let Some((id, rejection)) = engine.next_failure(false) {
                    engine.inject_fault(id, &rejection).unwrap();
                }
            }
            Act::Idle => {
                engine.run_until_idle(1_000);
            }
        }
    }
    engine
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Replaying a session without a flow from the typed journal (a branch from just
    /// before its command, the later commands submitted again) gives the journal that the
    /// session's scenario without that step gives, byte for byte, whichever flow is left
    /// out: interleaved flows, steps made to fail and all; or the same error.
    #[test]
    fn replaying_without_a_flow(
        acts in proptest::collection::vec(
            prop_oneof![
                3 => any::<bool>().prop_map(Act::Order),
                3 => Just(Act::Step),
                1 => Just(Act::Fault),
                1 => Just(Act::Idle),
            ],
            1..24,
        )
    ) {
        use decider_core::scenario::without::{without_flow, Replay};
        let domain = decider_domains::find("restaurant").unwrap();
        let engine = session_of(&acts);
        let journal = engine.journal(0);
        let scenario = Scenario::from_journal(&*domain, "", engine.seed(), &journal).unwrap();
        let submitted: Vec<String> = journal
            .iter()
            .filter_map(|entry| entry["submitted"]["command_id"].as_str().map(String::from))
            .collect();
        prop_assert_eq!(submitted.len(), scenario.steps.len());
        // A fork made a unit at a time is the fork made at once.
        let half = journal.len() / 2;
        let mut fork = decider_core::scenario::branch::Branch::at_entry(&*engine, half);
        while !fork.advance(&*engine, 1).unwrap() {}
        let at_once = engine.fork_at_entry(half);
        prop_assert_eq!(fork.shared(), at_once.head());
        prop_assert_eq!(fork.into_engine().journal(0), at_once.journal(0));
        for (step, id) in submitted.iter().enumerate() {
            let mut expected = scenario.clone();
            expected.steps.remove(step);
            // Either the same journal, or the same error (a later step made to fail may
            // find no such step once the flow is gone).
            let expected = expected.run(&*domain).map(|run| run.engine.journal(0));
            let without = without_flow(&*engine, id.parse().unwrap());
            let replayed = without.as_ref().map(|w| w.engine.journal(0));
            prop_assert_eq!(format!("{replayed:?}"), format!("{expected:?}"), "without step {}", step);
            let Ok(without) = without else { continue };
            // A unit at a time (as the page does it, a slice a frame): the same branch.
            let mut replay = Replay::start(&*engine, id.parse().unwrap()).unwrap();
            let mut done = replay.branch.progress().0;
            while !replay.branch.advance(&*engine, 1).unwrap() {
                prop_assert!(replay.branch.progress().0 == done + 1, "one unit at a time");
                done += 1;
            }
            let (all, total) = replay.branch.progress();
            prop_assert_eq!(all, total);
            let sliced = replay.finish();
            prop_assert_eq!(sliced.engine.journal(0), without.engine.journal(0));
            prop_assert_eq!(sliced.shared, without.shared);
            let shared = journal[..journal.iter().position(|e| e["submitted"]["command_id"] == id.as_str()).unwrap()]
                .iter()
                .map(|e| e["step"]["facts"].as_array().or(e["given"].as_array()).map_or(0, Vec::len) as u64)
                .sum::<u64>();
            prop_assert_eq!(without.shared, shared);
        }
    }
}
