//! `non-singular`: one statement carrying several requirements.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::{KeywordStrength, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

pub struct NonSingular;

static META: RuleMeta = RuleMeta {
    id: "non-singular",
    summary: "One statement carries several requirements (two binding keywords, or one keyword over a list of actions).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags requirement statements that hold more than one requirement (INCOSE R18, singularity): two or \
more binding keywords (\"MUST log … and MUST encrypt …\"), or one keyword governing a list of actions (\"shall \
log, encrypt and archive\"). An EARS statement with one SHALL and a compound trigger is singular.",
        why: "Each requirement needs its own id, its own test and its own task. A compound statement is half-done \
when one part ships, and its coverage cannot be traced.",
        example: "- **FR-016**: The service MUST log every request and MUST encrypt the log at rest.",
        fix: "- **FR-016**: The service MUST log every request.\n- **FR-017**: The service MUST encrypt the request log at rest.",
    },
};

static ACTION_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:must|shall)(?:\s+not)?\s+([a-z]+),\s+([a-z]+)(?:,\s+[a-z]+)*,?\s+and\s+([a-z]+)\b").expect("static regex")
});

impl Rule for NonSingular {
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
            // Verbs only (`ACTION REQUIRED:` is a label); when capitals are used, a lower-case
            // `must` is inside reported speech ("explain that X must be added").
            let verbs: Vec<_> = st
                .keywords
                .iter()
                .filter(|k| k.strength == KeywordStrength::Normative)
                .filter(|k| {
                    matches!(
                        k.word.split(' ').next().unwrap_or(""),
                        "MUST" | "SHALL" | "SHOULD" | "MAY"
                    )
                })
                .collect();
            let any_capital = verbs.iter().any(|k| k.uppercase);
            let binding: Vec<_> = verbs
                .into_iter()
                .filter(|k| k.uppercase || !any_capital)
                .collect();
            if binding.len() >= 2 {
                let second = binding[1];
                // A few keywords are listed as written; a run-on paragraph with thousands gets
                // its count and the first three.
                let mut words: Vec<&str> =
                    binding.iter().take(3).map(|k| k.word.as_str()).collect();
                if binding.len() > 3 {
                    words.push("…");
                }
                out.push(
                    Diagnostic::new(
                        META.id,
                        second.span,
                        format!("{} binding keywords ({}) in one statement: split it into one requirement each", binding.len(), words.join(", ")),
                    )
                    .with_question("Are these separate requirements that need their own ids and tests?"),
                );
                continue;
            }
            let text = doc.prose_slice(st.span);
            if let Some(caps) = ACTION_LIST.captures(text)
                && let Some(m) = caps.get(0)
            {
                let span = Span::new(st.span.start + m.start(), st.span.start + m.end());
                out.push(
                    Diagnostic::new(
                        META.id,
                        span,
                        format!(
                            "one keyword governs several actions (`{}`): one requirement each",
                            m.as_str()
                        ),
                    )
                    .with_question(
                        "Can each of these actions be met, tested and traced on its own?",
                    ),
                );
            }
        }
        out
    }
}
