//! A collapsible JSON tree: objects and arrays open and close with ▸/▾ buttons (mouse or
//! keyboard: Enter/Space toggle, → opens, ← closes), scalars are coloured by type, long
//! containers page 200 children at a time. Given a [`JsonDiff`], it marks what changed
//! (added, removed struck through, changed with its old value), opens the parents of
//! changed paths and keeps big unchanged subtrees closed. The person's own choices (nodes
//! opened or closed, pages shown) can be kept by the tree's owner ([`TreeChoices`]), so they
//! outlive the tree. Given a place to send them, each row also offers "which events changed
//! this?" ([`TreeField`]: the row's path and JSON Pointer).

use crate::widgets::json_diff::{ChangeKind, JsonDiff, Segment};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

/// How many children of a container are shown at first, and how many more per click.
pub const PAGE: usize = 200;

/// Containers with more children than this stay closed when a diff says they did not
/// change, even above `collapsed_depth`.
const BIG: usize = 20;

/// The longest inline text of a removed value or an old value before it is cut (the whole
/// text stays in the `title`).
const INLINE_MAX: usize = 80;

/// Properties of [`JsonTree`].
#[derive(Properties, PartialEq)]
pub struct JsonTreeProps {
    /// The value shown.
    pub value: Rc<Value>,
    /// What changed, with paths rooted at this value (`$`), if a diff is shown.
    #[prop_or_default]
    pub diff: Option<Rc<JsonDiff>>,
    /// Containers this deep or deeper start closed (0: even the root).
    #[prop_or(2)]
    pub collapsed_depth: usize,
    /// The root's label.
    #[prop_or(AttrValue::Static("$"))]
    pub name: AttrValue,
    /// Where the person's choices are kept; without it, the tree keeps them itself and
    /// they go with it.
    #[prop_or_default]
    pub choices: Option<TreeChoices>,
    /// Where a row's history button sends its field; without it, rows have none.
    #[prop_or_default]
    pub on_history: Option<Callback<TreeField>>,
    /// The path whose history is shown (its button is pressed).
    #[prop_or_default]
    pub tracked: Option<AttrValue>,
}

/// A field of the tree's value, as a row's history button names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeField {
    /// Its path in the boundary's syntax, rooted at `$` (`$.status`, `$.items[0]`).
    pub path: String,
    /// Its JSON Pointer (`/status`, `/items/0`; `""` for the root).
    pub pointer: String,
}

/// What a person chose in a tree, by path: the nodes opened or closed and how many
/// children of a long container are shown. Its owner keeps it across trees (the inspector
/// keeps one a tab, so a tab shown again opens as it was left); paths are rooted at `$`,
/// so a choice holds for the next value of the same shape too. Equal only to itself.
#[derive(Clone, Default)]
pub struct TreeChoices(Rc<RefCell<Choices>>);

impl PartialEq for TreeChoices {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The choices themselves.
#[derive(Default)]
struct Choices {
    open: HashMap<String, bool>,
    shown: HashMap<String, usize>,
}

/// A collapsible, optionally diff-highlighted JSON tree.
#[function_component]
pub fn JsonTree(props: &JsonTreeProps) -> Html {
    // The person's own choices, by path: they outlive changes of the value, and the
    // tree itself when its owner keeps them.
    let own = use_memo((), |_| TreeChoices::default());
    let choices = props.choices.clone().unwrap_or_else(|| (*own).clone());
    let redraw = use_force_update();
    let on_toggle = {
        let (choices, redraw) = (choices.clone(), redraw.clone());
        Callback::from(move |(path, now): (String, bool)| {
            choices.0.borrow_mut().open.insert(path, now);
            redraw.force_update();
        })
    };
    let on_more = {
        let choices = choices.clone();
        Callback::from(move |path: String| {
            let mut held = choices.0.borrow_mut();
            let count = held.shown.entry(path).or_insert(PAGE);
            *count = count.saturating_add(PAGE);
            drop(held);
            redraw.force_update();
        })
    };
    let held = choices.0.borrow();
    let tree = Tree {
        diff: props.diff.as_deref(),
        open: &held.open,
        shown: &held.shown,
        collapsed_depth: props.collapsed_depth,
        on_toggle: &on_toggle,
        on_more: &on_more,
        on_history: props.on_history.as_ref(),
        tracked: props.tracked.as_deref(),
    };
    html! {
        <ul class="json-tree mono" aria-label={props.name.clone()}>
            { tree.node(&props.name, &props.value, ("$", ""), 0) }
        </ul>
    }
}

/// What every node of one render needs.
struct Tree<'a> {
    diff: Option<&'a JsonDiff>,
    open: &'a HashMap<String, bool>,
    shown: &'a HashMap<String, usize>,
    collapsed_depth: usize,
    on_toggle: &'a Callback<(String, bool)>,
    on_more: &'a Callback<String>,
    on_history: Option<&'a Callback<TreeField>>,
    tracked: Option<&'a str>,
}

impl Tree<'_> {
    /// The node of `value` at `path` (and its JSON Pointer `pointer`), labelled `label`,
    /// with its children when open.
    fn node(
        &self,
        label: &str,
        value: &Value,
        (path, pointer): (&str, &str),
        depth: usize,
    ) -> Html {
        let change = self.diff.and_then(|d| d.get(path));
        let kind = change.map(|c| c.kind);
        let marks = mark_attrs(kind);
        let has_removed = self
            .diff
            .is_some_and(|d| d.removed_under(path).next().is_some());
        let old = change
            .filter(|c| c.kind == ChangeKind::Changed)
            .and_then(|c| c.old.as_ref());
        let was = old.map(|o| format!("{path} was {o}"));
        let Some(count) = size(value).filter(|&n| n > 0 || has_removed) else {
            return html! {
                <li class="json-tree-node" key={path.to_string()}>
                    <div class={classes!("json-tree-row", marks.class)} data-testid={marks.testid}
                         title={was}>
                        <span class="json-tree-spacer" aria-hidden="true"></span>
                        <span class="json-tree-key">{ label }</span>
                        <span class="json-tree-colon">{ ": " }</span>
                        { old.map(|o| html! {
                            <><del class="json-tree-old">{ cut(&o.to_string()) }</del>
                            <span class="json-tree-arrow" aria-hidden="true">{ " → " }</span></>
                        }) }
                        { scalar(value) }
                        { glyph(kind) }
                        { self.history_button(path, pointer) }
                    </div>
                </li>
            };
        };
        let open = self.is_open(path, depth, count);
        let (brace, items) = match value {
            Value::Array(_) => ("[…]", counted(count, "item", "items")),
            _ => ("{…}", counted(count, "key", "keys")),
        };
        let hidden_change = !open && self.diff.is_some_and(|d| d.changed_below(path));
        let toggle = {
            let path = path.to_string();
            self.on_toggle
                .reform(move |_: MouseEvent| (path.clone(), !open))
        };
        let keys = {
            let path = path.to_string();
            let on_toggle = self.on_toggle.clone();
            Callback::from(move |e: KeyboardEvent| {
                let want = match e.key().as_str() {
                    "ArrowRight" => true,
                    "ArrowLeft" => false,
                    _ => return,
                };
                e.prevent_default();
                if want != open {
                    on_toggle.emit((path.clone(), want));
                }
            })
        };
        html! {
            <li class="json-tree-node" key={path.to_string()}>
                <div class={classes!("json-tree-row", marks.class)} data-testid={marks.testid}
                     title={was}>
                    <button type="button" class="json-tree-toggle" aria-expanded={open.to_string()}
                            title={path.to_string()} onclick={toggle} onkeydown={keys}>
                        <span class="json-tree-caret" aria-hidden="true">{ if open { "▾" } else { "▸" } }</span>
                        <span class="json-tree-key">{ label }</span>
                    </button>
                    if !open {
                        <span class="json-tree-colon">{ ": " }</span>
                        <span class="json-tree-brace">{ brace }</span>
                    }
                    <span class="json-tree-count">{ items }</span>
                    { glyph(kind) }
                    if hidden_change {
                        <span class="json-tree-inner-change" title="changes inside">{ "Δ inside" }</span>
                    }
                    { self.history_button(path, pointer) }
                </div>
                if open {
                    <ul class="json-tree-children">
                        { self.children((path, pointer), value, count, depth) }
                    </ul>
                }
            </li>
        }
    }

    /// The node of `child`, at `segment` of the container at `path` (`pointer`, kept only
    /// for a tree whose rows offer a history), `depth` deep.
    fn child(
        &self,
        segment: &Segment,
        child: &Value,
        (path, pointer): (&str, &str),
        depth: usize,
    ) -> Html {
        let child_path = segment.child_of(path);
        let child_pointer = match self.on_history {
            Some(_) => segment.pointer_under(pointer),
            None => String::new(),
        };
        self.node(
            &segment.label(),
            child,
            (&child_path, &child_pointer),
            depth + 1,
        )
    }

    /// The button that asks which events changed the field at `path` (`pointer`), when the
    /// tree has somewhere to send it; pressed while that field's history is shown.
    fn history_button(&self, path: &str, pointer: &str) -> Html {
        let Some(on_history) = self.on_history else {
            return Html::default();
        };
        let field = TreeField {
            path: path.to_string(),
            pointer: pointer.to_string(),
        };
        let pressed = self.tracked == Some(path);
        html! {
            <button type="button" class="json-tree-history" data-testid="field-history-button"
                    data-path={path.to_string()} aria-pressed={pressed.to_string()}
                    aria-label={format!("Which events changed {path}")}
                    title={format!("Which events changed {path}?")}
                    onclick={on_history.reform(move |_: MouseEvent| field.clone())}>
                { "◷" }
            </button>
        }
    }

    /// The shown children of the container at `path` (`pointer`), its children that
    /// changed further on than those (so a change is in sight in a long list), its removed
    /// children, and a "show more" button when some are not shown yet.
    fn children(
        &self,
        (path, pointer): (&str, &str),
        value: &Value,
        count: usize,
        depth: usize,
    ) -> Html {
        let limit = self.shown.get(path).copied().unwrap_or(PAGE);
        let later: Vec<(&Segment, &Value)> = match self.diff {
            Some(diff) if count > limit => diff
                .changed_children(path)
                .iter()
                .filter_map(|segment| Some((segment, beyond(value, segment, limit)?)))
                .filter(|(segment, _)| {
                    let child = segment.child_of(path);
                    diff.get(&child).is_some() || diff.changed_below(&child)
                })
                .take(PAGE)
                .collect(),
            _ => Vec::new(),
        };
        let hidden = count.saturating_sub(limit + later.len());
        let more = {
            let path = path.to_string();
            self.on_more.reform(move |_: MouseEvent| path.clone())
        };
        // Removed children are drawn a page at most (two sessions compared side by side
        // can differ by thousands), the others counted.
        let mut removed = self.diff.into_iter().flat_map(|d| d.removed_under(path));
        let removed_shown: Vec<(&Segment, &Value)> = removed.by_ref().take(PAGE).collect();
        let removed_more = removed.count();
        html! {
            <>
                { for children(value).take(limit).map(|(segment, child)| {
                    self.child(&segment, child, (path, pointer), depth)
                }) }
                if !later.is_empty() {
                    <li class="json-tree-node json-tree-gap" key={format!("{path}/gap")}
                        aria-label="changed further on">
                        { "⋯" }
                    </li>
                }
                { for later.iter().map(|(segment, child)| {
                    self.child(segment, child, (path, pointer), depth)
                }) }
                { for removed_shown.iter().map(|(segment, old)| removed_node(path, segment, old)) }
                if removed_more > 0 {
                    <li class="json-tree-node json-tree-gap" key={format!("{path}/removed-more")}>
                        { format!("and {removed_more} more removed") }
                    </li>
                }
                if hidden > 0 {
                    <li class="json-tree-node" key={format!("{path}/more")}>
                        <button type="button" class="json-tree-more" onclick={more}>
                            { format!("show {} more ({hidden} hidden)", hidden.min(PAGE)) }
                        </button>
                    </li>
                }
            </>
        }
    }

    /// Whether the container at `path` is open: the person's choice, else open when a
    /// change is inside, else open above `collapsed_depth` unless big and unchanged.
    fn is_open(&self, path: &str, depth: usize, count: usize) -> bool {
        if let Some(&chosen) = self.open.get(path) {
            return chosen;
        }
        if self.diff.is_some_and(|d| d.changed_below(path)) {
            return true;
        }
        let big_and_unchanged = depth > 0 && self.diff.is_some() && count > BIG;
        depth < self.collapsed_depth && !big_and_unchanged
    }
}

/// The child of `value` at `segment`, if it is not among the first `shown` children.
fn beyond<'v>(value: &'v Value, segment: &Segment, shown: usize) -> Option<&'v Value> {
    match (value, segment) {
        (Value::Array(items), Segment::Index(index)) if *index >= shown => items.get(*index),
        (Value::Object(map), Segment::Key(key)) if !map.keys().take(shown).any(|k| k == key) => {
            map.get(key)
        }
        _ => None,
    }
}

/// A child that exists only in the old value: struck through, its old value inline.
fn removed_node(parent: &str, segment: &Segment, old: &Value) -> Html {
    let path = segment.child_of(parent);
    let text = old.to_string();
    html! {
        <li class="json-tree-node" key={format!("{path}/removed")}>
            <div class="json-tree-row json-tree-removed" data-testid="diff-mark"
                 title={format!("{path} removed; was {text}")}>
                <span class="json-tree-spacer" aria-hidden="true"></span>
                <del>
                    <span class="json-tree-key">{ segment.label() }</span>
                    <span class="json-tree-colon">{ ": " }</span>
                    <span class="json-tree-old">{ cut(&text) }</span>
                </del>
                { glyph(Some(ChangeKind::Removed)) }
            </div>
        </li>
    }
}

/// The class and test id of a row, by what changed there.
struct Marks {
    class: Option<String>,
    testid: Option<&'static str>,
}

fn mark_attrs(kind: Option<ChangeKind>) -> Marks {
    Marks {
        class: kind.map(|k| format!("json-tree-{}", k.as_str())),
        testid: kind.map(|_| "diff-mark"),
    }
}

/// The glyph beside a changed row (`+`, `−`, `Δ`), named for screen readers.
fn glyph(kind: Option<ChangeKind>) -> Html {
    kind.map_or_else(Html::default, |k| {
        html! {
            <span class="json-tree-glyph" role="img" aria-label={k.as_str()} title={k.as_str()}>
                { k.glyph() }
            </span>
        }
    })
}

/// The number of children of a container, or `None` for a scalar.
fn size(value: &Value) -> Option<usize> {
    match value {
        Value::Object(map) => Some(map.len()),
        Value::Array(items) => Some(items.len()),
        _ => None,
    }
}

/// The children of a container, in order (none for a scalar).
fn children(value: &Value) -> Box<dyn Iterator<Item = (Segment, &Value)> + '_> {
    match value {
        Value::Object(map) => Box::new(map.iter().map(|(k, v)| (Segment::Key(k.clone()), v))),
        Value::Array(items) => Box::new(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Segment::Index(i), v)),
        ),
        _ => Box::new(std::iter::empty()),
    }
}

/// A scalar (or an empty container), coloured by type.
fn scalar(value: &Value) -> Html {
    let class = match value {
        Value::String(_) => "json-tree-string",
        Value::Number(_) => "json-tree-number",
        Value::Bool(_) => "json-tree-bool",
        Value::Null => "json-tree-null",
        Value::Array(_) | Value::Object(_) => "json-tree-brace",
    };
    html! { <span class={class}>{ value.to_string() }</span> }
}

/// `1 key`, `3 keys`.
fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// `text`, cut to [`INLINE_MAX`] characters with an ellipsis.
fn cut(text: &str) -> String {
    match text.char_indices().nth(INLINE_MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}
