//! A virtualized list of fixed-height rows: only the rows in view, plus a few above and
//! below (the overscan), are in the DOM, so a list of a million rows scrolls as smoothly as
//! one of ten.
//!
//! The row height comes from the `--row-h` CSS variable (24 px by default). A spacer as tall
//! as `len × row height` gives the scrollbar its true size; the rendered window is moved
//! into place with a `transform`. Scroll events are coalesced to one measurement per
//! animation frame, and a `ResizeObserver` re-measures when the panel changes size. The
//! list re-renders only when the first row in view or the number of rows that fit changes,
//! never on every scrolled pixel.
//!
//! Rows are keyed by their slot in the window ([`Place::key`]), not by identity: a row
//! that scrolls out hands its DOM nodes to one that scrolls in, patched in place, so a
//! jump of a hundred rows costs what a step of one does. The rows are kept in the DOM in
//! slot order ([`Window::indexes`]) and each is placed by its own `transform`
//! ([`Place::style`]): scrolling never moves a row's nodes in the document (a move
//! would style and lay the whole row out again), and a row that stays in view keeps
//! its place, so only the rows that scroll in change. Assistive technologies read each
//! row's place from its `aria-rowindex`.
//!
//! A reveal that jumps (brings none of the rows rendered) renders the rows in view only,
//! without the overscan (`Overscan`): a slider dragged across a long log reveals a far
//! row every frame, and the rows above and below the view would be styled, laid out and
//! painted for nothing. They are rendered once reveals rest, or as soon as the person
//! scrolls. A list that follows its tail renders the rows in view only too, in the slots a
//! jump's rows take, so that a jump away from the tail (the slider's first move into the
//! past) patches its rows, as any jump does, and makes or drops none.

use crate::browser::next_frame::NextFrame;
use crate::browser::resize;
use crate::effect::use_effect_on;
use gloo::render::{request_animation_frame, AnimationFrame};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// The row height used when `--row-h` cannot be read.
const DEFAULT_ROW_HEIGHT: f64 = 24.0;
/// The number of rows assumed to fit while the list has no height yet (not laid out).
const ROWS_BEFORE_LAYOUT: usize = 40;

/// How long reveals rest before the overscan they left out is rendered: a slider dragged
/// with the pointer reveals a row every frame, a key held down every ~30 ms, a script or a
/// person clicking along the timeline every few hundred ms; rendering the overscan patches
/// every row (a window's rows change slots), so it waits for the moves to stop, not to
/// fall between two of them. A scroll brings it back at once.
const OVERSCAN_REST_MS: u32 = 500;

/// Whether the overscan is rendered: it is left out from a reveal that jumps until reveals
/// rest for [`OVERSCAN_REST_MS`] or the person scrolls the list.
#[derive(Default)]
struct Overscan {
    /// The scroll offset the last reveal put the scroller at, while the overscan is left
    /// out.
    left_out_at: Option<i32>,
    /// Brings the overscan back when reveals have rested (held only to be dropped, which
    /// cancels it, when a new reveal or a scroll comes first).
    _rest: Option<Timeout>,
}

impl Overscan {
    /// A reveal put the scroller at `top`: the overscan is left out until reveals rest,
    /// then `render` is asked to render it.
    fn leave_out(this: &Rc<RefCell<Overscan>>, top: i32, render: impl Fn() + 'static) {
        let back = Rc::downgrade(this);
        let rest = Timeout::new(OVERSCAN_REST_MS, move || {
            if let Some(overscan) = back.upgrade() {
                overscan.borrow_mut().left_out_at = None;
                render();
            }
        });
        *this.borrow_mut() = Overscan {
            left_out_at: Some(top),
            _rest: Some(rest),
        };
    }

    /// The scroller is at `top` after a scroll: unless a reveal put it there, the person
    /// scrolled and the overscan is rendered again. Whether it was left out until now.
    fn scrolled(&mut self, top: i32) -> bool {
        let moved = self.left_out_at.is_some_and(|at| at != top);
        if moved {
            *self = Overscan::default();
        }
        moved
    }

    /// Whether the overscan is left out now.
    fn is_left_out(&self) -> bool {
        self.left_out_at.is_some()
    }
}

/// What the list shows, as measured after the last scroll or resize.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Viewport {
    /// The index of the first row in view.
    pub first: usize,
    /// How many rows fit in view.
    pub fits: usize,
    /// Whether the view shows the end of the list (or the list is empty).
    pub at_end: bool,
    /// Where the top of the first row in view is, in pixels from the top of the rows.
    pub first_top: i64,
}

/// The rows a [`VirtualList`] asks its owner to render.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// The indexes of the rows, in order.
    pub range: Range<usize>,
    /// The most rows the list renders at once (in view, plus the overscan unless a jump left
    /// it out): its pool of slots.
    slots: usize,
    /// Where the first row of `range` goes, in pixels from the top of the rows.
    top: f64,
    /// The row height.
    row: f64,
}

/// Where a [`VirtualList`] row goes: its key and its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The key to give the row: its slot, its index modulo the pool's size. The rows of any
    /// window have distinct slots, and every full window uses the same ones.
    pub key: usize,
    /// The row's inline style: absolutely placed at its offset from the top of the rows.
    pub style: String,
}

impl Window {
    /// The indexes of the rows, in the order to render them: by slot, so that rows keep
    /// their place in the document however far the list scrolls.
    pub fn indexes(&self) -> Vec<usize> {
        let mut indexes: Vec<usize> = self.range.clone().collect();
        indexes.sort_unstable_by_key(|&index| self.slot(index));
        indexes
    }

    /// Where the row at `index` goes.
    pub fn place(&self, index: usize) -> Place {
        let y = self.top + index.saturating_sub(self.range.start) as f64 * self.row;
        Place {
            key: self.slot(index),
            style: format!(
                "position: absolute; top: 0; left: 0; right: 0; transform: translateY({y}px);"
            ),
        }
    }

    fn slot(&self, index: usize) -> usize {
        index % self.slots.max(1)
    }
}

impl Viewport {
    /// The rows in view, clamped to `len`.
    pub fn visible(&self, len: usize) -> Range<usize> {
        self.first.min(len)..(self.first + self.fits).min(len)
    }

    /// The row a list of `len` rows moves its selection to for `key`, from the selected
    /// row `here` (from the first row in view when none is): ↑/↓ by one, Page Up/Down by
    /// what fits, Home/End to the ends, Enter to the row itself. `None` for other keys
    /// and an empty list.
    pub fn key_target(&self, key: &str, here: Option<usize>, len: usize) -> Option<usize> {
        let last = len.checked_sub(1)?;
        let page = self.fits.saturating_sub(2).max(1);
        let start = self.first.min(last);
        Some(match key {
            "ArrowDown" => here.map_or(start, |i| (i + 1).min(last)),
            "ArrowUp" => here.map_or(start, |i| i.saturating_sub(1)),
            "PageDown" => here.map_or(start, |i| (i + page).min(last)),
            "PageUp" => here.map_or(start, |i| i.saturating_sub(page)),
            "Home" => 0,
            "End" => last,
            "Enter" => here.unwrap_or(start),
            _ => return None,
        })
    }
}

/// The index of the row (an element matching `selector`) a click landed in, read from its
/// `aria-rowindex`, which counts from 1 and the header's row first: one listener serves
/// every row, however many scroll by.
pub fn clicked_row(e: &MouseEvent, selector: &str) -> Option<usize> {
    crate::browser::around(e, selector)?
        .get_attribute("aria-rowindex")?
        .parse::<usize>()
        .ok()?
        .checked_sub(2)
}

/// Properties of [`VirtualList`].
#[derive(Properties, PartialEq)]
pub struct VirtualListProps {
    /// The number of rows.
    pub len: usize,
    /// Renders the rows of a window in the order of [`Window::indexes`], each with its
    /// [`Window::place`] (key and style); each row must be exactly one row height tall
    /// (`height: var(--row-h)`).
    pub render: Callback<Window, Html>,
    /// A header kept at the top of the scrolling area (a sticky row naming the columns).
    #[prop_or_default]
    pub header: Html,
    /// Shown instead of the rows when there are none (an empty state that teaches).
    #[prop_or_default]
    pub empty: Html,
    /// Scrolls the row at this index into view whenever the pair changes (the second
    /// element is a nonce, so the same index can be revealed again).
    #[prop_or_default]
    pub reveal: Option<(usize, u64)>,
    /// Keeps the last row in view when rows are added, unless the user scrolled away from
    /// the end.
    #[prop_or_default]
    pub follow: bool,
    /// Told whenever the viewport changes.
    #[prop_or_default]
    pub on_viewport: Callback<Viewport>,
    /// Rows rendered above and below the view (every rendered row is styled, laid out and
    /// painted on each frame of a long scroll: a few are enough, as the list re-renders
    /// on the frame the scroller moves). Left out after a reveal that jumps, until
    /// reveals rest (`Overscan`), and while the list follows its tail.
    #[prop_or(4)]
    pub overscan: usize,
    /// The scrolling element, for the owner to focus it.
    #[prop_or_default]
    pub node_ref: NodeRef,
    /// Classes of the scrolling element.
    #[prop_or_default]
    pub class: Classes,
    /// The scrolling element's `data-testid`.
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// The scrolling element's ARIA role (for example `grid`).
    #[prop_or_default]
    pub role: Option<AttrValue>,
    /// The scrolling element's accessible name.
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
    /// The number of rows the header counts for in `aria-rowcount` (set only with this:
    /// `len` plus these rows).
    #[prop_or_default]
    pub header_rows: Option<usize>,
    /// The id of the active row, for `aria-activedescendant`.
    #[prop_or_default]
    pub active_descendant: Option<AttrValue>,
    /// Key presses while the list has focus.
    #[prop_or_default]
    pub onkeydown: Callback<KeyboardEvent>,
    /// Clicks anywhere in the list (on a row: the owner finds which from the target).
    #[prop_or_default]
    pub onclick: Callback<MouseEvent>,
}

/// The `--row-h` CSS variable of `element` in pixels.
fn row_height_of(element: &Element) -> f64 {
    web_sys::window()
        .and_then(|w| w.get_computed_style(element).ok().flatten())
        .and_then(|style| style.get_property_value("--row-h").ok())
        .and_then(|value| {
            // Read by the browser's `Number` (NaN when it is not one), not by Rust's
            // `f64::from_str`: that parser is the only one the wasm would carry for it.
            let number = value.trim().trim_end_matches("px").trim();
            number.parse::<js_sys::Number>().ok()
        })
        .map(|number| number.value_of())
        .filter(|h| *h > 0.0)
        .unwrap_or(DEFAULT_ROW_HEIGHT)
}

/// The geometry the list needs to place its window.
///
/// Coordinates are relative to the spacer (below the header). Browsers cap an element's
/// height (about 17 million pixels in Firefox, 33 million in Chromium), so a list taller
/// than [`MAX_SPACER`] gets a spacer of that height, and the scroll offset is scaled to the
/// list's "virtual" offset: the scrollbar then covers every row, each one pixel of scrolling
/// moving the view by a little more than one pixel.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Geometry {
    /// Row height.
    row: f64,
    /// Header height.
    header: f64,
}

/// The tallest spacer the list makes, in pixels.
const MAX_SPACER: f64 = 8_000_000.0;

/// Where the scroller is, in the list's geometry.
#[derive(Clone, Copy, Debug)]
struct Scroll {
    /// The scroll offset.
    top: f64,
    /// The height that shows rows (below the header).
    view: f64,
    /// Whether the scroller has a height (it is laid out).
    laid_out: bool,
    /// The height of every row together.
    total: f64,
    /// The spacer's height.
    spacer: f64,
}

impl Scroll {
    /// The same scroller, for a list of `len` rows.
    fn with_len(self, geometry: Geometry, len: usize) -> Scroll {
        Scroll {
            total: len as f64 * geometry.row,
            spacer: geometry.spacer(len),
            ..self
        }
    }

    /// Virtual offset per pixel of scroll offset (1 unless the list is taller than the
    /// spacer).
    fn ratio(&self) -> f64 {
        if self.total > self.spacer && self.spacer > self.view {
            (self.total - self.view) / (self.spacer - self.view)
        } else {
            1.0
        }
    }
}

impl Geometry {
    /// The spacer's height for `len` rows.
    fn spacer(self, len: usize) -> f64 {
        (len as f64 * self.row).min(MAX_SPACER)
    }

    /// Where `scroller` is, for a list of `len` rows.
    fn scroll(self, scroller: &Element, len: usize) -> Scroll {
        Scroll {
            top: f64::from(scroller.scroll_top()).max(0.0),
            view: (f64::from(scroller.client_height()) - self.header).max(0.0),
            laid_out: scroller.client_height() > 0,
            total: len as f64 * self.row,
            spacer: self.spacer(len),
        }
    }

    /// What a scroller at `scroll` shows of a list of `len` rows.
    fn viewport(self, scroll: Scroll, len: usize) -> Viewport {
        let fits = if scroll.laid_out {
            (scroll.view / self.row).ceil() as usize + 1
        } else {
            ROWS_BEFORE_LAYOUT
        };
        let virtual_top = scroll.top * scroll.ratio();
        let first = ((virtual_top / self.row).floor() as usize).min(len);
        Viewport {
            first,
            fits,
            at_end: len == 0 || scroll.top + scroll.view >= scroll.spacer - self.row / 2.0,
            first_top: (scroll.top - (virtual_top - first as f64 * self.row)).round() as i64,
        }
    }

    /// The scroll offset that brings row `index` into view of a scroller at `scroll`, if
    /// it is not.
    fn reveal(self, scroll: Scroll, index: usize) -> Option<i32> {
        let ratio = scroll.ratio();
        let virtual_top = scroll.top * ratio;
        let row_top = index as f64 * self.row;
        let lowest = row_top + self.row - scroll.view;
        let wanted = if row_top < virtual_top {
            row_top
        } else if lowest > virtual_top {
            lowest
        } else {
            return None;
        };
        let top = wanted / ratio;
        Some(if row_top < virtual_top {
            top.floor()
        } else {
            top.ceil()
        } as i32)
    }
}

/// Why the list measures its viewport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cause {
    /// The scroller scrolled.
    Scroll,
    /// The list rendered, or the scroller changed size.
    Layout,
}

/// A scrolling list that renders only its visible rows; see the module documentation.
#[function_component]
pub fn VirtualList(props: &VirtualListProps) -> Html {
    let scroller = props.node_ref.clone();
    let header_ref = use_node_ref();
    let geometry = use_mut_ref(|| Geometry {
        row: DEFAULT_ROW_HEIGHT,
        header: 0.0,
    });
    // What the list shows, as last measured (it renders again through `update` when a
    // measure finds it changed).
    let viewport = use_mut_ref(Viewport::default);
    let update = use_force_update();
    // The rows last rendered, kept while a reveal is about to scroll them away.
    let last_rows = use_mut_ref(Html::default);
    // Where the scroller was when last measured: a render tells from it whether a reveal
    // scrolls.
    let measured = use_mut_ref(|| None::<Scroll>);
    // Whether the view is at the end: follow only then. Only the person scrolling away
    // (or a resize) unpins it, never rows added before the list followed them.
    let pinned = use_mut_ref(|| true);
    // The scroll offset the list last put the scroller at itself (following the tail).
    let placed = use_mut_ref(|| None::<i32>);
    let frame: Rc<RefCell<Option<AnimationFrame>>> = use_mut_ref(|| None);
    let overscan = use_mut_ref(Overscan::default);
    let len = props.len;
    // The length as last rendered, for the measurements made between renders.
    let len_now = use_mut_ref(|| len);
    *len_now.borrow_mut() = len;

    // Measures the viewport now; shared by the scroll handler (`Cause::Scroll`: the row
    // and header heights are as last measured), the resize observer and the effects below.
    let remeasure = {
        let scroller = scroller.clone();
        let header_ref = header_ref.clone();
        let geometry = geometry.clone();
        let viewport = viewport.clone();
        let measured = measured.clone();
        let pinned = pinned.clone();
        let placed = placed.clone();
        let len_now = len_now.clone();
        let update = update.clone();
        let overscan = overscan.clone();
        Rc::new(move |cause: Cause| {
            let Some(element) = scroller.cast::<Element>() else {
                return;
            };
            if cause != Cause::Scroll {
                let header = header_ref
                    .cast::<HtmlElement>()
                    .map_or(0.0, |h| f64::from(h.offset_height()));
                *geometry.borrow_mut() = Geometry {
                    row: row_height_of(&element),
                    header,
                };
            }
            let geometry = *geometry.borrow();
            let len = *len_now.borrow();
            let scroll = geometry.scroll(&element, len);
            *measured.borrow_mut() = Some(scroll);
            let now = geometry.viewport(scroll, len);
            // A scroll the list made itself is not the person leaving the end: rows added
            // since then are followed by the effect below.
            let own = cause == Cause::Scroll && *placed.borrow() == Some(element.scroll_top());
            let stays = own && *pinned.borrow();
            *pinned.borrow_mut() = now.at_end || stays;
            let overscan_back =
                cause == Cause::Scroll && overscan.borrow_mut().scrolled(element.scroll_top());
            if *viewport.borrow() != now || overscan_back {
                *viewport.borrow_mut() = now;
                update.force_update();
            }
        })
    };

    let onscroll = {
        let frame = frame.clone();
        let remeasure = remeasure.clone();
        Callback::from(move |_: Event| {
            if frame.borrow().is_some() {
                return;
            }
            let remeasure = remeasure.clone();
            let done = frame.clone();
            *frame.borrow_mut() = Some(request_animation_frame(move |_| {
                done.borrow_mut().take();
                remeasure(Cause::Scroll);
            }));
        })
    };

    // Re-measure whenever the scroller changes size.
    {
        let scroller = scroller.clone();
        let remeasure = remeasure.clone();
        use_effect_on((), move |_| {
            let watched = scroller
                .cast::<Element>()
                .and_then(|element| resize::watch(&element, move || remeasure(Cause::Layout)));
            move || drop(watched)
        });
    }

    // A row to reveal that is out of view, as last measured: the rows in view now are
    // about to scroll away, so they are not rendered again (the render before is kept);
    // the next frame puts the scroller there and renders the rows it brings, before that
    // frame is painted. One render of the rows per reveal, not the old ones first.
    let applied = use_mut_ref(|| None::<(usize, u64)>);
    let fresh_reveal = props.reveal != *applied.borrow() && props.reveal.is_some();
    *applied.borrow_mut() = props.reveal;
    let scroll_to = match (fresh_reveal, props.reveal, *measured.borrow()) {
        (true, Some((index, _)), Some(last)) => {
            let geometry = *geometry.borrow();
            geometry.reveal(last.with_len(geometry, len), index)
        }
        _ => None,
    };

    // Follow the tail, or reveal a row, after the rows are in the DOM, in the next frame
    // ([`NextFrame`]: not inside the input that caused the render).
    {
        let scroller = scroller.clone();
        let geometry = geometry.clone();
        let remeasure = remeasure.clone();
        let pinned = pinned.clone();
        let followed = use_mut_ref(|| false);
        let next_frame = (*use_memo((), |_| NextFrame::default())).clone();
        let update = update.clone();
        let overscan = overscan.clone();
        let viewport = viewport.clone();
        let overscan_rows = props.overscan;
        use_effect_on(
            (len, props.reveal, props.follow),
            move |&(len, reveal, follow)| {
                // Starting to follow goes to the end, wherever the view was.
                if follow && !*followed.borrow() {
                    *pinned.borrow_mut() = true;
                }
                *followed.borrow_mut() = follow;
                next_frame.run(move || {
                    if let Some(element) = scroller.cast::<Element>() {
                        let revealed = |top: i32| {
                            let before = *viewport.borrow();
                            element.set_scroll_top(top);
                            let geometry = *geometry.borrow();
                            let after = geometry.viewport(geometry.scroll(&element, len), len);
                            // A jump that brings none of the rows rendered leaves the
                            // overscan out, and so does any reveal while it is left out (a
                            // drag goes on); a step (a key) keeps it.
                            let jump =
                                before.first.abs_diff(after.first) >= before.fits + overscan_rows;
                            if jump || overscan.borrow().is_left_out() {
                                let update = update.clone();
                                Overscan::leave_out(&overscan, element.scroll_top(), move || {
                                    update.force_update()
                                });
                            }
                        };
                        match (scroll_to, reveal) {
                            (Some(top), _) => {
                                revealed(top);
                                // The rows kept from before are rendered again, whether
                                // or not the measure below finds the view moved.
                                update.force_update();
                            }
                            (None, Some((index, _))) if fresh_reveal => {
                                let scroll = geometry.borrow().scroll(&element, len);
                                if let Some(top) = geometry.borrow().reveal(scroll, index) {
                                    revealed(top);
                                }
                            }
                            // An empty list shows its empty state from the top (taller
                            // than the view, it would be followed to its foot).
                            _ if len == 0 => element.set_scroll_top(0),
                            _ if follow && *pinned.borrow() => {
                                element.set_scroll_top(element.scroll_height());
                                *placed.borrow_mut() = Some(element.scroll_top());
                            }
                            _ => {}
                        }
                    }
                    remeasure(Cause::Layout);
                });
            },
        );
    }

    let viewport = *viewport.borrow();
    {
        let on_viewport = props.on_viewport.clone();
        use_effect_on(viewport, move |viewport| on_viewport.emit(*viewport));
    }

    let geometry = *geometry.borrow();
    let rows = if scroll_to.is_some() {
        last_rows.borrow().clone()
    } else {
        let first = viewport.first.min(len);
        // Following the tail, the list renders the rows in view only, as after a jump: the
        // rows below do not exist, and with the same rows as a jump's, in the same slots,
        // a jump from the tail (the slider's first move into the past) patches them and
        // makes or drops none (a row made or dropped lays the whole page out again).
        let following = props.follow && *pinned.borrow();
        let around = if following || overscan.borrow().is_left_out() {
            0
        } else {
            props.overscan
        };
        // Without the overscan the window is `fits` rows wherever it is: at the end of the
        // list it reaches up to the row above the view.
        let start = if around == 0 {
            first.min(len.saturating_sub(viewport.fits))
        } else {
            first.saturating_sub(around)
        };
        let end = (first + viewport.fits + around).min(len);
        let offset = viewport.first_top as f64 - (first - start) as f64 * geometry.row;
        let rows = props.render.emit(Window {
            range: start..end,
            // Without the overscan, the window's rows take the slots `0..fits` (keyed by
            // their index modulo `fits`), so a far reveal patches every one of them, as a
            // full window does its `fits + 2 × overscan`: no row is made or dropped.
            slots: viewport.fits + 2 * around,
            top: offset,
            row: geometry.row,
        });
        *last_rows.borrow_mut() = rows.clone();
        rows
    };
    html! {
        <div
            ref={scroller}
            class={props.class.clone()}
            style="overflow-y: auto; overflow-anchor: none; position: relative;"
            tabindex="0"
            role={props.role.clone()}
            aria-label={props.aria_label.clone()}
            aria-activedescendant={props.active_descendant.clone()}
            aria-rowcount={props.header_rows.map(|h| (len + h).to_string())}
            data-testid={props.testid.clone()}
            onkeydown={props.onkeydown.clone()}
            onclick={props.onclick.clone()}
            {onscroll}
        >
            <div ref={header_ref} style="position: sticky; top: 0; z-index: 1;">
                { props.header.clone() }
            </div>
            if len == 0 {
                { props.empty.clone() }
            }
            <div style={format!("position: relative; height: {}px;", geometry.spacer(len))}>
                { rows }
            </div>
        </div>
    }
}
