//! A modal dialog over the page: a title, a close button, a backdrop that closes it on
//! click. Esc closes it too (the page's shortcuts), and the page gives the close button the
//! focus when a dialog opens and the focus back when it closes ([`use_focus_on_open`]).

use crate::browser::around;
use crate::browser::focus::focused;
use crate::effect::use_effect_on;
use wasm_bindgen::JsCast;
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
                data-testid={props.testid} onclick={stop} onkeydown={Callback::from(keep_tab_inside)}>
                <div class="dialog-head">
                    <h2 id={title_id}>{ props.title }</h2>
                    <button ref={props.close_button} class="tool" onclick={close} aria-label="Close">{ "×" }</button>
                </div>
                { children }
            </div>
        </div>
    }
}

/// What takes the focus by Tab inside a dialog.
const TABBABLE: &str = "button:not([disabled]), [href], input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

/// Tab and Shift+Tab go round the dialog's controls, from its last to its first and back,
/// not on to the page behind it (which the dialog covers: `aria-modal`).
fn keep_tab_inside(event: KeyboardEvent) {
    if event.key() != "Tab" {
        return;
    }
    let Some(dialog) = around(&event, "[role=dialog]") else {
        return;
    };
    let Ok(list) = dialog.query_selector_all(TABBABLE) else {
        return;
    };
    // Those drawn (not in a closed `<details>`, nor hidden): the others take no focus.
    let drawn: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|index| list.get(index)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|element| element.offset_width() > 0 || element.offset_height() > 0)
        .collect();
    let (first, last) = (drawn.first().cloned(), drawn.last().cloned());
    let now = focused();
    let (edge, other) = if event.shift_key() {
        (first, last)
    } else {
        (last, first)
    };
    // From the edge (or from outside the dialog's controls) round to the other end.
    let inside = now.as_ref().is_some_and(|now| dialog.contains(Some(now)));
    if now == edge || !inside {
        if let Some(other) = other {
            event.prevent_default();
            let _ = other.focus();
        }
    }
}

/// Gives `close_button` (a [`dialog`]'s) the focus after each render where `open` changed
/// to something (a dialog opened, or another one replaced it), and gives the focus back to
/// what had it before the dialog opened (the `?` button, a log row, a panel) once `open`
/// is `None` again: closing a dialog with Esc or its button leaves a keyboard user where
/// they were, not at the top of the page.
#[hook]
pub fn use_focus_on_open<T: PartialEq + 'static>(open: Option<T>, close_button: NodeRef) {
    let opener = use_mut_ref(|| None::<web_sys::HtmlElement>);
    use_effect_on(open, move |open| {
        let button = close_button.cast::<web_sys::HtmlElement>();
        match (open, button) {
            (Some(_), Some(button)) => {
                // The opener, kept once: a dialog that replaces another keeps the first
                // one's opener.
                if opener.borrow().is_none() {
                    *opener.borrow_mut() = focused().filter(|e| *e != button);
                }
                // Focus is a convenience; a refusal changes nothing.
                let _ = button.focus();
            }
            (None, _) => {
                let back = opener.borrow_mut().take();
                if let Some(back) = back.filter(|e| e.is_connected()) {
                    let _ = back.focus();
                }
            }
            (Some(_), None) => {}
        }
    });
}
