//! The playground's IndexedDB database: its name, its schema version and upgrade path,
//! and requests and transactions as futures.
//!
//! Written on `web-sys` directly (a promise per request or transaction) rather than
//! through a wrapper crate: the journal's optimistic concurrency rests on exact
//! transaction semantics (an `add` of an existing key aborts the whole transaction), which
//! this keeps in plain sight, and it adds nothing to the page's size or build.

mod migrate;

use std::fmt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, IdbDatabase, IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest,
    IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent,
};

/// The database's name.
pub const NAME: &str = "decider-lab";
/// The schema version this build writes.
pub const VERSION: u32 = 4;
/// Workspace records, keyed by their `id`.
pub const WORKSPACES: &str = "workspaces";
/// Versions 1 and 2: one record per journal entry, keyed `[workspace id, sequence]`.
/// Version 3 moves its records into [`SEGMENTS`] and deletes it.
pub const JOURNAL: &str = "journal";
/// Journal segments (arrays of entries), keyed `[workspace id, sequence of the first
/// entry]`. Since version 3; since version 4 its entries are in their stored form
/// (`decider_core::boundary::stored`), version 3's are converted.
pub const SEGMENTS: &str = "segments";
/// Each segment's packed image (`{count, bin}`: the entry count and the entries'
/// `decider_core::boundary::packed` form in one ArrayBuffer), keyed as its segment: a
/// cache read first when a workspace opens, held against the segments after. Since
/// version 4 (whose first images, `{count, text}` with the JSON text's bytes, are passed
/// over and written again in the packed form when their workspace is next opened).
pub const PACKED: &str = "packed";
/// Imported scenario files (the spec suite), keyed by their `id`. Since version 2.
pub const SCENARIOS: &str = "scenarios";
/// The index of workspaces by when they were last opened. Since version 2.
pub const BY_OPENED: &str = "by_opened";

/// What went wrong with the store, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// IndexedDB is not there (private mode, an old browser, blocked storage).
    Unavailable(String),
    /// The database was written by a newer build (a higher schema version).
    NewerSchema,
    /// Another tab appended to the journal first: the expected length was stale.
    Conflict,
    /// The browser's storage quota is used up.
    Quota,
    /// Anything else the browser reported.
    Other(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(why) => write!(
                f,
                "IndexedDB is not available ({why}); this tab works, but nothing is saved"
            ),
            StoreError::NewerSchema => write!(
                f,
                "the database `{NAME}` was written by a newer Decider Lab (schema above \
                 version {VERSION}); this tab works without saving and changes nothing stored"
            ),
            StoreError::Conflict => f.write_str("another tab appended to this journal first"),
            StoreError::Quota => f.write_str(
                "the browser's storage quota is full; the newest steps are not saved \
                 (export the journal to keep them)",
            ),
            StoreError::Other(what) => write!(f, "IndexedDB: {what}"),
        }
    }
}

impl StoreError {
    /// The error a DOM exception (or anything thrown) stands for.
    fn from_js(error: JsValue) -> StoreError {
        match error.dyn_ref::<DomException>() {
            Some(e) if e.name() == "ConstraintError" => StoreError::Conflict,
            Some(e) if e.name() == "QuotaExceededError" => StoreError::Quota,
            Some(e) if e.name() == "VersionError" => StoreError::NewerSchema,
            Some(e) => StoreError::Other(format!("{}: {}", e.name(), e.message())),
            None => StoreError::Other(error.as_string().unwrap_or_else(|| format!("{error:?}"))),
        }
    }
}

impl From<JsValue> for StoreError {
    fn from(error: JsValue) -> Self {
        StoreError::from_js(error)
    }
}

/// Opens the playground's database at [`VERSION`].
pub async fn open() -> Result<IdbDatabase, StoreError> {
    open_at(NAME, VERSION).await
}

/// Opens database `name` at `version`, creating or upgrading it step by step from whatever
/// version it has. Another tab's upgrade closes this connection instead of blocking.
pub async fn open_at(name: &str, version: u32) -> Result<IdbDatabase, StoreError> {
    let factory = web_sys::window()
        .ok_or_else(|| StoreError::Unavailable("no window".into()))?
        .indexed_db()
        .map_err(|e| StoreError::Unavailable(StoreError::from_js(e).to_string()))?
        .ok_or_else(|| StoreError::Unavailable("no indexedDB in this context".into()))?;
    let request = factory.open_with_u32(name, version)?;
    let on_upgrade = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new({
        let request = request.clone();
        move |event: IdbVersionChangeEvent| {
            if let Err(e) = upgrade(&request, event.old_version() as u32, version) {
                web_sys::console::error_1(&e);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let opened = finished(&request).await;
    request.set_onupgradeneeded(None);
    drop(on_upgrade);
    let db: IdbDatabase = opened?.unchecked_into();
    let on_change = Closure::<dyn FnMut()>::new({
        let db = db.clone();
        move || db.close()
    });
    db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    // Lives as long as the connection (a handful per page).
    on_change.forget();
    Ok(db)
}

/// The upgrade path, one version at a time: 1 created the workspace and journal stores;
/// 2 added the imported scenarios and the last-opened index; 3 keeps the journal in
/// segments (the entries of version 2 are moved into them, then its store is deleted, all
/// in the upgrade's one transaction); 4 keeps the entries in their stored form (version
/// 3's segments are converted one at a time, in the upgrade's transaction; an upgrade from
/// before 3 writes them so at once) and adds their packed images' store (the images are
/// written as segments are appended, or the first time a workspace is opened).
fn upgrade(request: &IdbOpenDbRequest, old: u32, new: u32) -> Result<(), JsValue> {
    let db: IdbDatabase = request.result()?.unchecked_into();
    let upgrading = request
        .transaction()
        .ok_or_else(|| JsValue::from_str("no upgrade transaction"))?;
    if old < 1 {
        let by_id = IdbObjectStoreParameters::new();
        by_id.set_key_path(&"id".into());
        db.create_object_store_with_optional_parameters(WORKSPACES, &by_id)?;
        if new < 3 {
            db.create_object_store(JOURNAL)?;
        }
    }
    if old < 2 && new >= 2 {
        let by_id = IdbObjectStoreParameters::new();
        by_id.set_key_path(&"id".into());
        db.create_object_store_with_optional_parameters(SCENARIOS, &by_id)?;
        upgrading
            .object_store(WORKSPACES)?
            .create_index_with_str(BY_OPENED, "opened")?;
    }
    if old < 3 && new >= 3 {
        db.create_object_store(SEGMENTS)?;
        if old >= 1 {
            migrate::entries_to_segments(&db, &upgrading, new >= 4)?;
        }
    }
    if old < 4 && new >= 4 {
        db.create_object_store(PACKED)?;
    }
    if old == 3 && new >= 4 {
        migrate::segments_to_stored(&upgrading)?;
    }
    Ok(())
}

/// A transaction over `stores` in `mode`.
pub fn transaction(
    db: &IdbDatabase,
    stores: &[&str],
    mode: IdbTransactionMode,
) -> Result<IdbTransaction, StoreError> {
    let names: js_sys::Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    Ok(db.transaction_with_str_sequence_and_mode(&names, mode)?)
}

/// The result of `request` once it succeeds, or its error.
pub async fn finished(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    match outcome {
        Ok(_) => Ok(request.result()?),
        Err(_) => Err(request.error().ok().flatten().map_or_else(
            || StoreError::Other("request failed".into()),
            |e| StoreError::from_js(e.into()),
        )),
    }
}

/// Waits until `transaction` commits; an abort gives the error that caused it.
pub async fn committed(transaction: &IdbTransaction) -> Result<(), StoreError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        transaction.set_oncomplete(Some(&resolve));
        transaction.set_onabort(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    transaction.set_oncomplete(None);
    transaction.set_onabort(None);
    match outcome {
        Ok(_) => Ok(()),
        Err(_) => Err(transaction.error().map_or_else(
            || StoreError::Other("the transaction was aborted".into()),
            |e| StoreError::from_js(e.into()),
        )),
    }
}
