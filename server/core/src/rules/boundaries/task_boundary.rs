//! `task-boundary`: a task without a context boundary in a tasks file that uses boundaries, or
//! a boundary component that `[boundaries]` does not map to globs.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::span::Span;
use crate::syntax::SpecDoc;
use crate::tasks::{self, TaskFormat};

pub struct TaskBoundary;

static META: RuleMeta = RuleMeta {
    id: "task-boundary",
    summary: "A task has no context boundary (files it may touch) in a tasks file that uses them, or names a boundary component that [boundaries] does not map (hint).",
    severity: Severity::Hint,
    doc: RuleDoc {
        what: "In a tasks file where some tasks carry a boundary (`- Boundary: src/auth/**` or Kiro's \
`_Boundary: …_`, as \"Decompose into tasks\" writes them), flags an open task without one. Also flags a \
cc-sdd component name (`_Boundary: AuthService_`) that the `[boundaries]` table of `specwright.toml` does \
not map to globs, since an unmapped name fences nothing. Done tasks are left alone. A hint: a task may \
legitimately span the repository.",
        why: "An agent without a boundary is an agent without a fence: it may touch any file, collide with \
the agents working next to it, and its result cannot be checked against what it was allowed to change.",
        example: "- [ ] T004 Record every export in the audit log (FR-003)",
        fix: "- [ ] T004 Record every export in the audit log (FR-003)\n  - Boundary: src/audit/**",
    },
};

impl Rule for TaskBoundary {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if ctx.kind != DocKind::Tasks {
            return Vec::new();
        }
        let parsed = tasks::parse(&doc.text, TaskFormat::SpecKit);
        let uses_boundaries = parsed
            .tasks
            .iter()
            .any(|t| !t.value.boundary.is_empty() || !t.value.components.is_empty());
        let mut out = Vec::new();
        for t in &parsed.tasks {
            let line_end = doc.text[t.start..t.end]
                .find('\n')
                .map_or(t.end, |i| t.start + i);
            let line = Span::new(t.start + t.indent.len(), line_end);
            for name in &t.value.components {
                if ctx.config.boundary_component(name).is_none() {
                    out.push(
                        Diagnostic::new(
                            META.id,
                            line,
                            format!("boundary component `{name}` is not mapped to files in [boundaries]"),
                        )
                        .with_question(format!(
                            "Which files is `{name}`? Add `{name} = [\"src/…/**\"]` under [boundaries] in specwright.toml."
                        ))
                        .demoted(),
                    );
                }
            }
            if uses_boundaries
                && t.value.status != tasks::Status::Done
                && t.value.boundary.is_empty()
                && t.value.components.is_empty()
            {
                out.push(
                    Diagnostic::new(
                        META.id,
                        line,
                        format!(
                            "task {} has no boundary: an agent may touch any file",
                            t.value.id
                        ),
                    )
                    .with_question(format!("Which files may task {} change?", t.value.id)),
                );
            }
        }
        out
    }
}
