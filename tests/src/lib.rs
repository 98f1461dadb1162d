//! Cross-crate tests live in `cross_crate.rs`, `scenarios.rs` and `e2e/`; this library is empty on purpose.
