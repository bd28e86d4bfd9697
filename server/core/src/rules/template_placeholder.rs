//! `template-placeholder`: template text left unfilled (`[FEATURE NAME]`, `[DATE]`,
//! `$ARGUMENTS`, `[###-feature-name]`, `[e.g., …]`).

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct TemplatePlaceholder;

static META: RuleMeta = RuleMeta {
    id: "template-placeholder",
    summary: "Template text was left unfilled (`[FEATURE NAME]`, `[DATE]`, `$ARGUMENTS`, `[###-feature-name]`).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags placeholders that spec templates (spec-kit, Kiro, OpenSpec, MADR, company templates) ask \
the author to replace: bracketed capitals such as `[FEATURE NAME]` or `[DATE]`, numbered-folder \
placeholders such as `[###-feature-name]`, `$ARGUMENTS`, and bracketed instructions that \
start like one (`[e.g., PostgreSQL]`, `[Describe …]`, `[Brief Title]`), and, in ADRs, \
MADR's curly-brace instructions of several words (`{title of option 1}`). Task labels (`[P]`, `[US1]`), \
citations (`[RFC2119]`) and links are not placeholders. `[DATE]` gets a quick fix that inserts \
today's date. Template files themselves (`spec-template.md`, `adr-template.md`) are skipped.",
        why: "A placeholder reads as content to an agent: it will implement `[FEATURE NAME]` literally or \
invent a value. It also means the template step was skipped, so the surrounding text may be \
template boilerplate rather than this feature's decisions.",
        example: "# Feature Specification: [FEATURE NAME]\n\n**Created**: [DATE]\n**Input**: User description: \"$ARGUMENTS\"",
        fix: "# Feature Specification: Offline drafts\n\n**Created**: 2026-03-14\n**Input**: User description: \"Let writers keep drafting without a network\"",
    },
};

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // [FEATURE NAME], [PROJECT_NAME]: several capital words, no digits (not [US1], [RFC2119]).
        r"\[[A-Z]+(?:[ _][A-Z]+)+\]",
        // Single capital words in brackets are labels ([TEST], [EDGE], [NEW]) except these.
        r"|\[(?:DATE|AUTHOR|OWNER|TITLE|NAME|VERSION|URL|LINK|EMAIL)\]",
        // [###-feature-name], [NNN-name]
        r"|\[(?:#{2,}|N{3,})[^\]\n]*\]",
        r"|\$ARGUMENTS\b",
        // Bracketed instructions: [e.g., …], [Describe …], [Brief Title].
        r"|\[(?:e\.g\.|i\.e\.|(?:Describe|Brief|Explain|Insert|Provide|Specify|Summari[sz]e|List|Add|Enter|Fill in|Replace|Link to|Name of|Your|specific|if applicable)\b)[^\]\n]*\]",
    ))
    .expect("static regex")
});

/// MADR's curly-brace instructions (`{title of option 1}`, `{Describe the context …}`), in
/// ADRs only: elsewhere braces are sets and variables (`{list, watch}`). Several words, so that
/// a `{task_id}` named in prose is not one.
static BRACED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{[A-Za-z][^{}\n]*\s[^{}\n]*\}").expect("static regex"));

/// Capital words in brackets that are real content, not placeholders.
const NOT_PLACEHOLDERS: &[&str] = &["[N/A]", "[NOT APPLICABLE]"];

impl Rule for TemplatePlaceholder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        // A template's placeholders are its purpose (`spec-template.md`, `adr-template.md`).
        let name = ctx.location.or(ctx.path).unwrap_or("");
        let name = name.rsplit(['/', '\\']).next().unwrap_or("");
        if name.to_ascii_lowercase().contains("template") {
            return Vec::new();
        }
        let braced = (ctx.kind == crate::kind::DocKind::Adr)
            .then(|| BRACED.find_iter(&doc.prose))
            .into_iter()
            .flatten();
        PLACEHOLDER
            .find_iter(&doc.prose)
            .chain(braced)
            .filter(|m| !NOT_PLACEHOLDERS.contains(&m.as_str()))
            .filter(|m| !m.as_str().starts_with("[NEEDS CLARIFICATION"))
            .filter(|m| !super::is_mention(&doc.prose, Span::new(m.start(), m.end())))
            .map(|m| {
                let text = m.as_str();
                let span = Span::new(m.start(), m.end());
                let mut d = Diagnostic::new(
                    META.id,
                    span,
                    format!("unfilled template placeholder `{text}`"),
                )
                .with_question(format!("What should replace `{text}` in this document?"));
                if text == "[DATE]"
                    && let Some(today) = ctx.today
                {
                    d = d.with_fix(Fix {
                        title: format!("Replace `[DATE]` with today's date ({today})"),
                        edits: vec![TextEdit {
                            span,
                            new_text: today.to_string(),
                        }],
                    });
                }
                d
            })
            .collect()
    }
}
