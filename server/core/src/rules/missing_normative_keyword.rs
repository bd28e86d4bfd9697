//! `missing-normative-keyword`: a requirement item with no shall/must/will/should.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::scope::UnitKind;
use crate::span::Span;
use crate::syntax::{BlockKind, IdKind, IdRole, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

pub struct MissingNormativeKeyword;

static META: RuleMeta = RuleMeta {
    id: "missing-normative-keyword",
    summary: "An item in a requirements list states no obligation (no MUST, SHALL, SHOULD, WILL).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags requirement items — list items of a specification labelled with a requirement id (`FR-004`, \
`NFR-2`, `REQ-7`), or top-level items under a Requirements section — that contain no *shall*, *must*, *will* or *should* in any case. \
Success criteria, acceptance scenarios, EARS criteria, table cells and items that introduce a sub-list \
(ending in `:`) are not requirements of this shape and are left alone.",
        why: "\"FR-004: Password reset via email\" names a topic, not an obligation: is it required, desirable, or a \
note that it exists? An agent will guess, and a reviewer cannot tell a dropped requirement from an optional one.",
        example: "- **FR-004**: Password reset via email.",
        fix: "- **FR-004**: The system MUST let users reset their password through a single-use link sent by email.",
    },
};

static ANY_KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:must|shall|should|will|required|recommended|optional|may|mustn't|shan't|won't)\b").expect("static regex")
});

impl Rule for MissingNormativeKeyword {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for unit in &ctx.scope.units {
            // Checklist and task items (`- [ ] FR-008: Examples updated`) verify, they do not oblige.
            let checkbox = matches!(
                doc.blocks[unit.block].kind,
                BlockKind::ListItem {
                    checkbox: Some(_),
                    ..
                }
            ) || doc.blocks[unit.block].parent.is_some_and(|p| {
                matches!(
                    doc.blocks[p].kind,
                    BlockKind::ListItem {
                        checkbox: Some(_),
                        ..
                    }
                )
            });
            if unit.kind == UnitKind::Scenario
                || checkbox
                || matches!(doc.blocks[unit.block].kind, BlockKind::TableCell { .. })
            {
                continue;
            }
            let label = doc
                .ids_in(unit.span)
                .find(|o| o.role == IdRole::Definition)
                .filter(|o| o.kind == IdKind::Requirement && o.id.contains('-'));
            // Labels oblige in specifications; a changelog or a design note that cites
            // `TR-1: Clarified …` is talking about the requirement.
            let specification = matches!(ctx.kind, DocKind::Spec | DocKind::Requirements);
            let label = label.filter(|_| specification);
            let in_requirements = unit.in_requirement_section && !criteria_section(doc, unit.block);
            if label.is_none() && !in_requirements {
                continue;
            }
            let text = doc.prose_slice(unit.span).trim_end();
            if text.ends_with(':')
                || ANY_KEYWORD.is_match(text)
                || text.split_whitespace().count() < 3
            {
                continue;
            }
            let span = label.map_or(first_line(doc, unit.span), |o| o.span);
            let name =
                label.map_or_else(|| "this requirement".to_string(), |o| format!("`{}`", o.id));
            out.push(
                Diagnostic::new(
                    META.id,
                    span,
                    format!("{name} states no obligation: no MUST, SHALL, SHOULD or WILL"),
                )
                .with_question(format!(
                    "Is {name} mandatory (MUST), recommended (SHOULD) or optional (MAY)?"
                )),
            );
        }
        out
    }
}

/// Success criteria and acceptance sections hold outcomes and scenarios, not obligations.
fn criteria_section(doc: &SpecDoc, block: usize) -> bool {
    doc.blocks[block].section.is_some_and(|s| {
        doc.section_path_indices(s).into_iter().any(|i| {
            let t = doc.sections[i].title.to_lowercase();
            t.contains("success criteria")
                || t.contains("outcome")
                || t.contains("acceptance")
                || t.contains("scenario")
        })
    })
}

fn first_line(doc: &SpecDoc, span: Span) -> Span {
    let text = doc.slice(span);
    Span::new(
        span.start,
        span.start + text.find(['\n', '\r']).unwrap_or(text.len()),
    )
}
