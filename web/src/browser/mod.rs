//! Browser glue: the address, keyboard shortcuts, layout work put off until the next frame.

pub mod address;
pub mod keyboard;
pub mod next_frame;
