//! Browser persistence: the IndexedDB database ([`db`]), the journal and workspace stores
//! in it, the keeper that writes the session's journal one committed transaction at a
//! time ([`keeper`]), the settings a page going away leaves for the next load
//! ([`left_behind`]), tabs telling each other what they wrote ([`channel`]), and the
//! files a session is exported to and imported from ([`transfer`], [`files`]).

pub mod channel;
pub mod db;
pub mod files;
pub mod journal_store;
pub mod keeper;
pub mod left_behind;
pub mod transfer;
pub mod workspaces;
