//! `adr-date`: a date that is not ISO 8601, a Nygard record without the date its folder's
//! records carry, and dates in the future (a hint).

use super::super::{Context, Date, Rule, RuleDoc, RuleMeta};
use super::{own_record, sibling_records};
use crate::adr::AdrFormat;
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct AdrDate;

static META: RuleMeta = RuleMeta {
    id: "adr-date",
    summary: "An ADR's date is not an ISO 8601 calendar date (YYYY-MM-DD), is missing where the folder's records carry one, or lies in the future (hint).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Reads the date from MADR front matter (`date:`) or a `Date:` line (adr-tools writes one under \
the title). Reports a date that is not `YYYY-MM-DD` or not a real day (`2026-02-30`); the quick fix rewrites \
unambiguous forms (`2026/03/12`, `12 March 2026`, `March 12, 2026`) as ISO 8601. A Nygard record without a \
date is reported when the other records of its folder carry one (the folder's convention; MADR makes the \
date optional). A date after today is a hint.",
        why: "Dates order decisions and tell a reader how old a decision's context is. `03/04/2026` reads as \
March or April depending on the reader; tools (and the ADR index) sort only ISO dates.",
        example: "# 5. Use Redis for sessions\n\nDate: 12/03/2026",
        fix: "# 5. Use Redis for sessions\n\nDate: 2026-03-12",
    },
};

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]+)?$").expect("static regex")
});
static SLASHED_YMD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$").expect("static regex"));
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$").expect("static regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$").expect("static regex")
});

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Rule for AdrDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let Some(record) = own_record(ctx) else {
            return Vec::new();
        };
        let Some(date) = &record.date else {
            return missing(doc, ctx, record);
        };
        let value = date.value.trim().trim_matches(['"', '\'']);
        if value.contains('{') {
            return Vec::new();
        }
        match iso(value) {
            Some(Ok(d)) => match ctx.today {
                Some(today) if d > today => vec![
                    Diagnostic::new(
                        META.id,
                        date.span,
                        format!("the date {d} is in the future (today is {today})"),
                    )
                    .with_question("Is this the date the decision was made or last changed?")
                    .demoted(),
                ],
                _ => Vec::new(),
            },
            Some(Err(())) => vec![
                Diagnostic::new(
                    META.id,
                    date.span,
                    format!("\"{value}\" is not a calendar date"),
                )
                .with_question("On which day was this decided?"),
            ],
            None => {
                let mut d = Diagnostic::new(
                    META.id,
                    date.span,
                    format!("date \"{value}\" is not ISO 8601 (YYYY-MM-DD)"),
                )
                .with_question("Which day is this, as YYYY-MM-DD?");
                if let Some(fixed) = rewrite(value) {
                    d = d.with_fix(Fix {
                        title: format!("Write the date as {fixed}"),
                        edits: vec![TextEdit {
                            span: date.span,
                            new_text: fixed.to_string(),
                        }],
                    });
                }
                vec![d]
            }
        }
    }
}

/// A Nygard record without a date, in a folder whose other Nygard records all carry one.
fn missing(doc: &SpecDoc, ctx: &Context<'_>, record: &crate::adr::AdrRecord) -> Vec<Diagnostic> {
    if record.format != AdrFormat::Nygard {
        return Vec::new();
    }
    let siblings = sibling_records(ctx);
    let nygard: Vec<_> = siblings
        .iter()
        .filter(|(_, r)| r.format == AdrFormat::Nygard)
        .collect();
    if nygard.is_empty() || nygard.iter().any(|(_, r)| r.date.is_none()) {
        return Vec::new();
    }
    let Some(title) = record.title_span else {
        return Vec::new();
    };
    let nl = if doc.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut d = Diagnostic::new(
        META.id,
        title,
        "the record has no date, unlike the other records of its folder",
    )
    .with_question("When was this decided?");
    if let Some(today) = ctx.today {
        let line_end = doc.text[title.end..]
            .find('\n')
            .map_or(doc.text.len(), |i| title.end + i + 1);
        let lead = if line_end == doc.text.len() && !doc.text.ends_with('\n') {
            nl
        } else {
            ""
        };
        d = d.with_fix(Fix {
            title: format!("Add \"Date: {today}\""),
            edits: vec![TextEdit {
                span: Span::new(line_end, line_end),
                new_text: format!("{lead}{nl}Date: {today}{nl}"),
            }],
        });
    }
    vec![d]
}

/// `Some(Ok)` for a valid ISO date, `Some(Err)` for ISO form with an impossible day, `None`
/// when the form is not ISO.
fn iso(value: &str) -> Option<Result<Date, ()>> {
    let c = ISO.captures(value)?;
    let (y, m, d) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    Some(valid(y, m, d).ok_or(()))
}

fn valid(year: i32, month: u8, day: u8) -> Option<Date> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then_some(Date { year, month, day })
}

/// The ISO form of an unambiguous date (`2026/03/12`, `12 March 2026`, `March 12, 2026`).
fn rewrite(value: &str) -> Option<Date> {
    let month_of = |name: &str| {
        let lower = name.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| lower.len() >= 3 && m.starts_with(lower.as_str()))
            .map(|i| i as u8 + 1)
    };
    if let Some(c) = SLASHED_YMD.captures(value) {
        return valid(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(value) {
        return valid(c[3].parse().ok()?, month_of(&c[2])?, c[1].parse().ok()?);
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(value) {
        return valid(c[3].parse().ok()?, month_of(&c[1])?, c[2].parse().ok()?);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_unambiguous_dates() {
        let d = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(rewrite("2026/03/12"), d(2026, 3, 12));
        assert_eq!(rewrite("12 March 2026"), d(2026, 3, 12));
        assert_eq!(rewrite("March 12th, 2026"), d(2026, 3, 12));
        assert_eq!(rewrite("12/03/2026"), None);
        assert_eq!(rewrite("Smarch 12, 2026"), None);
        assert_eq!(
            iso("2024-02-29"),
            Some(Ok(Date {
                year: 2024,
                month: 2,
                day: 29
            }))
        );
        assert_eq!(iso("2026-02-29"), Some(Err(())));
        assert_eq!(iso("2026-1-2"), None);
    }
}
