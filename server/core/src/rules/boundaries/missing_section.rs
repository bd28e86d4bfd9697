//! `missing-section`: a required section of the document's profile is absent.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::profiles::profile_for;
use crate::span::Span;
use crate::syntax::SpecDoc;

pub struct MissingSection;

static META: RuleMeta = RuleMeta {
    id: "missing-section",
    summary: "A section the document's profile requires is missing (e.g. Success Criteria in a spec-kit spec).",
    default_severity: Severity::Warning,
    doc: RuleDoc {
        what: "Checks documents against the built-in profile of their kind and family — spec-kit spec (User \
Scenarios & Testing, Requirements, Success Criteria) and plan (Summary, Technical Context), Kiro \
requirements (Introduction, Requirements) and design (Overview, Architecture), OpenSpec spec (Purpose, \
Requirements) — matching the heading synonyms real documents use, numbering and `*(mandatory)*` ignored. \
One finding on the title lists every missing section; its quick fix appends skeletons in the profile's order.",
        why: "The required sections are where the boundaries live: without Success Criteria nobody can say when the \
work is done, without Requirements an agent works from the stories' prose.",
        example: "# Feature Specification: Share drafts\n\n## User Scenarios & Testing\n\n…\n\n## Requirements\n\n…",
        fix: "## Success Criteria\n\n- **SC-001**: 95% of shares reach every member within 5 seconds.",
    },
};

impl Rule for MissingSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let Some(profile) = profile_for(ctx.kind, ctx.family) else {
            return Vec::new();
        };
        let Some(first) = doc.sections.first() else {
            return Vec::new();
        };
        let missing: Vec<_> = profile
            .required
            .iter()
            .filter(|spec| !doc.sections.iter().any(|s| spec.matches(&s.title)))
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        let names: Vec<&str> = missing.iter().map(|m| m.title).collect();
        let newline = if doc.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let skeleton: String = missing
            .iter()
            .map(|m| {
                format!(
                    "{newline}{newline}{} {}{newline}{newline}<!-- {} -->",
                    "#".repeat(m.level as usize),
                    m.title,
                    m.hint
                )
            })
            .collect::<String>()
            + newline;
        let end = doc.text.trim_end().len();
        vec![
            Diagnostic::new(
                META.id,
                first.title_span,
                format!("{} is missing: {}", profile.name, names.join(", ")),
            )
            .with_question(format!("What goes under {}?", names.join(" and ")))
            .with_fix(Fix {
                title: format!(
                    "Add {} skeleton{}",
                    names.join(", "),
                    if names.len() > 1 { "s" } else { "" }
                ),
                edits: vec![TextEdit {
                    span: Span::new(end, doc.text.len()),
                    new_text: skeleton,
                }],
            }),
        ]
    }
}
