//! The queue panel: the commands waiting to be handled (the outbox), front first, each
//! with its origin, depth and JSON, and fault injection ("⚡ make this step fail"): an
//! inline editor for a rejection of the command's service, prefilled with a valid one,
//! checked by the boundary before it is sent.

use crate::components::composer::DomainRef;
use crate::components::schema_form::schema::{self, Variant};
use crate::components::schema_form::{unique_prefix, Draft, RawJson, SchemaForm, Shape};
use crate::effect::use_effect_on;
use crate::widgets::text::shorten_middle;
use decider_core::boundary::QueueRow;
use decider_core::{DynDomain, Id, MessageKind};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// How many characters of a stream id are shown before it is shortened in the middle.
const STREAM_CHARS: usize = 28;

/// What [`queue`] shows.
#[derive(Properties, Clone, PartialEq)]
pub struct QueueProps {
    /// The first pending commands, front first.
    pub rows: Rc<Vec<QueueRow>>,
    /// How many commands are queued in all ("and N more" when more than `rows`).
    pub total: usize,
    /// The domain, for the rejection schema and the boundary's validation.
    pub domain: DomainRef,
    /// Faults can be injected (false while viewing the past).
    pub can_inject: bool,
    /// Called with a queued command's id and the rejection (JSON) it should fail with.
    pub on_inject: Callback<(Id, Value)>,
    /// Called with the flow (correlation id) of the row clicked.
    #[prop_or_default]
    pub on_select_flow: Callback<Id>,
}

/// The queue panel; `editing` is the command whose fault editor is open. A plain function,
/// not a component (each component type costs the wasm its own copy of Yew's machinery):
/// the page keeps `editing` and renders the queue with itself.
pub fn queue(props: &QueueProps, editing: &UseStateHandle<Option<Id>>) -> Html {
    let head = html! {
        <header class="queue-head">
            <h2 class="queue-title">{ "Queue" }</h2>
            <span class="queue-count">{ format!("{} pending", props.total) }</span>
        </header>
    };
    if props.rows.is_empty() {
        return html! {
            <section class="queue" aria-label="Queue">
                { head }
                <p class="queue-empty">
                    <strong>{ "Queue empty — in step mode, commands wait here" }</strong>
                    <span class="queue-empty-more">
                        { "Then ⚡ on any of them makes that step fail, so you can watch the compensation." }
                    </span>
                </p>
            </section>
        };
    }
    let close = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(None))
    };
    let on_inject = {
        let (on_inject, close) = (props.on_inject.clone(), close.clone());
        Callback::from(move |fault: (Id, Value)| {
            on_inject.emit(fault);
            close.emit(());
        })
    };
    let more = props.total.saturating_sub(props.rows.len());
    html! {
        <section class="queue" aria-label="Queue">
            { head }
            <ol class="queue-list">
                { for props.rows.iter().map(|row| {
                    let open = props.can_inject && **editing == Some(row.command_id);
                    let toggle = {
                        let (editing, id) = (editing.clone(), row.command_id);
                        Callback::from(move |_: MouseEvent| {
                            editing.set(if *editing == Some(id) { None } else { Some(id) })
                        })
                    };
                    html! {
                        <li class={classes!("queue-item", open.then_some("queue-item-open"))}
                            data-testid="queue-item" key={row.command_id.to_string()}>
                            { queue_line(row, props.can_inject, open, &props.on_select_flow, toggle) }
                            if open {
                                <InjectEditor domain={props.domain.clone()} command_id={row.command_id}
                                    name={row.name.clone()} on_submit={on_inject.clone()} on_cancel={close.clone()} />
                            }
                        </li>
                    }
                }) }
            </ol>
            if more > 0 {
                <p class="queue-more">{ format!("and {more} more") }</p>
            }
        </section>
    }
}

/// One queued command: kind, name and depth, then its stream, origin and JSON; a click selects its
/// flow (`on_select_flow`), the inject button (enabled when `can_inject`) calls
/// `on_toggle`, its editor being `open`. A plain function, not a component: the toggle is a
/// new callback at each of the queue's renders, so a component would render again anyway.
fn queue_line(
    row: &QueueRow,
    can_inject: bool,
    open: bool,
    on_select_flow: &Callback<Id>,
    on_toggle: Callback<MouseEvent>,
) -> Html {
    let select = {
        let (on_select_flow, flow) = (on_select_flow.clone(), row.correlation_id);
        Callback::from(move |_: MouseEvent| on_select_flow.emit(flow))
    };
    let json = row.command.to_string();
    let (kind, glyph, kind_name) = if row.compensation {
        ("kind-compensation", "↩", "compensation")
    } else {
        ("kind-pending", "◌", "pending")
    };
    html! {
        <>
            <div class="queue-line">
                <button type="button" class="queue-main" onclick={select}
                    title={format!("Select flow {}", row.correlation_id)}>
                    <span class={classes!("kind", kind)} aria-label={kind_name} title={kind_name}>{ glyph }</span>
                    <span class="queue-name mono" title={row.name.clone()}>{ &row.name }</span>
                    <span class="queue-depth num mono" title="reaction hops from the user command">
                        { format!("d{}", row.depth) }
                    </span>
                </button>
                <button type="button" class="queue-inject kind-injected" data-testid="inject-button"
                    disabled={!can_inject} aria-expanded={open.to_string()}
                    title={if can_inject { "Make this step fail with a rejection you choose" }
                           else { "Faults are injected at the present, not while viewing the past" }}
                    aria-label="Make this step fail" onclick={on_toggle}>
                    // In a narrow queue only the ⚡ is shown, so the command's name keeps
                    // the room (the button's name stays whole).
                    { "⚡" }<span class="queue-inject-label">{ " make this step fail" }</span>
                </button>
            </div>
            // Where it goes and who sent it, then the command itself: the first line
            // keeps its room for the command's name.
            <div class="queue-detail">
                <span class="queue-stream mono" title={format!("stream {}", row.stream_id)}>
                    { shorten_middle(&row.stream_id, STREAM_CHARS) }
                </span>
                <span class="queue-origin" title="origin">{ &row.origin }</span>
                <code class="queue-json" title={json.clone()}>{ json }</code>
            </div>
        </>
    }
}

/// Properties of [`InjectEditor`].
#[derive(Properties, Clone, PartialEq)]
pub struct InjectEditorProps {
    /// The domain.
    pub domain: DomainRef,
    /// The queued command that should fail.
    pub command_id: Id,
    /// Its name (`restaurant.accept_order`): the first segment is the service whose
    /// rejection is written.
    pub name: String,
    /// Called with the command id and a valid rejection.
    pub on_submit: Callback<(Id, Value)>,
    /// Called on Cancel or Esc.
    pub on_cancel: Callback<()>,
}

/// Where a rejection of a service sits in the domain's rejection type: the schema, its
/// `$defs`, the service's tag (none when the domain has no services) and its schema.
struct Rejections {
    schema: Value,
    defs: Rc<Value>,
    service: Option<String>,
}

impl Rejections {
    fn of(domain: &dyn DynDomain, command_name: &str) -> Self {
        let schema = domain.rejection_schema();
        let defs = Rc::new(schema.get("$defs").cloned().unwrap_or(Value::Null));
        let service = command_name
            .split('.')
            .next()
            .filter(|s| schema::variant_at(&schema, &defs, s).is_some_and(|v| v.payload.is_some()))
            .map(str::to_string);
        Rejections {
            schema,
            defs,
            service,
        }
    }

    /// The tag wrapped around the edited part (`restaurant`, or empty).
    fn tag(&self) -> &str {
        self.service.as_deref().unwrap_or_default()
    }

    /// The schema of the edited part: the service's rejection type, or the whole one.
    fn part(&self) -> &Value {
        self.service
            .as_deref()
            .and_then(|s| schema::variant_at(&self.schema, &self.defs, s))
            .and_then(|v| v.payload)
            .unwrap_or(&self.schema)
    }

    /// The first rejection of the service the boundary accepts: the default, else each
    /// variant's default in turn (else the default, for the boundary to explain).
    fn prefill(&self, domain: &dyn DynDomain) -> Value {
        let tag = self.tag();
        let variants = match schema::shape(self.part(), &self.defs) {
            Shape::Choice(variants) => variants,
            _ => Vec::new(),
        };
        let first = schema::tagged(tag, schema::default_value(self.part(), &self.defs));
        std::iter::once(first.clone())
            .chain(
                variants
                    .iter()
                    .map(|v: &Variant| schema::tagged(tag, v.default_value(&self.defs))),
            )
            .find(|v| domain.validate(MessageKind::Rejection, v).is_ok())
            .unwrap_or(first)
    }
}

/// The inline editor of a fault: a form and raw JSON for a rejection of the command's
/// service, validated by the boundary.
#[function_component]
pub fn InjectEditor(props: &InjectEditorProps) -> Html {
    let rejections = use_memo((props.domain.clone(), props.name.clone()), |(d, name)| {
        Rejections::of(&**d, name)
    });
    let draft = {
        let (rejections, domain) = (rejections.clone(), props.domain.clone());
        use_state(move || Draft::of(rejections.prefill(&*domain)))
    };
    let ids = use_memo((), |_| unique_prefix("inject"));
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_on((), move |_| {
            let first = root
                .cast::<web_sys::Element>()
                .and_then(|r| r.query_selector("select, input, textarea").ok().flatten())
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
            if let Some(first) = first {
                // Focus is a convenience; a refusal changes nothing.
                let _ = first.focus();
            }
        });
    }

    let domain = props.domain.clone();
    let problem = draft.problem(|v| domain.validate(MessageKind::Rejection, v));
    let tag = rejections.tag().to_string();
    let path = match tag.as_str() {
        "" => "$".to_string(),
        service => format!("$.{service}"),
    };
    let value = schema::untagged(&draft.value, &tag).unwrap_or(&Value::Null);
    let on_change = {
        let draft = draft.clone();
        Callback::from(move |v: Value| draft.set(Draft::of(schema::tagged(&tag, v))))
    };
    let on_text = {
        let draft = draft.clone();
        Callback::from(move |text: String| draft.set(draft.with_text(text)))
    };
    let submit = {
        let (on_submit, id, value, valid) = (
            props.on_submit.clone(),
            props.command_id,
            draft.value.clone(),
            problem.is_none(),
        );
        let root = root.clone();
        Callback::from(move |_: MouseEvent| {
            if valid {
                focus_inject_button(&root);
                on_submit.emit((id, value.clone()));
            }
        })
    };
    // Cancel and Esc close the editor with the focus on the ⚡ button that opened it.
    let cancel = {
        let (on_cancel, root) = (props.on_cancel.clone(), root.clone());
        Callback::from(move |()| {
            focus_inject_button(&root);
            on_cancel.emit(());
        })
    };
    let onkeydown = {
        let cancel = cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                cancel.emit(());
            }
        })
    };
    let error_id = format!("{ids}-error");
    let service = rejections
        .service
        .clone()
        .unwrap_or_else(|| "the domain".into());
    html! {
        <div class="queue-editor" ref={root} {onkeydown} role="group"
            aria-label={format!("Rejection to inject into {}", props.name)}>
            <p class="queue-editor-title">
                <span class="kind kind-injected">{ "⚡ injected" }</span>
                { format!(" {} fails with a rejection of {service}:", props.name) }
            </p>
            { SchemaForm {
                schema: rejections.part(),
                defs: &rejections.defs,
                value,
                on_change,
                path: &path,
                error: problem.as_ref().and_then(|p| p.boundary()),
                prefix: &format!("{ids}-form"),
            }.view() }
            { RawJson {
                id: format!("{ids}-json").into(),
                label: "Rejection JSON".into(),
                testid: "inject-json".into(),
                text: draft.text.clone().into(),
                invalid: problem.is_some(),
                error_id: Some(error_id.clone().into()),
                on_input: on_text,
            }.view() }
            if let Some(problem) = &problem {
                <p class="queue-error" data-testid="inject-error" id={error_id} role="alert">
                    { format!("✘ {}", problem.message()) }
                </p>
            }
            <div class="queue-editor-actions">
                <button type="button" class="queue-submit" data-testid="inject-submit"
                    disabled={problem.is_some()} onclick={submit}>
                    { "⚡ Inject fault" }
                </button>
                <button type="button" class="queue-cancel" onclick={cancel.reform(|_: MouseEvent| ())}>
                    { "Cancel" }
                </button>
                <span class="queue-hint"><kbd>{ "Esc" }</kbd>{ " cancels" }</span>
            </div>
        </div>
    }
}

/// Gives the focus to the ⚡ button of the queued command whose fault editor is `editor`,
/// before the editor goes: closing it (Cancel, Esc, Inject) leaves a keyboard user on the
/// button that opened it rather than at the top of the page.
fn focus_inject_button(editor: &NodeRef) {
    let button = editor
        .cast::<web_sys::Element>()
        .and_then(|e| e.parent_element())
        .and_then(|item| {
            item.query_selector("[data-testid=inject-button]")
                .ok()
                .flatten()
        })
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    if let Some(button) = button {
        // Focus is a convenience; a refusal changes nothing.
        let _ = button.focus();
    }
}
