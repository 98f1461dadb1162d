//! One row of the event log: position, kind glyph, stream and version, message name (with
//! the refused command, the external and zero-payload badges and the service beside it),
//! compact payload and origin, with the data attributes that scripts and tests read.

use crate::widgets::number::{compact, thousands, COMPACT_FROM};
use crate::widgets::virtual_list::Place;
use decider_core::boundary::rows::{FactRow, RowKind};
use serde_json::Value;
use yew::prelude::*;

/// The longest stream id drawn as one text, which a cell too narrow for it cuts at its
/// start; a longer one is split into its start and end ([`stream_cell`]).
const STREAM_CHARS: usize = 22;
/// The characters of a split stream id always drawn at its end.
const STREAM_TAIL_CHARS: usize = 8;
/// The most characters of a split stream id's start put in the DOM (the widest cell shows
/// 19: the cut is never seen).
const STREAM_HEAD_CHARS: usize = 48;
/// The most payload characters put in the DOM (the cell ellipsizes far earlier).
const PAYLOAD_CHARS: usize = 240;
/// The most payload characters put in a row's tooltip.
const TOOLTIP_CHARS: usize = 2_000;
/// The characters the narrowest stream, message, payload and origin cells show at least
/// (their `minmax` minimums in log.css): texts this short get no tooltip.
const STREAM_FITS: usize = 8;
const MESSAGE_FITS: usize = 14;
const PAYLOAD_FITS: usize = 12;
const ORIGIN_FITS: usize = 8;

/// `text` cut to at most `max` characters, with an ellipsis when cut.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The variant path of the first `depth` wrappers of `value` (`restaurant.accept_order`).
pub fn variant_path(value: &Value, depth: usize) -> String {
    let mut names = Vec::with_capacity(depth);
    let mut value = value;
    for _ in 0..depth {
        match value {
            Value::Object(map) if map.len() == 1 => {
                let Some((key, inner)) = map.iter().next() else {
                    break;
                };
                names.push(key.as_str());
                value = inner;
            }
            Value::String(unit) => {
                names.push(unit.as_str());
                break;
            }
            _ => break,
        }
    }
    names.join(".")
}

/// The fields of a message on one line: `customer: "Ada", items: ["margherita"]`.
pub fn compact_payload(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(key, value)| format!("{key}: {value}"))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// The number of segments of a variant path (`order.order_placed` → 2).
fn depth_of(name: &str) -> usize {
    if name.is_empty() {
        0
    } else {
        name.split('.').count()
    }
}

/// The name of the command a rejection refused. The boundary names only the rejection; a
/// domain's rejections are nested like its commands (`restaurant.not_on_menu` refuses a
/// `restaurant.…` command), so the command's path is read to the same depth.
pub fn refused_command(row: &FactRow) -> Option<String> {
    let command = row.command.as_ref()?;
    let path = variant_path(command, depth_of(&row.name));
    (!path.is_empty()).then_some(path)
}

/// The last segment of a variant path, and the service before it (`order`, `order_placed`).
fn split_name(name: &str) -> (&str, &str) {
    name.rsplit_once('.').unwrap_or(("", name))
}

/// A kind's glyph (never colour alone), its theme class and its spoken name.
#[derive(Clone, Copy)]
struct Glyph {
    glyph: &'static str,
    class: &'static str,
    name: &'static str,
}

/// The glyph of a row's kind, and of its extra mark (injected fault or compensation).
fn glyphs(row: &FactRow) -> (Glyph, Option<Glyph>) {
    let glyph = |glyph, class, name| Glyph { glyph, class, name };
    let kind = match row.kind {
        RowKind::Event => glyph("✔", "kind-event", "event"),
        RowKind::Rejection => glyph("✘", "kind-rejection", "rejection"),
    };
    let mark = if row.injected {
        Some(glyph("⚡", "kind-injected", "injected fault"))
    } else if row.compensation {
        Some(glyph("↩", "kind-compensation", "compensation"))
    } else {
        None
    };
    (kind, mark)
}

/// A row's kind cell: its glyph, named for screen readers, and its mark's glyph if it has
/// one. A kind alone is one element, the cell drawn as the kind's badge; with a mark, the
/// cell holds the two badges.
fn kind_cell(kind: Glyph, mark: Option<Glyph>) -> Html {
    match mark {
        None => html! {
            <span class={classes!("log-cell", "log-kind", "kind", kind.class)} role="gridcell"
                title={kind.name} aria-label={kind.name}>{ kind.glyph }</span>
        },
        Some(mark) => {
            let label = format!("{}, {}", kind.name, mark.name);
            html! {
                <span class="log-cell log-kind" role="gridcell" title={label.clone()}>
                    <span class={classes!("kind", kind.class)} aria-label={label}>{ kind.glyph }</span>
                    <span class={classes!("kind", mark.class)} aria-hidden="true">{ mark.glyph }</span>
                </span>
            }
        }
    }
}

/// A fact's kind glyph and its mark's, as badges outside the log's grid (a comparison's
/// cells), named for screen readers.
pub fn kind_badges(row: &FactRow) -> Html {
    let (kind, mark) = glyphs(row);
    let label = match mark {
        Some(mark) => format!("{}, {}", kind.name, mark.name),
        None => kind.name.to_string(),
    };
    html! {
        <span class="kind-badges" title={label.clone()} role="img" aria-label={label}>
            <span class={classes!("kind", kind.class)}>{ kind.glyph }</span>
            if let Some(mark) = mark {
                <span class={classes!("kind", mark.class)}>{ mark.glyph }</span>
            }
        </span>
    }
}

/// The DOM id of the row at `position`, for `aria-activedescendant`.
pub fn row_id(position: u64) -> String {
    format!("log-row-{position}")
}

/// How a row relates to the selection and the time-travel cursor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowState {
    /// The row's index in the filtered list.
    pub index: usize,
    /// The selected fact.
    pub selected: bool,
    /// In the selected fact's flow.
    pub in_flow: bool,
    /// At or after the time-travel cursor.
    pub future: bool,
    /// Just arrived while following the tail: flashes once.
    pub fresh: bool,
    /// Not yet committed to the browser's store.
    pub pending: bool,
}

/// `text` as a tooltip when it may not fit a cell that shows at least `fits` characters
/// (a shorter text is shown whole: a tooltip would only repeat it).
fn tooltip(text: &str, fits: usize) -> Option<String> {
    (text.chars().nth(fits).is_some()).then(|| text.to_string())
}

/// A row's stream cell. An id of up to `STREAM_CHARS` characters is one text, isolated
/// left to right inside a right-to-left cell (log.css): a cell too narrow for it cuts its
/// start, not the end that tells streams apart (`…rant-luigi`). A longer one is its start
/// and its last `STREAM_TAIL_CHARS` characters side by side: the start gives way, cut by
/// the pixel with one ellipsis (`counter-ab…stuvwxyz`), whatever the cell's width.
fn stream_cell(id: &str) -> Html {
    let title = tooltip(id, STREAM_FITS);
    let count = id.chars().count();
    if count <= STREAM_CHARS {
        return html! {
            <span class="log-cell log-stream mono" role="gridcell" {title}>
                { format!("\u{2066}{id}\u{2069}") }
            </span>
        };
    }
    let split = id
        .char_indices()
        .nth(count - STREAM_TAIL_CHARS)
        .map_or(id.len(), |(at, _)| at);
    let (head, tail) = id.split_at(split);
    let head: String = head.chars().take(STREAM_HEAD_CHARS).collect();
    html! {
        <span class="log-cell log-stream log-stream-split mono" role="gridcell" {title}>
            <span class="log-stream-head">{ head }</span>
            <span class="log-stream-tail">{ tail }</span>
        </span>
    }
}

/// Renders one log row at its `place` in the virtual list (the log listens for clicks on
/// every row at once: its `aria-rowindex` says which).
pub fn render_row(row: &FactRow, state: RowState, place: Place) -> Html {
    let (kind, mark) = glyphs(row);
    let (service, short_name) = split_name(&row.name);
    let payload_text = compact_payload(row.fields());
    let payload_title = match &row.command {
        Some(command) => Some(format!(
            "{}\nrefused command: {}",
            truncate(&payload_text, TOOLTIP_CHARS),
            truncate(&command.to_string(), TOOLTIP_CHARS)
        )),
        None => tooltip(&payload_text, PAYLOAD_FITS).map(|t| truncate(&t, TOOLTIP_CHARS)),
    };
    let badged = row.external || row.zero_payload;
    let refused = (row.kind == RowKind::Rejection)
        .then(|| refused_command(row))
        .flatten();
    let class = classes!(
        "log-row",
        (row.kind == RowKind::Rejection).then_some("log-row-rejection"),
        row.compensation.then_some("log-row-compensation"),
        row.injected.then_some("log-row-injected"),
        state.selected.then_some("log-row-selected"),
        (state.in_flow && !state.selected).then_some("log-row-flow"),
        state.future.then_some("log-row-future"),
        state.fresh.then_some("log-row-fresh"),
        state.pending.then_some("log-row-pending"),
    );
    let version = row.stream_version.map_or_else(String::new, compact);
    // A version cut to thousands is whole in its tooltip.
    let version_title = row
        .stream_version
        .filter(|&v| v >= COMPACT_FROM)
        .map(|v| format!("version {}", thousands(v)));
    html! {
        <div
            key={place.key}
            style={place.style}
            id={row_id(row.position)}
            {class}
            role="row"
            aria-rowindex={(state.index + 2).to_string()}
            aria-selected={state.selected.to_string()}
            data-testid="log-row"
            data-position={row.position.to_string()}
            data-kind={row.kind.as_str()}
            data-stream={row.stream_id.clone()}
            data-origin={row.origin.clone()}
            data-compensation={row.compensation.to_string()}
            data-injected={row.injected.to_string()}
            data-pending={state.pending.then_some("true")}
        >
            <span class="log-cell log-pos num mono" role="gridcell">{ row.position }</span>
            { kind_cell(kind, mark) }
            { stream_cell(&row.stream_id) }
            <span class="log-cell log-version num mono" role="gridcell" title={version_title}>{ version }</span>
            if refused.is_none() && service.is_empty() && !badged {
                // The name alone: the cell is the name.
                <span class="log-cell log-message log-message-name" role="gridcell" title={tooltip(&row.name, MESSAGE_FITS)}>
                    { short_name }
                </span>
            } else {
                // What does not fit wraps away, last first: the service, the badges, the
                // refused command (log.css).
                <span class="log-cell log-message" role="gridcell" title={tooltip(&row.name, MESSAGE_FITS)}>
                    <span class="log-message-name">{ short_name }</span>
                    if let Some(command) = refused {
                        <span class="log-message-refused" title={format!("refused command: {command}")}>
                            { format!("✘ {}", split_name(&command).1) }
                        </span>
                    }
                    if row.external {
                        <span class="badge badge-ext" title="external (integration) event">{ "ext" }</span>
                    }
                    if row.zero_payload {
                        <span class="badge badge-zero" title="zero-payload event: ids only">{ "∅" }</span>
                    }
                    if !service.is_empty() {
                        <span class="log-message-service">{ service }</span>
                    }
                </span>
            }
            <span class="log-cell log-payload mono" role="gridcell" title={payload_title}>
                { truncate(&payload_text, PAYLOAD_CHARS) }
            </span>
            <span class="log-cell log-origin" role="gridcell" title={tooltip(&row.origin, ORIGIN_FITS)}>
                { row.origin.clone() }
            </span>
        </div>
    }
}

/// The sticky header naming the columns.
pub fn render_header() -> Html {
    html! {
        <div class="log-row log-header" role="row" aria-rowindex="1">
            <span class="log-cell log-pos num" role="columnheader">{ "#" }</span>
            <span class="log-cell log-kind" role="columnheader"><span class="visually-hidden">{ "kind" }</span></span>
            <span class="log-cell log-stream" role="columnheader">{ "stream" }</span>
            <span class="log-cell log-version num" role="columnheader" title="stream version">{ "v" }</span>
            <span class="log-cell log-message" role="columnheader">{ "message" }</span>
            <span class="log-cell log-payload" role="columnheader">{ "payload" }</span>
            <span class="log-cell log-origin" role="columnheader">{ "origin" }</span>
        </div>
    }
}
