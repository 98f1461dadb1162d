//! Share links: a scenario file deflated (pure Rust) and base64url-encoded in the URL
//! fragment, `#scenario=…`. The fragment never reaches a server; the link opens the
//! scenario read-only in the page, to be saved as a workspace.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The fragment's prefix.
pub const PREFIX: &str = "#scenario=";
/// Links longer than this (in bytes) get a warning: some chat tools and browsers cut them.
pub const WARN_BYTES: usize = 64 * 1024;
/// The largest scenario text a link may inflate to (a guard against deflate bombs).
pub const MAX_TEXT: usize = 8 * 1024 * 1024;

/// The fragment (with its `#scenario=` prefix) holding `scenario_text`.
pub fn fragment(scenario_text: &str) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(scenario_text.as_bytes(), 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// The scenario text of a fragment made by [`fragment`] (`None`: not a share link).
pub fn decode(fragment: &str) -> Option<Result<String, String>> {
    let code = fragment.strip_prefix(PREFIX)?;
    Some(decode_code(code))
}

fn decode_code(code: &str) -> Result<String, String> {
    let deflated = URL_SAFE_NO_PAD
        .decode(code.trim())
        .map_err(|e| format!("the link is damaged (base64: {e}); was it cut short?"))?;
    let bytes =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_TEXT).map_err(|e| {
            format!(
                "the link is damaged (deflate: {:?}); was it cut short?",
                e.status
            )
        })?;
    String::from_utf8(bytes).map_err(|_| "the link's scenario is not UTF-8 text".into())
}

/// The page's own address without its fragment, followed by `fragment`.
pub fn link(fragment: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let base = location
        .map(|l| {
            format!(
                "{}{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    format!("{base}{fragment}")
}

/// A warning for a link too long to share safely, if it is.
pub fn size_warning(link: &str) -> Option<String> {
    (link.len() > WARN_BYTES).then(|| {
        format!(
            "This link is {} KB; links past {} KB are cut by some chat tools and browsers. \
             Export the scenario file instead.",
            link.len().div_ceil(1024),
            WARN_BYTES / 1024
        )
    })
}

/// The scenario text in the page's current fragment, if it holds a share link.
pub fn from_location() -> Option<Result<String, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    decode(&hash)
}

/// Removes the fragment from the address bar (after the shared scenario was saved).
pub fn clear_location() {
    if let Some(window) = web_sys::window() {
        let url = link("");
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}
