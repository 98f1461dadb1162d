//! A message being written two ways at once: through a form (a JSON value) and as raw
//! JSON text, each following the other.

use decider_core::BoundaryError;
use serde_json::Value;
use yew::prelude::*;

/// The text of the raw JSON editor and the last value it parsed to.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// What the raw editor shows.
    pub text: String,
    /// The value the form shows: the text's, or the last one that parsed.
    pub value: Value,
    /// Why the text does not parse (with its line and column).
    pub syntax_error: Option<String>,
}

impl Draft {
    /// A draft of `value`, its text pretty-printed (the form was edited, or a command
    /// picked).
    pub fn of(value: Value) -> Self {
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        Draft {
            text,
            value,
            syntax_error: None,
        }
    }

    /// The raw text was edited: the value follows when the text parses.
    pub fn with_text(&self, text: String) -> Self {
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => Draft {
                text,
                value,
                syntax_error: None,
            },
            Err(e) => Draft {
                text,
                value: self.value.clone(),
                syntax_error: Some(format!(
                    "JSON syntax error at line {}, column {}: {}",
                    e.line(),
                    e.column(),
                    e
                )),
            },
        }
    }

    /// What is wrong with the draft, if anything: its syntax first, then what `validate`
    /// (the domain's boundary) says of its value.
    pub fn problem(
        &self,
        validate: impl FnOnce(&Value) -> Result<(), BoundaryError>,
    ) -> Option<Problem> {
        match &self.syntax_error {
            Some(message) => Some(Problem::Syntax(message.clone())),
            None => validate(&self.value).err().map(Problem::Boundary),
        }
    }
}

/// Why a draft cannot be sent.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The text is not JSON.
    Syntax(String),
    /// The boundary refused the value, at a JSON path.
    Boundary(BoundaryError),
}

impl Problem {
    /// The boundary's error, for the form to show at its field.
    pub fn boundary(&self) -> Option<&BoundaryError> {
        match self {
            Problem::Boundary(e) => Some(e),
            Problem::Syntax(_) => None,
        }
    }

    /// The message shown under the raw editor (the JSON path first).
    pub fn message(&self) -> String {
        match self {
            Problem::Syntax(message) => message.clone(),
            Problem::Boundary(e) => format!("at {}: {}", e.path, e.message),
        }
    }
}

/// The raw JSON `<textarea>` with its label, shared by every editor of a message: a plain
/// value turned into HTML by [`RawJson::view`], not a component (its callers' callbacks are
/// new at each of their renders, so a component would render again anyway, and each
/// component type costs the wasm its own copy of Yew's machinery).
pub struct RawJson {
    /// The element id (for the label and `aria-describedby`).
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The `data-testid` of the `<textarea>`.
    pub testid: AttrValue,
    /// The text shown.
    pub text: AttrValue,
    /// Whether the text is invalid (`aria-invalid`).
    pub invalid: bool,
    /// The id of the element that says what is wrong, when invalid.
    pub error_id: Option<AttrValue>,
    /// Called with the new text on every keystroke.
    pub on_input: Callback<String>,
}

impl RawJson {
    /// The label and the `<textarea>`.
    pub fn view(self) -> Html {
        let on_input = self.on_input;
        let oninput = Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        });
        let rows = self.text.lines().count().clamp(3, 14).to_string();
        let described_by = self.error_id.filter(|_| self.invalid);
        html! {
            <div class="sf-raw">
                <label class="sf-label" for={self.id.clone()}>{ self.label }</label>
                <textarea
                    id={self.id}
                    class="json sf-raw-text"
                    data-testid={self.testid}
                    spellcheck="false"
                    autocomplete="off"
                    {rows}
                    aria-invalid={self.invalid.to_string()}
                    aria-describedby={described_by}
                    value={self.text}
                    {oninput}
                />
            </div>
        }
    }
}
