//! The inspector panel: the state at the time-travel cursor (the selected stream, the
//! domain's view, the process managers) as JSON trees with a diff against one fact
//! earlier, and the selected fact's envelope. It shows what the boundary computed; it
//! never folds domain state itself.

mod envelope;
mod field_history;
mod id_chip;
mod state_section;
mod why;

pub use field_history::TrackedField;
pub use state_section::Section;

use crate::effect::use_effect_on;
use crate::widgets::json_tree::{TreeChoices, TreeField};
use crate::widgets::tabs::key_target;
use decider_core::boundary::{FactRow, Refusal, StateView};
use envelope::envelope;
use field_history::field_history;
use gloo::timers::callback::Timeout;
use id_chip::IdChip;
use serde_json::Value;
use state_section::state_section;
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Properties of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The state at the cursor (position, stream, view, process, queue, queue_len).
    pub current: Rc<StateView>,
    /// The state one fact earlier (None at position 0): the diff's left side.
    pub previous: Option<Rc<StateView>>,
    /// The selected fact (its envelope), if any.
    pub fact: Option<Rc<FactRow>>,
    /// The stream shown (the selected fact's stream), if any.
    pub stream: Option<String>,
    /// Whether the cursor is in the past.
    pub past: bool,
    /// Whether the state shown is held while a Repeat runs: read when the run started and
    /// again when it ends (the log follows every slice), so not the live state.
    #[prop_or_default]
    pub held: bool,
    /// Whether the domain declares a view (read model); without one the View tab says so
    /// instead of showing `null`, and the panel does not open on it.
    #[prop_or(true)]
    pub has_view: bool,
    /// Whether the domain declares a saga or process manager (as for `has_view`).
    #[prop_or(true)]
    pub has_process: bool,
    /// The field of the shown stream whose history is shown, if any: which events
    /// changed it, as the engine found them.
    #[prop_or_default]
    pub field: Option<Rc<TrackedField>>,
    /// Asks which events changed a field of the shown stream (`Some`), or closes its
    /// history (`None`). Without it, the stream's rows offer no history.
    #[prop_or_default]
    pub on_track: Option<Callback<Option<TreeField>>>,
    /// Why the selected rejection was refused, when that was asked.
    #[prop_or_default]
    pub why: Option<Rc<Refusal>>,
    /// Asks why the rejection at a position was refused (`Some`), or closes the answer
    /// (`None`).
    #[prop_or_default]
    pub on_why: Callback<Option<u64>>,
    /// Forks a what-if session from just before a position (a refusal's turning point).
    #[prop_or_default]
    pub on_fork: Callback<u64>,
    /// Selects the fact at a position (a change in a field's history, a cause or a
    /// turning point of a refusal).
    #[prop_or_default]
    pub on_select: Callback<u64>,
}

/// The inspector's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Stream,
    View,
    Process,
    Envelope,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Stream, Tab::View, Tab::Process, Tab::Envelope];

    /// The `data-tab` value.
    fn id(self) -> &'static str {
        match self {
            Tab::Stream => "stream",
            Tab::View => "view",
            Tab::Process => "process",
            Tab::Envelope => "envelope",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Tab::Stream => "Stream",
            Tab::View => "View",
            Tab::Process => "Process",
            Tab::Envelope => "Envelope",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The part of the state this tab shows (the envelope is none).
    fn part(self) -> Option<Part> {
        match self {
            Tab::Stream => Some(Part::Stream),
            Tab::View => Some(Part::View),
            Tab::Process => Some(Part::Process),
            Tab::Envelope => None,
        }
    }
}

/// How long the cursor rests (ms) before the tabs not shown count what changed: a slider
/// dragged or a key held moves it more often, and each count is a diff of its whole part
/// (hundreds of entries of a view), which such a move has no need of in its frame.
const REST_MS: u32 = 150;

/// A part of the state at the cursor, shown by a tab of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// The shown stream's state.
    Stream,
    /// The domain's view.
    View,
    /// The process managers' state.
    Process,
}

impl Part {
    const ALL: [Part; 3] = [Part::Stream, Part::View, Part::Process];

    /// Its place in [`Part::ALL`].
    fn index(self) -> usize {
        self as usize
    }

    /// This part of `current` with its diff against `previous` (`None` for the stream when
    /// it does not exist at the cursor).
    fn section(self, current: &StateView, previous: Option<&StateView>) -> Option<Section> {
        let state = |stream: &Value| stream.get("state").cloned().unwrap_or(stream.clone());
        match self {
            Part::Stream => current.stream.as_ref().map(|now| {
                let before = previous.map(|p| p.stream.as_ref().map(state));
                Section::new(&state(now), before.as_ref().map(Option::as_ref))
            }),
            Part::View => Some(Section::new(&current.view, previous.map(|p| Some(&p.view)))),
            Part::Process => Some(Section::new(
                &current.process,
                previous.map(|p| Some(&p.process)),
            )),
        }
    }
}

/// How many paths of each part changed at a state, counted once the cursor rested there.
struct Counted {
    /// The state they were counted at.
    at: Rc<StateView>,
    /// By part, in [`Part::ALL`]'s order.
    changes: [usize; 3],
}

impl Counted {
    fn new(current: &Rc<StateView>, previous: Option<&StateView>) -> Counted {
        let count = |part: Part| {
            part.section(current, previous)
                .and_then(|s| s.diff)
                .map_or(0, |d| d.len())
        };
        Counted {
            at: current.clone(),
            changes: Part::ALL.map(count),
        }
    }
}

/// What the cursor's position means: `initial state`, or `state after #n` (the last fact
/// folded).
fn position_label(position: u64) -> String {
    match position.checked_sub(1) {
        None => "initial state".to_string(),
        Some(last) => format!("state after #{last}"),
    }
}

/// The inspector panel.
#[function_component]
pub fn Inspector(props: &InspectorProps) -> Html {
    // The tab the person chose; until then, the stream once one is selected, else the
    // view, else the process managers: the first that has something to show.
    let chosen = use_state(|| None::<Tab>);
    let tab = chosen.unwrap_or(if props.stream.is_some() {
        Tab::Stream
    } else if props.has_view {
        Tab::View
    } else if props.has_process {
        Tab::Process
    } else {
        Tab::Stream
    });
    let tab_refs = use_memo((), |_| Tab::ALL.map(|_| NodeRef::default()));
    // An answer to "why was it refused?" is shown where it is, on the envelope's tab (asked
    // with `w` from the log, the tab may be another).
    {
        let chosen = chosen.clone();
        let answered = props.why.as_ref().map(|why| why.fact.position);
        use_effect_on(answered, move |answered| {
            if answered.is_some() {
                chosen.set(Some(Tab::Envelope));
            }
        });
    }
    // The nodes the person opened or closed, a tab's worth each: a tab shown again opens
    // as it was left.
    let choices = use_memo((), |_| Tab::ALL.map(|_| TreeChoices::default()));
    // The shown tab's part with its diff, in the render that moves the cursor; the other
    // tabs' counts of changes once the cursor rests (`REST_MS`), not in every move's frame.
    let shown = use_memo(
        (props.current.clone(), props.previous.clone(), tab.part()),
        |(current, previous, part)| {
            part.and_then(|part| part.section(current, previous.as_deref()))
                .map(Rc::new)
        },
    );
    let counted = use_state(|| None::<Rc<Counted>>);
    {
        let counted = counted.clone();
        use_effect_on(
            (props.current.clone(), props.previous.clone()),
            move |(current, previous)| {
                let (current, previous) = (current.clone(), previous.clone());
                let rest = Timeout::new(REST_MS, move || {
                    counted.set(Some(Rc::new(Counted::new(&current, previous.as_deref()))));
                });
                move || drop(rest)
            },
        );
    }
    let counted_here = counted
        .as_ref()
        .filter(|c| Rc::ptr_eq(&c.at, &props.current));
    let hidden_json = use_memo(props.current.clone(), |current| {
        let json = |value: &Value| AttrValue::from(value.to_string());
        [
            ("stream", current.stream.as_ref().map(json)),
            ("view", Some(json(&current.view))),
            ("process", Some(json(&current.process))),
        ]
    });

    let select = {
        let chosen = chosen.clone();
        let refs = tab_refs.clone();
        Callback::from(move |next: Tab| {
            chosen.set(Some(next));
            if let Some(button) = refs[next.index()].cast::<HtmlElement>() {
                // Focus follows the keyboard; a failed focus only leaves it where it was.
                let _ = button.focus();
            }
        })
    };
    let on_tab_keys = {
        let select = select.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(next) = key_target(&e.key(), tab.index(), Tab::ALL.len()) else {
                return;
            };
            e.prevent_default();
            select.emit(Tab::ALL[next]);
        })
    };

    let position = props.current.position;
    let tabs = Tab::ALL.iter().zip(tab_refs.iter()).map(|(&t, node_ref)| {
        let changes = match (t.part(), t == tab) {
            (None, _) => 0,
            (Some(_), true) => (*shown)
                .as_ref()
                .and_then(|s| s.diff.as_deref())
                .map_or(0, |d| d.len()),
            (Some(part), false) => counted_here.map_or(0, |c| c.changes[part.index()]),
        };
        let active = t == tab;
        html! {
            <button type="button" role="tab" class="inspector-tab" data-testid="inspector-tab"
                    data-tab={t.id()} aria-selected={active.to_string()}
                    tabindex={if active { "0" } else { "-1" }} ref={node_ref.clone()}
                    onclick={select.reform(move |_: MouseEvent| t)}>
                { t.title() }
                if changes > 0 {
                    <span class="inspector-tab-changes" title={format!("{changes} changed paths")}>
                        { format!("Δ{changes}") }
                    </span>
                }
            </button>
        }
    });
    // Only the shown tab's body is built: the others are empty, hidden panels, so a move of
    // the cursor neither renders nor patches what no one sees (the JSON below keeps the
    // whole state in the text).
    let body = match (tab, (*shown).as_ref()) {
        (Tab::Stream, section) => match (&props.stream, section) {
            (None, _) => empty("Select a fact in the log to see its stream here."),
            (Some(id), None) => html! {
                <>
                    { stream_head(id, None, false) }
                    { empty(&format!(
                        "This stream has no facts at {}: move the cursor later to see it.",
                        if position == 0 { "the initial state".to_string() } else { format!("position {position}") }
                    )) }
                </>
            },
            (Some(id), Some(section)) => {
                let current = &props.current;
                let version = current
                    .stream
                    .as_ref()
                    .and_then(|s| s.get("version"))
                    .and_then(Value::as_u64);
                // The stream's first fact is the one just folded.
                let created = current.stream.is_some()
                    && props.previous.as_ref().is_some_and(|p| p.stream.is_none());
                let tracked = props.field.as_deref();
                let on_history = props.on_track.as_ref().map(|on_track| {
                    // The field shown already: its button closes the history.
                    let shown = tracked.map(|field| field.path.clone());
                    on_track.reform(move |field: TreeField| {
                        (shown.as_deref() != Some(field.path.as_str())).then_some(field)
                    })
                });
                // Esc inside the stream's tab closes a field's history (and only that).
                let on_keys = tracked.and(props.on_track.clone()).map(|on_track| {
                    Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Escape" {
                            e.stop_propagation();
                            on_track.emit(None);
                        }
                    })
                });
                html! {
                    <div class="inspector-stream" onkeydown={on_keys}>
                        { stream_head(id, version, created) }
                        { tracked.zip(props.on_track.as_ref()).map(|(field, on_track)| {
                            let close = on_track.reform(|_: MouseEvent| None);
                            field_history(field, id, position, &props.on_select, close)
                        }) }
                        { state_section(id.clone().into(), section, &choices[Tab::Stream.index()],
                                        on_history.as_ref().map(|h| (h, tracked.map(|f| f.path.as_str())))) }
                    </div>
                }
            }
        },
        (Tab::View, Some(section)) if props.has_view => {
            state_section("view".into(), section, &choices[Tab::View.index()], None)
        }
        (Tab::View, _) => empty(
            "This domain declares no view (read model): its state is its streams'. Select a fact in the log to see its stream.",
        ),
        (Tab::Process, Some(section)) if props.has_process => {
            state_section("process".into(), section, &choices[Tab::Process.index()], None)
        }
        (Tab::Process, _) => {
            empty("This domain has no saga or process manager: commands come only from you.")
        }
        (Tab::Envelope, _) => match &props.fact {
            Some(fact) => envelope(
                fact,
                position,
                props.why.as_deref(),
                &props.on_why,
                (&props.on_select, &props.on_fork),
            ),
            None => empty(
                "Select a fact in the log to see its envelope: ids, correlation, causation, time and origin.",
            ),
        },
    };
    let mut body = Some(body);
    let panels = Tab::ALL.map(|t| {
        html! {
            <div class="inspector-panel" role="tabpanel" aria-label={t.title()} data-section={t.id()}
                 data-testid={(t == Tab::Envelope).then_some("envelope")}
                 hidden={t != tab}>
                { if t == tab { body.take().unwrap_or_default() } else { Html::default() } }
            </div>
        }
    });

    html! {
        <section class="inspector" data-testid="inspector" aria-label="Inspector">
            <header class="inspector-header">
                <h2 class="inspector-heading">{ "Inspector" }</h2>
                <span class="inspector-at mono" title={format!("{position} facts folded")}>
                    { position_label(position) }
                </span>
                if props.past {
                    <span class="inspector-past" title="The cursor is in the past: this is not the live state">
                        { "⚠ past" }
                    </span>
                } else if props.held {
                    <span class="inspector-held" title="Held while the Repeat runs: read when it started, read again when it ends (the log follows every slice)">
                        { "◌ held" }
                    </span>
                } else {
                    <span class="inspector-live" title="The live state: the newest fact is folded">
                        { "● live" }
                    </span>
                }
            </header>
            <div class="inspector-tabs" role="tablist" aria-label="Inspector sections"
                 onkeydown={on_tab_keys}>
                { for tabs }
            </div>
            <div class="inspector-body">
                { for panels }
            </div>
            // The whole state as compact JSON, for scripts (the text content): closed tree
            // nodes do not render their children. Not displayed, so never laid out: at a
            // slider move the view's and the process's texts would be shaped again.
            { for hidden_json.iter().map(|(name, json)| html! {
                <pre class="inspector-json" aria-hidden="true" data-json={*name}>
                    { json.clone().unwrap_or_default() }
                </pre>
            }) }
        </section>
    }
}

/// The shown stream's id and version (`created`: its first fact is the one just folded).
/// A plain function, as [`state_section`] is.
fn stream_head(id: &str, version: Option<u64>, created: bool) -> Html {
    html! {
        <div class="inspector-stream-head">
            <span class="inspector-label">{ "stream" }</span>
            <IdChip id={id.to_string()} label="stream id" />
            <span class="mono inspector-version">
                { version.map_or_else(|| "no version yet".to_string(), |v| format!("v{v}")) }
            </span>
            if created {
                <span class="kind kind-event" title="The stream's first fact is the one just folded">
                    { "+ created at this position" }
                </span>
            }
        </div>
    }
}

/// An empty state that says what to do.
fn empty(text: &str) -> Html {
    html! { <p class="inspector-empty">{ text.to_string() }</p> }
}
