//! Word and phrase lists compiled into one automaton each, matched on word boundaries.
//!
//! Built-in lists live in `data/*.txt` (one entry per line, `#` comments), compiled into the
//! binary; `specwright.toml` can add and remove entries per rule. A list is compiled once per
//! distinct configuration and shared.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

#[derive(Debug)]
pub struct Lexicon {
    automaton: Option<AhoCorasick>,
    entries: Vec<String>,
}

/// One match: byte range and the list entry (as written in the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'l> {
    pub start: usize,
    pub end: usize,
    pub entry: &'l str,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

impl Lexicon {
    pub fn new(entries: Vec<String>) -> Lexicon {
        let entries: Vec<String> = entries
            .into_iter()
            .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|e| !e.is_empty())
            .collect();
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&entries)
            .ok();
        Lexicon { automaton, entries }
    }

    /// Parses a data file: one entry per line, blank lines and `#` comments ignored.
    pub fn parse_list(data: &str) -> Vec<&str> {
        data.lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// Matches in `text[range]` that stand as whole words.
    pub fn find<'s>(
        &'s self,
        text: &'s str,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = Hit<'s>> + 's {
        let slice = text.get(from..to).unwrap_or("");
        let bytes = text.as_bytes();
        self.automaton
            .iter()
            .flat_map(move |ac| ac.find_iter(slice))
            .filter_map(move |m| {
                let (start, end) = (from + m.start(), from + m.end());
                let before_ok = start == 0 || !is_word_byte(bytes[start - 1]);
                let after_ok = end >= bytes.len() || !is_word_byte(bytes[end]);
                (before_ok && after_ok).then(|| Hit {
                    start,
                    end,
                    entry: self.entries[m.pattern().as_usize()].as_str(),
                })
            })
    }
}

static BUILTIN: LazyLock<Mutex<HashMap<&'static str, Arc<Lexicon>>>> =
    LazyLock::new(Default::default);

/// The compiled built-in list of `rule`, shared by every analysis.
pub fn builtin(rule: &'static str, data: &'static str) -> Arc<Lexicon> {
    let mut cache = match BUILTIN.lock() {
        Ok(c) => c,
        Err(poisoned) => poisoned.into_inner(),
    };
    cache
        .entry(rule)
        .or_insert_with(|| {
            Arc::new(Lexicon::new(
                Lexicon::parse_list(data)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            ))
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_words_case_insensitively_longest_first() {
        let lex = Lexicon::new(vec![
            "fast".into(),
            "as fast as possible".into(),
            "user-friendly".into(),
        ]);
        let text = "Fast, breakfast, fast-path, as fast as possible, user-friendly.";
        let hits: Vec<&str> = lex
            .find(text, 0, text.len())
            .map(|h| &text[h.start..h.end])
            .collect();
        assert_eq!(hits, ["Fast", "as fast as possible", "user-friendly"]);
    }
}
