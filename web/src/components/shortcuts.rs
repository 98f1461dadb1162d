//! The `?` overlay: every keyboard shortcut.

use crate::browser::keyboard::SHORTCUTS;
use crate::components::dialog::Dialog;
use yew::prelude::*;

/// A modal dialog listing the shortcuts; Esc or the close button calls `on_close`. A plain
/// function (the dialog is the component): each component type costs the wasm its own copy
/// of Yew's machinery.
pub fn shortcuts(on_close: Callback<()>) -> Html {
    html! {
        <Dialog title="Keyboard shortcuts" testid="shortcuts" {on_close}>
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
