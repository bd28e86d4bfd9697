//! The ADR actions as text edits: a new record, superseding one, setting a status, and the
//! folder's index table. Pure: the caller supplies the texts and records (the server from its
//! buffers and index, the CLI from disk) and applies the edits (a `WorkspaceEdit`, or files).

use super::{AdrFormat, AdrRecord, Relation, Target};
use crate::diagnostic::TextEdit;
use crate::rules::Date;
use crate::span::Span;

/// The markers around the generated index table; re-running replaces only what is between them.
pub const INDEX_START: &str = "<!-- specwright:adr-index:start -->";
pub const INDEX_END: &str = "<!-- specwright:adr-index:end -->";

/// A record of the folder, as the actions see it.
#[derive(Debug, Clone, Copy)]
pub struct Existing<'a> {
    /// The file name within the folder (`0002-use-x.md`).
    pub file_name: &'a str,
    pub record: &'a AdrRecord,
}

/// One past the highest number in the folder; the first record is number 1 (or 0 when the
/// folder's numbering starts at 0 and is empty of others, as MADR's does).
pub fn next_number(records: &[Existing<'_>]) -> u32 {
    records
        .iter()
        .filter(|e| !e.record.template)
        .filter_map(|e| e.record.number())
        .max()
        .map_or(1, |n| n + 1)
}

/// The digits the folder's file names use (4 when it has none: adr-tools' and MADR's width).
pub fn number_width(records: &[Existing<'_>]) -> usize {
    records
        .iter()
        .filter_map(|e| {
            let digits = e
                .file_name
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .chars()
                .take_while(char::is_ascii_digit)
                .count();
            (digits > 0 && e.record.file_number.is_some()).then_some(digits)
        })
        .max()
        .unwrap_or(4)
}

/// `0007-use-postgres-for-storage.md`.
pub fn file_name(number: u32, width: usize, title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "decision" } else { slug };
    format!("{number:0width$}-{slug}.md")
}

/// The record a new one supersedes, for its link line.
#[derive(Debug, Clone, Copy)]
pub struct Predecessor<'a> {
    pub number: u32,
    pub title: &'a str,
    pub file_name: &'a str,
}

/// The text of a new record. A superseding record is accepted; a new one is proposed.
pub fn new_record_text(
    format: AdrFormat,
    number: u32,
    title: &str,
    today: Date,
    supersedes: Option<Predecessor<'_>>,
) -> String {
    let title = title.trim();
    match format {
        AdrFormat::Nygard => {
            let status = if supersedes.is_some() {
                "Accepted"
            } else {
                "Proposed"
            };
            let link = supersedes
                .map(|p| {
                    format!(
                        "\n\nSupersedes [{}. {}]({})",
                        p.number, p.title, p.file_name
                    )
                })
                .unwrap_or_default();
            format!(
                "# {number}. {title}\n\nDate: {today}\n\n## Status\n\n{status}{link}\n\n## Context\n\n\
{{What is the issue that motivates this decision, and what forces are at play?}}\n\n## Decision\n\n\
{{What we will do, stated in full sentences: \"We will …\".}}\n\n## Consequences\n\n\
{{What becomes easier or harder because of this decision, and what risks it brings.}}\n"
            )
        }
        AdrFormat::Madr => {
            let status = if supersedes.is_some() {
                "accepted"
            } else {
                "proposed"
            };
            let more = supersedes
                .map(|p| {
                    format!(
                        "\n## More Information\n\nSupersedes [ADR-{:04}: {}]({})\n",
                        p.number, p.title, p.file_name
                    )
                })
                .unwrap_or_default();
            format!(
                "---\nstatus: {status}\ndate: {today}\n---\n# {title}\n\n## Context and Problem Statement\n\n\
{{Describe the context and problem statement in two or three sentences, or as a question.}}\n\n\
## Considered Options\n\n* {{title of option 1}}\n* {{title of option 2}}\n\n## Decision Outcome\n\n\
Chosen option: \"{{title of option 1}}\", because {{justification}}.\n\n### Consequences\n\n\
* Good, because {{positive consequence}}\n* Bad, because {{negative consequence}}\n\n### Confirmation\n\n\
{{How compliance with this decision is confirmed: a review, a test, an architecture check.}}\n{more}"
            )
        }
    }
}

/// The edits that mark `old` (whose text is `text`) superseded by record `number` `title` in
/// `file_name`: the status becomes `Superseded by [N. Title](file)` (adr-tools) or
/// `superseded by ADR-NNNN` (MADR front matter).
pub fn supersede_edits(
    text: &str,
    old: &AdrRecord,
    number: u32,
    title: &str,
    file_name: &str,
) -> Vec<TextEdit> {
    let nygard_value = format!("Superseded by [{number}. {title}]({file_name})");
    let madr_value = format!("superseded by ADR-{number:04}");
    status_edits(text, old, &nygard_value, &madr_value)
}

/// The edits that set the status of `record` to `status` and its date to `today`.
pub fn set_status_edits(
    text: &str,
    record: &AdrRecord,
    status: &str,
    today: Date,
) -> Vec<TextEdit> {
    let nygard_value = capitalise(status);
    let madr_value = status.to_lowercase();
    let mut edits = status_edits(text, record, &nygard_value, &madr_value);
    let date = today.to_string();
    match &record.date {
        Some(d) if text.get(d.span.range()) != Some(date.as_str()) => edits.push(TextEdit {
            span: d.span,
            new_text: date,
        }),
        Some(_) => {}
        None => edits.push(insert_field(text, record, "date", &date)),
    }
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    merge_inserts(edits)
}

/// Replaces the status where it is written, or adds one where the format keeps it.
fn status_edits(text: &str, record: &AdrRecord, nygard: &str, madr: &str) -> Vec<TextEdit> {
    let in_front_matter = record
        .status
        .as_ref()
        .is_some_and(|s| in_front_matter(text, s.span));
    match &record.status {
        Some(s) if in_front_matter => vec![TextEdit {
            span: s.span,
            new_text: yaml_scalar(madr),
        }],
        Some(s) => {
            // adr-tools keeps relation lines under the status; replace only the status line,
            // or the stale `Superseded by` line that stands for it.
            let value = if record.format == AdrFormat::Madr && record.status_section.is_none() {
                madr.to_string()
            } else {
                nygard.to_string()
            };
            vec![TextEdit {
                span: s.span,
                new_text: value,
            }]
        }
        None => vec![insert_field(
            text,
            record,
            "status",
            if record.format == AdrFormat::Madr {
                madr
            } else {
                nygard
            },
        )],
    }
}

/// Inserts a missing `status` or `date`: into the front matter of a MADR record (creating
/// it when there is none), else as a `Status:` / `Date:` line under the title.
fn insert_field(text: &str, record: &AdrRecord, key: &str, value: &str) -> TextEdit {
    let nl = newline(text);
    if record.format == AdrFormat::Madr || has_front_matter(text) {
        if has_front_matter(text) {
            let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
            return TextEdit {
                span: Span::new(first_line_end, first_line_end),
                new_text: format!("{key}: {}{nl}", yaml_scalar(value)),
            };
        }
        return TextEdit {
            span: Span::new(0, 0),
            new_text: format!("---{nl}{key}: {}{nl}---{nl}", yaml_scalar(value)),
        };
    }
    let label = capitalise(key);
    let at = record
        .title_span
        .map(|t| {
            text[t.end..]
                .find('\n')
                .map_or(text.len(), |i| t.end + i + 1)
        })
        .unwrap_or(0);
    let lead = if at == text.len() && !text.ends_with('\n') {
        nl
    } else {
        ""
    };
    TextEdit {
        span: Span::new(at, at),
        new_text: format!("{lead}{nl}{label}: {value}{nl}"),
    }
}

/// Two insertions at one offset (status and date into the same front matter) become one.
fn merge_inserts(edits: Vec<TextEdit>) -> Vec<TextEdit> {
    let mut out: Vec<TextEdit> = Vec::new();
    for e in edits {
        match out.last_mut() {
            Some(last) if last.span == e.span && e.span.start == e.span.end => {
                last.new_text.push_str(&e.new_text)
            }
            _ => out.push(e),
        }
    }
    out
}

/// One row of the index table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub number: Option<u32>,
    pub title: String,
    pub status: String,
    pub date: String,
    pub file_name: String,
}

impl IndexRow {
    pub fn of(e: &Existing<'_>) -> IndexRow {
        IndexRow {
            number: e.record.number(),
            title: e.record.title.clone(),
            status: e
                .record
                .status
                .as_ref()
                .map(|s| s.value.clone())
                .unwrap_or_default(),
            date: e
                .record
                .date
                .as_ref()
                .map(|d| d.value.clone())
                .unwrap_or_default(),
            file_name: e.file_name.to_string(),
        }
    }
}

/// The index table, between its markers, rows in number order (templates left out).
pub fn index_block(records: &[Existing<'_>], nl: &str) -> String {
    let mut rows: Vec<IndexRow> = records
        .iter()
        .filter(|e| !e.record.template)
        .map(|e| {
            let mut row = IndexRow::of(e);
            if let Some(link) = successor_link(records, e.record) {
                row.status = format!("Superseded by {link}");
            }
            row
        })
        .collect();
    rows.sort_by(|a, b| (a.number, &a.file_name).cmp(&(b.number, &b.file_name)));
    let cell = |s: &str| {
        // Links in a status (`Superseded by [2. X](0002-x.md)`) keep only their text.
        let s = s.replace('|', "\\|");
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mut out =
        format!("{INDEX_START}{nl}| ADR | Title | Status | Date |{nl}|---|---|---|---|{nl}");
    for r in rows {
        let number = r
            .number
            .map_or_else(|| "—".to_string(), |n| format!("{n:04}"));
        out.push_str(&format!(
            "| [{number}]({}) | {} | {} | {} |{nl}",
            r.file_name.replace(' ', "%20"),
            cell(&r.title),
            cell(&r.status),
            cell(&r.date),
        ));
    }
    out.push_str(INDEX_END);
    out
}

/// `[ADR-0003](0003-x.md)` for the successor a superseded record names, when the folder has it.
fn successor_link(records: &[Existing<'_>], record: &AdrRecord) -> Option<String> {
    if record.status_word().as_deref() != Some("superseded") {
        return None;
    }
    let next = record.successors().find_map(|l| match &l.target {
        Target::File(dest) => {
            let name = dest.rsplit('/').next().unwrap_or(dest);
            records.iter().find(|e| e.file_name == name)
        }
        Target::Number(n) => records.iter().find(|e| e.record.number() == Some(*n)),
        Target::Missing => None,
    })?;
    let label = next
        .record
        .number()
        .map_or_else(|| next.file_name.to_string(), |n| format!("ADR-{n:04}"));
    Some(format!("[{label}]({})", next.file_name.replace(' ', "%20")))
}

/// The edit that puts `block` into the index file `text`: between the markers when they are
/// there, else appended. `None` when the file already holds exactly this block.
pub fn index_edit(text: &str, block: &str) -> Option<TextEdit> {
    if let Some(start) = text.find(INDEX_START)
        && let Some(end_rel) = text[start..].find(INDEX_END)
    {
        let span = Span::new(start, start + end_rel + INDEX_END.len());
        return (text.get(span.range()) != Some(block)).then(|| TextEdit {
            span,
            new_text: block.to_string(),
        });
    }
    let nl = newline(text);
    let trimmed = text.trim_end().len();
    let sep = if trimmed == 0 {
        String::new()
    } else {
        format!("{nl}{nl}")
    };
    Some(TextEdit {
        span: Span::new(trimmed, text.len()),
        new_text: format!("{sep}{block}{nl}"),
    })
}

/// The text of a new index file holding `block`.
pub fn new_index_text(block: &str) -> String {
    format!(
        "# Architecture Decision Records\n\nGenerated by `specwright adr index`; edit the records, not the table.\n\n{block}\n"
    )
}

/// Whether `record` states the relation `relation` to the record in `file_name` numbered
/// `number`.
pub fn states(
    record: &AdrRecord,
    relation: Relation,
    file_name: &str,
    number: Option<u32>,
) -> bool {
    record.links.iter().any(|l| {
        l.relation == relation
            && match &l.target {
                Target::File(dest) => {
                    dest.rsplit('/')
                        .next()
                        .map(|d| d.split('#').next().unwrap_or(d))
                        == Some(file_name)
                }
                Target::Number(n) => Some(*n) == number,
                Target::Missing => false,
            }
    })
}

fn in_front_matter(text: &str, span: Span) -> bool {
    has_front_matter(text)
        && text[3..]
            .find("\n---")
            .is_some_and(|end| span.end <= end + 3)
}

fn has_front_matter(text: &str) -> bool {
    text.starts_with("---\n") || text.starts_with("---\r\n")
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// A YAML plain scalar, quoted when it would not read back as the same string.
fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| "[]{}&*!|>'\"%@`#,?:-".contains(c))
        && !s.contains(": ")
        && !s.contains(" #");
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Family;
    use crate::syntax::{ParseOptions, SpecDoc};

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 28,
    };

    fn apply(text: &str, mut edits: Vec<TextEdit>) -> String {
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut out = text.to_string();
        for e in edits {
            out.replace_range(e.span.range(), &e.new_text);
        }
        out
    }

    fn record(text: &str, family: Family, name: &str) -> AdrRecord {
        super::super::read(
            &SpecDoc::parse(text, ParseOptions::default()),
            family,
            Some(name),
        )
    }

    #[test]
    fn numbers_and_names_new_records() {
        let a = record("# 1. A\n", Family::Nygard, "0001-a.md");
        let b = record("# 7. B\n", Family::Nygard, "0007-b.md");
        let existing = [
            Existing {
                file_name: "0001-a.md",
                record: &a,
            },
            Existing {
                file_name: "0007-b.md",
                record: &b,
            },
        ];
        assert_eq!(next_number(&existing), 8);
        assert_eq!(next_number(&[]), 1);
        assert_eq!(number_width(&existing), 4);
        assert_eq!(
            file_name(8, 4, "Use Postgres (v16)!"),
            "0008-use-postgres-v16.md"
        );
    }

    #[test]
    fn supersedes_nygard_and_madr_records() {
        let nygard = "# 1. Use localStorage\n\nDate: 2026-01-10\n\n## Status\n\nAccepted\n\n## Context\n\nx\n";
        let r = record(nygard, Family::Nygard, "0001-use-localstorage.md");
        let out = apply(
            nygard,
            supersede_edits(nygard, &r, 2, "Use IndexedDB", "0002-use-indexeddb.md"),
        );
        assert!(
            out.contains(
                "## Status\n\nSuperseded by [2. Use IndexedDB](0002-use-indexeddb.md)\n\n## Context"
            ),
            "{out}"
        );

        let madr = "---\nstatus: accepted\n---\n# Use X\n\n## Context and Problem Statement\n\nx\n";
        let r = record(madr, Family::Madr, "0003-use-x.md");
        let out = apply(madr, supersede_edits(madr, &r, 5, "Use Y", "0005-use-y.md"));
        assert!(
            out.starts_with("---\nstatus: superseded by ADR-0005\n---\n"),
            "{out}"
        );

        let bare = "# Use X\n\n## Context and Problem Statement\n\nx\n";
        let r = record(bare, Family::Madr, "0003-use-x.md");
        let out = apply(bare, supersede_edits(bare, &r, 5, "Use Y", "0005-use-y.md"));
        assert!(
            out.starts_with("---\nstatus: superseded by ADR-0005\n---\n# Use X"),
            "{out}"
        );
    }

    #[test]
    fn sets_status_and_date() {
        let nygard = "# 1. A\n\nDate: 2026-01-10\n\n## Status\n\nProposed\n\n## Context\n\nx\n";
        let r = record(nygard, Family::Nygard, "0001-a.md");
        let out = apply(nygard, set_status_edits(nygard, &r, "accepted", TODAY));
        assert_eq!(
            out,
            "# 1. A\n\nDate: 2026-11-28\n\n## Status\n\nAccepted\n\n## Context\n\nx\n"
        );
        let madr = "---\nparent: Decisions\n---\n# A\n";
        let r = record(madr, Family::Madr, "0001-a.md");
        let out = apply(madr, set_status_edits(madr, &r, "rejected", TODAY));
        assert_eq!(
            out,
            "---\nstatus: rejected\ndate: 2026-11-28\nparent: Decisions\n---\n# A\n"
        );
    }

    #[test]
    fn index_is_replaced_between_markers_only() {
        let a = record(
            "# 1. Record decisions\n\nDate: 2026-01-10\n\n## Status\n\nAccepted\n",
            Family::Nygard,
            "0001-record-decisions.md",
        );
        let existing = [Existing {
            file_name: "0001-record-decisions.md",
            record: &a,
        }];
        let block = index_block(&existing, "\n");
        assert_eq!(
            block,
            "<!-- specwright:adr-index:start -->\n| ADR | Title | Status | Date |\n|---|---|---|---|\n| [0001](0001-record-decisions.md) | Record decisions | Accepted | 2026-01-10 |\n<!-- specwright:adr-index:end -->"
        );
        let readme = format!("# ADRs\n\nIntro.\n\n{INDEX_START}\nold\n{INDEX_END}\n\nFooter.\n");
        let out = apply(&readme, index_edit(&readme, &block).into_iter().collect());
        assert_eq!(out, format!("# ADRs\n\nIntro.\n\n{block}\n\nFooter.\n"));
        assert_eq!(index_edit(&out, &block), None);
        let plain = "# ADRs\n";
        let out = apply(plain, index_edit(plain, &block).into_iter().collect());
        assert_eq!(out, format!("# ADRs\n\n{block}\n"));
    }
}
