//! `vague-term`: subjective or unmeasurable qualities in requirements.

use super::{
    Context, Rule, RuleDoc, RuleMeta, clause_around, has_number, next_word, preceded_by,
    word_findings,
};
use crate::scope::UnitKind;

const QUANTITIES: &[&str] = &[
    "several", "many", "numerous", "a few", "a lot of", "lots of", "large", "huge", "massive",
];
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::SpecDoc;

pub struct VagueTerm;

pub(crate) const WORDS: &str = include_str!("../data/vague-term.txt");

static META: RuleMeta = RuleMeta {
    id: "vague-term",
    summary: "A requirement uses a quality nobody can measure (fast, user-friendly, robust, scalable…).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags subjective or unmeasurable qualities in normative text (requirement items, sentences with a \
binding keyword, acceptance scenarios): *fast*, *user-friendly*, *intuitive*, *robust*, *scalable*, \
*seamless*, *smooth*, *gracefully*, *clear*, *reasonable*, *modern* and their \
kin (ISO/IEC/IEEE 29148 \"terms to avoid\", INCOSE R7). Relative measures (*appropriate*, *sufficient*, \
*efficient*, *minimal*, *large*, *many*, *several*) are not in the default list: real requirements \
mostly take their criterion from the lines around them, and they were measured right 4 times in 23; add \
them back with `add`. A term is not flagged when its clause states a number (\"fast (p95 under 200 ms)\"), when the \
sentence goes on to say what it means (\"fail gracefully when a tool is missing: the exit code is \
non-zero\", \"— skipping what it cannot parse\"), in the statement of a requirement that has scenarios of \
its own (OpenSpec's `### Requirement:` over `#### Scenario:`; its scenarios are checked), nor in \
narrative sections, user stories, code or quotes. The word list is `data/vague-term.txt`; add or remove words with \
`[rules] vague-term = { add = [...], remove = [...] }`.",
        why: "\"Fast\" means 50 ms to one reader and 5 s to another; an agent will pick a meaning silently and a \
tester cannot write a pass/fail check. Every vague quality hides a number someone has in mind.",
        example: "- **FR-007**: Search results MUST load fast and the filter panel MUST be intuitive.",
        fix: "- **FR-007**: Search results MUST load within 300 ms at the 95th percentile for 10,000 documents.\n- **FR-008**: A first-time user MUST find the filter panel without help in a moderated test (4 of 5 users).",
    },
};

impl Rule for VagueTerm {
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
                if super::refined_by_scenarios(doc, unit) {
                    return false;
                }
                let word = doc.slice(span).to_ascii_lowercase();
                // `as appropriate`, `if necessary`: the escape clause is weak-phrase's finding.
                if word.starts_with("appropriate")
                    && preceded_by(doc, span, &["as", "where", "when", "if"])
                {
                    return false;
                }
                let clause = clause_around(doc, unit.span, span.start);
                let clause_text = doc.prose_slice(clause).to_ascii_lowercase();
                // `the appropriate workflow based on its state`: the criterion is stated.
                if word.starts_with("appropriate")
                    && (clause_text.contains("based on") || clause_text.contains("according to"))
                {
                    return false;
                }
                // A scenario's "several artifacts are ready" sets up a test; it obliges no one.
                if unit.kind == UnitKind::Scenario && QUANTITIES.contains(&word.as_str()) {
                    return false;
                }
                let next = next_word(doc, span);
                // `actionable-intent`, `fast-path`: a hyphenated compound is a name.
                if doc.prose[span.end..].starts_with('-')
                    && doc.prose[span.end + 1..].starts_with(|c: char| c.is_alphanumeric())
                {
                    return false;
                }
                // `MUST smooth GPS data`: the verb (data smoothing).
                if word == "smooth"
                    && preceded_by(doc, span, &["to", "must", "shall", "will", "should", "and"])
                {
                    return false;
                }
                // `SHALL clear the cache`: the verb; `clear text`: the term of art.
                if word == "clear"
                    && (matches!(
                        next.as_str(),
                        "the"
                            | "a"
                            | "an"
                            | "all"
                            | "any"
                            | "its"
                            | "their"
                            | "it"
                            | "them"
                            | "this"
                            | "that"
                            | "these"
                            | "those"
                            | "each"
                            | "every"
                            | "out"
                            | "up"
                            | "text"
                            | "cache"
                            | "caches"
                            | "state"
                            | "selection"
                    ) || preceded_by(
                        doc,
                        span,
                        &[
                            "to", "and", "or", "then", "will", "shall", "must", "should", "may",
                        ],
                    ))
                {
                    return false;
                }
                // `consistent with FR-003`: the criterion is named; `eventually consistent`: a
                // consistency model. `as detailed in §4`: a reference.
                if (word.starts_with("consistent")
                    && (next == "with"
                        || preceded_by(
                            doc,
                            span,
                            &[
                                "eventually",
                                "strongly",
                                "causally",
                                "sequentially",
                                "strictly",
                            ],
                        )))
                    || (word == "detailed"
                        && (matches!(next.as_str(), "in" | "below" | "above" | "by" | "under")
                            || preceded_by(doc, span, &["as", "is", "are", "be"])))
                    || (word == "proper"
                        && matches!(next.as_str(), "subset" | "noun" | "nouns" | "fraction"))
                    || (word.starts_with("optimi") && matches!(next.as_str(), "build" | "builds"))
                {
                    return false;
                }
                // `quick start`, `fast path`: names, not qualities.
                if matches!(
                    (word.as_str(), next.as_str()),
                    (
                        "quick",
                        "start" | "reference" | "guide" | "links" | "fix" | "fixes" | "look"
                    ) | ("fast", "path" | "forward" | "track" | "mode")
                ) {
                    return false;
                }
                // Terms of art: `fail fast`, responsive design, a point in time.
                if (word == "fast" && preceded_by(doc, span, &["fail", "fails", "failing"]))
                    || (word == "responsive"
                        && matches!(
                            next.as_str(),
                            "design"
                                | "layout"
                                | "layouts"
                                | "web"
                                | "ui"
                                | "interface"
                                | "grid"
                                | "breakpoints"
                                | "images"
                        ))
                    || (word == "instant"
                        && preceded_by(doc, span, &["same", "an", "that", "this", "each", "the"]))
                {
                    return false;
                }
                // The author explains the term right away: "reasonable defaults (default copy rules:
                // …)", "appropriate commands (e.g., …)", "a minimal skeleton:".
                if super::explained(doc, span, unit.span) {
                    return false;
                }
                // `appropriate to the context`: matching, not a quality.
                if word.starts_with("appropriate") && matches!(next.as_str(), "to" | "for") {
                    return false;
                }
                // In a scenario only the outcome obliges; Given/When set the scene.
                if unit.kind == UnitKind::Scenario && !super::after_then(doc, unit.span, span) {
                    return false;
                }
                // Idioms: `sufficient permissions` are the ones needed; `appropriate expectations`.
                if matches!(
                    next.as_str(),
                    "permissions" | "privileges" | "rights" | "access" | "expectations"
                ) {
                    return false;
                }
                // `responsive … (minimum width 320px)`: a bound right after the term counts too.
                let near = Span::new(
                    span.end,
                    doc.prose
                        .floor_char_boundary((span.end + 80).min(unit.span.end)),
                );
                // `a large number of 10,000` still names the number: bounded.
                !has_number(doc, clause) && !has_number(doc, near)
            },
            |word| {
                (
                    format!("vague term `{word}`: it states no measurable criterion"),
                    question(word),
                )
            },
        )
    }
}

fn question(word: &str) -> String {
    let w = word.to_ascii_lowercase();
    let specific = match w.as_str() {
        "fast" | "quick" | "quickly" | "rapid" | "rapidly" | "speedy" | "slow" | "slowly"
        | "instant" | "instantly" | "responsive" | "performant" | "high-performance"
        | "high performance" | "timely" | "in a timely manner" | "near real-time" => {
            "what latency or duration, at which percentile, under what load?"
        }
        "scalable" => {
            "up to what load (users, requests per second, data volume), with what latency there?"
        }
        "user-friendly" | "user friendly" | "easy" | "easily" | "easy-to-use" | "easy to use"
        | "intuitive" | "intuitively" | "convenient" | "conveniently" | "straightforward" => {
            "which task, by which users, in how many steps or how much time, with what success rate?"
        }
        "clear" | "clearly" | "detailed" | "actionable" => {
            "what must it contain, or let the reader do, and how would a reviewer check that?"
        }
        "properly" | "proper" | "accurate" | "accurately" | "consistent" | "consistently" => {
            "against which reference, rule or tolerance is it checked?"
        }
        "robust" | "robustly" | "graceful" | "gracefully" => {
            "which failures must be survived, and what is the observable behaviour then?"
        }
        "large" | "huge" | "massive" | "several" | "many" | "numerous" | "a few" | "a lot of"
        | "lots of" => "how many or how much, exactly?",
        "efficient" | "efficiently" | "lightweight" => {
            "what resource budget (CPU, memory, cost) must it stay within?"
        }
        _ => "what measurable criterion decides whether this is met?",
    };
    format!("'{word}' — {specific}")
}
