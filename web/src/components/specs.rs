//! The spec panel: the bundled example scenarios (`tests/scenarios/**.json`, compiled into
//! the page) and every imported scenario, run as a red/green suite with the same verdicts
//! and diffs as `decider check`.

use crate::effect::use_effect_on;
use crate::persistence::channel::{Channel, Notice};
use crate::persistence::{db, workspaces};
use crate::share;
use decider_core::scenario::{self, Failure};
use gloo::timers::future::TimeoutFuture;
use std::rc::Rc;
use yew::prelude::*;

/// Bundles scenario files from `tests/scenarios/` as `(path, text)`, each text without the
/// whitespace between its JSON tokens (`build.rs`).
macro_rules! bundled {
    ($($path:literal,)*) => {
        &[$(($path, include_str!(concat!(env!("OUT_DIR"), "/scenarios/", $path))),)*]
    };
}

/// The bundled example scenarios, `(path under tests/scenarios, text without the whitespace
/// between its JSON tokens)`; a test checks that the list matches the folder.
pub const EXAMPLES: &[(&str, &str)] = bundled![
    "checkout/happy-path.json",
    "checkout/out-of-stock.json",
    "checkout/payment-declined.json",
    "checkout/same-product-lines.json",
    "checkout/shipping-failed.json",
    "counter/happy-path.json",
    "counter/rejections.json",
    "restaurant/cancelled-after-acceptance.json",
    "restaurant/cancelled-after-payment.json",
    "restaurant/cancelled-before-payment.json",
    "restaurant/happy-path.json",
    "restaurant/payment-refused.json",
    "restaurant/rejected-closed.json",
    "restaurant/rejected-not-on-menu.json",
    "restaurant/rejected-over-capacity.json",
    "restaurant/unknown-restaurant.json",
    "transfer/credit-refused-closed.json",
    "transfer/credit-refused-frozen.json",
    "transfer/credit-refused-overflow.json",
    "transfer/debit-refused.json",
    "transfer/happy-path.json",
];

/// One scenario of the suite.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// Where it comes from: its path under `tests/scenarios`, or the imported file's name.
    pub source: String,
    /// Whether it was imported (else bundled).
    pub imported: bool,
    /// The file's text.
    pub text: Rc<str>,
}

/// A spec's verdict.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Not run yet.
    Pending,
    /// Every expectation held.
    Pass,
    /// Some expectations did not hold: each with its path and diff.
    Fail(Vec<Failure>),
    /// The file does not load or run: what and where.
    Error(String),
}

impl Verdict {
    /// The `data-status` of its row.
    pub fn status(&self) -> &'static str {
        match self {
            Verdict::Pending => "pending",
            Verdict::Pass => "pass",
            Verdict::Fail(_) => "fail",
            Verdict::Error(_) => "error",
        }
    }
}

/// Checks scenario text as `decider check` does: its title (or `None` when it does not
/// parse) and its verdict.
pub fn check(text: &str) -> (Option<String>, Verdict) {
    match scenario::load(text, &decider_domains::find) {
        Err(e) => (None, Verdict::Error(e.to_string())),
        Ok((scenario, domain)) => {
            let verdict = match scenario.check(&*domain) {
                Ok(report) if report.passed() => Verdict::Pass,
                Ok(report) => Verdict::Fail(report.failures),
                Err(e) => Verdict::Error(e.to_string()),
            };
            (Some(scenario.title), verdict)
        }
    }
}

/// The bundled examples as specs.
pub fn examples() -> Vec<Spec> {
    EXAMPLES
        .iter()
        .map(|(path, text)| Spec {
            source: (*path).into(),
            imported: false,
            text: Rc::from(*text),
        })
        .collect()
}

/// A row's result: title, verdict and share link.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    spec: Spec,
    title: String,
    verdict: Verdict,
    /// The share link that opens the spec, once made (with its verdict).
    link: Option<String>,
}

impl Row {
    fn pending(spec: Spec) -> Row {
        let title = spec.source.clone();
        Row {
            spec,
            title,
            verdict: Verdict::Pending,
            link: None,
        }
    }
}

/// The spec panel's content (the lead puts it in a panel). It runs the suite once on
/// mount, again on `spec-run`, and takes in scenarios as they are imported (in any tab).
#[function_component]
pub fn Specs() -> Html {
    let rows = use_state(|| Rc::new(examples().into_iter().map(Row::pending).collect::<Vec<_>>()));
    let running = use_state(|| false);
    let run = {
        let rows = rows.clone();
        let running = running.clone();
        Callback::from(move |()| {
            if *running {
                return;
            }
            running.set(true);
            let (rows, running) = (rows.clone(), running.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut all = load_all()
                    .await
                    .into_iter()
                    .map(Row::pending)
                    .collect::<Vec<_>>();
                rows.set(Rc::new(all.clone()));
                for i in 0..all.len() {
                    // One spec per task, so the page stays responsive.
                    TimeoutFuture::new(0).await;
                    let (title, verdict) = check(&all[i].spec.text);
                    all[i].title = title.unwrap_or_else(|| all[i].spec.source.clone());
                    all[i].verdict = verdict;
                    all[i].link = share::fragment(&all[i].spec.text)
                        .await
                        .ok()
                        .map(|fragment| share::link(&fragment));
                    rows.set(Rc::new(all.clone()));
                }
                running.set(false);
            });
        })
    };
    {
        let run = run.clone();
        use_effect_on((), move |_| {
            run.emit(());
            let channel = Channel::open(move |notice| {
                if notice == Notice::Scenarios {
                    run.emit(());
                }
            });
            move || drop(channel)
        });
    }
    let passed = rows.iter().filter(|r| r.verdict == Verdict::Pass).count();
    let failed = rows
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Fail(_) | Verdict::Error(_)))
        .count();
    let on_run = Callback::from(move |_: MouseEvent| run.emit(()));
    html! {
        <div class="specs">
            <div class="specs-bar">
                <button class="tool primary" data-testid="spec-run" onclick={on_run} disabled={*running}>
                    { if *running { "running…" } else { "▶ run all" } }
                </button>
                <span class="specs-summary mono" aria-live="polite">
                    <span class="kind kind-event">{ format!("✔ {passed}") }</span>
                    { " " }
                    <span class="kind kind-rejection">{ format!("✘ {failed}") }</span>
                    { format!(" of {}", rows.len()) }
                </span>
            </div>
            <ul class="specs-list" aria-label="specifications">
                { for rows.iter().map(row) }
            </ul>
            <p class="specs-hint">{ "Import a scenario file (⤒ import, drop or paste) to add it to the suite." }</p>
        </div>
    }
}

/// The bundled examples and the imported scenarios (from IndexedDB, when it opens).
async fn load_all() -> Vec<Spec> {
    let mut all = examples();
    if let Ok(db) = db::open().await {
        if let Ok(imported) = workspaces::scenarios(&db).await {
            all.extend(imported.into_iter().map(|s| Spec {
                source: s.file,
                imported: true,
                text: Rc::from(s.text),
            }));
        }
        db.close();
    }
    all
}

fn row(row: &Row) -> Html {
    let (glyph, class) = match &row.verdict {
        Verdict::Pending => ("◌", "kind kind-pending"),
        Verdict::Pass => ("✔", "kind kind-event"),
        Verdict::Fail(_) => ("✘", "kind kind-rejection"),
        Verdict::Error(_) => ("!", "kind kind-rejection"),
    };
    html! {
        <li class="specs-row" data-testid="spec-row" data-status={row.verdict.status()}
            data-title={row.title.clone()}>
            <div class="specs-head">
                <span class={class} aria-label={row.verdict.status()}>{ glyph }</span>
                <span class="specs-title" title={row.title.clone()}>{ &row.title }</span>
                <span class="specs-source mono" title={row.spec.source.clone()}>
                    { if row.spec.imported { format!("imported · {}", row.spec.source) } else { row.spec.source.clone() } }
                </span>
                <a class="specs-link" href={row.link.clone()} target="_blank" rel="noopener"
                    title="Open this scenario read-only in a new tab (a share link)">{ "open ↗" }</a>
            </div>
            { details(&row.verdict) }
        </li>
    }
}

fn details(verdict: &Verdict) -> Html {
    match verdict {
        Verdict::Fail(failures) => html! {
            <div class="specs-failures">
                { for failures.iter().map(|f| html! {
                    <details class="specs-failure">
                        <summary class="mono">{ format!("{} does not hold", f.path) }</summary>
                        <pre class="specs-diff">{ for f.diff.lines().map(diff_line) }</pre>
                        { for f.why.iter().map(|why| html! {
                            <p class="specs-why" data-testid="spec-why">
                                <span class="specs-why-label">{ "why refused: " }</span>
                                <span class="mono">{ why }</span>
                            </p>
                        }) }
                    </details>
                }) }
            </div>
        },
        Verdict::Error(message) => html! { <p class="specs-error mono">{ message }</p> },
        Verdict::Pending | Verdict::Pass => html! {},
    }
}

fn diff_line(line: &str) -> Html {
    let class = match line.chars().next() {
        Some('-') => "specs-expected",
        Some('+') => "specs-actual",
        _ => "",
    };
    html! { <span class={class}>{ line }{ "\n" }</span> }
}
