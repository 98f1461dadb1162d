//! The queue panel (being built).
