//! What the PostgreSQL test binaries share (`postgres/tests/store.rs`, and
//! `cli/tests/pg.rs` by path): each test a function of the database's URL, run against
//! the database at `DECIDER_PG_URL` or a throwaway cluster started and stopped around
//! them.

use decider_postgres::scratch;
use libtest_mimic::{Arguments, Failed, Trial};

/// A test: a function of the database's URL.
pub type Test = fn(&str) -> Result<(), Failed>;

/// Each test function with its name.
macro_rules! tests {
    ($($test:ident),* $(,)?) => {
        [$((stringify!($test), $test as support::Test)),*]
    };
}
pub(crate) use tests;

/// Runs `tests` as the command line asks, against one database, and exits.
pub fn run<const N: usize>(tests: [(&'static str, Test); N]) -> ! {
    let args = Arguments::from_args();
    let conclusion = scratch::with_database(|url| {
        let trials = tests
            .into_iter()
            .map(|(name, test)| {
                let url = url.to_string();
                Trial::test(name, move || test(&url))
            })
            .collect();
        libtest_mimic::run(&args, trials)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    conclusion.exit()
}
