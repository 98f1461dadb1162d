//! Workspace records: what a workspace is (domain, seed, name, where it was forked from),
//! how far its journal is saved, and the UI settings it reopens with.

use super::db::{self, StoreError, BY_OPENED, SCENARIOS, WORKSPACES};
use crate::session::RepeatJob;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbTransactionMode};

/// Where a workspace was forked from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    /// The parent workspace's id.
    pub id: String,
    /// The position (facts folded) it was forked at.
    pub position: u64,
    /// How many forks deep it is (1: a fork of a workspace that is not one).
    #[serde(default = "first_generation")]
    pub generation: u32,
}

fn first_generation() -> u32 {
    1
}

/// The UI settings a workspace reopens with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The run mode's id (`instant`, `realtime`, `step`).
    pub mode: String,
    /// The time-travel cursor (`None`: live).
    pub cursor: Option<u64>,
    /// Milliseconds between steps in real-time mode.
    pub interval_ms: u32,
    /// A Repeat ×N under way, taken up again on load (absent in older records).
    #[serde(default)]
    pub repeat: Option<RepeatJob>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: "instant".into(),
            cursor: None,
            interval_ms: 600,
            repeat: None,
        }
    }
}

/// One workspace's record in the `workspaces` store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// Its id (the `workspace-picker` option values).
    pub id: String,
    /// Its name, as the user gave it.
    pub name: String,
    /// The domain's id.
    pub domain: String,
    /// The seed of its ids, in decimal (a JS number cannot hold every `u64`).
    pub seed: String,
    /// Where it was forked from, if it was.
    #[serde(default)]
    pub parent: Option<Parent>,
    /// When it was created (ms since the epoch).
    pub created: f64,
    /// When it was last opened (ms since the epoch).
    pub opened: f64,
    /// Journal entries saved (as of this record's last write).
    #[serde(default)]
    pub length: usize,
    /// Facts saved (as of this record's last write).
    #[serde(default)]
    pub facts: u64,
    /// The UI settings it reopens with.
    #[serde(default)]
    pub settings: Settings,
}

impl Workspace {
    /// A new, empty workspace record.
    pub fn new(name: &str, domain: &str, seed: u64, parent: Option<Parent>) -> Self {
        let now = js_sys::Date::now();
        Workspace {
            id: new_id("ws"),
            name: name.into(),
            domain: domain.into(),
            seed: seed.to_string(),
            parent,
            created: now,
            opened: now,
            length: 0,
            facts: 0,
            settings: Settings::default(),
        }
    }

    /// The seed as a number (0 if the record's text is not one).
    pub fn seed(&self) -> u64 {
        self.seed.parse().unwrap_or(0)
    }

    /// The record as the JS object stored for it.
    pub fn to_js(&self) -> Result<JsValue, StoreError> {
        self.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| StoreError::Other(format!("a workspace does not convert: {e}")))
    }
}

/// A fresh id with `prefix`: time and randomness, unique enough across tabs.
pub fn new_id(prefix: &str) -> String {
    let time = js_sys::Date::now() as u64;
    let random = (js_sys::Math::random() * 2f64.powi(32)) as u64;
    format!("{prefix}-{time:x}-{random:08x}")
}

/// Every workspace, oldest first. A record that does not read is left out (and kept).
pub async fn list(db: &IdbDatabase) -> Result<Vec<Workspace>, StoreError> {
    let tx = db::transaction(db, &[WORKSPACES], IdbTransactionMode::Readonly)?;
    let all: js_sys::Array = db::finished(&tx.object_store(WORKSPACES)?.get_all()?)
        .await?
        .into();
    let mut found: Vec<Workspace> = all
        .iter()
        .filter_map(|v| serde_wasm_bindgen::from_value(v).ok())
        .collect();
    found.sort_by(|a, b| a.created.total_cmp(&b.created));
    Ok(found)
}

/// The workspace opened last, if any.
pub async fn last_opened(db: &IdbDatabase) -> Result<Option<Workspace>, StoreError> {
    let tx = db::transaction(db, &[WORKSPACES], IdbTransactionMode::Readonly)?;
    let index = tx.object_store(WORKSPACES)?.index(BY_OPENED)?;
    let all: js_sys::Array = db::finished(&index.get_all()?).await?.into();
    Ok(all
        .iter()
        .rev()
        .find_map(|v| serde_wasm_bindgen::from_value(v).ok()))
}

/// Writes `workspace`'s record.
pub async fn put(db: &IdbDatabase, workspace: &Workspace) -> Result<(), StoreError> {
    let tx = db::transaction(db, &[WORKSPACES], IdbTransactionMode::Readwrite)?;
    tx.object_store(WORKSPACES)?.put(&workspace.to_js()?)?;
    db::committed(&tx).await
}

/// An imported scenario file kept for the spec suite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedScenario {
    /// Its id.
    pub id: String,
    /// The file's name.
    pub file: String,
    /// The file's text, as imported.
    pub text: String,
}

/// Every imported scenario, in the order imported.
pub async fn scenarios(db: &IdbDatabase) -> Result<Vec<SavedScenario>, StoreError> {
    let tx = db::transaction(db, &[SCENARIOS], IdbTransactionMode::Readonly)?;
    let all: js_sys::Array = db::finished(&tx.object_store(SCENARIOS)?.get_all()?)
        .await?
        .into();
    Ok(all
        .iter()
        .filter_map(|v| serde_wasm_bindgen::from_value(v).ok())
        .collect())
}

/// Keeps an imported scenario.
pub async fn add_scenario(db: &IdbDatabase, scenario: &SavedScenario) -> Result<(), StoreError> {
    let value = scenario
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| StoreError::Other(e.to_string()))?;
    let tx = db::transaction(db, &[SCENARIOS], IdbTransactionMode::Readwrite)?;
    tx.object_store(SCENARIOS)?.put(&value)?;
    db::committed(&tx).await
}
