//! The file-system edge shared by the CLI and the language server: finding the nearest
//! `specwright.toml`, loading it into a [`LoadedConfig`], walking folders for Markdown files,
//! and reading the clock. The analysis core does none of this.

pub mod adr;
pub mod changes;
pub mod tasks;

use specwright_core::config::{self, ConfigFile, FILE_NAME};
use specwright_core::incremental::Parts;
use specwright_core::index::{DocumentFacts, WorkspaceIndex};
use specwright_core::kind::classify;
use specwright_core::rules::{self, Date};
use specwright_core::syntax::{ParseOptions, SpecDoc};
use specwright_core::{Analysis, AnalysisInput, Config, ConfigDiagnostic, analyze};
use std::path::{Path, PathBuf};

/// A configuration file as read from disk (or from an editor buffer).
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The `specwright.toml` it came from; `None` when no file was found.
    pub path: Option<PathBuf>,
    /// The folder paths are made relative to: the file's folder, or the starting folder.
    pub root: PathBuf,
    pub text: String,
    pub file: ConfigFile,
    pub diagnostics: Vec<ConfigDiagnostic>,
}

impl LoadedConfig {
    /// No file: built-in defaults, paths relative to `root`.
    pub fn defaults(root: PathBuf) -> LoadedConfig {
        LoadedConfig {
            path: None,
            root,
            text: String::new(),
            file: ConfigFile::default(),
            diagnostics: Vec::new(),
        }
    }

    /// Parses `text` as the contents of `path`.
    pub fn from_text(path: PathBuf, text: String) -> LoadedConfig {
        let (file, diagnostics) = config::parse_toml(&text, &rules::ids());
        let root = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        LoadedConfig {
            path: Some(path),
            root,
            text,
            file,
            diagnostics,
        }
    }

    /// Reads the file at `path`.
    pub fn read(path: &Path) -> std::io::Result<LoadedConfig> {
        let text = std::fs::read_to_string(path)?;
        Ok(LoadedConfig::from_text(path.to_path_buf(), text))
    }

    /// The resolved configuration, with `editor` settings filling what the file leaves unset.
    pub fn resolve(&self, editor: &ConfigFile) -> Config {
        Config::new(self.file.clone().layered_over(editor))
    }

    /// Analyses `text`, the contents of the document at `path`, under `config` (resolved from
    /// this file) with today's date and the cross-file facts of `index`: the one call the CLI
    /// and the server share.
    pub fn analyze(
        &self,
        config: &Config,
        path: Option<&Path>,
        text: &str,
        index: &WorkspaceIndex,
    ) -> Analysis {
        let rel = path.and_then(|p| self.relative(p));
        let location = path.map(location_of);
        analyze(AnalysisInput {
            text,
            path: rel.as_deref(),
            location: location.as_deref(),
            config,
            index,
            today: Some(today()),
        })
    }

    /// Moves `parts`, the findings of a large document kept by part, to `text` after an edit,
    /// re-analysing only the part the edit touched (see [`specwright_core::incremental`]).
    /// `false` when the whole document must be analysed instead.
    pub fn update_parts(
        &self,
        parts: &mut Parts,
        config: &Config,
        path: Option<&Path>,
        text: &str,
        index: &WorkspaceIndex,
    ) -> bool {
        let rel = path.and_then(|p| self.relative(p));
        let location = path.map(location_of);
        parts.update(
            text,
            &AnalysisInput {
                text,
                path: rel.as_deref(),
                location: location.as_deref(),
                config,
                index,
                today: Some(today()),
            },
        )
    }

    /// What the workspace index keeps of the document at `path`.
    pub fn facts(&self, config: &Config, path: &Path, text: &str) -> DocumentFacts {
        let rel = self.relative(path);
        let doc = SpecDoc::parse_outline(
            text,
            ParseOptions {
                id_patterns: config.id_patterns(),
            },
        );
        let class = classify(rel.as_deref(), &doc, config);
        // Only an ADR's facts read sentences (its decision's first one).
        let doc = if class.kind == specwright_core::DocKind::Adr {
            doc.with_sentences()
        } else {
            doc
        };
        DocumentFacts::of(&doc, class, &location_of(path))
    }

    /// Whether a directory walk or an editor should analyse `path` at all: files outside a
    /// configuration's `include`, or inside its `exclude`, are left alone.
    pub fn covers(&self, config: &Config, path: &Path) -> bool {
        self.path.is_none() || self.relative(path).is_none_or(|rel| config.includes(&rel))
    }

    /// `path` relative to this configuration's root, `/`-separated; `None` outside the root.
    /// Without a configuration file there is no root, and the whole path is used, so that path
    /// conventions (`specs/NNN-name/spec.md`, `.kiro/specs/…`) are still recognised.
    pub fn relative(&self, path: &Path) -> Option<String> {
        if self.path.is_none() {
            return Some(location_of(path));
        }
        relative_path(&self.root, path)
    }
}

/// The nearest `specwright.toml` in `start` or one of its ancestors.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Loads the configuration that governs `file` (a document path): the nearest
/// `specwright.toml` above it, or defaults rooted at its folder.
pub fn config_for(file: &Path) -> std::io::Result<LoadedConfig> {
    let dir = if file.is_dir() {
        file.to_path_buf()
    } else {
        file.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    match find_config(&dir) {
        Some(path) => LoadedConfig::read(&path),
        None => Ok(LoadedConfig::defaults(dir)),
    }
}

/// How the index names a document: its absolute path, `/`-separated.
pub fn location_of(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // `..` resolved lexically, so that `check ../x` and a link `../adr/0001.md` name a file
    // the same way.
    let mut parts: Vec<std::path::Component> = Vec::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                if matches!(parts.last(), Some(std::path::Component::Normal(_))) {
                    parts.pop();
                }
            }
            std::path::Component::CurDir => {}
            c => parts.push(c),
        }
    }
    let normal: std::path::PathBuf = parts.iter().collect();
    normal.to_string_lossy().replace('\\', "/")
}

/// `path` relative to `root`, `/`-separated.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    Some(parts.join("/"))
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "md" | "markdown" | "mdx"))
}

/// The workspace index of one folder's Markdown documents (not its subfolders'), each read with
/// the configuration that governs it: what a feature folder's cross-file questions (coverage)
/// are answered from. Unreadable files are left out.
pub fn folder_index(dir: &Path) -> std::io::Result<WorkspaceIndex> {
    let mut index = WorkspaceIndex::default();
    for entry in std::fs::read_dir(dir)?.flatten() {
        let path = entry.path();
        if !path.is_file() || !is_markdown(&path) {
            continue;
        }
        let loaded = config_for(&path)?;
        let config = loaded.resolve(&ConfigFile::default());
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        index.insert(location_of(&path), loaded.facts(&config, &path, &text));
    }
    Ok(index)
}

/// The index folder key of `dir` (the folder its documents' locations share).
pub fn folder_key(dir: &Path) -> String {
    specwright_core::index::folder_of(&location_of(&dir.join("x.md")))
}

/// Markdown files under `dir`, honouring `.gitignore` and friends, in path order.
pub fn walk_markdown(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_markdown(e.path()))
        .map(ignore::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// Today's date in UTC, from the system clock, or from `SPECWRIGHT_TODAY` (`YYYY-MM-DD`) when
/// set, so that output containing dates (the `[DATE]` fix) is reproducible.
pub fn today() -> Date {
    if let Some(date) = std::env::var("SPECWRIGHT_TODAY")
        .ok()
        .and_then(|s| parse_date(&s))
    {
        return date;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch((secs / 86_400) as i64)
}

fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts
        .next()?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    let day = parts
        .next()?
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d))?;
    parts.next().is_none().then_some(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_nearest_config_and_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("specs/001-x");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "[rules]\nincomplete-marker = \"off\"\n",
        )
        .unwrap();
        std::fs::write(nested.join("spec.md"), "# x\n").unwrap();
        let loaded = config_for(&nested.join("spec.md")).unwrap();
        assert_eq!(
            loaded.path.as_deref(),
            Some(dir.path().join(FILE_NAME).as_path())
        );
        assert_eq!(
            loaded.relative(&nested.join("spec.md")).as_deref(),
            Some("specs/001-x/spec.md")
        );
        assert_eq!(walk_markdown(dir.path()), vec![nested.join("spec.md")]);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(20_420).to_string(),
            "2025-11-28"
        );
    }
}
