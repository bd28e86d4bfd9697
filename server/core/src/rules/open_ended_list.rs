//! `open-ended-list`: lists that do not close (etc., and so on, including but not limited to).

use super::{Context, Rule, RuleDoc, RuleMeta, word_list};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::span::Span;
use crate::syntax::SpecDoc;

pub struct OpenEndedList;

const WORDS: &str = include_str!("../data/open-ended-list.txt");

static META: RuleMeta = RuleMeta {
    id: "open-ended-list",
    summary: "A requirement's list does not close (etc., and so on, including but not limited to).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags open-ended lists in normative text: *etc.*, *and so on*, *and more*, *among others*, *including \
but not limited to*, *and the like*, *or similar* (INCOSE R9). A quick fix closes the list by removing the \
open end; whether the list is then complete is the author's call. `etc.` in narrative sections is not flagged.",
        why: "An agent implements the items it is given. \"PDF, DOCX, etc.\" will get PDF and DOCX, and the reviewer \
who meant ODT too finds out after the release.",
        example: "- **FR-012**: The importer MUST accept PDF, DOCX, etc.",
        fix: "- **FR-012**: The importer MUST accept PDF, DOCX and ODT.",
    },
};

impl Rule for OpenEndedList {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let lexicon = word_list(ctx, META.id, WORDS);
        let mut out = Vec::new();
        for unit in &ctx.scope.units {
            for hit in lexicon.find(&doc.prose, unit.span.start, unit.span.end) {
                let mut span = Span::new(hit.start, hit.end);
                // `… and others active`, `or similar tools`: the phrase continues the sentence
                // instead of ending a list (`including but not limited to` always opens one).
                let entry = hit.entry.to_ascii_lowercase();
                // `(FR-001, FR-002, etc.)`: examples of a naming pattern, not an open list.
                if entry == "etc"
                    && doc
                        .ids_in(Span::new(unit.span.start, span.start))
                        .last()
                        .is_some_and(|o| span.start - o.span.end <= 3)
                {
                    continue;
                }
                let continues = doc.prose[span.end..]
                    .trim_start_matches([' ', '\t'])
                    .starts_with(|c: char| c.is_alphanumeric());
                if continues && !entry.contains("limited to") && entry != "etc" {
                    continue;
                }
                // `etc.` owns its full stop unless the stop also ends the sentence.
                let is_etc = hit.entry.eq_ignore_ascii_case("etc");
                if is_etc && doc.prose[span.end..].starts_with('.') {
                    span.end += 1;
                }
                let text = doc.slice(span).to_string();
                let mut d = Diagnostic::new(
                    META.id,
                    span,
                    format!("open-ended list: `{text}` leaves the list unbounded"),
                )
                .with_question(format!("'{text}' — what is the complete list?"));
                if let Some(fix) = close_list(doc, span, unit.span) {
                    d = d.with_fix(fix);
                }
                out.push(d);
            }
        }
        out
    }
}

/// Removes the open end with the separator before it (`, etc.` → ``), keeping a sentence's
/// final full stop.
fn close_list(doc: &SpecDoc, span: Span, unit: Span) -> Option<Fix> {
    let before = &doc.text[unit.start..span.start];
    let trimmed = before.trim_end_matches([' ', ',', ';']);
    let start = unit.start + trimmed.len();
    let rest = &doc.text[span.end..unit.end];
    // Text continues after the open end: only the phrase itself can go.
    let ends_clause =
        rest.trim_start().is_empty() || rest.trim_start().starts_with(['.', ';', ')', ',']);
    if !ends_clause || start == unit.start {
        return None;
    }
    let ends_sentence = doc.slice(span).ends_with('.') && rest.trim().is_empty();
    Some(Fix {
        title: format!("Close the list (remove `{}`)", doc.slice(span)),
        edits: vec![TextEdit {
            span: Span::new(start, span.end),
            new_text: if ends_sentence {
                ".".into()
            } else {
                String::new()
            },
        }],
    })
}
