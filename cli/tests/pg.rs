//! `decider pg` as a user runs it, against a throwaway PostgreSQL cluster this binary
//! starts and stops (or the database at `DECIDER_PG_URL`, if set).

use libtest_mimic::Failed;
use std::process::{Command, Output};

#[path = "../../postgres/tests/support/mod.rs"]
mod support;

fn main() {
    support::run(support::tests![
        follow_prints_the_facts_another_process_writes,
        a_scenario_pushed_goes_on_with_new_commands_and_comes_back_out,
        a_queue_left_half_run_is_run_on,
        a_step_made_to_fail_compensates,
        bad_input_is_named
    ]);
}

fn decider(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_decider"))
        .arg("pg")
        .args(args)
        .args(["--url", url])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Standard output of a run that must succeed.
fn ok(url: &str, args: &[&str]) -> Result<String, Failed> {
    let out = decider(url, args);
    if !out.status.success() {
        return Err(format!(
            "decider pg {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

/// Standard error of a run that must fail as bad input (exit 2).
fn refused(url: &str, args: &[&str]) -> String {
    let out = decider(url, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Luigi's restaurant, with tiramisu on its menu, made and opened in `session`.
fn open_luigi(url: &str, session: &str) -> Result<(), Failed> {
    let menu = r#"{"restaurant":{"create_restaurant":{"capacity":2,"menu":[{"item_id":"tiramisu","name":"Tiramisu","price_cents":500}],"name":"Luigi's","restaurant_id":"luigi"}}}"#;
    ok(url, &["submit", session, menu])?;
    let open = r#"{"restaurant":{"open":{"restaurant_id":"luigi"}}}"#;
    ok(url, &["submit", session, open])?;
    Ok(())
}

const ORDER_O9: &str = r#"{"order":{"place_order":{"customer":"Lin","items":["tiramisu"],"order_id":"o9","restaurant_id":"luigi"}}}"#;

fn a_scenario_pushed_goes_on_with_new_commands_and_comes_back_out(url: &str) -> Result<(), Failed> {
    let pushed = ok(
        url,
        &[
            "push",
            "../tests/scenarios/restaurant/rejected-not-on-menu.json",
            "--session",
            "demo",
        ],
    )?;
    assert!(
        pushed.starts_with("pushed session `demo`: ") && pushed.contains("0 queued"),
        "{pushed}"
    );
    let submitted = ok(url, &["submit", "demo", ORDER_O9])?;
    assert!(submitted.starts_with("flow "), "{submitted}");
    assert!(submitted.contains("order-o9"), "{submitted}");
    assert!(submitted.contains("the queue is empty"), "{submitted}");
    let exported = ok(url, &["export", "demo"])?;
    let file: serde_json::Value = serde_json::from_str(&exported)?;
    assert_eq!(file["format"], "decider-lab/journal");
    assert_eq!(file["domain"], "restaurant");
    assert!(
        exported.contains("\"o9\""),
        "the new order is in the export"
    );
    // The export goes back in as a session of its own, the same journal.
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo.journal.json");
    std::fs::write(&path, &exported)?;
    let path = path.to_string_lossy().to_string();
    ok(url, &["push", &path, "--session", "copy"])?;
    let copy: serde_json::Value = serde_json::from_str(&ok(url, &["export", "copy"])?)?;
    assert_eq!(copy["journal"], file["journal"]);
    let listed = ok(url, &["sessions"])?;
    let line = |name: &str| {
        listed
            .lines()
            .find(|l| l.starts_with(&format!("{name}  ")))
            .map(|l| l.split_once("  ").map_or("", |(_, rest)| rest).to_string())
    };
    assert!(
        line("demo").is_some_and(|l| l.starts_with("restaurant  ")),
        "{listed}"
    );
    assert_eq!(line("demo"), line("copy"), "{listed}");
    assert!(ok(url, &["delete", "copy"])?.contains("deleted session `copy`"));
    assert!(refused(url, &["export", "copy"]).contains("no session `copy` in the database"));
    Ok(())
}

fn a_queue_left_half_run_is_run_on(url: &str) -> Result<(), Failed> {
    let created = ok(
        url,
        &["create", "half", "--domain", "restaurant", "--seed", "3"],
    )?;
    assert!(created.contains("0 facts"), "{created}");
    open_luigi(url, "half")?;
    let half = ok(url, &["submit", "half", ORDER_O9, "--max-steps", "2"])?;
    assert!(half.contains("2 step(s) taken and written"), "{half}");
    assert!(half.contains("still queued"), "{half}");
    let rest = ok(url, &["run", "half"])?;
    assert!(rest.contains("the queue is empty"), "{rest}");
    let exported: serde_json::Value = serde_json::from_str(&ok(url, &["export", "half"])?)?;
    let text = exported["journal"].to_string();
    assert!(text.contains("order_confirmed"), "the flow ran to its end");
    Ok(())
}

fn bad_input_is_named(url: &str) -> Result<(), Failed> {
    ok(url, &["create", "strict", "--domain", "restaurant"])?;
    let error = refused(
        url,
        &[
            "submit",
            "strict",
            r#"{"order":{"place_order":{"order_id":5}}}"#,
        ],
    );
    assert!(error.contains("at $.order.place_order.order_id"), "{error}");
    let error = refused(url, &["submit", "nowhere", ORDER_O9]);
    assert!(
        error.contains("no session `nowhere` in the database"),
        "{error}"
    );
    let error = refused(url, &["create", "strict", "--domain", "restaurant"]);
    assert!(
        error.contains("a session `strict` is already in the database"),
        "{error}"
    );
    let error = refused(url, &["create", "odd", "--domain", "bakery"]);
    assert!(error.contains("unknown domain `bakery`"), "{error}");
    let out = Command::new(env!("CARGO_BIN_EXE_decider"))
        .args(["pg", "sessions"])
        .env_remove("DATABASE_URL")
        .output()?;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --url or set DATABASE_URL"));
    Ok(())
}

fn follow_prints_the_facts_another_process_writes(url: &str) -> Result<(), Failed> {
    ok(
        url,
        &[
            "push",
            "../tests/scenarios/restaurant/happy-path.json",
            "--session",
            "followed",
        ],
    )?;
    // From the happy path's last fact (#8), until the new flow's last (#13); `--idle`
    // only keeps a broken run from waiting for ever.
    let follower = Command::new(env!("CARGO_BIN_EXE_decider"))
        .args(["pg", "follow", "followed", "--from", "8", "--until", "13"])
        .args(["--idle", "60", "--url", url])
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let sushi = r#"{"order":{"place_order":{"customer":"Lin","items":["margherita","sushi"],"order_id":"o9","restaurant_id":"luigi"}}}"#;
    ok(url, &["submit", "followed", sushi])?;
    let out = follower.wait_with_output()?;
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 6, "#8 to #13:\n{printed}");
    assert!(
        lines[0].starts_with(" ✔ #8 order-o1 v3 order.order_ready_for_pickup [fulfilment]"),
        "{printed}"
    );
    assert_eq!(
        lines[3],
        r#" ✘ #11 restaurant-luigi restaurant.not_on_menu [fulfilment] {"item_id":"sushi"}"#
    );
    assert!(
        lines[4].starts_with("↩✔ #12 payment-pay-o9 v2 payment.payment_refunded"),
        "{printed}"
    );
    assert!(
        lines[5].starts_with("↩✔ #13 order-o9 v2 order.order_cancelled"),
        "{printed}"
    );
    Ok(())
}

fn a_step_made_to_fail_compensates(url: &str) -> Result<(), Failed> {
    ok(url, &["create", "chaos", "--domain", "restaurant"])?;
    open_luigi(url, "chaos")?;
    // The order placed and paid; the restaurant's accept waits.
    ok(url, &["submit", "chaos", ORDER_O9, "--max-steps", "2"])?;
    let queue = ok(url, &["queue", "chaos"])?;
    let lines: Vec<&str> = queue.lines().collect();
    assert_eq!(lines.len(), 1, "{queue}");
    let (id, rest) = lines[0].split_once(' ').expect("an id first");
    assert!(
        rest.starts_with(
            "restaurant-luigi [fulfilment] depth 2: {\"restaurant\":{\"accept_order\""
        ),
        "{queue}"
    );
    let reason = r#"{"restaurant":{"not_on_menu":{"item_id":"tiramisu"}}}"#;
    let failed = ok(url, &["fail", "chaos", id, reason])?;
    assert!(
        failed.contains("⚡ #4 injected fault: {\"restaurant\":{\"not_on_menu\""),
        "{failed}"
    );
    assert!(
        failed.contains("↩ {\"payment\":{\"refund_payment\""),
        "{failed}"
    );
    assert!(failed.contains("the queue is empty"), "{failed}");
    assert!(ok(url, &["queue", "chaos"])?.contains("the queue is empty"));
    let error = refused(url, &["fail", "chaos", id, reason]);
    assert!(
        error.contains(&format!("no command {id} waits in the queue")),
        "{error}"
    );
    let error = refused(url, &["fail", "chaos", "zz", reason]);
    assert!(error.contains("command id `zz`"), "{error}");

    // The flow read back from the database, named by one of its facts or its id: as text,
    // and as a Mermaid diagram with the injected refusal and the compensations' band.
    let traced = ok(url, &["trace", "chaos", "#2"])?;
    let flow = traced
        .strip_prefix("flow ")
        .and_then(|rest| rest.split_once('\n'))
        .map(|(id, _)| id.to_string())
        .ok_or(format!("a flow's id first: {traced}"))?;
    assert!(traced.contains("⚡ #4 injected fault"), "{traced}");
    let diagram = ok(url, &["trace", "chaos", &flow, "--mermaid"])?;
    assert!(diagram.starts_with("sequenceDiagram\n"), "{diagram}");
    assert!(
        diagram.contains(": ⚡ #35;4 not_on_menu\n    rect rgba(245, 158, 11, 0.15)\n"),
        "{diagram}"
    );
    assert!(diagram.contains(": ↩ refund_payment\n"), "{diagram}");
    // Its flows as the playground lists them: the order compensated, the fault marked.
    let flows = ok(url, &["flows", "chaos"])?;
    assert!(
        flows
            .lines()
            .any(|l| l.contains("↩ compensated") && l.ends_with("⚡")),
        "{flows}"
    );
    let compensated = ok(url, &["flows", "chaos", "--outcome", "compensated"])?;
    assert!(
        compensated.ends_with("(1 listed: compensated)\n"),
        "{compensated}"
    );
    let error = refused(url, &["trace", "chaos", "#99"]);
    assert!(
        error.contains("no fact at position 99 (the session has 7 facts)"),
        "{error}"
    );
    let error = refused(url, &["trace", "chaos", "00000000000000ff"]);
    assert!(
        error.contains("session `chaos` has no flow 00000000000000ff"),
        "{error}"
    );
    Ok(())
}
