//! This browser's `localStorage`: what belongs to the browser rather than to a workspace
//! (panel sizes, the trace's fit), and what a page leaves for its next load. Without it
//! (disabled, or full) a read finds nothing and a write is lost: only that setting is,
//! for the next load.

/// The text kept under `key`, if any.
pub fn read(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

/// Keeps `value` under `key`.
pub fn write(key: &str, value: &str) {
    if let Some(storage) = local() {
        let _ = storage.set_item(key, value);
    }
}

/// Forgets what is kept under `key`.
pub fn remove(key: &str) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
