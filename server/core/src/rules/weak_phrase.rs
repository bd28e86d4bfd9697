//! `weak-phrase`: escape clauses and weak phrases.

use super::{Context, Rule, RuleDoc, RuleMeta, next_word, preceded_by, word_findings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::SpecDoc;

pub struct WeakPhrase;

const WORDS: &str = include_str!("../data/weak-phrase.txt");

static META: RuleMeta = RuleMeta {
    id: "weak-phrase",
    summary: "An escape clause or weak phrase makes a requirement unverifiable (if possible, as appropriate, try to…).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags escape clauses and weak phrases in normative text (NASA ARM \"weak phrases\", INCOSE R8 \
escape clauses, R10 superfluous infinitives): *as appropriate*, *if possible*, *where applicable*, *as \
needed*, *if necessary*, *to the extent possible*, *ideally*, *typically*, *try to*, \
*capable of*. `as required by …` (a reference) is not flagged. \"MUST be able to\" is spec-kit's \
canonical phrasing and is not in the default list; add it with `[rules] weak-phrase = { add = [\"be able to\"] }`.",
        why: "An escape clause hands the decision back to the implementer: \"retry if possible\" is met by never \
retrying. \"Be able to\" and \"capable of\" state a capability instead of a behaviour, which leaves open \
whether the behaviour ever happens.",
        example: "- **FR-010**: The client SHOULD retry failed uploads if possible and notify the user as appropriate.",
        fix: "- **FR-010**: The client MUST retry a failed upload 3 times with exponential back-off starting at 1 s.\n- **FR-011**: After the third failure the client MUST show a banner naming the file.",
    },
};

impl Rule for WeakPhrase {
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
                if unit.kind == crate::scope::UnitKind::Scenario
                    && !super::after_then(doc, unit.span, span)
                {
                    return false;
                }
                let phrase = doc.slice(span).to_ascii_lowercase();
                // `as required by FR-002`, `as needed by the scheduler`: references, not escapes.
                let reference = phrase.starts_with("as ") && next_word(doc, span) == "by";
                // `do NOT attempt to customise`: a prohibition, not a weak commitment.
                let negated = preceded_by(doc, span, &["not", "never", "no"]);
                // `displayed as required`, `marks the secret as required`: "as mandatory".
                let marked = phrase == "as required"
                    && preceded_by(
                        doc,
                        span,
                        &[
                            "displayed",
                            "marked",
                            "named",
                            "names",
                            "labelled",
                            "labeled",
                            "flagged",
                            "shown",
                            "listed",
                            "indicated",
                            "treated",
                            "declared",
                            "field",
                            "fields",
                        ],
                    );
                // `An attempt to pull`, `each attempt to connect`: the noun, naming an event.
                let noun = phrase.starts_with("attempt")
                    && preceded_by(
                        doc,
                        span,
                        &["an", "the", "any", "each", "every", "first", "no"],
                    );
                // `capable of` describes; only `SHALL be capable of` weakens an obligation.
                let descriptive = phrase == "capable of" && !preceded_by(doc, span, &["be"]);
                // `(if applicable)`, `(typically under 1 minute)`: a parenthetical note beside
                // the obligation, not a condition on it.
                let before = doc.prose_slice(Span::new(unit.span.start, span.start));
                let parenthetical = before.matches('(').count() > before.matches(')').count();
                !reference && !negated && !marked && !noun && !descriptive && !parenthetical
            },
            |phrase| {
                let lower = phrase.to_ascii_lowercase();
                let question = if matches!(
                    lower.as_str(),
                    "be able to"
                        | "be capable of"
                        | "capable of"
                        | "have the ability to"
                        | "has the ability to"
                ) {
                    format!("'{phrase}' — must the behaviour actually happen, and when?")
                } else {
                    format!(
                        "'{phrase}' — under exactly which conditions does this apply, and what happens otherwise?"
                    )
                };
                (
                    format!("weak phrase `{phrase}` makes the requirement unverifiable"),
                    question,
                )
            },
        )
    }
}
