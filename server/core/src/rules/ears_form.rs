//! `ears-form`: acceptance criteria that fit no EARS pattern, or fit one badly.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::{DocKind, Family};
use crate::span::Span;
use crate::syntax::{BlockKind, EarsPattern, IdRole, SpecDoc, ears};
use regex::Regex;
use std::sync::LazyLock;

pub struct EarsForm;

static META: RuleMeta = RuleMeta {
    id: "ears-form",
    summary: "An acceptance criterion in an EARS document fits no EARS pattern, or is malformed (WHEN without SHALL, IF without THEN).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "In EARS documents — Kiro and cc-sdd `requirements.md`, or any document whose front matter says \
`ears: true` — checks each numbered acceptance criterion against the EARS patterns (Mavin et al.): \
ubiquitous `THE <system> SHALL <response>`, event-driven `WHEN <trigger> [THEN] the <system> SHALL …`, \
state-driven `WHILE <state> …`, unwanted behaviour `IF <condition> THEN the <system> SHALL …`, optional \
feature `WHERE <feature> …`, and their combinations. Flags criteria with no SHALL, an IF without THEN, more \
than one WHEN, no system before SHALL, or no recognisable pattern at all.",
        why: "EARS gives every criterion a trigger, an actor and a response an agent can implement and a test can \
check. A criterion that drifts out of the template usually lost one of the three.",
        example: "1. WHEN the user clicks save the draft is stored\n2. IF the quota is exceeded the system SHALL reject the upload",
        fix: "1. WHEN the user clicks Save THEN the editor SHALL store the draft\n2. IF the quota is exceeded THEN the upload service SHALL reject the upload with HTTP 413",
    },
};

static LEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\W*(while|when|if|where)\b").expect("static regex"));
static WHEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bwhen\b").expect("static regex"));

fn is_ears_document(doc: &SpecDoc, ctx: &Context<'_>) -> bool {
    let opted_in = doc
        .front_matter
        .as_ref()
        .and_then(|f| f.values.get("ears"))
        .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
    opted_in
        || (ctx.kind == DocKind::Requirements && matches!(ctx.family, Family::Kiro | Family::CcSdd))
}

impl Rule for EarsForm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if !is_ears_document(doc, ctx) {
            return Vec::new();
        }
        let mut out = Vec::new();
        // Kiro's numbered acceptance criteria are the ids `N.M` this document defines.
        for id in doc
            .ids
            .iter()
            .filter(|o| o.role == IdRole::Definition && o.id.contains('.') && !o.id.contains('-'))
        {
            let Some(block) = id.block else { continue };
            if !matches!(doc.blocks[block].kind, BlockKind::ListItem { .. }) {
                continue;
            }
            // The item's own text: the item itself (tight list) or its first paragraph (loose).
            let Some(unit) = doc
                .units
                .iter()
                .find(|u| u.block == block || doc.blocks[u.block].parent == Some(block))
            else {
                continue;
            };
            let text = doc.prose_slice(unit.span);
            let lead = text.len() - text.trim_start().len();
            let span = Span::new(
                unit.span.start + lead,
                unit.span.start + text.trim_end().len(),
            );
            if let Some(problem) = problem(text) {
                out.push(
                    Diagnostic::new(META.id, span, format!("acceptance criterion {}: {problem}", id.id))
                        .with_question(format!("For criterion {}: what triggers it, which component responds, and with what response?", id.id)),
                );
            }
        }
        out
    }
}

fn problem(text: &str) -> Option<String> {
    let parsed = ears::parse(text, 0);
    let leading = LEADING
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_ascii_uppercase());
    let has_shall = text
        .to_ascii_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w == "shall" || w == "must");
    if !has_shall {
        return Some(match leading {
            Some(kw) => format!("{kw} clause has no SHALL response"),
            None => "fits no EARS pattern (no SHALL)".into(),
        });
    }
    if WHEN.find_iter(text).count() > 1 {
        return Some(
            "more than one WHEN trigger: split it or combine the triggers with AND".into(),
        );
    }
    match parsed {
        None => Some(match leading {
            Some(kw) => format!(
                "{kw} clause is not followed by a system and SHALL (\"{kw} …, the <system> SHALL …\")"
            ),
            None => {
                "fits no EARS pattern: start with WHEN, WHILE, IF, WHERE or \"THE <system> SHALL\""
                    .into()
            }
        }),
        Some(e) if e.pattern == EarsPattern::Unwanted && !e.has_then => {
            Some("IF clause without THEN (\"IF <condition> THEN the <system> SHALL …\")".into())
        }
        Some(e) if e.system.is_none() => Some("no system named before SHALL".into()),
        Some(_) => None,
    }
}
