//! `comparative-without-baseline`: "faster", "better", "more secure" with nothing to compare to.

use super::{Context, Rule, RuleDoc, RuleMeta, clause_around, has_number, word_findings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::SpecDoc;

pub struct ComparativeWithoutBaseline;

const WORDS: &str = include_str!("../data/comparative.txt");

static META: RuleMeta = RuleMeta {
    id: "comparative-without-baseline",
    summary: "A requirement compares (faster, better, more secure, improved) without saying than what.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags comparatives in normative text — *faster*, *better*, *easier*, *smaller*, *more secure*, \
*more reliable*, *improved*, *reduced* — when the clause names no baseline: no \"than …\", \"compared \
to/with …\", \"relative to …\", \"from … to …\" and no number (\"reduced by 30%\").",
        why: "\"Faster\" than what — the current release, a competitor, yesterday's build? Without a baseline the \
requirement is met by any change at all, or by none.",
        example: "- **NFR-4**: The new sync engine MUST be faster and more reliable.",
        fix: "- **NFR-4**: The new sync engine MUST sync 1,000 changes at least 2× faster than release 3.2 on the \
reference laptop, with no more than 1 failed sync in 10,000.",
    },
};

impl Rule for ComparativeWithoutBaseline {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        word_findings(
            doc,
            ctx,
            META.id,
            WORDS,
            |span, unit| {
                let clause = clause_around(doc, unit.span, span.start);
                // The baseline may follow the comparative anywhere in the unit ("faster, by 20%, than …").
                let rest = doc
                    .prose_slice(crate::span::Span::new(span.end, unit.span.end))
                    .to_ascii_lowercase();
                let baseline = [
                    " than ",
                    "compared to",
                    "compared with",
                    "relative to",
                    "versus",
                    " vs",
                    " from ",
                    "proportional",
                ]
                .iter()
                .any(|b| rest.contains(b));
                !baseline && !has_number(doc, clause) && !super::explained(doc, span, unit.span)
            },
            |word| {
                (
                    format!("comparative `{word}` without a baseline: {word} than what?"),
                    format!("'{word}' — compared with what baseline, and by how much?"),
                )
            },
        )
    }
}
