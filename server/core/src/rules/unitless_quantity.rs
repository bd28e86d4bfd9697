//! `unitless-quantity`: a bound with a number and no unit ("within 5", "timeout of 30").

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct UnitlessQuantity;

static META: RuleMeta = RuleMeta {
    id: "unitless-quantity",
    summary: "A bound states a number with no unit (\"within 5\", \"a timeout of 30\", \"at most 100\").",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags numbers in bounds — after *within*, *under*, *at most*, *at least*, *up to*, *less/more/fewer \
than*, *no more than*, *exceed*, *timeout of*, *limit of*, *maximum of*, *interval of* and the like — that are \
followed by no unit or counted noun, in normative text. \"within 5 seconds\", \"at most 3 retries\", \"under \
80%\", years (\"after 2025\") and versions (\"Git version below 2.5\") are fine.",
        why: "\"Respond within 5\" is 5 ms to the backend team and 5 s to the product owner. A number without a \
unit is a vague term that looks precise.",
        example: "- **NFR-7**: The API MUST respond within 200 and retry at most 3.",
        fix: "- **NFR-7**: The API MUST respond within 200 ms and retry at most 3 times.",
    },
};

static BOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:within|under|below|above|over|after|before|at\s+most|at\s+least|up\s+to|no\s+more\s+than|no\s+less\s+than|",
        r"less\s+than|more\s+than|fewer\s+than|greater\s+than|exceeds?|exceeding|(?:timeout|time-out|limit|maximum|minimum|",
        r"interval|delay|duration|period|ttl|budget|threshold|cap)\s+of)\s+(\d+(?:[.,]\d+)*)"
    ))
    .expect("static regex")
});

/// Words after a number that end the bound rather than name its unit.
const NOT_UNITS: &[&str] = &[
    "and", "or", "but", "if", "when", "whenever", "before", "after", "then", "unless", "while",
    "until", "so", "to", "for",
];

impl Rule for UnitlessQuantity {
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
            for caps in BOUND.captures_iter(text) {
                let (Some(all), Some(num)) = (caps.get(0), caps.get(1)) else {
                    continue;
                };
                let after = &text[num.end()..];
                let versioned = text[..all.start()]
                    .to_ascii_lowercase()
                    .split_whitespace()
                    .rev()
                    .take(4)
                    .any(|w| w.starts_with("version"));
                if has_unit(after) || is_year(num.as_str(), all.as_str()) || versioned {
                    continue;
                }
                let span = Span::new(unit.span.start + all.start(), unit.span.start + all.end());
                out.push(
                    Diagnostic::new(META.id, span, format!("`{}` has no unit", all.as_str()))
                        .with_question(format!(
                            "'{}' — {} what: milliseconds, seconds, requests, megabytes?",
                            all.as_str(),
                            num.as_str()
                        )),
                );
            }
        }
        out
    }
}

fn has_unit(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\u{a0}']);
    // `5%`, `2×`, `3x`, `10ms`, `5-10 s` (a range: look past it).
    if rest.starts_with(['%', '×', '°', '$', '€', '£'])
        || after.starts_with(|c: char| c.is_alphabetic())
    {
        return true;
    }
    if let Some(range) = rest.strip_prefix(['-', '–']) {
        let past = range.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
        return has_unit(past);
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '/')
        .collect();
    !word.is_empty() && !NOT_UNITS.contains(&word.to_ascii_lowercase().as_str())
}

fn is_year(num: &str, bound: &str) -> bool {
    let lower = bound.to_ascii_lowercase();
    let temporal = lower.starts_with("after")
        || lower.starts_with("before")
        || lower.starts_with("within")
        || lower.starts_with("by");
    num.len() == 4 && num.parse::<u32>().is_ok_and(|y| (1900..=2200).contains(&y)) && temporal
}
