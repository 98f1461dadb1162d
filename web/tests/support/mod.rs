//! What the browser tests of the store share: writing a journal as versions 1, 2 and 3
//! kept it, and changing a stored entry by hand, as a user could in DevTools.

use decider_web::persistence::{db, journal_store};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbTransactionMode};

/// `value` as a plain JS object.
pub fn js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

/// Writes `entries` at `sequences` of `workspace` as versions 1 and 2 did: one record per
/// entry in the `journal` store, keyed `[workspace, sequence]`.
#[allow(dead_code)]
pub async fn write_legacy(
    db: &IdbDatabase,
    workspace: &str,
    entries: impl IntoIterator<Item = (usize, Value)>,
) {
    let tx = db::transaction(db, &[db::JOURNAL], IdbTransactionMode::Readwrite).unwrap();
    let store = tx.object_store(db::JOURNAL).unwrap();
    for (sequence, entry) in entries {
        store
            .add_with_key(&js(&entry), &journal_store::key(workspace, sequence))
            .unwrap();
    }
    db::committed(&tx).await.unwrap();
}

/// Writes `entries` (in their JSON form) as one segment of `workspace` starting at
/// `first`, as version 3 kept them.
#[allow(dead_code)]
pub async fn write_version_3(db: &IdbDatabase, workspace: &str, first: usize, entries: &[Value]) {
    let tx = db::transaction(db, &[db::SEGMENTS], IdbTransactionMode::Readwrite).unwrap();
    tx.object_store(db::SEGMENTS)
        .unwrap()
        .add_with_key(
            &js(&Value::from(entries)),
            &journal_store::key(workspace, first),
        )
        .unwrap();
    db::committed(&tx).await.unwrap();
}

/// Replaces entry `sequence` of `workspace`'s stored journal by `entry`, in its segment.
pub async fn tamper(db: &IdbDatabase, workspace: &str, sequence: usize, entry: &Value) {
    let (first, segment) = journal_store::segments(db, workspace, 0)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .find(|(first, _)| *first <= sequence)
        .expect("a segment holds the entry");
    let array: js_sys::Array = segment.unchecked_into();
    array.set((sequence - first) as u32, js(entry));
    let tx = db::transaction(db, &[db::SEGMENTS], IdbTransactionMode::Readwrite).unwrap();
    tx.object_store(db::SEGMENTS)
        .unwrap()
        .put_with_key(&array, &journal_store::key(workspace, first))
        .unwrap();
    db::committed(&tx).await.unwrap();
}
