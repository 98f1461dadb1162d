//! A form generated from a JSON Schema (as schemars writes it for serde types): one
//! labelled input per field, lists with add and remove, nested objects, enums as
//! selects, optionals behind a checkbox, doc comments as help text, and the boundary's
//! error shown at the field its JSON path names.
//!
//! The form holds no state: it renders `value` and sends every edit up as a whole new
//! value, so that the raw JSON next to it can follow.

pub mod draft;
pub mod schema;
pub mod select;

pub use draft::{Draft, Problem, RawJson};
pub use schema::{default_value, Shape, Variant};
pub use select::Select;

use decider_core::BoundaryError;
use schema::{default_of, description, shape, Bounds};
use serde_json::Value;
use std::sync::atomic::{AtomicU32, Ordering};
use yew::prelude::*;

/// A form for `value` following `schema`: a plain value turned into HTML by
/// [`SchemaForm::view`], not a component (its editors' callbacks are new at each of their
/// renders, so a component would render again anyway, and each component type costs the
/// wasm its own copy of Yew's machinery).
pub struct SchemaForm<'a> {
    /// The (sub-)schema to render.
    pub schema: &'a Value,
    /// The root schema's `$defs`, where `$ref`s point.
    pub defs: &'a Value,
    /// The value shown.
    pub value: &'a Value,
    /// Called with the whole new value on every edit.
    pub on_change: Callback<Value>,
    /// The JSON path of `value` in the message (`$.order.place_order`): the prefix of
    /// every field's path, as the boundary's errors spell them.
    pub path: &'a str,
    /// The boundary's error: the field at its path is highlighted and shows the message.
    pub error: Option<&'a BoundaryError>,
    /// The start of every element id of the form, unique on the page (two forms, the
    /// composer and a fault editor, never share ids) and the same at every render of one
    /// editor ([`unique_prefix`], made once by the editor).
    pub prefix: &'a str,
}

impl SchemaForm<'_> {
    /// The form.
    pub fn view(self) -> Html {
        let form = Form {
            defs: self.defs,
            error: self.error,
            prefix: self.prefix,
        };
        let field = Field {
            schema: self.schema,
            value: self.value,
            path: self.path,
            label: last_segment(self.path),
            optional: false,
            on_change: self.on_change,
        };
        html! { <div class="sf">{ form.root(field) }</div> }
    }
}

/// A fresh id prefix per mounted editor, so that two on the page (the composer and a fault
/// editor) never share element ids.
pub fn unique_prefix(kind: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("{kind}{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// What every field of one form shares.
struct Form<'a> {
    defs: &'a Value,
    error: Option<&'a BoundaryError>,
    prefix: &'a str,
}

/// One node of the value being rendered.
#[derive(Clone)]
struct Field<'a> {
    schema: &'a Value,
    value: &'a Value,
    path: &'a str,
    label: &'a str,
    optional: bool,
    on_change: Callback<Value>,
}

impl Form<'_> {
    /// The root: an object's fields are laid out directly, anything else as one field.
    fn root(&self, field: Field) -> Html {
        match shape(field.schema, self.defs) {
            Shape::Object {
                properties,
                required,
            } => html! {
                <>
                    { self.error_at(field.path) }
                    { self.fields(&field, &properties, &required) }
                </>
            },
            node => self.node(&field, node),
        }
    }

    fn node(&self, field: &Field, node: Shape) -> Html {
        match node {
            Shape::Object { properties, required } => html! {
                <fieldset class={self.classes("sf-object", field.path)} title={field.path.to_string()}>
                    <legend>{ self.legend(field) }</legend>
                    { self.help(field) }
                    { self.error_at(field.path) }
                    { self.fields(field, &properties, &required) }
                </fieldset>
            },
            Shape::Array { items, .. } => self.array(field, items),
            Shape::Text => self.input(field, None, text_of(field.value), Value::String),
            Shape::Integer(bounds) => self.number(field, bounds, "1"),
            Shape::Number(bounds) => self.number(field, bounds, "any"),
            Shape::Boolean => self.checkbox(field),
            Shape::Const(value) => self.scalar(
                field,
                html! { <code id={self.id(field.path)} class="sf-const">{ value.to_string() }</code> },
            ),
            Shape::Choice(variants) => self.choice(field, variants),
            Shape::Optional(inner) => self.optional(field, *inner),
            Shape::Any => self.scalar(
                field,
                html! {
                    <span id={self.id(field.path)} class="sf-any">
                        { "edit this value in the raw JSON" }
                    </span>
                },
            ),
        }
    }

    /// Each property of an object, in the order of [`Shape::Object`].
    fn fields(&self, field: &Field, properties: &[(&str, &Value)], required: &[&str]) -> Html {
        let map = field.value.as_object().cloned().unwrap_or_default();
        properties
            .iter()
            .map(|(name, schema)| {
                let path = format!("{}.{name}", field.path);
                let on_change = {
                    let (map, name, parent) =
                        (map.clone(), name.to_string(), field.on_change.clone());
                    Callback::from(move |v: Value| {
                        let mut map = map.clone();
                        map.insert(name.clone(), v);
                        parent.emit(Value::Object(map));
                    })
                };
                let child = Field {
                    schema,
                    value: map.get(*name).unwrap_or(&Value::Null),
                    path: &path,
                    label: name,
                    optional: !required.contains(name),
                    on_change,
                };
                self.node(&child, shape(schema, self.defs))
            })
            .collect()
    }

    /// A list: one row per item with a remove button, and an add button.
    fn array(&self, field: &Field, items: &Value) -> Html {
        let list = field.value.as_array().cloned().unwrap_or_default();
        let fresh = default_value(items, self.defs);
        let add = list_edit(&list, &field.on_change, move |l, _: MouseEvent| {
            l.push(fresh.clone())
        });
        let rows = list.iter().enumerate().map(|(i, item)| {
            let path = format!("{}[{i}]", field.path);
            let label = format!("{}[{i}]", field.label);
            let on_change = list_edit(&list, &field.on_change, move |l, v: Value| {
                if let Some(slot) = l.get_mut(i) {
                    *slot = v;
                }
            });
            let remove = list_edit(&list, &field.on_change, move |l, _: MouseEvent| {
                if i < l.len() {
                    l.remove(i);
                }
            });
            let child = Field {
                schema: items,
                value: item,
                path: &path,
                label: &label,
                optional: false,
                on_change,
            };
            html! {
                <li class="sf-item" key={i}>
                    { self.node(&child, shape(items, self.defs)) }
                    <button type="button" class="sf-remove" onclick={remove}
                        aria-label={format!("Remove {label}")} title={format!("Remove {label}")}>
                        { "×" }
                    </button>
                </li>
            }
        });
        html! {
            <fieldset class={self.classes("sf-array", field.path)} title={field.path.to_string()}>
                <legend>
                    { self.legend(field) }
                    <span class="sf-count">{ format!(" ({})", list.len()) }</span>
                </legend>
                { self.help(field) }
                { self.error_at(field.path) }
                if list.is_empty() {
                    <p class="sf-empty">{ "empty list" }</p>
                } else {
                    <ol class="sf-items">{ for rows }</ol>
                }
                <button type="button" class="sf-add" onclick={add}>
                    { format!("+ add {}", field.label) }
                </button>
            </fieldset>
        }
    }

    /// An integer or a number; text that is not a number is kept as a string, so that
    /// the boundary names the field.
    fn number(&self, field: &Field, bounds: Bounds, step: &'static str) -> Html {
        let text = match field.value {
            Value::Number(n) => n.to_string(),
            other => text_of(other),
        };
        self.input(
            field,
            Some((bounds, step)),
            text,
            |text| match serde_json::from_str::<Value>(text.trim()) {
                Ok(Value::Number(n)) => Value::Number(n),
                _ => Value::String(text),
            },
        )
    }

    /// A text input, or a number input when `numeric` gives its bounds and step.
    fn input(
        &self,
        field: &Field,
        numeric: Option<(Bounds, &'static str)>,
        text: String,
        parse: fn(String) -> Value,
    ) -> Html {
        let parent = field.on_change.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            parent.emit(parse(input.value()));
        });
        let bound = |pick: fn(&Bounds) -> Option<i128>| {
            numeric.and_then(|(b, _)| pick(&b)).map(|n| n.to_string())
        };
        let input = html! {
            <input
                type={if numeric.is_some() { "number" } else { "text" }}
                inputmode={numeric.map(|(_, step)| if step == "1" { "numeric" } else { "decimal" })}
                step={numeric.map(|(_, step)| step)}
                min={bound(|b| b.min)}
                max={bound(|b| b.max)}
                id={self.id(field.path)}
                class="sf-input"
                value={text}
                spellcheck="false"
                aria-invalid={self.invalid(field.path).to_string()}
                aria-describedby={self.described_by(field)}
                {oninput}
            />
        };
        self.scalar(field, input)
    }

    fn checkbox(&self, field: &Field) -> Html {
        let parent = field.on_change.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            parent.emit(Value::Bool(input.checked()));
        });
        self.scalar(
            field,
            html! {
                <input type="checkbox" id={self.id(field.path)} class="sf-check"
                    checked={field.value.as_bool().unwrap_or(false)}
                    aria-invalid={self.invalid(field.path).to_string()}
                    aria-describedby={self.described_by(field)}
                    {onchange} />
            },
        )
    }

    /// An enum: a select of its variants, and the picked variant's payload under it.
    fn choice(&self, field: &Field, variants: Vec<Variant>) -> Html {
        let current = match field.value {
            Value::String(name) => Some((name.as_str(), None)),
            Value::Object(map) if map.len() == 1 => {
                map.iter().next().map(|(k, v)| (k.as_str(), Some(v)))
            }
            _ => None,
        };
        let picked = current.and_then(|(name, _)| variants.iter().find(|v| v.name == name));
        let on_change = {
            let defaults: Vec<(String, Value)> = variants
                .iter()
                .map(|v| (v.name.to_string(), v.default_value(self.defs)))
                .collect();
            let parent = field.on_change.clone();
            Callback::from(move |name: String| {
                if let Some((_, value)) = defaults.iter().find(|(n, _)| *n == name) {
                    parent.emit(value.clone());
                }
            })
        };
        let select = html! {
            <Select id={self.id(field.path)} class="sf-select"
                value={picked.map_or("", |p| p.name).to_string()}
                invalid={self.invalid(field.path)}
                described_by={self.described_by(field)}
                {on_change}>
                if picked.is_none() {
                    <option value="" disabled=true>{ "— pick one —" }</option>
                }
                { for variants.iter().map(|v| html! {
                    <option value={v.name.to_string()} title={v.description.map(str::to_string)}>
                        { v.name }
                    </option>
                }) }
            </Select>
        };
        let payload = match (picked.and_then(|v| v.payload), current) {
            (Some(schema), Some((name, Some(inner)))) => {
                let path = format!("{}.{name}", field.path);
                let (tag, parent) = (name.to_string(), field.on_change.clone());
                let child = Field {
                    schema,
                    value: inner,
                    path: &path,
                    label: name,
                    optional: false,
                    on_change: Callback::from(move |v| parent.emit(schema::tagged(&tag, v))),
                };
                html! {
                    <div class="sf-variant">
                        { picked.and_then(|v| v.description).map(|d| html! { <p class="sf-help">{ d }</p> }) }
                        { self.root(child) }
                    </div>
                }
            }
            _ => html! {},
        };
        html! { <>{ self.scalar(field, select) }{ payload }</> }
    }

    /// An optional: a checkbox that sets it (to a default) or clears it (to `null`).
    fn optional(&self, field: &Field, inner: Shape) -> Html {
        let set = !field.value.is_null();
        let onchange = {
            let fresh = default_of(&inner, self.defs);
            let parent = field.on_change.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                parent.emit(if input.checked() {
                    fresh.clone()
                } else {
                    Value::Null
                });
            })
        };
        let toggle_id = format!("{}-set", self.id(field.path));
        html! {
            <div class="sf-optional">
                <label class="sf-set" for={toggle_id.clone()}>
                    <input type="checkbox" id={toggle_id} checked={set} {onchange} />
                    { format!(" {} ", field.label) }
                    <span class="sf-tag">{ if set { "set" } else { "none (optional)" } }</span>
                </label>
                if set {
                    { self.node(&Field { optional: false, ..field.clone() }, inner) }
                } else {
                    { self.help(field) }
                }
            </div>
        }
    }

    /// A labelled control with its help text and its error.
    fn scalar(&self, field: &Field, control: Html) -> Html {
        html! {
            <div class={self.classes("sf-field", field.path)} title={field.path.to_string()}>
                <label class="sf-label" for={self.id(field.path)}>{ self.legend(field) }</label>
                { control }
                { self.help(field) }
                { self.error_at(field.path) }
            </div>
        }
    }

    fn legend(&self, field: &Field) -> Html {
        html! {
            <>
                <span class="sf-name mono">{ field.label.to_string() }</span>
                if field.optional { <span class="sf-tag">{ " optional" }</span> }
            </>
        }
    }

    fn help(&self, field: &Field) -> Html {
        match description(field.schema, self.defs) {
            Some(text) => html! {
                <p class="sf-help" id={format!("{}-help", self.id(field.path))}>{ text }</p>
            },
            None => html! {},
        }
    }

    fn error_at(&self, path: &str) -> Html {
        match self.error.filter(|e| e.path == path) {
            Some(e) => html! {
                <p class="sf-error" role="alert" id={format!("{}-error", self.id(path))}>
                    { format!("✘ {}", e.message) }
                </p>
            },
            None => html! {},
        }
    }

    fn described_by(&self, field: &Field) -> Option<String> {
        let id = self.id(field.path);
        let mut ids = Vec::new();
        if description(field.schema, self.defs).is_some() {
            ids.push(format!("{id}-help"));
        }
        if self.invalid(field.path) {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    fn invalid(&self, path: &str) -> bool {
        self.error.is_some_and(|e| e.path == path)
    }

    fn classes(&self, base: &'static str, path: &str) -> Classes {
        classes!(base, self.invalid(path).then_some("sf-invalid"))
    }

    /// The element id of the field at `path`.
    fn id(&self, path: &str) -> String {
        let tail: String = path
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("{}{tail}", self.prefix)
    }
}

/// A callback that sends `list`, changed by `change`, up as the new value.
fn list_edit<In: 'static>(
    list: &[Value],
    parent: &Callback<Value>,
    change: impl Fn(&mut Vec<Value>, In) + 'static,
) -> Callback<In> {
    let (list, parent) = (list.to_vec(), parent.clone());
    Callback::from(move |input| {
        let mut list = list.clone();
        change(&mut list, input);
        parent.emit(Value::Array(list));
    })
}

/// The text of a scalar shown in a text input (`""` for `null`, compact JSON for the rest).
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The last key or index of a JSON path (`$.a.items[0]` → `items[0]`).
fn last_segment(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}
