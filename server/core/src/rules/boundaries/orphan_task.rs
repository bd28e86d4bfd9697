//! `orphan-task`: a task that covers no requirement or story.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::{Coverage, coverage};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::syntax::SpecDoc;
use crate::tasks;

pub struct OrphanTask;

static META: RuleMeta = RuleMeta {
    id: "orphan-task",
    summary: "A task that covers no requirement or story (hint).",
    severity: Severity::Hint,
    doc: RuleDoc {
        what: "In a tasks file whose tasks cite requirements systematically (most of them do), flags a task that \
cites none and has no subtask that does. A parent is covered through its sub-tasks, nested or written \
flush (`- [ ] 2.` then `- [ ] 2.1`), and gates of the process (`Checkpoint - Ensure all tests pass`, \
`Git commit: …`, `Final testing and validation`, integration or end-to-end test passes) need no \
requirement; a task line whose id is written twice is left to duplicate-id. Setup and polish tasks legitimately serve no single requirement, \
so this is a hint.",
        why: "A task nobody asked for is either missing its reference (so coverage is under-reported) or scope \
creep an agent will happily implement.",
        example: "- [ ] 3. Add a dark theme",
        fix: "- [ ] 3. Add a dark theme\n  - _Requirements: 4.2_",
    },
};

impl Rule for OrphanTask {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if ctx.kind != DocKind::Tasks {
            return Vec::new();
        }
        let (mode, _) = coverage([ctx.facts]);
        if mode != Coverage::Requirement {
            return Vec::new();
        }
        let all = tasks::read(doc);
        all.iter()
            .filter(|t| t.id.is_some() && !t.covers_anything() && !t.housekeeping)
            // A second line with the same id is a stray copy, which duplicate-id reports.
            .filter(|t| all.iter().filter(|o| o.id == t.id).count() == 1)
            // A subtask inherits its parent's references, and a parent its subtasks'.
            .filter(|t| {
                !all.iter().any(|s| {
                    s.span != t.span
                        && (t.span.covers(s.span) || s.span.covers(t.span))
                        && s.covers_anything()
                })
            })
            .map(|t| {
                let id = t.id.clone().unwrap_or_default();
                Diagnostic::new(
                    META.id,
                    t.id_span,
                    format!("task {id} covers no requirement"),
                )
                .with_question(format!("Which requirement does task {id} serve?"))
            })
            .collect()
    }
}
