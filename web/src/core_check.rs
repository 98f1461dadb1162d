//! The walking skeleton's proof that `decider-core` runs in the browser: a short counter
//! flow run through the type-erased boundary, exactly as the CLI would run it.

use decider_core::EngineConfig;
use serde_json::json;

/// What the flow produced, read back from the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreCheck {
    /// Facts recorded (events and rejections).
    pub facts: u64,
    /// The counter's value after the flow.
    pub value: u64,
    /// The rejection the last command got, as JSON.
    pub rejection: String,
}

/// Runs increments of 3, 4 and 5 and a decrement of 20 on counter `demo`.
pub fn run() -> Result<CoreCheck, String> {
    let domain = decider_domains::find("counter")
        .map_err(|known| format!("no counter domain (known: {known:?})"))?;
    let mut engine = domain.start(EngineConfig::default());
    for command in [
        json!({"increment": {"counter_id": "demo", "by": 3}}),
        json!({"increment": {"counter_id": "demo", "by": 4}}),
        json!({"increment": {"counter_id": "demo", "by": 5}}),
        json!({"decrement": {"counter_id": "demo", "by": 20}}),
    ] {
        engine.submit(&command).map_err(|e| e.to_string())?;
    }
    engine.run_until_idle(100);
    let head = engine.head();
    let state = engine.state_at(head);
    let last = engine.facts(head.saturating_sub(1), head);
    Ok(CoreCheck {
        facts: head,
        value: state["streams"]["counter-demo"]["state"]
            .as_u64()
            .ok_or("the counter has no value")?,
        rejection: last
            .first()
            .map(|fact| fact["kind"]["rejected"]["reason"].to_string())
            .ok_or("nothing was recorded")?,
    })
}
