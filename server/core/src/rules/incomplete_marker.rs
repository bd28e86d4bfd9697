//! `incomplete-marker`: TBD, TBC, TODO, FIXME, `???` and `[NEEDS CLARIFICATION: …]`.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct IncompleteMarker;

static META: RuleMeta = RuleMeta {
    id: "incomplete-marker",
    summary: "A marker says this part of the document is unfinished (TBD, TODO, `[NEEDS CLARIFICATION: …]`).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags the markers authors leave where a decision or a fact is still missing: `TBD`, `TBC`, \
`TBA`, `TODO`, `FIXME`, `XXX` (in capitals), runs of question marks (`???`) and spec-kit's \
`[NEEDS CLARIFICATION: …]`. Code blocks, inline code and HTML comments are not searched, and text \
that talks about markers (\"No [NEEDS CLARIFICATION] markers remain\") is not a marker. For a \
`[NEEDS CLARIFICATION: …]` marker the clarification question is the marker's own text.",
        why: "An agent or an engineer who meets `TBD` has to guess, and guesses differently each time. A \
specification is ready to implement only when every open point is decided or explicitly scoped out.",
        example: "- **FR-004**: Sessions MUST expire after TBD minutes of inactivity.\n- **FR-005**: Users MUST \
authenticate via [NEEDS CLARIFICATION: SSO, email link or password?]",
        fix: "- **FR-004**: Sessions MUST expire after 30 minutes of inactivity.\n- **FR-005**: Users MUST \
authenticate via the company's OIDC single sign-on.",
    },
};

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:TBD|TBC|TBA|TODO|FIXME|XXX)\b|\?{3,}|(?i:\[\s*needs\s+clarification\s*(?::\s*([^\]\n]*))?\])")
        .expect("static regex")
});

/// A bare `[NEEDS CLARIFICATION]` followed by more words names something ("[NEEDS
/// CLARIFICATION] Blocker"); as an open point it stands alone, at the end of its clause.
fn labels_a_heading_or_cell(doc: &SpecDoc, span: Span) -> bool {
    let rest = &doc.prose[span.end..];
    let line_rest = rest.split('\n').next().unwrap_or("");
    line_rest
        .trim_start()
        .starts_with(|c: char| c.is_alphanumeric())
}

impl Rule for IncompleteMarker {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        // A superseded, deprecated or rejected record is history: its open points will never
        // be closed, and nobody follows it any more.
        if ctx.facts.adr.as_ref().is_some_and(|r| r.is_inactive()) {
            return Vec::new();
        }
        MARKER
            .captures_iter(&doc.prose)
            .filter_map(|caps| {
                let m = caps.get(0)?;
                let span = Span::new(m.start(), m.end());
                let text = m.as_str();
                // `FR-XXX`, `XXX-name`: a pattern's placeholder digits, not an open point.
                let hyphenated = text == "XXX"
                    && (doc.prose[..span.start].ends_with('-')
                        || doc.prose[span.end..].starts_with('-'));
                if hyphenated
                    || format_placeholder(&doc.prose, span)
                    || names_the_word(&doc.prose, span)
                    || quoted(&doc.prose, span)
                    || super::is_mention(&doc.prose, span)
                    || (text.starts_with('[')
                        && caps.get(1).is_none()
                        && labels_a_heading_or_cell(doc, span))
                {
                    return None;
                }
                let d = if text.starts_with('[') {
                    let detail = caps
                        .get(1)
                        .map(|d| d.as_str().trim())
                        .filter(|d| !d.is_empty());
                    Diagnostic::new(
                        META.id,
                        span,
                        match detail {
                            Some(d) => format!("needs clarification: {d}"),
                            None => "`[NEEDS CLARIFICATION]` marks an open question".to_string(),
                        },
                    )
                    .with_question(detail.map_or_else(
                        || "What is the open question here, and who answers it?".to_string(),
                        |d| d.to_string(),
                    ))
                } else if text.starts_with('?') {
                    Diagnostic::new(
                        META.id,
                        span,
                        format!("`{text}` marks an unknown the spec leaves open"),
                    )
                    .with_question("What is the missing fact or decision here?")
                } else {
                    Diagnostic::new(META.id, span, format!("`{text}` marks unfinished content"))
                        .with_question(format!("What should replace `{text}`, and who decides it?"))
                        .with_fix(Fix {
                            title: format!("Turn `{text}` into a clarification question"),
                            edits: vec![TextEdit {
                                span,
                                new_text: format!(
                                    "[NEEDS CLARIFICATION: what should replace {text}?]"
                                ),
                            }],
                        })
                };
                Some(d)
            })
            .collect()
    }
}

/// `XXX°`, `+XX XXX XXX`, `HDG: XXX`: letters standing for digits in a format, not an
/// open point. A format's X-run touches a symbol, a digit or another X-run.
fn format_placeholder(prose: &str, span: Span) -> bool {
    let text = &prose[span.start..span.end];
    if !text.starts_with("XX") {
        return false;
    }
    let after = prose[span.end..].chars().next();
    let before = &prose[..span.start];
    let prev_token = before
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    let next_token = prose[span.end..]
        .trim_start()
        .split(char::is_whitespace)
        .next()
        .unwrap_or("");
    after.is_some_and(|c| !c.is_whitespace() && !matches!(c, '.' | ',' | ';' | ')' | ':'))
        || prev_token.chars().any(|c| c == '+' || c.is_ascii_digit())
        || (!prev_token.is_empty() && prev_token.chars().all(|c| c == 'X'))
        || (!next_token.is_empty() && next_token.chars().all(|c| c == 'X'))
}

/// `TODO-annotated parameters`, `TODO comments`, `the TODO convention`, `TODO List CRUD`,
/// `completing existing TODO`: the word names the thing (a comment, a state, an app), it
/// does not leave this line unfinished.
fn names_the_word(prose: &str, span: Span) -> bool {
    let text = &prose[span.start..span.end];
    if text.starts_with(['[', '?']) {
        return false;
    }
    let rest = &prose[span.end..];
    if rest.starts_with('-') && rest[1..].starts_with(|c: char| c.is_alphabetic()) {
        return true;
    }
    let next = rest
        .trim_start_matches(' ')
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let prev = prose[..span.start]
        .trim_end_matches(' ')
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        next.as_str(),
        "annotation"
            | "annotations"
            | "annotated"
            | "comment"
            | "comments"
            | "convention"
            | "list"
            | "lists"
            | "items"
            | "item"
            | "state"
            | "states"
            | "status"
            | "marker"
            | "markers"
            | "tag"
            | "tags"
            | "app"
            | "entries"
            | "entry"
            | "format"
            | "keyword"
            | "keywords"
    ) || matches!(
        prev.as_str(),
        "existing"
            | "a"
            | "each"
            | "every"
            | "any"
            | "infer"
            // Writing or handling the marker in code: `mark TODO for …`, `manual TODO filling`.
            | "mark"
            | "marks"
            | "manual"
            | "add"
            | "adds"
            | "insert"
            | "inserts"
            | "leave"
            | "leaves"
            | "resolve"
            | "resolves"
    )
}

/// A marker inside quotation marks is quoted text (a UI label such as "???", what a rejected
/// design would show), not the author's own open point.
fn quoted(prose: &str, span: Span) -> bool {
    let line_start = prose[..span.start].rfind('\n').map_or(0, |i| i + 1);
    super::in_quotes(&prose[line_start..span.start])
}
