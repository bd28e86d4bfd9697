//! `adr-status`: a status outside the lifecycle, or a Nygard record without a status.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::own_record;
use crate::adr::{AdrFormat, status_word};
use crate::config::{DEFAULT_LIFECYCLE, edit_distance};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::span::Span;
use crate::syntax::SpecDoc;

pub struct AdrStatus;

static META: RuleMeta = RuleMeta {
    id: "adr-status",
    summary: "An ADR's status is not in the lifecycle (proposed, accepted, rejected, deprecated, superseded), or a Nygard record has no status.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Reads the status where the record keeps it — MADR front matter `status:`, a `## Status` section \
(adr-tools), or a `Status:` line — and compares its first word with the lifecycle: `[adr].lifecycle` in \
`specwright.toml`, else proposed, accepted, rejected, deprecated and superseded (`superseded by ADR-0005` \
counts as superseded). With the default lifecycle an unknown status is only a hint, since teams use their own \
words (MADR's own records say `on hold`); once you configure a lifecycle it is a warning. A status that is a \
near miss of a lifecycle word gets a quick fix. A missing status is reported only for Nygard records, whose \
format requires one (MADR makes it optional); the fix adds `## Status` with `Proposed`.",
        why: "The status is what tells a reader — and an agent — whether to follow a decision. A status outside \
the lifecycle (`Acepted`, `WIP`, `done`) cannot be filtered, indexed or checked by `cites-inactive-adr`.",
        example: "# 4. Use gRPC\n\n## Status\n\nAcepted",
        fix: "# 4. Use gRPC\n\n## Status\n\nAccepted",
    },
};

impl Rule for AdrStatus {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let Some(record) = own_record(ctx) else {
            return Vec::new();
        };
        let Some(status) = &record.status else {
            if record.format != AdrFormat::Nygard {
                return Vec::new();
            }
            let nl = if doc.text.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            let at = doc
                .sections
                .iter()
                .find(|s| s.level >= 2)
                .map(|s| s.heading_span.start);
            let edit = match at {
                Some(at) => TextEdit {
                    span: Span::new(at, at),
                    new_text: format!("## Status{nl}{nl}Proposed{nl}{nl}"),
                },
                None => {
                    let end = doc.text.trim_end().len();
                    TextEdit {
                        span: Span::new(end, doc.text.len()),
                        new_text: format!("{nl}{nl}## Status{nl}{nl}Proposed{nl}"),
                    }
                }
            };
            let span = record.title_span.unwrap_or(Span::new(0, 0));
            return vec![
                Diagnostic::new(
                    META.id,
                    span,
                    "the record has no status (a `## Status` section)",
                )
                .with_question(
                    "Is this decision proposed, accepted, rejected, deprecated or superseded?",
                )
                .with_fix(Fix {
                    title: "Add a Status section (Proposed)".into(),
                    edits: vec![edit],
                }),
            ];
        };
        // An unfilled template value is `template-placeholder`'s concern.
        if status.value.contains('{') {
            return Vec::new();
        }
        let configured = ctx.config.adr_lifecycle();
        let lifecycle: Vec<String> = configured
            .clone()
            .unwrap_or_else(|| DEFAULT_LIFECYCLE.iter().map(|s| s.to_string()).collect());
        let word = status_word(&status.value);
        let known = lifecycle.iter().any(|l| {
            let l = status_word(l);
            word == l || word.starts_with(&format!("{l} "))
        });
        if known || word.is_empty() {
            return Vec::new();
        }
        let mut d = Diagnostic::new(
            META.id,
            status.span,
            format!(
                "status \"{}\" is not in the lifecycle ({})",
                status.value,
                lifecycle.join(", ")
            ),
        )
        .with_question(format!(
            "Which of {} is this decision?",
            lifecycle.join(", ")
        ));
        if let Some(near) = lifecycle
            .iter()
            .filter(|l| edit_distance(&word, l) <= 2)
            .min_by_key(|l| edit_distance(&word, l))
        {
            let written = doc.slice(status.span);
            let replacement = if written.starts_with(|c: char| c.is_uppercase()) {
                let mut c = near.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                near.clone()
            };
            d = d.with_fix(Fix {
                title: format!("Change the status to \"{replacement}\""),
                edits: vec![TextEdit {
                    span: status.span,
                    new_text: replacement,
                }],
            });
        }
        if configured.is_none() {
            d = d.demoted();
        }
        vec![d]
    }
}
