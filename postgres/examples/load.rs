//! How fast a session writes and reopens: `ORDERS` restaurant orders (default 1,000), each
//! submitted and run until idle with every step its own transaction, then the session
//! reopened from the database. Against `DATABASE_URL`, or a throwaway cluster.
//!
//! `cargo run --release -p decider-postgres --example load [ORDERS]`

use decider_core::EngineConfig;
use decider_postgres::scratch::Scratch;
use decider_postgres::{connect, delete, Session};
use serde_json::json;
use std::time::Instant;

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
    let start = Instant::now();
    let mut steps = 0;
    for i in 0..orders {
        session.submit(&json!({"order": {"place_order": {"customer": "Ada",
            "items": ["tiramisu"], "order_id": format!("o{i}"), "restaurant_id": "luigi"}}}))?;
        steps += session.run_until_idle(100)?.steps;
    }
    let written = start.elapsed();
    let (entries, facts) = (session.engine().journal_len(), session.engine().head());
    drop(session);
    let start = Instant::now();
    let reopened = Session::open(connect(&url)?, "load", &*domain)?;
    let read = start.elapsed();
    assert_eq!(reopened.engine().head(), facts);
    println!(
        "{orders} orders: {steps} steps and {orders} submissions written in {:.2} s \
         ({:.0} transactions/s, {:.0} µs each); reopened {entries} entries, {facts} facts \
         in {:.3} s ({:.0} entries/s)",
        written.as_secs_f64(),
        (steps as f64 + orders as f64) / written.as_secs_f64(),
        written.as_secs_f64() * 1e6 / (steps as f64 + orders as f64),
        read.as_secs_f64(),
        entries as f64 / read.as_secs_f64()
    );
    Ok(())
}
