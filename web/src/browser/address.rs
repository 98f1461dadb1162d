//! The page's address names the workspace shown and, when it looks at the past, the
//! cursor: `#workspace=<id>&at=<position>`. A reload, or the address pasted into another
//! tab of this browser, lands on that workspace and position, even when another tab has
//! opened a different workspace since (without it, a reload opens the one opened last by
//! any tab). A share link's fragment (`#scenario=…`) is never replaced.

use web_sys::UrlSearchParams;

/// The fragment's prefix.
const PREFIX: &str = "#workspace=";

/// A place the address can name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The workspace's id (the `workspace-picker` option values).
    pub workspace: String,
    /// The time-travel cursor (`None`: live).
    pub cursor: Option<u64>,
}

impl Place {
    /// The fragment naming this place, `#` included.
    pub fn fragment(&self) -> String {
        let params = UrlSearchParams::new().expect("URLSearchParams is in every browser");
        params.append("workspace", &self.workspace);
        if let Some(cursor) = self.cursor {
            params.append("at", &cursor.to_string());
        }
        format!("#{}", String::from(params.to_string()))
    }

    /// The place `fragment` names, if it is one of [`Place::fragment`]'s (an `at` that is
    /// not a number is left out).
    pub fn parse(fragment: &str) -> Option<Place> {
        if !fragment.starts_with(PREFIX) {
            return None;
        }
        let params = UrlSearchParams::new_with_str(&fragment[1..]).ok()?;
        let workspace = params.get("workspace").filter(|id| !id.is_empty())?;
        let cursor = params.get("at").and_then(|at| at.parse().ok());
        Some(Place { workspace, cursor })
    }
}

/// The page's fragment (`""` when it has none).
fn fragment() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

/// The place the page's address names, if any.
pub fn current() -> Option<Place> {
    Place::parse(&fragment())
}

/// Shows `place` in the address (`None`: no workspace's fragment), replacing the history
/// entry rather than adding one. The address is left alone when it already says so, or
/// when it holds anything but a place (a share link, until that scenario is saved).
pub fn show(place: Option<&Place>) {
    let now = fragment();
    if !(now.is_empty() || now == "#" || now.starts_with(PREFIX)) {
        return;
    }
    let wanted = place.map(Place::fragment).unwrap_or_default();
    if now == wanted || (wanted.is_empty() && now.len() <= 1) {
        return;
    }
    if let Some(window) = web_sys::window() {
        if let Ok(history) = window.history() {
            let url = crate::share::link(&wanted);
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}
