//! Fuzzing the type-erased boundary: every domain's [`DynEngine`] driven with random
//! operation sequences and random JSON (valid messages from the example scenarios,
//! mutated: leaves replaced by huge numbers, wrong types or random documents, keys
//! renamed or dropped; and wholly random documents), and every read asked for random
//! ranges, positions and ids.
//!
//! Whatever comes in: nothing panics (proptest fails a case that panics, and shrinks it);
//! every refusal is a [`BoundaryError`] with a message and a JSON path starting with `$`;
//! a refused call changes nothing (same journal, same live state); and the engine always
//! rebuilds from its journal to the same state. The scenario parser is fuzzed the same
//! way in `cross_crate.rs`.

use decider_core::boundary::LogFilter;
use decider_core::{BoundaryError, DynDomain, DynEngine, EngineConfig, Id};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};
use std::path::Path;
use std::sync::OnceLock;

/// Valid messages of one domain, taken from its example scenarios.
#[derive(Default)]
struct Seeds {
    commands: Vec<Value>,
    events: Vec<Value>,
    rejections: Vec<Value>,
}

/// Every domain with the valid messages of its example scenarios, read once.
fn domains() -> &'static [(Box<dyn DynDomain>, Seeds)] {
    static DOMAINS: OnceLock<Vec<(Box<dyn DynDomain>, Seeds)>> = OnceLock::new();
    DOMAINS.get_or_init(|| {
        decider_domains::all()
            .into_iter()
            .map(|domain| {
                let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("scenarios")
                    .join(&domain.info().id);
                let mut seeds = Seeds::default();
                for file in std::fs::read_dir(&dir).expect("every domain has scenarios") {
                    let text = std::fs::read_to_string(file.expect("a readable entry").path())
                        .expect("a readable scenario");
                    let document: Value = serde_json::from_str(&text).expect("a JSON scenario");
                    harvest(&document, &mut seeds);
                }
                assert!(!seeds.commands.is_empty() && !seeds.events.is_empty());
                (domain, seeds)
            })
            .collect()
    })
}

/// Collects the commands, events and rejections anywhere in a scenario document.
fn harvest(value: &Value, seeds: &mut Seeds) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let list = child.as_array().into_iter().flatten().cloned();
                match key.as_str() {
                    "command" => seeds.commands.push(child.clone()),
                    "events" => seeds.events.extend(list),
                    "rejections" => seeds.rejections.extend(list),
                    _ => {}
                }
                harvest(child, seeds);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| harvest(item, seeds)),
        _ => {}
    }
}

/// Any JSON, with the numbers and strings that break careless code.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop::sample::select(vec![
            json!(0),
            json!(-1),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1e308),
            json!(-0.5),
            json!(4_294_967_296u64),
        ]),
        any::<i64>().prop_map(Value::from),
        "[a-z_]{0,12}".prop_map(Value::String),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// How a valid message is spoiled.
#[derive(Clone, Debug)]
enum Spoil {
    /// Left valid.
    Keep,
    /// The value at the chosen place replaced.
    Replace(Index, Value),
    /// The key at the chosen place dropped.
    Drop(Index),
    /// The key at the chosen place renamed.
    Rename(Index, String),
    /// Wholly replaced by a random document.
    Random(Value),
}

fn spoil() -> impl Strategy<Value = Spoil> {
    prop_oneof![
        3 => Just(Spoil::Keep),
        3 => (any::<Index>(), any_json()).prop_map(|(i, v)| Spoil::Replace(i, v)),
        1 => any::<Index>().prop_map(Spoil::Drop),
        1 => (any::<Index>(), "[a-z_]{1,10}").prop_map(|(i, k)| Spoil::Rename(i, k)),
        1 => any_json().prop_map(Spoil::Random),
    ]
}

/// The JSON pointers of every value in `value` (the root included).
fn pointers(value: &Value, prefix: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(child, format!("{prefix}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{prefix}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(prefix);
}

/// `value` spoiled as `how` says.
fn spoiled(mut value: Value, how: &Spoil) -> Value {
    let mut places = Vec::new();
    pointers(&value, String::new(), &mut places);
    let pick = |i: &Index| places[i.index(places.len())].clone();
    match how {
        Spoil::Keep => {}
        Spoil::Replace(i, replacement) => {
            if let Some(target) = value.pointer_mut(&pick(i)) {
                *target = replacement.clone();
            }
        }
        Spoil::Drop(i) | Spoil::Rename(i, _) => {
            let place = pick(i);
            let (parent, key) = place.rsplit_once('/').unwrap_or(("", ""));
            if let Some(Value::Object(map)) = value.pointer_mut(parent) {
                if let Some(child) = map.remove(key) {
                    if let Spoil::Rename(_, new_key) = how {
                        map.insert(new_key.clone(), child);
                    }
                }
            }
        }
        Spoil::Random(document) => return document.clone(),
    }
    value
}

/// One call on the boundary. Indexes pick a seed message or a queued command.
#[derive(Clone, Debug)]
enum Op {
    Submit(Index, Spoil),
    SubmitAs(u64, Index, Spoil),
    Given(String, Vec<(Index, Spoil)>),
    Step,
    Run(u64),
    /// On a queued command (or, with `false`, on a random id).
    Fault(bool, Index, Index, Spoil),
    StreamOf(Index, Spoil),
    /// Reads at random positions and ids; `u64` is used as position, id and limit.
    Read(u64, u64, String),
    Fork(u64),
    /// Rebuilds from the journal with one entry spoiled.
    SpoiledRebuild(Index, Spoil),
}

/// Small numbers mostly (the positions that exist), huge ones sometimes.
fn number() -> impl Strategy<Value = u64> {
    prop_oneof![4 => 0u64..40, 1 => any::<u64>(), 1 => Just(u64::MAX)]
}

fn op() -> impl Strategy<Value = Op> {
    let stream = prop_oneof![
        "(order|restaurant|payment|stock|checkout|account|transfer|counter)-[a-z0-9]{1,3}",
        ".{0,10}",
    ];
    prop_oneof![
        4 => (any::<Index>(), spoil()).prop_map(|(i, s)| Op::Submit(i, s)),
        1 => (0u64..4, any::<Index>(), spoil()).prop_map(|(id, i, s)| Op::SubmitAs(id, i, s)),
        1 => (stream.clone(), prop::collection::vec((any::<Index>(), spoil()), 0..3))
            .prop_map(|(s, events)| Op::Given(s, events)),
        3 => Just(Op::Step),
        1 => number().prop_map(Op::Run),
        2 => (any::<bool>(), any::<Index>(), any::<Index>(), spoil())
            .prop_map(|(queued, c, r, s)| Op::Fault(queued, c, r, s)),
        1 => (any::<Index>(), spoil()).prop_map(|(i, s)| Op::StreamOf(i, s)),
        2 => (number(), number(), stream).prop_map(|(a, b, s)| Op::Read(a, b, s)),
        1 => number().prop_map(Op::Fork),
        1 => (any::<Index>(), spoil()).prop_map(|(i, s)| Op::SpoiledRebuild(i, s)),
    ]
}

fn pick(seeds: &[Value], i: &Index) -> Value {
    seeds
        .get(i.index(seeds.len().max(1)))
        .cloned()
        .unwrap_or(Value::Null)
}

/// A refusal names where: a path from the document's root, and what.
fn well_formed(error: &BoundaryError) -> Result<(), TestCaseError> {
    prop_assert!(error.path.starts_with('$'), "path {:?}", error.path);
    prop_assert!(!error.message.is_empty());
    Ok(())
}

/// What an engine is, as far as the boundary shows: its journal and its live state.
fn snapshot(engine: &dyn DynEngine) -> (Vec<Value>, Value) {
    (engine.journal(0), engine.live_state())
}

/// The engine rebuilt from its own journal is the same engine.
fn rebuilds(
    domain: &dyn DynDomain,
    config: EngineConfig,
    engine: &dyn DynEngine,
) -> Result<(), TestCaseError> {
    let (journal, state) = snapshot(engine);
    match domain.rebuild(config, &journal) {
        Ok(rebuilt) => prop_assert_eq!(snapshot(&*rebuilt), (journal, state)),
        Err(e) => prop_assert!(false, "its own journal does not rebuild: {}", e),
    }
    Ok(())
}

/// Calls `op`; a refusal must be well formed and leave the engine as it was.
fn apply(
    domain: &dyn DynDomain,
    seeds: &Seeds,
    config: EngineConfig,
    engine: &mut Box<dyn DynEngine>,
    op: &Op,
) -> Result<(), TestCaseError> {
    let before = snapshot(&**engine);
    let refused = match op {
        Op::Submit(i, how) => engine.submit(&spoiled(pick(&seeds.commands, i), how)).err(),
        Op::SubmitAs(id, i, how) => engine
            .submit_as(Id(*id), &spoiled(pick(&seeds.commands, i), how))
            .err(),
        Op::Given(stream, events) => {
            let events: Vec<Value> = events
                .iter()
                .map(|(i, how)| spoiled(pick(&seeds.events, i), how))
                .collect();
            engine.given(stream, &events).err()
        }
        Op::Step => {
            let queued = engine.queue_len();
            prop_assert_eq!(engine.step().is_some(), queued > 0);
            None
        }
        Op::Run(max) => {
            let summary = engine.run_until_idle((*max).min(50));
            prop_assert_eq!(summary.idle, engine.queue_len() == 0);
            None
        }
        Op::Fault(queued, c, r, how) => {
            let ids = queue_ids(&**engine);
            let id = match ids.get(c.index(ids.len().max(1))) {
                Some(id) if *queued => *id,
                _ => Id(c.index(usize::MAX) as u64),
            };
            let rejection = spoiled(pick(&seeds.rejections, r), how);
            engine.inject_fault(id, &rejection).err()
        }
        Op::StreamOf(i, how) => engine
            .stream_of(&spoiled(pick(&seeds.commands, i), how))
            .err(),
        Op::Read(a, b, stream) => {
            read(&**engine, *a, *b, stream)?;
            None
        }
        Op::Fork(position) => {
            let fork = engine.fork_at(*position);
            let prefix = fork.journal(0);
            prop_assert_eq!(&prefix[..], &before.0[..prefix.len()]);
            *engine = fork;
            return rebuilds(domain, config, &**engine);
        }
        Op::SpoiledRebuild(i, how) => {
            let mut journal = before.0.clone();
            if !journal.is_empty() {
                let at = i.index(journal.len());
                journal[at] = spoiled(journal[at].clone(), how);
            }
            if let Err(e) = domain.rebuild(config, &journal) {
                well_formed(&e)?;
                prop_assert!(!matches!(how, Spoil::Keep), "an intact journal: {}", e);
            }
            None
        }
    };
    if let Some(error) = refused {
        well_formed(&error)?;
        prop_assert_eq!(snapshot(&**engine), before, "a refusal changed the engine");
        rebuilds(domain, config, &**engine)?;
    }
    Ok(())
}

/// The ids of the queued commands, from the live state.
fn queue_ids(engine: &dyn DynEngine) -> Vec<Id> {
    engine.live_state()["queue"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| serde_json::from_value(c["command_id"].clone()).ok())
        .collect()
}

/// Every read, at positions `a..b`, for flow and id `a`, of `stream`: none panics, and
/// the ranges hold what they say.
fn read(engine: &dyn DynEngine, a: u64, b: u64, stream: &str) -> Result<(), TestCaseError> {
    let head = engine.head();
    let expected = b.min(head).saturating_sub(a) as usize;
    prop_assert_eq!(engine.facts(a, b).len(), expected);
    prop_assert_eq!(engine.rows(a, b).len(), expected);
    let len = engine.journal_len();
    let (from, to) = (a as usize, b as usize);
    prop_assert_eq!(
        engine.journal_range(from, to).len(),
        to.min(len).saturating_sub(from)
    );
    let state = engine.state_at(a);
    prop_assert_eq!(state["position"].as_u64(), Some(a.min(head)));
    let view = engine.inspect(Some(b), Some(stream), a as usize);
    prop_assert!(view.queue.len() <= view.queue_len);
    engine.inspect(None, None, 0);
    engine.stream_ids(a as usize);
    let filter = LogFilter {
        text: stream.to_string(),
        stream: Some(stream.to_string()),
        ..LogFilter::default()
    };
    prop_assert!(engine.matching_from(&filter, a).iter().all(|p| *p >= a));
    let flow = Id(a);
    let traced = engine.trace(flow).is_some();
    prop_assert_eq!(engine.flow(flow).is_some(), traced);
    prop_assert_eq!(engine.trace_text(flow).is_some(), traced);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_calls_with_random_json_never_panic_and_refusals_change_nothing(
        domain in any::<Index>(),
        seed in any::<u64>(),
        max_depth in 0u8..6,
        snapshot_every in 0u64..5,
        ops in prop::collection::vec(op(), 0..30),
    ) {
        let (domain, seeds) = &domains()[domain.index(domains().len())];
        let config = EngineConfig { seed, max_depth, snapshot_every };
        let mut engine = domain.start(config);
        for op in &ops {
            apply(&**domain, seeds, config, &mut engine, op)?;
        }
        engine.run_until_idle(10_000);
        rebuilds(&**domain, config, &*engine)?;
    }

    #[test]
    fn random_documents_are_refused_with_a_path_by_every_validator(
        document in any_json(),
    ) {
        for (domain, _) in domains() {
            for kind in [
                decider_core::MessageKind::Command,
                decider_core::MessageKind::Event,
                decider_core::MessageKind::Rejection,
            ] {
                if let Err(e) = domain.validate(kind, &document) {
                    well_formed(&e)?;
                }
            }
            if let Err(e) = domain.rebuild(EngineConfig::default(), std::slice::from_ref(&document)) {
                well_formed(&e)?;
            }
        }
    }
}
