//! Content words: what two pieces of prose are about, for telling whether a task speaks of a
//! requirement it does not cite. Lower-cased, a few inflections folded, the words every
//! requirement and task uses dropped; runs of Chinese or Japanese characters as overlapping
//! pairs, since they are written without spaces.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

/// Words that say nothing of what a requirement or task is about: EARS and RFC 2119 keywords,
/// function words, and the verbs of every task and criterion.
const STOP: &[&str] = &[
    "about",
    "able",
    "after",
    "all",
    "allow",
    "also",
    "and",
    "any",
    "are",
    "being",
    "been",
    "before",
    "both",
    "but",
    "can",
    "cannot",
    "could",
    "does",
    "display",
    "during",
    "each",
    "either",
    "ensure",
    "for",
    "from",
    "had",
    "has",
    "have",
    "if",
    "implement",
    "into",
    "its",
    "may",
    "might",
    "must",
    "not",
    "only",
    "other",
    "per",
    "provide",
    "requirement",
    "shall",
    "should",
    "such",
    "support",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "use",
    "using",
    "via",
    "was",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "will",
    "with",
    "within",
    "without",
    "would",
    "system",
    "user",
    "task",
    "add",
    "create",
    "update",
    "new",
    "make",
    "requirements",
    "validates",
];

/// [`STOP`] folded as every word is, so that `displays` is dropped with `display`.
static STOPPED: LazyLock<HashSet<String>> =
    LazyLock::new(|| STOP.iter().map(|w| stem(w)).collect());

/// The content words of `text`, each once, in a fixed order.
pub fn content_words(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut cjk: Vec<char> = Vec::new();
    let flush = |cjk: &mut Vec<char>, out: &mut BTreeSet<String>| {
        for pair in cjk.windows(2) {
            out.insert(pair.iter().collect());
        }
        cjk.clear();
    };
    let tokens: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in tokens.iter().enumerate() {
        let mut latin = String::new();
        for c in word.chars() {
            if is_cjk(c) {
                cjk.push(c);
            } else {
                flush(&mut cjk, &mut out);
                latin.push(c);
            }
        }
        flush(&mut cjk, &mut out);
        // `fall back` and `fallback`, `log in` and `login`: one word either way.
        if let Some(next) = tokens.get(i + 1)
            && PARTICLES.contains(&next.to_lowercase().as_str())
        {
            insert(&mut out, &format!("{latin}{next}").to_lowercase());
        }
        // `add_repository_topics`, `WordFamily`: a name says what it is about in its parts.
        let parts = identifier_parts(&latin);
        if parts.len() > 1 {
            for part in &parts {
                insert(&mut out, &part.to_lowercase());
            }
        }
        insert(&mut out, &latin.to_lowercase());
    }
    out
}

/// The particles of English phrasal verbs that are also written closed up (`set up`, `setup`).
const PARTICLES: &[&str] = &["back", "up", "in", "out", "down", "off", "over"];

fn insert(out: &mut BTreeSet<String>, latin: &str) {
    if latin.chars().count() < 3 || !latin.starts_with(|c: char| c.is_alphabetic()) {
        return;
    }
    let stem = stem(latin);
    if !STOP.contains(&latin) && !STOPPED.contains(&stem) {
        out.insert(stem);
    }
}

/// `add_repository_topics` → add, repository, topics; `FieldJournalTab` → Field, Journal, Tab.
fn identifier_parts(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for piece in word.split('_').filter(|p| !p.is_empty()) {
        let mut start = 0;
        let chars: Vec<(usize, char)> = piece.char_indices().collect();
        for w in chars.windows(2) {
            let ((_, a), (j, b)) = (w[0], w[1]);
            if a.is_lowercase() && b.is_uppercase() {
                parts.push(&piece[start..j]);
                start = j;
            }
        }
        parts.push(&piece[start..]);
    }
    parts
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}')
}

/// `exports`, `exported`, `exporting` → `export`; `message`, `messages` → `messag`; `family`,
/// `families` → `famili`: enough folding for two texts of one project to meet, never a
/// dictionary (both sides are folded alike, so a stem need not be a word).
fn stem(word: &str) -> String {
    let long = |root: &str| root.chars().count() >= 4;
    let mut w = word.to_string();
    if let Some(root) = word.strip_suffix("ies")
        && root.chars().count() >= 3
    {
        w = format!("{root}i");
    } else if ["sses", "xes", "ches", "shes"]
        .iter()
        .any(|s| word.ends_with(s))
    {
        w.truncate(word.len() - 2);
    } else if !word.ends_with("ss") {
        for suffix in ["ing", "ed", "s"] {
            if let Some(root) = word.strip_suffix(suffix)
                && long(root)
            {
                w = root.to_string();
                break;
            }
        }
    }
    if let Some(root) = w.strip_suffix('e')
        && long(root)
    {
        w = root.to_string();
    } else if let Some(root) = w.strip_suffix('y')
        && long(root)
    {
        w = format!("{root}i");
    }
    w
}

/// How much of `of` (weighted by how rare each word is among `corpus`) `by` also says: 0 when
/// nothing, 1 when all of it.
pub fn coverage(of: &BTreeSet<String>, by: &BTreeSet<String>, rarity: &Rarity) -> f64 {
    let total: f64 = of.iter().map(|w| rarity.weight(w)).sum();
    if total <= 0.0 {
        return 0.0;
    }
    of.intersection(by).map(|w| rarity.weight(w)).sum::<f64>() / total
}

/// How many of a set of texts use each word: a word every requirement of a document uses
/// ("profile" in a profile spec) tells little about which one a task is about.
#[derive(Debug, Default)]
pub struct Rarity {
    texts: usize,
    uses: HashMap<String, usize>,
}

impl Rarity {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a BTreeSet<String>>) -> Rarity {
        let mut r = Rarity::default();
        for t in texts {
            r.texts += 1;
            for w in t {
                *r.uses.entry(w.clone()).or_default() += 1;
            }
        }
        r
    }

    fn weight(&self, word: &str) -> f64 {
        let uses = self.uses.get(word).copied().unwrap_or(0) as f64;
        ((self.texts as f64 + 1.0) / (uses + 0.5)).ln().max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_inflections_and_drops_what_every_requirement_says() {
        let w =
            content_words("WHEN a user exports drafts THEN the system SHALL show exported files");
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        assert_eq!(w, vec!["draft", "export", "file", "show"]);
    }

    #[test]
    fn names_compounds_and_plurals_meet_their_prose() {
        let task =
            content_words("Call `add_repository_topics`; build the FieldJournalTab fallback");
        let req = content_words(
            "THEN it SHALL add topics to the repository, fall back to the field journal",
        );
        for w in ["repositori", "topic", "journal", "fallback"] {
            assert!(
                task.contains(w) && req.contains(w),
                "{w}: {task:?} / {req:?}"
            );
        }
        assert_eq!(
            content_words("families messages"),
            content_words("family message")
        );
        assert!(content_words("it displays classes").contains("class"));
        assert!(!content_words("it displays classes").contains("displai"));
    }

    #[test]
    fn japanese_is_read_as_character_pairs() {
        let w = content_words("目次の日本語化 (TOC)");
        assert!(w.contains("日本") && w.contains("目次") && w.contains("toc"));
    }

    #[test]
    fn a_rare_shared_word_weighs_more_than_a_common_one() {
        let texts: Vec<BTreeSet<String>> =
            ["profile export csv", "profile import", "profile delete"]
                .iter()
                .map(|t| content_words(t))
                .collect();
        let rarity = Rarity::new(&texts);
        let task = content_words("write the csv export");
        let common = content_words("profile page");
        assert!(coverage(&texts[0], &task, &rarity) > 0.8);
        assert!(coverage(&texts[0], &common, &rarity) < 0.2);
    }
}
