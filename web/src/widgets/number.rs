//! Numbers for people: grouped in thousands, counted with their noun, and a count that
//! scripts read as a bare number.

use yew::prelude::*;

/// `n` with groups of thousands (`100,000`).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The least number [`compact`] does not write whole.
pub const COMPACT_FROM: u64 = 100_000;

/// `n` in at most five characters, for a cell five digits wide (a stream's version in the
/// log): whole below [`COMPACT_FROM`], else in thousands (`123k`), from 100,000,000 in
/// millions (`123M`). Rounded down, so a version shown is never one the stream has not
/// reached.
pub fn compact(n: u64) -> String {
    match n {
        0..COMPACT_FROM => n.to_string(),
        COMPACT_FROM..100_000_000 => format!("{}k", n / 1_000),
        _ => format!("{}M", n / 1_000_000),
    }
}

/// The noun for `n` of them: `singular` for 1, else with an `s` (`fact`, `facts`).
pub fn noun(n: u64, singular: &str) -> String {
    if n == 1 {
        singular.to_string()
    } else {
        format!("{singular}s")
    }
}

/// `n` grouped in thousands with its noun: `1 fact`, `100,000 facts`.
pub fn counted(n: u64, singular: &str) -> String {
    format!("{} {}", thousands(n), noun(n, singular))
}

/// A count that scripts read and people see: the element with `data-testid` = `testid`
/// keeps the bare number as its text (a public contract: `head` and `saved` are read as
/// numbers), visually hidden, and the number grouped in thousands is shown beside it
/// (hidden from screen readers, which read the first).
pub fn scripted_count(testid: &'static str, n: u64) -> Html {
    html! {
        <>
            <span class="visually-hidden" data-testid={testid}>{ n }</span>
            <span aria-hidden="true">{ thousands(n) }</span>
        </>
    }
}
