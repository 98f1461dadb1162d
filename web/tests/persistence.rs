//! The IndexedDB store in a real browser: appends in one transaction, conditional appends,
//! exact read-back, the upgrade path, damaged entries found with their sequence and path,
//! and what a page leaves in `localStorage` for the next load.
#![cfg(target_arch = "wasm32")]

mod support;

use decider_web::persistence::db::{self, StoreError};
use decider_web::persistence::journal_store::{self, Segment};
use decider_web::persistence::left_behind::{self, LeftBehind, RestingCursor};
use decider_web::persistence::transfer::{self, Import};
use decider_web::persistence::workspaces::{self, Settings, Workspace};
use decider_web::session::RepeatJob;
use serde_json::{json, Value};
use wasm_bindgen_test::*;
use web_sys::IdbTransactionMode;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh database at the current version, named for one test.
async fn fresh(test: &str) -> web_sys::IdbDatabase {
    let name = format!("test-{test}-{}", workspaces::new_id("db"));
    db::open_at(&name, db::VERSION).await.unwrap()
}

/// The journal of a bundled restaurant scenario's run (given history, steps, sagas).
fn journal() -> Vec<Value> {
    let text = include_str!("../../tests/scenarios/restaurant/cancelled-after-payment.json");
    let domain = decider_domains::find("restaurant").unwrap();
    let (scenario, _) = decider_core::scenario::load(text, &decider_domains::find).unwrap();
    scenario.run(&*domain).unwrap().engine.journal(0)
}

fn workspace() -> Workspace {
    Workspace::new("test", "restaurant", 0, None)
}

/// Appends `entries` at `expected` as one segment.
async fn append(
    db: &web_sys::IdbDatabase,
    ws: &Workspace,
    expected: usize,
    entries: &[Value],
) -> Result<(), StoreError> {
    let segment = Segment::from_entries(entries).unwrap();
    journal_store::append(db, ws, expected, &segment).await
}

/// Asserts that `ws`'s stored journal reads back as `entries`, byte for byte, undamaged.
async fn reads_back_byte_for_byte(db: &web_sys::IdbDatabase, ws: &Workspace, entries: &[Value]) {
    let read = journal_store::read(db, &ws.id, 0).await.unwrap();
    assert_eq!(read.damage(), None);
    assert_eq!(
        serde_json::to_string(&read.entries()).unwrap(),
        serde_json::to_string(entries).unwrap(),
        "byte for byte"
    );
}

#[wasm_bindgen_test]
async fn appended_entries_read_back_as_the_same_json() {
    let db = fresh("roundtrip").await;
    let ws = workspace();
    let entries = journal();
    assert!(entries.len() > 5);
    append(&db, &ws, 0, &entries[..3]).await.unwrap();
    append(&db, &ws, 3, &entries[3..]).await.unwrap();
    reads_back_byte_for_byte(&db, &ws, &entries).await;
    let domain = decider_domains::find("restaurant").unwrap();
    let (engine, damage) = journal_store::rebuild(&db, &ws.id, &*domain, 0)
        .await
        .unwrap();
    assert_eq!(damage, None);
    assert_eq!(engine.journal(0), entries, "the same engine, rebuilt");
}

#[wasm_bindgen_test]
async fn a_journal_of_many_segments_is_rebuilt_a_few_at_a_time() {
    let db = fresh("many").await;
    let ws = workspace();
    let entries = journal();
    assert!(entries.len() > 10, "more segments than one read takes");
    for (sequence, entry) in entries.iter().enumerate() {
        append(&db, &ws, sequence, std::slice::from_ref(entry))
            .await
            .unwrap();
    }
    let domain = decider_domains::find("restaurant").unwrap();
    let (engine, damage) = journal_store::rebuild(&db, &ws.id, &*domain, 0)
        .await
        .unwrap();
    assert_eq!(damage, None);
    assert_eq!(engine.journal(0), entries);
    let listed = workspaces::list(&db).await.unwrap();
    assert_eq!(listed.iter().map(|w| &w.id).collect::<Vec<_>>(), [&ws.id]);
}

#[wasm_bindgen_test]
async fn a_rebuild_stops_at_a_gap_and_names_the_missing_entry() {
    let db = fresh("gap").await;
    let ws = workspace();
    let entries = journal();
    assert!(entries.len() > 6);
    append(&db, &ws, 0, &entries[..3]).await.unwrap();
    // Entry 3 never written: the next segment starts at 4.
    append(&db, &ws, 4, &entries[4..]).await.unwrap();
    let domain = decider_domains::find("restaurant").unwrap();
    let (engine, damage) = journal_store::rebuild(&db, &ws.id, &*domain, 0)
        .await
        .unwrap();
    let damage = damage.expect("the gap is found");
    assert_eq!((damage.sequence, damage.path.as_str()), (3, "$[3]"));
    assert_eq!(
        damage.message,
        "entry 3 is missing (the next one kept is 4)"
    );
    assert_eq!(engine.journal(0), entries[..3], "the part before the gap");
}

#[wasm_bindgen_test]
async fn entries_are_stored_as_structured_objects() {
    let db = fresh("structured").await;
    let ws = workspace();
    let entries = journal();
    append(&db, &ws, 0, &entries[..1]).await.unwrap();
    append(&db, &ws, 1, &entries[1..3]).await.unwrap();
    let raw = journal_store::segments(&db, &ws.id, 0).await.unwrap();
    assert_eq!(
        raw.iter().map(|(first, _)| *first).collect::<Vec<_>>(),
        [0, 1],
        "one segment per append, keyed by its first entry"
    );
    let second = js_sys::Array::from(&raw[1].1);
    assert_eq!(second.length(), 2, "a segment holds its whole append");
    assert!(second.get(0).is_object(), "an object, not a JSON string");
    let from_one = journal_store::read(&db, &ws.id, 1).await.unwrap();
    assert_eq!(
        from_one.entries(),
        entries[1..3],
        "reading from a segment on"
    );
}

#[wasm_bindgen_test]
async fn a_stale_append_is_refused_and_writes_nothing() {
    let db = fresh("conflict").await;
    let ws = workspace();
    let entries = journal();
    append(&db, &ws, 0, &entries[..2]).await.unwrap();
    append(&db, &ws, 2, &entries[2..4]).await.unwrap();
    // A second tab that last saw 2 entries (where a segment starts: every length a tab
    // sees is one) appends its own 3rd and 4th... and a 5th.
    let stale = append(&db, &ws, 2, &entries[2..5]).await;
    assert_eq!(stale, Err(StoreError::Conflict));
    let read = journal_store::read(&db, &ws.id, 0).await.unwrap();
    assert_eq!(
        read.entries(),
        entries[..4],
        "the refused transaction wrote nothing"
    );
    // Appending at the length actually stored works.
    append(&db, &ws, 4, &entries[4..5]).await.unwrap();
    assert_eq!(
        journal_store::read(&db, &ws.id, 0)
            .await
            .unwrap()
            .entries()
            .len(),
        5
    );
}

#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_and_keeps_its_data() {
    let name = format!("test-upgrade-{}", workspaces::new_id("db"));
    let old = db::open_at(&name, 1).await.unwrap();
    assert!(db::transaction(&old, &[db::SCENARIOS], IdbTransactionMode::Readonly).is_err());
    let ws = workspace();
    let entries = journal();
    workspaces::put(&old, &ws).await.unwrap();
    support::write_legacy(&old, &ws.id, entries.iter().cloned().enumerate()).await;
    old.close();
    let new = db::open_at(&name, db::VERSION).await.unwrap();
    assert!(db::transaction(&new, &[db::SCENARIOS], IdbTransactionMode::Readonly).is_ok());
    assert!(
        db::transaction(&new, &[db::JOURNAL], IdbTransactionMode::Readonly).is_err(),
        "the one-record-per-entry store is gone"
    );
    let last = workspaces::last_opened(&new).await.unwrap();
    assert_eq!(
        last.map(|w| w.id),
        Some(ws.id.clone()),
        "the new index covers old records"
    );
    assert_eq!(
        journal_store::read(&new, &ws.id, 0)
            .await
            .unwrap()
            .entries(),
        entries
    );
}

#[wasm_bindgen_test]
async fn a_version_2_journal_becomes_segments_and_keeps_its_gaps() {
    let name = format!("test-upgrade-2-{}", workspaces::new_id("db"));
    let old = db::open_at(&name, 2).await.unwrap();
    let (ws, other) = (workspace(), workspace());
    let entries = journal();
    assert!(entries.len() > 6);
    // Entry 4 is missing from the first workspace (a damaged store); the other is whole.
    let kept = entries.iter().cloned().enumerate().filter(|(i, _)| *i != 4);
    support::write_legacy(&old, &ws.id, kept).await;
    support::write_legacy(&old, &other.id, entries.iter().cloned().enumerate()).await;
    old.close();
    let new = db::open_at(&name, db::VERSION).await.unwrap();
    assert_eq!(new.version() as u32, db::VERSION);
    let firsts = |segments: Vec<(usize, wasm_bindgen::JsValue)>| {
        segments
            .into_iter()
            .map(|(first, _)| first)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        firsts(journal_store::segments(&new, &ws.id, 0).await.unwrap()),
        [0, 5],
        "a run of consecutive entries per segment"
    );
    let read = journal_store::read(&new, &ws.id, 0).await.unwrap();
    assert_eq!(read.entries(), entries[..4]);
    assert_eq!(
        read.damage().map(|d| d.sequence),
        Some(4),
        "the gap is still found"
    );
    let whole = journal_store::read(&new, &other.id, 0).await.unwrap();
    assert_eq!((whole.entries(), whole.damage()), (entries.clone(), None));
    // Appending goes on where the migrated journal ends, and is still conditional.
    append(&new, &other, entries.len(), &entries[..1])
        .await
        .unwrap();
    assert_eq!(
        append(&new, &other, entries.len(), &entries[..1]).await,
        Err(StoreError::Conflict)
    );
}

#[wasm_bindgen_test]
async fn a_version_3_journal_is_kept_in_the_stored_form_and_reads_back_the_same() {
    let name = format!("test-upgrade-3-{}", workspaces::new_id("db"));
    let old = db::open_at(&name, 3).await.unwrap();
    let ws = workspace();
    let entries = journal();
    assert!(entries.len() > 6);
    workspaces::put(&old, &ws).await.unwrap();
    support::write_version_3(&old, &ws.id, 0, &entries[..4]).await;
    support::write_version_3(&old, &ws.id, 4, &entries[4..]).await;
    let size = |segments: &[(usize, wasm_bindgen::JsValue)]| {
        segments
            .iter()
            .map(|(_, s)| js_sys::JSON::stringify(s).unwrap().length())
            .sum::<u32>()
    };
    let before = size(&journal_store::segments(&old, &ws.id, 0).await.unwrap());
    old.close();
    let new = db::open_at(&name, db::VERSION).await.unwrap();
    assert_eq!(new.version() as u32, db::VERSION);
    let segments = journal_store::segments(&new, &ws.id, 0).await.unwrap();
    assert_eq!(
        segments.iter().map(|(first, _)| *first).collect::<Vec<_>>(),
        [0, 4],
        "the same segments"
    );
    let after = size(&segments);
    assert!(
        after < before,
        "stored smaller: {after} bytes, was {before}"
    );
    let step = js_sys::Array::from(&segments[0].1)
        .iter()
        .find(|entry| js_sys::Reflect::has(entry, &"step".into()).unwrap())
        .expect("a step in the first segment");
    let command = js_sys::Reflect::get(&step, &"step".into())
        .and_then(|step| js_sys::Reflect::get(&step, &"command".into()))
        .unwrap();
    assert!(
        command.is_string(),
        "a step names the command its segment queued"
    );
    let read = journal_store::read(&new, &ws.id, 0).await.unwrap();
    assert_eq!((read.entries(), read.damage()), (entries.clone(), None));
    let domain = decider_domains::find("restaurant").unwrap();
    let (engine, damage) = journal_store::rebuild(&new, &ws.id, &*domain, 0)
        .await
        .unwrap();
    assert_eq!(damage, None);
    assert_eq!(engine.journal(0), entries, "the same engine, rebuilt");
}

#[wasm_bindgen_test]
async fn a_database_from_a_newer_schema_is_refused_untouched() {
    let name = format!("test-newer-{}", workspaces::new_id("db"));
    let newer = db::open_at(&name, db::VERSION + 1).await.unwrap();
    newer.close();
    assert_eq!(
        db::open_at(&name, db::VERSION).await.err(),
        Some(StoreError::NewerSchema)
    );
    let again = db::open_at(&name, db::VERSION + 1).await.unwrap();
    assert_eq!(again.version() as u32, db::VERSION + 1);
}

#[wasm_bindgen_test]
async fn a_tampered_entry_is_found_with_its_sequence_and_path() {
    let db = fresh("tampered").await;
    let ws = workspace();
    let entries = journal();
    append(&db, &ws, 0, &entries).await.unwrap();
    // Entry 3 edited by hand in DevTools: its command envelope loses its id.
    let mut tampered = entries[3].clone();
    let (key, field) = if tampered.get("step").is_some() {
        ("step", "step")
    } else {
        ("submitted", "command_id")
    };
    match key {
        "step" => tampered["step"]["step"] = json!("three"),
        _ => {
            tampered["submitted"].as_object_mut().unwrap().remove(field);
        }
    }
    support::tamper(&db, &ws.id, 3, &tampered).await;

    let read = journal_store::read(&db, &ws.id, 0).await.unwrap();
    assert_eq!(read.len(), entries.len(), "every entry is JSON");
    let domain = decider_domains::find("restaurant").unwrap();
    let (engine, damage) = journal_store::rebuild(&db, &ws.id, &*domain, 0)
        .await
        .unwrap();
    let good = engine.journal(0);
    let damage = damage.expect("the tampered entry is found");
    assert_eq!(damage.sequence, 3);
    assert!(damage.path.starts_with("$[3]"), "{}", damage.path);
    assert!(
        damage.path.len() > 4,
        "a path inside the entry: {}",
        damage.path
    );
    assert_eq!(good, entries[..3], "the good part is kept");
    assert_eq!(
        journal_store::read(&db, &ws.id, 0)
            .await
            .unwrap()
            .entries()
            .len(),
        entries.len(),
        "nothing stored was deleted"
    );
}

/// The engine of `entries` on the restaurant domain.
fn engine_of(entries: &[Value]) -> Box<dyn decider_core::DynEngine> {
    let domain = decider_domains::find("restaurant").unwrap();
    domain
        .rebuild(decider_web::session::config(0), entries)
        .unwrap()
}

/// The segments folded: (first sequence, entries, read from the packed image).
fn folded(loaded: &journal_store::Loaded) -> Vec<(usize, usize, bool)> {
    let segments = loaded.segments.iter();
    segments.map(|s| (s.first, s.count, s.packed)).collect()
}

/// Holds what `loaded` holds of the segment `first..first + count` against it.
async fn check(
    db: &web_sys::IdbDatabase,
    ws: &Workspace,
    loaded: &journal_store::Loaded,
    (first, count): (usize, usize),
) -> bool {
    let held = journal_store::Held::of(&*loaded.engine, first, count);
    journal_store::check(db, &ws.id, first, held).await.unwrap()
}

#[wasm_bindgen_test]
async fn a_packed_image_is_read_first_then_held_against_its_segment_which_wins() {
    let db = fresh("packed").await;
    let ws = workspace();
    let entries = journal();
    let (len, engine) = (entries.len(), engine_of(&entries));
    for (from, to) in [(0, 2), (2, len)] {
        let segment = Segment::of(&*engine, from, to).unwrap();
        journal_store::append(&db, &ws, from, &segment)
            .await
            .unwrap();
    }
    let domain = decider_domains::find("restaurant").unwrap();
    let loaded = journal_store::load(&db, &ws.id, &*domain, 0, true)
        .await
        .unwrap();
    assert_eq!(
        folded(&loaded),
        [(0, 2, true), (2, len - 2, true)],
        "read from the images"
    );
    assert_eq!(loaded.engine.journal(0), entries);
    assert!(!check(&db, &ws, &loaded, (0, 2)).await);
    assert!(!check(&db, &ws, &loaded, (2, len - 2)).await);

    // The segment changed by hand in DevTools: its image still says what was appended.
    let mut tampered = entries[3].clone();
    match tampered.get_mut("step") {
        Some(step) => step["step"] = json!("three"),
        None => tampered["submitted"]["command_id"] = json!("not an id"),
    }
    support::tamper(&db, &ws.id, 3, &tampered).await;
    let cached = journal_store::load(&db, &ws.id, &*domain, 0, true)
        .await
        .unwrap();
    assert_eq!(cached.damage, None, "the image is what was appended");
    assert!(
        check(&db, &ws, &cached, (2, len - 2)).await,
        "the image differs from its segment: let go of"
    );
    let again = journal_store::load(&db, &ws.id, &*domain, 0, true)
        .await
        .unwrap();
    let damage = again.damage.as_ref().expect("the segment wins");
    assert_eq!(damage.sequence, 3);
    assert_eq!(
        folded(&again),
        [(0, 2, false), (2, len - 2, false)],
        "a batch with a segment without image is read from the segments"
    );
    assert_eq!(again.engine.journal(0), entries[..3]);
}

#[wasm_bindgen_test]
async fn a_segment_without_its_packed_image_is_read_and_gets_one() {
    let name = format!("test-unpacked-{}", workspaces::new_id("db"));
    let old = db::open_at(&name, 3).await.unwrap();
    let ws = workspace();
    let entries = journal();
    support::write_version_3(&old, &ws.id, 0, &entries).await;
    old.close();
    let db = db::open_at(&name, db::VERSION).await.unwrap();
    let domain = decider_domains::find("restaurant").unwrap();
    let loaded = journal_store::load(&db, &ws.id, &*domain, 0, true)
        .await
        .unwrap();
    let len = entries.len();
    assert_eq!(folded(&loaded), [(0, len, false)], "read from the segment");
    assert_eq!(loaded.engine.journal(0), entries);
    assert!(
        !check(&db, &ws, &loaded, (0, len)).await,
        "the same entries: packed"
    );
    let packed = journal_store::load(&db, &ws.id, &*domain, 0, true)
        .await
        .unwrap();
    assert_eq!(folded(&packed), [(0, len, true)]);
    assert_eq!(packed.engine.journal(0), entries);
}

#[wasm_bindgen_test]
async fn a_packed_image_that_does_not_read_is_passed_over_for_its_segment() {
    let db = fresh("unreadable").await;
    let ws = workspace();
    let entries = journal();
    let (len, engine) = (entries.len(), engine_of(&entries));
    let segment = Segment::of(&*engine, 0, len).unwrap();
    journal_store::append(&db, &ws, 0, &segment).await.unwrap();
    let domain = decider_domains::find("restaurant").unwrap();
    let mut bytes = engine.packed(0, len);
    bytes.truncate(bytes.len() / 2);
    let cut_short = js_sys::Uint8Array::from(&bytes[..]).buffer();
    let old_form = js_sys::Uint8Array::from(engine.stored_text(0, len).as_bytes()).buffer();
    for image in [
        js_sys::Object::from_entries(&js_sys::Array::of2(
            &js_sys::Array::of2(&"count".into(), &(len as f64).into()),
            &js_sys::Array::of2(&"bin".into(), &cut_short),
        ))
        .unwrap(),
        js_sys::Object::from_entries(&js_sys::Array::of2(
            &js_sys::Array::of2(&"count".into(), &(len as f64).into()),
            &js_sys::Array::of2(&"text".into(), &old_form),
        ))
        .unwrap(),
    ] {
        let tx = db::transaction(&db, &[db::PACKED], IdbTransactionMode::Readwrite).unwrap();
        tx.object_store(db::PACKED)
            .unwrap()
            .put_with_key(&image, &journal_store::key(&ws.id, 0))
            .unwrap();
        db::committed(&tx).await.unwrap();
        let loaded = journal_store::load(&db, &ws.id, &*domain, 0, true)
            .await
            .unwrap();
        assert_eq!(loaded.damage, None);
        assert_eq!(folded(&loaded), [(0, len, false)], "read from the segment");
        assert_eq!(loaded.engine.journal(0), entries);
    }
}

#[wasm_bindgen_test]
async fn a_deleted_workspace_takes_its_journal_along_and_only_its() {
    let db = fresh("delete").await;
    let (one, two) = (workspace(), workspace());
    let entries = journal();
    append(&db, &one, 0, &entries).await.unwrap();
    append(&db, &two, 0, &entries[..2]).await.unwrap();
    journal_store::delete_workspace(&db, &one.id).await.unwrap();
    assert!(journal_store::read(&db, &one.id, 0)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(journal_store::read(&db, &two.id, 0).await.unwrap().len(), 2);
    let listed = workspaces::list(&db).await.unwrap();
    assert_eq!(listed.iter().map(|w| &w.id).collect::<Vec<_>>(), [&two.id]);
}

#[wasm_bindgen_test]
async fn imported_scenarios_are_kept() {
    let db = fresh("scenarios").await;
    let saved = workspaces::SavedScenario {
        id: workspaces::new_id("sc"),
        file: "mine.json".into(),
        text: "{}".into(),
    };
    workspaces::add_scenario(&db, &saved).await.unwrap();
    assert_eq!(workspaces::scenarios(&db).await.unwrap(), [saved]);
}

#[wasm_bindgen_test]
fn a_journal_file_reads_back_and_rebuilds_the_same_engine() {
    let entries = journal();
    let file = transfer::JournalFile::new("restaurant", 0, "bug", entries.clone());
    let Ok(Import::Journal(read)) = transfer::read(&file.to_json()) else {
        panic!("a journal file reads as one");
    };
    assert_eq!(read, file);
    let domain = decider_domains::find("restaurant").unwrap();
    let engine = domain
        .rebuild(decider_web::session::config(0), &read.journal)
        .unwrap();
    assert_eq!(engine.journal(0), entries);
}

/// The journal of the transfer domain's overflow scenario (Bob's balance is `u64::MAX`,
/// beyond what a JS number holds exactly).
fn overflow_journal() -> Vec<Value> {
    let text = include_str!("../../tests/scenarios/transfer/credit-refused-overflow.json");
    let domain = decider_domains::find("transfer").unwrap();
    let (scenario, _) = decider_core::scenario::load(text, &decider_domains::find).unwrap();
    scenario.run(&*domain).unwrap().engine.journal(0)
}

#[wasm_bindgen_test]
async fn a_number_a_js_number_cannot_hold_is_kept_exactly_as_text() {
    const MAX: &str = "18446744073709551615";
    let db = fresh("exact").await;
    let ws = Workspace::new("test", "transfer", 0, None);
    let entries = overflow_journal();
    let holds = |e: &Value| serde_json::to_string(e).unwrap().contains(MAX);
    let big = entries
        .iter()
        .position(holds)
        .expect("an entry holds u64::MAX");
    assert!(big > 0, "entries before it hold small numbers only");
    // Without its packed image (as a segment converted from an older version is read).
    append(&db, &ws, 0, &entries[..big]).await.unwrap();
    append(&db, &ws, big, &entries[big..]).await.unwrap();
    let raw = journal_store::segments(&db, &ws.id, 0).await.unwrap();
    assert!(
        raw[0].1.is_array(),
        "a segment of small numbers: structured values"
    );
    let kept = js_sys::Reflect::get(&raw[1].1, &"text".into()).unwrap();
    assert!(
        kept.as_string().is_some_and(|text| text.contains(MAX)),
        "the segment with u64::MAX kept as its text"
    );
    reads_back_byte_for_byte(&db, &ws, &entries).await;
    // With its packed image, read first and then held against the segment.
    let domain = decider_domains::find("transfer").unwrap();
    let engine = domain
        .rebuild(decider_web::session::config(0), &entries)
        .unwrap();
    let packed = Workspace::new("packed", "transfer", 0, None);
    let segment = Segment::of(&*engine, 0, entries.len()).unwrap();
    journal_store::append(&db, &packed, 0, &segment)
        .await
        .unwrap();
    let loaded = journal_store::load(&db, &packed.id, &*domain, 0, true)
        .await
        .unwrap();
    assert_eq!(
        folded(&loaded),
        [(0, entries.len(), true)],
        "read from the image"
    );
    assert_eq!(loaded.engine.journal(0), entries);
    assert!(
        !check(&db, &packed, &loaded, (0, entries.len())).await,
        "the image and its segment agree"
    );
}

/// A workspace's settings as stored, with `cursor` and a running `repeat`.
fn settings(cursor: Option<u64>, repeat: Option<RepeatJob>) -> Settings {
    Settings {
        cursor,
        repeat,
        ..Settings::default()
    }
}

/// A Repeat ×`total` of one counter command, started at journal entry `start`.
fn repeat(total: u64, start: usize) -> RepeatJob {
    RepeatJob {
        command: json!({"increment": {"counter_id": "c${i}", "by": 1}}),
        total,
        start,
    }
}

/// Leaves `left` for workspace `w`, then opens `w` with `stored` read at `journal` entries.
fn reopen(left: LeftBehind, journal: usize, mut stored: Settings) -> Settings {
    left_behind::leave(&left);
    left_behind::take("w", journal, &mut stored);
    stored
}

fn left(cursor: Option<RestingCursor>, ended_repeat: Option<RepeatJob>) -> LeftBehind {
    LeftBehind {
        workspace: "w".into(),
        cursor,
        ended_repeat,
    }
}

#[wasm_bindgen_test]
fn a_cursor_left_behind_is_taken_only_with_the_journal_it_was_set_on_and_only_once() {
    let cursor = Some(RestingCursor {
        journal: 10,
        cursor: Some(4),
    });
    assert_eq!(
        reopen(left(cursor.clone(), None), 10, settings(None, None)).cursor,
        Some(4)
    );
    assert_eq!(
        reopen(left(cursor.clone(), None), 11, settings(None, None)).cursor,
        None
    );
    let other = LeftBehind {
        workspace: "another".into(),
        ..left(cursor, None)
    };
    assert_eq!(
        reopen(other, 10, settings(None, None)).cursor,
        None,
        "another workspace's"
    );
    let mut again = settings(Some(7), None);
    left_behind::take("w", 10, &mut again);
    assert_eq!(again.cursor, Some(7), "what was left is taken once");
}

#[wasm_bindgen_test]
fn an_ended_repeat_left_behind_cuts_the_stored_one_only_if_it_is_that_repeat() {
    let cut = Some(repeat(8_964, 3));
    let stored = settings(None, Some(repeat(100_000, 3)));
    assert_eq!(
        reopen(left(None, cut.clone()), 5_000, stored).repeat,
        cut,
        "cut to what it submitted"
    );
    let shorter = settings(None, Some(repeat(8_000, 3)));
    assert_eq!(
        reopen(left(None, cut.clone()), 5_000, shorter).repeat,
        Some(repeat(8_000, 3)),
        "never lengthened"
    );
    let later = settings(None, Some(repeat(100, 9_000)));
    assert_eq!(
        reopen(left(None, cut.clone()), 9_000, later).repeat,
        Some(repeat(100, 9_000)),
        "a later repeat is left alone"
    );
    assert_eq!(
        reopen(left(None, cut), 9_000, settings(None, None)).repeat,
        None,
        "a stored end stays ended"
    );
}

#[wasm_bindgen_test]
fn a_workspace_is_compared_first_with_its_original_then_its_forks_its_siblings_and_the_rest() {
    use decider_web::components::compare::candidates;
    use decider_web::persistence::workspaces::Parent;
    let made = |name: &str, domain: &str, created: f64, parent: Option<(&Workspace, u64)>| {
        let parent = parent.map(|(w, position)| Parent {
            id: w.id.clone(),
            position,
            generation: 1,
        });
        Workspace {
            created,
            ..Workspace::new(name, domain, 0, parent)
        }
    };
    let original = made("original", "restaurant", 1.0, None);
    let shown = made("shown", "restaurant", 2.0, Some((&original, 5)));
    let sibling = made("sibling", "restaurant", 3.0, Some((&original, 3)));
    let child = made("child", "restaurant", 4.0, Some((&shown, 7)));
    let older = made("older", "restaurant", 0.5, None);
    let newer = made("newer", "restaurant", 9.0, None);
    let counter = made("counter", "counter", 5.0, None);
    let all = [
        older,
        original,
        shown.clone(),
        sibling,
        child,
        counter,
        newer,
    ];
    let found: Vec<(String, u64, &str)> = candidates(&shown, &all)
        .into_iter()
        .map(|other| (other.name, other.from, other.relation))
        .collect();
    let expected = [
        ("original", 5, "its original"),
        ("child", 7, "a fork of it"),
        ("sibling", 3, "a fork of the same original"),
        ("newer", 0, "of the same domain"),
        ("older", 0, "of the same domain"),
    ];
    let expected: Vec<(String, u64, &str)> = expected
        .into_iter()
        .map(|(name, from, relation)| (name.to_string(), from, relation))
        .collect();
    assert_eq!(found, expected, "not itself, not another domain's");
}
