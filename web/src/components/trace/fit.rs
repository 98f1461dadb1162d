//! Fitting a flow to its panel: the drawing and its lanes' heights scaled down so that the
//! whole flow is in view, but never below [`LEAST_SCALE`], where a node's label is still
//! read. A side that would need less scrolls at full size instead: only the side that can
//! be shown whole shrinks. On by default; the toggle is this browser's setting.

use super::scrolling::labels_width;
use crate::browser::storage;
use web_sys::Element;

/// The smallest scale a flow is drawn at to fit its panel.
pub const LEAST_SCALE: f64 = 0.7;

/// The `localStorage` key of the toggle: `off`, else on.
const KEY: &str = "decider-lab.trace.fit";

/// Whether flows are fitted, as this browser last chose (on, unless turned off).
pub fn kept() -> bool {
    storage::read(KEY).as_deref() != Some("off")
}

/// Keeps the choice for the next load.
pub fn keep(on: bool) {
    storage::write(KEY, if on { "on" } else { "off" });
}

/// The scale that shows a `drawing` (width, height) whole in `room` (width, height, both
/// in CSS pixels): as large as fits, at most 1; a side that fits only below
/// [`LEAST_SCALE`] is left to scroll, and with neither side fitting the scale is 1.
pub fn scale(drawing: (f64, f64), room: (f64, f64)) -> f64 {
    let fits = |room: f64, length: f64| {
        let scale = room / length.max(1.0);
        (scale >= LEAST_SCALE).then_some(scale)
    };
    match (fits(room.0, drawing.0), fits(room.1, drawing.1)) {
        (Some(across), Some(down)) => across.min(down).min(1.0),
        (Some(one), None) | (None, Some(one)) => one.min(1.0),
        (None, None) => 1.0,
    }
}

/// The scale a flow of `drawing`'s size (none: no flow) is drawn at, flows fitted (`on`)
/// or not, in `room` (none: not measured yet): [`scale`] when there is all it needs,
/// else full size.
pub fn drawn_scale(drawing: Option<(f64, f64)>, on: bool, room: Option<(f64, f64)>) -> f64 {
    match (drawing, on, room) {
        (Some(drawing), true, Some(room)) => scale(drawing, room),
        _ => 1.0,
    }
}

/// The room the drawing has in the panel's scroller `scroller`: its inner width less the
/// sticky lane labels', and its inner height, less a pixel each so that a fitted drawing
/// never rounds into a scroll bar. Where the panel is as tall as what it shows (panels
/// stacked in a narrow window: the scroller is no size container, trace.css) its height
/// follows the drawing's, so it gives no room to fit: the height is then unbounded.
pub fn room(scroller: &Element) -> (f64, f64) {
    let width = scroller.client_width() - labels_width(scroller) - 1;
    let sized = web_sys::window()
        .and_then(|window| window.get_computed_style(scroller).ok().flatten())
        .and_then(|style| style.get_property_value("container-type").ok())
        .is_some_and(|kind| kind == "size");
    let height = match sized {
        true => f64::from((scroller.client_height() - 1).max(0)),
        false => f64::INFINITY,
    };
    (f64::from(width.max(0)), height)
}
