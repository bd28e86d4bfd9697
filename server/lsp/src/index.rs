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

    /// Stores `facts` for `location`; who may now see different cross-file findings.
    pub fn update(&self, location: String, facts: DocumentFacts) -> Option<Reach> {
        let mut index = match self.inner.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let old = index.document(&location);
        if old == Some(&facts) {
            return None;
        }
        let reach = Reach::of(old, &facts);
        index.insert(location, facts);
        Some(reach)
    }

    pub fn remove(&self, location: &str) -> Option<Reach> {
        let mut index = match self.inner.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let old = index.document(location)?;
        let reach = Reach::of(None, old);
        index.remove(location);
        Some(reach)
    }
}

/// The documents whose cross-file findings a change of facts can alter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// The documents of this folder (ids and tasks are feature-local).
    Folder(String),
    /// Every document: an ADR changed, and ADRs are cited from anywhere.
    Workspace,
}

impl Reach {
    fn of(old: Option<&DocumentFacts>, new: &DocumentFacts) -> Reach {
        // What other folders see of a record: its number, title, status and successors.
        // Typing in its Context changes spans and text, which only its folder cares about.
        let cited = |f: Option<&DocumentFacts>| {
            f.and_then(|f| f.adr.as_ref()).map(|r| {
                (
                    r.number(),
                    r.title.clone(),
                    r.status.as_ref().map(|s| s.value.clone()),
                    r.successors().map(|l| l.target.clone()).collect::<Vec<_>>(),
                )
            })
        };
        if cited(old) != cited(Some(new)) {
            Reach::Workspace
        } else {
            Reach::Folder(new.folder.clone())
        }
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
/// The facts of `files`, read and parsed on every core (the start-up index of a large
/// workspace is CPU-bound), in the order given.
pub fn facts_of_files(files: &[PathBuf], editor: &ConfigFile) -> Vec<(String, DocumentFacts)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = files.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = files
            .chunks(per)
            .map(|part| {
                scope.spawn(move || {
                    // One configuration per folder: finding and compiling it per file costs
                    // more than parsing a small document.
                    let mut configs: std::collections::HashMap<
                        PathBuf,
                        Option<(LoadedConfig, specwright_core::Config)>,
                    > = std::collections::HashMap::new();
                    part.iter()
                        .filter_map(|p| {
                            let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
                            let entry = configs.entry(dir).or_insert_with(|| {
                                let loaded = config_for(p).ok()?;
                                let config = loaded.resolve(editor);
                                Some((loaded, config))
                            });
                            let (loaded, config) = entry.as_ref()?;
                            facts_with(p, loaded, config)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

pub fn facts_of_file(path: &Path, editor: &ConfigFile) -> Option<(String, DocumentFacts)> {
    let loaded: LoadedConfig = config_for(path).ok()?;
    let config = loaded.resolve(editor);
    facts_with(path, &loaded, &config)
}

fn facts_with(
    path: &Path,
    loaded: &LoadedConfig,
    config: &specwright_core::Config,
) -> Option<(String, DocumentFacts)> {
    if !loaded.covers(config, path) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some((location_of(path), loaded.facts(config, path, &text)))
}
