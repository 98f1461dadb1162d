//! Swimlane geometry in SVG user units (one unit is one CSS pixel): where each lane, node
//! and causation arrow goes, and how far to scroll to show a node. Pure, so it is tested
//! without a browser.

/// The width of a column: one node per column, time flowing left to right.
pub const COLUMN_W: f64 = 120.0;
/// The height of a lane (trace.css repeats it: the room under the drawing).
pub const LANE_H: f64 = 44.0;
/// The width of a node's box.
pub const NODE_W: f64 = 108.0;
/// The height of a node's box; the room left under it holds a failure note.
pub const NODE_H: f64 = 24.0;
/// The space between a node's top and its lane's top.
const NODE_TOP: f64 = 4.0;
/// The radius of the bend of an arrow that changes lane.
const BEND: f64 = 10.0;

/// The top-left corner of the box of the node in `column` on `lane`.
pub fn node_origin(column: usize, lane: usize) -> (f64, f64) {
    (
        column as f64 * COLUMN_W + (COLUMN_W - NODE_W) / 2.0,
        lane_top(lane) + NODE_TOP,
    )
}

/// The top of `lane`.
pub fn lane_top(lane: usize) -> f64 {
    lane as f64 * LANE_H
}

/// The size of the drawing for `columns` columns and `lanes` lanes.
pub fn canvas_size(columns: usize, lanes: usize) -> (f64, f64) {
    (columns as f64 * COLUMN_W, lanes as f64 * LANE_H)
}

/// The baseline of the failure note under a node, relative to the node's origin.
pub fn failure_baseline() -> f64 {
    NODE_H + 11.0
}

/// The SVG path `d` of the causation arrow from the node at `from` to the node at `to`
/// (each `(column, lane)`).
///
/// On one lane the arrow runs straight from the cause's right edge to the effect's left
/// edge. Across lanes it leaves the cause's right edge along the cause's lane, then bends
/// into the effect's top (or bottom) down (or up) the effect's own column, which holds no
/// other node: so it crosses only nodes of the cause's lane.
pub fn edge_path(from: (usize, usize), to: (usize, usize)) -> String {
    let (fx, fy) = node_origin(from.0, from.1);
    let (tx, ty) = node_origin(to.0, to.1);
    let x1 = fx + NODE_W;
    let y1 = fy + NODE_H / 2.0;
    if from.1 == to.1 {
        return format!("M{x1} {y1} H{tx}");
    }
    let x2 = tx + NODE_W / 2.0;
    let down = to.1 > from.1;
    let y2 = if down { ty } else { ty + NODE_H };
    let turn = if x2 >= x1 { BEND } else { -BEND };
    let drop = if down { BEND } else { -BEND };
    format!(
        "M{x1} {y1} H{} Q{x2} {y1} {x2} {} V{y2}",
        x2 - turn,
        y1 + drop
    )
}

/// The scroll offset that brings `start..end` into a viewport of length `view` now
/// scrolled to `scroll`, moving as little as possible; `None` when it is visible already.
/// A span longer than the view is aligned on its start.
pub fn reveal(start: f64, end: f64, scroll: f64, view: f64) -> Option<f64> {
    if start < scroll || end - start > view {
        (start != scroll).then_some(start)
    } else if end > scroll + view {
        Some(end - view)
    } else {
        None
    }
}

/// How much of a span's end [`reveal_whole`] may leave out of view rather than move a unit
/// more (a view a pixel short of three lanes shows three, their last one's bottom rule
/// cut, not two; trace.css repeats it). A lane's and a column's last pixels are blank.
pub const WHOLE_SLACK: f64 = 2.0;

/// As [`reveal`], the offset then rounded up to a whole `unit` (a lane), so the first
/// lane in view is whole: the span stays in view (but for
/// [`WHOLE_SLACK`] of its end) while the view is at least a unit long, and an offset on a
/// unit's start is kept.
pub fn reveal_whole(start: f64, end: f64, scroll: f64, view: f64, unit: f64) -> Option<f64> {
    reveal(start, end, scroll, view)
        .map(|offset| ((offset - WHOLE_SLACK) / unit).ceil().max(0.0) * unit)
        .filter(|&offset| offset != scroll)
}

/// The horizontal and vertical spans (in drawing coordinates) of the cell of a node.
pub fn cell_spans(column: usize, lane: usize) -> ((f64, f64), (f64, f64)) {
    let left = column as f64 * COLUMN_W;
    let top = lane_top(lane);
    ((left, left + COLUMN_W), (top, top + LANE_H))
}
