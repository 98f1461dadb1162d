//! The `?` overlay: every keyboard shortcut.

use crate::browser::keyboard::SHORTCUTS;
use yew::prelude::*;

/// Props of the [`Shortcuts`] overlay.
#[derive(Properties, PartialEq)]
pub struct ShortcutsProps {
    /// Closes the overlay.
    pub on_close: Callback<()>,
}

/// A modal dialog listing the shortcuts; Esc or the close button closes it.
#[function_component]
pub fn Shortcuts(props: &ShortcutsProps) -> Html {
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    let backdrop = props.on_close.reform(|_: MouseEvent| ());
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="overlay" onclick={backdrop}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title"
                data-testid="shortcuts" onclick={stop}>
                <div class="dialog-head">
                    <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
                    <button ref={close_button} class="tool" onclick={close} aria-label="Close">{ "×" }</button>
                </div>
                <p class="muted">{ "None of them fires while you type in a field (except Ctrl+Enter in the composer and Esc)." }</p>
                <table class="shortcut-table">
                    <tbody>
                        { for SHORTCUTS.iter().map(|(keys, what)| html! {
                            <tr><td><kbd>{ *keys }</kbd></td><td>{ *what }</td></tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}
