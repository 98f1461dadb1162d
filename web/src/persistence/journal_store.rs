//! The journal in IndexedDB, kept in sealed segments: each record is the array of the
//! entries one transaction appended (whole engine steps, at most [`SEGMENT`] entries), as
//! plain JS objects (readable in DevTools), keyed `[workspace id, sequence of its first
//! entry]`.
//!
//! A segment is written once, with `add`, in the same readwrite transaction as the
//! workspace's record, and never rewritten: IndexedDB commits the transaction whole or
//! not at all, so a segment is all there or absent. Appends are conditional on the length
//! the tab last saw, like an event store's expected version: the new segment's key is that
//! length, and since every length a tab can see is where some segment starts or the
//! journal ends, a second writer that saw the same length adds a key that exists — its
//! `add` fails, and with it the whole transaction. There is no open tail to rewrite: a
//! step-by-step session writes small segments, a long run large ones.

use super::db::{self, StoreError, SEGMENTS, WORKSPACES};
use super::workspaces::Workspace;
use decider_core::DynDomain;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbKeyRange, IdbTransactionMode};

/// Journal entries per segment (and so per transaction) at most.
pub const SEGMENT: usize = 4_000;

/// An entry that does not read back: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damage {
    /// The entry's sequence (index in the journal).
    pub sequence: usize,
    /// The JSON path of the problem inside the journal (`$[sequence]…`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A journal as read from the store: its good entries, and the first damaged one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    /// The entries before the first damaged one (all of them when none is).
    pub entries: Vec<Value>,
    /// The first entry that does not read, if any.
    pub damage: Option<Damage>,
}

/// The engine `loaded` folds into on `domain` (seeded `seed`). When an entry does not
/// fold, the engine of the entries before it, and `loaded` cut there with that entry's
/// sequence, JSON path and message.
pub fn fold(
    domain: &dyn DynDomain,
    seed: u64,
    loaded: Loaded,
) -> (Box<dyn decider_core::DynEngine>, Loaded) {
    let config = || crate::session::config(seed);
    let Loaded {
        mut entries,
        damage,
    } = loaded;
    match domain.rebuild(config(), &entries) {
        Ok(engine) => (engine, Loaded { entries, damage }),
        Err(e) => {
            let sequence = sequence_of(&e.path).unwrap_or(0).min(entries.len());
            entries.truncate(sequence);
            let engine = domain
                .rebuild(config(), &entries)
                .unwrap_or_else(|_| domain.start(config()));
            let damage = Some(Damage {
                sequence,
                path: e.path,
                message: e.message,
            });
            (engine, Loaded { entries, damage })
        }
    }
}

/// The journal index at the start of a `$[i]…` path.
pub fn sequence_of(path: &str) -> Option<usize> {
    path.strip_prefix("$[")?.split(']').next()?.parse().ok()
}

/// Entries ready to be stored as one segment: a JS array of plain objects.
pub struct Segment {
    value: JsValue,
    len: usize,
}

impl Segment {
    /// The segment of the entries in `text`, a JSON array (as
    /// [`DynEngine::journal_text`](decider_core::DynEngine::journal_text) writes them):
    /// parsed once by the browser.
    pub fn from_text(text: &str, len: usize) -> Result<Segment, StoreError> {
        let value = js_sys::JSON::parse(text)?;
        Ok(Segment { value, len })
    }

    /// The segment of `entries`.
    pub fn from_entries(entries: &[Value]) -> Result<Segment, StoreError> {
        let text = serde_json::to_string(entries)
            .map_err(|e| StoreError::Other(format!("the entries do not convert: {e}")))?;
        Segment::from_text(&text, entries.len())
    }

    /// Its number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The store key of `workspace`'s segment starting at `sequence`.
pub fn key(workspace: &str, sequence: usize) -> JsValue {
    js_sys::Array::of2(&workspace.into(), &(sequence as f64).into()).into()
}

/// The keys of `workspace`'s segments from the one starting at `from` on.
fn range(workspace: &str, from: usize) -> Result<IdbKeyRange, StoreError> {
    let upper = js_sys::Array::of2(&workspace.into(), &f64::INFINITY.into());
    Ok(IdbKeyRange::bound(&key(workspace, from), &upper)?)
}

/// Appends `segment` to `workspace`'s journal at sequence `expected` (the length this tab
/// last saw) and writes the workspace's record, in one readwrite transaction. Fails with
/// [`StoreError::Conflict`] when another writer got there first; nothing is written then.
pub async fn append(
    db: &IdbDatabase,
    workspace: &Workspace,
    expected: usize,
    segment: &Segment,
) -> Result<(), StoreError> {
    let tx = db::transaction(db, &[SEGMENTS, WORKSPACES], IdbTransactionMode::Readwrite)?;
    if !segment.is_empty() {
        tx.object_store(SEGMENTS)?
            .add_with_key(&segment.value, &key(&workspace.id, expected))?;
    }
    tx.object_store(WORKSPACES)?.put(&workspace.to_js()?)?;
    db::committed(&tx).await
}

/// Reads `workspace`'s whole journal in order (see [`load_from`]).
pub async fn load(db: &IdbDatabase, workspace: &str) -> Result<Loaded, StoreError> {
    load_from(db, workspace, 0).await
}

/// Reads `workspace`'s journal from sequence `from` (where one of its segments starts, or
/// its end) in order: one bulk read of the segments, each handed over as one JSON text. A
/// gap between segments, or a segment that is not an array of JSON values, ends the good
/// part; nothing is changed in the store.
pub async fn load_from(
    db: &IdbDatabase,
    workspace: &str,
    from: usize,
) -> Result<Loaded, StoreError> {
    let mut loaded = Loaded::default();
    let mut next = from;
    for (first, value) in segments(db, workspace, from).await? {
        let damage = |message: String| Damage {
            sequence: next,
            path: format!("$[{next}]"),
            message,
        };
        if first != next {
            loaded.damage = Some(damage(format!(
                "entry {next} is missing (the next one kept is {first})"
            )));
            break;
        }
        match entries_of(&value) {
            Ok(entries) => {
                next += entries.len();
                loaded.entries.extend(entries);
            }
            Err(message) => {
                loaded.damage = Some(damage(message));
                break;
            }
        }
    }
    Ok(loaded)
}

/// The entries of a stored segment, or why it is not one.
fn entries_of(segment: &JsValue) -> Result<Vec<Value>, String> {
    if !js_sys::Array::is_array(segment) {
        return Err("the stored segment is not an array of entries".into());
    }
    let text = js_sys::JSON::stringify(segment)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("the stored segment is not JSON")?;
    serde_json::from_str(&text).map_err(|e| format!("the stored segment is not JSON: {e}"))
}

/// The stored segments of `workspace`'s journal from the one starting at `from`, as they
/// are: (sequence of the first entry, array of entries) in order.
pub async fn segments(
    db: &IdbDatabase,
    workspace: &str,
    from: usize,
) -> Result<Vec<(usize, JsValue)>, StoreError> {
    let tx = db::transaction(db, &[SEGMENTS], IdbTransactionMode::Readonly)?;
    let store = tx.object_store(SEGMENTS)?;
    let range = range(workspace, from)?;
    let keys = store.get_all_keys_with_key(&range)?;
    let values = store.get_all_with_key(&range)?;
    let keys: js_sys::Array = db::finished(&keys).await?.into();
    let values: js_sys::Array = db::finished(&values).await?.into();
    Ok(keys
        .iter()
        .zip(values.iter())
        .map(|(key, value)| {
            let sequence = js_sys::Array::from(&key).get(1).as_f64().unwrap_or(-1.0);
            (sequence.max(0.0) as usize, value)
        })
        .collect())
}

/// The stored journal as JSON text, one array of every entry exactly as kept (for a bug
/// report about damage).
pub async fn raw_text(db: &IdbDatabase, workspace: &str) -> Result<String, StoreError> {
    let entries = js_sys::Array::new();
    for (_, segment) in segments(db, workspace, 0).await? {
        match segment.dyn_into::<js_sys::Array>() {
            Ok(array) => array.for_each(&mut |entry, _, _| {
                entries.push(&entry);
            }),
            Err(other) => {
                entries.push(&other);
            }
        }
    }
    let text = js_sys::JSON::stringify_with_replacer_and_space(
        &entries,
        &JsValue::NULL,
        &JsValue::from_f64(2.0),
    )?;
    Ok(text.as_string().unwrap_or_default())
}

/// Deletes `workspace`'s record and its journal, in one transaction.
pub async fn delete_workspace(db: &IdbDatabase, workspace: &str) -> Result<(), StoreError> {
    let tx = db::transaction(db, &[SEGMENTS, WORKSPACES], IdbTransactionMode::Readwrite)?;
    tx.object_store(SEGMENTS)?
        .delete(&range(workspace, 0)?.into())?;
    tx.object_store(WORKSPACES)?.delete(&workspace.into())?;
    db::committed(&tx).await
}
