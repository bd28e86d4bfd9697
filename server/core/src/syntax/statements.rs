//! Requirement statements: list items and sentences that carry a requirement id, a normative
//! keyword (RFC 2119 / RFC 8174) or an EARS clause.

use super::{BlockKind, Ears, IdRole, SpecDoc, ears};
use crate::span::Span;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeywordStrength {
    /// BCP 14 in capitals (`MUST`, `SHALL NOT`, `MAY`, …) or `shall` / `must` in any case.
    Normative,
    /// `should`, `may`, `will` in lowercase, `WILL`: normative only where context says so.
    Weak,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword {
    pub span: Span,
    /// Upper-cased, white space folded: `MUST NOT`.
    pub word: String,
    /// Written in capitals, as BCP 14 asks.
    pub uppercase: bool,
    pub strength: KeywordStrength,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub span: Span,
    pub block: usize,
    pub keywords: Vec<Keyword>,
    /// Indices into [`SpecDoc::ids`] of the ids inside the statement.
    pub ids: Vec<usize>,
    pub ears: Option<Ears>,
}

impl Statement {
    /// The id this statement defines, if it opens with one.
    pub fn defined_id<'d>(&self, doc: &'d SpecDoc) -> Option<&'d str> {
        self.ids
            .iter()
            .map(|&i| &doc.ids[i])
            .find(|o| o.role == IdRole::Definition)
            .map(|o| o.id.as_str())
    }
}

static KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(?:(?:must|shall|should|will)(?:\s+not)?|may|(?:not\s+)?recommended|required|optional)\b")
        .expect("static regex")
});

pub(super) fn find(doc: &SpecDoc) -> Vec<Statement> {
    let mut out = Vec::new();
    for (ui, unit) in doc.units.iter().enumerate() {
        let block = &doc.blocks[unit.block];
        let whole_unit = match block.kind {
            BlockKind::ListItem { .. } => true,
            BlockKind::Paragraph => block
                .parent
                .is_some_and(|p| matches!(doc.blocks[p].kind, BlockKind::ListItem { .. })),
            BlockKind::Heading { .. } | BlockKind::CodeBlock { .. } | BlockKind::HtmlBlock => {
                continue;
            }
            _ => false,
        };
        let spans: Vec<Span> = if whole_unit {
            vec![doc.trimmed(unit.span)]
        } else {
            // Sentences come in unit order: the unit's are one run, found by binary search
            // (a scan per unit is quadratic on large documents).
            let from = doc.sentences.partition_point(|s| s.unit < ui);
            doc.sentences[from..]
                .iter()
                .take_while(|s| s.unit == ui)
                .map(|s| s.span)
                .collect()
        };
        for span in spans {
            if let Some(statement) = statement(doc, span, unit.block) {
                out.push(statement);
            }
        }
    }
    out
}

fn statement(doc: &SpecDoc, span: Span, block: usize) -> Option<Statement> {
    let prose = doc.prose_slice(span);
    let keywords: Vec<Keyword> = KEYWORD
        .find_iter(prose)
        // `SHALL/MUST`, `MUST/SHOULD`: keywords named, not used.
        .filter(|m| !prose[..m.start()].ends_with('/') && !prose[m.end()..].starts_with('/'))
        .filter_map(|m| {
            keyword(
                m.as_str(),
                Span::new(span.start + m.start(), span.start + m.end()),
            )
        })
        .collect();
    let ids: Vec<usize> = doc
        .id_range(span)
        .filter(|&i| span.covers(doc.ids[i].span))
        .collect();
    let defines = ids.iter().any(|&i| doc.ids[i].role == IdRole::Definition);
    let normative = keywords
        .iter()
        .any(|k| k.strength == KeywordStrength::Normative);
    let ears = ears::parse(prose, span.start);
    (defines || normative || ears.is_some()).then_some(Statement {
        span,
        block,
        keywords,
        ids,
        ears,
    })
}

fn keyword(raw: &str, span: Span) -> Option<Keyword> {
    let word = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    let uppercase = raw.chars().all(|c| !c.is_lowercase());
    let head = word.split(' ').find(|w| *w != "NOT").unwrap_or("");
    let strength = match (head, uppercase) {
        ("WILL", _) => KeywordStrength::Weak,
        ("SHALL" | "MUST", _) => KeywordStrength::Normative,
        (_, true) => KeywordStrength::Normative,
        ("SHOULD" | "MAY", false) => KeywordStrength::Weak,
        // `required`, `recommended`, `optional` in lowercase are ordinary words.
        _ => return None,
    };
    // A capitalised first word (`May`, `Should`) is sentence case, not emphasis.
    let uppercase =
        uppercase && raw.len() > 1 && raw.chars().nth(1).is_some_and(char::is_uppercase);
    Some(Keyword {
        span,
        word,
        uppercase,
        strength,
    })
}
