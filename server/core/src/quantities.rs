//! Quantified statements: a subject, a bound and a value with its unit ("a debounce of 100 ms",
//! "coverage MUST be at least 90 %", "respond within 2 s"), read from a document's prose, with
//! units normalised (durations to milliseconds, sizes to bytes, percentages) and the value held
//! as an interval, so that statements about one subject can be compared across a folder.
//!
//! Pure and section-local: what a statement says depends on its paragraph or item alone.

use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

/// What a value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Milliseconds.
    Duration,
    /// Bytes.
    Size,
    Percent,
}

/// One quantified statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The subject's head word, lower-case and singular ("debounce", "coverage", "latency").
    pub subject: String,
    /// The content word before the head, when there is one ("test" in "test coverage").
    pub qualifier: Option<String>,
    pub dimension: Dimension,
    /// The values the statement allows, in the dimension's base unit, both ends included.
    pub low: f64,
    pub high: f64,
    /// The bound and value as written ("at least 90 %", "100 ms").
    pub text: String,
    /// Where the value (with its bound) stands.
    pub span: Span,
    /// The innermost section holding it.
    pub section: Option<usize>,
    /// Whether an end is excluded (`< 50 %`, `more than 2 s`); a range `50–89 %` includes both.
    pub open_low: bool,
    pub open_high: bool,
    /// The prose unit (paragraph, item, cell) it was read from, as an index into `doc.units`.
    pub unit: usize,
}

// The values are finite or infinite, never NaN (they come from parsed digits), so equality is
// reflexive.
impl Eq for Quantity {}

impl Quantity {
    /// Whether no value satisfies both statements.
    pub fn contradicts(&self, other: &Quantity) -> bool {
        self.dimension == other.dimension
            && (self.high < other.low * (1.0 - 1e-9) || other.high < self.low * (1.0 - 1e-9))
    }
}

static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?P<cmp>≤|<=|≥|>=|<|>|\bat\s+most|\bat\s+least|\bno\s+more\s+than|\bno\s+less\s+than|",
        r"\bnot\s+(?:to\s+)?exceed(?:ing)?|\bup\s+to|\bunder|\bbelow|\bwithin|\bless\s+than|\bfewer\s+than|",
        r"\bmore\s+than|\bover|\babove|\bgreater\s+than|\bminimum(?:\s+of)?|\bmaximum(?:\s+of)?|\bexactly)?",
        r"\s*(?P<a>\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(?P<b>\d+(?:\.\d+)?))?\s*",
        r"(?P<unit>ms|milliseconds?|msec|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|%|percent|KB|kB|KiB|MB|MiB|GB|GiB)",
        r"(?:\b|$|[^\w])"
    ))
    .expect("static regex")
});

/// Words that are not a subject: function words, modals, copulas, bounds.
const NOT_SUBJECT: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "for",
    "by",
    "with",
    "at",
    "is",
    "are",
    "be",
    "been",
    "being",
    "was",
    "were",
    "must",
    "shall",
    "should",
    "will",
    "may",
    "can",
    "could",
    "would",
    "not",
    "no",
    "than",
    "least",
    "most",
    "more",
    "less",
    "up",
    "under",
    "over",
    "below",
    "above",
    "within",
    "and",
    "or",
    "set",
    "sets",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "per",
    "every",
    "each",
    "after",
    "before",
    "from",
    "about",
    "around",
    "approximately",
    "roughly",
    "maximum",
    "minimum",
    "max",
    "min",
    "exactly",
    "only",
    "take",
    "takes",
    "lasting",
    "last",
    "greater",
    "fewer",
    "exceed",
    "exceeds",
    "exceeding",
    "equal",
    "use",
    "uses",
    "using",
    "have",
    "has",
    "e",
    "g",
    "eg",
    "i",
    "ie",
    "target",
    "default",
    "value",
    "time",
    "keep",
    "kept",
    "remain",
    "stay",
    "reach",
    "achieve",
    "all",
    "any",
    "our",
    "their",
    "your",
];

fn singular(word: &str) -> String {
    let w = word.to_lowercase();
    if w.len() > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w[..w.len() - 1].to_string()
    } else {
        w
    }
}

/// (dimension, factor to the base unit) of a unit as written.
fn unit(u: &str) -> Option<(Dimension, f64)> {
    let l = u.to_lowercase();
    Some(match l.as_str() {
        "ms" | "millisecond" | "milliseconds" | "msec" => (Dimension::Duration, 1.0),
        "s" | "sec" | "secs" | "second" | "seconds" => (Dimension::Duration, 1_000.0),
        "min" | "mins" | "minute" | "minutes" => (Dimension::Duration, 60_000.0),
        "h" | "hr" | "hrs" | "hour" | "hours" => (Dimension::Duration, 3_600_000.0),
        "%" | "percent" => (Dimension::Percent, 1.0),
        "kb" => (Dimension::Size, 1_000.0),
        "kib" => (Dimension::Size, 1_024.0),
        "mb" => (Dimension::Size, 1_000_000.0),
        "mib" => (Dimension::Size, 1_048_576.0),
        "gb" => (Dimension::Size, 1e9),
        "gib" => (Dimension::Size, 1_073_741_824.0),
        _ => return None,
    })
}

/// How far back in its sentence a subject is looked for, in words.
const SUBJECT_REACH: usize = 4;

/// The subject of a value: the last content word before it in its clause, within a few words,
/// and the content word before that.
fn subject(before: &str) -> Option<(String, Option<String>)> {
    // A value in parentheses qualifies what stands before them: "Available time slots (cache
    // for 1 minute)" is about the slots.
    let before = match (before.rfind('('), before.rfind(')')) {
        (Some(open), close) if close.is_none_or(|c| c < open) => &before[..open],
        _ => before,
    };
    let mut clauses = before.rsplit([',', ';', ':', '(', ')', '—', '–', '\n', '|']);
    let clause = clauses.next().unwrap_or(before);
    // `Timeout: 30 s`, `| Debounce | 300 ms |`: a value right after a label is the label's.
    let label = |c: &str| {
        let cut = before.len() - c.len();
        before[..cut].ends_with([':', '|'])
    };
    let clause = if clause.trim().is_empty() && label(clause) {
        clauses.find(|c| !c.trim().is_empty()).unwrap_or(clause)
    } else {
        clause
    };
    let words: Vec<&str> = clause
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let tail = &words[words.len().saturating_sub(SUBJECT_REACH)..];
    let mut content = tail.iter().rev().filter(|w| {
        let l = w.to_lowercase();
        !NOT_SUBJECT.contains(&l.as_str()) && !w.chars().all(|c| c.is_ascii_digit()) && l.len() > 2
    });
    let head = content.next()?;
    let qualifier = content.next().map(|w| singular(w));
    Some((singular(head), qualifier))
}

/// Every quantified statement in the document's prose.
pub fn extract(doc: &SpecDoc) -> Vec<Quantity> {
    let mut out = Vec::new();
    // Prose units, not sentences: the workspace index reads unopened files in outline, which
    // has units but no sentences, and the facts must be the same either way.
    for (unit_index, s) in doc.units.iter().enumerate() {
        let text = doc.prose_slice(s.span);
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        // Examples are not statements of a value.
        let lower = text.to_lowercase();
        if lower.contains("e.g.") || lower.contains("for example") || lower.contains("such as") {
            continue;
        }
        // Nor are a state that is to change ("currently 80 %, target 100 %") or a setting
        // ("default 8 KB, configurable to 32 KB"): values that are meant to differ.
        if [
            "current",
            "baseline",
            "today",
            "default",
            "configurable",
            "target",
        ]
        .iter()
        .any(|w| lower.contains(w))
        {
            continue;
        }
        for c in VALUE.captures_iter(text) {
            let (Some(whole), Some(a), Some(u)) = (c.get(0), c.name("a"), c.name("unit")) else {
                continue;
            };
            let Some((dimension, factor)) = unit(u.as_str()) else {
                continue;
            };
            let Ok(a_val) = c["a"].parse::<f64>() else {
                continue;
            };
            let b_val = c.name("b").and_then(|b| b.as_str().parse::<f64>().ok());
            let start = c.name("cmp").map_or(a.start(), |m| m.start());
            // An estimate ("~30 minutes", "about 2 s") states no value to hold to.
            let lead = text[..start].trim_end().to_lowercase();
            if lead.ends_with(['~', '≈'])
                || [
                    "about",
                    "approximately",
                    "approx.",
                    "roughly",
                    "around",
                    "estimated",
                    "est.",
                ]
                .iter()
                .any(|w| lead.ends_with(w))
            {
                continue;
            }
            // `| Timeout | 30 s |`: a cell holding only the value is about what the row's first
            // cell names (`| Phase 2 | 6 tasks | 45 min |` is Phase 2's, not the tasks').
            let row_label = || {
                let line = doc.line_of(s.span.start);
                let first = doc.units[..unit_index]
                    .iter()
                    .rev()
                    .take_while(|u| doc.line_of(u.span.start) == line)
                    .last()?;
                text[..start]
                    .trim()
                    .is_empty()
                    .then(|| doc.prose_slice(first.span))
            };
            // A row is one thing, named by its whole first cell: "User Story 1" and "User Story
            // 2" are two rows, not one subject.
            let row_subject = || {
                let label = row_label()?;
                subject(label)?;
                let words: Vec<String> = label
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect();
                Some((words.join(" "), None))
            };
            let Some((head, qualifier)) = subject(&text[..start]).or_else(row_subject) else {
                continue;
            };
            // The bound as one lower-case phrase ("at  most" → "at most"), read once for the
            // interval and for which of its ends it excludes.
            let cmp = c.name("cmp").map(|m| {
                m.as_str()
                    .to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            let (lo, hi) = match (b_val, cmp.as_deref()) {
                (Some(b), _) => (a_val.min(b), a_val.max(b)),
                (None, Some(cmp)) => match cmp {
                    "≤" | "<=" | "<" | "at most" | "no more than" | "up to" | "under" | "below"
                    | "within" | "less than" | "fewer than" | "maximum" | "maximum of" => {
                        (0.0, a_val)
                    }
                    c if c.starts_with("not") => (0.0, a_val),
                    "≥" | ">=" | ">" | "at least" | "no less than" | "more than" | "over"
                    | "above" | "greater than" | "minimum" | "minimum of" => (a_val, f64::INFINITY),
                    _ => (a_val, a_val),
                },
                (None, None) => (a_val, a_val),
            };
            // A range (`50–89 %`) includes both ends; a strict bound excludes its one.
            let (open_low, open_high) = match (b_val, cmp.as_deref()) {
                (None, Some("<" | "under" | "below" | "less than" | "fewer than")) => (false, true),
                (None, Some(">" | "more than" | "over" | "above" | "greater than")) => {
                    (true, false)
                }
                _ => (false, false),
            };
            let at = s.span.start;
            let end = u.end().min(whole.end());
            out.push(Quantity {
                subject: head,
                qualifier,
                dimension,
                low: lo * factor,
                high: hi * factor,
                text: text[start..end].trim().to_string(),
                span: Span::new(at + start, at + end),
                section: doc.section_at(at + start),
                open_low,
                open_high,
                unit: unit_index,
            });
        }
    }
    out
}

/// Runs of statements that split one measure into bands ("Red: 0–49 %", "Yellow: 50–89 %",
/// "Green: ≥ 90 %"), each sorted by its lower end. A run is the items of one list (units of one
/// section parted only by line breaks) that hold one quantity each, of one dimension, none a
/// single value; it is a set of bands only
/// when it could partition a scale: only the lowest may start at zero or be a bare upper bound,
/// only the highest may be unbounded above, and every other one is a two-sided range. A list of
/// unrelated limits ("< 200 ms", "< 2 s") fails that test and is left alone, and so do ranges
/// whose ends lie far apart (3–6 s, 30–60 s): bands of one scale almost meet.
pub fn bands<'q>(doc: &SpecDoc, quantities: &'q [Quantity]) -> Vec<Vec<&'q Quantity>> {
    let mut runs: Vec<Vec<&Quantity>> = Vec::new();
    // Two units are one list when nothing but a line break (or a comment) parts them.
    let adjacent = |a: usize, b: usize| {
        b == a + 1
            && doc
                .units
                .get(a)
                .zip(doc.units.get(b))
                .is_some_and(|(x, y)| {
                    let between = doc.text.get(x.span.end..y.span.start).unwrap_or("\n\n");
                    !between.split('\n').skip(1).any(|l| l.trim().is_empty())
                        && between.matches('\n').count() >= 1
                })
    };
    // How many quantities each unit holds, counted once (the rules run per keystroke): only a
    // unit with one of them can be a band.
    let mut per_unit: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for q in quantities {
        *per_unit.entry(q.unit).or_default() += 1;
    }
    let alone = |q: &Quantity| per_unit.get(&q.unit) == Some(&1);
    for q in quantities {
        let joins = runs.last().and_then(|r| r.last()).is_some_and(|p| {
            p.dimension == q.dimension
                && p.section == q.section
                && alone(q)
                && alone(p)
                && adjacent(p.unit, q.unit)
        });
        if joins && let Some(run) = runs.last_mut() {
            run.push(q);
        } else {
            runs.push(vec![q]);
        }
    }
    runs.into_iter()
        .filter(|r| r.len() >= 2)
        .filter_map(|mut r| {
            r.sort_by(|a, b| a.low.total_cmp(&b.low).then(a.high.total_cmp(&b.high)));
            let last = r.len() - 1;
            // A single value ("5 s", "95 %") is a setting, not a band.
            let partition = r.iter().all(|q| q.low < q.high)
                && r.iter().enumerate().all(|(i, q)| {
                    let two_sided = q.low > 0.0 && q.high.is_finite();
                    (i == 0 && q.high.is_finite())
                        || (i == last && i > 0 && q.low > 0.0)
                        || two_sided
                })
                && r.windows(2).all(|w| {
                    // Bands of one scale almost meet (49 % and 50 %); ranges that lie far apart
                    // (3–6 s, 30–60 s) measure different things.
                    let (a, b) = (w[0], w[1]);
                    a.low < b.low && (b.low - a.high).abs() <= 0.1 * b.low.max(a.high)
                });
            partition.then_some(r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ParseOptions;

    fn read(text: &str) -> Vec<(String, Option<String>, f64, f64, String)> {
        let doc = SpecDoc::parse(text, ParseOptions::default());
        extract(&doc)
            .into_iter()
            .map(|q| (q.subject, q.qualifier, q.low, q.high, q.text))
            .collect()
    }

    #[test]
    fn reads_subjects_bounds_and_units() {
        let got = read(
            "# Design\n\nThe search input uses a debounce of 300 ms.\n\nTest coverage MUST be at least 90%.\n\nThe API SHALL respond within 2 seconds.\n",
        );
        assert_eq!(
            got,
            vec![
                ("debounce".into(), None, 300.0, 300.0, "300 ms".into()),
                (
                    "coverage".into(),
                    Some("test".into()),
                    90.0,
                    f64::INFINITY,
                    "at least 90%".into()
                ),
                (
                    "respond".into(),
                    Some("api".into()),
                    0.0,
                    2000.0,
                    "within 2 seconds".into()
                ),
            ]
        );
    }

    #[test]
    fn renamed_units_agree_and_bounds_are_intervals() {
        let doc = SpecDoc::parse(
            "# A\n\nThe debounce is 300 ms.\n\nThe debounce is 0.3 s.\n\nThe debounce is at most 500 ms.\n\nThe debounce is 100 ms.\n",
            ParseOptions::default(),
        );
        let q = extract(&doc);
        assert!(!q[0].contradicts(&q[1]), "300 ms is 0.3 s");
        assert!(!q[0].contradicts(&q[2]), "300 ms is at most 500 ms");
        assert!(q[0].contradicts(&q[3]));
    }

    #[test]
    fn a_value_in_parentheses_is_about_what_precedes_them() {
        let got = read("# A\n\n- Available time slots (cache for 1 minute)\n");
        assert_eq!(got[0].0, "slot");
    }

    #[test]
    fn a_value_after_a_label_is_the_labels() {
        let got = read(
            "# A\n\n- Debounce: 300 ms\n\n| Setting | Value |\n|---|---|\n| Timeout | 30 s |\n",
        );
        assert_eq!(got[0].0, "debounce");
        assert_eq!(got[1].0, "timeout");
    }

    #[test]
    fn bands_are_lists_that_could_split_one_scale() {
        let doc = SpecDoc::parse(
            "# A\n\n- Red: coverage 0–49 %\n- Yellow: coverage 50–89 %\n- Green: coverage ≥ 90 %\n\n- API latency under 200 ms\n- Page load under 2 s\n\n- Small: 3–6 s\n- Large: 30–60 s\n",
            ParseOptions::default(),
        );
        let q = extract(&doc);
        let runs = bands(&doc, &q);
        assert_eq!(runs.len(), 1, "{runs:?}");
        let texts: Vec<&str> = runs[0].iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["0–49 %", "50–89 %", "≥ 90 %"]);
    }

    #[test]
    fn examples_and_estimates_are_not_statements() {
        assert!(read("# A\n\nTimeouts vary, e.g. 5 s for reads.\n").is_empty());
        assert!(
            read("# A\n\n1. Deploy the demo (~30 minutes)\n2. The run takes about 2 s.\n")
                .is_empty()
        );
    }
}
