//! Engines a session let go of (another workspace opened, a journal imported, a domain
//! picked), freed a slice at a time between frames. A session of a million facts owns
//! millions of allocations: dropping it in one go froze the page for a second or more,
//! right when the user had asked for something new.

use crate::browser::slices::now;
use decider_core::boundary::Teardown;
use decider_core::DynEngine;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::collections::VecDeque;

/// Items (journal entries, then streams) freed between two looks at
/// the clock.
const ITEMS_PER_CHUNK: usize = 512;

/// How long one task frees chunks, in milliseconds: well inside a frame, so that a page
/// freeing a million-fact engine stays responsive whatever one item costs on this machine
/// and under its load (a fixed 4,096 items a task left a longest task of 106 ms under
/// load, BENCHMARKS.md "Leaving a long session").
const SLICE_MS: f64 = 8.0;

thread_local! {
    /// Engines waiting to be freed, oldest first, and whether a slice is scheduled.
    static PENDING: RefCell<(VecDeque<Box<dyn Teardown>>, bool)> = RefCell::default();
}

/// How many engines are waiting to be freed (for the benchmarks).
pub fn pending() -> usize {
    PENDING.with(|pending| pending.borrow().0.len())
}

/// Frees `engine` in slices, after the frame that shows what replaced it.
pub fn release(engine: Box<dyn DynEngine>) {
    if engine.journal_len() == 0 {
        return;
    }
    let teardown = engine.into_teardown();
    PENDING.with(|pending| pending.borrow_mut().0.push_back(teardown));
    schedule();
}

/// Schedules the next slice unless one is scheduled already.
fn schedule() {
    let idle = PENDING.with(|pending| {
        let mut pending = pending.borrow_mut();
        let idle = !pending.1 && !pending.0.is_empty();
        pending.1 |= idle;
        idle
    });
    if idle {
        Timeout::new(0, slice).forget();
    }
}

/// Frees chunks of the oldest engine waiting for [`SLICE_MS`]; the rest waits for the
/// next task.
fn slice() {
    let started = now();
    let done = PENDING.with(|pending| {
        let mut pending = pending.borrow_mut();
        pending.1 = false;
        let mut left = true;
        while left && now() - started < SLICE_MS {
            left = pending
                .0
                .front_mut()
                .is_some_and(|t| t.free(ITEMS_PER_CHUNK));
        }
        (!left).then(|| pending.0.pop_front()).flatten()
    });
    // What is left of an engine whose large collections are drained (its view, process
    // manager's state, queue and command index) goes here, outside the borrow.
    drop(done);
    schedule();
}
