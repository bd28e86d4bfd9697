//! `bcp14-usage`: BCP 14 (RFC 2119 / RFC 8174) keywords misused.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct Bcp14Usage;

static META: RuleMeta = RuleMeta {
    id: "bcp14-usage",
    summary: "BCP 14 keywords are misused: lower-case keywords in a document that declares RFC 2119, or capitals that are not keywords (WILL, MUSTN'T).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "In a document that declares BCP 14 (the RFC 2119 / RFC 8174 boilerplate, or any mention of \
RFC 2119, RFC 8174 or BCP 14), flags lower-case *must*, *shall*, *should* (and their negations) in \
requirement statements, since RFC 8174 gives only the capitals their special meaning. Anywhere outside \
narrative sections, flags capitalised words that look normative but are not BCP 14 keywords: `WILL`, \
`WON'T`, `MUSTN'T`, `SHAN'T`, `SHOULDN'T`, `NEED TO`, `HAS TO`, and mixed forms such as `MUST not` (only where the document declares BCP 14 or writes `MUST NOT` \
itself elsewhere: without that convention `SHALL not` is the author's house style, not a slip). \
Lower-case keywords in reported speech (\"an error stating that the name must …\") are the text being specified. Capital MUST/SHALL without the boilerplate is the convention of spec-kit, Kiro, EARS and \
OpenSpec and is not a finding. Quick fixes write the keyword in capitals or spell out the contraction.",
        why: "Readers and agents that know BCP 14 treat capitals as obligations and everything else as prose. A \
lower-case \"must\" in an RFC-style document is ambiguous, and a capitalised WILL suggests a level of \
obligation that BCP 14 does not define.",
        example: "The key words \"MUST\", \"SHOULD\" and \"MAY\" are to be interpreted as described in RFC 2119.\n\n- The server must reject expired tokens.\n- The client WILL retry and MUSTN'T block the UI.",
        fix: "The key words \"MUST\", \"SHOULD\" and \"MAY\" are to be interpreted as described in RFC 2119.\n\n- The server MUST reject expired tokens.\n- The client MUST retry and MUST NOT block the UI.",
    },
};

static DECLARES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bRFC\s*-?\s*2119\b|\bRFC\s*-?\s*8174\b|\bBCP\s*-?\s*14\b")
        .expect("static regex")
});
static LOWER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:must|shall|should)(?:\s+not)?\b").expect("static regex"));
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:[A-Z]+-?\d+\W*)?(?:explain|document|note|state|mention|describe|say|clarify|remind|warn)\w*\s+(?:\w+\s+)?that\b").expect("static regex")
});
/// A reporting verb before the keyword in its clause: "an ERROR stating that the name must …".
static REPORTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:stat(?:es|ing)|say(?:s|ing)|explain(?:s|ing)|read(?:s|ing)|warn(?:s|ing)\s+that|telling)\b[^.;:!?]*$").expect("static regex")
});
static FALSE_CAPS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:MUST|SHALL|SHOULD)\s+not\b|\b(?:WILL(?:\s+NOT)?|WON'T|MUSTN'T|SHAN'T|SHOULDN'T|NEEDS?\s+TO|HAS\s+TO|HAVE\s+TO|REQUIRED\s+TO)\b")
        .expect("static regex")
});

static CAPITAL_NOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:MUST|SHALL|SHOULD)\s+NOT\b").expect("static regex"));

impl Rule for Bcp14Usage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let declares = DECLARES.is_match(&doc.prose);
        // `SHALL not` is a slip only against a convention: BCP 14 declared, or the document's own
        // `SHALL NOT` elsewhere. Without either it is the author's way of writing a prohibition
        // (judged wrong 4 times in 7 on the wild set; with one of them, right 15 times in 15).
        let capital_negation = declares || CAPITAL_NOT.is_match(&doc.prose);
        if declares {
            for unit in &ctx.scope.units {
                let text = doc.prose_slice(unit.span);
                // "Explain that change specs must include …": reported speech, not a requirement.
                if REPORTED.is_match(text) {
                    continue;
                }
                for m in LOWER.find_iter(text) {
                    // A quoted message ("Scenarios must use …") is text the tool prints.
                    if super::in_quotes(&text[..m.start()])
                        || REPORTING.is_match(&text[..m.start()])
                    {
                        continue;
                    }
                    let span = Span::new(unit.span.start + m.start(), unit.span.start + m.end());
                    let upper = m
                        .as_str()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_uppercase();
                    out.push(
                        Diagnostic::new(
                            META.id,
                            span,
                            format!("lower-case `{}` in a document that declares BCP 14: write `{upper}` if it is normative", m.as_str()),
                        )
                        .with_question(format!("Is '{}' a requirement ({upper}) or ordinary prose?", m.as_str()))
                        .with_fix(replace(span, m.as_str(), &upper)),
                    );
                }
            }
        }
        for unit in &doc.units {
            if ctx.scope.is_narrative(doc.blocks[unit.block].section) {
                continue;
            }
            let text = doc.prose_slice(unit.span);
            for m in FALSE_CAPS.find_iter(text) {
                let at = unit.span.start + m.start();
                let span = Span::new(at, unit.span.start + m.end());
                if shouting(&doc.prose, span) {
                    continue;
                }
                let word = m.as_str();
                let spelled = match word {
                    "MUSTN'T" => Some("MUST NOT"),
                    "SHAN'T" => Some("SHALL NOT"),
                    "SHOULDN'T" => Some("SHOULD NOT"),
                    _ => None,
                };
                let normalized = word.split_whitespace().collect::<Vec<_>>().join(" ");
                if normalized.ends_with(" not") && !capital_negation {
                    continue;
                }
                let mut d = if normalized.ends_with(" not") {
                    let fixed = normalized.to_uppercase();
                    Diagnostic::new(
                        META.id,
                        span,
                        format!("`{word}` mixes cases: write `{fixed}`"),
                    )
                    .with_fix(replace(span, word, &fixed))
                } else {
                    Diagnostic::new(
                        META.id,
                        span,
                        format!(
                            "`{word}` is not a BCP 14 keyword: use MUST, SHALL, SHOULD or MAY (or lower case if it is not normative)"
                        ),
                    )
                };
                d = d.with_question(format!(
                    "What level of obligation does '{word}' express: MUST, SHOULD or MAY?"
                ));
                if let Some(s) = spelled {
                    d = d.with_fix(replace(span, word, s));
                }
                out.push(d);
            }
        }
        out
    }
}

fn replace(span: Span, from: &str, to: &str) -> Fix {
    Fix {
        title: format!("Write `{to}` instead of `{from}`"),
        edits: vec![TextEdit {
            span,
            new_text: to.into(),
        }],
    }
}

/// Capitals in a run of capitals (a shouted heading, a table header, an acronym list) are not
/// keywords in disguise: look at the words on either side.
fn shouting(prose: &str, span: Span) -> bool {
    let word_before = prose[..span.start]
        .split_whitespace()
        .next_back()
        .unwrap_or("");
    let word_after = prose[span.end..].split_whitespace().next().unwrap_or("");
    let caps = |w: &str| w.chars().any(|c| c.is_alphabetic()) && !w.chars().any(char::is_lowercase);
    caps(word_before) || caps(word_after)
}
