//! The files a session leaves and enters by: scenario files (the CLI's own format, parser
//! and writer) and journal files (the exact engine journal, for bug reports).

use decider_core::scenario::{self, strict_json, Scenario};
use decider_core::DynDomain;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` of journal files.
pub const JOURNAL_FORMAT: &str = "decider-lab/journal";
/// The journal file version this build writes and reads.
pub const JOURNAL_VERSION: u32 = 1;

/// A journal file: an engine's exact journal with what it takes to rebuild it.
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

    /// The file's text (pretty JSON, ending with a newline).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A file the user brought in.
pub enum Import {
    /// A scenario file, checked against its domain as `decider check` does.
    Scenario(Box<Scenario>, Box<dyn DynDomain>),
    /// A journal file.
    Journal(JournalFile),
}

/// Reads an imported file's text: a journal file by its `format`, else a scenario file
/// with exactly the CLI's errors (JSON path, line and column).
pub fn read(text: &str) -> Result<Import, String> {
    let value = strict_json::parse(text).map_err(|e| e.to_string())?;
    if value["format"] == JOURNAL_FORMAT {
        if value["version"] != JOURNAL_VERSION {
            return Err(format!(
                "at $.version: journal file version {} is not one this build reads \
                 (expected {JOURNAL_VERSION})",
                value["version"]
            ));
        }
        let file = decider_core::boundary::from_json(&value).map_err(|e| e.to_string())?;
        return Ok(Import::Journal(file));
    }
    let (scenario, domain) =
        scenario::load(text, &decider_domains::find).map_err(|e| e.to_string())?;
    Ok(Import::Scenario(Box::new(scenario), domain))
}

/// A file name for `title` with `extension`: ASCII letters and digits, `-`, `_` and every
/// character beyond ASCII kept, any other character made `-` (what is not ASCII is kept as
/// it is rather than sorted with Unicode's tables of letters and digits, which would add
/// them to the wasm).
pub fn file_name(title: &str, extension: &str) -> String {
    let stem: String = title
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || !c.is_ascii() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('-');
    let stem = if stem.is_empty() { "session" } else { stem };
    format!("{stem}.{extension}")
}
