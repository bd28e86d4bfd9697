//! Sentence segmentation of prose units.
//!
//! Written for specifications rather than taken from UAX #29, which splits after `e.g.` when
//! a capital follows and knows nothing of `etc.`: a boundary is `.`, `!` or `?` (plus closing
//! quotes or brackets) followed by white space and then a character that may start a sentence.
//! Abbreviations, initials, decimals (`3.5 s`), versions (`v1.2`) and URLs never end one.

use super::{Sentence, SpecDoc};
use crate::span::Span;

/// Abbreviations after which a full stop never ends a sentence (compared lowercase, without
/// the final dot).
const NEVER_ENDS: &[&str] = &[
    "e.g", "i.e", "cf", "vs", "viz", "approx", "incl", "resp", "al", "dr", "mr", "mrs", "ms", "st",
    "fig", "sec", "eq", "ref", "vol", "pp", "p", "min", "max", "avg", "est", "ca", "esp", "w.r.t",
    "a.k.a", "u.s", "e.t.a", "ch", "seq",
];

/// The sentences of unit `unit_index`, appended to `out`.
pub(super) fn of_unit(doc: &SpecDoc, unit_index: usize, out: &mut Vec<Sentence>) {
    let unit = doc.units[unit_index];
    for span in split(doc.prose_slice(unit.span)) {
        out.push(Sentence {
            span: span.offset(unit.span.start),
            unit: unit_index,
        });
    }
}

/// Sentence spans within `text`, trimmed of surrounding white space.
pub fn split(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len()
                && matches!(bytes[end], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']')
            {
                end += 1;
            }
            if is_boundary(text, i, end) {
                push_trimmed(text, start, end, &mut out);
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if !trimmed.is_empty() {
        out.push(Span::new(start + lead, start + lead + trimmed.len()));
    }
}

/// `dot` is the index of the terminator, `after` the index past it and its closers.
fn is_boundary(text: &str, dot: usize, after: usize) -> bool {
    let rest = &text[after..];
    // Must be followed by white space (or the end): `v1.2`, `3.5`, `a.md`, URLs never split.
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return false;
    }
    let next = rest.trim_start().chars().next();
    let Some(next) = next else {
        return true;
    };
    // A lowercase continuation means the stop was not the end (`etc. and more`).
    if next.is_lowercase() {
        return false;
    }
    if text.as_bytes()[dot] != b'.' {
        return true;
    }
    let word = preceding_word(&text[..dot]);
    let lower = word.to_lowercase();
    if NEVER_ENDS.contains(&lower.as_str()) {
        return false;
    }
    // `No. 5`, `Nr. 3`: a number follows; `said no.` ends a sentence.
    if matches!(lower.as_str(), "no" | "nr") && next.is_ascii_digit() {
        return false;
    }
    // A single capital letter is an initial (`J. Smith`), a single digit a list number.
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && (c.is_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    true
}

fn preceding_word(before: &str) -> &str {
    // The separator may be multi-byte white space (U+2028, U+3000): skip the whole character.
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || *c == '(' || *c == '[' || *c == '"')
        .map_or(0, |(i, c)| i + c.len_utf8());
    &before[start..]
}

#[cfg(test)]
mod tests {
    use super::split;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            sentences("The system MUST log. Users SHOULD see it! Why? Done."),
            [
                "The system MUST log.",
                "Users SHOULD see it!",
                "Why?",
                "Done."
            ]
        );
    }

    #[test]
    fn keeps_abbreviations_numbers_versions_and_urls_inside() {
        assert_eq!(
            sentences(
                "Use a store, e.g. Redis, i.e. a cache, etc. and more. Upgrade to v1.2 within 3.5 s. See https://example.com/a.b?c=d. Next."
            ),
            [
                "Use a store, e.g. Redis, i.e. a cache, etc. and more.",
                "Upgrade to v1.2 within 3.5 s.",
                "See https://example.com/a.b?c=d.",
                "Next."
            ]
        );
    }

    #[test]
    fn etc_before_a_capital_ends_a_sentence_but_eg_does_not() {
        assert_eq!(
            sentences("Logs, metrics, etc. The rest. Stores, e.g. Postgres, work."),
            [
                "Logs, metrics, etc.",
                "The rest.",
                "Stores, e.g. Postgres, work."
            ]
        );
    }

    #[test]
    fn initials_and_closing_quotes() {
        assert_eq!(
            sentences("Ask J. Smith. He said \"no.\" Then left."),
            ["Ask J. Smith.", "He said \"no.\"", "Then left."]
        );
    }
}
