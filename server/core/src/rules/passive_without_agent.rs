//! `passive-without-agent`: passive requirements that hide who acts.

use super::{Context, Rule, RuleDoc, RuleMeta, clause_around};
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct PassiveWithoutAgent;

static META: RuleMeta = RuleMeta {
    id: "passive-without-agent",
    summary: "A passive requirement hides who acts (\"The data shall be validated.\" — by whom?).",
    severity: Severity::Info,
    doc: RuleDoc {
        what: "Flags requirement statements in the passive voice — a binding keyword, *be* and a past participle \
(\"MUST be validated\", \"shall be sent\") — with no \"by …\" agent in the clause, when the subject is not the \
system itself (INCOSE R2, active voice). States rather than actions (\"MUST be enabled by default\", \"be \
based on\", \"be limited to\") are not flagged. Information by default: the actor is often obvious to the \
author and not to the reader.",
        why: "\"Uploaded files shall be scanned\" does not say whether the browser, the API, a queue worker or an \
external service scans them, which is exactly what an agent implementing one component needs to know.",
        example: "- **FR-018**: Uploaded files MUST be scanned for malware.",
        fix: "- **FR-018**: The upload service MUST scan each uploaded file for malware before storing it.",
    },
};

static PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:must|shall|should|will)(?:\s+not)?\s+(?:also\s+|only\s+|always\s+|never\s+)?be\s+([a-z]+)\b").expect("static regex")
});
static SYSTEM_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:[A-Z]+-?\d+\W*)?(?:the\s+)?(?:system|service|server|application|app|platform|tool|cli|api|product|software)\b").expect("static regex")
});

/// Irregular past participles that take an agent.
const IRREGULAR: &[&str] = &[
    "sent",
    "built",
    "kept",
    "made",
    "set",
    "put",
    "shown",
    "done",
    "written",
    "run",
    "held",
    "told",
    "sold",
    "paid",
    "read",
    "given",
    "taken",
    "chosen",
    "drawn",
    "sought",
    "brought",
    "bought",
    "caught",
    "taught",
    "thrown",
    "known",
    "hidden",
    "frozen",
    "spent",
    "split",
    "shut",
    "cut",
    "struck",
    "undone",
    "rewritten",
    "overridden",
    "withdrawn",
];

/// Participles that describe a state, not an action someone performs.
const STATIVE: &[&str] = &[
    "based",
    "limited",
    "located",
    "required",
    "allowed",
    "permitted",
    "prohibited",
    "forbidden",
    "supported",
    "expected",
    "enabled",
    "disabled",
    "needed",
    "used",
    "designed",
    "intended",
    "considered",
    "deemed",
    "aligned",
    "compatible",
    "related",
    "associated",
    "connected",
    "exposed",
    "available",
    "accessible",
    "able",
    "unable",
    "responsible",
    "composed",
    "comprised",
    "contained",
    "included",
    "excluded",
    "scoped",
    "bounded",
    "known",
    "given",
    "hidden",
    "configured",
    "optimized",
    "optimised",
    "authenticated",
    "authorized",
    "authorised",
    "idempotent",
    "backed",
    "versioned",
    "localized",
    "localised",
    "documented",
    "named",
    "ordered",
    "sorted",
    "rendered",
    "displayed",
    "visible",
    "encoded",
    "formatted",
    "structured",
    "organized",
    "organised",
];

impl Rule for PassiveWithoutAgent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for unit in &ctx.scope.units {
            let Some(si) = unit.statement else { continue };
            let st = &doc.statements[si];
            let text = doc.prose_slice(st.span);
            if SYSTEM_SUBJECT.is_match(text) {
                continue;
            }
            for caps in PASSIVE.captures_iter(text) {
                let (Some(all), Some(p)) = (caps.get(0), caps.get(1)) else {
                    continue;
                };
                // With capitals in use, a lower-case keyword is reported speech ("explain that X
                // must be added"); `will` is a prediction, not an obligation.
                let keyword = all.as_str().split_whitespace().next().unwrap_or("");
                let capitals = st.keywords.iter().any(|k| k.uppercase);
                if keyword.eq_ignore_ascii_case("will")
                    || (capitals && keyword.chars().any(char::is_lowercase))
                {
                    continue;
                }
                let participle = p.as_str().to_ascii_lowercase();
                let is_participle = (participle.ends_with("ed") && participle.len() > 4)
                    || IRREGULAR.contains(&participle.as_str());
                if !is_participle || STATIVE.contains(&participle.as_str()) {
                    continue;
                }
                let span = Span::new(st.span.start + all.start(), st.span.start + all.end());
                let clause = clause_around(doc, unit.span, span.end);
                let rest = doc
                    .prose_slice(Span::new(span.end, clause.end.max(span.end)))
                    .to_ascii_lowercase();
                if rest.contains(" by ") || rest.starts_with("by ") {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        META.id,
                        span,
                        format!("passive `{}` hides who acts", all.as_str()),
                    )
                    .with_question(format!(
                        "'{}' — which component or role does this?",
                        all.as_str()
                    )),
                );
                break;
            }
        }
        out
    }
}
