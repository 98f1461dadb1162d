//! The command composer: pick a command (grouped by service), read its doc comment, fill
//! the form generated from its JSON Schema or edit the raw JSON (each follows the other),
//! see what the boundary says of it, and submit it, once or ×N. Examples from the
//! domain's scenarios and the history of submitted commands fill it in one click.
//!
//! Validation is the boundary's alone (`DynDomain::validate`): the composer knows no
//! domain rule.

mod picker;
mod repeat;
mod shelf;

pub use repeat::MAX_REPEAT;

use crate::components::schema_form::schema::{self, Variant};
use crate::components::schema_form::{unique_prefix, Draft, RawJson, SchemaForm};
use crate::examples::Example;
use crate::widgets::kept::Kept;
use crate::widgets::number::thousands;
use decider_core::boundary::rows::message_name;
use decider_core::{DynDomain, MessageKind};
use gloo::timers::callback::Timeout;
use picker::command_picker;
use repeat::{parse_count, repeat_count, repeat_progress};
use serde_json::Value;
use shelf::{examples, history};
use std::ops::Deref;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

/// A domain as a component property: shared, and equal to another when their ids are
/// (`DomainInfo::id`), so that a panel re-renders only when the domain changes.
#[derive(Clone)]
pub struct DomainRef(pub Rc<dyn DynDomain>);

impl PartialEq for DomainRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.info().id == other.0.info().id
    }
}

impl Deref for DomainRef {
    type Target = dyn DynDomain;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl From<Box<dyn DynDomain>> for DomainRef {
    fn from(domain: Box<dyn DynDomain>) -> Self {
        DomainRef(Rc::from(domain))
    }
}

/// A domain's command type, read once: its schema, the `$defs` its `$ref`s point into,
/// and the command names (`order.place_order`).
#[derive(Debug, PartialEq)]
pub struct Catalog {
    /// The JSON Schema of the command type.
    pub schema: Rc<Value>,
    /// Its `$defs`.
    pub defs: Rc<Value>,
    /// The command variant paths, in schema order.
    pub names: Vec<String>,
}

impl Catalog {
    /// The command type of `domain`.
    pub fn of(domain: &dyn DynDomain) -> Self {
        let schema = domain.command_schema();
        let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
        Catalog {
            names: domain.command_names(),
            schema: Rc::new(schema),
            defs: Rc::new(defs),
        }
    }

    /// The commands grouped by service (the part of the name before the dot), in schema
    /// order; names without a service form an ungrouped run.
    pub fn groups(&self) -> Vec<(Option<&str>, Vec<&String>)> {
        let mut groups: Vec<(Option<&str>, Vec<&String>)> = Vec::new();
        for name in &self.names {
            let service = name.split_once('.').map(|(s, _)| s);
            match groups.last_mut() {
                Some((last, names)) if *last == service => names.push(name),
                _ => groups.push((service, vec![name])),
            }
        }
        groups
    }

    /// The name of the command `value` is, when it is one of the domain's.
    pub fn name_of(&self, value: &Value) -> Option<String> {
        Some(message_name(value, &self.names)).filter(|n| self.names.contains(n))
    }

    /// The variant of the command `name`.
    pub fn variant(&self, name: &str) -> Option<Variant<'_>> {
        schema::variant_at(&self.schema, &self.defs, name)
    }

    /// The command `name` with default fields.
    pub fn default_command(&self, name: &str) -> Value {
        let outer = name.rsplit_once('.').map_or("", |(outer, _)| outer);
        self.variant(name).map_or(Value::Null, |v| {
            schema::tagged(outer, v.default_value(&self.defs))
        })
    }

    /// What the composer shows first: the first command, with default fields.
    fn first_command(&self) -> Value {
        self.names
            .first()
            .map_or(Value::Null, |n| self.default_command(n))
    }
}

/// Properties of [`Composer`].
#[derive(Properties, Clone, PartialEq)]
pub struct ComposerProps {
    /// The domain whose commands are composed.
    pub domain: DomainRef,
    /// Time travel is in the past: everything is disabled and the reason shown.
    #[prop_or_default]
    pub locked: bool,
    /// Why it is locked, when not because of time travel (a read-only session).
    #[prop_or_default]
    pub lock_reason: Option<AttrValue>,
    /// Submitted commands, newest first.
    #[prop_or_default]
    pub history: Rc<Vec<Value>>,
    /// The domain's example commands (`crate::examples::examples_for`).
    #[prop_or_default]
    pub examples: Rc<Vec<Example>>,
    /// A Repeat ×N that runs: commands done and in all.
    #[prop_or_default]
    pub progress: Option<(u64, u64)>,
    /// Called with a valid command and the repeat count N.
    pub on_submit: Callback<(Value, u32)>,
    /// Called when a running repeat is cancelled.
    #[prop_or_default]
    pub on_cancel: Callback<()>,
}

/// The draft, remembered with the domain it was written for.
#[derive(Clone, PartialEq)]
struct Editing {
    domain: String,
    draft: Draft,
}

/// Once the composer has drawn a command taken from a shelf: unless the command's row
/// (`pick_row`) and its form are in view, scrolls the row to the top of the composer, with
/// the form below it; then moves the focus to its picker, where Tab goes on into the
/// command's fields.
fn reveal(pick_row: NodeRef) {
    // After the render the pick asked for (Yew renders before a timer's turn comes).
    Timeout::new(0, move || {
        let Some(row) = pick_row.cast::<Element>() else {
            return;
        };
        if !form_in_view(&row) {
            let options = ScrollIntoViewOptions::new();
            options.set_block(ScrollLogicalPosition::Start);
            row.scroll_into_view_with_scroll_into_view_options(&options);
        }
        if let Some(picker) = row
            .query_selector("select")
            .ok()
            .flatten()
            .and_then(|p| p.dyn_into::<HtmlElement>().ok())
        {
            let _ = picker.focus();
        }
    })
    .forget();
}

/// Scrolls the error (`error_id`) whole into the composer's view and puts the focus in
/// the raw JSON (`json_id`), where the path it names is.
fn show_error(error_id: String, json_id: String) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(json) = document
            .get_element_by_id(&json_id)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            // Focus is a convenience; a refusal changes nothing.
            let _ = json.focus();
        }
        if let Some(error) = document.get_element_by_id(&error_id) {
            let options = ScrollIntoViewOptions::new();
            options.set_block(ScrollLogicalPosition::Nearest);
            error.scroll_into_view_with_scroll_into_view_options(&options);
        }
    })
}

/// Whether the command's `row` and its form (`.composer-form`, a sibling below it) are
/// wholly in view: inside the composer's scrolled body, above its sticky Submit row
/// (`.composer-actions`), and inside the window.
fn form_in_view(row: &Element) -> bool {
    let sibling = |class: &str| {
        row.parent_element()
            .and_then(|body| body.query_selector(class).ok().flatten())
            .map(|e| e.get_bounding_client_rect())
    };
    let top = row.get_bounding_client_rect().top();
    let bottom = sibling(".composer-form").map_or(top, |form| form.bottom());
    let body = row.parent_element().map(|b| b.get_bounding_client_rect());
    let view_top = body.as_ref().map_or(0.0, |b| b.top());
    let view_bottom = sibling(".composer-actions")
        .map_or(f64::MAX, |actions| actions.top())
        .min(body.map_or(f64::MAX, |b| b.bottom()));
    let height = gloo::utils::window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::MAX);
    top >= view_top.max(0.0) && bottom <= view_bottom.min(height)
}

/// The command composer panel.
#[function_component]
pub fn Composer(props: &ComposerProps) -> Html {
    let domain_id = props.domain.info().id.clone();
    let catalog = use_memo(props.domain.clone(), |d| Catalog::of(&**d));
    let ids = use_memo((), |_| unique_prefix("composer"));
    let editing = use_state(|| Editing {
        domain: domain_id.clone(),
        draft: Draft::of(catalog.first_command()),
    });
    let repeat_text = use_state(|| "1".to_string());

    // A new domain starts a new draft.
    let draft = if editing.domain == domain_id {
        editing.draft.clone()
    } else {
        Draft::of(catalog.first_command())
    };
    let set_draft = {
        let (editing, domain_id) = (editing.clone(), domain_id.clone());
        Callback::from(move |draft: Draft| {
            editing.set(Editing {
                domain: domain_id.clone(),
                draft,
            })
        })
    };
    let fill = set_draft.reform(Draft::of);
    // A command taken from a shelf is shown where it is edited: the shelf may have pushed
    // the form out of the composer's view.
    let pick_row = use_node_ref();
    let take = {
        let (fill, pick_row) = (fill.clone(), pick_row.clone());
        Callback::from(move |command: Value| {
            fill.emit(command);
            reveal(pick_row.clone());
        })
    };

    let domain = props.domain.clone();
    let problem = draft.problem(|v| domain.validate(MessageKind::Command, v));
    let picked = catalog.name_of(&draft.value);
    let variant = picked.as_deref().and_then(|n| catalog.variant(n));
    let count = parse_count(&repeat_text);
    let ready = problem.is_none() && count.is_some() && !props.locked && props.progress.is_none();

    let submit = {
        let (on_submit, value) = (props.on_submit.clone(), draft.value.clone());
        Callback::from(move |()| {
            if let (true, Some(n)) = (ready, count) {
                on_submit.emit((value.clone(), n));
            }
        })
    };
    let onkeydown = {
        let submit = submit.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                submit.emit(());
            }
        })
    };
    let on_pick = {
        let (catalog, fill, picked) = (catalog.clone(), fill.clone(), picked.clone());
        Callback::from(move |name: String| {
            if picked.as_ref() != Some(&name) {
                fill.emit(catalog.default_command(&name));
            }
        })
    };
    let on_text = {
        let (set_draft, draft) = (set_draft.clone(), draft.clone());
        Callback::from(move |text: String| set_draft.emit(draft.with_text(text)))
    };
    let on_repeat = {
        let repeat_text = repeat_text.clone();
        Callback::from(move |text: String| repeat_text.set(text))
    };
    // The shelves are built again only when what they list changes: not when the
    // composer is locked or unlocked (the first move into the past), nor with each key
    // typed; and drawn as `Kept` markup, so those renders do not walk their hundred
    // buttons either. Their clicks fill the draft through a setter that stays valid.
    let shelves = {
        let (catalog, take) = (catalog.clone(), take.clone());
        use_memo(
            (
                domain_id.clone(),
                props.examples.clone(),
                props.history.clone(),
            ),
            move |(_, listed, submitted)| {
                let name_of = |v: &Value| {
                    catalog
                        .name_of(v)
                        .unwrap_or_else(|| "unknown command".into())
                };
                (
                    Rc::new(examples(listed, &take, submitted.is_empty())),
                    Rc::new(history(submitted, name_of, &take)),
                )
            },
        )
    };

    let form = match (picked.as_deref(), variant.as_ref().map(|v| v.payload)) {
        (Some(name), Some(Some(payload))) => {
            let value = schema::untagged(&draft.value, name).unwrap_or(&Value::Null);
            let tags = name.to_string();
            let on_change = fill.reform(move |v| schema::tagged(&tags, v));
            SchemaForm {
                schema: payload,
                defs: &catalog.defs,
                value,
                on_change,
                path: &format!("$.{name}"),
                error: problem.as_ref().and_then(|p| p.boundary()),
                prefix: &format!("{ids}-form"),
            }
            .view()
        }
        (Some(_), _) => html! { <p class="composer-empty">{ "This command has no fields." }</p> },
        (None, _) => html! {
            <p class="composer-empty">
                { "The JSON below is not one of this domain's commands: pick a command or an example." }
            </p>
        },
    };
    let first_time = props.history.is_empty();
    let (examples, history) = (
        html! { <Kept html={shelves.0.clone()} /> },
        html! { <Kept html={shelves.1.clone()} /> },
    );
    let error_id = format!("{ids}-error");
    let repeat_id = format!("{ids}-repeat");
    let n = count.unwrap_or(1);

    html! {
        <section class="composer" aria-label="Command composer" {onkeydown}>
            <header class="composer-head">
                <h2 class="composer-title">{ "Command" }</h2>
                <span class="composer-domain" title={props.domain.info().description.clone()}>
                    { props.domain.info().title.clone() }
                </span>
            </header>
            // The lock's note is in the page while unlocked too, unseen
            // (`composer-locked-idle`: not drawn, not in the accessibility tree): locking
            // then shows it, as the past banner is shown, and makes no element; nor are its
            // words shaped for the first time in the frame of the first move into the past.
            <p class={classes!("composer-locked", (!props.locked).then_some("composer-locked-idle"))}
                role="status">
                { "⚠ " }
                { props.lock_reason.clone().unwrap_or_else(|| AttrValue::from(
                    "Viewing the past: commands are issued at the present. Return to the end of the timeline to compose.",
                )) }
            </p>
            <fieldset class="composer-body" disabled={props.locked}>
                // Until something is submitted the examples come first, where a newcomer
                // looks; after that they make way for the form.
                if first_time { { examples.clone() } }
                <div class="composer-pick" ref={pick_row}>
                    <label class="composer-label" for={format!("{ids}-picker")}>{ "Command" }</label>
                    { command_picker(format!("{ids}-picker").into(), &catalog, picked.as_deref(), on_pick) }
                </div>
                if let Some(doc) = variant.as_ref().and_then(|v| v.description) {
                    <p class="composer-doc">{ doc }</p>
                }
                <div class="composer-form">{ form }</div>
                { RawJson {
                    id: format!("{ids}-json").into(),
                    label: "Raw JSON".into(),
                    testid: "command-json".into(),
                    text: draft.text.clone().into(),
                    invalid: problem.is_some(),
                    error_id: Some(error_id.clone().into()),
                    on_input: on_text,
                }.view() }
                if let Some(problem) = &problem {
                    <p class="composer-error" data-testid="command-error" id={error_id.clone()} role="alert">
                        { format!("✘ {}", problem.message()) }
                    </p>
                }
                <div class="composer-actions">
                    { repeat_count(repeat_id.into(), &repeat_text, on_repeat) }
                    <button type="button" class="composer-submit" data-testid="command-submit"
                        disabled={!ready} onclick={submit.reform(|_: MouseEvent| ())}
                        title="Submit (Ctrl+Enter)">
                        { if n > 1 { format!("▶ Submit ×{}", thousands(u64::from(n))) } else { "▶ Submit".to_string() } }
                    </button>
                    // Locked, the lock's note lies over this row: no shortcut to offer (left
                    // out by its class, not taken out: locking makes and drops no element).
                    <span class={classes!("composer-kbd", props.locked.then_some("composer-kbd-locked"))}>
                        <kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "Enter" }</kbd>
                    </span>
                    if let Some(problem) = &problem {
                        // Beside the (sticky) button, so the reason is in view even when the
                        // error above has scrolled away (cut here, whole in its title); a
                        // click shows the error whole and puts the focus in the raw JSON.
                        <button type="button" class="composer-blocked" title={problem.message()}
                            aria-label={format!("Show the error: {}", problem.message())}
                            onclick={show_error(error_id.clone(), format!("{ids}-json"))}>
                            { format!("✘ {}", problem.message()) }
                        </button>
                    }
                </div>
                if count.is_none() {
                    <p class="composer-error" role="alert">
                        { format!("✘ Repeat count must be a whole number from 1 to {MAX_REPEAT}.") }
                    </p>
                }
                <p class="composer-hint">
                    { "With ×N, " }<code>{ "${i}" }</code>{ " in any string becomes 1, 2, … N." }
                </p>
                if !first_time { { examples } }
                { history }
            </fieldset>
            if let Some((done, total)) = props.progress {
                { repeat_progress(done, total, &props.on_cancel) }
            }
        </section>
    }
}
