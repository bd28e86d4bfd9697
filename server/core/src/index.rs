//! Cross-document facts: which documents define and reference which ids, which tasks cover
//! what, and which documents draw a scope boundary or say how failures are handled.
//!
//! The index is a value the caller builds from parsed documents (keyed by any stable location
//! string, an absolute path in practice) and hands to the rules as a snapshot; it never reads
//! files itself. Cross-file rules consult the documents of the same folder.

use crate::adr::AdrRecord;
use crate::kind::{Classification, DocKind, Family};
use crate::span::Span;
use crate::syntax::{IdKind, IdRole, SpecDoc, normalize};
use crate::tasks::{self, Covers};
use regex::Regex;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// One id occurrence, as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdFact {
    /// As written: `FR-001`.
    pub id: String,
    /// Normalised for comparison: `FR1`.
    pub key: String,
    pub kind: IdKind,
    pub span: Span,
    /// For definitions: the text of the item the id labels (one line, shortened).
    pub text: String,
}

/// A task line, as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFact {
    pub id: Option<String>,
    /// The task's id (or the start of its line when it has none).
    pub span: Span,
    /// The whole task: its list item with nested content (sub-tasks, detail lines).
    pub item: Span,
    pub story: Option<String>,
    pub covers: Vec<Covers>,
    /// A checkpoint, commit or "ensure all tests pass": needs no requirement.
    pub housekeeping: bool,
    /// The content words of the task's own lines: what it is about, for telling whether it
    /// implements a requirement it does not cite.
    pub words: BTreeSet<String>,
}

impl TaskFact {
    /// Whether the task covers the normalised id `key`: by its story label, by citing it, or
    /// by citing one of its criteria (a parent requirement is covered through them).
    pub fn covers(&self, key: &str) -> bool {
        self.story.as_deref() == Some(key)
            || self
                .covers
                .iter()
                .any(|c| c.covers(key) || c.covers_child_of(key))
    }
}

/// What the index keeps of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFacts {
    pub kind: DocKind,
    pub family: Family,
    /// The location of the folder holding the document (its parent).
    pub folder: String,
    pub defines: Vec<IdFact>,
    pub references: Vec<IdFact>,
    pub tasks: Vec<TaskFact>,
    /// An Out of Scope / Non-Goals section, a cc-sdd Boundary Context, or out-of-scope bullets.
    pub scope_boundary: bool,
    /// Error handling, edge cases or failure behaviour are addressed somewhere.
    pub failure_handling: bool,
    /// What an Architecture Decision Record says about itself.
    pub adr: Option<AdrRecord>,
    /// Links to other files of the workspace: the location they resolve to, and the link.
    pub links: Vec<(String, Span)>,
    /// Quantified statements ("a debounce of 100 ms"), compared across the folder.
    pub quantities: Vec<crate::quantities::Quantity>,
    /// OpenSpec `### Requirement: <name>` sections, with their delta operation.
    pub requirements: Vec<crate::openspec::NamedRequirement>,
}

static OUT_OF_SCOPE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(?:out[\s-]+of[\s-]+scope|non[\s-]?goals?|not\s+in\s+scope|scope|boundary\s+context|exclusions?|won't\s+do|will\s+not\s+do)\b").expect("static regex")
});
static OUT_OF_SCOPE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(?:out[\s-]+of[\s-]+scope|not\s+in\s+scope|non-goals?|is\s+excluded|are\s+excluded|not\s+supported\s+in\s+(?:v\d|this|the\s+first)|deferred\s+to)\b").expect("static regex")
});
static FAILURE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(?:edge\s+cases?|error\s+handling|errors?|failure|failures|failure\s+modes?|exceptions?|recovery|rollback|resilience)\b").expect("static regex")
});
static FAILURE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(?:errors?|fails?|failed|failures?|invalid|timeouts?|times?\s+out|retr(?:y|ies)|unavailable|rejects?|rejected|malformed|corrupt(?:ed)?|conflicts?|rollback|roll\s+back|offline|unreachable|exceed(?:s|ed)?)\b").expect("static regex")
});

impl DocumentFacts {
    /// The facts of `doc` at `location` (its folder groups it with its siblings; its file name
    /// numbers an ADR).
    pub fn of(doc: &SpecDoc, class: Classification, location: &str) -> DocumentFacts {
        let mut defines = Vec::new();
        let mut references = Vec::new();
        for o in &doc.ids {
            let mut fact = IdFact {
                id: o.id.clone(),
                key: normalize(&o.id),
                kind: o.kind,
                span: o.span,
                text: String::new(),
            };
            match o.role {
                IdRole::Definition => {
                    fact.text = o
                        .block
                        .map_or_else(String::new, |b| summary(doc, doc.blocks[b].span, &o.id));
                    defines.push(fact)
                }
                IdRole::Reference => references.push(fact),
            }
        }
        let file = tasks::parse(&doc.text, crate::tasks::TaskFormat::SpecKit);
        let mut items = tasks::tasks_of(doc, &file);
        if class.kind == DocKind::Tasks {
            let heads = tasks::headings(doc, &file, &items);
            if !heads.is_empty() {
                items.extend(heads);
                items.sort_by_key(|t| t.span.start);
            }
        }
        let tasks: Vec<TaskFact> = items
            .into_iter()
            .map(|t| TaskFact {
                id: t.id,
                span: t.id_span,
                item: t.span,
                story: t.story,
                covers: t.covers,
                housekeeping: t.housekeeping,
                words: t
                    .own
                    .iter()
                    .flat_map(|&s| crate::words::content_words(doc.prose_slice(s)))
                    .collect(),
            })
            .collect();
        let scope_boundary = doc.sections.iter().any(|s| {
            OUT_OF_SCOPE_TITLE.is_match(&s.title) && !s.title.to_lowercase().contains("in scope")
        }) || OUT_OF_SCOPE_TEXT.is_match(&doc.prose);
        let failure_handling = doc
            .sections
            .iter()
            .any(|s| FAILURE_TITLE.is_match(&s.title))
            || FAILURE_TEXT.is_match(&doc.prose);
        DocumentFacts {
            kind: class.kind,
            family: class.family,
            folder: folder_of(location),
            links: if location.is_empty() {
                Vec::new()
            } else {
                doc.links
                    .iter()
                    .filter_map(|l| Some((crate::adr::resolve(location, &l.dest)?, l.span)))
                    .collect()
            },
            adr: (class.kind == DocKind::Adr).then(|| {
                let name = location
                    .rsplit(['/', '\\'])
                    .next()
                    .filter(|n| !n.is_empty());
                crate::adr::read(doc, class.family, name)
            }),
            defines,
            references,
            tasks,
            scope_boundary,
            failure_handling,
            quantities: crate::quantities::extract(doc),
            requirements: crate::openspec::requirements(doc),
        }
    }
}

/// The first line of an item, markup and its own id label removed, at most 120 characters.
fn summary(doc: &SpecDoc, span: Span, id: &str) -> String {
    let line = doc
        .prose_slice(span)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let text = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text
        .strip_prefix(id)
        .map(|rest| {
            rest.trim_start_matches([' ', ':', '.', '-', '–', '—', ')'])
                .to_string()
        })
        .unwrap_or(text);
    let mut out: String = text.chars().take(120).collect();
    if text.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// A snapshot of the workspace, keyed by document location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceIndex {
    documents: BTreeMap<String, DocumentFacts>,
}

impl WorkspaceIndex {
    pub fn insert(&mut self, location: impl Into<String>, facts: DocumentFacts) {
        self.documents.insert(location.into(), facts);
    }

    pub fn remove(&mut self, location: &str) {
        self.documents.remove(location);
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    pub fn document(&self, location: &str) -> Option<&DocumentFacts> {
        self.documents.get(location)
    }

    pub fn documents(&self) -> impl Iterator<Item = (&str, &DocumentFacts)> {
        self.documents.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The documents of `folder`, except `except` (the document being analysed, whose own
    /// facts are fresher than the index's).
    pub fn in_folder<'a, 'f>(
        &'a self,
        folder: &'f str,
        except: Option<&'f str>,
    ) -> impl Iterator<Item = (&'a str, &'a DocumentFacts)> + 'f
    where
        'a: 'f,
    {
        self.documents
            .iter()
            .filter(move |(k, f)| f.folder == folder && Some(k.as_str()) != except)
            .map(|(k, v)| (k.as_str(), v))
    }

    /// Where the id with normalised `key` is defined, across the workspace.
    pub fn definitions<'a>(
        &'a self,
        key: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a IdFact)> + 'a {
        self.documents.iter().flat_map(move |(path, facts)| {
            facts
                .defines
                .iter()
                .filter(move |d| d.key == key)
                .map(move |d| (path.as_str(), d))
        })
    }

    /// Where the id with normalised `key` is mentioned (defined or referenced).
    pub fn mentions<'a>(
        &'a self,
        key: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a IdFact)> + 'a {
        self.documents.iter().flat_map(move |(path, facts)| {
            facts
                .defines
                .iter()
                .chain(&facts.references)
                .filter(move |d| d.key == key)
                .map(move |d| (path.as_str(), d))
        })
    }
}

/// How a folder's tasks claim coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// No tasks file yet: nothing can be uncovered.
    None,
    /// Tasks carry story labels (`[US1]`): every story needs a task.
    Story,
    /// Tasks cite requirement ids systematically: every requirement needs a task.
    Requirement,
}

/// The tasks of a folder's tasks documents, and how they claim
/// coverage. A few ids cited in passing are not a claim: requirement-level coverage needs most
/// tasks to cite requirements.
pub fn coverage<'a>(
    documents: impl IntoIterator<Item = &'a DocumentFacts>,
) -> (Coverage, Vec<TaskFact>) {
    let cites = |t: &TaskFact| {
        t.covers
            .iter()
            .any(|c| !matches!(c, Covers::Id(id) if id.starts_with('U')))
    };
    let mut tasks: Vec<TaskFact> = Vec::new();
    let mut citing = 0;
    for f in documents
        .into_iter()
        // Only tasks files: a README's to-do list or a status note's checklist claims nothing.
        .filter(|f| f.kind == DocKind::Tasks)
    {
        // Checkpoints and commits cite nothing by nature: they neither make nor break a claim.
        // One that does cite (a test pass `_Requirements: 2.8_`) covers what it cites.
        let numbered: Vec<&TaskFact> = f
            .tasks
            .iter()
            .filter(|t| t.id.is_some() && (!t.housekeeping || cites(t)))
            .collect();
        // A parent task cites through its sub-tasks, whose items lie inside its own and follow
        // it in the document.
        citing += numbered
            .iter()
            .enumerate()
            .filter(|&(i, t)| {
                cites(t)
                    || numbered[i + 1..]
                        .iter()
                        .take_while(|c| t.item.covers(c.item))
                        .any(|c| cites(c))
            })
            .count();
        tasks.extend(numbered.into_iter().cloned());
    }
    if tasks.is_empty() {
        return (Coverage::None, tasks);
    }
    let labelled = tasks.iter().filter(|t| t.story.is_some()).count();
    let mode = if citing * 2 >= tasks.len() {
        Coverage::Requirement
    } else if labelled > 0 {
        Coverage::Story
    } else {
        Coverage::None
    };
    (mode, tasks)
}

/// The ids of the tasks that cover the normalised id `key` (by citing it or by story label).
pub fn covering_tasks(tasks: &[TaskFact], key: &str) -> Vec<String> {
    tasks
        .iter()
        .filter(|t| t.covers(key))
        .filter_map(|t| t.id.clone())
        .collect()
}

/// The folder part of a location (`/a/b/spec.md` → `/a/b`).
pub fn folder_of(location: &str) -> String {
    let normalized = location.replace('\\', "/");
    let dir = normalized
        .rsplit_once('/')
        .map_or_else(String::new, |(dir, _)| dir.to_string());
    // spec-kit keeps a feature's checklists and API contracts in sub-folders of the feature
    // (`specs/001-x/checklists/requirements.md`, `specs/001-x/contracts/api.md`); they cite
    // the spec beside them, so they belong to its folder.
    match dir.rsplit_once('/') {
        Some((parent, "checklists" | "contracts")) if is_feature_folder(parent) => {
            parent.to_string()
        }
        _ => dir,
    }
}

/// `…/specs/001-export`: spec-kit's numbered feature folder.
fn is_feature_folder(dir: &str) -> bool {
    dir.rsplit_once('/').is_some_and(|(specs, name)| {
        specs.ends_with("specs") && name.starts_with(|c: char| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Evidence;
    use crate::syntax::ParseOptions;

    fn class(kind: DocKind) -> Classification {
        Classification {
            kind,
            family: Family::SpecKit,
            evidence: Evidence::Path,
        }
    }

    #[test]
    fn finds_definitions_and_mentions_across_documents() {
        let spec = SpecDoc::parse(
            "- **FR-001**: The system MUST log.\n- FR-002: Export.\n",
            ParseOptions::default(),
        );
        let tasks = SpecDoc::parse(
            "- [ ] T001 Implement logging (FR-001)\n",
            ParseOptions::default(),
        );
        let mut index = WorkspaceIndex::default();
        index.insert(
            "/w/specs/001/spec.md",
            DocumentFacts::of(&spec, class(DocKind::Spec), "/w/specs/001/spec.md"),
        );
        index.insert(
            "/w/specs/001/tasks.md",
            DocumentFacts::of(&tasks, class(DocKind::Tasks), "/w/specs/001/tasks.md"),
        );
        let defs: Vec<_> = index
            .definitions("FR1")
            .map(|(p, d)| (p, d.text.as_str()))
            .collect();
        assert_eq!(defs, [("/w/specs/001/spec.md", "The system MUST log.")]);
        let mentions: Vec<_> = index.mentions("FR1").map(|(p, _)| p).collect();
        assert_eq!(mentions, ["/w/specs/001/spec.md", "/w/specs/001/tasks.md"]);
        let tasks_in_folder: Vec<_> = index
            .in_folder("/w/specs/001", Some("/w/specs/001/spec.md"))
            .map(|(p, _)| p)
            .collect();
        assert_eq!(tasks_in_folder, ["/w/specs/001/tasks.md"]);
        assert_eq!(folder_of("/w/specs/001/spec.md"), "/w/specs/001");
        assert_eq!(
            folder_of("/w/specs/001-x/checklists/requirements.md"),
            "/w/specs/001-x"
        );
        assert_eq!(
            folder_of("/w/specs/001-x/contracts/api.md"),
            "/w/specs/001-x"
        );
        assert_eq!(folder_of("/w/docs/contracts/api.md"), "/w/docs/contracts");
    }
}
