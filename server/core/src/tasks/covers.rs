//! What a task claims to cover: the entries of its cover lists (`_Requirements: 1.1, 1.2-1.4,
//! 2, All_`, `**Validates: Requirements 1.2**`, `(FR-003, SC-002)`), read into [`Covers`] and
//! matched against requirement keys.

use crate::syntax::normalize;
use regex::Regex;
use std::sync::LazyLock;

/// What a task covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Covers {
    /// One id, normalised (`FR1`, `1.2`, `US1`).
    Id(String),
    /// Kiro `_Requirements: 2_`: every criterion of requirement 2.
    Requirement(String),
    /// Kiro `_Requirements: 1.1-1.7_`: criteria 1.1 to 1.7.
    Range {
        requirement: String,
        from: u32,
        to: u32,
    },
    /// Kiro `_Requirements: All_` (`すべて`, `全て`): every criterion. Judged on real folders, such
    /// tasks are mostly honest cross-cutting work (tests, docs, set-up), so the claim is taken.
    All,
}

impl Covers {
    /// Whether this covers the (normalised) id `key`.
    pub fn covers(&self, key: &str) -> bool {
        match self {
            Covers::Id(id) => id == key,
            Covers::Requirement(r) => {
                key == r
                    || key
                        .strip_prefix(r.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            }
            Covers::Range {
                requirement,
                from,
                to,
            } => key
                .strip_prefix(requirement.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| (*from..=*to).contains(&n)),
            Covers::All => !key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()),
        }
    }

    /// Whether this covers a sub-id of `key` (`FR1.2` or `1.2` under `FR1` or `1`): a parent
    /// requirement whose criteria carry the references is covered through them.
    pub fn covers_child_of(&self, key: &str) -> bool {
        let child = |id: &str| {
            id.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1)
        };
        match self {
            Covers::Id(id) | Covers::Requirement(id) => child(id),
            Covers::Range { requirement, .. } => requirement == key || child(requirement),
            Covers::All => false,
        }
    }
}

/// A Kiro cover list: `_Requirements: 1.1, 1.2-1.4, 2, All_`, also written
/// `**Validates: Requirements 1.2, 3.4**` and with `R`-prefixed numbers (`R1.1-R1.5`).
pub(crate) static KIRO_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:validates|implements|covers)[*_]*\s*:?[*_]*\s*requirements?[*_]*\s*:?|requirements?\s*:)\s*((?:all|すべて|全て|全部|r?\d+(?:\.\d+)?(?:\s*[-–]\s*r?\d+(?:\.\d+)?)?)(?:\s*,\s*(?:all|すべて|全て|全部|r?\d+(?:\.\d+)?(?:\s*[-–]\s*r?\d+(?:\.\d+)?)?))*)")
        .expect("static regex")
});

/// What one entry of a task's cover list covers: a lettered id (`FR-003`), or Kiro's `1.2`,
/// `2` (a whole requirement), `1.1-1.7`, `All`.
pub fn cover_of(item: &str) -> Covers {
    // `R1.1` is Kiro's criterion 1.1 with a prefix some folders add.
    let kiro_numbered = item
        .strip_prefix(['R', 'r'])
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    if item.starts_with(|c: char| c.is_ascii_alphabetic()) && !is_all(item) && !kiro_numbered {
        Covers::Id(normalize(item))
    } else {
        kiro_item(item)
    }
}

/// `All`, and the same word in the languages Kiro folders are written in.
fn is_all(item: &str) -> bool {
    item.eq_ignore_ascii_case("all") || matches!(item, "すべて" | "全て" | "全部")
}

fn kiro_item(item: &str) -> Covers {
    if is_all(item) {
        return Covers::All;
    }
    // `R1.1` in a cover list is criterion 1.1 of requirement 1.
    let unprefixed = |x: &str| {
        x.strip_prefix(['R', 'r'])
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(x)
            .to_string()
    };
    let item = unprefixed(item);
    let item = item.as_str();
    if let Some((a, b)) = item.split_once(['-', '–']) {
        let (a, b) = (a.trim(), unprefixed(b.trim()));
        let b = b.as_str();
        if let (Some((ra, fa)), Some((rb, tb))) = (a.split_once('.'), b.split_once('.'))
            && ra == rb
            && let (Ok(from), Ok(to)) = (fa.parse(), tb.parse())
        {
            return Covers::Range {
                requirement: ra.to_string(),
                from,
                to,
            };
        }
        return Covers::Id(a.to_string());
    }
    if item.contains('.') {
        Covers::Id(item.to_string())
    } else {
        Covers::Requirement(item.to_string())
    }
}
