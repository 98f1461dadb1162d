//! json_tree (being built).
