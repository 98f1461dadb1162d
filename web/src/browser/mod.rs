//! Browser glue: the address, the focus, keyboard shortcuts, layout work put off until the
//! next frame.

pub mod address;
pub mod focus;
pub mod keyboard;
pub mod next_frame;
