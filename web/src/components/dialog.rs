//! A modal dialog over the page: a title, a close button, a backdrop that closes it on
//! click. Esc closes it too (the page's shortcuts), and the page gives the close button the
//! focus when a dialog opens ([`use_focus_on_open`]).

use crate::effect::use_effect_on;
use yew::prelude::*;

/// What a [`dialog`] shows and does.
pub struct DialogProps {
    /// The heading, also the dialog's accessible name.
    pub title: &'static str,
    /// The `data-testid` of the dialog element.
    pub testid: &'static str,
    /// Closes the dialog.
    pub on_close: Callback<()>,
    /// A wider dialog (for lists and diffs).
    pub wide: bool,
    /// The close button, for [`use_focus_on_open`].
    pub close_button: NodeRef,
}

/// A modal dialog around `children`. A plain function, not a component: each component
/// type costs the wasm its own copy of Yew's machinery, and a dialog renders with the page
/// anyway (its callbacks are made at each of the page's renders).
pub fn dialog(props: DialogProps, children: Html) -> Html {
    let title_id = format!("{}-title", props.testid);
    let close = props.on_close.reform(|_: MouseEvent| ());
    let backdrop = props.on_close.reform(|_: MouseEvent| ());
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="overlay" onclick={backdrop}>
            <div class={classes!("dialog", props.wide.then_some("dialog-wide"))} role="dialog"
                aria-modal="true" aria-labelledby={title_id.clone()}
                data-testid={props.testid} onclick={stop}>
                <div class="dialog-head">
                    <h2 id={title_id}>{ props.title }</h2>
                    <button ref={props.close_button} class="tool" onclick={close} aria-label="Close">{ "×" }</button>
                </div>
                { children }
            </div>
        </div>
    }
}

/// Gives `close_button` (a [`dialog`]'s) the focus after each render where `open` changed
/// to something (a dialog opened, or another one replaced it).
#[hook]
pub fn use_focus_on_open<T: PartialEq + 'static>(open: Option<T>, close_button: NodeRef) {
    use_effect_on(open, move |open| {
        let button = close_button.cast::<web_sys::HtmlElement>();
        if let (Some(_), Some(button)) = (open, button) {
            // Focus is a convenience; a refusal changes nothing.
            let _ = button.focus();
        }
    });
}
