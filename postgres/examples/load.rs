//! How fast a session writes, how soon a follower sees each fact, and how fast the session
//! reopens: `ORDERS` restaurant orders (default 1,000), each submitted and then stepped
//! until idle, every step its own transaction, while a [`Feed`] in another thread (its own
//! connection) follows the facts; then the session reopened from the database. Against
//! `DATABASE_URL`, or a throwaway cluster.
//!
//! `cargo run --release -p decider-postgres --example load [ORDERS]`

use decider_core::EngineConfig;
use decider_postgres::scratch::Scratch;
use decider_postgres::{connect, delete, Feed, Session};
use serde_json::json;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let orders: usize = std::env::args().nth(1).map_or(Ok(1000), |n| n.parse())?;
    let scratch;
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) => url,
        Err(_) => {
            scratch = Scratch::start()?;
            scratch.url()
        }
    };
    let domain = decider_domains::find("restaurant").map_err(|known| known.join(", "))?;
    delete(&mut connect(&url)?, "load")?;
    let mut session = Session::create(connect(&url)?, "load", &*domain, EngineConfig::default())?;
    session.submit(
        &json!({"restaurant": {"create_restaurant": {"capacity": 1_000_000,
        "menu": [{"item_id": "tiramisu", "name": "Tiramisu", "price_cents": 500}],
        "name": "Luigi's", "restaurant_id": "luigi"}}}),
    )?;
    session.submit(&json!({"restaurant": {"open": {"restaurant_id": "luigi"}}}))?;
    session.run_until_idle(10)?;
    let first = session.engine().head();
    // The follower: when each fact from `first` on reached it.
    let follower = {
        let url = url.clone();
        std::thread::spawn(move || -> Result<Vec<Instant>, String> {
            let client = connect(&url).map_err(|e| e.to_string())?;
            let mut feed = Feed::new(client, "load", first).map_err(|e| e.to_string())?;
            let mut seen = Vec::new();
            loop {
                let facts = feed
                    .next(Duration::from_secs(5))
                    .map_err(|e| e.to_string())?;
                if facts.is_empty() {
                    return Ok(seen);
                }
                let now = Instant::now();
                seen.extend(facts.iter().map(|_| now));
            }
        })
    };
    // The writer: when each step that wrote facts was committed, with the head after it.
    let mut committed: Vec<(u64, Instant)> = Vec::new();
    let start = Instant::now();
    let mut transactions = 0;
    for i in 0..orders {
        session.submit(&json!({"order": {"place_order": {"customer": "Ada",
            "items": ["tiramisu"], "order_id": format!("o{i}"), "restaurant_id": "luigi"}}}))?;
        transactions += 1;
        while session.step()?.is_some() {
            transactions += 1;
            committed.push((session.engine().head(), Instant::now()));
        }
    }
    let written = start.elapsed();
    let (entries, facts) = (session.engine().journal_len(), session.engine().head());
    let seen = follower.join().map_err(|_| "the follower panicked")??;
    assert_eq!(
        seen.len() as u64,
        facts - first,
        "the follower saw every fact"
    );
    // A fact's lag: from the commit of the step that wrote it to the follower's read.
    let mut lags: Vec<Duration> = Vec::with_capacity(seen.len());
    let mut step = 0;
    for (i, at) in seen.iter().enumerate() {
        let position = first + i as u64;
        while committed[step].0 <= position {
            step += 1;
        }
        lags.push(at.saturating_duration_since(committed[step].1));
    }
    lags.sort();
    drop(session);
    let start = Instant::now();
    let reopened = Session::open(connect(&url)?, "load", &*domain)?;
    let read = start.elapsed();
    assert_eq!(reopened.engine().head(), facts);
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{orders} orders: {transactions} transactions written in {:.2} s ({:.0} µs each); \
         a follower saw each fact {:.0} µs after its commit (median; 99th percentile {:.0}, \
         the longest {:.0}); reopened {entries} entries, {facts} facts in {:.3} s \
         ({:.0} entries/s)",
        written.as_secs_f64(),
        micros(written) / transactions as f64,
        micros(lags[lags.len() / 2]),
        micros(lags[lags.len() * 99 / 100]),
        micros(lags[lags.len() - 1]),
        read.as_secs_f64(),
        entries as f64 / read.as_secs_f64()
    );
    Ok(())
}
