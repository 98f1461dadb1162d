//! Sessions kept in PostgreSQL, against a throwaway cluster this binary starts (or the
//! database at `DECIDER_PG_URL`, if set) and stops: each test its own session names.

use decider_core::journal_file::JournalFile;
use decider_core::{DynDomain, DynEngine, EngineConfig};
use decider_postgres::{connect, delete, sessions, Error, Feed, Session, PACKED_ENTRIES};
use libtest_mimic::Failed;
use serde_json::{json, Value};
use std::time::Duration;

mod support;

fn main() {
    support::run(support::tests![
        a_long_session_opens_from_its_packed_images,
        a_feed_gives_the_facts_as_they_are_written,
        a_fault_injected_is_stored_as_injected,
        given_history_is_kept_and_checked,
        steps_read_back_byte_for_byte,
        a_saga_stopped_mid_flow_goes_on_after_reopening,
        every_fact_is_a_row_to_query,
        two_writers_lose_and_repeat_nothing,
        the_second_writer_of_an_entry_is_refused_by_the_table,
        a_step_is_written_whole_or_not_at_all,
        a_broken_stored_entry_is_named_and_nothing_changes,
        another_domain_or_a_taken_name_is_refused,
        a_journal_file_goes_in_and_comes_out_the_same
    ]);
}

fn restaurant() -> Box<dyn DynDomain> {
    decider_domains::find("restaurant").expect("the restaurant domain")
}

/// The restaurant's two flows: o1 served (confirmed, prepared), o2 refused as not on the
/// menu and compensated (refunded, cancelled).
fn commands() -> Vec<Value> {
    vec![
        json!({"restaurant": {"create_restaurant": {"capacity": 2, "menu": [
            {"item_id": "margherita", "name": "Pizza Margherita", "price_cents": 900},
            {"item_id": "tiramisu", "name": "Tiramisu", "price_cents": 500}],
            "name": "Luigi's", "restaurant_id": "luigi"}}}),
        json!({"restaurant": {"open": {"restaurant_id": "luigi"}}}),
        json!({"order": {"place_order": {"customer": "Ada", "items": ["margherita", "tiramisu"],
            "order_id": "o1", "restaurant_id": "luigi"}}}),
        json!({"order": {"place_order": {"customer": "Grace", "items": ["margherita", "sushi"],
            "order_id": "o2", "restaurant_id": "luigi"}}}),
        json!({"restaurant": {"mark_prepared": {"order_id": "o1", "restaurant_id": "luigi"}}}),
    ]
}

fn config() -> EngineConfig {
    EngineConfig {
        seed: 7,
        ..EngineConfig::default()
    }
}

/// A new session `name` in which Luigi's restaurant (the first two commands) is made and
/// opened, run until idle.
fn with_luigi<'d>(url: &str, name: &str, domain: &'d dyn DynDomain) -> Result<Session<'d>, Failed> {
    let mut session = Session::create(connect(url)?, name, domain, config())?;
    for command in &commands()[..2] {
        session.submit(command)?;
    }
    session.run_until_idle(100)?;
    Ok(session)
}

/// The same commands run in memory, each until idle: what a session must hold.
fn in_memory(domain: &dyn DynDomain) -> Box<dyn DynEngine> {
    let mut engine = domain.start(config());
    for command in commands() {
        engine.submit(&command).expect("a valid command");
        assert!(engine.run_until_idle(1000).idle);
    }
    engine
}

fn whole_journal(engine: &dyn DynEngine) -> String {
    engine.journal_text(0, usize::MAX)
}

/// `(journal rows, fact rows)` stored for `session`.
fn stored_counts(url: &str, session: &str) -> Result<(i64, i64), Failed> {
    let mut client = connect(url)?;
    let row = client.query_one(
        "SELECT (SELECT count(*) FROM decider_journal WHERE session = $1),
                (SELECT count(*) FROM decider_facts WHERE session = $1)",
        &[&session],
    )?;
    Ok((row.get(0), row.get(1)))
}

fn steps_read_back_byte_for_byte(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let mut session = Session::create(connect(url)?, "read-back", &*domain, config())?;
    for command in commands() {
        session.submit(&command)?;
        let run = session.run_until_idle(1000)?;
        assert!(run.idle && run.steps > 0, "{run:?}");
    }
    let expected = in_memory(&*domain);
    assert_eq!(whole_journal(session.engine()), whole_journal(&*expected));
    let reopened = Session::open(connect(url)?, "read-back", &*domain)?;
    assert_eq!(
        whole_journal(reopened.engine()),
        whole_journal(&*expected),
        "the journal read back is the engine's"
    );
    assert_eq!(reopened.engine().live_state(), expected.live_state());
    let (entries, facts) = stored_counts(url, "read-back")?;
    assert_eq!(entries as usize, expected.journal_len());
    assert_eq!(facts as u64, expected.head());
    Ok(())
}

fn a_saga_stopped_mid_flow_goes_on_after_reopening(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let all = commands();
    let mut session = Session::create(connect(url)?, "mid-flow", &*domain, config())?;
    for command in &all[..3] {
        session.submit(command)?;
    }
    // Two steps of the queue, then the process "stops" (the session is dropped).
    for _ in 0..2 {
        assert!(session.step()?.is_some());
    }
    let waiting = session.engine().queue_len();
    drop(session);
    let mut session = Session::open(connect(url)?, "mid-flow", &*domain)?;
    assert!(waiting > 0);
    assert_eq!(session.engine().queue_len(), waiting, "the queue read back");
    assert!(session.run_until_idle(1000)?.idle);
    for command in &all[3..] {
        session.submit(command)?;
        assert!(session.run_until_idle(1000)?.idle);
    }
    // Not the in-memory run's journal (its commands were run one at a time), but the
    // same run in memory in the same order.
    let mut expected = domain.start(config());
    for command in &all[..3] {
        expected.submit(command)?;
    }
    expected.run_until_idle(1000);
    for command in &all[3..] {
        expected.submit(command)?;
        expected.run_until_idle(1000);
    }
    assert_eq!(whole_journal(session.engine()), whole_journal(&*expected));
    let reopened = Session::open(connect(url)?, "mid-flow", &*domain)?;
    assert_eq!(whole_journal(reopened.engine()), whole_journal(&*expected));
    Ok(())
}

fn every_fact_is_a_row_to_query(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let expected = in_memory(&*domain);
    Session::create_from(connect(url)?, "rows", &*domain, in_memory(&*domain))?;
    let mut client = connect(url)?;
    let rows = client.query(
        "SELECT position, stream_id, stream_version, kind, name, correlation_id, origin,
                compensation, payload
           FROM decider_facts WHERE session = 'rows' ORDER BY position",
        &[],
    )?;
    let facts = expected.rows(0, expected.head());
    assert_eq!(rows.len(), facts.len());
    for (row, fact) in rows.iter().zip(&facts) {
        assert_eq!(row.get::<_, i64>(0) as u64, fact.position);
        assert_eq!(row.get::<_, String>(1), fact.stream_id);
        assert_eq!(
            row.get::<_, Option<i64>>(2).map(|v| v as u64),
            fact.stream_version
        );
        assert_eq!(row.get::<_, String>(3), fact.kind.as_str());
        assert_eq!(row.get::<_, String>(4), fact.name);
        assert_eq!(row.get::<_, String>(5), fact.correlation_id.to_string());
        assert_eq!(row.get::<_, String>(6), fact.origin);
        assert_eq!(row.get::<_, bool>(7), fact.compensation);
        assert_eq!(row.get::<_, Value>(8), fact.payload);
    }
    // o2's flow, by SQL: refused by the restaurant, then refunded and cancelled in
    // compensation.
    let flow: Vec<(String, String, bool)> = client
        .query(
            "SELECT kind, name, compensation FROM decider_facts
              WHERE session = 'rows' AND correlation_id = (
                    SELECT correlation_id FROM decider_facts
                     WHERE session = 'rows' AND stream_id = 'order-o2'
                     ORDER BY position LIMIT 1)
              ORDER BY position",
            &[],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert!(
        flow.iter().any(|(kind, _, _)| kind == "rejection"),
        "{flow:?}"
    );
    let compensated: Vec<&str> = flow
        .iter()
        .filter(|(_, _, compensation)| *compensation)
        .map(|(_, name, _)| name.as_str())
        .collect();
    assert!(
        compensated.iter().any(|n| n.contains("refunded"))
            && compensated.iter().any(|n| n.contains("cancelled")),
        "{flow:?}"
    );
    Ok(())
}

fn two_writers_lose_and_repeat_nothing(url: &str) -> Result<(), Failed> {
    const ORDERS: usize = 12;
    {
        let domain = restaurant();
        with_luigi(url, "two-writers", &*domain)?;
    }
    let writer = |who: &'static str| {
        let url = url.to_string();
        std::thread::spawn(move || -> Result<(), String> {
            let domain = restaurant();
            let client = connect(&url).map_err(|e| e.to_string())?;
            let mut session =
                Session::open(client, "two-writers", &*domain).map_err(|e| e.to_string())?;
            for i in 0..ORDERS {
                let order = json!({"order": {"place_order": {"customer": who,
                    "items": ["tiramisu"], "order_id": format!("{who}-{i}"),
                    "restaurant_id": "luigi"}}});
                session.submit(&order).map_err(|e| e.to_string())?;
                session.run_until_idle(100).map_err(|e| e.to_string())?;
            }
            Ok(())
        })
    };
    let (a, b) = (writer("ada"), writer("bob"));
    a.join().expect("no panic")?;
    b.join().expect("no panic")?;
    let domain = restaurant();
    let mut session = Session::open(connect(url)?, "two-writers", &*domain)?;
    assert!(session.run_until_idle(1000)?.idle);
    // Every order placed once, its flow run once: one `order_placed` each, and as many
    // facts as the same orders placed by one writer.
    let rows = session.engine().rows(0, session.engine().head());
    for who in ["ada", "bob"] {
        for i in 0..ORDERS {
            let stream = format!("order-{who}-{i}");
            let placed = rows
                .iter()
                .filter(|r| r.stream_id == stream && r.name == "order.order_placed")
                .count();
            assert_eq!(placed, 1, "{stream}");
        }
    }
    let mut alone = domain.start(config());
    for command in &commands()[..2] {
        alone.submit(command)?;
    }
    for who in ["ada", "bob"] {
        for i in 0..ORDERS {
            alone.submit(&json!({"order": {"place_order": {"customer": who,
                "items": ["tiramisu"], "order_id": format!("{who}-{i}"),
                "restaurant_id": "luigi"}}}))?;
        }
    }
    alone.run_until_idle(10_000);
    assert_eq!(session.engine().head(), alone.head());
    let (_, facts) = stored_counts(url, "two-writers")?;
    assert_eq!(facts as u64, alone.head());
    Ok(())
}

fn the_second_writer_of_an_entry_is_refused_by_the_table(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let mut session = Session::create(connect(url)?, "second", &*domain, config())?;
    session.submit(&commands()[0])?;
    session.run_until_idle(10)?;
    let mut client = connect(url)?;
    let again = client.execute(
        "INSERT INTO decider_journal (session, entry, body)
         SELECT session, entry, body FROM decider_journal WHERE session = 'second' AND entry = 1",
        &[],
    );
    let code = again.expect_err("entry 1 is taken").code().cloned();
    assert_eq!(code, Some(postgres::error::SqlState::UNIQUE_VIOLATION));
    let version = client.execute(
        "INSERT INTO decider_facts
         SELECT session, position + 100, entry, stream_id, stream_version, kind, name,
                payload, command, fact_id, command_id, correlation_id, causation_id, time,
                origin, depth, compensation, injected, external, zero_payload
           FROM decider_facts WHERE session = 'second' AND position = 0",
        &[],
    );
    let code = version.expect_err("version 1 is taken").code().cloned();
    assert_eq!(code, Some(postgres::error::SqlState::UNIQUE_VIOLATION));
    Ok(())
}

fn a_step_is_written_whole_or_not_at_all(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let mut session = with_luigi(url, "whole", &*domain)?;
    // The database refuses the refund's fact: the step that records it fails whole.
    let mut client = connect(url)?;
    client.batch_execute(
        "ALTER TABLE decider_facts ADD CONSTRAINT no_refund_in_whole
           CHECK (session <> 'whole' OR name NOT LIKE '%refunded%') NOT VALID",
    )?;
    session.submit(&commands()[3])?;
    let failed = session.run_until_idle(100);
    client.batch_execute("ALTER TABLE decider_facts DROP CONSTRAINT no_refund_in_whole")?;
    let error = failed.expect_err("the refund's step is refused");
    assert!(matches!(error, Error::Database(_)), "{error}");
    assert!(error.to_string().contains("no_refund_in_whole"), "{error}");
    // The session holds what the database holds: no entry without its facts.
    let (entries, facts) = stored_counts(url, "whole")?;
    assert_eq!(entries as usize, session.engine().journal_len());
    assert_eq!(facts as u64, session.engine().head());
    assert!(session.engine().queue_len() > 0, "the refund waits");
    // Once the database takes it, the flow ends as in memory.
    assert!(session.run_until_idle(100)?.idle);
    let mut expected = domain.start(config());
    for command in &commands()[..2] {
        expected.submit(command)?;
    }
    expected.run_until_idle(100);
    expected.submit(&commands()[3])?;
    expected.run_until_idle(100);
    assert_eq!(whole_journal(session.engine()), whole_journal(&*expected));
    Ok(())
}

fn a_broken_stored_entry_is_named_and_nothing_changes(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    Session::create_from(connect(url)?, "broken", &*domain, in_memory(&*domain))?;
    let before = stored_counts(url, "broken")?;
    let mut client = connect(url)?;
    client.batch_execute(
        "UPDATE decider_journal SET body = '{\"submitted\": {\"command\": 3}}'
          WHERE session = 'broken' AND entry = 2",
    )?;
    let error = Session::open(connect(url)?, "broken", &*domain)
        .err()
        .expect("entry 2 does not read");
    let text = error.to_string();
    assert!(
        text.starts_with("session `broken` as stored: at $[2]"),
        "{text}"
    );
    assert_eq!(stored_counts(url, "broken")?, before, "nothing changed");
    client.batch_execute("DELETE FROM decider_journal WHERE session = 'broken' AND entry = 2")?;
    let error = Session::open(connect(url)?, "broken", &*domain)
        .err()
        .expect("entry 2 is missing");
    assert!(
        error.to_string().contains("journal entry 2 is missing"),
        "{error}"
    );
    Ok(())
}

fn another_domain_or_a_taken_name_is_refused(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    Session::create(connect(url)?, "taken", &*domain, config())?;
    let again = Session::create(connect(url)?, "taken", &*domain, config());
    assert!(matches!(again, Err(Error::Exists(ref n)) if n == "taken"));
    let counter = decider_domains::find("counter").expect("the counter domain");
    let error = Session::open(connect(url)?, "taken", &*counter)
        .err()
        .expect("a restaurant session");
    assert_eq!(
        error.to_string(),
        "session `taken` is a `restaurant` session, not a `counter` one"
    );
    let missing = Session::open(connect(url)?, "nowhere", &*domain).err();
    assert!(matches!(missing, Some(Error::NoSession(ref n)) if n == "nowhere"));
    let bad = Session::open(connect(url)?, "taken", &*domain)?
        .submit(&json!({"order": {"place_order": {"order_id": 5}}}));
    let error = bad.expect_err("not a command");
    assert!(
        error
            .to_string()
            .starts_with("at $.order.place_order.order_id"),
        "{error}"
    );
    Ok(())
}

fn a_journal_file_goes_in_and_comes_out_the_same(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let engine = in_memory(&*domain);
    let file = JournalFile::new("restaurant", 7, "exported", engine.journal(0));
    let session = Session::create_from(connect(url)?, "exported", &*domain, engine)?;
    assert_eq!(session.journal_file(), file);
    drop(session);
    let reopened = Session::open(connect(url)?, "exported", &*domain)?;
    assert_eq!(reopened.journal_file(), file);
    let mut client = connect(url)?;
    let listed = sessions(&mut client)?;
    let exported = listed
        .iter()
        .find(|s| s.name == "exported")
        .expect("listed");
    assert_eq!(exported.domain, "restaurant");
    assert_eq!(exported.entries as usize, file.journal.len());
    assert!(delete(&mut client, "exported")?);
    assert_eq!(stored_counts(url, "exported")?, (0, 0), "its rows went too");
    assert!(!delete(&mut client, "exported")?);
    Ok(())
}

fn given_history_is_kept_and_checked(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let mut session = Session::create(connect(url)?, "given", &*domain, config())?;
    let placed = json!({"order": {"order_placed": {"customer": "Ada", "items": ["tiramisu"],
        "order_id": "o1", "restaurant_id": "luigi"}}});
    session.given("order-o1", &[placed])?;
    // A restaurant's event in an order's stream is refused at its path; nothing stored.
    let opened = json!({"restaurant": {"opened": {"restaurant_id": "luigi"}}});
    let error = session
        .given("order-o2", &[opened])
        .expect_err("not the order's event");
    assert!(error.to_string().starts_with("at $[0]"), "{error}");
    assert_eq!(stored_counts(url, "given")?, (1, 1));
    let reopened = Session::open(connect(url)?, "given", &*domain)?;
    let state = reopened
        .engine()
        .stream_state(None, "order-o1")
        .expect("the given stream");
    assert_eq!(state["state"]["customer"], "Ada", "{state}");
    let row = connect(url)?.query_one(
        "SELECT origin, stream_version FROM decider_facts WHERE session = 'given'",
        &[],
    )?;
    assert_eq!(row.get::<_, String>(0), "given");
    assert_eq!(row.get::<_, Option<i64>>(1), Some(1));
    Ok(())
}

fn a_fault_injected_is_stored_as_injected(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let mut session = with_luigi(url, "fault", &*domain)?;
    session.submit(&commands()[2])?;
    // The order placed, the payment taken: the restaurant's accept waits.
    session.step()?;
    session.step()?;
    let accept = session.engine().next_queued().expect("the accept waits");
    let reason = json!({"restaurant": {"not_on_menu": {"item_id": "tiramisu"}}});
    session.inject_fault(accept, &reason)?;
    assert!(session.run_until_idle(100)?.idle);
    let rows = connect(url)?.query(
        "SELECT kind, injected, compensation, name FROM decider_facts
          WHERE session = 'fault' AND (injected OR compensation) ORDER BY position",
        &[],
    )?;
    let marks: Vec<(String, bool, bool, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(
        marks.first().map(|m| (m.0.as_str(), m.1)),
        Some(("rejection", true)),
        "{marks:?}"
    );
    assert!(
        marks.iter().any(|m| m.2 && m.3.contains("refunded")),
        "{marks:?}"
    );
    let reopened = Session::open(connect(url)?, "fault", &*domain)?;
    assert_eq!(
        whole_journal(reopened.engine()),
        whole_journal(session.engine())
    );
    Ok(())
}

fn a_feed_gives_the_facts_as_they_are_written(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    Session::create(connect(url)?, "fed", &*domain, config())?;
    Session::create(connect(url)?, "unfed", &*domain, config())?;
    let mut feed = Feed::new(connect(url)?, "fed", 0)?;
    let mut other = Feed::new(connect(url)?, "unfed", 0)?;
    assert!(feed.next(Duration::ZERO)?.is_empty(), "nothing written yet");
    let writer = {
        let url = url.to_string();
        std::thread::spawn(move || -> Result<u64, String> {
            let domain = restaurant();
            let client = connect(&url).map_err(|e| e.to_string())?;
            let mut session = Session::open(client, "fed", &*domain).map_err(|e| e.to_string())?;
            for command in commands() {
                std::thread::sleep(Duration::from_millis(20));
                session.submit(&command).map_err(|e| e.to_string())?;
                session.run_until_idle(100).map_err(|e| e.to_string())?;
            }
            Ok(session.engine().head())
        })
    };
    let expected = in_memory(&*domain);
    let mut followed = Vec::new();
    while (followed.len() as u64) < expected.head() {
        let facts = feed.next(Duration::from_secs(30))?;
        assert!(!facts.is_empty(), "the writer's facts came within 30 s");
        followed.extend(facts);
    }
    assert_eq!(writer.join().expect("no panic")?, expected.head());
    let rows = expected.rows(0, expected.head());
    let seen: Vec<(u64, &str, bool)> = followed
        .iter()
        .map(|f| (f.position, f.name.as_str(), f.compensation))
        .collect();
    let wanted: Vec<(u64, &str, bool)> = rows
        .iter()
        .map(|r| (r.position, r.name.as_str(), r.compensation))
        .collect();
    assert_eq!(seen, wanted, "every fact once, in order");
    assert_eq!(feed.position(), expected.head());
    assert!(
        other.next(Duration::ZERO)?.is_empty(),
        "another session's feed"
    );
    Ok(())
}

fn a_long_session_opens_from_its_packed_images(url: &str) -> Result<(), Failed> {
    let domain = restaurant();
    let order = |i: usize| {
        json!({"order": {"place_order": {"customer": "Ada", "items": ["tiramisu"],
            "order_id": format!("o{i}"), "restaurant_id": "luigi"}}})
    };
    let mut engine = domain.start(config());
    engine.submit(
        &json!({"restaurant": {"create_restaurant": {"capacity": 100_000,
        "menu": [{"item_id": "tiramisu", "name": "Tiramisu", "price_cents": 500}],
        "name": "Luigi's", "restaurant_id": "luigi"}}}),
    )?;
    engine.submit(&json!({"restaurant": {"open": {"restaurant_id": "luigi"}}}))?;
    engine.run_until_idle(10);
    let mut i = 0;
    while engine.journal_len() + 5 < PACKED_ENTRIES {
        engine.submit(&order(i))?;
        engine.run_until_idle(100);
        i += 1;
    }
    let mut session = Session::create_from(connect(url)?, "packed", &*domain, engine)?;
    let images = |url: &str| -> Result<Vec<(i64, i32)>, Failed> {
        let rows = connect(url)?.query(
            "SELECT first, count FROM decider_packed WHERE session = 'packed'",
            &[],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    };
    assert_eq!(images(url)?, [], "no entry completes an image yet");
    // The step that writes entry 4,095 writes the image of entries 0 .. 4,096 with it.
    for i in i..i + 2 {
        session.submit(&order(i))?;
        session.run_until_idle(100)?;
    }
    assert!(session.engine().journal_len() > PACKED_ENTRIES);
    assert_eq!(images(url)?, [(0, PACKED_ENTRIES as i32)]);
    let journal = whole_journal(session.engine());
    let reopened = Session::open(connect(url)?, "packed", &*domain)?;
    assert_eq!(whole_journal(reopened.engine()), journal);
    // Entry 10's JSON spoilt: the session still opens, from the image alone.
    let mut client = connect(url)?;
    let entry_10: Value = client
        .query_one(
            "SELECT body::jsonb FROM decider_journal WHERE session = 'packed' AND entry = 10",
            &[],
        )?
        .get(0);
    client.batch_execute(
        "UPDATE decider_journal SET body = '{\"nonsense\": 1}'
          WHERE session = 'packed' AND entry = 10",
    )?;
    let reopened = Session::open(connect(url)?, "packed", &*domain)?;
    assert_eq!(whole_journal(reopened.engine()), journal, "from the image");
    // The image spoilt too: the JSON is read, and entry 10 named.
    client.batch_execute("UPDATE decider_packed SET image = '\\x00ff' WHERE session = 'packed'")?;
    let error = Session::open(connect(url)?, "packed", &*domain)
        .err()
        .expect("entry 10 does not read");
    assert!(error.to_string().contains("at $[10]"), "{error}");
    client.execute(
        "UPDATE decider_journal SET body = $1::jsonb::json WHERE session = 'packed' AND entry = 10",
        &[&entry_10],
    )?;
    let reopened = Session::open(connect(url)?, "packed", &*domain)?;
    assert_eq!(whole_journal(reopened.engine()), journal, "from the JSON");
    assert!(delete(&mut client, "packed")?);
    assert_eq!(images(url)?, [], "the images went with the session");
    Ok(())
}
