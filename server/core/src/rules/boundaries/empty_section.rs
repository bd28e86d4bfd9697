//! `empty-section`: a heading with nothing under it but white space, comments or placeholders.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::span::Span;
use crate::syntax::{BlockKind, SpecDoc};

pub struct EmptySection;

static META: RuleMeta = RuleMeta {
    id: "empty-section",
    summary: "A section has a heading and no content (or only comments and template placeholders).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "In specifications, plans, task lists and designs, flags a heading with no sub-sections whose body is empty, or holds only HTML comments (template \
instructions) or unfilled placeholders such as `[Describe …]`.",
        why: "An empty section is a question nobody answered: readers and agents cannot tell \"nothing to say\" from \
\"forgot\". Either fill it or remove it (or write \"None\").",
        example: "## Edge Cases\n\n<!-- What happens when storage is full? -->\n\n## Assumptions",
        fix: "## Edge Cases\n\n- Storage is full: the editor shows a banner and stops accepting input.\n\n## Assumptions",
    },
};

impl Rule for EmptySection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        // Proposals (KEPs, RFCs) leave later-stage sections empty by design; ADRs have their
        // own section rules.
        if !matches!(
            ctx.kind,
            DocKind::Spec
                | DocKind::Plan
                | DocKind::Tasks
                | DocKind::Requirements
                | DocKind::Design
        ) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, s) in doc.sections.iter().enumerate() {
            if !s.children.is_empty() {
                continue;
            }
            // A document's title heading with nothing under it is a title, not a section.
            if i == 0 && s.level == 1 {
                continue;
            }
            // Blocks are in document order: the section's are one run.
            let from = doc
                .blocks
                .partition_point(|b| b.span.start < s.heading_span.end);
            let has_content = doc.blocks[from..]
                .iter()
                .take_while(|b| b.span.start < s.body_span.end)
                .filter(|b| s.body_span.covers(b.span))
                .any(|b| match b.kind {
                    BlockKind::HtmlBlock => false,
                    BlockKind::CodeBlock { .. } | BlockKind::Table => true,
                    _ => has_words(doc, b.span),
                });
            if !has_content {
                out.push(
                    Diagnostic::new(
                        META.id,
                        s.title_span,
                        format!("section \"{}\" is empty", s.title),
                    )
                    .with_question(format!(
                        "What belongs under \"{}\" — or can the section go?",
                        s.title
                    )),
                );
            }
        }
        out
    }
}

/// Prose other than a bracketed placeholder.
fn has_words(doc: &SpecDoc, span: Span) -> bool {
    let text = doc.prose_slice(span).trim();
    let unbracketed = text.trim_start_matches('[').trim_end_matches(']');
    let only_placeholder =
        text.starts_with('[') && text.ends_with(']') && !unbracketed.contains(['[', ']']);
    text.chars().any(char::is_alphanumeric) && !only_placeholder
}
