//! `adr-missing-section`: a section the record's format requires is missing or empty.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::own_record;
use crate::adr::AdrFormat;
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::profiles::normalize_title;
use crate::span::Span;
use crate::syntax::{BlockKind, Section, SpecDoc};

pub struct AdrMissingSection;

/// A required section: canonical title, the normalised titles that count, the skeleton text.
struct Required {
    title: &'static str,
    names: &'static [&'static str],
    hint: &'static str,
}

// The status of a Nygard record is `adr-status`'s concern (it may be a `Status:` line).
const NYGARD: &[Required] = &[
    Required {
        title: "Context",
        names: &["context", "context and problem statement"],
        hint: "{What is the issue that motivates this decision?}",
    },
    Required {
        title: "Decision",
        names: &["decision", "decision outcome"],
        hint: "{What we will do: \"We will …\".}",
    },
    Required {
        title: "Consequences",
        names: &["consequences"],
        hint: "{What becomes easier or harder because of this decision.}",
    },
];

const MADR: &[Required] = &[
    Required {
        title: "Context and Problem Statement",
        names: &[
            "context and problem statement",
            "context",
            "problem statement",
        ],
        hint: "{Describe the context and problem statement in two or three sentences.}",
    },
    Required {
        title: "Considered Options",
        names: &["considered options", "options"],
        hint: "* {title of option 1}\n* {title of option 2}",
    },
    Required {
        title: "Decision Outcome",
        names: &["decision outcome", "decision"],
        hint: "Chosen option: \"{title of option 1}\", because {justification}.",
    },
];

static META: RuleMeta = RuleMeta {
    id: "adr-missing-section",
    summary: "An ADR lacks a section its format requires (Nygard: Context, Decision, Consequences; MADR: Context and Problem Statement, Considered Options, Decision Outcome), or the section is empty.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Checks each Architecture Decision Record against its format: Michael Nygard's (and adr-tools') \
records need Context, Decision and Consequences (the status is `adr-status`'s concern); MADR records need \
Context and Problem Statement, Considered Options and Decision Outcome — the sections every MADR record has, \
while MADR's other sections (Decision Drivers, Consequences, Confirmation, Pros and Cons, More Information) \
stay optional. A required section with nothing under it is reported too. The quick fix inserts the missing \
sections in the format's order. Templates (`*template*.md`) are not records and are not checked.",
        why: "A decision without its context cannot be re-evaluated when the context changes; one without \
consequences hides its cost; a MADR record without its options does not show that alternatives were weighed. \
Agents that follow the record see only what it says.",
        example: "# 3. Use PostgreSQL\n\n## Status\n\nAccepted\n\n## Decision\n\nWe will use PostgreSQL 16.",
        fix: "# 3. Use PostgreSQL\n\n## Status\n\nAccepted\n\n## Context\n\nWe need transactions across orders and stock.\n\n## Decision\n\nWe will use PostgreSQL 16.\n\n## Consequences\n\nThe team runs and backs up one more service.",
    },
};

impl Rule for AdrMissingSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let Some(record) = own_record(ctx) else {
            return Vec::new();
        };
        let required = match record.format {
            AdrFormat::Madr => MADR,
            AdrFormat::Nygard => NYGARD,
        };
        let find = |r: &Required| {
            doc.sections
                .iter()
                .position(|s| s.level >= 2 && r.names.contains(&normalize_title(&s.title).as_str()))
        };
        let mut out = Vec::new();
        let found: Vec<Option<usize>> = required.iter().map(find).collect();
        for (r, at) in required.iter().zip(&found) {
            if let Some(i) = at
                && !has_content(doc, &doc.sections[*i])
            {
                out.push(
                    Diagnostic::new(
                        META.id,
                        doc.sections[*i].title_span,
                        format!(
                            "{} section \"{}\" is empty",
                            record.format.as_str(),
                            r.title
                        ),
                    )
                    .with_question(format!("What belongs under \"{}\"?", r.title)),
                );
            }
        }
        let missing: Vec<usize> = (0..required.len())
            .filter(|&i| found[i].is_none())
            .collect();
        if missing.is_empty() {
            return out;
        }
        let nl = if doc.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        // Each missing section goes before the next required section that is there, else at
        // the end, so the record keeps the format's order.
        let mut edits: Vec<TextEdit> = Vec::new();
        for &i in &missing {
            let r = &required[i];
            let skeleton = format!("## {}{nl}{nl}{}{nl}{nl}", r.title, r.hint.replace('\n', nl));
            let before = found[i + 1..].iter().flatten().next();
            let edit = match before {
                Some(&next) => {
                    let at = doc.sections[next].heading_span.start;
                    TextEdit {
                        span: Span::new(at, at),
                        new_text: skeleton,
                    }
                }
                None => {
                    let end = doc.text.trim_end().len();
                    TextEdit {
                        span: Span::new(end, doc.text.len()),
                        new_text: format!("{nl}{nl}{}", skeleton.trim_end()) + nl,
                    }
                }
            };
            match edits.last_mut() {
                Some(last) if last.span == edit.span => {
                    if edit.span.start == edit.span.end {
                        last.new_text.push_str(&edit.new_text)
                    } else {
                        // Two appends at the end: one blank line between them.
                        last.new_text = format!(
                            "{}{nl}{nl}{}",
                            last.new_text.trim_end(),
                            edit.new_text.trim_start()
                        )
                    }
                }
                _ => edits.push(edit),
            }
        }
        let names: Vec<&str> = missing.iter().map(|&i| required[i].title).collect();
        let span = record
            .title_span
            .or_else(|| doc.sections.first().map(|s| s.title_span))
            .unwrap_or(Span::new(0, 0));
        out.push(
            Diagnostic::new(
                META.id,
                span,
                format!(
                    "{} record is missing: {}",
                    record.format.as_str(),
                    names.join(", ")
                ),
            )
            .with_question(format!("What goes under {}?", names.join(" and ")))
            .with_fix(Fix {
                title: format!("Add {}", names.join(", ")),
                edits,
            }),
        );
        out
    }
}

/// Whether the section (sub-sections included) holds any words, code or table.
fn has_content(doc: &SpecDoc, s: &Section) -> bool {
    doc.blocks
        .iter()
        .filter(|b| s.body_span.covers(b.span) && b.span.start >= s.heading_span.end)
        .any(|b| match b.kind {
            BlockKind::HtmlBlock | BlockKind::Heading { .. } => false,
            BlockKind::CodeBlock { .. } | BlockKind::Table => true,
            _ => doc.prose_slice(b.span).chars().any(char::is_alphanumeric),
        })
}
