//! Each rule's measured precision and recall on the wild set (`../shared/fixtures/wild`),
//! written by the evaluation harness (`cargo run --release -p specwright-eval -- --write`)
//! into `measured.tsv` and compiled in: the rule pages quote it, and
//! [`RuleMeta::earned_severity`](super::RuleMeta::earned_severity) turns it into the default
//! severity a rule has earned.

use crate::diagnostic::Severity;
use std::collections::HashMap;
use std::sync::LazyLock;

static TABLE: &str = include_str!("measured.tsv");

/// Precision below this: off by default.
pub const INFO_FROM: f64 = 0.6;
/// Precision from this: a warning (or an error) by default.
pub const WARNING_FROM: f64 = 0.85;
/// Fewer judged findings on the test half than this, and the two halves are pooled.
pub const TEST_LABELS_NEEDED: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    pub test_labelled: usize,
    pub test_right: usize,
    pub tuning_labelled: usize,
    pub tuning_right: usize,
    /// Reviewer-raised problems this rule answers, on the recall labels, and how many it found.
    pub recall_raised: usize,
    pub recall_found: usize,
}

impl Measured {
    /// The precision that decides the default severity: the test half's, or with too few
    /// judged findings there both halves pooled; `None` with fewer than 5 in all.
    pub fn deciding(&self) -> Option<f64> {
        if self.test_labelled >= TEST_LABELS_NEEDED {
            return Some(self.test_right as f64 / self.test_labelled as f64);
        }
        let n = self.test_labelled + self.tuning_labelled;
        (n >= 5).then(|| (self.test_right + self.tuning_right) as f64 / n as f64)
    }

    /// The default severity this rule has earned, given the severity its author intends for a
    /// right finding (`Error` for structural breakage, `Hint` for suggestions).
    pub fn earned(&self, intended: Severity) -> Severity {
        match self.deciding() {
            Some(p) if p >= WARNING_FROM => intended,
            Some(p) if p >= INFO_FROM => intended.min(Severity::Info),
            Some(_) => Severity::Off,
            // Too few findings to judge: never more than a note, and off when even the upper
            // end of the interval misses the bar (0 of 4 right).
            None => {
                let (k, n) = (
                    self.test_right + self.tuning_right,
                    self.test_labelled + self.tuning_labelled,
                );
                if n > 0 && wilson(k, n).1 < INFO_FROM {
                    Severity::Off
                } else {
                    intended.min(Severity::Info)
                }
            }
        }
    }
}

static PARSED: LazyLock<HashMap<&'static str, Measured>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(parse)
        .collect()
});

/// The measurement of rule `id`, if the harness has one.
pub fn of(id: &str) -> Option<Measured> {
    PARSED.get(id).copied()
}

fn parse(l: &'static str) -> Option<(&'static str, Measured)> {
    let f: Vec<&str> = l.split('\t').collect();
    if f.len() < 8 {
        return None;
    }
    let n = |i: usize| f[i].trim().parse::<usize>().ok();
    Some((
        f[0],
        Measured {
            test_labelled: n(2)?,
            test_right: n(3)?,
            tuning_labelled: n(4)?,
            tuning_right: n(5)?,
            recall_raised: n(6)?,
            recall_found: n(7)?,
        },
    ))
}

/// 95 % Wilson interval of `k` of `n`.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n, z) = (k as f64, n as f64, 1.96_f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The rule page's "Measured" section.
pub fn markdown(id: &str) -> String {
    let Some(m) = of(id) else {
        return "Not measured yet.".to_string();
    };
    let p = |k: usize, n: usize| {
        if n == 0 {
            "no judged findings".to_string()
        } else {
            let (lo, hi) = wilson(k, n);
            format!(
                "{:.2} ({k} of {n} judged right; 95 % interval {lo:.2}–{hi:.2})",
                k as f64 / n as f64
            )
        }
    };
    let recall = if m.recall_raised == 0 {
        "no reviewer-raised problem of the kinds it answers in the recall sample".to_string()
    } else {
        format!(
            "{:.2} ({} of {} problems a reviewer raised that this rule answers)",
            m.recall_found as f64 / m.recall_raised as f64,
            m.recall_found,
            m.recall_raised
        )
    };
    format!(
        "On the wild set (real spec folders from public repositories, split by repository; \
findings judged one by one by a reviewer who saw the documents, not the rule):\n\n\
- precision on the test half: {}\n- precision on the tuning half: {}\n- recall: {recall}\n\n\
A rule is a warning by default from precision {WARNING_FROM}, a note from {INFO_FROM}, and off \
below (the test half decides; with fewer than {TEST_LABELS_NEEDED} judged findings there, both \
halves together). Reproduce with `cargo run --release -p specwright-eval`.",
        p(m.test_right, m.test_labelled),
        p(m.tuning_right, m.tuning_labelled),
    )
}
