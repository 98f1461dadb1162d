//! Version 3's upgrade of the journal: the one-record-per-entry store of versions 1 and 2
//! becomes sealed segments.

use super::{JOURNAL, SEGMENTS};
use crate::persistence::journal_store::{self, SEGMENT};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{IdbDatabase, IdbTransaction};

/// Reads every entry of the old journal store within the upgrade's transaction, adds them
/// to [`SEGMENTS`] as runs of consecutive entries of one workspace (at most [`SEGMENT`]
/// each, so a gap stays a gap), then deletes the old store. Anything failing aborts the
/// upgrade, which leaves the database as it was.
pub fn entries_to_segments(db: &IdbDatabase, upgrading: &IdbTransaction) -> Result<(), JsValue> {
    let old = upgrading.object_store(JOURNAL)?;
    let keys = old.get_all_keys()?;
    let values = old.get_all()?;
    let on_read = Closure::once_into_js({
        let (db, upgrading, keys, read) = (db.clone(), upgrading.clone(), keys, values.clone());
        move || {
            let moved = keys.result().and_then(|keys| {
                let keys: js_sys::Array = keys.unchecked_into();
                let values: js_sys::Array = read.result()?.unchecked_into();
                write_segments(&upgrading, &keys, &values)?;
                db.delete_object_store(JOURNAL)
            });
            if let Err(e) = moved {
                web_sys::console::error_2(&"the journal's upgrade failed:".into(), &e);
                // Aborting keeps the old version and every record.
                let _ = upgrading.abort();
            }
        }
    });
    values.set_onsuccess(Some(on_read.unchecked_ref()));
    Ok(())
}

/// Adds the entries (`keys[i]` = `[workspace, sequence]`, in key order) as segments.
fn write_segments(
    upgrading: &IdbTransaction,
    keys: &js_sys::Array,
    values: &js_sys::Array,
) -> Result<(), JsValue> {
    let segments = upgrading.object_store(SEGMENTS)?;
    let mut run: Option<(String, usize, js_sys::Array)> = None;
    let flush = |run: Option<(String, usize, js_sys::Array)>| match run {
        Some((workspace, first, entries)) => segments
            .add_with_key(&entries, &journal_store::key(&workspace, first))
            .map(drop),
        None => Ok(()),
    };
    for (key, value) in keys.iter().zip(values.iter()) {
        let key = js_sys::Array::from(&key);
        let workspace = key.get(0).as_string().unwrap_or_default();
        let sequence = key.get(1).as_f64().unwrap_or(0.0).max(0.0) as usize;
        let continues = run.as_ref().is_some_and(|(w, first, entries)| {
            *w == workspace
                && first + entries.length() as usize == sequence
                && (entries.length() as usize) < SEGMENT
        });
        if !continues {
            flush(run.take())?;
            run = Some((workspace, sequence, js_sys::Array::new()));
        }
        if let Some((_, _, entries)) = &run {
            entries.push(&value);
        }
    }
    flush(run)
}
