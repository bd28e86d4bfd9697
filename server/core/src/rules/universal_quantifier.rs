//! `universal-quantifier`: all, every, always, never, none, any.

use super::{Context, Rule, RuleDoc, RuleMeta, word_findings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::SpecDoc;

pub struct UniversalQuantifier;

const WORDS: &str = include_str!("../data/universal-quantifier.txt");

static META: RuleMeta = RuleMeta {
    id: "universal-quantifier",
    summary: "A requirement uses an absolute (all, every, always, never, none, any) that is rarely verifiable.",
    severity: Severity::Off,
    doc: RuleDoc {
        what: "Flags universal quantifiers in normative text: *all*, *every*, *always*, *never*, *none*, *any* \
(INCOSE R32). Off by default — absolutes are often exactly what is meant (\"never log passwords\", \
\"all requests\") — turn it on with `[rules] universal-quantifier = \"hint\"` for a strict review.",
        why: "\"Always available\" cannot be verified and will not be met; \"all file types\" is an open list in \
disguise. Stating the real scope or the tolerated exception makes the requirement testable.",
        example: "- **NFR-6**: The service MUST always be available and accept all file types.",
        fix: "- **NFR-6**: The service MUST be available 99.9% of each calendar month.\n- **FR-013**: The service MUST accept PNG, JPEG and WebP files.",
    },
};

impl Rule for UniversalQuantifier {
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
            |_, _| true,
            |word| {
                (
                    format!("universal quantifier `{word}`: is there really no exception?"),
                    format!(
                        "'{word}' — is this truly without exception, and how would a test show it?"
                    ),
                )
            },
        )
    }
}
