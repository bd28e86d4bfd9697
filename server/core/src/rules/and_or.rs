//! `and-or`: ambiguous combinators (and/or, either/or, X/Y as alternatives).

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct AndOr;

static META: RuleMeta = RuleMeta {
    id: "and-or",
    summary: "A requirement combines alternatives ambiguously (and/or, either/or, read/write as alternatives).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags *and/or*, *either/or* and two plain words joined by a slash (`email/SMS`) in normative text \
(INCOSE R15 combinators), and two words joined by a slash where they name a means (\"notify by \
email/sms\", \"via web/mobile\"). Other slash pairs are mostly fixed terms (`inputs/outputs`, \
`read/write`, `I/O`) or paths and are not flagged, nor is anything in code. Quick fixes \
replace `and/or` with `and` or with `or`.",
        why: "\"Notify by email and/or SMS\" can be built three ways; the reader picks one and the tester another. \
Say which combinations are required.",
        example: "- **FR-015**: The service MUST notify the owner by email and/or SMS.",
        fix: "- **FR-015**: The service MUST notify the owner by email, and by SMS when a phone number is on file.",
    },
};

static AND_OR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:and/or|or/and|either/or)\b").expect("static regex"));
static SLASHED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([A-Za-z]{2,})/([A-Za-z]{2,})\b").expect("static regex"));

/// Slash pairs that name one thing, not a choice.
const FIXED_PAIRS: &[&str] = &[
    "i/o",
    "n/a",
    "tcp/ip",
    "read/write",
    "client/server",
    "input/output",
    "true/false",
    "yes/no",
    "on/off",
    "pass/fail",
    "open/close",
    "start/stop",
    "get/set",
    "push/pull",
    "request/response",
    "drag/drop",
    "copy/paste",
    "cut/paste",
    "undo/redo",
    "enable/disable",
    "show/hide",
    "import/export",
    "ci/cd",
    "a/b",
    "pros/cons",
    "he/she",
    "his/her",
    "him/her",
    "s/he",
    "and/or",
    "either/or",
    "or/and",
    "w/o",
    "km/h",
    "req/s",
    "ops/s",
    "mb/s",
    "gb/s",
    "kb/s",
    "m/s",
    "rpc/s",
    "qps/s",
];

impl Rule for AndOr {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for unit in &ctx.scope.units {
            let text = doc.prose_slice(unit.span);
            for m in AND_OR.find_iter(text) {
                let span = Span::new(unit.span.start + m.start(), unit.span.start + m.end());
                let word = m.as_str();
                let mut d = Diagnostic::new(
                    META.id,
                    span,
                    format!("ambiguous combinator `{word}`: both, either, or one of them?"),
                )
                .with_question(format!(
                    "'{word}' — are both required, either one, or exactly one?"
                ));
                if word.eq_ignore_ascii_case("and/or") {
                    for choice in ["and", "or"] {
                        d = d.with_fix(Fix {
                            title: format!("Replace `{word}` with `{choice}`"),
                            edits: vec![TextEdit {
                                span,
                                new_text: choice.into(),
                            }],
                        });
                    }
                }
                out.push(d);
            }
            for caps in SLASHED.captures_iter(text) {
                let Some(m) = caps.get(0) else { continue };
                let (start, end) = (unit.span.start + m.start(), unit.span.start + m.end());
                if !is_alternative(doc, start, end, m.as_str()) {
                    continue;
                }
                let span = Span::new(start, end);
                out.push(
                    Diagnostic::new(
                        META.id,
                        span,
                        format!(
                            "`{}` joins alternatives with a slash: both, or one of them?",
                            m.as_str()
                        ),
                    )
                    .with_question(format!(
                        "'{}' — are both meant, or one of them (which)?",
                        m.as_str()
                    )),
                );
            }
        }
        out
    }
}

/// A slash pair reads as a choice after a word that introduces a means ("notify by
/// email/sms", "via web/mobile"); elsewhere most pairs are fixed terms (`inputs/outputs`,
/// `passed/failed`) or paths, and are left alone.
fn is_alternative(doc: &SpecDoc, start: usize, end: usize, pair: &str) -> bool {
    let lower = pair.to_ascii_lowercase();
    if FIXED_PAIRS.contains(&lower.as_str()) || AND_OR.is_match(pair) {
        return false;
    }
    let before = doc.text[..start].chars().next_back();
    let after = doc.text[end..].chars().next();
    if matches!(before, Some('/' | '.' | ':' | '~' | '-' | '_' | '@'))
        || matches!(after, Some('/' | '-' | '_' | '('))
    {
        return false;
    }
    if doc.text[end..].starts_with('.') && doc.text[end + 1..].starts_with(char::is_alphanumeric) {
        return false;
    }
    doc.prose[..start]
        .split_whitespace()
        .next_back()
        .is_some_and(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "by" | "via" | "using" | "either" | "through" | "over"
            )
        })
}
