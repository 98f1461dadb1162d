//! The explorer: random runs of the domain's example commands and the session's own (some
//! flows interleaved, some steps made to fail as the domain allows), checked against the
//! domain's invariants whenever a run is idle; the first run that breaks one, shrunk to
//! the commands and faults it needs, and opened as a workspace on request. Runs start from
//! a new engine, or from the workspace's facts up to the position shown. The core does
//! the work ([`decider_core::explore`], as `decider explore` does); the page runs it in
//! slices that yield to the browser.

use crate::browser::slices::now;
use crate::components::composer::DomainRef;
use crate::effect::use_effect_on;
use crate::persistence::files::download;
use crate::persistence::transfer::file_name;
use crate::widgets::number::{counted, thousands};
use decider_core::boundary::rows::message_name;
use decider_core::explore::{Counterexample, Explorer, FailedStep, Move, Plan, Progress};
use decider_core::journal_file::JournalFile;
use decider_core::scenario::Scenario;
use decider_core::{DynEngine, Said};
use gloo::timers::future::TimeoutFuture;
use serde_json::Value;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds of exploring between two yields to the browser.
const SLICE_MS: f64 = 12.0;

/// What the explorer needs from the page.
#[derive(Properties, PartialEq)]
pub struct ExploreProps {
    /// The domain explored.
    pub domain: DomainRef,
    /// The commands runs draw from: the domain's examples, then the session's own.
    pub alphabet: Rc<Vec<Value>>,
    /// Opens a shrunk run as a new workspace.
    pub on_open: Callback<Rc<JournalFile>>,
    /// The workspace's facts runs can start from (none while it has none).
    pub here: Option<Here>,
}

/// The workspace's facts, up to the position shown, as a place runs can start from.
#[derive(Clone, PartialEq)]
pub struct Here {
    /// The number of facts (the position shown).
    pub facts: u64,
    /// Whether that is the workspace's head (else the cursor, in the past).
    pub live: bool,
    /// Makes a copy of the workspace's engine up to that position (when a run starts).
    pub copy: Callback<(), Box<dyn DynEngine>>,
}

/// The settings as typed, each checked when a run starts.
#[derive(Clone, PartialEq)]
struct Settings {
    runs: String,
    length: String,
    faults: String,
    interleave: String,
    seed: String,
    unhandled: bool,
    /// Whether runs start from the workspace's facts.
    from_here: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let plan = Plan::over(Vec::new());
        Settings {
            runs: plan.runs.to_string(),
            length: plan.length.to_string(),
            faults: plan.faults.to_string(),
            interleave: plan.interleave.to_string(),
            seed: plan.seed.to_string(),
            unhandled: plan.unhandled,
            from_here: false,
        }
    }
}

impl Settings {
    /// The plan over `alphabet`, or which setting is not a number in its range.
    fn plan(&self, alphabet: Vec<Value>) -> Result<Plan, String> {
        fn within<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
            text: &str,
            label: &str,
            (low, high): (T, T),
        ) -> Result<T, String> {
            text.trim()
                .parse::<T>()
                .ok()
                .filter(|n| *n >= low && *n <= high)
                .ok_or_else(|| format!("{label} must be a whole number from {low} to {high}."))
        }
        Ok(Plan {
            runs: within(&self.runs, "Runs", (1, 100_000))?,
            length: within(&self.length, "Commands per run", (1, 500))?,
            faults: within(&self.faults, "Faults %", (0, 100))?,
            interleave: within(&self.interleave, "Interleaved %", (0, 100))?,
            seed: within(&self.seed, "The seed", (0, u64::MAX))?,
            unhandled: self.unhandled,
            given: Vec::new(),
            alphabet,
        })
    }
}

/// Where an exploration is.
#[derive(Clone, PartialEq)]
enum Status {
    /// None started (or the settings were refused: why).
    Ready(Option<String>),
    /// Running: how far, of how many runs.
    Running(Progress, u32),
    /// Over: how far it went, the shrunk run that broke an invariant (if any) with the
    /// number of facts its runs started from, and whether it was cancelled.
    Over(Progress, Option<(Rc<Counterexample>, u64)>, bool),
}

/// The explorer's panel (the page puts it in a dialog).
#[function_component]
pub fn Explore(props: &ExploreProps) -> Html {
    let settings = use_state(Settings::default);
    let status = use_state(|| Status::Ready(None));
    // Why the shrunk run's scenario could not be downloaded, if it could not.
    let refused = use_state(|| None::<String>);
    let cancel = use_mut_ref(|| Rc::new(Cell::new(false)));
    {
        // Closing the dialog stops a run.
        let cancel = cancel.clone();
        use_effect_on((), move |_| move || cancel.borrow().set(true));
    }
    let domain = props.domain.clone();
    let info = domain.info().clone();
    let said = domain.invariants();
    let running = matches!(*status, Status::Running(..));

    let on_start = {
        let (settings, status, cancel) = (settings.clone(), status.clone(), cancel.clone());
        let (domain, alphabet, here) = (domain.clone(), props.alphabet.clone(), props.here.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match settings.plan(alphabet.to_vec()) {
                Ok(plan) => {
                    let flag = Rc::new(Cell::new(false));
                    *cancel.borrow_mut() = flag.clone();
                    status.set(Status::Running(Progress::default(), plan.runs));
                    let copy = here
                        .as_ref()
                        .filter(|_| settings.from_here)
                        .map(|here| here.copy.clone());
                    wasm_bindgen_futures::spawn_local(explore(
                        domain.clone(),
                        plan,
                        copy,
                        status.clone(),
                        flag,
                    ));
                }
                Err(why) => status.set(Status::Ready(Some(why))),
            }
        })
    };
    let on_cancel = {
        let cancel = cancel.clone();
        Callback::from(move |_: MouseEvent| cancel.borrow().set(true))
    };
    let field = |key: &'static str| {
        let settings = settings.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut next = (*settings).clone();
            *match key {
                "runs" => &mut next.runs,
                "length" => &mut next.length,
                "faults" => &mut next.faults,
                "interleave" => &mut next.interleave,
                _ => &mut next.seed,
            } = input.value();
            settings.set(next);
        })
    };
    let check = |key: &'static str| {
        let settings = settings.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut next = (*settings).clone();
            *match key {
                "unhandled" => &mut next.unhandled,
                _ => &mut next.from_here,
            } = input.checked();
            settings.set(next);
        })
    };
    let number = |id: &'static str, label: &'static str, value: &str, range: (u64, u64)| {
        html! {
            <label class="explore-field">
                <span>{ label }</span>
                <input type="number" class="num mono" data-testid={format!("explore-{id}")}
                    min={range.0.to_string()} max={range.1.to_string()} step="1"
                    inputmode="numeric" value={value.to_string()} disabled={running}
                    oninput={field(id)} />
            </label>
        }
    };

    let Some(said) = said else {
        return html! {
            <div class="explore">
                <p class="explore-none" data-testid="explore-none">
                    { format!("The {} domain declares no invariants, so a run has nothing to break. ", info.title) }
                    { "Pick the restaurant, transfer or checkout domain to explore it." }
                </p>
            </div>
        };
    };
    html! {
        <div class="explore">
            <p class="explore-intro">
                { format!(
                    "Random runs drawn from {} commands (this domain's examples and your session's, their fields mixed), some flows interleaved and some steps made to fail. The first run that breaks an invariant is shrunk to the fewest commands, faults, list items and optional fields, and the numbers nearest zero, that still break it.",
                    props.alphabet.len()
                ) }
            </p>
            { said_view(&said) }
            <form class="explore-settings" novalidate=true onsubmit={on_start}>
                { number("runs", "runs", &settings.runs, (1, 100_000)) }
                { number("length", "commands a run", &settings.length, (1, 500)) }
                { number("faults", "faults %", &settings.faults, (0, 100)) }
                { number("interleave", "interleaved %", &settings.interleave, (0, 100)) }
                { number("seed", "seed", &settings.seed, (0, u64::MAX)) }
                <label class="explore-check" title={said.fails_unhandled}>
                    <input type="checkbox" data-testid="explore-unhandled" checked={settings.unhandled}
                        disabled={running} onchange={check("unhandled")} />
                    <span>{ "also fail steps the domain does not recover from" }</span>
                </label>
                if let Some(here) = &props.here {
                    <label class="explore-check"
                        title="Every run starts from a copy of this workspace's facts instead of a new engine; the shrunk run keeps them, and opens and exports with them">
                        <input type="checkbox" data-testid="explore-from-here" checked={settings.from_here}
                            disabled={running} onchange={check("from_here")} />
                        <span>{ from_here_label(here) }</span>
                    </label>
                }
                if running {
                    <button type="button" class="tool" data-testid="explore-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                } else {
                    <button type="submit" class="tool primary" data-testid="explore-start">{ "▶ explore" }</button>
                }
            </form>
            { status_view(&status, &info.id, &props.on_open, &refused) }
        </div>
    }
}

/// What starting from the workspace means, in its numbers.
fn from_here_label(here: &Here) -> String {
    let facts = counted(here.facts, "fact");
    match here.live {
        true => format!("start every run from this workspace ({facts})"),
        false => format!("start every run from this workspace at the cursor (its first {facts})"),
    }
}

/// What the domain's invariants check and how its steps are made to fail, in its words.
fn said_view(said: &Said) -> Html {
    html! {
        <div class="explore-said">
            <section aria-labelledby="explore-holds">
                <h3 id="explore-holds">{ "Checked whenever a run is idle" }</h3>
                <ul>
                    { for said.holds.iter().map(|holds| html! {
                        <li data-testid="explore-invariant">
                            <span class="kind kind-event" aria-hidden="true">{ "✔ " }</span>{ *holds }
                        </li>
                    }) }
                </ul>
            </section>
            <section aria-labelledby="explore-fails">
                <h3 id="explore-fails">{ "Made to fail" }</h3>
                <p data-testid="explore-fails">
                    <span class="explore-glyph" aria-hidden="true">{ "⚡ " }</span>{ said.fails }
                </p>
                <p class="explore-unhandled-said" data-testid="explore-fails-unhandled">
                    <span class="explore-glyph" aria-hidden="true">{ "⚡ " }</span>
                    { "With the box below ticked, also: " }{ said.fails_unhandled }
                </p>
            </section>
        </div>
    }
}

/// Explores `plan` in slices of about [`SLICE_MS`], showing the progress in `status` after
/// each, until done or `cancel`. Runs start from the facts of the engine `copy` makes when
/// given (made once the progress is shown: a large workspace takes a while to copy), else
/// from a new engine.
async fn explore(
    domain: DomainRef,
    plan: Plan,
    copy: Option<Callback<(), Box<dyn DynEngine>>>,
    status: UseStateHandle<Status>,
    cancel: Rc<Cell<bool>>,
) {
    let runs = plan.runs;
    TimeoutFuture::new(0).await;
    let base = copy.map(|copy| copy.emit(()));
    let from = base.as_ref().map_or(0, |base| base.head());
    let started = match base {
        Some(base) => Explorer::from_engine(&*domain, plan, base)
            .map_err(|e| format!("Cannot start from this workspace: {}.", e.message)),
        None => Explorer::new(&*domain, plan).map_err(|e| format!("The plan is refused: {e}")),
    };
    let mut explorer = match started {
        Ok(explorer) => explorer,
        Err(why) => return status.set(Status::Ready(Some(why))),
    };
    loop {
        let started = now();
        while !explorer.done() && now() - started < SLICE_MS {
            explorer.advance(1);
        }
        if explorer.done() || cancel.get() {
            break;
        }
        status.set(Status::Running(explorer.progress().clone(), runs));
        TimeoutFuture::new(0).await;
    }
    let found = explorer.found().map(|found| (Rc::new(found.clone()), from));
    status.set(Status::Over(
        explorer.progress().clone(),
        found,
        !explorer.done(),
    ));
}

/// The progress bar while running; the outcome once over (`refused`: why a download
/// was not made).
fn status_view(
    status: &Status,
    domain: &str,
    on_open: &Callback<Rc<JournalFile>>,
    refused: &UseStateHandle<Option<String>>,
) -> Html {
    match status {
        Status::Ready(None) => html! {},
        Status::Ready(Some(why)) => html! {
            <p class="explore-refused" role="alert" data-testid="explore-refused">{ why }</p>
        },
        Status::Running(progress, runs) => html! {
            <div class="explore-progress" role="status">
                <progress data-testid="explore-progress" value={progress.runs.to_string()}
                    max={runs.to_string()} aria-label="Exploration progress" />
                <span class="num mono">{ format!("{} / {} runs", thousands(progress.runs.into()), thousands((*runs).into())) }</span>
            </div>
        },
        Status::Over(progress, found, cancelled) => {
            let outcome = match (found, cancelled) {
                (Some(_), _) => "broken",
                (None, true) => "cancelled",
                (None, false) => "held",
            };
            html! {
                <section class="explore-result" data-testid="explore-result" data-outcome={outcome}
                    role="status" aria-label="Exploration result">
                    { match found {
                        Some((found, from)) => broken(found, *from, domain, on_open, refused),
                        None if *cancelled => html! {
                            <p class="explore-verdict">{ "◌ Cancelled: no invariant broken so far." }</p>
                        },
                        None => html! {
                            <p class="explore-verdict explore-held">
                                <span class="kind kind-event" aria-hidden="true">{ "✔ " }</span>
                                { "Every invariant held." }
                            </p>
                        },
                    } }
                    <p class="explore-tally mono" data-testid="explore-tally">{ tally(progress) }</p>
                </section>
            }
        }
    }
}

/// What the runs did, one line.
fn tally(p: &Progress) -> String {
    format!(
        "{} runs · {} commands · {} facts · {} faults injected · {} invariant checks",
        thousands(p.runs.into()),
        thousands(p.commands),
        thousands(p.facts),
        thousands(p.faults),
        thousands(p.checks)
    )
}

/// A click that downloads `scenario`, or says in `refused` why the browser would not.
fn save(scenario: &Scenario, refused: &UseStateHandle<Option<String>>) -> Callback<MouseEvent> {
    let (name, text) = (file_name(&scenario.title, "json"), scenario.to_json());
    let refused = refused.clone();
    Callback::from(move |_: MouseEvent| {
        refused.set(download(&name, &text).err());
    })
}

/// The broken invariant, the shrunk run command by command (after the `from` facts it
/// started from), and the ways to open it and to keep it (`refused`: why a download was
/// not made).
fn broken(
    found: &Rc<Counterexample>,
    from: u64,
    domain: &str,
    on_open: &Callback<Rc<JournalFile>>,
    refused: &UseStateHandle<Option<String>>,
) -> Html {
    let open = {
        let file = Rc::new(found.journal_file(domain));
        on_open.reform(move |_: MouseEvent| file.clone())
    };
    let names = decider_domains::find(domain)
        .map(|d| d.command_names())
        .unwrap_or_default();
    html! {
        <>
            <p class="explore-verdict explore-broken" data-testid="explore-broken">
                <span class="kind kind-rejection" aria-hidden="true">{ "✘ " }</span>
                { "Broken: " }<span class="mono">{ &found.broken }</span>
            </p>
            <p class="explore-shrunk" data-testid="explore-shrunk">
                { format!(
                    "Shrunk from {} to {} in {} replays (engine seed {}){}:",
                    thousands(found.original as u64),
                    counted(found.moves.len() as u64, "command"),
                    thousands(found.trials.into()),
                    found.seed,
                    match from {
                        0 => String::new(),
                        n => format!(", after this workspace's {}", counted(n, "fact")),
                    }
                ) }
            </p>
            <ol class="explore-moves">
                { for found.moves.iter().enumerate().map(|(i, m)| step(m, &found.failed_after(i), &names)) }
            </ol>
            <div class="explore-actions">
                <button class="tool primary" data-testid="explore-open" onclick={open}
                    title="Open the shrunk run as a new workspace, to step through it, inspect it and ask why">
                    { "⤓ open as a workspace" }
                </button>
                if let Some(scenario) = &found.scenario {
                    <button class="tool" data-testid="explore-scenario" onclick={save(scenario, refused)}
                        title="Download the shrunk run as a scenario file, its expectations recorded: decider check keeps it as a regression test">
                        { "⤓ scenario" }
                    </button>
                }
            </div>
            if let Some(why) = &**refused {
                <p class="explore-refused" role="alert">{ why }</p>
            }
        </>
    }
}

/// One command of the shrunk run: its name, its JSON, how the engine went on after it,
/// and the steps after it that were made to fail (`failed`).
fn step(m: &Move, failed: &[&FailedStep], names: &[String]) -> Html {
    html! {
        <li class="explore-move" data-testid="explore-move" data-faults={failed.len().to_string()}>
            <span class="explore-move-name">{ message_name(&m.command, names) }</span>
            <code class="explore-move-json mono">{ m.command.to_string() }</code>
            if let Some(n) = m.steps {
                <span class="explore-move-note">{ format!("then only {}", counted(n.into(), "engine step")) }</span>
            }
            { for failed.iter().map(|f| html! {
                <p class="explore-failed" data-testid="explore-failed">
                    <span class="explore-fault">
                        <span aria-hidden="true">{ "⚡ " }</span>{ format!("step {} made to fail", f.step + 1) }
                    </span>
                    <span class="explore-move-name">{ message_name(&f.command, names) }</span>
                    <span class="explore-origin">{ format!("issued by {}", f.origin) }</span>
                    <code class="mono">{ format!("✘ {}", f.rejection) }</code>
                </p>
            }) }
        </li>
    }
}
