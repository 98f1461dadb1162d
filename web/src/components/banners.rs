//! The page-wide banners: an error anyone should see, and "viewing the past".

use crate::browser::focus::{element, focus_first, focused};
use crate::effect::use_effect_on;
use crate::session::store::SessionHandle;
use crate::session::Action;
use crate::widgets::number::thousands;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

/// What had the focus when the error banner appeared: the control that caused the error
/// (the seed, Submit, the import or the share button), which the banner's × gives the focus
/// back to.
#[derive(Clone, Default, PartialEq)]
pub struct ErrorOrigin(Rc<RefCell<Option<HtmlElement>>>);

impl ErrorOrigin {
    /// Gives the focus back to the error's origin, else (gone, disabled, or nothing had the
    /// focus: an error of the store) to the composer's command: a keyboard user goes on
    /// from where the error came, not from the top of the page.
    fn give_back(&self) {
        let origin = self.0.borrow_mut().take();
        focus_first([origin, element("[data-testid=command-picker]")]);
    }

    /// Dismisses the error of the session in `store`, if there is one (the banner's × and
    /// Esc), and gives the focus back.
    pub fn dismiss(&self, store: &SessionHandle) {
        if store.get().error().is_some() {
            self.give_back();
            store.dispatch(Action::DismissError);
        }
    }
}

/// Keeps the [`ErrorOrigin`] of the session in `store`'s error: taken when the banner
/// appears (an error that replaces another keeps the first one's), dropped when it goes.
#[hook]
pub fn use_error_origin(store: &SessionHandle) -> ErrorOrigin {
    let origin = (*use_memo((), |_| ErrorOrigin::default())).clone();
    let shown = store.get().error().is_some();
    {
        let origin = origin.clone();
        use_effect_on(shown, move |&shown| {
            let mut kept = origin.0.borrow_mut();
            if !shown {
                *kept = None;
            } else if kept.is_none() {
                *kept = focused();
            }
        });
    }
    origin
}

/// The error banner (`role=alert`) of the session in `store`, present only while there is
/// an error; its × gives the focus back to `origin`. A plain function of the page's
/// session, not a component: the page renders at every change of the session, and each
/// component type costs the wasm its own copy of Yew's machinery.
pub fn error_banner(store: &SessionHandle, origin: &ErrorOrigin) -> Html {
    let session = store.get();
    let Some(error) = session.error() else {
        return html! {};
    };
    let dismiss = {
        let (store, origin) = (store.clone(), origin.clone());
        Callback::from(move |_: MouseEvent| origin.dismiss(&store))
    };
    html! {
        <div class="banner banner-error" role="alert" data-testid="error-banner">
            <span class="banner-glyph" aria-hidden="true">{ "✘" }</span>
            <span class="banner-text">{ error }</span>
            <button class="tool" onclick={dismiss} aria-label="Dismiss the error">{ "×" }</button>
        </div>
    }
}

/// The "viewing the past" banner of the session in `store`, with its two ways out. A plain
/// function of the page's session, as [`error_banner`].
///
/// Seen only in the past, it is in the page while live too, unseen (`banner-idle`: not
/// drawn, not in the accessibility tree, its buttons out of the tab order) and without its
/// `data-testid`, its texts those of the head: entering the past then makes and lays out
/// no element, it changes the banner's class and texts as each move within the past does.
pub fn past_banner(store: &SessionHandle) -> Html {
    let session = store.get();
    let past = session.in_past();
    let cursor = session.position();
    let live = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Live))
    };
    let forking = session.forking();
    let fork = {
        let store = store.clone();
        let action = if forking.is_some() {
            Action::BranchStopped
        } else {
            Action::Fork
        };
        Callback::from(move |_: MouseEvent| store.dispatch(action.clone()))
    };
    let (fork_label, fork_title) = match forking {
        Some((done, total)) => {
            let percent = done * 100 / total.max(1);
            (
                format!("◌ forking… {percent} %"),
                format!("Making the fork: {percent} %. Click (or Esc) to stop."),
            )
        }
        None => (
            "⎇ fork from here".to_string(),
            "A what-if session whose past is this one's up to here".to_string(),
        ),
    };
    html! {
        <div class={classes!("banner", "banner-past", (!past).then_some("banner-idle"))}
            role="status" data-testid={past.then_some("past-banner")}>
            <span class="banner-glyph" aria-hidden="true">{ "⚠" }</span>
            <span class="banner-text">
                { "Viewing the past: " }
                if cursor == 0 {
                    { "the initial state" }
                } else {
                    { "the state after fact " }
                    <strong class="mono">{ format!("#{}", cursor - 1) }</strong>
                }
                { format!(
                    " (position {} of {}). The composer is locked.",
                    thousands(cursor),
                    thousands(session.head()),
                ) }
            </span>
            <button class="tool primary" data-testid="live-button" onclick={live}
                title="Back to the live head (End)">{ "⇥ back to live" }</button>
            <button class="tool banner-fork" data-testid="fork-button" onclick={fork} title={fork_title}
                aria-busy={forking.is_some().to_string()}>{ fork_label }</button>
        </div>
    }
}
