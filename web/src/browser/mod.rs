//! Browser glue: keyboard shortcuts.

pub mod keyboard;
