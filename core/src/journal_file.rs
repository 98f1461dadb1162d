//! Journal files: an engine's exact journal with what it takes to rebuild it (its domain
//! and seed), what the playground exports and imports for bug reports, and how the
//! explorer hands a shrunk run to the page to open.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` of journal files.
pub const JOURNAL_FORMAT: &str = "decider-lab/journal";
/// The journal file version this build writes and reads.
pub const JOURNAL_VERSION: u32 = 1;

/// A journal file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalFile {
    /// Always [`JOURNAL_FORMAT`].
    pub format: String,
    /// Always [`JOURNAL_VERSION`].
    pub version: u32,
    /// The domain's id.
    pub domain: String,
    /// The seed of its ids.
    pub seed: u64,
    /// The workspace's name.
    pub title: String,
    /// The engine's journal entries, in order.
    pub journal: Vec<Value>,
}

impl JournalFile {
    /// The journal file of an engine of `domain` seeded `seed`.
    pub fn new(domain: &str, seed: u64, title: &str, journal: Vec<Value>) -> Self {
        JournalFile {
            format: JOURNAL_FORMAT.into(),
            version: JOURNAL_VERSION,
            domain: domain.into(),
            seed,
            title: title.into(),
            journal,
        }
    }

    /// `value` read as a journal file, `None` when its `format` is not a journal file's
    /// (a scenario file, say); the error names the path of what does not read.
    pub fn read(value: &Value) -> Option<Result<JournalFile, String>> {
        if value["format"] != JOURNAL_FORMAT {
            return None;
        }
        if value["version"] != JOURNAL_VERSION {
            return Some(Err(format!(
                "at $.version: journal file version {} is not one this build reads \
                 (expected {JOURNAL_VERSION})",
                value["version"]
            )));
        }
        Some(crate::boundary::from_json(value).map_err(|e| e.to_string()))
    }

    /// The file's text (pretty JSON, ending with a newline).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_journal_file_reads_back_and_anything_else_is_not_one() {
        let file = JournalFile::new("counter", 9, "mine", vec![json!({"submitted": {}})]);
        let value: Value = serde_json::from_str(&file.to_json()).unwrap();
        assert_eq!(JournalFile::read(&value), Some(Ok(file)));
        let scenario = json!({"format": "decider-lab/scenario", "version": 1});
        assert_eq!(JournalFile::read(&scenario), None);
        let mut later = value.clone();
        later["version"] = json!(2);
        let error = JournalFile::read(&later).unwrap().unwrap_err();
        assert!(
            error.starts_with("at $.version: journal file version 2"),
            "{error}"
        );
        let mut broken = value;
        broken["seed"] = json!("nine");
        let error = JournalFile::read(&broken).unwrap().unwrap_err();
        assert!(error.starts_with("at $.seed"), "{error}");
    }
}
