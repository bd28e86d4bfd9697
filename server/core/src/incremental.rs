//! Re-analysis of a large document part by part, so that a keystroke in a 5 MB document costs
//! the analysis of the section it touched rather than of the whole text.
//!
//! A document is cut into parts at its top-level `#` and `##` headings. Markdown after such a
//! heading parses the same whatever comes before it (an ATX heading closes every open block),
//! but for link reference and footnote definitions, which apply document-wide (each part is
//! analysed with the others' definitions after it), and `specwright-disable` …
//! `specwright-enable` regions, which may span parts (such documents are not split). A part is analysed under its level-1 heading, so that section paths, narrative
//! sections and requirement sections read as they do in the whole document.
//!
//! Rules come in two sorts ([`Rule::local`]): a *local* rule's findings in a part depend only
//! on that part, so an edit re-runs it on the edited part alone; a document-wide rule (missing
//! sections, duplicate ids, coverage) keeps the findings of the last whole analysis, moved with
//! the text, until the caller analyses the whole document again — when typing pauses.
//!
//! [`Parts::update`] refuses (returns `false`) whenever it cannot vouch for the result: an edit
//! across parts or on a heading line, a part whose end no longer closes (an open code fence
//! swallowing the next heading), a heading title changed (classification and scopes read
//! titles), a reference definition or suppression region typed. The caller then analyses the
//! whole document, as it would without this module.

use crate::analysis::{self, Analysis, AnalysisInput};
use crate::diagnostic::Diagnostic;
use crate::kind::Classification;
use crate::rules::{self, Rule};
use crate::span::Span;
use crate::syntax::{BlockKind, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

/// Below this size a whole analysis takes a few milliseconds: parts are not worth keeping.
pub const MIN_SIZE: usize = 256 * 1024;

/// A link reference or footnote definition: `[label]: …` at the start of a line.
static REFERENCE_DEFINITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^ {0,3}\[[^\]\n]+\]:").expect("static regex"));
/// A suppression region directive (not `-next-line`, which stays within its part).
static REGION_DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"specwright-(?:enable|disable(?:[^-]|-[^n]|$))").expect("static regex")
});

/// The findings of a document kept per part, ready to be updated by an edit.
#[derive(Debug, Clone)]
pub struct Parts {
    text: String,
    classification: Classification,
    parts: Vec<Part>,
    /// The document-wide rules' findings of the last whole analysis, moved with the edits
    /// since.
    global: Vec<Diagnostic>,
    /// The document-wide findings are those of `text` (no edit since the whole analysis).
    settled: bool,
}

#[derive(Debug, Clone)]
struct Part {
    span: Span,
    /// Where the part's heading line ends: edits before it are refused.
    body_start: usize,
    /// The level-1 heading line the part is analysed under, when it starts with a `##`.
    context: Option<String>,
    /// The titles of the sections that start in the part.
    titles: Vec<String>,
    /// The link reference and footnote definitions in the part.
    definitions: Vec<String>,
    /// The local rules' findings in the part.
    diagnostics: Vec<Diagnostic>,
}

fn is_local(rule: &str) -> bool {
    rules::find(rule).is_some_and(|r| r.local())
}

impl Parts {
    /// Cuts the whole analysis of `text` into parts, or `None` when the document cannot be
    /// re-analysed by parts (reference definitions, suppression regions).
    pub fn split(text: &str, analysis: &Analysis) -> Option<Parts> {
        let doc = &analysis.doc;
        if has_region_directive(doc, Span::new(0, text.len())) {
            return None;
        }
        let body_start_of_text = doc.front_matter.as_ref().map_or(0, |f| f.span.end);
        let mut starts: Vec<(usize, usize)> = Vec::new();
        for block in &doc.blocks {
            if let BlockKind::Heading { level } = block.kind
                && level <= 2
                && block.parent.is_none()
                && block.span.start >= body_start_of_text
                && text.as_bytes().get(block.span.start) == Some(&b'#')
                && (block.span.start == 0 || text.as_bytes()[block.span.start - 1] == b'\n')
            {
                let line_end = text[block.span.start..]
                    .find('\n')
                    .map_or(text.len(), |i| block.span.start + i + 1);
                starts.push((block.span.start, line_end));
            }
        }
        if starts.first().is_none_or(|&(s, _)| s > 0) {
            starts.insert(0, (0, body_start_of_text));
        }
        let mut parts: Vec<Part> = Vec::with_capacity(starts.len());
        for (i, &(start, body_start)) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(text.len(), |&(s, _)| s);
            let span = Span::new(start, end);
            let context = doc
                .section_at(start)
                .filter(|&si| doc.sections[si].heading_span.start == start)
                .and_then(|si| doc.sections[si].parent)
                .map(|p| context_line(doc.slice(doc.sections[p].heading_span)));
            let titles = doc
                .sections
                .iter()
                .filter(|s| span.contains(s.heading_span.start))
                .map(|s| s.title.clone())
                .collect();
            parts.push(Part {
                span,
                body_start,
                context,
                titles,
                definitions: definitions(doc, span),
                diagnostics: Vec::new(),
            });
        }
        let mut global = Vec::new();
        for d in &analysis.diagnostics {
            if is_local(d.rule) {
                let k = parts
                    .partition_point(|p| p.span.start <= d.span.start)
                    .saturating_sub(1);
                parts[k].diagnostics.push(d.clone());
            } else {
                global.push(d.clone());
            }
        }
        Some(Parts {
            text: text.to_string(),
            classification: analysis.classification,
            parts,
            global,
            settled: true,
        })
    }

    /// The text these findings are for.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.parts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn classification(&self) -> Classification {
        self.classification
    }

    /// Whether the document-wide findings are those of the current text.
    pub fn settled(&self) -> bool {
        self.settled
    }

    /// Every finding, sorted as [`crate::analyze`] sorts them.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .parts
            .iter()
            .flat_map(|p| p.diagnostics.iter().cloned())
            .chain(self.global.iter().cloned())
            .collect();
        out.sort_by(|a, b| (a.span, a.rule).cmp(&(b.span, b.rule)));
        out.dedup();
        out
    }

    /// Moves to `new_text`, re-analysing the one part the change falls in. `input.text` is
    /// ignored (the part is analysed); the rest of `input` must be what the whole analysis
    /// had. Returns `false`, and changes nothing, when the change cannot be handled by parts.
    pub fn update(&mut self, new_text: &str, input: &AnalysisInput<'_>) -> bool {
        let Some((start, old_end, new_end)) = changed(&self.text, new_text) else {
            return true;
        };
        let k = self
            .parts
            .partition_point(|p| p.span.start <= start)
            .saturating_sub(1);
        let part = &self.parts[k];
        let last = k + 1 == self.parts.len();
        if start < part.body_start || old_end > part.span.end || (!last && old_end == part.span.end)
        {
            return false;
        }
        let new_part_end = part.span.end + new_end - old_end;
        let Some(part_text) = new_text.get(part.span.start..new_part_end) else {
            return false;
        };
        if !last && !part_text.ends_with('\n') {
            return false;
        }
        // The next part's heading line goes after the part: it must still read as a
        // top-level heading there, or the edit opened something that swallows it.
        let sentinel = new_text[new_part_end..]
            .find('\n')
            .map_or(&new_text[new_part_end..], |i| {
                &new_text[new_part_end..new_part_end + i + 1]
            });
        let context = part.context.as_deref().unwrap_or("");
        // Definitions apply document-wide: the other parts' go after the part, where they
        // define without adding anything inside it.
        let mut seen = std::collections::HashSet::new();
        let shared: String = self
            .parts
            .iter()
            .flat_map(|p| &p.definitions)
            .filter(|d| seen.insert(d.as_str()))
            .map(|d| format!("{d}\n"))
            .collect();
        let gap = if sentinel.is_empty() && !shared.is_empty() {
            "\n\n"
        } else {
            ""
        };
        let source = format!("{context}{part_text}{sentinel}{gap}{shared}");
        let offset = context.len();
        let a = analysis::run(
            AnalysisInput {
                text: &source,
                ..*input
            },
            Some(self.classification),
            |r: &dyn Rule| r.local(),
        );
        if !a.failures.is_empty() {
            return false;
        }
        let within = Span::new(offset, offset + part_text.len());
        let defined = definitions(&a.doc, within);
        if defined != part.definitions || has_region_directive(&a.doc, within) {
            return false;
        }
        if !sentinel.is_empty()
            && !a.doc.blocks.iter().any(|b| {
                b.parent.is_none()
                    && b.span.start == within.end
                    && matches!(b.kind, BlockKind::Heading { level } if level <= 2)
            })
        {
            return false;
        }
        let titles: Vec<String> = a
            .doc
            .sections
            .iter()
            .filter(|s| within.contains(s.heading_span.start))
            .map(|s| s.title.clone())
            .collect();
        if titles != part.titles {
            return false;
        }
        let base = part.span.start;
        let diagnostics: Vec<Diagnostic> = a
            .diagnostics
            .into_iter()
            .filter(|d| within.contains(d.span.start))
            .map(|d| moved(d, |at| at - offset + base))
            .collect();

        let grows = new_end >= old_end;
        let by = new_end.abs_diff(old_end);
        let move_after = move |at: usize| {
            if at < old_end {
                at
            } else if grows {
                at + by
            } else {
                at - by
            }
        };
        self.parts[k].span.end = new_part_end;
        self.parts[k].diagnostics = diagnostics;
        for p in &mut self.parts[k + 1..] {
            p.span = Span::new(move_after(p.span.start), move_after(p.span.end));
            p.body_start = move_after(p.body_start);
            for d in std::mem::take(&mut p.diagnostics) {
                p.diagnostics.push(moved(d, move_after));
            }
        }
        let touched = Span::new(start, old_end.max(start + 1));
        self.global = std::mem::take(&mut self.global)
            .into_iter()
            .filter(|d| !(d.span.start < touched.end && d.span.end > touched.start))
            .map(|d| moved(d, move_after))
            .collect();
        self.text = new_text.to_string();
        self.settled = false;
        true
    }
}

/// The lines of `within` that define a link reference or footnote (outside code).
fn definitions(doc: &SpecDoc, within: Span) -> Vec<String> {
    let in_code = |at: usize| {
        doc.blocks.iter().any(|b| {
            matches!(b.kind, BlockKind::CodeBlock { .. } | BlockKind::HtmlBlock)
                && b.span.contains(at)
        })
    };
    let text = doc.slice(within);
    REFERENCE_DEFINITION
        .find_iter(text)
        .filter(|m| !in_code(within.start + m.start()))
        .map(|m| {
            let line = &text[m.start()..];
            line[..line.find('\n').unwrap_or(line.len())]
                .trim_end()
                .to_string()
        })
        .collect()
}

/// Whether `within` holds a suppression region directive, which may reach past its part.
fn has_region_directive(doc: &SpecDoc, within: Span) -> bool {
    doc.comments
        .iter()
        .filter(|c| within.contains(c.start))
        .any(|c| REGION_DIRECTIVE.is_match(doc.slice(*c)))
}

/// A heading line to analyse a part under, ending in a blank line.
fn context_line(heading: &str) -> String {
    let mut s = heading.trim_end().to_string();
    s.push_str("\n\n");
    s
}

/// A finding with every position in it mapped by `f`.
fn moved(mut d: Diagnostic, f: impl Fn(usize) -> usize) -> Diagnostic {
    d.span = Span::new(f(d.span.start), f(d.span.end));
    for fix in &mut d.fixes {
        for e in &mut fix.edits {
            e.span = Span::new(f(e.span.start), f(e.span.end));
        }
    }
    // Places in this document move with it; other documents' stay where they are.
    for r in d.related.iter_mut().filter(|r| r.location.is_none()) {
        r.span = Span::new(f(r.span.start), f(r.span.end));
    }
    d
}

/// The bytes that differ between `old` and `new`: `(start, old_end, new_end)`, on character
/// boundaries of both; `None` when the texts are equal.
fn changed(old: &str, new: &str) -> Option<(usize, usize, usize)> {
    if old == new {
        return None;
    }
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
        start -= 1;
    }
    let max_suffix = a.len().min(b.len()) - start;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while !(old.is_char_boundary(a.len() - suffix) && new.is_char_boundary(b.len() - suffix)) {
        suffix -= 1;
    }
    Some((start, a.len() - suffix, b.len() - suffix))
}
