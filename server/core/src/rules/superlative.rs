//! `superlative`: unbounded superlatives and optimisation words.

use super::{Context, Rule, RuleDoc, RuleMeta, clause_around, has_number, word_findings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::SpecDoc;

pub struct Superlative;

const WORDS: &str = include_str!("../data/superlative.txt");

static META: RuleMeta = RuleMeta {
    id: "superlative",
    summary: "A requirement asks for the best, the optimum or \"as fast as possible\", with no bound.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags superlatives and optimisation verbs in normative text: *best*, *optimal*, *maximise*, \
*minimise*, *optimise*, *fastest*, *as fast as possible*, *as soon as possible*. Not flagged when the clause \
states a number (\"minimise start-up time to under 1 s\").",
        why: "An optimum has no end: no implementation can be shown to meet \"as fast as possible\", and an agent \
will either stop anywhere or keep tuning forever. A bound turns it into a requirement.",
        example: "- **NFR-2**: The importer MUST process files as fast as possible and minimise memory use.",
        fix: "- **NFR-2**: The importer MUST process 1 GB of CSV within 60 s using at most 512 MB of memory.",
    },
};

impl Rule for Superlative {
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
            |span, unit| !has_number(doc, clause_around(doc, unit.span, span.start)),
            |word| {
                (
                    format!(
                        "unbounded superlative `{word}`: no implementation can be shown to meet it"
                    ),
                    format!("'{word}' — what bound is good enough, measured how?"),
                )
            },
        )
    }
}
