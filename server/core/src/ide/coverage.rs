//! The requirement ↔ task table of a feature folder: each requirement or story its spec
//! defines, and the tasks that cite it, in the mode the folder's tasks claim coverage in.

use crate::index::{Coverage, WorkspaceIndex, coverage, covering_tasks};
use crate::kind::DocKind;
use crate::span::Span;
use crate::syntax::IdKind;

/// One requirement (or story) of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// As written: `FR-001`, `1.2`, `US1`.
    pub id: String,
    pub text: String,
    pub location: String,
    pub span: Span,
    /// The tasks that cite it (by id or story label), in document order.
    pub covered_by: Vec<String>,
}

/// The table of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// `requirement`, `story`, or `none` (no tasks file, or tasks that cite nothing: nothing
    /// can be told uncovered).
    pub mode: &'static str,
    pub rows: Vec<Row>,
}

/// The table of the documents of `folder` (an index folder: the parent of its documents'
/// locations).
pub fn table(index: &WorkspaceIndex, folder: &str) -> Table {
    let docs: Vec<_> = index.in_folder(folder, None).collect();
    let (mode, tasks) = coverage(docs.iter().map(|(_, f)| *f));
    let wanted = match mode {
        Coverage::Requirement => Some(IdKind::Requirement),
        Coverage::Story => Some(IdKind::Story),
        Coverage::None => None,
    };
    let mut rows = Vec::new();
    for (location, facts) in &docs {
        if !matches!(facts.kind, DocKind::Spec | DocKind::Requirements) {
            continue;
        }
        for d in &facts.defines {
            if wanted.is_some_and(|k| k != d.kind)
                || !matches!(d.kind, IdKind::Requirement | IdKind::Story)
            {
                continue;
            }
            rows.push(Row {
                id: d.id.clone(),
                text: d.text.clone(),
                location: location.to_string(),
                span: d.span,
                covered_by: covering_tasks(&tasks, &d.key),
            });
        }
    }
    rows.sort_by(|a, b| (&a.location, a.span.start).cmp(&(&b.location, b.span.start)));
    Table {
        mode: match mode {
            Coverage::Requirement => "requirement",
            Coverage::Story => "story",
            Coverage::None => "none",
        },
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_each_requirement_with_the_tasks_that_cite_it() {
        let index = super::super::fixture_index(&[
            (
                "/w/specs/001-export/spec.md",
                "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: Users MUST export drafts as PDF.\n- **FR-002**: Users MUST export drafts as Markdown.\n",
            ),
            (
                "/w/specs/001-export/tasks.md",
                "# Tasks\n\n- [ ] T001 Implement PDF export (FR-001)\n- [ ] T002 Test PDF export (FR-001)\n",
            ),
        ]);
        let t = table(&index, "/w/specs/001-export");
        assert_eq!(t.mode, "requirement");
        let rows: Vec<(String, Vec<String>)> =
            t.rows.into_iter().map(|r| (r.id, r.covered_by)).collect();
        assert_eq!(
            rows,
            [
                (
                    "FR-001".to_string(),
                    vec!["T001".to_string(), "T002".into()]
                ),
                ("FR-002".to_string(), vec![])
            ]
        );
        assert_eq!(table(&index, "/w/specs/002-none").mode, "none");
    }
}
