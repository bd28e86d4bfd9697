//! `coverage-unchecked`: a tasks file whose tasks cite nothing, so coverage cannot be judged.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::{Coverage, coverage};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::syntax::{IdKind, SpecDoc};

pub struct CoverageUnchecked;

static META: RuleMeta = RuleMeta {
    id: "coverage-unchecked",
    summary: "Coverage cannot be checked: no task cites a requirement or story.",
    severity: Severity::Info,
    doc: RuleDoc {
        what: "In a feature folder whose spec or requirements define ids, a tasks file whose numbered tasks cite \
none of them — no `(FR-001)`, no `_Requirements: 1.1_`, no `**Validates: …**`, no `[US1]` label — gets one \
note on its first task: coverage is not checked there, so `uncovered-requirement` says nothing about that \
folder. A folder whose tasks cite requirements or carry story labels is checked and gets no note; so is a \
folder without ids to cite.",
        why: "Silence from a coverage check reads as \"everything is covered\". When the check could not run, the \
author should hear that once, rather than trust a result that was never computed.",
        example: "<!-- spec.md defines FR-001..FR-009 -->\n- [ ] T001 Create the project structure\n- [ ] T002 Add the export endpoint",
        fix: "- [ ] T001 Create the project structure\n- [ ] T002 Add the export endpoint (FR-003)",
    },
};

impl Rule for CoverageUnchecked {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if ctx.kind != DocKind::Tasks || ctx.location.is_none() {
            return Vec::new();
        }
        let siblings = ctx.siblings();
        let defines_ids = siblings.iter().any(|(_, f)| {
            matches!(f.kind, DocKind::Spec | DocKind::Requirements)
                && f.defines
                    .iter()
                    .any(|d| matches!(d.kind, IdKind::Requirement | IdKind::Story))
        });
        if !defines_ids {
            return Vec::new();
        }
        let folder = std::iter::once(ctx.facts).chain(siblings.iter().map(|(_, f)| *f));
        let (mode, tasks) = coverage(folder);
        let Some(first) = ctx.facts.tasks.iter().find(|t| t.id.is_some()) else {
            return Vec::new();
        };
        if mode != Coverage::None || tasks.is_empty() {
            return Vec::new();
        }
        vec![
            Diagnostic::new(
                META.id,
                first.span,
                "coverage is not checked for this folder: no task here cites a requirement or a story",
            )
            .with_question(
                "Which requirement does each task implement? Cite it on the task (`(FR-001)`, `_Requirements: 1.1_` or a `[US1]` label).",
            ),
        ]
    }
}
