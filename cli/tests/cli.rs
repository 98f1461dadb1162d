//! The `decider` binary as a user runs it: output, exit codes, errors on stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn decider(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_decider"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

fn scenario(path: &str) -> String {
    format!("../tests/scenarios/{path}")
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// The first three steps of the cancelled-after-payment scenario, written to `name`, with
/// no engine step after the third: its order's command is left waiting in the queue.
fn paused(name: &str) -> PathBuf {
    let text = std::fs::read_to_string(scenario("restaurant/cancelled-after-payment.json"))
        .unwrap()
        .replace("\"engine_steps\": 1", "\"engine_steps\": 0");
    let mut paused: serde_json::Value = serde_json::from_str(&text).unwrap();
    paused["steps"].as_array_mut().unwrap().truncate(3);
    temp_file(name, &paused.to_string())
}

#[test]
fn domains_lists_each_domain_with_its_commands() {
    let out = decider(&["domains"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    for line in [
        "counter  Counter",
        "restaurant  Restaurant & order",
        "    order.place_order",
        "    stock.release",
    ] {
        assert!(stdout.contains(line), "missing `{line}` in:\n{stdout}");
    }
}

#[test]
fn run_prints_the_trace_with_the_compensation_marked() {
    let out = decider(&["run", &scenario("restaurant/rejected-not-on-menu.json")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .contains("✘ #4 rejected: {\"restaurant\":{\"not_on_menu\":{\"item_id\":\"sushi\"}}}"),
        "{stdout}"
    );
    assert!(stdout.contains("↩ {\"payment\":{\"refund_payment\":{\"payment_id\":\"pay-o2\"}}} → payment-pay-o2 [fulfilment]"), "{stdout}");
    let json = decider(&[
        "run",
        "--json",
        &scenario("restaurant/rejected-not-on-menu.json"),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        report["steps"][2]["rejections"][0]["restaurant"]["not_on_menu"]["item_id"],
        "sushi"
    );
    assert_eq!(
        report["final_state"]["view"]["orders"]["o2"]["status"],
        "cancelled"
    );
}

#[test]
fn check_exits_0_when_all_hold_1_when_one_fails_2_when_one_is_invalid() {
    let good = scenario("counter/happy-path.json");
    let out = decider(&["check", &good, &scenario("transfer/happy-path.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).ends_with("2 passed, 0 failed, 0 invalid\n"));
    let out = decider(&["check", &scenario("counter")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("ok      ../tests/scenarios/counter/rejections.json"));

    let wrong = std::fs::read_to_string(&good)
        .unwrap()
        .replace("\"counter-clicks\": 6", "\"counter-clicks\": 7");
    let wrong = temp_file("wrong.json", &wrong);
    let out = decider(&["check", &good, wrong.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("$.then.streams.counter-clicks does not hold:"),
        "{stdout}"
    );
    assert!(stdout.contains("-7\n+6\n"), "{stdout}");

    let invalid = temp_file(
        "invalid.json",
        "{\"format\": \"decider-lab/scenario\", \"version\": 9}",
    );
    let out = decider(&["check", wrong.to_str().unwrap(), invalid.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("invalid.json: at $.version: format version 9 is newer"),
        "{stderr}"
    );
}

#[test]
fn errors_name_the_file_and_never_panic() {
    let out = decider(&["run", "no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("decider: no/such/file.json: cannot read:"));
    let out = decider(&["check"]);
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
    let out = decider(&["schema", "--domain", "bakery"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown domain `bakery`; known domains: counter, restaurant")
    );
}

#[test]
fn record_writes_a_scenario_whose_expectations_pass() {
    let input = temp_file(
        "bare.json",
        r#"{"format": "decider-lab/scenario", "version": 1, "domain": "counter", "title": "bare",
            "steps": [{"command": {"increment": {"counter_id": "z", "by": 2}}}]}"#,
    );
    let output = Path::new(env!("CARGO_TARGET_TMPDIR")).join("recorded.json");
    let out = decider(&[
        "record",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let recorded = std::fs::read_to_string(&output).unwrap();
    assert!(recorded.contains("\"counter-z\": 2"), "{recorded}");
    assert!(
        recorded.contains("\"version\": 1,") && recorded.contains("\"commands\": []"),
        "a version-1 file is recorded as version 1: {recorded}"
    );
    assert_eq!(
        decider(&["check", output.to_str().unwrap()]).status.code(),
        Some(0)
    );
}

#[test]
fn schema_prints_the_checked_in_scenario_schema() {
    let out = decider(&["schema"]);
    let checked_in = std::fs::read_to_string("../docs/scenario.schema.json").unwrap();
    assert_eq!(text(&out.stdout), checked_in);
    let domain: serde_json::Value =
        serde_json::from_slice(&decider(&["schema", "--domain", "counter"]).stdout).unwrap();
    assert!(domain["command"]["oneOf"].is_array());
}

#[test]
fn run_shows_interleaved_flows_and_what_is_left_queued() {
    let out = decider(&["run", &scenario("restaurant/cancelled-after-payment.json")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("(then 1 engine step(s))"), "{stdout}");
    let went_on = stdout.find("went on:").expect("the order's flow goes on");
    let ticket = stdout
        .find("kitchen_ticket_cancelled")
        .expect("the ticket is cancelled");
    assert!(went_on < ticket, "{stdout}");

    let paused = paused("paused.json");
    let out = decider(&["run", paused.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("still queued: 1 command(s)\n  {\"order\":{\"place_order\""),
        "{stdout}"
    );
    assert!(stdout.contains("[user]\n"), "{stdout}");
}

#[test]
fn record_of_a_1_1_file_writes_issued_commands_process_and_queue() {
    let input = temp_file(
        "bare-1.1.json",
        r#"{"format": "decider-lab/scenario", "version": 1.1, "domain": "counter", "title": "bare",
            "steps": [{"command": {"increment": {"counter_id": "z", "by": 2}}, "engine_steps": 0}]}"#,
    );
    let out = decider(&["record", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let recorded: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(recorded["version"], serde_json::json!(1.1));
    assert_eq!(
        recorded["steps"][0]["expect"]["issued"][0]["origin"],
        "user"
    );
    assert_eq!(
        recorded["steps"][0]["expect"]["events"],
        serde_json::json!([])
    );
    assert_eq!(
        recorded["then"]["queue"][0]["command"]["increment"]["by"],
        2
    );
    assert!(
        recorded["then"].get("process").is_none(),
        "the counter has none"
    );
}

#[test]
fn compare_lays_two_scenarios_side_by_side_and_exits_1_when_they_differ() {
    let (happy, refused) = (
        scenario("restaurant/happy-path.json"),
        scenario("restaurant/rejected-not-on-menu.json"),
    );
    let output = decider(&["compare", &happy, &refused]);
    assert_eq!(output.status.code(), Some(1), "they differ");
    let report = text(&output.stdout);
    assert!(
        report
            .contains("They share their first 2 facts and part at #2; theirs has 9 facts, ours 7."),
        "{report}"
    );
    assert!(
        report
            .contains("ours:   ✘ restaurant.not_on_menu restaurant-luigi {\"item_id\":\"sushi\"}"),
        "the refusal, its variant unwrapped: {report}"
    );
    assert!(report.contains("#8 ≠ theirs: ✔ order.order_ready_for_pickup order-o1 v3"));
    assert!(report.contains("order-o1: only in theirs\n"));
    assert!(report.contains("order-o2: only in ours\n"));
    assert!(
        report.contains("  -  \"version\": 5\n  +  \"version\": 2\n"),
        "the restaurant's stream as a line diff: {report}"
    );

    let same = decider(&["compare", &happy, &happy]);
    assert_eq!(same.status.code(), Some(0));
    assert!(text(&same.stdout).contains("Nothing differs: both hold the same 9 facts."));

    let limited = text(&decider(&["compare", &happy, &refused, "--limit", "2"]).stdout);
    assert!(
        limited.contains("… 5 more positions not listed"),
        "{limited}"
    );

    let other = decider(&["compare", &happy, &scenario("counter/happy-path.json")]);
    assert_eq!(other.status.code(), Some(2));
    assert!(text(&other.stderr).contains("only scenarios of one domain compare"));
}

#[test]
fn why_explains_each_rejection_and_names_the_event_that_made_the_difference() {
    let output = decider(&["why", &scenario("restaurant/rejected-over-capacity.json")]);
    assert_eq!(output.status.code(), Some(0));
    let report = text(&output.stdout);
    assert!(
        report.contains("#9 ✘ restaurant.over_capacity in restaurant-luigi (issued by fulfilment)"),
        "{report}"
    );
    assert!(
        report.contains(
            "#9 restaurant.over_capacity in restaurant-luigi at v4: refused since #4 restaurant.kitchen_ticket_created (accepted before it)"
        ),
        "{report}"
    );
    assert!(report
        .contains("✔ accepted → restaurant.kitchen_ticket_created, restaurant.order_accepted"));
    assert!(report.contains("fulfilment reacted to #8 ✔ payment.payment_taken payment-pay-o5 v1"));
    assert!(report.ends_with("submitted by the user\n"), "{report}");

    let menu = text(&decider(&["why", &scenario("restaurant/rejected-not-on-menu.json")]).stdout);
    assert!(
        menu.contains("refused at every version decided: no event of the stream made it fail"),
        "{menu}"
    );

    let happy = scenario("restaurant/happy-path.json");
    let none = decider(&["why", &happy]);
    assert_eq!(none.status.code(), Some(0));
    assert!(text(&none.stdout).ends_with("no command was refused\n"));
    let not_one = decider(&["why", &happy, "--position", "1"]);
    assert_eq!(not_one.status.code(), Some(2));
    assert!(text(&not_one.stderr).contains("no rejection at #1 (the scenario recorded 9 facts)"));
}

#[test]
fn explore_finds_what_an_unhandled_failure_breaks_and_writes_the_shrunk_run() {
    let transfers = scenario("transfer");
    let held = decider(&["explore", &transfers, "--runs", "40"]);
    assert_eq!(held.status.code(), Some(0), "{}", text(&held.stderr));
    let report = text(&held.stdout);
    assert!(
        report.starts_with("explored transfer: 40 runs, 480 commands,"),
        "{report}"
    );
    assert!(
        report.ends_with(
            "every invariant held:\n  ✔ Every requested transfer finishes, completed or failed.\n  \
             ✔ A completed transfer debited and credited its amount and refunded nothing.\n  \
             ✔ A failed transfer credited nothing and refunded all it debited.\n  \
             ✔ The balances shown are what each account's own events add up to.\n"
        ),
        "{report}"
    );

    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("explored-transfer.json");
    let out = out.to_str().unwrap();
    let broken = decider(&["explore", &transfers, "--unhandled", "--out", out]);
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken.stderr));
    let report = text(&broken.stdout);
    assert!(report.contains("broken: t"), "{report}");
    assert!(
        report.contains("debited, 0 credited, 0 refunded"),
        "{report}"
    );
    assert!(
        report
            .contains("account.refund (issued by transfer) made to fail: {\"account\":\"closed\"}"),
        "{report}"
    );
    assert!(
        report.contains("the shrunk run's scenario written to"),
        "{report}"
    );
    // A scenario of format 1.2: the refund's step made to fail, which `decider check`
    // then replays as a regression test.
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(file["format"], "decider-lab/scenario");
    assert_eq!(file["version"], 1.2);
    assert_eq!(file["domain"], "transfer");
    assert!(file["title"].as_str().unwrap().starts_with("Explored: t"));
    let faults: Vec<&serde_json::Value> = file["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|step| step["faults"].as_array())
        .flatten()
        .collect();
    assert_eq!(faults.len(), 1, "{file}");
    assert_eq!(
        faults[0]["rejection"],
        serde_json::json!({"account": "closed"})
    );
    let checked = decider(&["check", out]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stdout));

    let counter = decider(&["explore", &scenario("counter")]);
    assert_eq!(counter.status.code(), Some(2));
    assert!(text(&counter.stderr).contains("the counter domain declares no invariants"));
    let mixed = decider(&["explore", &scenario("counter"), &transfers]);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(text(&mixed.stderr).contains("explore one domain at a time"));
}

#[test]
fn explore_after_a_scenario_starts_every_run_from_its_facts_and_keeps_them() {
    let transfers = scenario("transfer");
    let happy = scenario("transfer/happy-path.json");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("explored-after.json");
    let out = out.to_str().unwrap();
    let args = ["explore", &transfers, "--after", &happy, "--unhandled"];
    let broken = decider(&[&args[..], &["--out", out]].concat());
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken.stderr));
    let report = text(&broken.stdout);
    assert!(
        report.starts_with(&format!("explored transfer after {happy} (6 facts): ")),
        "{report}"
    );
    // The shrunk run's scenario: the happy path's commands first, then the run's.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let before: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&happy).unwrap()).unwrap();
    let commands = |file: &serde_json::Value| -> Vec<serde_json::Value> {
        let steps = file["steps"].as_array().unwrap();
        steps.iter().map(|s| s["command"].clone()).collect()
    };
    let (kept, started) = (commands(&written), commands(&before));
    assert!(kept.len() > started.len(), "{written}");
    assert_eq!(kept[..started.len()], started[..]);
    let checked = decider(&["check", out]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stdout));

    let other = scenario("restaurant/happy-path.json");
    let refused = decider(&["explore", &transfers, "--after", &other]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("of the restaurant domain, not the transfer"),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn run_writes_each_flow_as_a_mermaid_diagram_in_markdown() {
    let file = scenario("restaurant/cancelled-after-payment.json");
    let out = decider(&["run", "--mermaid", &file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("# Cancelled after the payment: refunded, and the kitchen ticket cancelled (restaurant)\n"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("```mermaid\nsequenceDiagram\n").count(), 5);
    assert_eq!(stdout.matches("\n```\n").count(), 5, "every block closed");
    // Step 3's flow was cut short by `engine_steps` and went on later: drawn whole.
    let step3 = &stdout[stdout.find("## Step 3: order.place_order").unwrap()
        ..stdout.find("## Step 4: order.cancel_order").unwrap()];
    assert!(step3.contains("    L2->>L4: ▶ accept_order\n"), "{step3}");
    assert!(
        step3.contains("    Note over L4: ✔ #35;8 kitchen_ticket_cancelled\n"),
        "{step3}"
    );

    let refused = decider(&[
        "run",
        "--mermaid",
        &scenario("restaurant/rejected-not-on-menu.json"),
    ]);
    let stdout = text(&refused.stdout);
    assert!(stdout.contains("--xL2: ✘ #35;4 not_on_menu\n    rect rgba(245, 158, 11, 0.15)\n        L2->>L3: ↩ refund_payment\n"), "{stdout}");

    let both = decider(&["run", "--json", "--mermaid", &file]);
    assert_eq!(both.status.code(), Some(2));
    assert!(text(&both.stderr).contains("cannot be used with"));
}

#[test]
fn without_compares_a_scenario_with_its_run_without_one_step() {
    let file = scenario("restaurant/rejected-over-capacity.json");
    let out = decider(&["without", &file, "1"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("ours:   without step 1 (order.place_order)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "They share their first 2 facts and part at #2; theirs has 12 facts, ours 7."
        ),
        "{stdout}"
    );
    // Without the first order, the second finds the kitchen free.
    assert!(
        stdout.contains("order-o5 (- theirs, + ours):")
            && stdout.contains("+    \"status\": \"confirmed\""),
        "{stdout}"
    );
    assert!(stdout.contains("order-o4: only in theirs"), "{stdout}");

    let out = decider(&["without", &file, "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no step 3 (the scenario has 2 steps, counted from 1)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn flows_lists_what_became_of_each_flow_and_filters_by_outcome() {
    let out = decider(&["flows", &scenario("restaurant/rejected-over-capacity.json")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[1].starts_with("flow  outcome"), "{stdout}");
    assert!(
        lines[2].contains("✔ completed    ✔ 5")
            && lines[2].ends_with("order.place_order o4 · luigi · customer Ada"),
        "{stdout}"
    );
    assert!(
        lines[3].contains("↩ compensated  ✔ 4 ✘ 1       5  #7–11"),
        "{stdout}"
    );
    assert_eq!(lines[4], "2 flows: 1 completed, 1 compensated");

    // Stopped before the engine took the last order's steps: that flow still waits.
    let paused = paused("flows-paused.json");
    let out = decider(&["flows", paused.to_str().unwrap(), "--outcome", "pending"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let listed: Vec<&str> = stdout.lines().filter(|l| l.contains("◌ pending")).collect();
    assert_eq!(listed.len(), 1, "{stdout}");
    assert!(
        listed[0].contains("—") && listed[0].contains("order.place_order"),
        "{stdout}"
    );
    assert!(stdout.ends_with("(1 listed: pending)\n"), "{stdout}");

    let out = decider(&["flows", paused.to_str().unwrap(), "--outcome", "done"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("one of completed, compensated, refused, pending, failed"));
}
