//! The ADR actions against a folder of records: where new records go, which records a folder
//! holds, and the planned file changes of `new`, `supersede`, `status` and `index`. The CLI
//! applies a [`Plan`] to disk; the server turns it into one `WorkspaceEdit`. Both read
//! documents through a `read` function, so the server sees its open buffers.

use crate::{LoadedConfig, location_of};
use specwright_core::Config;
use specwright_core::adr::edit::{self, Existing, Predecessor};
use specwright_core::adr::{AdrFormat, AdrRecord};
use specwright_core::config::{AdrTemplate, DEFAULT_LIFECYCLE};
use specwright_core::rules::Date;

pub use crate::changes::{Change, Plan, apply, apply_edits};
use std::path::{Path, PathBuf};

/// The conventional ADR folders, most specific first (relative to a project root).
pub const CONVENTIONAL_DIRS: &[&str] = &[
    "docs/adr",
    "docs/adrs",
    "docs/decisions",
    "docs/architecture/decisions",
    "doc/adr",
    "adr",
    "adrs",
    "decisions",
];

/// A record of a folder: its file, its text and what it says.
#[derive(Debug, Clone)]
pub struct Record {
    pub path: PathBuf,
    pub text: String,
    pub record: AdrRecord,
}

impl Record {
    pub fn file_name(&self) -> &str {
        self.path.file_name().and_then(|n| n.to_str()).unwrap_or("")
    }
}

/// The records to list (`adr list`, the server's `specwright.adr.list`, the MCP tool):
/// templates left out, in number order.
pub fn listed(records: &[Record]) -> Vec<&Record> {
    let mut rows: Vec<&Record> = records.iter().filter(|r| !r.record.template).collect();
    rows.sort_by_key(|r| (r.record.number(), r.path.clone()));
    rows
}

/// The folder new records go to: the first `[adr].dirs`, else a conventional folder that
/// exists under `base` (the configuration's root, or where the user stands), else `docs/adr`.
pub fn folder(loaded: &LoadedConfig, config: &Config, base: &Path) -> PathBuf {
    let root = if loaded.path.is_some() {
        loaded.root.as_path()
    } else {
        base
    };
    if let Some(dir) = config.adr_dirs().and_then(|d| d.into_iter().next()) {
        return root.join(dir);
    }
    CONVENTIONAL_DIRS
        .iter()
        .map(|d| root.join(d))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| root.join("docs/adr"))
}

/// The records of `dir` (its Markdown files that read as ADRs, templates included and marked).
pub fn records(
    dir: &Path,
    loaded: &LoadedConfig,
    config: &Config,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Vec<Record> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && crate::is_markdown(p))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let text = read(&path)?;
            let record = loaded.facts(config, &path, &text).adr?;
            Some(Record { path, text, record })
        })
        .collect()
}

fn existing(records: &[Record]) -> Vec<Existing<'_>> {
    records
        .iter()
        .map(|r| Existing {
            file_name: r.file_name(),
            record: &r.record,
        })
        .collect()
}

/// The format of a new record: asked for, else `[adr].template`, else the folder's usual
/// format, else MADR.
pub fn format_for(config: &Config, records: &[Record], asked: Option<AdrFormat>) -> AdrFormat {
    if let Some(f) = asked {
        return f;
    }
    match config.adr_template() {
        Some(AdrTemplate::Madr) => return AdrFormat::Madr,
        Some(AdrTemplate::Nygard) => return AdrFormat::Nygard,
        None => {}
    }
    let real = records.iter().filter(|r| !r.record.template);
    let (madr, nygard) = real.fold((0, 0), |(m, n), r| match r.record.format {
        AdrFormat::Madr => (m + 1, n),
        AdrFormat::Nygard => (m, n + 1),
    });
    if nygard > madr {
        AdrFormat::Nygard
    } else {
        AdrFormat::Madr
    }
}

/// A new record titled `title` in `dir`.
pub fn plan_new(
    dir: &Path,
    records: &[Record],
    title: &str,
    format: AdrFormat,
    today: Date,
) -> Result<Plan, String> {
    let title = clean_title(title)?;
    let existing = existing(records);
    let number = edit::next_number(&existing);
    let name = edit::file_name(number, edit::number_width(&existing), &title);
    let path = dir.join(&name);
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    let text = edit::new_record_text(format, number, &title, today, None);
    Ok(Plan {
        changes: vec![Change::Create {
            path: path.clone(),
            text,
        }],
        show: Some(path),
    })
}

/// A record titled `title` (default: the old record's) that supersedes the record at `old`,
/// and the old record's status and link, in one plan.
pub fn plan_supersede(
    dir: &Path,
    records: &[Record],
    old: &Path,
    title: Option<&str>,
    format: AdrFormat,
    today: Date,
) -> Result<Plan, String> {
    let old_location = location_of(old);
    let Some(previous) = records
        .iter()
        .find(|r| location_of(&r.path) == old_location)
    else {
        return Err(format!(
            "{} is not an ADR of {}",
            old.display(),
            dir.display()
        ));
    };
    if previous.record.template {
        return Err(format!("{} is a template, not a record", old.display()));
    }
    let title = clean_title(title.unwrap_or(&previous.record.title))?;
    let existing = existing(records);
    let number = edit::next_number(&existing);
    let name = edit::file_name(number, edit::number_width(&existing), &title);
    let path = dir.join(&name);
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    let old_number = previous.record.number().unwrap_or(0);
    let text = edit::new_record_text(
        format,
        number,
        &title,
        today,
        Some(Predecessor {
            number: old_number,
            title: &previous.record.title,
            file_name: previous.file_name(),
        }),
    );
    let edits = edit::supersede_edits(&previous.text, &previous.record, number, &title, &name);
    Ok(Plan {
        changes: vec![
            Change::Create {
                path: path.clone(),
                text,
            },
            Change::Edit {
                path: previous.path.clone(),
                text: previous.text.clone(),
                edits,
            },
        ],
        show: Some(path),
    })
}

/// The record at `path` (text `text`) with status `status` and today's date. The status must
/// be in the lifecycle.
pub fn plan_status(
    config: &Config,
    path: &Path,
    text: &str,
    record: &AdrRecord,
    status: &str,
    today: Date,
) -> Result<Plan, String> {
    let status = status.trim().to_lowercase();
    let lifecycle = lifecycle(config);
    if !lifecycle.contains(&status) {
        return Err(format!(
            "`{status}` is not in the lifecycle; one of: {}",
            lifecycle.join(", ")
        ));
    }
    if status == "superseded" {
        return Err("a record is superseded by another: use `adr supersede`".into());
    }
    let edits = edit::set_status_edits(text, record, &status, today);
    Ok(Plan {
        changes: vec![Change::Edit {
            path: path.to_path_buf(),
            text: text.to_string(),
            edits,
        }],
        show: None,
    })
}

/// The lifecycle in force: `[adr].lifecycle`, else the default.
pub fn lifecycle(config: &Config) -> Vec<String> {
    config
        .adr_lifecycle()
        .unwrap_or_else(|| DEFAULT_LIFECYCLE.iter().map(|s| s.to_string()).collect())
}

/// The index table of `dir` written into its README.md or index.md (the one that already
/// holds the markers, else README.md, else index.md; a new README.md when neither exists).
pub fn plan_index(dir: &Path, records: &[Record], read: &dyn Fn(&Path) -> Option<String>) -> Plan {
    let candidates = ["README.md", "readme.md", "index.md"];
    let files: Vec<(PathBuf, String)> = candidates
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .filter_map(|p| read(&p).map(|t| (p, t)))
        .collect();
    let target = files
        .iter()
        .find(|(_, t)| t.contains(edit::INDEX_START))
        .or_else(|| files.first());
    let existing = existing(records);
    match target {
        Some((path, text)) => {
            let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
            let block = edit::index_block(&existing, nl);
            let changes = edit::index_edit(text, &block)
                .map(|e| Change::Edit {
                    path: path.clone(),
                    text: text.clone(),
                    edits: vec![e],
                })
                .into_iter()
                .collect();
            Plan {
                changes,
                show: None,
            }
        }
        None => {
            let block = edit::index_block(&existing, "\n");
            Plan {
                changes: vec![Change::Create {
                    path: dir.join("README.md"),
                    text: edit::new_index_text(&block),
                }],
                show: None,
            }
        }
    }
}

fn clean_title(title: &str) -> Result<String, String> {
    let t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        Err("the record needs a title".into())
    } else {
        Ok(t)
    }
}
