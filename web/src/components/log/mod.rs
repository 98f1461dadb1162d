//! The event log: one row per fact (events and rejections alike), virtualized so that it
//! stays smooth at a million facts. Rows are read by range through `fetch`, only for the
//! window in view, and cached until the window or the log's `version` changes.
//!
//! Keyboard, while the log has focus: ↑/↓ (and Page Up/Down) move the selection, Home/End
//! jump to the first/last fact and select it, Enter selects the first row in view when
//! nothing is selected (and selects the selected row again otherwise, to show it elsewhere).
//! `/` is the page's shortcut to the text filter (`focus_filter`).

pub mod filter;
pub mod row;
pub mod tabs;

use crate::examples::ExampleFlow;
use crate::widgets::number::thousands;
use crate::widgets::virtual_list::{clicked_row, Viewport, VirtualList, Window};
use decider_core::boundary::rows::{FactRow, LogFilter};
use decider_core::ids::Id;
use filter::FilterBar;
use row::{render_header, render_row, row_id, RowState};
use std::ops::Range;
use std::rc::Rc;
use yew::prelude::*;

/// Rows fetched beyond the rendered window on each side, so that scrolling a little does
/// not fetch again (a far jump fetches them for nothing: the margin stays small).
const FETCH_MARGIN: usize = 12;

/// What the log shows; the session implements `fetch` over the engine
/// (`DynEngine::rows` / `DynEngine::matching`).
#[derive(Properties, PartialEq)]
pub struct LogProps {
    /// Number of rows that pass the filter.
    pub len: usize,
    /// Fetches rows by index in the filtered list: `fetch.emit((from, to))` returns the rows
    /// `from..to` (to exclusive, clamped).
    pub fetch: Callback<(usize, usize), Vec<FactRow>>,
    /// Changes whenever the log's content changes (new facts, new filter): refetch then.
    pub version: u64,
    /// The time-travel cursor (`None`: live); rows at positions >= cursor are dimmed.
    pub cursor: Option<u64>,
    /// The selected fact's position.
    pub selected: Option<u64>,
    /// The selected flow (correlation id), to mark its rows.
    pub flow: Option<Id>,
    /// Follow the tail (live mode).
    pub follow: bool,
    /// The index (in the filtered list) to scroll into view when it changes, e.g. when the
    /// selection is changed from elsewhere (trace, timeline): `Some((index, nonce))`.
    pub reveal: Option<(usize, u64)>,
    /// The filter in force.
    pub filter: LogFilter,
    /// Told the new filter when the user changes it.
    pub on_filter: Callback<LogFilter>,
    /// Origins to offer in the origin select.
    pub origins: Rc<Vec<String>>,
    /// Streams to suggest in the stream filter (optional: the stream can also be typed).
    #[prop_or_default]
    pub streams: Rc<Vec<String>>,
    /// Told the row the user selects (click, keyboard).
    pub on_select: Callback<FactRow>,
    /// Total facts (head), for "N of M".
    pub head: u64,
    /// Incremented when the user presses `/`: focus the text filter.
    pub focus_filter: u64,
    /// Facts committed to the browser's store (`None`: nothing is kept): rows at or past
    /// it are drawn pending, as not yet done.
    #[prop_or_default]
    pub committed: Option<u64>,
    /// The domain's example flows, offered while the log is empty.
    #[prop_or_default]
    pub example_flows: Rc<Vec<ExampleFlow>>,
    /// Opens the example flow at a path as a new workspace.
    #[prop_or_default]
    pub on_example_flow: Callback<&'static str>,
}

/// The rows last fetched: `rows` are the filtered rows `from..from + rows.len()` of
/// `version`.
#[derive(Default)]
struct RowCache {
    version: Option<u64>,
    from: usize,
    rows: Rc<Vec<FactRow>>,
}

impl RowCache {
    /// The rows covering `range` (fetched with a margin when the cache does not cover it),
    /// and the index of the first returned row.
    fn window(
        &mut self,
        fetch: &Callback<(usize, usize), Vec<FactRow>>,
        version: u64,
        len: usize,
        range: Range<usize>,
    ) -> (usize, Rc<Vec<FactRow>>) {
        let covered = self.version == Some(version)
            && range.start >= self.from
            && range.end <= self.from + self.rows.len();
        if !covered {
            let from = range.start.saturating_sub(FETCH_MARGIN);
            let to = (range.end + FETCH_MARGIN).min(len);
            self.rows = Rc::new(fetch.emit((from, to)));
            self.from = from;
            self.version = Some(version);
        }
        (self.from, self.rows.clone())
    }

    /// The row at `index` of `version`, if it is cached.
    fn row(&self, version: u64, index: usize) -> Option<FactRow> {
        let cached = self.rows.get(index.checked_sub(self.from)?)?;
        (self.version == Some(version)).then(|| cached.clone())
    }
}

/// The selected row's index, as last seen in the rendered window or chosen here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct KnownIndex {
    position: u64,
    index: usize,
    version: u64,
}

/// The row the log last asked its list to scroll into view.
struct Reveal {
    /// The outside's last request (`LogProps::reveal`).
    outside: Option<(usize, u64)>,
    /// What the list is given: an index and a nonce that changes with every request.
    shown: Option<(usize, u64)>,
    nonce: u64,
}

impl Reveal {
    /// Takes up the outside's request if it changed.
    fn follow(&mut self, outside: Option<(usize, u64)>) {
        if outside != self.outside {
            self.outside = outside;
            if let Some((index, _)) = outside {
                self.show(index);
            }
        }
    }

    /// Asks for `index` to be scrolled into view.
    fn show(&mut self, index: usize) {
        self.nonce = self.nonce.wrapping_add(1);
        self.shown = Some((index, self.nonce));
    }
}

/// The event log panel; see the module documentation.
#[function_component]
pub fn Log(props: &LogProps) -> Html {
    let scroller = use_node_ref();
    let cache = use_mut_ref(RowCache::default);
    let known = use_mut_ref(|| None::<KnownIndex>);
    // Read by the keyboard and for the active row; kept out of state so that scrolling
    // re-renders only the list, not the whole panel.
    let viewport = use_mut_ref(Viewport::default);
    // The length of the list when the user scrolled away from the end (for "↓ N new").
    let left_at = use_state_eq(|| None::<usize>);
    // The row the list scrolls into view: the latest of the outside's reveals (a change of
    // `props.reveal`, taken in this render, not in an effect that would render again) and
    // the log's own (keyboard, pill), each with a fresh nonce.
    let reveal = use_mut_ref(|| Reveal {
        outside: props.reveal,
        shown: props.reveal,
        nonce: props.reveal.map_or(0, |(_, n)| n),
    });
    reveal.borrow_mut().follow(props.reveal);
    let update = use_force_update();
    let len = props.len;
    // Facts at positions from this one on arrived with the last growth of the log while
    // it followed the tail. Leaving the tail (the past) forgets them: back at the tail,
    // facts that arrived long before do not flash again (their animation would restyle and
    // repaint every row in view in each frame of the next second, a slider move's too).
    let fresh_from = use_mut_ref(|| None::<u64>);
    let last_head = use_mut_ref(|| props.head);
    if props.head != *last_head.borrow() {
        *fresh_from.borrow_mut() =
            (props.head > *last_head.borrow()).then_some(*last_head.borrow());
        *last_head.borrow_mut() = props.head;
    }
    if !props.follow {
        *fresh_from.borrow_mut() = None;
    }
    let fresh_from = *fresh_from.borrow();

    let reveal_index = {
        let reveal = reveal.clone();
        Rc::new(move |index: usize| {
            reveal.borrow_mut().show(index);
            update.force_update();
        })
    };

    let current_index = {
        let known = known.clone();
        let selected = props.selected;
        let version = props.version;
        move || {
            known
                .borrow()
                .filter(|k| Some(k.position) == selected && k.version == version)
                .map(|k| k.index)
        }
    };

    let select_index = {
        let fetch = props.fetch.clone();
        let on_select = props.on_select.clone();
        let known = known.clone();
        let version = props.version;
        let reveal_index = reveal_index.clone();
        Rc::new(move |index: usize| {
            if let Some(row) = fetch.emit((index, index + 1)).into_iter().next() {
                *known.borrow_mut() = Some(KnownIndex {
                    position: row.position,
                    index,
                    version,
                });
                on_select.emit(row);
                reveal_index(index);
            }
        })
    };

    let onkeydown = {
        let select_index = select_index.clone();
        let current_index = current_index.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: KeyboardEvent| {
            let viewport = *viewport.borrow();
            if let Some(target) = viewport.key_target(&e.key(), current_index(), len) {
                e.prevent_default();
                select_index(target);
            }
        })
    };

    let render = {
        let cache = cache.clone();
        let known = known.clone();
        let fetch = props.fetch.clone();
        let (version, selected, flow, cursor, committed) = (
            props.version,
            props.selected,
            props.flow,
            props.cursor,
            props.committed,
        );
        Callback::from(move |window: Window| {
            let (from, rows) =
                cache
                    .borrow_mut()
                    .window(&fetch, version, len, window.range.clone());
            window
                .indexes()
                .into_iter()
                .filter_map(|index| Some((index, rows.get(index.checked_sub(from)?)?)))
                .map(|(index, row)| {
                    let is_selected = Some(row.position) == selected;
                    if is_selected {
                        *known.borrow_mut() = Some(KnownIndex {
                            position: row.position,
                            index,
                            version,
                        });
                    }
                    let state = RowState {
                        index,
                        selected: is_selected,
                        in_flow: Some(row.correlation_id) == flow,
                        future: cursor.is_some_and(|c| row.position >= c),
                        fresh: fresh_from.is_some_and(|f| row.position >= f),
                        pending: committed.is_some_and(|c| row.position >= c),
                    };
                    render_row(row, state, window.place(index))
                })
                .collect::<Html>()
        })
    };

    // One listener for every row (not one per row, made again on every frame of a
    // scroll): the row clicked is found by its `aria-rowindex`.
    let onclick = {
        let (cache, known, fetch) = (cache.clone(), known.clone(), props.fetch.clone());
        let (on_select, version) = (props.on_select.clone(), props.version);
        Callback::from(move |e: MouseEvent| {
            let Some(index) = clicked_row(&e, "[data-testid=log-row]") else {
                return;
            };
            let cached = cache.borrow().row(version, index);
            let row = cached.or_else(|| fetch.emit((index, index + 1)).into_iter().next());
            if let Some(row) = row {
                *known.borrow_mut() = Some(KnownIndex {
                    position: row.position,
                    index,
                    version,
                });
                on_select.emit(row);
            }
        })
    };

    let on_viewport = {
        let viewport = viewport.clone();
        let left_at = left_at.clone();
        Callback::from(move |now: Viewport| {
            *viewport.borrow_mut() = now;
            if now.at_end {
                left_at.set(None);
            } else if left_at.is_none() {
                left_at.set(Some(len));
            }
        })
    };

    let new_rows = left_at
        .filter(|_| props.follow)
        .map_or(0, |seen| len.saturating_sub(seen));
    let on_pill = {
        let reveal_index = reveal_index.clone();
        let scroller = scroller.clone();
        Callback::from(move |_: MouseEvent| {
            if len > 0 {
                reveal_index(len - 1);
            }
            if let Some(element) = scroller.cast::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        })
    };

    let active = current_index()
        .filter(|i| {
            let shown = viewport.borrow().visible(len);
            *i + 1 >= shown.start && *i <= shown.end
        })
        .and(props.selected)
        .map(|p| AttrValue::from(row_id(p)));

    let empty = if props.head == 0 {
        html! {
            <div class="log-empty" role="note">
                <p class="log-empty-title">{ "No facts yet" }</p>
                <p>{ "Pick an example command in the composer and submit it (Ctrl+Enter)." }</p>
                { example_flows(&props.example_flows, &props.on_example_flow) }
            </div>
        }
    } else {
        html! {
            <div class="log-empty" role="note">
                <p class="log-empty-title">{ "No fact matches the filter" }</p>
                <p>{ format!("None of the {} facts passes it; loosen or clear the filter.", thousands(props.head)) }</p>
            </div>
        }
    };

    html! {
        <section class="log" id="log-view-facts" role="tabpanel" aria-label="event log" style={position_width(props.head)}>
            <FilterBar
                filter={props.filter.clone()}
                on_filter={props.on_filter.clone()}
                origins={props.origins.clone()}
                streams={props.streams.clone()}
                flow={props.flow}
                len={len}
                head={props.head}
                focus_filter={props.focus_filter}
            />
            <div class="log-body">
                <VirtualList
                    node_ref={scroller}
                    class="log-scroller"
                    testid="log"
                    role="grid"
                    aria_label="facts, oldest first"
                    active_descendant={active}
                    len={len}
                    header={render_header()}
                    header_rows={1}
                    {empty}
                    {render}
                    reveal={reveal.borrow().shown}
                    follow={props.follow}
                    {on_viewport}
                    {onkeydown}
                    {onclick}
                />
                if new_rows > 0 {
                    <button
                        type="button"
                        class="log-new-pill"
                        data-testid="log-new-pill"
                        onclick={on_pill}
                        title="jump to the newest fact and follow again"
                    >
                        { format!("↓ {} new", thousands(new_rows as u64)) }
                    </button>
                }
            </div>
        </section>
    }
}

/// The width of the position column for a log of `head` facts, as a CSS variable: its
/// last position's digits and room for the pending mark (` ◌`), between 3 and 7
/// characters (log.css caps it in narrower logs). A short log gives the rest to the
/// stream ids; past 99,999 facts it is the widest, as it always was.
fn position_width(head: u64) -> String {
    let digits = head.saturating_sub(1).max(1).ilog10() + 1;
    format!("--pos-w: {}ch", (digits + 2).clamp(3, 7))
}

/// The domain's example flows as buttons, each opening its scenario as a new workspace
/// (nothing when the domain has none).
fn example_flows(flows: &[ExampleFlow], open: &Callback<&'static str>) -> Html {
    if flows.is_empty() {
        return Html::default();
    }
    html! {
        <>
            <p>{ "Or open a whole example flow as a new workspace:" }</p>
            <ul class="log-examples" aria-label="Example flows">
                { for flows.iter().map(|flow| {
                    let path = flow.path;
                    let onclick = open.reform(move |_: MouseEvent| path);
                    html! {
                        <li>
                            <button type="button" class="log-example" data-testid="example-flow"
                                data-path={path} title={format!("tests/scenarios/{path}")} {onclick}>
                                { &flow.title }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </>
    }
}
