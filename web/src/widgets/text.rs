//! Fitting text into a cell or a drawing: ids shortened in the middle (their ends tell
//! them apart), names and notes cut at the end. The full text always goes into a `title`.

/// `text` if it has at most `max` characters, else its first and last characters around
/// an ellipsis, `max` characters in all.
pub fn shorten_middle(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max || max < 3 {
        return text.to_string();
    }
    let keep = max - 1;
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// `text` if it has at most `max` characters, else its first `max - 1` and an ellipsis.
pub fn shorten_end(text: &str, max: usize) -> String {
    if text.chars().count() <= max || max == 0 {
        return text.to_string();
    }
    let start: String = text.chars().take(max - 1).collect();
    format!("{start}…")
}
