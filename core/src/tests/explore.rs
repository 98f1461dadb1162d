//! Random exploration over the tiny domain: a broken invariant found, shrunk to the
//! fewest commands and faults that still break it, the same for the same plan.

use super::domain::*;
use crate::boundary::{DynDomain, TypedDomain};
use crate::explore::{
    one_number_nearer_zero, one_part_fewer, replay, Counterexample, Explorer, Move, Origin, Plan,
};
use crate::{Engine, EngineConfig, Invariants, Said};
use serde_json::{json, Value};

/// The tiny domain, declaring `invariants`.
fn domain(invariants: Invariants<System>) -> impl DynDomain {
    TypedDomain::new(info(), system()).with_invariants(invariants)
}

fn totals(engine: &Engine<System>) -> [i32; 4] {
    let view = &engine.state().view.0;
    [0, 1, 2, 3].map(|k| view.get(&k).copied().unwrap_or(0))
}

/// No counter above 50 (each positive amount is forwarded up to counter 3).
fn at_most_50() -> Invariants<System> {
    Invariants {
        check: |engine| match totals(engine).iter().position(|&t| t > 50) {
            Some(k) => Err(format!("counter-{k} holds {}", totals(engine)[k])),
            None => Ok(()),
        },
        failure: |_| None,
        unhandled: |_| None,
        said: Said {
            holds: &["No counter above 50."],
            fails: "",
            fails_unhandled: "",
        },
    }
}

/// The four counters equal (what forwarding keeps, and compensation restores); a
/// forward to counter 1 can be refused, and compensation gives up after two.
fn equal(unhandled: bool) -> Invariants<System> {
    fn forward_to_1(Cmd::Add { counter, amount }: &Cmd) -> Option<Rej> {
        (*counter == 1 && *amount > 0).then_some(Rej::OverCap { total: 999 })
    }
    Invariants {
        check: |engine| {
            let t = totals(engine);
            match t.iter().all(|&x| x == t[0]) {
                true => Ok(()),
                false => Err(format!("the counters differ: {t:?}")),
            }
        },
        failure: if unhandled { |_| None } else { forward_to_1 },
        unhandled: if unhandled { forward_to_1 } else { |_| None },
        said: Said {
            holds: &["The four counters are equal."],
            fails: "A forward to counter 1 is refused.",
            fails_unhandled: "",
        },
    }
}

fn add_json(counter: u8, amount: i32) -> Value {
    json!({"Add": {"counter": counter, "amount": amount}})
}

fn plan(alphabet: Vec<Value>, faults: u8) -> Plan {
    Plan {
        seed: 3,
        runs: 50,
        length: 16,
        faults,
        interleave: 30,
        unhandled: false,
        given: Vec::new(),
        alphabet,
    }
}

fn amounts(found: &Counterexample) -> Vec<i64> {
    found
        .moves
        .iter()
        .map(|m| m.command["Add"]["amount"].as_i64().unwrap())
        .collect()
}

/// What the invariants find broken in the engine `found`'s journal rebuilds.
fn rebuilt_break(domain: &dyn DynDomain, found: &Counterexample) -> Option<String> {
    let config = EngineConfig {
        seed: found.seed,
        ..EngineConfig::default()
    };
    let rebuilt = domain.rebuild(config, &found.journal).unwrap();
    rebuilt.broken_invariant()
}

#[test]
fn a_broken_invariant_is_shrunk_to_the_fewest_commands() {
    let domain = domain(at_most_50());
    let alphabet = vec![add_json(0, 10), add_json(1, -5), add_json(3, 10)];
    let mut explorer = Explorer::new(&domain, plan(alphabet, 0)).unwrap();
    explorer.advance(50);
    assert!(explorer.done());
    let found = explorer.found().expect("six positive amounts break it");
    // Six commands, their amounts together the least above 50, every counter number
    // brought to 0: one less anywhere and nothing is broken.
    assert_eq!(found.broken, "counter-0 holds 51");
    assert_eq!(found.moves.len(), 6, "{:?}", found.moves);
    assert_eq!(amounts(found).iter().sum::<i64>(), 51, "{:?}", found.moves);
    assert!(found.moves.iter().all(|m| m.command["Add"]["counter"] == 0));
    assert!(
        found.original > 6,
        "the run found was longer: {}",
        found.original
    );
    assert!(found
        .moves
        .iter()
        .all(|m| m.steps.is_none() && m.faults.is_empty()));
    // The journal and the scenario replay it.
    assert_eq!(
        rebuilt_break(&domain, found).as_deref(),
        Some("counter-0 holds 51")
    );
    let scenario = found.scenario.as_ref().expect("no fault: a scenario");
    assert_eq!(scenario.steps.len(), 6);
    assert!(scenario
        .run(&domain)
        .unwrap()
        .engine
        .broken_invariant()
        .is_some());
}

#[test]
fn the_same_plan_explores_the_same_runs() {
    let domain = domain(at_most_50());
    let alphabet = vec![add_json(0, 10), add_json(1, -5), add_json(3, 10)];
    let explore = || {
        let mut explorer = Explorer::new(&domain, plan(alphabet.clone(), 0)).unwrap();
        explorer.advance(50);
        (explorer.progress().clone(), explorer.found().cloned())
    };
    assert_eq!(explore(), explore());
    let mut other = plan(alphabet.clone(), 0);
    other.seed = 4;
    let mut explorer = Explorer::new(&domain, other).unwrap();
    explorer.advance(50);
    assert_ne!(explorer.progress(), &explore().0);
}

#[test]
fn faults_the_domain_names_break_what_compensation_stops_restoring() {
    let domain = domain(equal(false));
    let mut one_by_one = plan(vec![add_json(0, 10)], 50);
    one_by_one.interleave = 0;
    let mut explorer = Explorer::new(&domain, one_by_one).unwrap();
    explorer.advance(50);
    let found = explorer
        .found()
        .expect("a third refused forward is not compensated");
    assert_eq!(found.broken, "the counters differ: [1, 0, 0, 0]");
    assert_eq!(amounts(found), [1, 1, 1], "{:?}", found.moves);
    // Each: the user's command (step 0), its forward to counter 1 failed (step 1).
    assert!(
        found.moves.iter().all(|m| m.faults == [1]),
        "{:?}",
        found.moves
    );
    let injected = found
        .journal
        .iter()
        .filter(|e| e["step"]["injected"] == true)
        .count();
    assert_eq!(injected, 3);
    // The scenario says the same faults, and running it gives the same journal.
    let scenario = found.scenario.as_ref().expect("a scenario of format 1.2");
    assert_eq!(scenario.version, crate::scenario::Version::V1_2);
    let faults: Vec<u64> = scenario
        .steps
        .iter()
        .flat_map(|step| step.faults.iter().map(|f| f.at))
        .collect();
    assert_eq!(faults, [1, 1, 1]);
    let run = scenario.run(&domain).unwrap();
    assert_eq!(run.engine.journal(0), found.journal);
    assert!(scenario.check(&domain).unwrap().failures.is_empty());
}

#[test]
fn a_shrunk_run_loses_nothing_it_needs_and_keeps_nothing_it_does_not() {
    let domain = domain(equal(false));
    for seed in 0..8 {
        let mut interleaved = plan(vec![add_json(0, 10), add_json(2, 10)], 40);
        interleaved.seed = seed;
        let mut explorer = Explorer::new(&domain, interleaved).unwrap();
        explorer.advance(50);
        let found = explorer.found().expect("found with every seed");
        let origin = Origin {
            domain: &domain,
            given: &[],
            base: None,
        };
        let breaks = |moves: &[Move]| replay(&origin, found.seed, moves).broken.is_some();
        assert!(breaks(&found.moves));
        for i in 0..found.moves.len() {
            let mut fewer = found.moves.clone();
            fewer.remove(i);
            assert!(!breaks(&fewer), "seed {seed}: move {i} was not needed");
            for f in 0..found.moves[i].faults.len() {
                let mut fewer = found.moves.clone();
                fewer[i].faults.remove(f);
                assert!(
                    !breaks(&fewer),
                    "seed {seed}: fault {f} of move {i} was not needed"
                );
            }
        }
    }
}

#[test]
fn unhandled_failures_are_made_only_when_asked() {
    let domain = domain(equal(true));
    let mut quiet = Explorer::new(&domain, plan(vec![add_json(0, 10)], 50)).unwrap();
    quiet.advance(50);
    assert!(quiet.found().is_none());
    assert_eq!(quiet.progress().runs, 50);
    assert_eq!(quiet.progress().faults, 0);
    let mut asked = plan(vec![add_json(0, 10)], 50);
    asked.unhandled = true;
    let mut explorer = Explorer::new(&domain, asked).unwrap();
    explorer.advance(50);
    assert!(explorer.found().is_some());
}

#[test]
fn a_plan_without_commands_or_with_a_bad_one_is_refused_at_its_path() {
    let domain = domain(at_most_50());
    let empty = Explorer::new(&domain, plan(Vec::new(), 0)).err().unwrap();
    assert_eq!(empty.path, "$.alphabet");
    let bad = vec![
        add_json(0, 1),
        json!({"Add": {"counter": 300, "amount": 1}}),
    ];
    let error = Explorer::new(&domain, plan(bad, 0)).err().unwrap();
    assert_eq!(error.path, "$.alphabet[1].Add.counter");
}

#[test]
fn a_command_is_made_simpler_one_element_or_field_at_a_time() {
    let mut simpler = Vec::new();
    one_part_fewer(&json!({"a": [1, [2, 3]], "b": {"c": 4}}), &mut |v| {
        simpler.push(v)
    });
    assert_eq!(
        simpler,
        vec![
            json!({"b": {"c": 4}}),
            json!({"a": [1, [2, 3]]}),
            json!({"a": [[2, 3]], "b": {"c": 4}}),
            json!({"a": [1], "b": {"c": 4}}),
            json!({"a": [1, [3]], "b": {"c": 4}}),
            json!({"a": [1, [2]], "b": {"c": 4}}),
            json!({"a": [1, [2, 3]], "b": {}}),
        ]
    );
    let mut none = 0;
    one_part_fewer(&json!("text"), &mut |_| none += 1);
    assert_eq!(none, 0, "a scalar has no simpler form");
}

#[test]
fn a_number_is_brought_nearer_zero_one_at_a_time() {
    let mut nearer = Vec::new();
    one_number_nearer_zero(
        &json!({"a": [5, -3], "b": 1, "c": "7", "d": 2.5, "e": 0}),
        &mut |v| nearer.push(v),
    );
    let rest = |a: Value, b: i64| json!({"a": a, "b": b, "c": "7", "d": 2.5, "e": 0});
    assert_eq!(
        nearer,
        vec![
            rest(json!([0, -3]), 1),
            rest(json!([2, -3]), 1),
            rest(json!([4, -3]), 1),
            rest(json!([5, 0]), 1),
            rest(json!([5, -1]), 1),
            rest(json!([5, -2]), 1),
            rest(json!([5, -3]), 0),
        ],
        "texts, fractions and zero stay as they are"
    );
    let mut nearer = Vec::new();
    one_number_nearer_zero(&json!(u64::MAX), &mut |v| nearer.push(v));
    assert_eq!(nearer, [json!(0), json!(u64::MAX / 2), json!(u64::MAX - 1)]);
}

/// An engine of `domain` seeded 7 with `commands` run until idle.
fn engine_after(domain: &dyn DynDomain, commands: &[Value]) -> Box<dyn crate::DynEngine> {
    let mut engine = domain.start(EngineConfig {
        seed: 7,
        ..EngineConfig::default()
    });
    for command in commands {
        engine.submit(command).unwrap();
        engine.run_until_idle(100);
    }
    engine
}

#[test]
fn runs_from_an_engine_start_from_its_facts_and_keep_them() {
    let domain = domain(at_most_50());
    let before = [add_json(0, 30), add_json(0, 15)];
    let base = engine_after(&domain, &before);
    let base_journal = base.journal(0);
    let alphabet = vec![add_json(0, 10), add_json(1, -5)];
    let mut explorer = Explorer::from_engine(&domain, plan(alphabet, 0), base).unwrap();
    explorer.advance(50);
    let found = explorer.found().expect("45 and a 10 break it");
    // One command on top of the 45 already there, as small as still breaks it.
    assert_eq!(found.broken, "counter-0 holds 51");
    assert_eq!(amounts(found), [6], "{:?}", found.moves);
    assert_eq!(found.seed, 7, "the base's seed");
    // The journal is the base's, then the run's, and rebuilds to the same break.
    assert_eq!(found.journal[..base_journal.len()], base_journal[..]);
    assert!(found.journal.len() > base_journal.len());
    assert_eq!(
        rebuilt_break(&domain, found).as_deref(),
        Some("counter-0 holds 51")
    );
    // Its scenario runs the base's commands, then the shrunk one.
    let scenario = found.scenario.as_ref().unwrap();
    assert_eq!(scenario.steps.len(), 3);
    assert_eq!(
        scenario.steps[..2]
            .iter()
            .map(|s| &s.command)
            .collect::<Vec<_>>(),
        before.iter().collect::<Vec<_>>()
    );
    assert!(scenario.check(&domain).unwrap().failures.is_empty());
}

#[test]
fn an_engine_already_broken_or_history_besides_is_refused() {
    let domain = domain(at_most_50());
    let broken = engine_after(&domain, &[add_json(0, 30), add_json(0, 30)]);
    let error = Explorer::from_engine(&domain, plan(vec![add_json(0, 1)], 0), broken)
        .err()
        .unwrap();
    assert_eq!(error.path, "$");
    assert!(
        error.message.contains("already break") && error.message.contains("counter-0 holds 60"),
        "{}",
        error.message
    );
    let mut given = plan(vec![add_json(0, 1)], 0);
    given.given = vec![crate::scenario::Given {
        stream: "counter-0".into(),
        events: vec![json!({"Added": {"counter": 0, "amount": 1}})],
    }];
    let fine = engine_after(&domain, &[]);
    let error = Explorer::from_engine(&domain, given, fine).err().unwrap();
    assert_eq!(error.path, "$.given");
}
