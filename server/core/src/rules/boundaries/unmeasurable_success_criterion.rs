//! `unmeasurable-success-criterion`: a success criterion or NFR with no number or threshold.

use super::super::{Context, Rule, RuleDoc, RuleMeta, has_number};
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::{BlockKind, IdKind, IdRole, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

pub struct UnmeasurableSuccessCriterion;

static META: RuleMeta = RuleMeta {
    id: "unmeasurable-success-criterion",
    summary: "A success criterion (SC-###) or non-functional requirement states no number, unit or observable threshold.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags `SC-###` success criteria and `NFR-###` requirements whose text has no number and no observable \
threshold (*zero*, *no*, *none*, *all*, *every*, *never*, *always*).",
        why: "A success criterion is the test of the whole feature. \"Users are satisfied with sharing\" cannot be \
measured, so it cannot fail, so it does not tell anyone when the work is done.",
        example: "- **SC-002**: Sharing feels fast and reliable.",
        fix: "- **SC-002**: 95% of shares reach every member within 5 seconds, with no lost shares in 10,000.",
    },
};

static OBSERVABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:zero|no|none|all|every|never|always|each|identical|equivalent|same|exactly|byte-for-byte|proportional(?:ly)?|pass(?:es)?|fail(?:s)?|successfully|correctly|functional|without\s+errors?)\b")
        .expect("static regex")
});

impl Rule for UnmeasurableSuccessCriterion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, _ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for o in doc.ids.iter().filter(|o| o.role == IdRole::Definition) {
            let is_nfr =
                o.kind == IdKind::Requirement && o.id.to_ascii_uppercase().starts_with("NFR");
            if o.kind != IdKind::SuccessCriterion && !is_nfr {
                continue;
            }
            let Some(block) = o.block else { continue };
            // A heading's criterion is its section; a table row restates a criterion (status
            // and traceability tables), it is not where it is defined.
            let span = match doc.blocks[block].kind {
                BlockKind::TableCell { .. } => continue,
                BlockKind::Heading { .. } => match doc.section_at(o.span.start) {
                    Some(s) => Span::new(
                        doc.sections[s].heading_span.start,
                        doc.sections[s].body_span.end,
                    ),
                    None => continue,
                },
                _ => doc.blocks[block].span,
            };
            let rest = Span::new(o.span.end, span.end);
            let text = doc.prose_slice(rest);
            if text.split_whitespace().count() < 2
                || has_number(doc, rest)
                || OBSERVABLE.is_match(text)
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    META.id,
                    o.span,
                    format!(
                        "`{}` states no number or threshold: how is it measured?",
                        o.id
                    ),
                )
                .with_question(format!(
                    "What number, unit or threshold decides whether '{}' is met?",
                    o.id
                )),
            );
        }
        out
    }
}
