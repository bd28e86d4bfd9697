//! The spec vocabulary to highlight: BCP 14 keywords, EARS keywords, requirement and task ids
//! (definitions and references), `[NEEDS CLARIFICATION: …]` markers and an ADR's status. The
//! server sends these as semantic tokens; the TextMate grammar in `grammars/` scopes the same
//! words for editors without them.

use crate::adr::AdrRecord;
use crate::span::Span;
use crate::syntax::{IdRole, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenKind {
    /// `When`, `While`, `If`, `Where` and `shall` of an EARS requirement (it wins over
    /// `Normative` for the same `SHALL`).
    Ears,
    /// `MUST`, `SHALL NOT`, `MAY` in capitals.
    Normative,
    IdDefinition,
    IdReference,
    /// `[NEEDS CLARIFICATION: …]`.
    Clarification,
    AdrStatus,
}

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[NEEDS CLARIFICATION[^\]]{0,500}\]").expect("static regex"));

/// The tokens of `doc`, sorted, none overlapping (the first of two overlapping ones wins).
pub fn tokens(doc: &SpecDoc, adr: Option<&AdrRecord>) -> Vec<(Span, TokenKind)> {
    let mut out: Vec<(Span, TokenKind)> = Vec::new();
    for st in &doc.statements {
        if let Some(e) = &st.ears {
            if let Some(k) = e.keyword {
                out.push((k, TokenKind::Ears));
            }
            out.push((e.shall, TokenKind::Ears));
        }
        for k in &st.keywords {
            if k.uppercase {
                out.push((k.span, TokenKind::Normative));
            }
        }
    }
    for o in &doc.ids {
        let kind = match o.role {
            IdRole::Definition => TokenKind::IdDefinition,
            IdRole::Reference => TokenKind::IdReference,
        };
        out.push((o.span, kind));
    }
    for m in MARKER.find_iter(&doc.text) {
        // A marker in code or a comment is an example, not an open question.
        let word = Span::new(m.start() + 1, (m.start() + 6).min(m.end()));
        if doc.is_prose(word) {
            out.push((Span::new(m.start(), m.end()), TokenKind::Clarification));
        }
    }
    if let Some(status) = adr.and_then(|r| r.status.as_ref()) {
        out.push((status.span, TokenKind::AdrStatus));
    }
    out.sort_by_key(|(s, k)| (s.start, std::cmp::Reverse(s.end), *k));
    let mut kept: Vec<(Span, TokenKind)> = Vec::with_capacity(out.len());
    for (s, k) in out {
        if s.start >= s.end {
            continue;
        }
        match kept.last() {
            Some((last, _)) if s.start < last.end => continue,
            _ => kept.push((s, k)),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ParseOptions;

    #[test]
    fn finds_the_vocabulary() {
        let text = "- **FR-001**: WHEN a writer saves, THE editor SHALL store it. See FR-002 [NEEDS CLARIFICATION: which?]\n\n`MUST` in code\n";
        let doc = SpecDoc::parse(text, ParseOptions::default());
        let found: Vec<(&str, TokenKind)> = tokens(&doc, None)
            .into_iter()
            .map(|(s, k)| (&text[s.range()], k))
            .collect();
        assert_eq!(
            found,
            [
                ("FR-001", TokenKind::IdDefinition),
                ("WHEN", TokenKind::Ears),
                ("SHALL", TokenKind::Ears),
                ("FR-002", TokenKind::IdReference),
                ("[NEEDS CLARIFICATION: which?]", TokenKind::Clarification),
            ]
        );
    }
}
