//! Generic pieces the panels share: a collapsible JSON tree, a JSON diff, a virtual list.

pub mod json_diff;
pub mod json_tree;
pub mod virtual_list;
