//! json_diff (being built).
