//! An id as the inspector shows it: monospace, shortened in the middle when space is
//! short (the whole id stays in the text and in the `title`), with a copy button.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// How many trailing characters stay visible when an id is shortened.
const TAIL: usize = 6;

/// How long the copy button says what happened, in milliseconds.
const FEEDBACK_MS: u32 = 1500;

/// Properties of [`IdChip`].
#[derive(Properties, PartialEq)]
pub struct IdChipProps {
    /// The full id.
    pub id: AttrValue,
    /// What the id is, for the copy button's label (e.g. "correlation id").
    pub label: AttrValue,
}

/// What the last copy did.
#[derive(Clone, Copy, PartialEq)]
enum Copy {
    Idle,
    Done,
    Failed,
}

/// An id, shortened in the middle by CSS when it does not fit, with a copy button.
#[function_component]
pub fn IdChip(props: &IdChipProps) -> Html {
    let status = use_state(|| Copy::Idle);
    let split = props
        .id
        .char_indices()
        .rev()
        .nth(TAIL - 1)
        .map_or(0, |(i, _)| i);
    let (head, tail) = props.id.split_at(split);
    let onclick = {
        let id = props.id.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let id = id.clone();
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let copied = copy_text(&id).await;
                status.set(if copied { Copy::Done } else { Copy::Failed });
                Timeout::new(FEEDBACK_MS, move || status.set(Copy::Idle)).forget();
            });
        })
    };
    let (text, title) = match *status {
        Copy::Idle => ("copy", format!("Copy {}", props.label)),
        Copy::Done => ("✓ copied", "Copied".to_string()),
        Copy::Failed => (
            "✘ failed",
            "The browser refused: select the id and copy it".to_string(),
        ),
    };
    html! {
        <span class="inspector-id">
            <span class="inspector-id-text mono" title={props.id.clone()}>
                <span class="inspector-id-head">{ head }</span>
                <span class="inspector-id-tail">{ tail }</span>
            </span>
            <button type="button" class="inspector-copy" data-testid="copy-id"
                    aria-label={format!("Copy {}", props.label)} title={title} {onclick}>
                <span aria-hidden="true">{ text }</span>
            </button>
        </span>
    }
}

/// Writes `text` to the clipboard; `false` when the page may not (no clipboard in an
/// insecure context, or permission refused).
async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok();
    let Some(clipboard) = clipboard.and_then(|c| c.dyn_into::<web_sys::Clipboard>().ok()) else {
        return false;
    };
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
