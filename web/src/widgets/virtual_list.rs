//! virtual_list (being built).
