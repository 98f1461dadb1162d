//! The files a session leaves and enters by: scenario files (the CLI's own format, parser
//! and writer) and journal files (the exact engine journal, for bug reports).

use decider_core::scenario::{self, strict_json, Scenario};
use decider_core::DynDomain;

pub use decider_core::journal_file::JournalFile;

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
    if let Some(file) = JournalFile::read(&value) {
        return file.map(Import::Journal);
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
