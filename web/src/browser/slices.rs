//! Long work done in slices that yield to the browser between them, so that the page stays
//! responsive (and can be used to cancel it) while it runs.

use gloo::timers::future::TimeoutFuture;

/// The least milliseconds of work per slice before yielding to the browser (half a 60 Hz
/// frame).
const SLICE_MS: f64 = 8.0;
/// The most milliseconds of work per slice, so no slice is a long task (50 ms).
const MAX_SLICE_MS: f64 = 40.0;

/// While `left()` says how much of the work is done (of a total) and some is not, does
/// `work(n)` for the next `n` units, yielding to the browser after each slice: `n` starts at
/// 16 and is then fitted so that a slice takes about 8 to 40 ms. Stops too when a slice
/// does nothing (the work was refused or taken away meanwhile).
pub async fn in_slices(left: impl Fn() -> Option<(u64, u64)>, work: impl Fn(u64)) {
    let mut slice = 16u64;
    while let Some((done, total)) = left() {
        if done >= total {
            break;
        }
        let n = slice.min(total - done);
        let started = now();
        work(n);
        let spent = (now() - started).max(0.1);
        if left().is_some_and(|(now_done, _)| now_done == done) {
            break;
        }
        TimeoutFuture::new(0).await;
        // The page rendered meanwhile: give the work at least as long as that took (so a
        // costly render does not dominate), within SLICE_MS..MAX_SLICE_MS.
        let rendering = now() - started - spent;
        let target = rendering.clamp(SLICE_MS, MAX_SLICE_MS);
        slice = ((n as f64 * target / spent) as u64).clamp(1, 5_000);
    }
}

/// The page's clock (`performance.now()`), in milliseconds.
pub(crate) fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
