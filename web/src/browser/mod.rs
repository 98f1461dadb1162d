//! Browser glue: the address, the clipboard, the focus, keyboard shortcuts, layout work put off until the
//! next frame, long work in slices, `localStorage`, an element's size, and the element an event came from.

pub mod address;
pub mod clipboard;
pub mod focus;
pub mod keyboard;
pub mod next_frame;
pub mod resize;
pub mod slices;
pub mod storage;

use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

/// The element matching `selector` around `event`'s target (the target itself included):
/// the row, dialog or panel a key or a click came from. Yew listens at the page's root, so
/// the event's current target is the root, not the element.
pub fn around(event: &Event, selector: &str) -> Option<Element> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    target.closest(selector).ok().flatten()
}
