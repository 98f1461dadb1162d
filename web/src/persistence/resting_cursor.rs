//! A moved cursor that was not written yet when the page went away.
//!
//! The keeper writes a cursor-only change once the cursor rests (so dragging the slider
//! does not write IndexedDB on every move); an IndexedDB write started on `pagehide` does
//! not finish before a reload. So the page leaves it, synchronously, in `localStorage`:
//! the workspace, the journal length it applies to and the cursor. Opening that
//! workspace with exactly that journal takes the cursor from there (and the keeper then
//! writes it to IndexedDB); anything else is left as stored.

use serde::{Deserialize, Serialize};

/// The `localStorage` key.
const KEY: &str = "decider-lab.resting-cursor";

/// A cursor not yet written, and what it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestingCursor {
    /// The workspace's id.
    pub workspace: String,
    /// The number of journal entries the cursor was set on.
    pub journal: usize,
    /// The cursor (`None`: live).
    pub cursor: Option<u64>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Leaves `cursor` for the next load. Without `localStorage` (disabled, full) the cursor
/// is lost as before: the write started on `pagehide` may still land.
pub fn leave(cursor: &RestingCursor) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(cursor)) {
        let _ = storage.set_item(KEY, &text);
    }
}

/// Takes the cursor left for `workspace` with a journal of `journal` entries, if that is
/// what was left; whatever was left is removed.
pub fn take(workspace: &str, journal: usize) -> Option<Option<u64>> {
    let storage = storage()?;
    let text = storage.get_item(KEY).ok()??;
    let _ = storage.remove_item(KEY);
    let left: RestingCursor = serde_json::from_str(&text).ok()?;
    (left.workspace == workspace && left.journal == journal).then_some(left.cursor)
}
