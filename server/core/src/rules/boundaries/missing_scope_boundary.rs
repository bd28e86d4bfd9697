//! `missing-scope-boundary`: no out-of-scope / non-goals statement anywhere in the folder.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::{DocKind, Family};
use crate::span::Span;
use crate::syntax::SpecDoc;

pub struct MissingScopeBoundary;

static META: RuleMeta = RuleMeta {
    id: "missing-scope-boundary",
    summary: "The spec says what is in scope but nowhere what is out of scope (no Out of Scope, Non-Goals or exclusion).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags a specification (spec-kit spec, Kiro or cc-sdd requirements, a proposal) when neither it nor any \
other document of its folder states a scope boundary: an Out of Scope, Non-Goals, Scope or Boundary Context \
section, or a statement such as \"mobile support is out of scope for v1\" (spec-kit keeps those under \
Assumptions). Proposals are checked when they list Goals (a KEP without Non-Goals). OpenSpec capability \
specs describe a system, not a change, and are not checked.",
        why: "Agents expand scope: without an explicit boundary, \"sharing\" grows permissions, notifications and an \
admin page. Saying what is not being built is the cheapest fence there is.",
        example: "# Feature Specification: Share drafts\n\n## Requirements\n\n- **FR-001**: Writers MUST be able to share a draft with a team.",
        fix: "## Assumptions\n\n- Sharing outside the writer's organisation is out of scope for this feature.",
    },
};

impl Rule for MissingScopeBoundary {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let applies = match ctx.kind {
            DocKind::Spec => ctx.family != Family::OpenSpec,
            DocKind::Requirements => true,
            // A proposal that lists Goals owes the reader its Non-Goals (KEPs); Rust-style RFCs
            // have neither, by design.
            DocKind::Proposal => doc
                .sections
                .iter()
                .any(|s| s.title.trim().eq_ignore_ascii_case("goals")),
            _ => false,
        };
        if !applies || doc.sections.is_empty() {
            return Vec::new();
        }
        if ctx.facts.scope_boundary || ctx.siblings().iter().any(|(_, f)| f.scope_boundary) {
            return Vec::new();
        }
        let at = doc
            .sections
            .first()
            .map_or(Span::new(0, 0), |s| s.title_span);
        vec![
            Diagnostic::new(
                META.id,
                at,
                "no scope boundary: nothing in this folder says what is out of scope",
            )
            .with_question("What is explicitly out of scope for this feature?"),
        ]
    }
}
