//! `weak-modal`: may, might, could, can, would where a binding keyword is expected.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::scope::{NormativeUnit, UnitKind};
use crate::span::Span;
use crate::syntax::{IdKind, IdRole, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

pub struct WeakModal;

static META: RuleMeta = RuleMeta {
    id: "weak-modal",
    summary: "A requirement uses a non-binding modal (may, might, could, can, would) where a binding keyword is expected.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags lower-case *may*, *might*, *could*, *can* and *would* in requirement items and statements that \
carry no binding keyword (MUST, SHALL, SHOULD, `shall`, `must`, `should`, `will`). An upper-case BCP 14 `MAY` is a \
legitimate optional requirement and is never flagged; nor are modals in a sentence that already binds, in \
Given/When/Then scenarios (\"Then the user can see …\" describes an observation), in success criteria, in user \
stories, or in quotes.",
        why: "\"Users can export drafts\" reads as a requirement but binds no one: it may describe today's \
behaviour, a wish or an obligation. An agent will treat it as optional.",
        example: "- **FR-014**: Users can export a draft as PDF.",
        fix: "- **FR-014**: The editor MUST let users export a draft as PDF.",
    },
};

static MODAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:may|might|could|can|would)\b").expect("static regex"));

impl Rule for WeakModal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for unit in &ctx.scope.units {
            if unit.kind == UnitKind::Scenario
                || has_any_keyword(doc, unit)
                || is_success_criterion(doc, unit)
            {
                continue;
            }
            let text = doc.prose_slice(unit.span);
            // Only the first modal: one finding per requirement says enough.
            let Some(m) = MODAL
                .find_iter(text)
                .find(|m| !super::in_quotes(&text[..m.start()]))
            else {
                continue;
            };
            let span = Span::new(unit.span.start + m.start(), unit.span.start + m.end());
            let word = m.as_str();
            out.push(
                Diagnostic::new(META.id, span, format!("non-binding modal `{word}` in a requirement: is it mandatory?"))
                    .with_question(format!("'{word}' — is this mandatory (MUST), recommended (SHOULD) or truly optional (MAY)?")),
            );
        }
        out
    }
}

/// Any keyword that states an obligation, in any case (`should` and `will` included: weaker,
/// but a choice the author made).
fn has_any_keyword(doc: &SpecDoc, unit: &NormativeUnit) -> bool {
    static BINDING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i:\b(?:must|shall|should|will|required)\b)|\bMAY\b|\bOPTIONAL\b")
            .expect("static regex")
    });
    BINDING.is_match(doc.prose_slice(unit.span))
}

fn is_success_criterion(doc: &SpecDoc, unit: &NormativeUnit) -> bool {
    let labelled = doc
        .ids_in(unit.span)
        .any(|o| o.role == IdRole::Definition && o.kind == IdKind::SuccessCriterion);
    let titled = doc.blocks[unit.block].section.is_some_and(|s| {
        let t = doc.sections[s].title.to_lowercase();
        t.contains("success criteria") || t.contains("measurable outcomes")
    });
    labelled || titled
}
