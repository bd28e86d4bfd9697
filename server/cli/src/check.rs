//! `specwright check`: collect files, analyse them in parallel, gather findings.

use rayon::prelude::*;
use specwright_core::Config;
use specwright_core::config::FILE_NAME;
use specwright_core::index::{DocumentFacts, WorkspaceIndex};
use specwright_core::{Diagnostic, Fix, Severity, Span};
use specwright_workspace::{LoadedConfig, find_config, is_markdown, location_of, walk_markdown};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One finding, located for display.
#[derive(Debug, Clone)]
pub struct Finding {
    /// As given or found, `/`-separated.
    pub path: String,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub question: Option<String>,
    pub span: Span,
    /// 1-based line and column (in characters) of the start and end.
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub fixes: Vec<Fix>,
    /// The other places the finding is about (the statement a conflicting value contradicts).
    pub related: Vec<RelatedPlace>,
}

/// Another place a finding points at, as a reader finds it: a path and a 1-based line.
#[derive(Debug, Clone)]
pub struct RelatedPlace {
    pub path: String,
    pub line: usize,
    pub message: String,
}

/// A checked file's text, kept for excerpts.
pub struct Source {
    pub path: String,
    pub text: String,
    /// Document kind and family as detected (`None` for configuration files).
    pub kind: Option<(&'static str, &'static str)>,
}

pub struct Report {
    pub findings: Vec<Finding>,
    pub sources: Vec<Source>,
    pub files_checked: usize,
    /// I/O and usage problems: the exit code becomes 2.
    pub errors: Vec<String>,
}

/// A path as `specwright check` shows it: relative to the working directory when under it.
fn relative(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    display(path.strip_prefix(&cwd).unwrap_or(path))
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// 1-based (line, column in chars) of each offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn finding(
    path: &str,
    text: &str,
    rule: &str,
    severity: Severity,
    message: String,
    span: Span,
) -> Finding {
    let at = |offset| line_col(text, offset);
    finding_at(path, rule, severity, message, span, &at)
}

/// 1-based line and column of `offset` in an analysed document, from its line index (a scan
/// from the start of the text per finding is quadratic on large files).
fn position(doc: &specwright_core::SpecDoc, offset: usize) -> (usize, usize) {
    let offset = doc.text.floor_char_boundary(offset.min(doc.text.len()));
    let line = doc.line_of(offset);
    let start = doc.line_span(line).start.min(offset);
    (line + 1, doc.text[start..offset].chars().count() + 1)
}

fn finding_at(
    path: &str,
    rule: &str,
    severity: Severity,
    message: String,
    span: Span,
    at: &dyn Fn(usize) -> (usize, usize),
) -> Finding {
    Finding {
        path: path.to_string(),
        rule: rule.to_string(),
        severity,
        message,
        question: None,
        span,
        start: at(span.start),
        end: at(span.end),
        fixes: Vec::new(),
        related: Vec::new(),
    }
}

/// One checked file: its source, its findings, and the configuration file that governed it.
type Checked = (Source, Vec<Finding>, Option<PathBuf>);

/// Configurations by folder, each read and compiled once: a compiled `Config` carries the
/// word automata and id patterns every file under it shares, so building one per file would
/// cost more than checking the file.
/// A configuration as read, and compiled.
type Governing = (Arc<LoadedConfig>, Arc<Config>);

#[derive(Default)]
struct Configs {
    /// Settings beneath every configuration file, as an editor's settings are.
    editor: specwright_core::config::ConfigFile,
    by_dir: Mutex<HashMap<PathBuf, Governing>>,
    by_file: Mutex<HashMap<PathBuf, Governing>>,
    defaults: std::sync::OnceLock<Arc<Config>>,
}

impl Configs {
    fn get(&self, file: &Path) -> std::io::Result<Governing> {
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(hit) = self.by_dir.lock().ok().and_then(|m| m.get(&dir).cloned()) {
            return Ok(hit);
        }
        let entry = match find_config(&dir) {
            Some(path) => {
                let cached = self.by_file.lock().ok().and_then(|m| m.get(&path).cloned());
                match cached {
                    Some(e) => e,
                    None => {
                        let loaded = Arc::new(LoadedConfig::read(&path)?);
                        let config = Arc::new(loaded.resolve(&self.editor));
                        if let Ok(mut m) = self.by_file.lock() {
                            m.insert(path, (loaded.clone(), config.clone()));
                        }
                        (loaded, config)
                    }
                }
            }
            None => {
                let loaded = LoadedConfig::defaults(dir.clone());
                let config = self
                    .defaults
                    .get_or_init(|| Arc::new(loaded.resolve(&self.editor)))
                    .clone();
                (Arc::new(loaded), config)
            }
        };
        if let Ok(mut m) = self.by_dir.lock() {
            m.insert(dir, entry.clone());
        }
        Ok(entry)
    }
}

pub fn run(paths: &[PathBuf]) -> anyhow::Result<Report> {
    run_with(paths, Default::default())
}

/// `run` with `editor` settings layered beneath every configuration file (the evaluation
/// harness turns every rule on this way, to measure the rules that are off by default).
pub fn run_with(
    paths: &[PathBuf],
    editor: specwright_core::config::ConfigFile,
) -> anyhow::Result<Report> {
    let mut errors = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut config_files: Vec<PathBuf> = Vec::new();
    let configs = Configs {
        editor,
        ..Default::default()
    };
    for p in paths {
        if p.is_dir() {
            for f in walk_markdown(p) {
                let abs = std::path::absolute(&f).unwrap_or_else(|_| f.clone());
                let (loaded, config) = configs.get(&abs)?;
                if loaded.covers(&config, &abs) {
                    files.push(f);
                }
            }
        } else if p.is_file() {
            if p.file_name().is_some_and(|n| n == FILE_NAME) {
                config_files.push(p.clone());
            } else if is_markdown(p) {
                files.push(p.clone());
            } else {
                errors.push(format!(
                    "{}: not a Markdown file or {FILE_NAME}",
                    p.display()
                ));
            }
        } else {
            errors.push(format!("{}: no such file or directory", p.display()));
        }
    }
    files.dedup();
    let index = build_index(&files, &configs);

    let results: Vec<Result<Checked, String>> = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
            // A file that is not UTF-8 is still checked, with replacement characters, and said so.
            let text = String::from_utf8(bytes).unwrap_or_else(|e| {
                eprintln!(
                    "specwright: warning: {} is not valid UTF-8; invalid bytes are shown as U+FFFD",
                    file.display()
                );
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            });
            check_text(file, text, &configs, &index)
        })
        .collect();

    let mut findings = Vec::new();
    let mut sources = Vec::new();
    let mut files_checked = 0;
    for r in results {
        match r {
            Ok((source, mut f, config_path)) => {
                files_checked += 1;
                findings.append(&mut f);
                sources.push(source);
                if let Some(c) = config_path
                    && !config_files.contains(&c)
                {
                    config_files.push(c);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    // Problems in the configuration files in play are findings too: a typo in a rule name
    // must not silently change what is checked.
    config_files.sort();
    config_files.dedup();
    for c in config_files {
        match LoadedConfig::read(&c) {
            Ok(loaded) => {
                let path = display(&pathdiff(&c));
                for d in &loaded.diagnostics {
                    let span = d.span.unwrap_or_default();
                    findings.push(finding(
                        &path,
                        &loaded.text,
                        "config",
                        d.severity,
                        d.message.clone(),
                        span,
                    ));
                }
                if !loaded.diagnostics.is_empty() {
                    sources.push(Source {
                        path,
                        text: loaded.text,
                        kind: None,
                    });
                }
                files_checked += 1;
            }
            Err(e) => errors.push(format!("{}: {e}", c.display())),
        }
    }
    findings
        .sort_by(|a, b| (&a.path, a.span.start, &a.rule).cmp(&(&b.path, b.span.start, &b.rule)));
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Report {
        findings,
        sources,
        files_checked,
        errors,
    })
}

/// The findings of `text` as the document at `file` (read from disk or given by a caller).
fn check_text(
    file: &Path,
    text: String,
    configs: &Configs,
    index: &WorkspaceIndex,
) -> Result<Checked, String> {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let (loaded, config) = configs
        .get(&abs)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let analysis = loaded.analyze(&config, Some(&abs), &text, index);
    let path = display(file);
    let doc = &analysis.doc;
    let at = |offset| position(doc, offset);
    // The other documents findings point at, each read once however many findings do.
    let mut others: HashMap<String, Option<String>> = HashMap::new();
    let findings = analysis
        .diagnostics
        .into_iter()
        .map(|d: Diagnostic| {
            let mut f = finding_at(&path, d.rule, d.severity, d.message, d.span, &at);
            f.question = d.question;
            f.fixes = d.fixes;
            f.related = d
                .related
                .into_iter()
                .filter_map(|r| {
                    let (path, line) = match &r.location {
                        None => (path.clone(), at(r.span.start).0),
                        Some(loc) => {
                            let other = others
                                .entry(loc.clone())
                                .or_insert_with(|| std::fs::read_to_string(loc).ok())
                                .as_deref()?;
                            (relative(Path::new(loc)), line_col(other, r.span.start).0)
                        }
                    };
                    Some(RelatedPlace {
                        path,
                        line,
                        message: r.message,
                    })
                })
                .collect();
            f
        })
        .collect();
    for failure in analysis.failures {
        eprintln!(
            "specwright: rule `{}` failed on {path} and was skipped: {}",
            failure.rule, failure.message
        );
    }
    let kind = Some((
        analysis.classification.kind.as_str(),
        analysis.classification.family.as_str(),
    ));
    Ok((Source { path, text, kind }, findings, loaded.path.clone()))
}

/// The findings of `text`, not yet written, as the document it will be at `file`: its folder's
/// other documents as they are on disk, this one as given.
pub fn run_text(file: &Path, text: String) -> anyhow::Result<Report> {
    let configs = Configs::default();
    let abs = std::path::absolute(file)?;
    let mut index = build_index(std::slice::from_ref(&abs), &configs);
    let (loaded, config) = configs.get(&abs)?;
    index.insert(location_of(&abs), loaded.facts(&config, &abs, &text));
    let (source, findings, _) =
        check_text(&abs, text, &configs, &index).map_err(anyhow::Error::msg)?;
    Ok(Report {
        findings,
        sources: vec![source],
        files_checked: 1,
        errors: Vec::new(),
    })
}

/// The cross-file facts the checked files need: every Markdown file of their folders (a
/// feature folder's tasks.md counts even when only spec.md is checked).
fn build_index(files: &[PathBuf], configs: &Configs) -> WorkspaceIndex {
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| std::path::absolute(f).ok()?.parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    let members: Vec<PathBuf> = folders
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_markdown(p))
        })
        .collect();
    let facts: Vec<(String, DocumentFacts)> = members
        .par_iter()
        .filter_map(|path| {
            let (loaded, config) = configs.get(path).ok()?;
            let bytes = std::fs::read(path).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            Some((location_of(path), loaded.facts(&config, path, &text)))
        })
        .collect();
    let mut index = WorkspaceIndex::default();
    for (location, f) in facts {
        index.insert(location, f);
    }
    index
}

/// A config path found by walking up is absolute; show it relative to the current folder.
fn pathdiff(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    match path.strip_prefix(&cwd) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}
