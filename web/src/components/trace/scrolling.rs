//! Keeping the right part of a long flow in view: the swimlanes follow the newest node
//! while the user stays at the end, and stay where the user put them otherwise.

use super::layout::{self, COLUMN_W, LANE_H};
use web_sys::Element;

/// Whether the swimlanes follow the newest node.
///
/// Scroll events arrive a frame late, after the flow may have grown again, so the scroll
/// offsets the panel sets itself are remembered and their events ignored: only the
/// user's own scrolling turns following off (or back on, by reaching the end).
#[derive(Debug)]
pub struct Follow {
    on: bool,
    placed: Option<i32>,
}

impl Default for Follow {
    fn default() -> Self {
        Follow {
            on: true,
            placed: None,
        }
    }
}

impl Follow {
    /// Whether the newest node should be brought into view.
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Another flow is shown: follow its newest node.
    pub fn restart(&mut self) {
        *self = Follow::default();
    }

    /// The panel scrolled itself to `left`; it follows if that is the end.
    pub fn placed(&mut self, left: i32, view: i32, width: i32) {
        self.placed = Some(left);
        self.on = at_end(left, view, width);
    }

    /// A scroll event at `left`: unless the panel put it there, it follows from now on
    /// only if that is the end.
    pub fn scrolled(&mut self, left: i32, view: i32, width: i32) {
        if self.placed == Some(left) {
            return;
        }
        self.placed = None;
        self.on = at_end(left, view, width);
    }
}

/// Whether a viewport of `view` scrolled to `left` shows the end of `width` (within half
/// a column).
fn at_end(left: i32, view: i32, width: i32) -> bool {
    f64::from(left + view) >= f64::from(width) - COLUMN_W / 2.0
}

/// Scrolls `el` (the swimlanes' scroll container) so that the cell in `column` on `lane`
/// is visible beside the sticky lane labels, moving as little as possible, down and up by
/// whole lanes (the top lane in view is never cut: trace.css gives the drawing the room
/// below it that a whole lane's offset needs), and tells `follow` where it went. The
/// drawing is at `scale` ([`super::fit`]).
pub fn reveal_cell(el: &Element, (column, lane): (usize, usize), scale: f64, follow: &mut Follow) {
    let ((left, right), (top, bottom)) = layout::cell_spans(column, lane);
    let [left, right, top, bottom] = [left, right, top, bottom].map(|at| at * scale);
    let view_w = f64::from(el.client_width() - labels_width(el));
    if let Some(x) = layout::reveal(left, right, f64::from(el.scroll_left()), view_w) {
        el.set_scroll_left(x.round() as i32);
    }
    let view_h = f64::from(el.client_height());
    let lane_h = LANE_H * scale;
    if let Some(y) = layout::reveal_whole(top, bottom, f64::from(el.scroll_top()), view_h, lane_h) {
        el.set_scroll_top(y.round() as i32);
    }
    follow.placed(el.scroll_left(), el.client_width(), el.scroll_width());
}

/// The width of the sticky lane labels in `el` (the swimlanes' scroll container).
pub fn labels_width(el: &Element) -> i32 {
    el.query_selector(".trace-lanes")
        .ok()
        .flatten()
        .map_or(0, |labels| labels.client_width())
}
