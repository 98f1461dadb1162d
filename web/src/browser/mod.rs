//! Browser glue: the address, the focus, keyboard shortcuts, layout work put off until the
//! next frame, `localStorage`, an element's size.

pub mod address;
pub mod focus;
pub mod keyboard;
pub mod next_frame;
pub mod resize;
pub mod storage;
