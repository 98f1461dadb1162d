//! The `?` overlay: every keyboard shortcut.

use crate::browser::keyboard::SHORTCUTS;
use crate::components::dialog::{dialog, DialogProps};
use yew::prelude::*;

/// A modal dialog listing the shortcuts; Esc or the close button (`close_button`) calls
/// `on_close`. A plain function: each component type costs the wasm its own copy of Yew's
/// machinery.
pub fn shortcuts(on_close: Callback<()>, close_button: NodeRef) -> Html {
    let props = DialogProps {
        title: "Keyboard shortcuts",
        testid: "shortcuts",
        on_close,
        wide: false,
        close_button,
    };
    dialog(
        props,
        html! {
            <>
                <p class="muted">{ "None of them fires while you type in a field (except Ctrl+Enter and Esc)." }</p>
                <table class="shortcut-table">
                    <tbody>
                        { for SHORTCUTS.iter().map(|(keys, what)| html! {
                            <tr><td><kbd>{ *keys }</kbd></td><td>{ *what }</td></tr>
                        }) }
                    </tbody>
                </table>
            </>
        },
    )
}
