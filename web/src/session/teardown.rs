//! Engines a session let go of (another workspace opened, a journal imported, a domain
//! picked), freed a slice at a time between frames. A session of a million facts owns
//! millions of allocations: dropping it in one go froze the page for a second or more,
//! right when the user had asked for something new.

use decider_core::boundary::Teardown;
use decider_core::DynEngine;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::collections::VecDeque;

/// Items (journal entries, then streams, then stream versions) freed per task: a 1M-fact
/// counter session's journal (1.5M entries, 366 tasks) was freed in 7.4 s, about 20 ms a
/// task with the timer's own delay (BENCHMARKS.md).
const ITEMS_PER_SLICE: usize = 4_096;

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

/// Frees one slice of the oldest engine waiting; the rest waits for the next task.
fn slice() {
    let done = PENDING.with(|pending| {
        let mut pending = pending.borrow_mut();
        pending.1 = false;
        let left = pending
            .0
            .front_mut()
            .is_some_and(|t| t.free(ITEMS_PER_SLICE));
        (!left).then(|| pending.0.pop_front()).flatten()
    });
    // What is left of an engine whose large collections are drained (its view, process
    // manager's state, queue and command index) goes here, outside the borrow.
    drop(done);
    schedule();
}
