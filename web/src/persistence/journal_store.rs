//! The journal in IndexedDB: one record per engine journal entry, keyed
//! `[workspace id, sequence]`, stored as a plain JS object (readable in DevTools).
//!
//! Appends are conditional on the length the tab last saw, like an event store's expected
//! version: each entry is *added* (never put), so a second writer's add of a sequence that
//! exists fails, and with it the whole transaction.

use super::db::{self, StoreError, JOURNAL, WORKSPACES};
use super::workspaces::Workspace;
use decider_core::DynDomain;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbKeyRange, IdbTransactionMode};

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

/// `loaded` cut before its first entry that does not fold on `domain` (seeded `seed`),
/// with that entry's sequence, JSON path and message; unchanged when every entry folds.
pub fn fold(domain: &dyn DynDomain, seed: u64, loaded: Loaded) -> Loaded {
    let Loaded {
        mut entries,
        damage,
    } = loaded;
    match domain.rebuild(crate::session::config(seed), &entries) {
        Ok(_) => Loaded { entries, damage },
        Err(e) => {
            let sequence = sequence_of(&e.path).unwrap_or(0);
            entries.truncate(sequence);
            Loaded {
                entries,
                damage: Some(Damage {
                    sequence,
                    path: e.path,
                    message: e.message,
                }),
            }
        }
    }
}

/// The journal index at the start of a `$[i]…` path.
fn sequence_of(path: &str) -> Option<usize> {
    path.strip_prefix("$[")?.split(']').next()?.parse().ok()
}

/// A journal entry as the JS object stored for it.
pub fn to_js(entry: &Value) -> Result<JsValue, StoreError> {
    entry
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| StoreError::Other(format!("an entry does not convert: {e}")))
}

/// The store key of entry `sequence` of `workspace`.
pub fn key(workspace: &str, sequence: usize) -> JsValue {
    js_sys::Array::of2(&workspace.into(), &(sequence as f64).into()).into()
}

/// Every key of `workspace`'s journal.
fn range(workspace: &str) -> Result<IdbKeyRange, StoreError> {
    let upper = js_sys::Array::of2(&workspace.into(), &f64::INFINITY.into());
    Ok(IdbKeyRange::bound(&key(workspace, 0), &upper)?)
}

/// Appends `entries` to `workspace`'s journal at sequence `expected` (the length this tab
/// last saw) and writes the workspace's record, all in one readwrite transaction. Fails
/// with [`StoreError::Conflict`] when another writer got there first; nothing is written
/// then.
pub async fn append(
    db: &IdbDatabase,
    workspace: &Workspace,
    expected: usize,
    entries: &[Value],
) -> Result<(), StoreError> {
    let values = entries.iter().map(to_js).collect::<Result<Vec<_>, _>>()?;
    let tx = db::transaction(db, &[JOURNAL, WORKSPACES], IdbTransactionMode::Readwrite)?;
    let journal = tx.object_store(JOURNAL)?;
    for (i, value) in values.iter().enumerate() {
        journal.add_with_key(value, &key(&workspace.id, expected + i))?;
    }
    tx.object_store(WORKSPACES)?.put(&workspace.to_js()?)?;
    db::committed(&tx).await
}

/// Reads `workspace`'s journal in order. An entry that is not a JSON value, or a gap in
/// the sequence, ends the good part; nothing is changed in the store.
pub async fn load(db: &IdbDatabase, workspace: &str) -> Result<Loaded, StoreError> {
    let raw = load_raw(db, workspace).await?;
    let mut loaded = Loaded::default();
    for (sequence, (found, value)) in raw.into_iter().enumerate() {
        if found != sequence {
            loaded.damage = Some(Damage {
                sequence,
                path: format!("$[{sequence}]"),
                message: format!("entry {sequence} is missing (the next one is {found})"),
            });
            break;
        }
        match serde_wasm_bindgen::from_value::<Value>(value) {
            Ok(entry) => loaded.entries.push(entry),
            Err(e) => {
                loaded.damage = Some(Damage {
                    sequence,
                    path: format!("$[{sequence}]"),
                    message: format!("not a JSON value: {e}"),
                });
                break;
            }
        }
    }
    Ok(loaded)
}

/// The stored records of `workspace`'s journal as they are: (sequence, value) in order.
pub async fn load_raw(
    db: &IdbDatabase,
    workspace: &str,
) -> Result<Vec<(usize, JsValue)>, StoreError> {
    let tx = db::transaction(db, &[JOURNAL], IdbTransactionMode::Readonly)?;
    let journal = tx.object_store(JOURNAL)?;
    let range = range(workspace)?;
    let keys = journal.get_all_keys_with_key(&range)?;
    let values = journal.get_all_with_key(&range)?;
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

/// The stored journal as JSON text, exactly as kept (for a bug report about damage).
pub async fn raw_text(db: &IdbDatabase, workspace: &str) -> Result<String, StoreError> {
    let values: js_sys::Array = load_raw(db, workspace)
        .await?
        .into_iter()
        .map(|(_, value)| value)
        .collect();
    let text = js_sys::JSON::stringify_with_replacer_and_space(
        &values,
        &JsValue::NULL,
        &JsValue::from_f64(2.0),
    )?;
    Ok(text.as_string().unwrap_or_default())
}

/// Deletes `workspace`'s record and its journal, in one transaction.
pub async fn delete_workspace(db: &IdbDatabase, workspace: &str) -> Result<(), StoreError> {
    let tx = db::transaction(db, &[JOURNAL, WORKSPACES], IdbTransactionMode::Readwrite)?;
    tx.object_store(JOURNAL)?
        .delete(&range(workspace)?.into())?;
    tx.object_store(WORKSPACES)?.delete(&workspace.into())?;
    db::committed(&tx).await
}
