//! Every registered domain, driven only through `decider-core`'s type-erased boundary,
//! the way the playground and the CLI drive it.

use decider_core::EngineConfig;

#[test]
fn every_domain_describes_itself_with_schemas_and_commands() {
    let domains = decider_domains::all();
    assert!(!domains.is_empty());
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
        for schema in [domain.command_schema(), domain.event_schema()] {
            assert!(schema.get("oneOf").is_some(), "{}: {schema}", info.id);
        }
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), domains.len(), "domain ids are unique");
}

#[test]
fn unknown_domains_are_refused_with_the_known_ones() {
    let known = decider_domains::find("no-such-domain").err().unwrap();
    assert!(known.contains(&"counter".to_string()), "{known:?}");
}

#[test]
fn a_counter_journal_rebuilds_to_the_same_state() {
    let domain = decider_domains::find("counter").unwrap();
    let mut engine = domain.start(EngineConfig::default());
    for by in [5, 7] {
        let command = serde_json::json!({"increment": {"counter_id": "x", "by": by}});
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
