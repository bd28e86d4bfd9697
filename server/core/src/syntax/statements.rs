//! Requirement statements: list items and sentences that carry a requirement id, a normative
//! keyword (RFC 2119 / RFC 8174) or an EARS clause.

use super::{BlockKind, Ears, IdRole, Sentence, SpecDoc, ears};
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

/// Every keyword match in the prose of `range`, searched once: searching each sentence on its
/// own pays the regex's per-search set-up a hundred thousand times in a large document.
pub(super) fn keyword_matches(doc: &SpecDoc, range: Span) -> Vec<Span> {
    KEYWORD
        .find_iter(doc.prose_slice(range))
        .map(|m| Span::new(range.start + m.start(), range.start + m.end()))
        .collect()
}

/// The statements of unit `ui`, whose sentences are `sentences`, appended to `out`;
/// `keywords` are [`keyword_matches`] over a range that holds the unit.
pub(super) fn of_unit(
    doc: &SpecDoc,
    ui: usize,
    sentences: &[Sentence],
    keywords: &[Span],
    out: &mut Vec<Statement>,
) {
    let unit = &doc.units[ui];
    let block = &doc.blocks[unit.block];
    let whole_unit = match block.kind {
        BlockKind::ListItem { .. } => true,
        BlockKind::Paragraph => block
            .parent
            .is_some_and(|p| matches!(doc.blocks[p].kind, BlockKind::ListItem { .. })),
        BlockKind::Heading { .. } | BlockKind::CodeBlock { .. } | BlockKind::HtmlBlock => {
            return;
        }
        _ => false,
    };
    if whole_unit {
        out.extend(statement(doc, doc.trimmed(unit.span), unit.block, keywords));
    } else {
        for s in sentences {
            out.extend(statement(doc, s.span, unit.block, keywords));
        }
    }
}

/// The keyword matches inside `span`, as a search of the span alone finds them: taken from
/// the whole-prose search `all`, unless a match there crosses the span's edges or a word
/// runs across them (then `\b` and leftmost matching could differ, and the span is searched).
fn matches_in(doc: &SpecDoc, span: Span, all: &[Span]) -> Vec<Span> {
    let bytes = doc.prose.as_bytes();
    let word = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    let from = all.partition_point(|m| m.end <= span.start);
    let near = all[from..].iter().take_while(|m| m.start < span.end);
    let edges_differ = (span.start > 0 && word(span.start - 1)) || word(span.end);
    if edges_differ || near.clone().any(|m| !span.covers(*m)) {
        KEYWORD
            .find_iter(doc.prose_slice(span))
            .map(|m| Span::new(span.start + m.start(), span.start + m.end()))
            .collect()
    } else {
        near.copied().collect()
    }
}

fn statement(doc: &SpecDoc, span: Span, block: usize, all: &[Span]) -> Option<Statement> {
    let prose = doc.prose_slice(span);
    let bytes = doc.prose.as_bytes();
    let keywords: Vec<Keyword> = matches_in(doc, span, all)
        .into_iter()
        // `SHALL/MUST`, `MUST/SHOULD`: keywords named, not used.
        .filter(|m| {
            let slash_before = m.start > span.start && bytes[m.start - 1] == b'/';
            let slash_after = m.end < span.end && bytes[m.end] == b'/';
            !(slash_before || slash_after)
        })
        .filter(|m| !attributive(&doc.prose, *m))
        .filter_map(|m| keyword(doc.prose_slice(m), m))
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

/// `REQUIRED attributes`, `the OPTIONAL fields`, `REQUIRED and OPTIONAL attributes`: the
/// adjective before a noun names a kind of thing (defined elsewhere), it obliges no one here.
fn attributive(prose: &str, m: Span) -> bool {
    const ADJECTIVES: &[&str] = &["REQUIRED", "OPTIONAL", "RECOMMENDED"];
    // Words after which a predicative keyword goes on: `REQUIRED to`, `OPTIONAL unless …`.
    const CLAUSE: &[&str] = &[
        "to",
        "that",
        "for",
        "by",
        "if",
        "when",
        "whether",
        "unless",
        "in",
        "on",
        "at",
        "as",
        "but",
        "because",
        "since",
        "except",
        "only",
        "per",
        "with",
        "where",
        "while",
        "until",
        "then",
        "so",
        "here",
        "also",
        "not",
        "otherwise",
        "even",
        "from",
        "of",
        "under",
    ];
    if !ADJECTIVES.contains(&&prose[m.range()]) {
        return false;
    }
    // Hard-wrapped lines and emphasis marks do not separate an adjective from its noun.
    let mut words = prose[m.end..]
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '*' | '_' | ',' | ';' | ':' | ')')))
        .filter(|w| !w.is_empty())
        .take(4);
    let mut next = words.next();
    // `REQUIRED and OPTIONAL attributes`: both adjectives of one noun.
    if matches!(next, Some("and" | "or")) && words.next().is_some_and(|w| ADJECTIVES.contains(&w)) {
        next = words.next();
    }
    next.is_some_and(|w| {
        w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && w.len() > 1 && !CLAUSE.contains(&w)
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

#[cfg(test)]
mod tests {
    use super::attributive;
    use crate::span::Span;

    fn at(text: &str, word: &str) -> bool {
        let i = text.find(word).expect("word in text");
        attributive(text, Span::new(i, i + word.len()))
    }

    #[test]
    fn an_adjective_before_a_noun_obliges_no_one() {
        assert!(at("map known REQUIRED and OPTIONAL attributes", "REQUIRED"));
        assert!(at("map known REQUIRED and OPTIONAL attributes", "OPTIONAL"));
        assert!(at("the **OPTIONAL** fields of an event", "OPTIONAL"));
        assert!(!at("This attribute is REQUIRED.", "REQUIRED"));
        assert!(!at("A key is REQUIRED to sign", "REQUIRED"));
        assert!(!at("It is OPTIONAL for producers", "OPTIONAL"));
        assert!(!at("MUST be set", "MUST"));
        assert!(at(
            "map known REQUIRED and\nOPTIONAL attributes",
            "REQUIRED"
        ));
    }
}
