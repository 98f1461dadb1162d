//! Browser glue: keyboard shortcuts, layout work put off until the next frame.

pub mod keyboard;
pub mod next_frame;
