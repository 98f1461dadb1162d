//! What the page leaves for the next load: the settings IndexedDB may not hold yet when
//! the page goes away.
//!
//! Two settings reach IndexedDB after they change. A cursor-only change is written once
//! the cursor rests (so dragging the slider does not write on every move). A Repeat ×N
//! that ended (done or cancelled) is written with the next transaction, which may still
//! wait behind the one under way, so the stored record can still say the repeat runs
//! with its whole count. An IndexedDB write started on `pagehide` does not finish before
//! a reload, so the page leaves both, synchronously, in `localStorage`. Opening that
//! workspace takes them from there: the cursor if the journal is exactly the one it was
//! set on, the repeat's cut count if the stored record still runs that very repeat;
//! anything else is left as stored.

use super::workspaces::Settings;
use crate::browser::storage;
use crate::session::RepeatJob;
use serde::{Deserialize, Serialize};

/// The `localStorage` key.
const KEY: &str = "decider-lab.left-behind";

/// A cursor not yet written, and the journal it was set on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestingCursor {
    /// The number of journal entries the cursor was set on.
    pub journal: usize,
    /// The cursor (`None`: live).
    pub cursor: Option<u64>,
}

/// What a workspace's stored record may lack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftBehind {
    /// The workspace's id.
    pub workspace: String,
    /// A moved cursor not yet written.
    pub cursor: Option<RestingCursor>,
    /// A Repeat ×N that ended, its total cut to what it submitted.
    pub ended_repeat: Option<RepeatJob>,
}

impl LeftBehind {
    /// Puts what was left into `settings`, read from the store with a journal of
    /// `journal` entries.
    fn apply(self, journal: usize, settings: &mut Settings) {
        if let Some(left) = self.cursor.filter(|c| c.journal == journal) {
            settings.cursor = left.cursor;
        }
        if let (Some(ended), Some(running)) = (self.ended_repeat, &mut settings.repeat) {
            if ended.start == running.start && ended.command == running.command {
                running.total = running.total.min(ended.total);
            }
        }
    }
}

/// Leaves `left` for the next load, as JSON made the way the workspace record is. Without
/// `localStorage` (disabled, full) it is lost as before: the write started on `pagehide`
/// may still land.
pub fn leave(left: &LeftBehind) {
    let value = left.serialize(&serde_wasm_bindgen::Serializer::json_compatible());
    let text = value.ok().and_then(|v| js_sys::JSON::stringify(&v).ok());
    if let Some(text) = text.and_then(|t| t.as_string()) {
        storage::write(KEY, &text);
    }
}

/// Puts into `settings` (workspace `workspace`'s, read with a journal of `journal`
/// entries) what was left for it; whatever was left is removed.
pub fn take(workspace: &str, journal: usize, settings: &mut Settings) {
    let Some(text) = storage::read(KEY) else {
        return;
    };
    storage::remove(KEY);
    let value = js_sys::JSON::parse(&text).ok();
    if let Some(left) = value.and_then(|v| serde_wasm_bindgen::from_value::<LeftBehind>(v).ok()) {
        if left.workspace == workspace {
            left.apply(journal, settings);
        }
    }
}
