//! The schema_form panel (being built).
