//! The inspector panel (being built).
