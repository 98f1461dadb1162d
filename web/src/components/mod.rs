//! One module per panel of the playground; each renders what the session exposes and
//! sends it actions.

pub mod banners;
pub mod compare;
pub mod composer;
pub mod dialog;
pub mod explore;
pub mod flows;
pub mod header;
pub mod inspector;
pub mod log;
pub mod queue;
pub mod schema_form;
pub mod shortcuts;
pub mod specs;
pub mod timeline;
pub mod trace;
pub mod workspaces;
