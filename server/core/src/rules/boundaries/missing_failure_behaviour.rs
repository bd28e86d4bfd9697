//! `missing-failure-behaviour`: requirements that touch the outside world but never say what
//! happens when it fails.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct MissingFailureBehaviour;

static META: RuleMeta = RuleMeta {
    id: "missing-failure-behaviour",
    summary: "Requirements involve networks, files, input or concurrency, but nothing in the folder says what happens on failure.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags a specification whose requirements mention external calls, I/O, user input or concurrency \
(API, network, request, upload, file, database, external service, input, concurrent, …) when neither it nor \
any document of its folder addresses failure: no Edge Cases / Error Handling section and no requirement about \
errors, invalid input, timeouts, retries or unavailability. Reported once, on the Requirements heading.",
        why: "The happy path is what everyone writes; the failure path is what agents improvise. An unspecified \
timeout becomes an infinite hang, an unspecified invalid input a crash.",
        example: "## Requirements\n\n- **FR-001**: The client MUST upload the draft to the server when the user clicks Save.",
        fix: "## Edge Cases\n\n- The upload fails or times out after 10 s: the draft stays local and the editor offers a retry.",
    },
};

static IO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:api|apis|network|request|requests|upload|uploads|download|downloads|file|files|database|external|third-party|remote|http|https|webhook|input|inputs|concurrent|concurrently|parallel|queue|server|servers|sync|synchroni[sz]e)\b")
        .expect("static regex")
});

impl Rule for MissingFailureBehaviour {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if !matches!(ctx.kind, DocKind::Spec | DocKind::Requirements) {
            return Vec::new();
        }
        let touches_io = ctx
            .scope
            .units
            .iter()
            .any(|u| IO.is_match(doc.prose_slice(u.span)));
        if !touches_io {
            return Vec::new();
        }
        if ctx.facts.failure_handling || ctx.siblings().iter().any(|(_, f)| f.failure_handling) {
            return Vec::new();
        }
        let at = doc
            .sections
            .iter()
            .find(|s| s.title.to_ascii_lowercase().contains("requirement"))
            .or(doc.sections.first())
            .map_or(Span::new(0, 0), |s| s.title_span);
        vec![
            Diagnostic::new(META.id, at, "the requirements involve I/O or external systems but never say what happens on failure")
                .with_question("What must happen when a call fails, times out, or receives invalid input?"),
        ]
    }
}
