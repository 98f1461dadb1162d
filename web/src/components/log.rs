//! The log panel (being built).
