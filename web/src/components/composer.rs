//! The composer panel (being built).
