//! Architecture Decision Records: what a record says about itself (number, title, status,
//! date, links to other records, considered and chosen options, decision), read from the
//! formats in the wild — Michael Nygard's and adr-tools' (`# 7. Title`, `## Status`,
//! `Superseded by [...](...)`), MADR 2 to 4 (front matter or `* Status:` lines) and
//! front-matter-free variants with a `Status:` line — plus the edits the ADR actions make
//! ([`edit`]).

pub mod edit;

use crate::kind::Family;
use crate::span::Span;
use crate::syntax::{BlockKind, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

/// The two record formats Specwright knows; other ADR families read as Nygard's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdrFormat {
    Madr,
    Nygard,
}

impl AdrFormat {
    pub fn of(family: Family) -> AdrFormat {
        if family == Family::Madr {
            AdrFormat::Madr
        } else {
            AdrFormat::Nygard
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AdrFormat::Madr => "MADR",
            AdrFormat::Nygard => "Nygard",
        }
    }
}

/// A value as written, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub value: String,
    pub span: Span,
}

/// How a record relates to another (adr-tools' link lines, MADR's `superseded by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Supersedes,
    SupersededBy,
    Amends,
    AmendedBy,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Supersedes => "Supersedes",
            Relation::SupersededBy => "Superseded by",
            Relation::Amends => "Amends",
            Relation::AmendedBy => "Amended by",
        }
    }

    /// The relation the other record states back.
    pub fn mirror(self) -> Relation {
        match self {
            Relation::Supersedes => Relation::SupersededBy,
            Relation::SupersededBy => Relation::Supersedes,
            Relation::Amends => Relation::AmendedBy,
            Relation::AmendedBy => Relation::Amends,
        }
    }
}

/// What a relation points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A Markdown link destination, as written (`0002-use-x.md`).
    File(String),
    /// `ADR-0002`, `ADR 2`.
    Number(u32),
    /// The relation names no record.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdrLink {
    pub relation: Relation,
    pub target: Target,
    /// The whole relation line (or the status value that states it).
    pub span: Span,
}

/// What one record says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdrRecord {
    pub format: AdrFormat,
    /// The title without its number.
    pub title: String,
    pub title_span: Option<Span>,
    /// The number in the file name (`0007-use-x.md`).
    pub file_number: Option<u32>,
    /// The number in the title (`# 7. Use X`, `# ADR-0007: Use X`), with its span.
    pub title_number: Option<(u32, Span)>,
    pub status: Option<Field>,
    /// Where the status is written: a `## Status` section (as opposed to a line or front matter).
    pub status_section: Option<usize>,
    pub date: Option<Field>,
    pub links: Vec<AdrLink>,
    /// MADR: the items of Considered Options.
    pub options: Vec<Field>,
    /// MADR: the option Decision Outcome names.
    pub chosen: Option<Field>,
    /// The first sentence of the decision.
    pub decision: String,
    /// A template (`adr-template.md`, `template.md`), not a record.
    pub template: bool,
    /// Every record the text mentions: local link destinations and `ADR-N` numbers.
    pub mentions: Vec<Target>,
}

impl AdrRecord {
    /// The record's number: the file name's, else the title's.
    pub fn number(&self) -> Option<u32> {
        self.file_number.or(self.title_number.map(|(n, _)| n))
    }

    /// The status's first word(s), lowercased, markup removed: `superseded`, `accepted`.
    pub fn status_word(&self) -> Option<String> {
        self.status.as_ref().map(|s| status_word(&s.value))
    }

    /// Superseded, deprecated or rejected: a record no one should follow.
    pub fn is_inactive(&self) -> bool {
        self.status_word().is_some_and(|w| {
            matches!(w.as_str(), "superseded" | "deprecated" | "rejected")
                || w.starts_with("superseded")
        }) || self
            .links
            .iter()
            .any(|l| l.relation == Relation::SupersededBy)
    }

    /// The successors this record names.
    pub fn successors(&self) -> impl Iterator<Item = &AdrLink> {
        self.links
            .iter()
            .filter(|l| l.relation == Relation::SupersededBy)
    }
}

/// A status's lifecycle word: lowercase, markup and trailing punctuation removed, and
/// `superseded by …` reduced to `superseded`.
pub fn status_word(value: &str) -> String {
    let v = value
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '_' | '`' | '"' | '\'' | '[' | ']' | '.'))
        .trim()
        .to_lowercase();
    if v.starts_with("superseded") || v.starts_with("superseeded") {
        return "superseded".into();
    }
    v.split([',', '(', ';', '\n'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.')
        .to_string()
}

static TITLE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:ADR[-\s#]*)?0*(\d{1,5})(?:\.|:|\s+-|\s+–|\s+—)\s*(.*)$").expect("static regex")
});
static FILE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:adr[-_]?)?0*(\d{1,5})(?:[-_.]|$)").expect("static regex")
});
static FIELD_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*(status|date)[ \t]*:[ \t]*(\S.*?)[ \t]*\r?$").expect("static regex")
});
static RELATION_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*(supersedes|superseded[ \t]+by|amends|amended[ \t]+by)\b(.*?)\r?$")
        .expect("static regex")
});
static ADR_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bADR[-\s#]?0*(\d{1,5})\b").expect("static regex"));
static BARE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\W*0*(\d{1,5})\b").expect("static regex"));
static CHOSEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)chosen\s+option\s*:?\s*(.+?)(?:,\s*because\b|\s+because\b|\.\s|$)")
        .expect("static regex")
});

/// Reads the record `doc` (a document classified as an ADR of `family`, named `file_name`).
pub fn read(doc: &SpecDoc, family: Family, file_name: Option<&str>) -> AdrRecord {
    let format = AdrFormat::of(family);
    let title_section = doc.sections.iter().find(|s| s.level == 1);
    let (title, title_span, title_number) = match title_section {
        Some(s) => {
            let raw = doc.slice(s.title_span);
            match TITLE_NUMBER.captures(raw) {
                Some(c) => {
                    let n = c[1].parse().ok();
                    let m = c.get(1).map_or(s.title_span, |m| {
                        Span::new(s.title_span.start + m.start(), s.title_span.start + m.end())
                    });
                    (
                        c[2].trim().to_string(),
                        Some(s.title_span),
                        n.map(|n| (n, m)),
                    )
                }
                None => (s.title.clone(), Some(s.title_span), None),
            }
        }
        None => (String::new(), None, None),
    };
    let lower_name = file_name.map(str::to_ascii_lowercase);
    let template = lower_name
        .as_deref()
        .is_some_and(|n| n.contains("template"));
    let file_number = file_name
        .and_then(|n| FILE_NUMBER.captures(n))
        .and_then(|c| c[1].parse().ok());

    let status_section = doc
        .sections
        .iter()
        .position(|s| s.level >= 2 && s.title.eq_ignore_ascii_case("status"));
    let mut status = front_matter_field(doc, "status");
    if status.is_none()
        && let Some(i) = status_section
    {
        status = section_status(doc, i);
    }
    if status.is_none() {
        status = preamble_field(doc, "status");
    }
    let date = front_matter_field(doc, "date").or_else(|| preamble_field(doc, "date"));

    let mut links = relation_lines(doc);
    // MADR: `status: superseded by ADR-0005` (or a link) states the relation in the status.
    if let Some(s) = &status
        && status_word(&s.value) == "superseded"
        && !links.iter().any(|l| {
            l.relation == Relation::SupersededBy
                && l.span.start < s.span.end
                && s.span.start < l.span.end
        })
    {
        let lower = s.value.to_lowercase();
        if lower.contains(" by") {
            let target = target_in(doc, s.span, &s.value);
            links.push(AdrLink {
                relation: Relation::SupersededBy,
                target,
                span: s.span,
            });
        }
    }

    let (options, chosen) = if format == AdrFormat::Madr {
        (considered_options(doc), chosen_option(doc))
    } else {
        (Vec::new(), None)
    };
    AdrRecord {
        format,
        title,
        title_span,
        file_number,
        title_number,
        status,
        status_section,
        date,
        links,
        options,
        chosen,
        decision: decision_sentence(doc),
        template,
        mentions: doc
            .links
            .iter()
            .filter(|l| is_local(&l.dest))
            .map(|l| Target::File(l.dest.clone()))
            .chain(citations(&doc.prose).map(|(n, _)| Target::Number(n)))
            .collect(),
    }
}

/// A top-level front matter key as a string, located on its line.
fn front_matter_field(doc: &SpecDoc, key: &str) -> Option<Field> {
    let fm = doc.front_matter.as_ref()?;
    let value = fm.values.get(key)?;
    let value = match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => return None,
        other => other.to_string(),
    };
    if value.trim().is_empty() {
        return None;
    }
    let block = doc.slice(fm.span);
    let mut offset = fm.span.start;
    for line in block.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && let Some(after) = rest.trim_start().strip_prefix(':')
        {
            let lead = line.len() - after.len();
            let v = after.trim_end_matches(['\r', '\n']);
            let trimmed = v.trim_start();
            let start = offset + lead + (v.len() - trimmed.len());
            let span = Span::new(start, start + trimmed.trim_end().len());
            return Some(Field { value, span });
        }
        offset += line.len();
    }
    Some(Field {
        value,
        span: fm.span,
    })
}

/// A line's extent: from its first prose character (list markers and emphasis skipped) to
/// its last source character (so a link's destination is included). `None` for a line with
/// no prose (blank, code, comment).
fn line_span(doc: &SpecDoc, line: Span) -> Option<Span> {
    let prose = doc.prose_slice(line);
    let text = doc.slice(line);
    let lead = prose.len() - prose.trim_start().len();
    if prose.trim().is_empty() {
        return None;
    }
    let end = line.start + text.trim_end().len();
    Some(Span::new(line.start + lead, end.max(line.start + lead)))
}

/// The first line of the `## Status` section that is not a relation line, or the relation
/// line itself when it is all there is (`Superseded by [...]`).
fn section_status(doc: &SpecDoc, section: usize) -> Option<Field> {
    let s = &doc.sections[section];
    let body = Span::new(s.heading_span.end, s.body_span.end);
    let mut offset = body.start;
    let mut first_relation = None;
    for line in doc.prose_slice(body).split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let Some(span) = line_span(doc, Span::new(at, at + line.len())) else {
            // `` `Rejected` ``: a status some teams write as code is still the status.
            let raw = doc.slice(Span::new(at, at + line.len()));
            let word = raw.trim().trim_matches('`');
            let code = raw.trim();
            if code.len() > 2
                && code.starts_with('`')
                && !code.starts_with("``")
                && code.ends_with('`')
                && !word.contains('`')
            {
                let start = at + raw.find(word).unwrap_or(0);
                return Some(Field {
                    value: collapse(word),
                    span: Span::new(start, start + word.len()),
                });
            }
            continue;
        };
        let trimmed = line.trim();
        let field = Field {
            value: collapse(doc.prose_slice(span)),
            span,
        };
        // `Superseded by [...]` then "Note that this ADR was never implemented.": a sentence
        // after the relation is a remark on it, not the status.
        if first_relation.is_some() && trimmed.split_whitespace().count() > 3 {
            return first_relation;
        }
        if RELATION_LINE.is_match(trimmed) {
            first_relation.get_or_insert(field);
            continue;
        }
        // `Date: …` lines some teams put under Status are not the status.
        if FIELD_LINE
            .captures(trimmed)
            .is_some_and(|c| c[1].eq_ignore_ascii_case("date"))
        {
            continue;
        }
        if let Some(c) = FIELD_LINE.captures(trimmed)
            && c[1].eq_ignore_ascii_case("status")
            && let Some(m) = c.get(2)
        {
            let lead = line.len() - line.trim_start().len();
            let span = Span::new(at + lead + m.start(), span.end);
            return Some(Field {
                value: collapse(doc.prose_slice(span)),
                span,
            });
        }
        return Some(field);
    }
    first_relation
}

/// A `Status: …` / `Date: …` line (also `* Status: …`, `**Status:** …`) outside code, before
/// the first section below the title.
fn preamble_field(doc: &SpecDoc, key: &str) -> Option<Field> {
    let end = doc
        .sections
        .iter()
        .find(|s| s.level >= 2 && !s.title.eq_ignore_ascii_case("status"))
        .map_or(doc.text.len(), |s| s.heading_span.start);
    let region = &doc.prose[..end];
    FIELD_LINE
        .captures_iter(region)
        .find(|c| c[1].eq_ignore_ascii_case(key))
        .and_then(|c| c.get(2))
        .map(|m| {
            let line_end = doc.line_span(doc.line_of(m.start())).end;
            let end = line_span(doc, Span::new(m.start(), line_end)).map_or(m.end(), |s| s.end);
            let span = Span::new(m.start(), end);
            Field {
                value: collapse(doc.prose_slice(span)),
                span,
            }
        })
        .filter(|f| !f.value.is_empty())
}

/// adr-tools' link lines (`Supersedes [1. Title](0001-title.md)`), anywhere in prose.
fn relation_lines(doc: &SpecDoc) -> Vec<AdrLink> {
    let mut out = Vec::new();
    for c in RELATION_LINE.captures_iter(&doc.prose) {
        let (Some(whole), Some(word), Some(rest)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let relation = match word.as_str().to_lowercase().split_whitespace().next() {
            Some("supersedes") => Relation::Supersedes,
            Some("superseded") => Relation::SupersededBy,
            Some("amends") => Relation::Amends,
            _ => Relation::AmendedBy,
        };
        let Some(span) = line_span(doc, Span::new(whole.start(), whole.end())) else {
            continue;
        };
        // A sentence that happens to start with "Supersedes" is prose, not a link line,
        // unless it names a record.
        let target = target_in(doc, span, rest.as_str());
        if target == Target::Missing && rest.as_str().split_whitespace().count() > 2 {
            continue;
        }
        out.push(AdrLink {
            relation,
            target,
            span,
        });
    }
    out
}

/// The record a relation or status names: a link in `span`, else `ADR-N`, else a bare number
/// right after the relation words.
fn target_in(doc: &SpecDoc, span: Span, rest: &str) -> Target {
    if let Some(link) = doc
        .links
        .iter()
        .find(|l| span.contains(l.span.start) && is_local(&l.dest))
    {
        return Target::File(link.dest.clone());
    }
    let text = doc.slice(span);
    if let Some(n) = ADR_NUMBER.captures(text).and_then(|c| c[1].parse().ok()) {
        return Target::Number(n);
    }
    let after = rest
        .trim_start()
        .trim_start_matches(|c: char| c.is_alphabetic() || c == ' ');
    let after = if rest.to_lowercase().trim_start().starts_with("by") {
        rest.trim_start()[2..].trim_start()
    } else {
        after
    };
    match BARE_NUMBER.captures(after).and_then(|c| c[1].parse().ok()) {
        Some(n) => Target::Number(n),
        None => Target::Missing,
    }
}

/// The `ADR-0007` / `ADR 7` / `ADR #7` citations in `text`: number and span (offsets into
/// `text`).
pub fn citations(text: &str) -> impl Iterator<Item = (u32, Span)> + '_ {
    ADR_NUMBER.captures_iter(text).filter_map(|c| {
        let whole = c.get(0)?;
        Some((c[1].parse().ok()?, Span::new(whole.start(), whole.end())))
    })
}

/// A link to a file of the workspace (not a web page or an anchor of this document).
pub fn is_local(dest: &str) -> bool {
    !(dest.is_empty()
        || dest.starts_with('#')
        || dest.contains("://")
        || dest.starts_with("mailto:"))
}

fn section_named<'d>(doc: &'d SpecDoc, names: &[&str]) -> Option<&'d crate::syntax::Section> {
    doc.sections.iter().find(|s| {
        let t = crate::profiles::normalize_title(&s.title);
        names.iter().any(|n| t == *n)
    })
}

fn considered_options(doc: &SpecDoc) -> Vec<Field> {
    let Some(s) = section_named(doc, &["considered options"]) else {
        return Vec::new();
    };
    doc.blocks
        .iter()
        .filter(|b| {
            matches!(b.kind, BlockKind::ListItem { depth: 0, .. })
                && s.body_span.covers(b.span)
                && b.span.start >= s.heading_span.end
        })
        .filter_map(|b| {
            let first = doc
                .prose_slice(b.span)
                .lines()
                .find(|l| !l.trim().is_empty())?;
            let start = b.span.start + doc.prose_slice(b.span).find(first.trim())?;
            let span = Span::new(start, start + first.trim().len());
            let value = collapse(first);
            // MADR's "… <!-- numbers of options can vary -->" line is not an option.
            (!value.is_empty() && value != "…" && value != "...").then_some(Field { value, span })
        })
        .collect()
}

fn chosen_option(doc: &SpecDoc) -> Option<Field> {
    let s = section_named(doc, &["decision outcome"])?;
    let body = Span::new(s.heading_span.end, s.body_span.end);
    let prose = doc.prose_slice(body);
    let c = CHOSEN.captures(prose)?;
    let m = c.get(1)?;
    let span = Span::new(body.start + m.start(), body.start + m.end());
    let value = collapse(m.as_str());
    (!value.is_empty()).then_some(Field { value, span })
}

/// The first sentence of Decision (Nygard) or Decision Outcome (MADR).
fn decision_sentence(doc: &SpecDoc) -> String {
    let Some(s) = section_named(doc, &["decision", "decision outcome"]) else {
        return String::new();
    };
    let body = Span::new(s.heading_span.end, s.body_span.end);
    doc.sentences_in(body)
        .find(|x| body.covers(x.span))
        .map(|x| {
            let text = collapse(doc.prose_slice(x.span));
            let mut out: String = text.chars().take(200).collect();
            if text.chars().count() > 200 {
                out.push('…');
            }
            out
        })
        .unwrap_or_default()
}

/// White space folded to single spaces.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An option's name for comparison: lowercase, quotes, markup and punctuation removed.
pub fn option_key(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    collapse(&s)
}

/// Resolves a link destination written in the document at `location` to a location
/// (`/`-separated, `.` and `..` resolved, fragment and query removed). `None` for web links.
pub fn resolve(location: &str, dest: &str) -> Option<String> {
    if !is_local(dest) {
        return None;
    }
    let dest = dest.split(['#', '?']).next().unwrap_or("");
    let dest = dest.replace("%20", " ");
    if dest.is_empty() {
        return None;
    }
    let base = crate::index::folder_of(location);
    let joined = if dest.starts_with('/') {
        dest.to_string()
    } else {
        format!("{base}/{dest}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "." => {}
            "" if !parts.is_empty() => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests;
