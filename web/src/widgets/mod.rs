//! Generic pieces the panels share: a button that copies, a tablist's keys, a collapsible JSON tree, a JSON diff, a virtual list,
//! the splitters between panels, kept markup, text shortening and numbers for people.

pub mod copy_button;
pub mod json_diff;
pub mod json_tree;
pub mod kept;
pub mod number;
pub mod splitter;
pub mod tabs;
pub mod text;
pub mod virtual_list;
