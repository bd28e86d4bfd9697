//! `weak-phrase`: escape clauses and weak phrases.

use super::{Context, Rule, RuleDoc, RuleMeta, next_word, preceded_by, word_findings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::SpecDoc;

pub struct WeakPhrase;

const WORDS: &str = include_str!("../data/weak-phrase.txt");

static META: RuleMeta = RuleMeta {
    id: "weak-phrase",
    summary: "An escape clause or weak phrase makes a requirement unverifiable (if possible, as appropriate, try to…).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags escape clauses and weak phrases in normative text (NASA ARM \"weak phrases\", INCOSE R8 \
escape clauses, R10 superfluous infinitives): *as appropriate*, *if possible*, *where practical*, *as \
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
                let before = super::window_before(doc, unit.span.start, span.start);
                // `displayed as required`, `names the API key secret as required`: "as
                // mandatory", the label a thing is given.
                let marked = phrase == "as required" && labels_before(before);
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
                let parenthetical = before.matches('(').count() > before.matches(')').count();
                // `describe profiles in general terms`: the adjective, not a hedge.
                let adjective = phrase == "in general" && next_word(doc, span) == "terms";
                // `before any application code attempts to resolve`: someone else's attempt, in
                // a clause that sets the time of the obligation.
                let subordinate = matches!(
                    phrase.as_str(),
                    "attempts to" | "tries to" | "attempt to" | "try to"
                ) && subordinate_after_keyword(before);
                !reference
                    && !negated
                    && !marked
                    && !noun
                    && !descriptive
                    && !parenthetical
                    && !adjective
                    && !subordinate
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

/// Whether one of the last six words before the phrase labels something ("marks", "names",
/// "shown", "field"): `X as required` then says X is mandatory.
fn labels_before(before: &str) -> bool {
    before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(6)
        .any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "display"
                    | "displays"
                    | "displayed"
                    | "name"
                    | "label"
                    | "flag"
                    | "show"
                    | "list"
                    | "indicate"
                    | "indicates"
                    | "treat"
                    | "treats"
                    | "declare"
                    | "marked"
                    | "marks"
                    | "mark"
                    | "named"
                    | "names"
                    | "labelled"
                    | "labeled"
                    | "labels"
                    | "flagged"
                    | "flags"
                    | "shown"
                    | "shows"
                    | "listed"
                    | "lists"
                    | "indicated"
                    | "treated"
                    | "declared"
                    | "declares"
                    | "field"
                    | "fields"
            )
        })
}

/// Whether a subordinate clause (`before`, `when`, `until`, …) opens after the last binding
/// keyword: what follows it is the clause's own subject acting, not the obligation.
fn subordinate_after_keyword(before: &str) -> bool {
    let Some(k) = ["MUST", "SHALL", "SHOULD", "WILL"]
        .iter()
        .filter_map(|k| before.rfind(k).map(|i| i + k.len()))
        .max()
    else {
        return false;
    };
    before[k..].split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "before" | "after" | "when" | "whenever" | "until" | "once" | "while" | "if"
        )
    })
}
