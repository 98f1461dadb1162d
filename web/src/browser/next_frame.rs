//! Work that reads or writes the layout (sizes, scroll offsets), put off until the next
//! animation frame, where the browser lays the page out anyway.
//!
//! A component's effect runs right after its render, still inside the input that caused
//! it (a key, a slider's move): reading the layout there makes the browser lay the page
//! out at once, inside that input, and again after whatever the read leads to (rows a
//! scroll brings in). In the next frame, the jobs run before the browser's own layout,
//! in the order they were given.

use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// Jobs waiting for the next animation frame, and that frame.
#[derive(Default)]
struct Pending {
    jobs: Vec<Box<dyn FnOnce()>>,
    frame: Option<AnimationFrame>,
}

/// A queue of layout work for the next animation frame; dropping it (with the component
/// that holds it) drops the jobs not yet run.
#[derive(Clone, Default)]
pub struct NextFrame(Rc<RefCell<Pending>>);

impl NextFrame {
    /// Runs `job` in the next animation frame, after the jobs given before it.
    pub fn run(&self, job: impl FnOnce() + 'static) {
        let mut pending = self.0.borrow_mut();
        pending.jobs.push(Box::new(job));
        if pending.frame.is_none() {
            let queue = Rc::downgrade(&self.0);
            pending.frame = Some(request_animation_frame(move |_| run_all(&queue)));
        }
    }
}

/// Runs the jobs queued so far (a job may queue more: they wait for the frame after).
fn run_all(queue: &Weak<RefCell<Pending>>) {
    let Some(queue) = queue.upgrade() else {
        return;
    };
    let jobs = {
        let mut pending = queue.borrow_mut();
        pending.frame = None;
        std::mem::take(&mut pending.jobs)
    };
    for job in jobs {
        job();
    }
}
