//! The trace panel (being built).
