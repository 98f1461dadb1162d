//! Scenario files written from a session's journal, and strict reading (byte-order mark,
//! duplicate keys), as the CLI sees them.

use decider_core::scenario::Scenario;
use decider_core::EngineConfig;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn decider(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_decider"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn example(path: &str) -> Scenario {
    let text = std::fs::read_to_string(format!("../tests/scenarios/{path}")).unwrap();
    Scenario::parse(&text).unwrap()
}

/// A session's journal: `scenario`'s commands submitted one after another, taking only
/// `steps_after` engine steps after each (`None`: until idle), as step mode does.
fn session_journal(scenario: &Scenario, steps_after: Option<u64>) -> Vec<serde_json::Value> {
    let domain = decider_domains::find(&scenario.domain).unwrap();
    let mut engine = domain.start(EngineConfig {
        seed: scenario.seed,
        ..EngineConfig::default()
    });
    for given in &scenario.given {
        engine.given(&given.stream, &given.events).unwrap();
    }
    for step in &scenario.steps {
        engine.submit(&step.command).unwrap();
        engine.run_until_idle(steps_after.unwrap_or(10_000));
    }
    engine.journal(0)
}

fn exported(scenario: &Scenario, journal: &[serde_json::Value]) -> Scenario {
    let domain = decider_domains::find(&scenario.domain).unwrap();
    Scenario::from_journal(&*domain, "exported", scenario.seed, journal).unwrap()
}

#[test]
fn an_exported_session_passes_decider_check_unchanged() {
    for path in [
        "restaurant/happy-path.json",
        "checkout/payment-declined.json",
    ] {
        let scenario = example(path);
        let journal = session_journal(&scenario, None);
        let file = exported(&scenario, &journal);
        assert!(
            file.steps.iter().all(|s| s.engine_steps.is_none()),
            "{path}"
        );
        assert!(
            file.steps.iter().all(|s| s.expect.events.is_some()),
            "{path}"
        );
        let written = temp_file("exported.json", &file.to_json());
        let out = decider(&["check", written.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{path}: {stdout}");
        assert!(stdout.contains("1 passed, 0 failed"), "{stdout}");
    }
}

#[test]
fn a_step_by_step_session_replays_to_the_same_journal() {
    let scenario = example("restaurant/cancelled-after-payment.json");
    let journal = session_journal(&scenario, Some(1));
    let file = exported(&scenario, &journal);
    assert!(file.steps.iter().any(|s| s.engine_steps == Some(1)));
    let domain = decider_domains::find(&scenario.domain).unwrap();
    let replayed = file.run(&*domain).unwrap().engine.journal(0);
    assert_eq!(
        serde_json::to_string(&replayed).unwrap(),
        serde_json::to_string(&journal).unwrap()
    );
    assert!(file.check(&*domain).unwrap().passed());
}

#[test]
fn given_history_is_exported_first() {
    let scenario = example("restaurant/rejected-over-capacity.json");
    assert!(!scenario.given.is_empty());
    let journal = session_journal(&scenario, None);
    let file = exported(&scenario, &journal);
    assert_eq!(file.given, scenario.given);
}

#[test]
fn a_file_with_a_byte_order_mark_checks() {
    let text = std::fs::read_to_string("../tests/scenarios/counter/happy-path.json").unwrap();
    let path = temp_file("bom.json", &format!("\u{feff}{text}"));
    let out = decider(&["check", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_duplicate_key_is_an_error_at_its_path() {
    let text = std::fs::read_to_string("../tests/scenarios/counter/happy-path.json").unwrap();
    let doubled = text.replacen("\"title\":", "\"title\": \"first\",\n  \"title\":", 1);
    let path = temp_file("duplicate.json", &doubled);
    let out = decider(&["check", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("duplicate key `title` at $.title"), "{all}");
}

#[test]
fn the_page_bundles_every_scenario_file() {
    let bundled = std::fs::read_to_string("../web/src/components/specs.rs").unwrap();
    let root = Path::new("../tests/scenarios");
    let mut missing = Vec::new();
    for domain in std::fs::read_dir(root).unwrap() {
        let domain = domain.unwrap().path();
        for file in std::fs::read_dir(&domain).unwrap() {
            let path = file.unwrap().path();
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if relative.ends_with(".json") && !bundled.contains(&format!("\"{relative}\"")) {
                missing.push(relative);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add to EXAMPLES in web/src/components/specs.rs: {missing:?}"
    );
}
