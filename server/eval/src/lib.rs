//! The evaluation set and its labels: which half of the wild set a document belongs to, the
//! judged findings (precision labels) and the judged normative lines (recall labels), how a
//! label is matched to what `specwright check` reports now, and the interval arithmetic.
//!
//! A label is keyed by what a reader sees, not by a line number: the document's path, the
//! rule, the flagged text and the text of the line it starts on. An unrelated edit elsewhere
//! in a document leaves its labels valid; a label whose line text is gone from its document is
//! stale, and the `labels` test says so.

use serde::{Deserialize, Serialize};
use specwright::check::Report;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The repository root (where `eval/` lives).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The wild set, next to the project: `../shared/fixtures/wild`.
pub fn default_wild() -> PathBuf {
    root().join("../shared/fixtures/wild")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Half {
    Tuning,
    Test,
}

impl Half {
    pub const BOTH: [Half; 2] = [Half::Tuning, Half::Test];

    pub fn as_str(self) -> &'static str {
        match self {
            Half::Tuning => "tuning",
            Half::Test => "test",
        }
    }
}

/// `eval/split.json`: repositories (`<kind>/<owner>__<repo>`) by half.
#[derive(Debug, Deserialize)]
pub struct Split {
    pub seed: u64,
    pub tuning: Vec<String>,
    pub test: Vec<String>,
}

impl Split {
    pub fn read(path: &Path) -> anyhow::Result<Split> {
        Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
    }

    /// The half of a document, by its path relative to the wild folder.
    pub fn half_of(&self, rel: &str) -> Option<Half> {
        let repo: String = rel.splitn(3, '/').take(2).collect::<Vec<_>>().join("/");
        if self.tuning.contains(&repo) {
            Some(Half::Tuning)
        } else if self.test.contains(&repo) {
            Some(Half::Test)
        } else {
            None
        }
    }
}

/// One judged finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Label {
    /// Relative to the wild folder, `/`-separated.
    pub path: String,
    pub rule: String,
    pub flagged: String,
    pub line_text: String,
    /// A careful reviewer would want the author to act on this line at this severity.
    pub verdict: bool,
    pub reason: String,
    /// Who judged it, and the severity the finding had when judged.
    pub judge: String,
    pub severity: String,
}

impl Label {
    pub fn key(&self) -> Key {
        key(&self.path, &self.rule, &self.flagged, &self.line_text)
    }
}

/// A problem a reviewer raised on a normative line, before seeing what the tool reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Problem {
    pub kind: String,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecallLabel {
    pub path: String,
    pub line_text: String,
    pub problems: Vec<Problem>,
    pub judge: String,
}

pub type Key = (String, String, String, String);

pub fn key(path: &str, rule: &str, flagged: &str, line_text: &str) -> Key {
    (
        path.to_string(),
        rule.to_string(),
        flagged.trim().to_string(),
        line_text.trim_end().to_string(),
    )
}

/// Reads a JSON Lines file; blank lines are skipped, a bad line is an error naming it.
pub fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// A finding as the harness sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Observed {
    pub path: String,
    pub kind: String,
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub question: Option<String>,
    /// 1-based.
    pub line: usize,
    pub line_text: String,
    pub flagged: String,
}

impl Observed {
    pub fn key(&self) -> Key {
        key(&self.path, &self.rule, &self.flagged, &self.line_text)
    }
}

/// The report's findings inside `wild`, with paths made relative to it.
pub fn observe(report: &Report, wild_prefix: &str) -> Vec<Observed> {
    let sources: HashMap<&str, (&str, &str)> = report
        .sources
        .iter()
        .map(|s| {
            (
                s.path.as_str(),
                (s.text.as_str(), s.kind.map_or("config", |k| k.0)),
            )
        })
        .collect();
    report
        .findings
        .iter()
        .filter_map(|f| {
            let rel = f.path.strip_prefix(wild_prefix)?.trim_start_matches('/');
            let (text, kind) = sources.get(f.path.as_str())?;
            let start = text.floor_char_boundary(f.span.start.min(text.len()));
            let end = text
                .floor_char_boundary(f.span.end.min(text.len()))
                .max(start);
            Some(Observed {
                path: rel.to_string(),
                kind: kind.to_string(),
                rule: f.rule.clone(),
                severity: f.severity.to_string(),
                message: f.message.clone(),
                question: f.question.clone(),
                line: f.start.0,
                line_text: line_at(text, start).to_string(),
                flagged: text[start..end].chars().take(300).collect(),
            })
        })
        .collect()
}

/// The line holding byte `at`, without its line break.
pub fn line_at(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[start..end].trim_end_matches('\r')
}

/// The 95 % Wilson score interval: the one the rule pages quote.
pub use specwright_core::rules::measured::wilson;

/// The rules whose finding on a line answers a reviewer's problem of this kind.
pub fn rules_for_problem(kind: &str) -> &'static [&'static str] {
    match kind {
        "vague" => &[
            "vague-term",
            "unmeasurable-success-criterion",
            "weak-phrase",
        ],
        "escape-clause" => &["weak-phrase", "weak-modal"],
        "open-list" => &["open-ended-list"],
        "passive" => &["passive-without-agent"],
        "pronoun" => &["ambiguous-reference"],
        "multiple" => &["non-singular", "and-or"],
        "keyword" => &["missing-normative-keyword", "bcp14-usage", "weak-modal"],
        "ears" => &["ears-form"],
        "unitless" => &["unitless-quantity"],
        "comparative" => &["comparative-without-baseline"],
        "superlative" => &["superlative"],
        "universal" => &["universal-quantifier"],
        "tbd" => &["incomplete-marker", "template-placeholder"],
        _ => &[],
    }
}

/// The 1-based numbers of the lines of `text` equal to `line_text` (trailing space ignored).
pub fn lines_matching(text: &str, line_text: &str) -> Vec<usize> {
    let want = line_text.trim_end();
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_end() == want)
        .map(|(i, _)| i + 1)
        .collect()
}

/// Labels that no longer match any document text: the path is gone, the line text is not in
/// the document, or the flagged text is not on that line.
pub fn stale(labels: &[Label], recall: &[RecallLabel], wild: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut cache: HashMap<String, Option<String>> = HashMap::new();
    let mut read = |p: &str| {
        cache
            .entry(p.to_string())
            .or_insert_with(|| std::fs::read_to_string(wild.join(p)).ok())
            .clone()
    };
    for l in labels {
        match read(&l.path) {
            None => out.push(format!("{}: no such document ({})", l.path, l.rule)),
            Some(text) => {
                let lines = lines_matching(&text, &l.line_text);
                let flagged_first = l.flagged.lines().next().unwrap_or("").trim();
                if lines.is_empty() {
                    out.push(format!(
                        "{}: line gone: {:?} ({})",
                        l.path, l.line_text, l.rule
                    ));
                } else if !l.line_text.contains(flagged_first) && !text.contains(l.flagged.trim()) {
                    out.push(format!(
                        "{}: flagged text gone: {:?} ({})",
                        l.path, l.flagged, l.rule
                    ));
                }
            }
        }
    }
    for r in recall {
        match read(&r.path) {
            None => out.push(format!("{}: no such document (recall)", r.path)),
            Some(text) if lines_matching(&text, &r.line_text).is_empty() => {
                out.push(format!("{}: line gone: {:?} (recall)", r.path, r.line_text))
            }
            Some(_) => {}
        }
    }
    out
}

/// Words of narrative prose: lines outside code fences that are not headings, table rows,
/// HTML or indented code.
pub fn prose_words(text: &str) -> usize {
    let mut fence = false;
    let mut n = 0;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence || t.starts_with(['#', '|', '<']) || line.starts_with("    ") {
            continue;
        }
        n += t.split_whitespace().count();
    }
    n
}
