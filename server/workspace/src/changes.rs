//! Planned file changes, shared by every action that writes (ADR actions, decomposition): the
//! CLI applies a [`Plan`] to disk with [`apply`]; the server turns it into one `WorkspaceEdit`.

use specwright_core::TextEdit;
use std::path::{Path, PathBuf};

/// One planned change to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new file; never overwrites one.
    Create { path: PathBuf, text: String },
    /// Edits to `text`, the file's current contents.
    Edit {
        path: PathBuf,
        text: String,
        edits: Vec<TextEdit>,
    },
}

impl Change {
    pub fn path(&self) -> &Path {
        match self {
            Change::Create { path, .. } | Change::Edit { path, .. } => path,
        }
    }
}

/// The changes of one action, and the record to show the user afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub show: Option<PathBuf>,
}

/// Writes a plan to disk: new files are created (never overwriting), edits are applied to
/// the text the plan was made from, and a file that changed since is left alone (an error).
pub fn apply(plan: &Plan) -> Result<(), String> {
    for change in &plan.changes {
        match change {
            Change::Create { path, .. } if path.exists() => {
                return Err(format!("{} already exists", path.display()));
            }
            Change::Edit { path, text, .. } => {
                let now = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                if &now != text {
                    return Err(format!(
                        "{} changed while planning; nothing written",
                        path.display()
                    ));
                }
            }
            Change::Create { .. } => {}
        }
    }
    for change in &plan.changes {
        match change {
            Change::Create { path, text } => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                std::io::Write::write_all(&mut file, text.as_bytes())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Change::Edit { path, text, edits } => {
                let updated = apply_edits(text, edits);
                std::fs::write(path, updated).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(())
}

/// `text` with `edits` (non-overlapping byte spans) applied.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
    let mut out = text.to_string();
    for e in sorted {
        if let Some(range) = out.get(e.span.range()).map(|_| e.span.range()) {
            out.replace_range(range, &e.new_text);
        }
    }
    out
}
