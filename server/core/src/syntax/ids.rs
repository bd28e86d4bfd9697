//! Requirement, story, criterion, task and ADR ids: where each is defined and referenced.

use super::{BlockKind, SpecDoc};
use crate::span::Span;
use regex::Regex;
use std::sync::LazyLock;

/// The id patterns used when the configuration sets none.
pub const BUILTIN_PATTERNS: &[&str] = &[
    r"FR-\d+", r"NFR-\d+", r"SC-\d+", r"REQ-\d+", r"TR-\d+", r"US-?\d+", r"UC-\d+", r"AC-\d+",
    r"ADR-\d+", r"T\d{3,}",
];

/// Compiled id patterns: one regex, all patterns as alternatives between word boundaries.
#[derive(Debug, Clone)]
pub struct IdPatterns {
    regex: Regex,
    sources: Vec<String>,
}

impl IdPatterns {
    pub fn builtin() -> &'static IdPatterns {
        static BUILTIN: LazyLock<IdPatterns> = LazyLock::new(|| {
            IdPatterns::new(BUILTIN_PATTERNS.iter().map(|s| s.to_string()).collect())
                .unwrap_or_else(|(_, e)| panic!("built-in id pattern does not compile: {e}"))
        });
        &BUILTIN
    }

    /// Compiles `patterns`; on failure names the index of the first bad one.
    pub fn new(patterns: Vec<String>) -> Result<IdPatterns, (usize, String)> {
        for (i, p) in patterns.iter().enumerate() {
            Regex::new(p).map_err(|e| (i, e.to_string()))?;
        }
        let alternatives = patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let regex =
            Regex::new(&format!(r"\b(?:{alternatives})\b")).map_err(|e| (0, e.to_string()))?;
        Ok(IdPatterns {
            regex,
            sources: patterns,
        })
    }

    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    pub fn find_iter<'s, 't>(&'s self, text: &'t str) -> regex::Matches<'s, 't> {
        self.regex.find_iter(text)
    }
}

/// What an id names, from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdKind {
    /// `FR-001`, `NFR-3`, `REQ-12`, `TR-1`, Kiro's `1.2`.
    Requirement,
    /// `SC-002`.
    SuccessCriterion,
    /// `US-2`, `US1`.
    Story,
    /// `UC-4`.
    UseCase,
    /// `AC-7`.
    AcceptanceCriterion,
    /// `T001`.
    Task,
    /// `ADR-0007`.
    Adr,
    Other,
}

impl IdKind {
    fn of(id: &str) -> IdKind {
        let prefix: String = id.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        match prefix.to_ascii_uppercase().as_str() {
            "FR" | "NFR" | "REQ" | "TR" | "" => IdKind::Requirement,
            "SC" => IdKind::SuccessCriterion,
            "US" => IdKind::Story,
            "UC" => IdKind::UseCase,
            "AC" => IdKind::AcceptanceCriterion,
            "T" => IdKind::Task,
            "ADR" => IdKind::Adr,
            _ => IdKind::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdRole {
    /// The id labels the item it opens: `- **FR-001**: …`, `### FR-001`, a table row's first cell.
    Definition,
    /// Any other mention.
    Reference,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdOccurrence {
    pub id: String,
    pub span: Span,
    pub kind: IdKind,
    pub role: IdRole,
    /// The block it stands in.
    pub block: Option<usize>,
}

static KIRO_REFS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\brequirements?\s*:\s*(\d+(?:\.\d+)*(?:\s*,\s*\d+(?:\.\d+)*)*)")
        .expect("static regex")
});
static KIRO_REQUIREMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^requirement\s+(\d+(?:\.\d+)*)\b").expect("static regex"));
static KIRO_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)*").expect("static regex"));

pub(super) fn find(doc: &SpecDoc, patterns: &IdPatterns) -> Vec<IdOccurrence> {
    let mut out = Vec::new();
    for unit in &doc.units {
        let prose = doc.prose_slice(unit.span);
        let first_token = prose.trim_start();
        let first_token_at = unit.span.start + (prose.len() - first_token.len());
        let opens_item = opens_labelled_item(doc, unit.block);
        for m in patterns.find_iter(prose) {
            // `FR-003-NOTE`, `SC-001a`: a longer token that only starts like an id.
            let after = &prose[m.end()..];
            if after.starts_with(|c: char| c.is_alphanumeric())
                || (after.starts_with('-') && after[1..].starts_with(|c: char| c.is_alphanumeric()))
            {
                continue;
            }
            // `FR-1.1`, `REQ-2.3.1`: a dotted sub-id is one id, not `FR-1` followed by text.
            let dotted: usize = {
                let mut n = 0;
                let b = after.as_bytes();
                while n + 1 < b.len() && b[n] == b'.' && b[n + 1].is_ascii_digit() {
                    n += 1;
                    while n < b.len() && b[n].is_ascii_digit() {
                        n += 1;
                    }
                }
                n
            };
            let end = m.end() + dotted;
            let after = &prose[end..];
            if dotted > 0 && after.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let span = Span::new(unit.span.start + m.start(), unit.span.start + end);
            let kind = IdKind::of(m.as_str());
            let role = if opens_item
                && span.start == first_token_at
                && labels(kind, &doc.blocks[unit.block].kind, after)
            {
                IdRole::Definition
            } else {
                IdRole::Reference
            };
            out.push(IdOccurrence {
                id: prose[m.start()..end].to_string(),
                span,
                kind,
                role,
                block: Some(unit.block),
            });
        }
        for caps in KIRO_REFS.captures_iter(prose) {
            let Some(list) = caps.get(1) else { continue };
            for n in KIRO_NUMBER.find_iter(list.as_str()) {
                let start = unit.span.start + list.start() + n.start();
                out.push(IdOccurrence {
                    id: n.as_str().to_string(),
                    span: Span::new(start, start + n.len()),
                    kind: IdKind::Requirement,
                    role: IdRole::Reference,
                    block: Some(unit.block),
                });
            }
        }
    }
    kiro_acceptance_criteria(doc, &mut out);
    kiro_paragraph_criteria(doc, &mut out);
    numbered_criteria(doc, &mut out);
    story_headings(doc, &mut out);
    // A criterion numbered by hand under `### Requirement N` is found by two readers: keep
    // the first reading of each id in a block.
    let mut seen = std::collections::HashSet::new();
    out.retain(|o| o.role != IdRole::Definition || seen.insert((o.id.clone(), o.block)));
    out.sort_by_key(|o| o.span);
    out
}

/// Whether an id that opens an item labels it: `FR-001: …`, `**FR-001** – …`, `T001 [P] …`,
/// `### FR-001`, a table row's first cell. `FR-014 requires …` (a sentence about the id) and
/// `FR-006 through FR-010: …` (a range) do not.
fn labels(kind: IdKind, block: &BlockKind, after: &str) -> bool {
    if starts_a_range(after) {
        return false;
    }
    // A task id labels a task line (`- [ ] T012 …`), not a note about it (`- T012 can run …`).
    if kind == IdKind::Task {
        return matches!(
            block,
            BlockKind::ListItem {
                checkbox: Some(_),
                ..
            } | BlockKind::Heading { .. }
                | BlockKind::TableCell { .. }
        );
    }
    if matches!(
        block,
        BlockKind::Heading { .. } | BlockKind::TableCell { .. }
    ) {
        return true;
    }
    // `- [ ] SC-004: Content updated` verifies a criterion; it does not define it.
    if matches!(
        block,
        BlockKind::ListItem {
            checkbox: Some(_),
            ..
        }
    ) {
        return false;
    }
    let rest = after.trim_start_matches(['*', '_', ' ', '\t']);
    rest.is_empty() || rest.starts_with([':', '.', ')', '-', '–', '—', '|', '\n', '\r'])
}

/// `FR-006 through FR-010: …`, `FR-001, FR-002: …`: the leading id starts a list of references.
fn starts_a_range(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '*', '_']);
    let next: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    rest.starts_with([',', '/', '&', '+'])
        || rest.starts_with("–")
        || rest.starts_with("- ") && rest[2..].starts_with(|c: char| c.is_ascii_uppercase())
        || matches!(
            next.to_ascii_lowercase().as_str(),
            "through" | "to" | "and" | "or" | "thru"
        )
}

/// Whether an id at the very start of this block's text labels the block.
fn opens_labelled_item(doc: &SpecDoc, block: usize) -> bool {
    match &doc.blocks[block].kind {
        BlockKind::ListItem { .. } | BlockKind::Heading { .. } => true,
        BlockKind::TableCell {
            column: 0,
            header: false,
            ..
        } => true,
        // A loose list item's text sits in a paragraph inside the item.
        BlockKind::Paragraph => doc.blocks[block].parent.is_some_and(|p| {
            matches!(doc.blocks[p].kind, BlockKind::ListItem { .. })
                && doc.blocks[p].span.start <= doc.blocks[block].span.start
                && doc
                    .blocks
                    .iter()
                    .skip(p + 1)
                    .find(|b| b.parent == Some(p))
                    .is_some_and(|first| first.span == doc.blocks[block].span)
        }),
        _ => false,
    }
}

static STORY_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^user\s+story\s+(\d+)\b").expect("static regex"));

/// spec-kit names stories by heading (`### User Story 2 - …`) and tasks cite them as `[US2]`:
/// the heading defines `US2`.
fn story_headings(doc: &SpecDoc, out: &mut Vec<IdOccurrence>) {
    for section in &doc.sections {
        let Some(caps) = STORY_HEADING.captures(&section.title) else {
            continue;
        };
        let Some(n) = caps.get(1) else { continue };
        let title = doc.slice(section.title_span);
        let span = title
            .find(n.as_str())
            .map(|i| {
                Span::new(
                    section.title_span.start + i,
                    section.title_span.start + i + n.len(),
                )
            })
            .unwrap_or(section.title_span);
        let at = doc
            .blocks
            .partition_point(|b| b.span.start < section.heading_span.start);
        let block = (at..doc.blocks.len())
            .take_while(|&i| doc.blocks[i].span.start == section.heading_span.start)
            .find(|&i| matches!(doc.blocks[i].kind, BlockKind::Heading { .. }))
            .or_else(|| {
                doc.blocks
                    .iter()
                    .position(|b| b.span.start == section.heading_span.start)
            });
        out.push(IdOccurrence {
            id: format!("US{}", n.as_str()),
            span,
            kind: IdKind::Story,
            role: IdRole::Definition,
            block,
        });
    }
}

/// The comparable form of an id: upper case, no separator, no leading zeros in the number
/// (`FR-001`, `fr-1` and `FR1` are one id; `US-2` is `US2`). Kiro's `1.2` stays as it is.
pub fn normalize(id: &str) -> String {
    let prefix: String = id
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase();
    let rest = id[prefix.len()..].trim_start_matches(['-', '_']);
    if prefix.is_empty() {
        return rest.to_string();
    }
    let digits = rest.trim_start_matches('0');
    format!(
        "{prefix}{}",
        if digits.is_empty() && !rest.is_empty() {
            "0"
        } else {
            digits
        }
    )
}

/// Kiro numbers acceptance criteria by position: item 2 under `### Requirement 1` is `1.2`.
fn kiro_acceptance_criteria(doc: &SpecDoc, out: &mut Vec<IdOccurrence>) {
    for (si, section) in doc.sections.iter().enumerate() {
        let Some(caps) = KIRO_REQUIREMENT.captures(&section.title) else {
            continue;
        };
        let Some(number) = caps.get(1) else { continue };
        // Blocks are in document order: only the section's run is looked at (all blocks per
        // section is quadratic on large documents).
        let from = doc
            .blocks
            .partition_point(|b| b.span.start < section.heading_span.start);
        let to = doc
            .blocks
            .partition_point(|b| b.span.start < section.body_span.end);
        for (bi, block) in doc.blocks.iter().enumerate().take(to).skip(from) {
            let BlockKind::ListItem {
                ordered: true,
                number: Some(item),
                depth: 0,
                ..
            } = block.kind
            else {
                continue;
            };
            let in_section = block
                .section
                .is_some_and(|s| s == si || doc.section_path_indices(s).contains(&si));
            if !in_section {
                continue;
            }
            let marker_len = doc.slice(block.span).find(['.', ')']).map_or(0, |i| i + 1);
            out.push(IdOccurrence {
                id: format!("{}.{}", number.as_str(), item),
                span: Span::new(block.span.start, block.span.start + marker_len),
                kind: IdKind::Requirement,
                role: IdRole::Definition,
                block: Some(bi),
            });
        }
    }
}

static KIRO_PARAGRAPH_CRITERION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d+)\.(\d+)\.?\s").expect("static regex"));

/// Kiro files also number criteria by hand as paragraphs (`9.1. WHEN … SHALL …`), which
/// Markdown does not read as a list.
fn kiro_paragraph_criteria(doc: &SpecDoc, out: &mut Vec<IdOccurrence>) {
    for (si, section) in doc.sections.iter().enumerate() {
        let Some(number) = KIRO_REQUIREMENT
            .captures(&section.title)
            .and_then(|c| c.get(1))
        else {
            continue;
        };
        let from = doc
            .units
            .partition_point(|u| u.span.start < section.heading_span.start);
        let to = doc
            .units
            .partition_point(|u| u.span.start < section.body_span.end);
        for unit in &doc.units[from..to.max(from)] {
            let block = &doc.blocks[unit.block];
            if block.kind != BlockKind::Paragraph
                || !block
                    .section
                    .is_some_and(|s| s == si || doc.section_path_indices(s).contains(&si))
            {
                continue;
            }
            let source = doc.slice(unit.span);
            let Some(caps) = KIRO_PARAGRAPH_CRITERION.captures(source) else {
                continue;
            };
            let (Some(n), Some(m), Some(all)) = (caps.get(1), caps.get(2), caps.get(0)) else {
                continue;
            };
            if n.as_str() != number.as_str() {
                continue;
            }
            let marker_end = unit.span.start + all.as_str().trim_end().len();
            out.push(IdOccurrence {
                id: format!("{}.{}", n.as_str(), m.as_str()),
                span: Span::new(unit.span.start + n.start(), marker_end),
                kind: IdKind::Requirement,
                role: IdRole::Definition,
                block: Some(unit.block),
            });
        }
    }
}

static NUMBERED_CRITERION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s*_]*(\d+\.\d+)(?:[.:)]|\s)").expect("static regex"));
static REQUIREMENTS_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\brequirements?\b|acceptance\s+criteria|要件|受け入れ|需求|验收")
        .expect("static regex")
});

/// Criteria numbered by hand under a requirements heading, as real Kiro and cc-sdd files
/// write them whatever the requirement headings look like: `- 1.1 ユーザーが…`, `1.1. WHEN …`,
/// `### 1.1 通知チャネル` under `## Functional Requirements` or `## 要件`. The number the
/// author wrote is the id tasks cite (`_Requirements: 1.1_`).
fn numbered_criteria(doc: &SpecDoc, out: &mut Vec<IdOccurrence>) {
    let mut under_requirements: Vec<Option<bool>> = vec![None; doc.sections.len()];
    let mut in_requirements = |s: usize| -> bool {
        *under_requirements[s].get_or_insert_with(|| {
            doc.section_path_indices(s)
                .into_iter()
                .any(|j| REQUIREMENTS_TITLE.is_match(&doc.sections[j].title))
        })
    };
    for unit in &doc.units {
        let block = &doc.blocks[unit.block];
        let depth_ok = match block.kind {
            BlockKind::Paragraph | BlockKind::Heading { .. } => true,
            BlockKind::ListItem { depth, .. } => depth <= 1,
            _ => false,
        };
        if !depth_ok || !block.section.is_some_and(&mut in_requirements) {
            continue;
        }
        let prose = doc.prose_slice(unit.span);
        let Some(n) = NUMBERED_CRITERION.captures(prose).and_then(|c| c.get(1)) else {
            continue;
        };
        let span = Span::new(unit.span.start + n.start(), unit.span.start + n.end());
        out.push(IdOccurrence {
            id: n.as_str().to_string(),
            span,
            kind: IdKind::Requirement,
            role: IdRole::Definition,
            block: Some(unit.block),
        });
    }
}

impl SpecDoc {
    /// Indices of `section` and its ancestors, innermost first.
    pub fn section_path_indices(&self, section: usize) -> Vec<usize> {
        let mut path = Vec::new();
        let mut cur = Some(section);
        while let Some(i) = cur {
            path.push(i);
            cur = self.sections.get(i).and_then(|s| s.parent);
        }
        path
    }
}
