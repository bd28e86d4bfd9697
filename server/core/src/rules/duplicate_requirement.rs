//! `duplicate-requirement`: near-duplicate requirement statements within a document.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::config::RuleSetting;
use crate::diagnostic::{Diagnostic, Severity};
use crate::scope::UnitKind;
use crate::span::Span;
use crate::syntax::SpecDoc;
use std::collections::{HashMap, HashSet};

pub struct DuplicateRequirement;

static META: RuleMeta = RuleMeta {
    id: "duplicate-requirement",
    summary: "Two requirement statements say nearly the same thing.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Compares the requirement statements of a document by their word pairs (lower-cased, ids, \
keywords and filler words removed) and flags a statement whose Jaccard similarity with an earlier one \
reaches the threshold (0.8 by default; `[rules] duplicate-requirement = { threshold = 0.9 }`). Statements \
of fewer than five content words are not compared.",
        why: "Duplicates drift: one copy gets amended, the other does not, and an agent implements both. They also \
inflate coverage, since two ids point at one behaviour.",
        example: "- **FR-020**: The editor MUST save the draft to local storage every 5 seconds.\n- **FR-031**: The editor MUST save the draft into local storage every 5 seconds.",
        fix: "- **FR-020**: The editor MUST save the draft to local storage every 5 seconds.",
    },
};

const FILLER: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "to", "in", "into", "for", "on", "with", "by", "at",
    "from", "be", "is", "are", "must", "shall", "should", "will", "may", "not", "system", "that",
    "this", "it", "its", "as", "all", "any", "each",
];

struct Candidate {
    span: Span,
    /// Hashes of consecutive content-word pairs.
    pairs: HashSet<u64>,
    line: usize,
}

impl Rule for DuplicateRequirement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let threshold = match ctx.config.rule_setting(META.id) {
            Some(RuleSetting::Table(t)) => t.threshold.unwrap_or(0.8),
            _ => 0.8,
        };
        let mut candidates: Vec<Candidate> = Vec::new();
        // Statements and requirement items; scenarios repeat their WHEN/THEN steps by design.
        for unit in ctx
            .scope
            .units
            .iter()
            .filter(|u| u.kind != UnitKind::Scenario)
        {
            let words = content_words(doc, unit.span);
            if words.len() < 5 {
                continue;
            }
            let pairs = words.windows(2).map(|w| pair_hash(w[0], w[1])).collect();
            candidates.push(Candidate {
                span: unit.span,
                pairs,
                line: doc.line_of(unit.span.start) + 1,
            });
        }
        // Only statements that share a word pair are compared; very common pairs are skipped.
        let mut by_pair: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, c) in candidates.iter().enumerate() {
            for p in &c.pairs {
                by_pair.entry(*p).or_default().push(i);
            }
        }
        let mut out = Vec::new();
        let mut reported: HashSet<usize> = HashSet::new();
        for (i, c) in candidates.iter().enumerate() {
            let mut earlier: HashSet<usize> = HashSet::new();
            for p in &c.pairs {
                if let Some(list) = by_pair.get(p).filter(|l| l.len() <= 64) {
                    earlier.extend(list.iter().copied().filter(|&j| j < i));
                }
            }
            let mut earlier: Vec<usize> = earlier.into_iter().collect();
            earlier.sort_unstable();
            for j in earlier {
                let other = &candidates[j];
                let shared = c.pairs.intersection(&other.pairs).count();
                let union = c.pairs.len() + other.pairs.len() - shared;
                let similarity = shared as f64 / union.max(1) as f64;
                if similarity >= threshold && reported.insert(i) {
                    out.push(
                        Diagnostic::new(
                            META.id,
                            c.span,
                            format!("near-duplicate of the requirement on line {} ({:.0}% similar)", other.line, similarity * 100.0),
                        )
                        .with_question(format!("Is this the same requirement as line {}? If so, keep one; if not, what is the difference?", other.line)),
                    );
                    break;
                }
            }
        }
        out
    }
}

/// Words of the statement, code included (`name` and `name, tags` differ), ids left out.
fn content_words(doc: &SpecDoc, span: Span) -> Vec<u64> {
    let text = doc.slice(span);
    let ids: Vec<Span> = doc.ids_in(span).map(|o| o.span).collect();
    let mut out = Vec::new();
    let mut start = None;
    // Word boundaries over the source (code included: `name` and `name, tags` differ); ids are
    // skipped, filler words dropped, words compared by a case-insensitive hash.
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                let at = span.start + s;
                if ids.iter().any(|id| id.contains(at)) {
                    continue;
                }
                let word = &text[s..i];
                if FILLER.iter().any(|f| f.eq_ignore_ascii_case(word)) {
                    continue;
                }
                out.push(word_hash(word));
            }
            _ => {}
        }
    }
    out
}

fn word_hash(word: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for c in word.chars().flat_map(char::to_lowercase) {
        c.hash(&mut h);
    }
    h.finish()
}

fn pair_hash(a: u64, b: u64) -> u64 {
    a.rotate_left(17) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}
