//! The server's workspace index: every Markdown file of the workspace folders, read from disk
//! at start-up (with progress) and kept current from watched-file events and open documents
//! (open documents win over disk).

use specwright_core::config::ConfigFile;
use specwright_core::index::{DocumentFacts, WorkspaceIndex};
use specwright_workspace::{LoadedConfig, config_for, location_of, walk_markdown};
use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard};

#[derive(Default)]
pub struct Index {
    inner: RwLock<WorkspaceIndex>,
}

impl Index {
    pub fn read(&self) -> RwLockReadGuard<'_, WorkspaceIndex> {
        match self.inner.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Stores `facts` for `location`; whether anything changed.
    pub fn update(&self, location: String, facts: DocumentFacts) -> bool {
        let mut index = match self.inner.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if index.document(&location) == Some(&facts) {
            return false;
        }
        index.insert(location, facts);
        true
    }

    pub fn remove(&self, location: &str) -> bool {
        let mut index = match self.inner.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let had = index.document(location).is_some();
        index.remove(location);
        had
    }
}

/// The Markdown files of `roots` that their configurations include.
pub fn files(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in roots {
        for file in walk_markdown(root) {
            out.push(file);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Facts of one file on disk, when its configuration includes it.
pub fn facts_of_file(path: &Path, editor: &ConfigFile) -> Option<(String, DocumentFacts)> {
    let loaded: LoadedConfig = config_for(path).ok()?;
    let config = loaded.resolve(editor);
    if !loaded.covers(&config, path) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some((location_of(path), loaded.facts(&config, path, &text)))
}
