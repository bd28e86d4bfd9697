//! `story-without-acceptance`: a user story or requirement block with no acceptance criteria.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::syntax::{IdRole, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

pub struct StoryWithoutAcceptance;

static META: RuleMeta = RuleMeta {
    id: "story-without-acceptance",
    summary: "A user story or requirement block has no acceptance scenario or criterion.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags a spec-kit `### User Story N` section with no Given/When/Then scenario, and a Kiro `### \
Requirement N` section with no numbered acceptance criteria.",
        why: "Acceptance criteria are how an agent knows it is done and how a reviewer checks it. A story without \
them is a wish.",
        example: "### User Story 2 - Resolve a conflicting edit (Priority: P2)\n\nA writer edits offline while a co-author edits the same paragraph.",
        fix: "### User Story 2 - Resolve a conflicting edit (Priority: P2)\n\n1. **Given** two versions of a paragraph, **When** the writer reconnects, **Then** both are shown side by side.",
    },
};

static STORY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^user\s+story\s+\d+").expect("static regex"));
static KIRO_REQUIREMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^requirement\s+(\d+)\b").expect("static regex"));
static EARS_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:when|if|while|where|the)\b[^\n]*\b(?:shall|must)\b",
    )
    .expect("static regex")
});
static GIVEN_THEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)\bgiven\b.*\bthen\b|\bwhen\b.*\bthen\b").expect("static regex")
});

impl Rule for StoryWithoutAcceptance {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if !matches!(ctx.kind, DocKind::Spec | DocKind::Requirements) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for s in &doc.sections {
            let body = doc.prose_slice(s.body_span);
            if STORY.is_match(&s.title) {
                if !GIVEN_THEN.is_match(body) {
                    out.push(
                        Diagnostic::new(
                            META.id,
                            s.title_span,
                            format!(
                                "\"{}\" has no acceptance scenario (Given/When/Then)",
                                s.title
                            ),
                        )
                        .with_question(format!(
                            "How will we know \"{}\" works — given what, when what, then what?",
                            s.title
                        )),
                    );
                }
            } else if let Some(n) = KIRO_REQUIREMENT.captures(&s.title).and_then(|c| c.get(1)) {
                let prefix = format!("{}.", n.as_str());
                let has_criteria = doc.ids.iter().any(|o| {
                    o.role == IdRole::Definition
                        && o.id.starts_with(&prefix)
                        && s.body_span.covers(o.span)
                }) || EARS_TEXT.is_match(body);
                if !has_criteria {
                    out.push(
                        Diagnostic::new(
                            META.id,
                            s.title_span,
                            format!("\"{}\" has no numbered acceptance criteria", s.title),
                        )
                        .with_question(format!(
                            "What are the acceptance criteria of \"{}\"?",
                            s.title
                        )),
                    );
                }
            }
        }
        out
    }
}
