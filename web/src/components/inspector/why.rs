//! Why was this refused? For a selected rejection: the command decided again at every
//! version of its stream, in stretches of one outcome, so that the event that made the
//! difference shows (or that none did); the command against the live state (would it pass
//! now?); and the facts that led to it. The engine finds it ([`Refusal`]); this draws it.

use super::field_history::value;
use crate::browser::focus;
use decider_core::boundary::{short_name, FactRow, Outcome, Refusal, Stretch, Verdict};
use yew::prelude::*;

/// The "why was it refused?" toggle of rejection `fact`, and the answer `why` once asked
/// (`on_why` asks and closes); a fact in it is selected with `on_select`, and `on_fork`
/// makes a what-if session from just before the turning point.
/// A plain function, as the inspector's other parts are.
pub fn why_refused(
    fact: &FactRow,
    why: Option<&Refusal>,
    on_why: &Callback<Option<u64>>,
    (on_select, on_fork): (&Callback<u64>, &Callback<u64>),
) -> Html {
    let position = fact.position;
    let open = why.is_some();
    let toggle = on_why.reform(move |_: MouseEvent| (!open).then_some(position));
    // Esc inside the answer or on its toggle closes it (and only it), the focus back on
    // the toggle.
    let on_keys = {
        let on_why = on_why.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && open {
                e.stop_propagation();
                on_why.emit(None);
                focus::focus_first([focus::element("[data-testid=why-button]")]);
            }
        })
    };
    html! {
        <div class="why-box" onkeydown={on_keys}>
            <button type="button" class="why-button" data-testid="why-button"
                    aria-expanded={open.to_string()} aria-controls={open.then_some("why-answer")}
                    title="Decide the refused command again at every version of its stream: which event made the difference, would it pass now, what led to it"
                    onclick={toggle}>
                <span aria-hidden="true">{ "? " }</span>
                { if open { "Hide why it was refused" } else { "Why was it refused?" } }
            </button>
            if let Some(why) = why {
                <section class="why" id="why-answer" data-testid="why"
                         aria-label={format!("Why #{position} was refused")}>
                    { verdict(why, on_select, on_fork) }
                    <h4 class="why-subhead">
                        { "Decided again at each version of " }
                        <span class="mono">{ &fact.stream_id }</span>
                    </h4>
                    <ol class="why-stretches">
                        if why.earlier > 0 {
                            <li class="why-earlier">{ earlier(why) }</li>
                        }
                        { for why.stretches.iter().map(|s| stretch(s, why.version, on_select)) }
                    </ol>
                    { now(why) }
                    <h4 class="why-subhead">{ "What led to the command" }</h4>
                    { causes(why, on_select) }
                </section>
            }
        </div>
    }
}

/// The answer in a sentence or two: injected, not decided the same way again, refused
/// since the event that made the difference, or refused whatever the stream's history;
/// with the facts it names as buttons that select them, and after a turning point a way
/// to try again without it (`on_fork`).
fn verdict(why: &Refusal, on_select: &Callback<u64>, on_fork: &Callback<u64>) -> Html {
    let fact = &why.fact;
    let stream = &fact.stream_id;
    let at = format!("v{} of {stream}", why.version);
    // Since when it was refused the way it met, when that is not where it began.
    let reason_since = (why.met())
        .and_then(|met| met.since.as_ref())
        .filter(|since| {
            why.turning_point
                .as_ref()
                .is_none_or(|t| t.position != since.position)
        });
    let verdict = why.verdict();
    let text = match (verdict, &why.again) {
        (Verdict::Injected, Outcome::Accepted { events }) => format!(
            "⚡ Injected by hand: decided, it would have been accepted at {at}, recording {}.",
            names(events)
        ),
        (Verdict::Injected, Outcome::Refused { name, .. }) => format!(
            "⚡ Injected by hand: decided, it would have been refused too at {at}, as {}.",
            short_name(name)
        ),
        (Verdict::Differs, again) => format!(
            "⚠ Decided again at {at}, it is not refused as recorded: it is {}. The decider is not deterministic, or another one wrote this journal.",
            outcome_text(again)
        ),
        (Verdict::TurningPoint, _) => "Refused since".to_string(),
        (Verdict::Always, _) => {
            let whole = match why.decided_from {
                0 => format!("at every version of {stream} (v0–v{})", why.version),
                from => format!(
                    "at every version decided (v{from}–v{}; the first {from} not decided again)",
                    why.version
                ),
            };
            format!("Refused {whole}: no event of the stream made it fail, the command itself is refused.")
        }
    };
    let select = |fact: &FactRow, testid| fact_button(fact, testid, fact_label(fact), on_select);
    let turning = (verdict == Verdict::TurningPoint)
        .then_some(why.turning_point.as_ref())
        .flatten();
    html! {
        <div class="why-verdict" data-testid="why-verdict" data-verdict={verdict.as_str()}
             data-position={turning.map(|t| t.position.to_string())} role="status">
            <p>
                { text }
                { turning.map(|t| html! {
                    <>
                        { " " }{ select(t, "why-turning") }
                        { format!(", the event that made the difference: {}.", before_turning(why)) }
                    </>
                }) }
            </p>
            { turning.map(|t| {
                let position = t.position;
                html! {
                    <button type="button" class="tool why-fork" data-testid="why-fork"
                            data-position={position.to_string()}
                            title={format!("A what-if session whose past is this one's up to just before #{position}: go on from there another way")}
                            onclick={on_fork.reform(move |_: MouseEvent| position)}>
                        { "⎇ fork before it" }
                    </button>
                }
            }) }
            if matches!(verdict, Verdict::TurningPoint | Verdict::Always) {
                if let Some(since) = reason_since {
                    <p>
                        { format!("Refused as {} since ", short_name(&fact.name)) }
                        { select(since, "why-reason-since") }
                        { "." }
                    </p>
                }
            }
        </div>
    }
}

/// What the command met before the turning point: the stretch that ends right before it.
fn before_turning(why: &Refusal) -> String {
    let turning = why.turning_point.as_ref().map(|t| t.position);
    let index = why
        .stretches
        .iter()
        .position(|s| s.since.as_ref().map(|f| f.position) == turning);
    match index
        .and_then(|i| i.checked_sub(1))
        .map(|i| &why.stretches[i])
    {
        Some(before) => format!(
            "at {} it was {}",
            before.versions(),
            outcome_text(&before.outcome)
        ),
        None => "before it, it was accepted".to_string(),
    }
}

/// Event names joined (without their service), or "nothing" for a command that records
/// no event.
fn names(events: &[String]) -> String {
    match events.is_empty() {
        true => "nothing".to_string(),
        false => (events.iter().map(|e| short_name(e)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// An outcome in words.
fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Accepted { events } => format!("accepted (→ {})", names(events)),
        Outcome::Refused { name, .. } => format!("refused as {}", short_name(name)),
    }
}

/// `#12 v3 order_placed`, as the field history names a fact (a compensation with ↩).
fn fact_label(fact: &FactRow) -> String {
    let at = match fact.stream_version {
        Some(version) => format!("#{} v{version}", fact.position),
        None => format!("#{}", fact.position),
    };
    let mark = if fact.compensation { "↩ " } else { "" };
    format!("{at} {mark}{}", short_name(&fact.name))
}

/// A fact named `label`, a button that selects it (`testid` says which part names it).
fn fact_button(
    fact: &FactRow,
    testid: &'static str,
    label: String,
    on_select: &Callback<u64>,
) -> Html {
    let position = fact.position;
    html! {
        <button type="button" class="why-fact" data-testid={testid}
                data-position={position.to_string()}
                title={format!("Select #{position} {}", fact.name)}
                onclick={on_select.reform(move |_: MouseEvent| position)}>
            { label }
        </button>
    }
}

/// The versions before the first stretch listed.
fn earlier(why: &Refusal) -> String {
    let n = why.earlier;
    match (n, why.decided_from == n) {
        (1, true) => "1 earlier version not decided again".to_string(),
        (n, true) => {
            format!("{n} earlier versions not decided again (a long stream: the latest are)")
        }
        (1, false) => "1 earlier version in stretches not listed".to_string(),
        (n, false) => format!("{n} earlier versions in stretches not listed"),
    }
}

/// One stretch of versions with one outcome: since which event, and what it was; the one
/// the command met (`version`) marked.
fn stretch(stretch: &Stretch, version: u64, on_select: &Callback<u64>) -> Html {
    let met = stretch.to == version;
    let (kind, glyph, text, fields) = match &stretch.outcome {
        Outcome::Accepted { events } => (
            "accepted",
            "✔",
            format!("accepted → {}", names(events)),
            None,
        ),
        Outcome::Refused { name, .. } => (
            "refused",
            "✘",
            format!("refused: {}", short_name(name)),
            stretch.outcome.fields(),
        ),
    };
    let since = match &stretch.since {
        Some(fact) => fact_button(
            fact,
            "why-since",
            format!("since {}", fact_label(fact)),
            on_select,
        ),
        None if stretch.from == 0 => {
            html! { <span class="why-since-none">{ "initial state" }</span> }
        }
        None => html! { <span class="why-since-none">{ "first version decided" }</span> },
    };
    html! {
        <li class={classes!("why-stretch", format!("why-{kind}"), met.then_some("why-met"))}
            data-testid="why-stretch" data-from={stretch.from.to_string()}
            data-to={stretch.to.to_string()} data-outcome={kind}
            aria-current={met.then_some("true")}>
            <span class="why-versions mono">{ stretch.versions() }</span>
            { since }
            <span class={classes!("why-outcome", format!("kind-{}", if kind == "accepted" { "event" } else { "rejection" }))}>
                <span aria-hidden="true">{ format!("{glyph} ") }</span>{ text }
            </span>
            { fields.map(|f| value(Some(f))) }
            if met {
                <span class="why-met-label">{ "← met" }</span>
            }
        </li>
    }
}

/// The command against the stream's live state.
fn now(why: &Refusal) -> Html {
    let (kind, text) = match &why.live {
        Outcome::Accepted { events } => (
            "accepted",
            format!(
                "✔ Submitted now (at v{}), it would be accepted → {}.",
                why.live_version,
                names(events)
            ),
        ),
        Outcome::Refused { name, .. } => (
            "refused",
            format!(
                "✘ Submitted now (at v{}), it would still be refused: {}.",
                why.live_version,
                short_name(name)
            ),
        ),
    };
    html! {
        <p class="why-now" data-testid="why-now" data-outcome={kind}>{ text }</p>
    }
}

/// The facts that led to the command, nearest first, each naming who reacted to it; then
/// where the flow began.
fn causes(why: &Refusal, on_select: &Callback<u64>) -> Html {
    let fact = &why.fact;
    let root = why
        .causes
        .last()
        .map_or(fact.origin.as_str(), |c| c.origin.as_str());
    let start = match root {
        "user" if why.causes.is_empty() => "You submitted this command.".to_string(),
        "user" => "…which was recorded for a command you submitted.".to_string(),
        _ => "The earlier causes are not in this journal.".to_string(),
    };
    let reactors =
        std::iter::once(fact.origin.as_str()).chain(why.causes.iter().map(|c| c.origin.as_str()));
    html! {
        <ol class="why-causes">
            { for why.causes.iter().zip(reactors).map(|(cause, reactor)| {
                html! {
                    <li class="why-cause">
                        <span class="why-reactor">{ format!("{reactor} reacted to") }</span>
                        { fact_button(cause, "why-cause", fact_label(cause), on_select) }
                        <span class="why-stream mono">{ &cause.stream_id }</span>
                    </li>
                }
            }) }
            <li class="why-root">{ start }</li>
        </ol>
    }
}
