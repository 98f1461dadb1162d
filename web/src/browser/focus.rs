//! The keyboard focus: what has it, and giving it to the first of several elements that
//! takes it.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// The element that has the focus, if not the page's body.
pub fn focused() -> Option<HtmlElement> {
    let document = web_sys::window()?.document()?;
    let active = document.active_element()?;
    if document.body().is_some_and(|body| *body == active) {
        return None;
    }
    active.dyn_into().ok()
}

/// Focuses the first of `candidates` that is still in the page and takes the focus (a
/// disabled control does not); when none does, the focus stays where it was.
pub fn focus_first(candidates: impl IntoIterator<Item = Option<HtmlElement>>) {
    for element in candidates.into_iter().flatten() {
        // A refusal leaves the focus where it was: the next candidate is tried.
        if element.is_connected()
            && element.focus().is_ok()
            && focused().is_some_and(|now| now == element)
        {
            return;
        }
    }
}

/// The element matching `selector`, if it is an HTML element in the page.
pub fn element(selector: &str) -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .query_selector(selector)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}
