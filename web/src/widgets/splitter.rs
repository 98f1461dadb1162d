//! The boundaries between the panels, moved with the pointer or the keyboard: the
//! composer's width, the right column's width and the trace's height.
//!
//! A splitter sets one CSS variable on the panels' grid (`web/styles/layout.css` reads
//! it), so moving it renders no panel again: the grid lays its panels out at their new
//! sizes. Each size is this browser's, not a workspace's: it is kept in `localStorage`
//! and put back on the next load.

use crate::browser::storage;
use crate::effect::use_effect_on;
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// A boundary between panels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// The composer's right edge: the composer's share of the width.
    Composer,
    /// The inspector's and the queue's left edge: the right column's share of the width.
    Side,
    /// The trace's top edge: the trace's share of the height.
    Trace,
}

impl Split {
    /// The share (percent) the page's stylesheet gives by default.
    fn default_share(self) -> f64 {
        match self {
            Split::Composer => 23.0,
            Split::Side => 27.0,
            // The trace's row is 1fr against the two rows above it, 1.62fr together.
            Split::Trace => 100.0 / 2.62,
        }
    }

    /// The smallest and largest share (percent) a person can set.
    fn bounds(self) -> (f64, f64) {
        match self {
            Split::Composer | Split::Side => (15.0, 45.0),
            Split::Trace => (15.0, 75.0),
        }
    }

    /// Its name: its `data-split`, and in its class, CSS variable and storage key.
    fn name(self) -> &'static str {
        match self {
            Split::Composer => "composer",
            Split::Side => "side",
            Split::Trace => "trace",
        }
    }

    /// The CSS variable that carries the share to the grid.
    fn property(self) -> String {
        format!("--{}-share", self.name())
    }

    /// Where the share is kept between loads.
    fn storage_key(self) -> String {
        format!("decider-lab.split.{}", self.name())
    }

    /// What a screen reader says the separator resizes.
    fn label(self) -> &'static str {
        match self {
            Split::Composer => "Resize the composer",
            Split::Side => "Resize the inspector and the queue",
            Split::Trace => "Resize the trace",
        }
    }

    /// Columns are split by a vertical line, the trace by a horizontal one.
    fn vertical(self) -> bool {
        self != Split::Trace
    }

    /// The CSS value for `share`: a width in percent, or the trace row's `fr` against the
    /// 1.62fr of the rows above it.
    fn css_value(self, share: f64) -> String {
        match self {
            Split::Composer | Split::Side => {
                let tenths = tenths(share);
                format!("{}.{}%", tenths / 10, tenths % 10)
            }
            Split::Trace => {
                // 1.62 × share / (100 − share), in ten-thousandths.
                let tenths = u64::from(tenths(share).min(999));
                let fr = 16_200 * tenths / (1000 - tenths);
                format!("{}.{:04}fr", fr / 10_000, fr % 10_000)
            }
        }
    }

    /// The share the pointer at `at` (its x for a column, its y for the trace) asks for,
    /// as far as the log's least width allows.
    fn share_at(self, grid: &Measure, at: f64) -> f64 {
        // The pointer holds the splitter by its middle, half a gap from the edge it moves.
        let size = match self {
            Split::Composer => at - grid.gap / 2.0 - grid.start,
            Split::Side | Split::Trace => grid.end - at - grid.gap / 2.0,
        };
        self.within(grid, 100.0 * size / self.whole(grid))
    }

    /// What a share is a share of: the content box's width for a column; for the trace,
    /// the rows' height without the gaps between them (what `fr`s share).
    fn whole(self, grid: &Measure) -> f64 {
        let width = grid.end - grid.start;
        match self {
            Split::Composer | Split::Side => width,
            Split::Trace => width - 2.0 * grid.gap,
        }
    }

    /// `share` within [`Split::limits`].
    fn within(self, grid: &Measure, share: f64) -> f64 {
        let (low, high) = self.limits(grid);
        share.clamp(low, high)
    }

    /// The least and largest share the grid can give: within the bounds, no less than the
    /// panel's own least size, and for a column no more than leaves the log its least width
    /// (`layout.css`'s `minmax`es).
    fn limits(self, grid: &Measure) -> (f64, f64) {
        let (mut low, mut high) = self.bounds();
        let whole = self.whole(grid);
        low = low.max(100.0 * self.least_size() / whole);
        if let (&[composer, log, side], true) = (&grid.tracks[..], self.vertical()) {
            let mine = if self == Split::Composer {
                composer
            } else {
                side
            };
            high = high.min(100.0 * (mine + log - LOG_LEAST_WIDTH) / whole);
        }
        (low, high.max(low))
    }

    /// The panel's least size in pixels (`layout.css`).
    fn least_size(self) -> f64 {
        match self {
            Split::Composer => 280.0,
            Split::Side => 300.0,
            Split::Trace => 180.0,
        }
    }

    /// How far a key moves the boundary (percent; the sign says which way it grows), or
    /// `None` for a key the separator does not take.
    fn key_step(self, key: &str) -> Option<f64> {
        let toward = match (self, key) {
            (Split::Composer, "ArrowRight")
            | (Split::Side, "ArrowLeft")
            | (Split::Trace, "ArrowUp") => 1.0,
            (Split::Composer, "ArrowLeft")
            | (Split::Side, "ArrowRight")
            | (Split::Trace, "ArrowDown") => -1.0,
            _ => return None,
        };
        Some(toward * 2.0)
    }

    /// Measures the grid along the split's axis, in CSS pixels.
    fn measure(self, grid: &HtmlElement) -> Option<Measure> {
        let style = web_sys::window()?.get_computed_style(grid).ok()??;
        let value = |name: &str| style.get_property_value(name).unwrap_or_default();
        let px = |name: &str| pixels(&value(name)).unwrap_or(0.0);
        let rect = grid.get_bounding_client_rect();
        let (start, end, tracks, gap) = if self.vertical() {
            let (left, right) = (px("padding-left"), px("padding-right"));
            let tracks = value("grid-template-columns");
            (
                rect.left() + left,
                rect.right() - right,
                tracks,
                px("column-gap"),
            )
        } else {
            let (top, bottom) = (px("padding-top"), px("padding-bottom"));
            let tracks = value("grid-template-rows");
            (
                rect.top() + top,
                rect.bottom() - bottom,
                tracks,
                px("row-gap"),
            )
        };
        let tracks = tracks.split_whitespace().filter_map(pixels).collect();
        Some(Measure {
            start,
            end,
            gap,
            tracks,
        })
    }

    /// The share kept by an earlier load, if it is a number within bounds.
    fn stored(self) -> Option<f64> {
        let text = storage::read(&self.storage_key())?;
        let share = f64::from(text.parse::<u32>().ok()?) / 10.0;
        let (low, high) = self.bounds();
        (low..=high).contains(&share).then_some(share)
    }

    fn store(self, share: Option<f64>) {
        match share {
            Some(share) => storage::write(&self.storage_key(), &tenths(share).to_string()),
            None => storage::remove(&self.storage_key()),
        }
    }

    /// Puts `share` (or the stylesheet's default, for `None`) on the grid.
    fn apply(self, grid: &HtmlElement, share: Option<f64>) {
        let style = grid.style();
        let _ = match share {
            Some(share) => style.set_property(&self.property(), &self.css_value(share)),
            None => style.remove_property(&self.property()).map(drop),
        };
    }
}

/// The log's least width (`layout.css`), which the side columns leave it.
const LOG_LEAST_WIDTH: f64 = 360.0;

/// The grid along a split's axis, in CSS pixels: where its content box starts and ends,
/// the gap between its tracks, and each track's size (its computed style gives them).
struct Measure {
    start: f64,
    end: f64,
    gap: f64,
    tracks: Vec<f64>,
}

/// `12.5px` as 12.5 (read by JS's `parseFloat`: Rust's float parsing would add its tables
/// to the wasm).
fn pixels(text: &str) -> Option<f64> {
    let number = js_sys::Number::parse_float(text.trim().strip_suffix("px")?);
    (!number.is_nan()).then_some(number)
}

/// `share` (percent) in whole tenths, as it is kept and written: whole numbers format
/// without Rust's float formatting.
fn tenths(share: f64) -> u32 {
    // A share is between 0 and 100: the cast neither wraps nor saturates.
    (share * 10.0).round() as u32
}

/// `value` rounded to a whole number, as text.
fn whole(value: f64) -> String {
    (value.round() as u32).to_string()
}

/// A drag under way: the grid as measured when it began, the share the pointer asked for
/// last, and the listeners that follow the pointer until it is released (they go with the
/// drag).
///
/// The grid is measured once, at the press: a move then reads no layout. Measured at each
/// move, it forced the browser to lay the page out inside the move's event, on top of the
/// frame's own layout, since the move before had changed the grid's tracks. What a move
/// reads does not change during a drag: the grid's box and gaps are not the splitter's to
/// change, and the tracks it moves share a sum that stays (the limits read only that sum).
struct Drag {
    grid: Measure,
    last: Option<f64>,
    _listeners: [EventListener; 3],
}

/// The splitter's properties.
#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    /// Which boundary it moves.
    pub split: Split,
}

/// A separator a person drags, or focuses and moves with the arrow keys (Shift: further;
/// Home / End: smallest / largest; Enter or a double click: back to the default size).
/// It must be a child of the panels' grid.
#[function_component(Splitter)]
pub fn splitter(props: &SplitterProps) -> Html {
    let split = props.split;
    let node = use_node_ref();
    // The share set last (`None`: the stylesheet's default), read by each event as it is
    // now rather than as the last render saw it: two keys pressed before a render move the
    // edge two steps.
    let share = use_mut_ref(|| None::<f64>);
    let rerender = use_force_update();
    let drag = use_mut_ref(|| None::<Drag>);
    let grid = {
        let node = node.clone();
        move || -> Option<HtmlElement> {
            node.cast::<HtmlElement>()?
                .parent_element()?
                .dyn_into::<HtmlElement>()
                .ok()
        }
    };
    {
        let (grid, share, rerender) = (grid.clone(), share.clone(), rerender.clone());
        use_effect_on((), move |_| {
            if let (Some(kept), Some(grid)) = (split.stored(), grid()) {
                split.apply(&grid, Some(kept));
                *share.borrow_mut() = Some(kept);
                rerender.force_update();
            }
        });
    }
    let set = {
        let (grid, share) = (grid.clone(), share.clone());
        move |next: Option<f64>, keep: bool| {
            if let Some(grid) = grid() {
                split.apply(&grid, next);
            }
            *share.borrow_mut() = next;
            rerender.force_update();
            if keep {
                split.store(next);
            }
        }
    };
    let onpointerdown = {
        let (node, drag, share) = (node.clone(), drag.clone(), share.clone());
        let (grid, set) = (grid.clone(), set.clone());
        Callback::from(move |event: PointerEvent| {
            let Some(element) = node.cast::<HtmlElement>().filter(|_| event.button() == 0) else {
                return;
            };
            let Some(measured) = grid().and_then(|grid| split.measure(&grid)) else {
                return;
            };
            let _ = element.set_pointer_capture(event.pointer_id());
            // A drag focuses the separator, as a click on a control would.
            let _ = element.focus();
            event.prevent_default();
            let follow = {
                let (drag, set) = (drag.clone(), set.clone());
                EventListener::new(&element, "pointermove", move |event| {
                    let Some(event) = event.dyn_ref::<PointerEvent>() else {
                        return;
                    };
                    let at = if split.vertical() {
                        event.client_x()
                    } else {
                        event.client_y()
                    };
                    let share = match drag.borrow_mut().as_mut() {
                        Some(drag) => {
                            let share = split.share_at(&drag.grid, at.into());
                            drag.last = Some(share);
                            share
                        }
                        None => return,
                    };
                    set(Some(share), false);
                })
            };
            let release = |kind| {
                let drag = drag.clone();
                EventListener::new(&element, kind, move |_| {
                    if let Some(ended) = drag.borrow_mut().take() {
                        split.store(ended.last);
                    }
                })
            };
            let listeners = [follow, release("pointerup"), release("pointercancel")];
            *drag.borrow_mut() = Some(Drag {
                grid: measured,
                last: *share.borrow(),
                _listeners: listeners,
            });
        })
    };
    // A double click: the click whose count is 2.
    let onclick = {
        let set = set.clone();
        Callback::from(move |event: MouseEvent| {
            if event.detail() == 2 {
                set(None, true);
            }
        })
    };
    let current = share.borrow().unwrap_or_else(|| split.default_share());
    // What a screen reader announces as the range: the grid's own limits once it is laid
    // out (measured again at each of the splitter's renders: a key, a reset; during a drag,
    // the grid as its press measured it, so that a move's render reads no layout).
    let (low, high) = match drag.borrow().as_ref() {
        Some(drag) => split.limits(&drag.grid),
        None => grid()
            .and_then(|grid| split.measure(&grid))
            .map_or_else(|| split.bounds(), |measure| split.limits(&measure)),
    };
    let onkeydown = {
        let (set, share) = (set.clone(), share.clone());
        Callback::from(move |event: KeyboardEvent| {
            let current = share.borrow().unwrap_or_else(|| split.default_share());
            let key = event.key();
            let wanted = match key.as_str() {
                "Enter" => None,
                "Home" => Some(f64::NEG_INFINITY),
                "End" => Some(f64::INFINITY),
                key => match split.key_step(key) {
                    Some(step) => Some(current + step * if event.shift_key() { 4.0 } else { 1.0 }),
                    None => return,
                },
            };
            event.prevent_default();
            let measure = grid().and_then(|grid| split.measure(&grid));
            match (wanted, measure) {
                (Some(share), Some(measure)) => set(Some(split.within(&measure, share)), true),
                (None, _) => set(None, true),
                (Some(_), None) => {}
            }
        })
    };
    html! {
        <div ref={node} class={format!("splitter splitter-{}", split.name())} role="separator" tabindex="0"
            data-testid="splitter" data-split={split.name()}
            data-keys="own"
            aria-label={split.label()}
            aria-orientation={if split.vertical() { "vertical" } else { "horizontal" }}
            aria-valuemin={whole(low)} aria-valuemax={whole(high)}
            aria-valuenow={whole(current)}
            title={format!("{} (drag, or focus and use the arrow keys; double-click: default size)", split.label())}
            {onpointerdown} {onclick} {onkeydown} />
    }
}
