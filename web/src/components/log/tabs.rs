//! The log panel's head: its title and its two views, the facts (one row each) and the
//! flows (one row per user command, with what became of it).

use crate::browser::focus::element;
use crate::widgets::tabs::key_target;
use yew::prelude::*;

/// What the log panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogView {
    /// Every fact: the event log.
    #[default]
    Facts,
    /// Every flow: the flow list.
    Flows,
}

impl LogView {
    /// Both views, in the tabs' order.
    pub const ALL: [LogView; 2] = [LogView::Facts, LogView::Flows];

    /// Its tab's `data-tab`: `facts` or `flows`.
    pub fn id(self) -> &'static str {
        match self {
            LogView::Facts => "facts",
            LogView::Flows => "flows",
        }
    }

    fn title(self) -> &'static str {
        match self {
            LogView::Facts => "Facts",
            LogView::Flows => "Flows",
        }
    }
}

/// The head of the log panel, with `shown`'s tab selected; `choose` is told the view a
/// click or a key picks (the focus follows the keyboard to its tab).
pub fn log_head(shown: LogView, choose: &Callback<LogView>) -> Html {
    let at = LogView::ALL.iter().position(|&v| v == shown).unwrap_or(0);
    let onkeydown = {
        let choose = choose.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(next) = key_target(&e.key(), at, LogView::ALL.len()) else {
                return;
            };
            e.prevent_default();
            let next = LogView::ALL[next];
            choose.emit(next);
            // Focus follows the keyboard; a failed focus only leaves it where it was.
            if let Some(tab) = element(&format!("[data-testid=log-tab][data-tab={}]", next.id())) {
                let _ = tab.focus();
            }
        })
    };
    html! {
        <header class="log-head">
            <h2 class="log-title">{ "Log" }</h2>
            <div class="log-tabs" role="tablist" aria-label="Log views" {onkeydown}>
                { for LogView::ALL.iter().map(|&view| {
                    let active = view == shown;
                    html! {
                        <button type="button" role="tab" class="log-tab" data-testid="log-tab"
                            data-tab={view.id()} aria-selected={active.to_string()}
                            aria-controls={active.then(|| format!("log-view-{}", view.id()))}
                            tabindex={if active { "0" } else { "-1" }}
                            onclick={choose.reform(move |_: MouseEvent| view)}>
                            { view.title() }
                        </button>
                    }
                }) }
            </div>
        </header>
    }
}
