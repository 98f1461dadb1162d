//! The `?` overlay: every keyboard shortcut.

use crate::browser::keyboard::SHORTCUTS;
use crate::components::dialog::Dialog;
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
    html! {
        <Dialog title="Keyboard shortcuts" testid="shortcuts" on_close={props.on_close.clone()}>
            <p class="muted">{ "None of them fires while you type in a field (except Ctrl+Enter and Esc)." }</p>
            <table class="shortcut-table">
                <tbody>
                    { for SHORTCUTS.iter().map(|(keys, what)| html! {
                        <tr><td><kbd>{ *keys }</kbd></td><td>{ *what }</td></tr>
                    }) }
                </tbody>
            </table>
        </Dialog>
    }
}
