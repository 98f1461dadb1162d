//! Share links: a scenario file deflated (raw deflate, by the browser's compression
//! streams: `share.js`) and base64url-encoded in the URL fragment, `#scenario=…`. The
//! fragment never reaches a server; the link opens the scenario read-only in the page, to
//! be saved as a workspace.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/share.js")]
extern "C" {
    /// A promise of `bytes` raw-deflated, as a `Uint8Array`.
    fn deflate(bytes: &[u8]) -> Promise;

    /// A promise of what raw-deflated `bytes` inflate to, as a `Uint8Array`; rejected with
    /// the reason as text when they do not inflate, or inflate past `limit` bytes.
    fn inflate(bytes: &[u8], limit: f64) -> Promise;
}

/// The bytes a promise of a `Uint8Array` comes to, or the text it is rejected with.
async fn bytes_of(promise: Promise) -> Result<Vec<u8>, String> {
    match JsFuture::from(promise).await {
        Ok(bytes) => Ok(Uint8Array::new(&bytes).to_vec()),
        Err(reason) => Err(reason.as_string().unwrap_or_default()),
    }
}

/// The fragment's prefix.
pub const PREFIX: &str = "#scenario=";
/// Links longer than this (in bytes) get a warning: some chat tools and browsers cut them.
pub const WARN_BYTES: usize = 64 * 1024;
/// The largest scenario text a link may inflate to (a guard against deflate bombs).
pub const MAX_TEXT: usize = 8 * 1024 * 1024;

/// The fragment (with its `#scenario=` prefix) holding `scenario_text`; an error when
/// the browser does not deflate it (one without compression streams).
pub async fn fragment(scenario_text: &str) -> Result<String, String> {
    let deflated = bytes_of(deflate(scenario_text.as_bytes()))
        .await
        .map_err(|e| format!("the browser does not deflate the scenario ({e})"))?;
    Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated)))
}

/// The scenario text of a fragment made by [`fragment`] (`None`: not a share link).
pub async fn decode(fragment: &str) -> Option<Result<String, String>> {
    let code = fragment.strip_prefix(PREFIX)?;
    Some(decode_code(code).await)
}

async fn decode_code(code: &str) -> Result<String, String> {
    let deflated = URL_SAFE_NO_PAD
        .decode(code.trim())
        .map_err(|e| format!("the link is damaged: it is not base64 ({e}); was it cut short?"))?;
    let bytes = bytes_of(inflate(&deflated, MAX_TEXT as f64))
        .await
        .map_err(|e| {
            let reason = e.trim_end_matches('.');
            format!(
                "the link is damaged: its scenario does not inflate ({reason}); was it cut short?"
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
pub async fn from_location() -> Option<Result<String, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    decode(&hash).await
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
