//! Decomposing a spec file: the sibling plan (or design) and tasks file it reads, the section a
//! user names, and the resulting plan of the tasks file's new text. The CLI writes it or
//! prints a diff; the server makes it one `WorkspaceEdit`.

use crate::{LoadedConfig, config_for};
use specwright_core::ConfigFile;
use specwright_core::decompose::{self, DecomposeInput, Decomposition};
use specwright_core::kind::{DocKind, classify};
use specwright_core::syntax::{ParseOptions, SpecDoc};
use std::path::{Path, PathBuf};

impl Planned {
    /// The change to the tasks file, if any.
    pub fn changes(&self) -> crate::changes::Plan {
        let changes = match &self.before {
            _ if self.decomposition.edits.is_empty() => Vec::new(),
            None => vec![crate::changes::Change::Create {
                path: self.tasks_path.clone(),
                text: self.after.clone(),
            }],
            Some(before) => vec![crate::changes::Change::Edit {
                path: self.tasks_path.clone(),
                text: before.clone(),
                edits: self.decomposition.edits.clone(),
            }],
        };
        crate::changes::Plan {
            changes,
            show: Some(self.tasks_path.clone()),
        }
    }
}

/// A decomposition of one spec file.
#[derive(Debug, Clone)]
pub struct Planned {
    pub spec: PathBuf,
    pub tasks_path: PathBuf,
    /// The tasks file's text before (`None`: it does not exist yet).
    pub before: Option<String>,
    pub after: String,
    pub decomposition: Decomposition,
}

/// The section whose title starts with `title` (case-insensitive; numbering ignored).
pub fn find_section(doc: &SpecDoc, title: &str) -> Option<usize> {
    let want = title.trim().to_lowercase();
    let norm = |t: &str| specwright_core::profiles::normalize_title(t);
    doc.sections
        .iter()
        .position(|s| norm(&s.title) == norm(&want))
        .or_else(|| {
            doc.sections
                .iter()
                .position(|s| s.title.to_lowercase().starts_with(&want))
        })
}

/// Decomposes the spec at `spec` (its section `section`, a section index, or all of it),
/// reading documents through `read` (the server passes its open buffers).
pub fn plan(
    spec: &Path,
    section: Option<&str>,
    section_index: Option<usize>,
    loaded: Option<&LoadedConfig>,
    editor: &ConfigFile,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Result<Planned, String> {
    let owned;
    let loaded = match loaded {
        Some(l) => l,
        None => {
            owned = config_for(spec).map_err(|e| format!("reading the configuration: {e}"))?;
            &owned
        }
    };
    let config = loaded.resolve(editor);
    let text = read(spec).ok_or_else(|| format!("{}: cannot read the file", spec.display()))?;
    let options = ParseOptions {
        id_patterns: config.id_patterns(),
    };
    let doc = SpecDoc::parse(&text, options);
    let rel = loaded.relative(spec);
    let class = classify(rel.as_deref(), &doc, &config);
    if matches!(class.kind, DocKind::Tasks | DocKind::Adr) {
        return Err(format!(
            "{} is a {} document; decompose a spec, requirements or proposal",
            spec.display(),
            class.kind.as_str()
        ));
    }
    let section_index = match (section_index, section) {
        (Some(i), _) if i < doc.sections.len() => Some(i),
        (_, Some(title)) => Some(find_section(&doc, title).ok_or_else(|| {
            format!(
                "no section \"{title}\" in {}; sections: {}",
                spec.display(),
                doc.sections
                    .iter()
                    .map(|s| s.title.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?),
        _ => None,
    };
    // A section that is the document's title stands for the whole spec.
    let section_index = section_index.filter(|&i| !(i == 0 && doc.sections[0].level == 1));
    // An OpenSpec change's delta spec (`changes/<id>/specs/<capability>/spec.md`) is planned in
    // the change's own folder: its tasks.md and design.md sit there.
    let dir = openspec_change_dir(spec).unwrap_or_else(|| spec.parent().unwrap_or(Path::new(".")));
    let plan_text = ["plan.md", "design.md"]
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p != spec)
        .find_map(|p| read(&p));
    let plan_doc = plan_text.as_deref().map(|t| SpecDoc::parse(t, options));
    let tasks_path = dir.join("tasks.md");
    let before = read(&tasks_path);
    // An OpenSpec change's tasks.md serves every delta spec of the change: what the others
    // decompose into is not gone.
    let others: Vec<String> = openspec_change_dir(spec)
        .map(glob_deltas)
        .unwrap_or_default()
        .iter()
        .filter(|p| p.as_path() != spec)
        .filter_map(|p| read(p))
        .flat_map(|t| {
            let d = SpecDoc::parse(&t, options);
            decompose::units(&d, class.family, plan_doc.as_ref(), &config)
        })
        .map(|u| u.key)
        .collect();
    let decomposition = decompose::plan(&DecomposeInput {
        spec: &doc,
        family: class.family,
        section: section_index,
        plan: plan_doc.as_ref(),
        tasks: before.as_deref(),
        others: &others,
        config: &config,
    });
    let after = apply(before.as_deref().unwrap_or(""), &decomposition);
    Ok(Planned {
        spec: spec.to_path_buf(),
        tasks_path,
        before,
        after,
        decomposition,
    })
}

fn apply(text: &str, d: &Decomposition) -> String {
    crate::changes::apply_edits(text, &d.edits)
}

/// The delta specs of a change folder (`specs/*/spec.md`).
fn glob_deltas(change: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(change.join("specs"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("spec.md"))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// `…/changes/<id>` for a live change's delta spec `…/changes/<id>/specs/<capability>/spec.md`.
fn openspec_change_dir(spec: &Path) -> Option<&Path> {
    let location = spec.to_string_lossy().replace('\\', "/");
    specwright_core::openspec::delta_location(&location)?;
    // spec.md → <capability> → specs → <id>
    let change = spec.parent()?.parent()?.parent()?;
    (change.parent()?.file_name()? == "changes").then_some(change)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_openspec_delta_is_planned_in_its_change() {
        let delta = Path::new("/w/openspec/changes/add-sso/specs/auth/spec.md");
        assert_eq!(
            openspec_change_dir(delta),
            Some(Path::new("/w/openspec/changes/add-sso"))
        );
        let archived = Path::new("/w/openspec/changes/archive/2025-01-01-x/specs/auth/spec.md");
        assert_eq!(openspec_change_dir(archived), None);
        assert_eq!(
            openspec_change_dir(Path::new("/w/openspec/specs/auth/spec.md")),
            None
        );
    }
}

/// A done task Specwright generated whose requirement moved since: decomposing the spec again
/// would rewrite it (or its requirement is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleTask {
    pub id: String,
    /// 0-based line of the task in the tasks file.
    pub line: usize,
    /// Why, as a sentence's end: "the requirement it was generated from changed in spec.md
    /// since".
    pub why: String,
    /// The requirement it was generated from, when the spec still defines it: its id as
    /// written and its 0-based line in the spec.
    pub requirement: Option<(String, usize)>,
    /// The spec it was compared with.
    pub spec: PathBuf,
}

/// The stale done tasks of the tasks file at `tasks_path` (text `tasks_text`), against the spec
/// beside it (`spec.md`, `requirements.md` or `proposal.md`), read through `read`.
pub fn stale_tasks(
    tasks_path: &Path,
    tasks_text: &str,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Vec<StaleTask> {
    let file =
        specwright_core::tasks::parse(tasks_text, specwright_core::tasks::TaskFormat::SpecKit);
    // Only generated tasks (`<!-- sw:KEY#HASH -->`) can go stale: without a done one, the
    // spec is not decomposed at all (this runs as the editor analyses every keystroke).
    let done = |t: &&specwright_core::tasks::FileTask| {
        t.value.status == specwright_core::tasks::Status::Done
    };
    if !file
        .tasks
        .iter()
        .filter(done)
        .any(|t| t.value.source.is_some())
    {
        return Vec::new();
    }
    let Some(dir) = tasks_path.parent() else {
        return Vec::new();
    };
    let Some(spec) = ["spec.md", "requirements.md", "proposal.md"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| read(p).is_some())
    else {
        return Vec::new();
    };
    // The tasks file as given (an editor's buffer), the rest through `read`.
    let read_with = |p: &Path| {
        if p == tasks_path {
            Some(tasks_text.to_string())
        } else {
            read(p)
        }
    };
    let Ok(planned) = plan(&spec, None, None, None, &ConfigFile::default(), &read_with) else {
        return Vec::new();
    };
    if planned.tasks_path != tasks_path {
        return Vec::new();
    }
    let d = &planned.decomposition;
    let name = spec
        .file_name()
        .map_or_else(|| "the spec".into(), |n| n.to_string_lossy().into_owned());
    let spec_text = read(&spec).unwrap_or_default();
    let spec_doc = SpecDoc::parse(&spec_text, ParseOptions::default());
    // The requirement a generated task came from: `<!-- sw:KEY#HASH -->` names its key.
    let defined = |key: &str| {
        spec_doc
            .ids
            .iter()
            .find(|o| {
                o.role == specwright_core::syntax::IdRole::Definition
                    && specwright_core::syntax::normalize(&o.id) == key
            })
            .map(|o| (o.id.clone(), spec_doc.line_of(o.span.start)))
    };
    file.tasks
        .iter()
        .filter(done)
        .filter_map(|t| {
            let id = &t.value.id;
            let why = if d.updated.contains(id) {
                format!("the requirement it was generated from changed in {name} since")
            } else if d.stale.contains(id) {
                format!("the requirement it was generated from is gone from {name}")
            } else {
                return None;
            };
            let key = t.value.source.as_deref().and_then(|s| s.split('#').next());
            Some(StaleTask {
                id: id.clone(),
                line: tasks_text[..t.start.min(tasks_text.len())]
                    .matches('\n')
                    .count(),
                why,
                requirement: key.and_then(defined),
                spec: spec.clone(),
            })
        })
        .collect()
}
