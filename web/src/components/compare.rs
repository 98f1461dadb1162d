//! A workspace side by side with another of its domain: a what-if fork with the workspace
//! it was forked from, two forks of one original, or any two sessions of a domain. Where
//! they part, the facts each recorded since, position by position, and what differs
//! between their states at their heads (the view, the process managers, every stream
//! either one wrote to), each part as two trees, the shown one's with what differs from
//! the other's highlighted.
//!
//! The other workspace is read from IndexedDB into an engine of its own for the
//! comparison, which the engine makes ([`decider_core::boundary::compare()`]); the page only
//! lays it out.

use crate::browser::around;
use crate::components::inspector::Section;
use crate::components::log::row::{compact_payload, kind_badges};
use crate::effect::use_effect_on;
use crate::persistence::workspaces::{self, Workspace};
use crate::persistence::{db, journal_store};
use crate::session::store::use_session;
use crate::session::{teardown, Session};
use crate::widgets::json_diff::JsonDiff;
use crate::widgets::json_tree::JsonTree;
use crate::widgets::number::thousands;
use decider_core::boundary::history::json_nodes;
use decider_core::boundary::{Comparison, Difference, FactPair, FactRow, Part};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::IdbDatabase;
use yew::prelude::*;

/// A workspace the one shown can be compared with, as the workspace bar knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Other {
    /// Its workspace id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its facts saved.
    pub facts: u64,
    /// The facts the two are known to share (where one was forked from the other, or both
    /// from the same workspace); 0 when not known, and the engine looks from the start.
    pub from: u64,
    /// How it is related to the one shown (`its original`, `a fork of it`, …).
    pub relation: &'static str,
}

/// The workspaces `current` can be compared with: those of its domain, the one it was
/// forked from first, then its own forks, then its siblings (forks of the same one), then
/// the others, the newest first within each.
pub fn candidates(current: &Workspace, all: &[Workspace]) -> Vec<Other> {
    let parent = current.parent.as_ref();
    let mut found: Vec<(u8, f64, Other)> = all
        .iter()
        .filter(|w| w.domain == current.domain && w.id != current.id)
        .map(|w| {
            let (rank, from, relation) = match (parent, w.parent.as_ref()) {
                (Some(p), _) if p.id == w.id => (0, p.position, "its original"),
                (_, Some(q)) if q.id == current.id => (1, q.position, "a fork of it"),
                (Some(p), Some(q)) if p.id == q.id => {
                    (2, p.position.min(q.position), "a fork of the same original")
                }
                _ => (3, 0, "of the same domain"),
            };
            let other = Other {
                id: w.id.clone(),
                name: w.name.clone(),
                facts: w.facts,
                from,
                relation,
            };
            (rank, -w.created, other)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    found.into_iter().map(|(_, _, other)| other).collect()
}

/// What the comparison opens with: the workspace shown's name, and those it can be
/// compared with ([`candidates`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparing {
    /// The name of the workspace shown.
    pub here: AttrValue,
    /// The workspaces it can be compared with; the first is compared first.
    pub others: Rc<Vec<Other>>,
}

/// Properties of [`Compare`].
#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The name of the workspace shown.
    pub here: AttrValue,
    /// The workspaces it can be compared with ([`candidates`]); the first is compared
    /// first.
    pub others: Rc<Vec<Other>>,
    /// Selects a fact of the session shown (its position), from its column.
    pub on_select: Callback<u64>,
}

/// Where reading and comparing stand.
enum Stage {
    Reading,
    Ready(Rc<Shown>),
    Failed(String),
}

/// A comparison ready to show: the parts that differ with their trees and diffs made once.
struct Shown {
    comparison: Comparison,
    parts: Vec<ShownPart>,
    /// What went wrong reading the other workspace, when only its start was compared.
    note: Option<String>,
}

/// Positions drawn at first, and added by each "show more" (the comparison lists up to
/// [`crate::session::COMPARED_FACTS`]).
const FACTS_PAGE: usize = 200;

/// The most JSON nodes a part has for its trees to open three levels deep at first.
const SMALL_NODES: u64 = 2_000;

/// One part of the state that differs, ready to draw.
struct ShownPart {
    /// `view`, `process` or `stream` (its `data-part`).
    kind: &'static str,
    /// Its name: the stream's id, `view`, `process managers`.
    label: String,
    /// Its value in the other workspace (`None`: no such stream there).
    theirs: Option<Rc<Value>>,
    /// Its value in the workspace shown, and what differs from the other's.
    ours: Option<Section>,
    /// How deep its trees open at first: a level less for a large part (a view of
    /// thousands of orders), whose open page would be thousands of rows.
    open_depth: usize,
}

impl ShownPart {
    fn of(difference: &Difference) -> Self {
        let (kind, label) = match &difference.part {
            Part::View => ("view", "view".to_string()),
            Part::Process => ("process", "process managers".to_string()),
            Part::Stream(id) => ("stream", id.clone()),
        };
        ShownPart {
            kind,
            label,
            theirs: difference.theirs.clone().map(Rc::new),
            open_depth: match [&difference.theirs, &difference.ours]
                .into_iter()
                .flatten()
                .map(json_nodes)
                .max()
            {
                Some(nodes) if nodes > SMALL_NODES => 2,
                _ => 3,
            },
            ours: (difference.ours.as_ref())
                .map(|ours| Section::new(ours, Some(difference.theirs.as_ref()))),
        }
    }

    fn diff(&self) -> Option<&JsonDiff> {
        self.ours.as_ref()?.diff.as_deref()
    }
}

/// The workspace shown against one of `others` (the first at first, another picked in the
/// dialog): read when it opens, when another is picked and when asked again.
#[function_component]
pub fn Compare(props: &CompareProps) -> Html {
    let store = use_session();
    let stage = use_state(|| Stage::Reading);
    let round = use_state(|| 0u32);
    let picked = use_state(|| 0usize);
    let chosen = use_state(|| 0usize);
    let facts_shown = use_state(|| FACTS_PAGE);
    // The latest read asked for: an earlier one that ends after it is dropped.
    let latest = use_mut_ref(|| 0u32);
    let other = props.others.get(*picked).cloned();
    {
        let (stage, chosen, session) = (stage.clone(), chosen.clone(), store.shared());
        let facts_shown = facts_shown.setter();
        use_effect_on((other.clone(), *round), move |(other, _)| {
            let Some(other) = other.clone() else {
                return;
            };
            stage.set(Stage::Reading);
            let ticket = {
                let mut latest = latest.borrow_mut();
                *latest += 1;
                *latest
            };
            wasm_bindgen_futures::spawn_local(async move {
                let read = read(&other, &session).await;
                if *latest.borrow() != ticket {
                    return;
                }
                chosen.set(0);
                facts_shown.set(FACTS_PAGE);
                stage.set(match read {
                    Ok(shown) => Stage::Ready(Rc::new(shown)),
                    Err(why) => Stage::Failed(why),
                });
            });
        });
    }
    let Some(other) = other else {
        return html! {
            <p class="compare-status" role="status">{ "No other workspace of this domain to compare with." }</p>
        };
    };
    let again = {
        let round = round.clone();
        Callback::from(move |_: MouseEvent| round.set(*round + 1))
    };
    let on_pick = {
        let picked = picked.setter();
        Callback::from(move |e: Event| {
            if let Ok(index) = crate::components::header::select_value(&e).parse() {
                picked.set(index);
            }
        })
    };
    let on_more = {
        let facts_shown = facts_shown.clone();
        Callback::from(move |_: MouseEvent| facts_shown.set(*facts_shown + FACTS_PAGE))
    };
    let names = Names {
        other: other.name.clone(),
        here: props.here.to_string(),
    };
    let body = match &*stage {
        Stage::Reading => html! {
            <p class="compare-status" role="status">
                { format!("Reading “{}” from this browser's store and comparing…", other.name) }
            </p>
        },
        Stage::Failed(why) => html! {
            <p class="compare-status compare-error" role="alert">{ why }</p>
        },
        Stage::Ready(shown) => {
            let choose = chosen.setter();
            html! {
                <>
                    { summary(shown, &other) }
                    { facts(&shown.comparison, &names, *facts_shown, on_more, &props.on_select) }
                    { differences(shown, &names, *chosen, Callback::from(move |i| choose.set(i))) }
                </>
            }
        }
    };
    html! {
        <div class="compare" data-testid="compare-body">
            <div class="compare-bar">
                <label class="compare-side compare-side-theirs">
                    <span>{ "compare with" }</span>
                    <select data-testid="compare-with" onchange={on_pick}>
                        { for props.others.iter().enumerate().map(|(index, w)| html! {
                            <option value={index.to_string()} selected={index == *picked}>
                                { format!("{} ({}, {} facts)", w.name, w.relation, thousands(w.facts)) }
                            </option>
                        }) }
                    </select>
                </label>
                <span class="compare-side compare-side-ours" title={names.here.clone()}>
                    { "this workspace: " }<b>{ &names.here }</b>
                </span>
                <span class="spacer"></span>
                <button class="tool" data-testid="compare-again" onclick={again}
                    title="Read both again and compare their heads as they are now">{ "↻ compare again" }</button>
            </div>
            <div class="compare-scroll">{ body }</div>
        </div>
    }
}

/// The two workspaces' names, for the columns.
struct Names {
    /// The one compared with.
    other: String,
    /// The one shown.
    here: String,
}

/// Reads `other`'s journal from the store into an engine of its own, compares the session
/// shown with it, and lets the engine go (freed in slices).
async fn read(other: &Other, session: &Rc<RefCell<Session>>) -> Result<Shown, String> {
    let db = db::open()
        .await
        .map_err(|e| format!("The browser's store does not open: {e}."))?;
    let shown = read_from(&db, other, session).await;
    db.close();
    shown
}

async fn read_from(
    db: &IdbDatabase,
    other: &Other,
    session: &Rc<RefCell<Session>>,
) -> Result<Shown, String> {
    let listed = workspaces::list(db)
        .await
        .map_err(|e| format!("The workspaces do not load: {e}."))?;
    let record = listed
        .into_iter()
        .find(|w| w.id == other.id)
        .ok_or_else(|| {
            format!(
                "The workspace “{}” is no longer in this browser's store (it was deleted): \
                 there is nothing to compare with.",
                other.name
            )
        })?;
    let domain = {
        let session = session.borrow();
        let domain = session.domain().clone();
        if domain.info().id != record.domain {
            return Err(format!(
                "The workspace “{}” is of the {} domain, this one of the {}: they do not \
                 compare.",
                other.name,
                record.domain,
                domain.info().id
            ));
        }
        domain
    };
    let loaded = journal_store::load(db, &record.id, &*domain, record.seed(), true)
        .await
        .map_err(|e| format!("The journal of “{}” does not read: {e}.", other.name))?;
    let (engine, damage) = (loaded.engine, loaded.damage);
    let note = damage.map(|d| {
        format!(
            "The journal of “{}” is damaged at entry {} ({}: {}): it is compared up to there.",
            other.name, d.sequence, d.path, d.message
        )
    });
    let comparison = session.borrow().compare_with(&*engine, other.from);
    teardown::release(engine);
    let parts = comparison.differences.iter().map(ShownPart::of).collect();
    Ok(Shown {
        comparison,
        parts,
        note,
    })
}

/// Where the two part and how far each went since.
fn summary(shown: &Shown, other: &Other) -> Html {
    let c = &shown.comparison;
    let parted = if c.facts.is_empty() && c.differences.is_empty() {
        format!(
            "Nothing differs: both hold the same {} facts.",
            thousands(c.shared)
        )
    } else {
        let mut text = match c.shared {
            0 => "They differ from the first fact".to_string(),
            n => format!(
                "They share their first {} facts and part at #{}",
                thousands(n),
                thousands(n)
            ),
        };
        let alike = c.shared.saturating_sub(other.from);
        match (other.from, alike) {
            (0, _) => {}
            (_, 0) => text.push_str(" (up to the fork)"),
            (from, alike) => text.push_str(&format!(
                " (forked at #{}, the next {} facts alike too)",
                thousands(from),
                thousands(alike)
            )),
        }
        text.push('.');
        text
    };
    let since = |head: u64| match head - c.shared {
        0 => "nothing since".to_string(),
        n => format!("+{} since", thousands(n)),
    };
    let queued = match c.queued {
        (0, 0) => String::new(),
        (a, b) => format!(" Queued: {a} there, {b} here."),
    };
    html! {
        <div class="compare-summary" data-testid="compare-summary" data-shared={c.shared.to_string()}>
            <p>{ parted }</p>
            <p class="compare-heads">
                <span class="compare-head">{ format!("“{}”: {} facts ({})", other.name, thousands(c.their_head), since(c.their_head)) }</span>
                <span class="compare-head">{ format!("this workspace: {} facts ({})", thousands(c.our_head), since(c.our_head)) }</span>
                { queued }
            </p>
            if let Some(note) = &shown.note {
                <p class="compare-note" role="note">{ note }</p>
            }
        </div>
    }
}

/// The facts from where they part, a row a position: the other workspace's and this one's
/// side by side, alike ones marked `=`; this one's fact is a button that selects it.
fn facts(
    c: &Comparison,
    names: &Names,
    shown: usize,
    on_more: Callback<MouseEvent>,
    on_select: &Callback<u64>,
) -> Html {
    if c.facts.is_empty() {
        return html! {};
    }
    let shown = shown.min(c.facts.len());
    let listed_to = c.shared + c.facts.len() as u64;
    let rest = c.their_head.max(c.our_head) - listed_to;
    let first = c.facts.iter().position(|pair| pair.ours.is_some());
    let first = first.unwrap_or(usize::MAX);
    let hidden = c.facts.len() - shown;
    html! {
        <section class="compare-section" aria-labelledby="compare-facts-title">
            <h3 id="compare-facts-title">{ format!("Facts from #{}", thousands(c.shared)) }</h3>
            <div class="compare-facts" role="table" aria-labelledby="compare-facts-title"
                onkeydown={Callback::from(move_between_facts)}>
                <div class="compare-row compare-row-head" role="row">
                    <span role="columnheader" class="compare-pos">{ "#" }</span>
                    <span role="columnheader" class="compare-name compare-side-theirs" title={names.other.clone()}>{ &names.other }</span>
                    <span role="columnheader" class="compare-alike-mark"><span class="visually-hidden">{ "alike" }</span></span>
                    <span role="columnheader" class="compare-name compare-side-ours" title={names.here.clone()}>{ format!("this workspace: {}", names.here) }</span>
                </div>
                { for c.facts.iter().take(shown).enumerate().map(|(index, pair)| fact_row(pair, index == first, on_select)) }
            </div>
            if hidden > 0 {
                <button type="button" class="tool compare-more-facts" data-testid="compare-more-facts" onclick={on_more}>
                    { format!("show {} more positions ({} hidden)", thousands(hidden.min(FACTS_PAGE) as u64), thousands(hidden as u64)) }
                </button>
            }
            if rest > 0 {
                <p class="compare-more">{ format!("{} more positions not listed", thousands(rest)) }</p>
            }
        </section>
    }
}

/// One position's row; `tab_stop` for the first fact of the workspace shown, the table's
/// one stop in the Tab order (↑ and ↓ go between its facts: [`move_between_facts`]).
fn fact_row(pair: &FactPair, tab_stop: bool, on_select: &Callback<u64>) -> Html {
    let alike = pair.alike();
    let position = pair.position;
    let ours = match &pair.ours {
        Some(row) => html! {
            <button type="button" class="compare-fact compare-fact-select" data-testid="compare-select"
                tabindex={if tab_stop { "0" } else { "-1" }}
                title={format!("Select #{position} of this workspace in the log")}
                onclick={on_select.reform(move |_: MouseEvent| position)}>
                { fact(row) }
            </button>
        },
        None => absent(),
    };
    html! {
        <div class={classes!("compare-row", alike.then_some("compare-row-alike"))} role="row"
            data-testid="compare-row" data-position={position.to_string()} data-alike={alike.to_string()}>
            <span role="cell" class="compare-pos mono">{ position }</span>
            <span role="cell" class="compare-cell" data-side="theirs">
                { pair.theirs.as_ref().map_or_else(absent, |row| html! { <span class="compare-fact">{ fact(row) }</span> }) }
            </span>
            <span role="cell" class="compare-alike-mark" title={if alike { "the same fact in both" } else { "they differ here" }}>
                { if alike { "=" } else { "≠" } }
            </span>
            <span role="cell" class="compare-cell" data-side="ours">{ ours }</span>
        </div>
    }
}

/// ↓ and ↑ on a fact of the workspace shown move the focus to the next or previous one:
/// the table is one Tab stop, not one a row.
fn move_between_facts(event: KeyboardEvent) {
    let forward = match event.key().as_str() {
        "ArrowDown" => true,
        "ArrowUp" => false,
        _ => return,
    };
    let Some(row) = around(&event, "[data-testid=compare-row]") else {
        return;
    };
    event.prevent_default();
    let mut next = Some(row);
    while let Some(row) = next {
        next = match forward {
            true => row.next_element_sibling(),
            false => row.previous_element_sibling(),
        };
        let button = (next.as_ref())
            .and_then(|row| {
                row.query_selector("[data-testid=compare-select]")
                    .ok()
                    .flatten()
            })
            .and_then(|button| button.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(button) = button {
            // Focus is a convenience; a refusal changes nothing.
            let _ = button.focus();
            return;
        }
    }
}

/// A fact in a cell: its kind, message, stream and payload on one line.
fn fact(row: &FactRow) -> Html {
    let short = row
        .name
        .rsplit_once('.')
        .map_or(row.name.as_str(), |(_, n)| n);
    let payload = compact_payload(row.fields());
    html! {
        <>
            { kind_badges(row) }
            <span class="compare-fact-name" title={row.name.clone()}>{ short }</span>
            <span class="compare-fact-stream mono" title={row.stream_id.clone()}>{ &row.stream_id }</span>
            <span class="compare-fact-payload mono" title={payload.clone()}>{ payload }</span>
        </>
    }
}

fn absent() -> Html {
    html! { <span class="compare-absent" aria-label="no fact">{ "—" }</span> }
}

/// What differs at the heads: a list of the parts, and the chosen one's trees side by side
/// (this workspace's with what differs from the other's highlighted).
fn differences(shown: &Shown, names: &Names, chosen: usize, on_choose: Callback<usize>) -> Html {
    let c = &shown.comparison;
    let streams = match c.streams_compared {
        1 => "1 stream compared".to_string(),
        n => format!("{} streams compared", thousands(n as u64)),
    };
    if shown.parts.is_empty() {
        return html! {
            <section class="compare-section" aria-labelledby="compare-state-title">
                <h3 id="compare-state-title">{ "State at the heads" }</h3>
                <p class="compare-status">{ format!("The same in both ({streams}, the view and the process managers).") }</p>
            </section>
        };
    }
    let chosen = chosen.min(shown.parts.len() - 1);
    let part = &shown.parts[chosen];
    let missing = |name: &str| html! { <p class="compare-status">{ format!("No such stream in “{name}”.") }</p> };
    html! {
        <section class="compare-section" aria-labelledby="compare-state-title">
            <h3 id="compare-state-title">
                { format!("What differs at the heads ({streams})") }
            </h3>
            <div class="compare-parts" role="group" aria-label="parts that differ">
                { for shown.parts.iter().enumerate().map(|(index, part)| {
                    let (count, title) = match (&part.theirs, &part.ours) {
                        (None, _) => ("only here".to_string(), format!("only in “{}”", names.here)),
                        (_, None) => ("only there".to_string(), format!("only in “{}”", names.other)),
                        _ => {
                            let changed = part.diff().map_or(0, JsonDiff::len);
                            (format!("Δ {changed}"), format!("{changed} paths differ"))
                        }
                    };
                    html! {
                        <button type="button" class="compare-part" data-testid="compare-difference"
                            data-part={part.kind} aria-pressed={(index == chosen).to_string()} {title}
                            onclick={on_choose.reform(move |_: MouseEvent| index)}>
                            <span class="compare-part-name mono">{ &part.label }</span>
                            <span class="compare-part-count">{ count }</span>
                        </button>
                    }
                }) }
                if c.more_differences > 0 {
                    <span class="compare-more">{ format!("and {} more streams differ", thousands(c.more_differences as u64)) }</span>
                }
            </div>
            <div class="compare-trees" data-testid="compare-detail" data-label={part.label.clone()}>
                <div class="compare-tree" data-side="theirs">
                    <h4 class="compare-side-theirs" title={names.other.clone()}>{ &names.other }</h4>
                    { match &part.theirs {
                        Some(value) => html! { <JsonTree value={value.clone()} collapsed_depth={part.open_depth} name={part.label.clone()} /> },
                        None => missing(&names.other),
                    } }
                </div>
                <div class="compare-tree" data-side="ours">
                    <h4 class="compare-side-ours" title={names.here.clone()}>{ format!("this workspace: {}", names.here) }</h4>
                    { match &part.ours {
                        Some(section) => html! { <JsonTree value={section.value.clone()} diff={section.diff.clone()} collapsed_depth={part.open_depth} name={part.label.clone()} /> },
                        None => missing(&names.here),
                    } }
                </div>
            </div>
        </section>
    }
}
