//! # decider-domains
//!
//! Example domains for Decider Lab. Each module holds one domain's deciders, views and
//! sagas; [`all`] lists them behind `decider-core`'s type-erased boundary, which is all
//! the playground and the CLI know of them.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// Lifts the decider `$decider` for the `$variant` aggregate into its domain's `Command`,
/// `Event` and `Rejection` enums (each with a `$variant(..)` variant), for a `Route`; the
/// part is named `$owner` and owns the streams whose ids begin with `$prefix`, so its
/// events given in any other stream are refused.
macro_rules! lift {
    ($decider:expr, $variant:ident, $owner:literal, $prefix:literal) => {
        decider_core::compose::Lift::<_, Command, Event, Rejection>::new(
            $decider,
            |command: &Command| match command {
                Command::$variant(inner) => Some(inner),
                _ => None,
            },
            Event::$variant,
            |event: &Event| match event {
                Event::$variant(inner) => Some(inner),
                _ => None,
            },
            Rejection::$variant,
        )
        .owning($owner, $prefix)
    };
}

pub mod checkout;
pub mod counter;
mod items;
pub mod lifecycle;
pub mod restaurant;
mod schemas;
mod text;
pub mod transfer;

use decider_core::{DynDomain, Engine, System};

/// Every example domain, in the order the playground lists them.
pub fn all() -> Vec<Box<dyn DynDomain>> {
    vec![
        Box::new(counter::domain()),
        Box::new(restaurant::domain()),
        Box::new(transfer::domain()),
        Box::new(checkout::domain()),
    ]
}

/// The domain with this id, or the list of known ids to show in an error.
pub fn find(id: &str) -> Result<Box<dyn DynDomain>, Vec<String>> {
    let mut domains = all();
    match domains.iter().position(|d| d.info().id == id) {
        Some(i) => Ok(domains.swap_remove(i)),
        None => Err(domains.iter().map(|d| d.info().id.clone()).collect()),
    }
}

/// The events `engine` recorded, in order (what the domains' invariants go through).
fn recorded_events<Y: System>(engine: &Engine<Y>) -> impl Iterator<Item = Y::Event> + '_ {
    engine
        .journal_run()
        .facts()
        .filter_map(|f| f.event().cloned())
}
