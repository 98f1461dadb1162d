//! The session model: what each action does to the engine, the cursor and the selection.
#![cfg(target_arch = "wasm32")]

use decider_core::boundary::{FlowOutcome, LogFilter, RowKind};
use decider_core::DynDomain;
use decider_web::session::repeat::substitute;
use decider_web::session::{Action, Progress, RunMode, Session};
use serde_json::{json, Value};
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn session(domain: &str) -> Session {
    let domains: Vec<Rc<dyn DynDomain>> =
        decider_domains::all().into_iter().map(Rc::from).collect();
    Session::new(Rc::new(domains), domain, 0)
}

/// The commands of a bundled scenario file, in order.
fn commands(text: &str) -> Vec<Value> {
    let scenario: Value = serde_json::from_str(text).unwrap();
    scenario["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["command"].clone())
        .collect()
}

const NOT_ON_MENU: &str =
    include_str!("../../tests/scenarios/restaurant/rejected-not-on-menu.json");
const HAPPY: &str = include_str!("../../tests/scenarios/restaurant/happy-path.json");

#[wasm_bindgen_test]
fn repeat_replaces_the_index_in_every_string() {
    let command = json!({"order": {"place_order": {"order_id": "o${i}", "items": ["a-${i}", 3]}}});
    assert_eq!(
        substitute(&command, 7),
        json!({"order": {"place_order": {"order_id": "o7", "items": ["a-7", 3]}}})
    );
    // Keys too; a key that becomes another key's name keeps the later value, as in a map
    // built from the entries in order.
    let keys = json!({"k${i}": "v${i}", "k7": "plain", "z": {"n${i}": 1}});
    assert_eq!(substitute(&keys, 7), json!({"k7": "plain", "z": {"n7": 1}}));
}

#[wasm_bindgen_test]
fn instant_mode_runs_each_submission_to_idle_and_traces_its_flow() {
    let mut session = session("restaurant");
    assert_eq!(session.domain().info().id, "restaurant");
    for command in commands(NOT_ON_MENU) {
        session.apply(Action::Submit(command));
    }
    assert_eq!(session.queue_len(), 0);
    let rows = session.log_rows(0, 100);
    assert_eq!(rows.len() as u64, session.head());
    let rejection = rows.iter().find(|r| r.kind == RowKind::Rejection).unwrap();
    assert_eq!(rejection.origin, "fulfilment");
    assert!(rows.iter().filter(|r| r.compensation).count() >= 2);
    let flow = session.flow().expect("the last submission's flow");
    assert!(flow.nodes.iter().any(|n| n.compensation));
    assert_eq!(session.history().len(), commands(NOT_ON_MENU).len());
}

#[wasm_bindgen_test]
fn step_mode_waits_and_a_fault_can_be_injected_on_any_queued_command() {
    let mut session = session("restaurant");
    session.apply(Action::SetMode(RunMode::Step));
    let steps = commands(HAPPY);
    for command in &steps {
        session.apply(Action::Submit(command.clone()));
        session.apply(Action::RunToIdle);
    }
    let before = session.head();
    // Place one more order and step until the restaurant's accept command waits.
    let place = steps
        .iter()
        .find(|c| c.get("order").is_some())
        .unwrap()
        .clone();
    let mut place = place;
    place["order"]["place_order"]["order_id"] = json!("o-fault");
    session.apply(Action::Submit(place));
    assert_eq!(session.head(), before, "step mode: nothing ran yet");
    let accept = loop {
        let queue = session.state(None).queue;
        if let Some(accept) = queue.iter().find(|q| q.name == "restaurant.accept_order") {
            break accept.clone();
        }
        assert!(!queue.is_empty(), "the flow reaches the restaurant");
        session.apply(Action::Step);
    };
    session.apply(Action::InjectFault(
        accept.command_id,
        json!({"restaurant": "closed"}),
    ));
    assert_eq!(session.error(), None);
    let injected = session
        .selected()
        .expect("the injected fact is selected")
        .clone();
    assert!(injected.injected && injected.kind == RowKind::Rejection);
    session.apply(Action::RunToIdle);
    let rows = session.log_rows(injected.position as usize, session.head() as usize);
    assert!(
        rows.iter()
            .any(|r| r.compensation && r.name.ends_with("payment_refunded")),
        "the fulfilment process refunds after the injected rejection: {rows:?}"
    );
}

#[wasm_bindgen_test]
fn with_nothing_selected_the_cursor_shows_the_last_folded_facts_stream() {
    let mut session = session("counter");
    assert_eq!(session.cursor_stream(), None, "no fact yet");
    for id in ["a", "b"] {
        session.apply(Action::Submit(
            json!({"increment": {"counter_id": id, "by": 1}}),
        ));
    }
    // A submission selects nothing: the inspector shows the stream of the newest fact.
    assert!(session.selected().is_none());
    assert_eq!(session.cursor_stream().as_deref(), Some("counter-b"));
    // In the past, the stream of the last fact folded at the cursor.
    session.apply(Action::SetCursor(1));
    assert_eq!(session.cursor_stream().as_deref(), Some("counter-a"));
    session.apply(Action::SetCursor(0));
    assert_eq!(session.cursor_stream(), None, "nothing folded at the start");
}

#[wasm_bindgen_test]
fn time_travel_locks_the_composer_and_fork_keeps_the_past() {
    let mut session = session("counter");
    for by in [1, 2, 3] {
        session.apply(Action::Submit(
            json!({"increment": {"counter_id": "c", "by": by}}),
        ));
    }
    assert_eq!(session.head(), 3);
    session.apply(Action::SetCursor(1));
    assert!(session.in_past());
    assert_eq!(
        session.state(Some("counter-c")).stream,
        Some(json!({"version": 1, "state": 1}))
    );
    assert_eq!(
        session.states(None).1.map(|s| s.position),
        Some(0),
        "the diff's left side is one fact earlier"
    );
    session.apply(Action::Submit(
        json!({"increment": {"counter_id": "c", "by": 9}}),
    ));
    assert_eq!(session.head(), 3, "nothing is submitted in the past");
    assert!(session.error().unwrap().contains("locked"));
    session.apply(Action::StepForward);
    assert_eq!(session.cursor(), Some(2));
    session.apply(Action::StepForward);
    assert_eq!(
        session.cursor(),
        None,
        "at the head the cursor is live again"
    );
    session.apply(Action::SetCursor(2));
    session.apply(Action::Fork);
    assert_eq!(session.head(), 2);
    assert!(!session.in_past());
    assert_eq!(session.fork_origin().map(|f| f.position), Some(2));
    session.apply(Action::Submit(
        json!({"increment": {"counter_id": "c", "by": 10}}),
    ));
    assert_eq!(
        session.state(Some("counter-c")).stream,
        Some(json!({"version": 3, "state": 13}))
    );
}

#[wasm_bindgen_test]
fn without_a_flow_the_session_is_replayed_as_a_named_fork_and_a_bad_flow_changes_nothing() {
    let mut session = session("counter");
    for (counter, by) in [("a", 1), ("b", 2), ("a", 3)] {
        session.apply(Action::Submit(
            json!({"increment": {"counter_id": counter, "by": by}}),
        ));
    }
    let b = session.fact(1).unwrap();
    assert_eq!(b.stream_id, "counter-b");
    // Not a flow a user command started: refused, the session as it was.
    session.apply(Action::Without(decider_core::Id(12_345)));
    assert!(
        session
            .error()
            .unwrap()
            .contains("no user command started the flow"),
        "{:?}",
        session.error()
    );
    assert_eq!(session.head(), 3);
    assert!(session.fork_origin().is_none());
    session.apply(Action::DismissError);

    // A short session's replay is done at once.
    session.apply(Action::Without(b.correlation_id));
    assert_eq!(session.replaying(), None);
    assert_eq!(submitted_ids(&session), ["a", "a"]);
    assert_eq!(session.head(), 2);
    let origin = session.fork_origin().unwrap();
    assert_eq!((origin.position, origin.generation), (1, 1));
    assert_eq!(origin.without.as_deref(), Some("increment b · by 2"));
    assert_eq!(
        session.state(Some("counter-a")).stream,
        Some(json!({"version": 2, "state": 4}))
    );
}

#[wasm_bindgen_test]
fn a_long_branch_is_made_a_slice_at_a_time_and_can_be_stopped() {
    let mut session = session("counter");
    for i in 0..300 {
        session.apply(Action::Submit(
            json!({"increment": {"counter_id": format!("c{i}"), "by": 1}}),
        ));
    }
    let first = session.fact(0).unwrap().correlation_id;
    // The first flow has no past: its 299 later commands are replayed, 16 of them at once.
    session.apply(Action::Without(first));
    assert_eq!(session.replaying(), Some((first, 16, 299)));
    assert_eq!(
        session.head(),
        300,
        "nothing replaced before the replay ends"
    );
    assert!(session.forking().is_none(), "a replay is no fork");
    session.apply(Action::BranchSlice(100));
    assert_eq!(session.replaying(), Some((first, 116, 299)));
    // Stopped: nothing changes.
    session.apply(Action::BranchStopped);
    assert_eq!(session.replaying(), None);
    assert_eq!((session.head(), session.fork_origin()), (300, None));

    // A fork from position 250: its 500 entries folded, 32 units, 16 at once.
    session.apply(Action::SetCursor(250));
    session.apply(Action::Fork);
    assert_eq!(session.forking(), Some((16, 32)));
    assert_eq!(session.replaying(), None);
    session.apply(Action::BranchSlice(15));
    assert_eq!(session.forking(), Some((31, 32)));
    session.apply(Action::BranchSlice(1));
    assert_eq!(session.forking(), None);
    assert_eq!(session.head(), 250);
    let origin = session.fork_origin().unwrap();
    assert_eq!((origin.position, origin.without.as_deref()), (250, None));

    // Without the first flow again, to its end.
    let first = session.fact(0).unwrap().correlation_id;
    session.apply(Action::Without(first));
    while session.replaying().is_some() {
        session.apply(Action::BranchSlice(50));
    }
    assert_eq!(session.head(), 249);
    assert_eq!(session.fork_origin().unwrap().generation, 2);
}

#[wasm_bindgen_test]
fn the_flows_follow_the_journal_each_with_its_outcome_and_start_again_after_a_fork() {
    let mut session = session("restaurant");
    for command in commands(HAPPY) {
        session.apply(Action::Submit(command));
    }
    let happy = session.flows(None);
    assert_eq!(happy.total(), commands(HAPPY).len());
    assert_eq!(
        happy.counts,
        [happy.total(), 0, 0, 0, 0],
        "every happy flow completed"
    );
    session.apply(Action::SetMode(RunMode::Step));
    let order = commands(NOT_ON_MENU).pop().unwrap();
    session.apply(Action::Submit(order));
    let placed = session.flows(Some(FlowOutcome::Pending));
    assert_eq!(*placed.indexes, [happy.total()]);
    assert_eq!(
        placed.selected,
        Some(0),
        "the submission's flow is the one traced"
    );
    session.apply(Action::RunToIdle);
    let run = session.flows(Some(FlowOutcome::Compensated));
    assert_eq!(
        *run.indexes,
        [happy.total()],
        "the same flow, compensated once run"
    );
    let rows = session.flow_rows(&run.indexes);
    assert_eq!(rows[0].summary.rejections, 1);
    assert_eq!(rows[0].command, commands(NOT_ON_MENU).pop().unwrap());
    let (first, last) = rows[0].summary.span().unwrap();
    assert_eq!(last + 1, session.head());
    // A fork holds the facts before the cursor only: its flows are listed from its journal.
    session.apply(Action::SetCursor(first));
    session.apply(Action::Fork);
    let forked = session.flows(None);
    assert_eq!(forked.total(), happy.total());
    assert_eq!(forked.counts[FlowOutcome::Compensated as usize], 0);
}

#[wasm_bindgen_test]
fn a_long_journals_flows_are_listed_a_slice_at_a_time() {
    use decider_web::session::FLOW_SLICE;
    let mut session = session("counter");
    let flows = FLOW_SLICE / 2 + 10;
    let commands: Vec<Value> = (0..flows)
        .map(|n| json!({"increment": {"counter_id": format!("c{n}"), "by": 1}}))
        .collect();
    for command in commands {
        session.apply(Action::Submit(command));
    }
    let entries = session.journal_len();
    assert_eq!(entries, 2 * flows, "a submission and a step each");
    let first = session.flows(None);
    assert_eq!(first.listing, Some((FLOW_SLICE, entries)));
    assert_eq!(first.total(), FLOW_SLICE / 2);
    let second = session.flows(None);
    assert_eq!(second.listing, None);
    assert_eq!(second.total(), flows);
    assert_eq!(second.counts[0], flows, "every counter flow completed");
}

/// The counter ids the journal's submissions name, in order.
fn submitted_ids(session: &Session) -> Vec<String> {
    session
        .journal(0)
        .iter()
        .filter_map(|e| e["submitted"]["command"]["increment"]["counter_id"].as_str())
        .map(String::from)
        .collect()
}

#[wasm_bindgen_test]
fn a_repeat_takes_up_after_the_last_submission_its_journal_holds() {
    let mut session = session("counter");
    session.apply(Action::Submit(
        json!({"increment": {"counter_id": "before", "by": 1}}),
    ));
    session.apply(Action::StartRepeat {
        command: json!({"increment": {"counter_id": "c${i}", "by": 1}}),
        total: 10,
    });
    session.apply(Action::RepeatSlice(4));
    session.apply(Action::RepeatSlice(4));
    assert_eq!(session.repeat_done(), 8);
    let job = session.repeat_job().cloned().unwrap();
    // A reload that kept only the first three repetitions: the workspace reopens with
    // them and the job, and the next slices submit 4..=10, each once.
    let kept = session.journal(0)[..job.start + 2 * 3].to_vec();
    session.apply(Action::Open {
        domain: "counter".into(),
        seed: 0,
        journal: Rc::new(kept),
        read_only: false,
    });
    session.apply(Action::ResumeRepeat(job));
    assert_eq!(session.progress(), Some(Progress { done: 3, total: 10 }));
    session.apply(Action::RepeatSlice(100));
    assert_eq!(
        session.progress(),
        Some(Progress {
            done: 10,
            total: 10
        })
    );
    let expected: Vec<String> = std::iter::once("before".to_string())
        .chain((1..=10).map(|i| format!("c{i}")))
        .collect();
    assert_eq!(submitted_ids(&session), expected);
    session.apply(Action::RepeatSlice(1));
    assert_eq!(submitted_ids(&session).len(), 11, "nothing past its total");
}

#[wasm_bindgen_test]
fn the_filter_narrows_the_log_and_follows_new_facts() {
    let mut session = session("counter");
    session.apply(Action::StartRepeat {
        command: json!({"decrement": {"counter_id": "c${i}", "by": 1}}),
        total: 10,
    });
    session.apply(Action::RepeatSlice(5));
    assert_eq!(session.progress(), Some(Progress { done: 5, total: 10 }));
    session.apply(Action::Submit(
        json!({"increment": {"counter_id": "c0", "by": 1}}),
    ));
    session.apply(Action::SetFilter(LogFilter {
        kind: Some(RowKind::Rejection),
        ..LogFilter::default()
    }));
    assert_eq!(session.log_len(), 5);
    let version = session.log_version();
    session.apply(Action::Submit(
        json!({"decrement": {"counter_id": "c9", "by": 1}}),
    ));
    assert_eq!(
        session.log_len(),
        6,
        "a new rejection joins the filtered list"
    );
    assert!(session.log_version() > version);
    assert!(session
        .log_rows(0, 10)
        .iter()
        .all(|r| r.kind == RowKind::Rejection));
    assert_eq!(
        session.log_index(6),
        Some(5),
        "the new rejection is the sixth row"
    );
    assert_eq!(session.log_index(5), None, "the increment does not pass");
    session.apply(Action::RepeatEnded);
    assert_eq!(session.progress(), None);
}

#[wasm_bindgen_test]
fn a_journal_opens_as_the_same_session_and_a_damaged_one_changes_nothing() {
    let mut first = session("counter");
    for by in [4, 5] {
        first.apply(Action::Submit(
            json!({"increment": {"counter_id": "c", "by": by}}),
        ));
    }
    let journal = Rc::new(first.journal(0));
    let mut second = session("restaurant");
    second.apply(Action::Open {
        domain: "counter".into(),
        seed: 0,
        journal: journal.clone(),
        read_only: false,
    });
    assert_eq!(second.domain().info().id, "counter");
    assert_eq!(second.journal(0), *journal);
    assert_eq!(second.journal_len(), journal.len());
    let mut damaged = (*journal).clone();
    damaged[1]["step"]["facts"][0]["fact"]["position"] = json!(9);
    second.apply(Action::Open {
        domain: "counter".into(),
        seed: 0,
        journal: Rc::new(damaged),
        read_only: false,
    });
    assert!(
        second.error().unwrap().contains("$[1]"),
        "{:?}",
        second.error()
    );
    assert_eq!(second.journal(0), *journal, "the open session is untouched");
    second.apply(Action::Open {
        domain: "counter".into(),
        seed: 0,
        journal,
        read_only: true,
    });
    second.apply(Action::Submit(
        json!({"increment": {"counter_id": "c", "by": 1}}),
    ));
    assert_eq!(second.head(), 2, "read-only: nothing submitted");
    assert!(second.read_only());
}

#[wasm_bindgen_test]
fn another_tabs_entries_extend_the_engine_and_keep_filter_and_selection() {
    let command = |counter: &str, by: i64| json!({"decrement": {"counter_id": counter, "by": by}});
    let mut writer = session("counter");
    writer.apply(Action::Submit(command("a", 1)));
    let mut reader = session("counter");
    reader.apply(Action::Open {
        domain: "counter".into(),
        seed: 0,
        journal: Rc::new(writer.journal(0)),
        read_only: false,
    });
    reader.apply(Action::SetFilter(LogFilter {
        kind: Some(RowKind::Rejection),
        ..LogFilter::default()
    }));
    let row = reader.log_rows(0, 1).remove(0);
    reader.apply(Action::Select(row.clone()));
    let from = writer.journal_len();
    writer.apply(Action::Submit(command("b", 1)));
    reader.apply(Action::Extend(writer.journal_text(from, usize::MAX).into()));
    assert_eq!(reader.journal(0), writer.journal(0), "the same journal");
    assert_eq!(reader.log_len(), 2, "the filter is kept and follows");
    assert_eq!(reader.selected(), Some(&row), "the selection is kept");
    assert_eq!(reader.error(), None);

    // An entry that does not fold stops there and says where; the ones before stay.
    let length = reader.journal_len();
    let mut broken: Vec<Value> = writer.journal(0);
    writer.apply(Action::Submit(command("c", 1)));
    broken.extend(writer.journal(length));
    broken.push(json!({"step": {"not": "a step"}}));
    let text = serde_json::to_string(&broken[length..]).unwrap();
    reader.apply(Action::Extend(text.into()));
    let error = reader.error().unwrap_or_default();
    assert!(
        error.contains(&format!("$[{}]", broken.len() - 1)),
        "{error}"
    );
    assert_eq!(
        reader.journal(0),
        writer.journal(0),
        "the good entries are in"
    );
}
