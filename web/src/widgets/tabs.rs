//! What a row of tabs (`role=tablist`) does with the keyboard: ←/→ move to the tab before
//! or after (round the ends), Home/End to the first or last, as the ARIA practices say.

/// The tab a tablist of `count` tabs moves to for `key` from the tab at `at`; `None` for
/// other keys.
pub fn key_target(key: &str, at: usize, count: usize) -> Option<usize> {
    let count = count.max(1);
    match key {
        "ArrowRight" => Some((at + 1) % count),
        "ArrowLeft" => Some((at + count - 1) % count),
        "Home" => Some(0),
        "End" => Some(count - 1),
        _ => None,
    }
}
