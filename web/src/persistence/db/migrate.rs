//! The journal's upgrades: version 3's (the one-record-per-entry store of versions 1 and 2
//! becomes sealed segments) and version 4's (segments keep their entries in the stored
//! form).

use super::{JOURNAL, SEGMENTS};
use crate::persistence::journal_store::{self, SEGMENT};
use decider_core::boundary::stored;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{IdbCursorWithValue, IdbDatabase, IdbTransaction};

/// Reads every entry of the old journal store within the upgrade's transaction, adds them
/// to [`SEGMENTS`] as runs of consecutive entries of one workspace (at most [`SEGMENT`]
/// each, so a gap stays a gap; in the stored form when `store_compact`), then deletes the
/// old store. Anything failing aborts the upgrade, which leaves the database as it was.
pub fn entries_to_segments(
    db: &IdbDatabase,
    upgrading: &IdbTransaction,
    store_compact: bool,
) -> Result<(), JsValue> {
    let old = upgrading.object_store(JOURNAL)?;
    let keys = old.get_all_keys()?;
    let values = old.get_all()?;
    let on_read = Closure::once_into_js({
        let (db, upgrading, keys, read) = (db.clone(), upgrading.clone(), keys, values.clone());
        move || {
            let moved = keys.result().and_then(|keys| {
                let keys: js_sys::Array = keys.unchecked_into();
                let values: js_sys::Array = read.result()?.unchecked_into();
                write_segments(&upgrading, &keys, &values, store_compact)?;
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

/// Adds the entries (`keys[i]` = `[workspace, sequence]`, in key order) as segments (in
/// the stored form when `store_compact`).
fn write_segments(
    upgrading: &IdbTransaction,
    keys: &js_sys::Array,
    values: &js_sys::Array,
    store_compact: bool,
) -> Result<(), JsValue> {
    let segments = upgrading.object_store(SEGMENTS)?;
    let mut run: Option<(String, usize, js_sys::Array)> = None;
    let flush = |run: Option<(String, usize, js_sys::Array)>| match run {
        Some((workspace, first, entries)) => {
            let entries = match store_compact {
                true => compacted(&entries).unwrap_or_else(|| entries.into()),
                false => entries.into(),
            };
            segments
                .add_with_key(&entries, &journal_store::key(&workspace, first))
                .map(drop)
        }
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

/// Rewrites every segment's entries in their stored form, one record at a time (a cursor
/// over the store, within the upgrade's transaction). A record that is not an array of
/// entries stays as it is; anything failing aborts the upgrade, which leaves the database
/// as it was.
pub fn segments_to_stored(upgrading: &IdbTransaction) -> Result<(), JsValue> {
    let request = upgrading.object_store(SEGMENTS)?.open_cursor()?;
    let on_record = Closure::<dyn FnMut()>::new({
        let (request, upgrading) = (request.clone(), upgrading.clone());
        move || {
            let converted = request.result().and_then(|cursor| {
                let Some(cursor) = cursor.dyn_ref::<IdbCursorWithValue>() else {
                    return Ok(()); // The end of the store.
                };
                if let Some(entries) = compacted(&cursor.value()?) {
                    cursor.update(&entries)?;
                }
                cursor.continue_()
            });
            if let Err(e) = converted {
                web_sys::console::error_2(&"the journal's upgrade failed:".into(), &e);
                let _ = upgrading.abort();
            }
        }
    });
    request.set_onsuccess(Some(on_record.as_ref().unchecked_ref()));
    // Called once per record until the cursor ends; an upgrade happens once per database.
    on_record.forget();
    Ok(())
}

/// `entries` (an array of entries in the JSON or the stored form) in the stored form, or
/// `None` when it is not an array of JSON values.
fn compacted(entries: &JsValue) -> Option<JsValue> {
    if !js_sys::Array::is_array(entries) {
        return None;
    }
    let text = js_sys::JSON::stringify(entries).ok()?.as_string()?;
    js_sys::JSON::parse(&stored::compact(&text).ok()?).ok()
}
