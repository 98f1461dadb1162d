//! Keyboard shortcuts: one listener on the document that turns keys into [`Shortcut`]s,
//! except while the user types in a field.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::Callback;

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    /// `?`: show or hide the shortcuts overlay.
    Help,
    /// `/`: focus the log filter.
    Filter,
    /// Space: play or pause.
    PlayPause,
    /// `.`: take one engine step.
    Step,
    /// ←: one fact back in time.
    Back,
    /// →: one fact forward in time.
    Forward,
    /// Home: the initial state.
    Start,
    /// End: back to live.
    Live,
    /// Esc: close or cancel; `dismiss` when the error banner may go too: not pressed while
    /// typing in a field (but the banner's own) nor already taken by a control (a fault's
    /// editor).
    Escape {
        /// Whether the error banner is dismissed (after the overlay, if one is open).
        dismiss: bool,
    },
    /// Ctrl+Enter (or ⌘+Enter) outside the composer: submit the composed command.
    Submit,
    /// `w`: why the selected rejection was refused (the inspector's answer), or close it.
    Why,
    /// `x`: open or close the explorer.
    Explore,
}

/// Every shortcut with its keys and what it does, for the `?` overlay.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl + Enter", "submit the composed command"),
    ("/", "focus the log filter"),
    ("Space", "play / pause (the timeline, or the real-time run)"),
    (".", "take one engine step"),
    (
        "← / →",
        "one fact back / forward in time (on a focused tab: the tab before / after)",
    ),
    ("Home", "the initial state (position 0)"),
    ("End", "back to live"),
    (
        "w",
        "why was the selected rejection refused (in the inspector; again: close it)",
    ),
    ("x", "explore the domain at random (again: close the explorer)"),
    (
        "↑ / ↓",
        "previous / next row (in the log and the flow list), command (in the examples and the history)",
    ),
    (
        "← → ↑ ↓",
        "on a focused panel edge: resize the panels (Enter: the default size)",
    ),
    (
        "Esc",
        "close this overlay, the error banner, a field's history or why a command was refused; cancel a repeat, a fork, a replay without a flow or an injection",
    ),
    ("?", "show / hide these shortcuts"),
];

/// The shortcut of `event`, unless the user is typing in a field or a focused control
/// used the key (Esc always counts, but dismisses the error banner only outside a field).
pub fn shortcut(event: &KeyboardEvent) -> Option<Shortcut> {
    if event.key() == "Escape" {
        let dismiss = !event.default_prevented()
            && (!typing(event) || inside(event, "[data-testid=error-banner]"));
        return Some(Shortcut::Escape { dismiss });
    }
    // A key a focused control already used (a tab's →, a trace node's ←, a list's Home)
    // is that control's, not the page's as well.
    if event.default_prevented() {
        return None;
    }
    if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
        // Inside the composer, the composer submits by itself.
        return (!inside(event, "[data-testid=command-json], .composer"))
            .then_some(Shortcut::Submit);
    }
    if event.ctrl_key() || event.meta_key() || event.alt_key() || typing(event) {
        return None;
    }
    Some(match event.key().as_str() {
        "?" => Shortcut::Help,
        "/" => Shortcut::Filter,
        " " => Shortcut::PlayPause,
        "." => Shortcut::Step,
        "ArrowLeft" => Shortcut::Back,
        "ArrowRight" => Shortcut::Forward,
        "Home" => Shortcut::Start,
        "End" => Shortcut::Live,
        "w" => Shortcut::Why,
        "x" => Shortcut::Explore,
        _ => return None,
    })
}

/// Whether the event comes from inside an element matching `selector`.
fn inside(event: &KeyboardEvent, selector: &str) -> bool {
    super::around(event, selector).is_some()
}

/// Whether the event comes from a field that takes text, or a control that uses the key.
fn typing(event: &KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_uppercase();
    element.is_content_editable()
        || matches!(tag.as_str(), "TEXTAREA" | "SELECT")
        || (tag == "INPUT" && element.get_attribute("type").as_deref() != Some("checkbox"))
        || (tag == "BUTTON" && event.key() == " ")
        || inside(event, "[data-keys=own]")
}

/// Listens on the document for as long as the returned listener lives.
pub fn listen(on_shortcut: Callback<Shortcut>) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    let options = EventListenerOptions::enable_prevent_default();
    Some(EventListener::new_with_options(
        &document,
        "keydown",
        options,
        move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            if let Some(shortcut) = shortcut(event) {
                if !matches!(shortcut, Shortcut::Escape { .. }) {
                    // Every other shortcut replaces the key's default action.
                    event.prevent_default();
                }
                on_shortcut.emit(shortcut);
            }
        },
    ))
}
