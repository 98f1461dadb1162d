//! A button that copies text to the clipboard and says, for a moment, what happened.

use crate::browser::clipboard;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// How long the button says what happened, in milliseconds.
const FEEDBACK_MS: u32 = 1500;

/// Properties of [`CopyButton`].
#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// The text to copy, asked for when the button is pressed (so that text costly to
    /// write is written only then).
    pub text: Callback<(), String>,
    /// What is copied, for the button's label: "Copy {what}".
    pub what: AttrValue,
    /// The button's word until it is pressed, e.g. `copy`.
    pub idle: AttrValue,
    /// What to tell the user when the browser refuses the clipboard (the page stays as it
    /// was: the text is still where it came from).
    pub refused_hint: AttrValue,
    /// Called with the text when the browser refuses the clipboard (to offer it another
    /// way: a download); `None` to leave it to the user.
    #[prop_or_default]
    pub on_refused: Option<Callback<String>>,
    /// The button's class.
    pub class: Classes,
    /// Its `data-testid`.
    pub testid: AttrValue,
}

/// What the last press did.
#[derive(Clone, Copy, PartialEq)]
enum Copy {
    Idle,
    Done,
    Refused,
}

/// The button: its idle word, `✔ copied` or `✘ refused` for a moment after a press (and
/// said to a screen reader).
#[function_component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let status = use_state(|| Copy::Idle);
    let onclick = {
        let (text, on_refused, status) =
            (props.text.clone(), props.on_refused.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let text = text.emit(());
            let (on_refused, status) = (on_refused.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let copied = clipboard::write_text(&text).await;
                if !copied {
                    if let Some(on_refused) = &on_refused {
                        on_refused.emit(text);
                    }
                }
                status.set(if copied { Copy::Done } else { Copy::Refused });
                Timeout::new(FEEDBACK_MS, move || status.set(Copy::Idle)).forget();
            });
        })
    };
    let label = format!("Copy {}", props.what);
    let (word, title, said) = match *status {
        Copy::Idle => (props.idle.to_string(), label.clone(), String::new()),
        Copy::Done => (
            "✔ copied".into(),
            "Copied".into(),
            format!("Copied {}", props.what),
        ),
        Copy::Refused => (
            "✘ refused".into(),
            props.refused_hint.to_string(),
            props.refused_hint.to_string(),
        ),
    };
    // The button's label stays what it does; what a press did is said in a status beside it.
    html! {
        <>
            <button type="button" class={props.class.clone()} data-testid={props.testid.clone()}
                    aria-label={label} title={title} {onclick}>
                <span aria-hidden="true">{ word }</span>
            </button>
            <span class="visually-hidden" role="status">{ said }</span>
        </>
    }
}
