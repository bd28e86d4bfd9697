//! The tasks-file reader: task lines in spec-kit form (`- [ ] T012 [P] [US1] Do it in src/x.rs`)
//! and Kiro form (`- [ ] 2.1 Do it` with `_Requirements: 1.1, 1.2_` below), with the
//! requirement and story references each task carries.
//!
//! Reading only; writing and the round trip belong to decomposition.

use crate::span::Span;
use crate::syntax::{BlockKind, Checkbox, IdKind, IdRole, SpecDoc, normalize};
use regex::Regex;
use std::sync::LazyLock;

/// What a task covers.
#[derive(Debug, Clone, PartialEq, Eq)]
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// `T012`, `2.1`, or `None` for an unnumbered checkbox item.
    pub id: Option<String>,
    /// The list item, nested content included.
    pub span: Span,
    /// The id (or the start of the item when it has none).
    pub id_span: Span,
    pub title: String,
    pub checkbox: Checkbox,
    /// `[P]`: may run in parallel with other `[P]` tasks.
    pub parallel: bool,
    /// `[US1]`, normalised.
    pub story: Option<String>,
    pub covers: Vec<Covers>,
    /// 0 for a top-level task.
    pub depth: usize,
    pub block: usize,
}

impl Task {
    /// Whether the task cites any requirement or story.
    pub fn covers_anything(&self) -> bool {
        self.story.is_some() || !self.covers.is_empty()
    }
}

/// A Kiro cover list: `_Requirements: 1.1, 1.2-1.4, 2, All_`, also written
/// `**Validates: Requirements 1.2, 3.4**` and with `R`-prefixed numbers (`R1.1-R1.5`).
static KIRO_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:validates|implements|covers)[*_]*\s*:?[*_]*\s*requirements?[*_]*\s*:?|requirements?\s*:)\s*((?:all|すべて|全て|全部|r?\d+(?:\.\d+)?(?:\s*[-–]\s*r?\d+(?:\.\d+)?)?)(?:\s*,\s*(?:all|すべて|全て|全部|r?\d+(?:\.\d+)?(?:\s*[-–]\s*r?\d+(?:\.\d+)?)?))*)")
        .expect("static regex")
});
static STORY_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(US-?\d+)\]").expect("static regex"));
/// A task id at the start of a task: `T012`, suffixed `T056a` / `T028'`, Kiro's `2.1`.
static TASK_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(T\d+[a-z]?'?|\d+(?:\.\d+)*)(?:[\s.:)-]|$)").expect("static regex")
});
/// A task written as a heading: `### Task 1.2: Casings`, `## T001: Auth`, `### [X] T000: Set
/// up`, `### 1.1 LLM client` (the heading's text, markup removed).
static HEADING_TASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\[([ xX~-])\]\s*)?(?:Task\s+)?(T\d+[a-z]?'?|\d+(?:\.\d+)*)(?:[.:)]\s*|\s+)(\S.*)$",
    )
    .expect("static regex")
});

/// Every checkbox item of the document, in order.
pub fn read(doc: &SpecDoc) -> Vec<Task> {
    let mut tasks = Vec::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        let BlockKind::ListItem {
            checkbox: Some(checkbox),
            depth,
            ..
        } = block.kind
        else {
            continue;
        };
        // The item's own text: its first line(s) up to the first nested checkbox item; its
        // references: everything in the item except what its subtasks say.
        let subtasks: Vec<Span> = doc
            .blocks
            .iter()
            .skip(bi + 1)
            .take_while(|b| block.span.covers(b.span))
            .filter(|b| {
                matches!(
                    b.kind,
                    BlockKind::ListItem {
                        checkbox: Some(_),
                        ..
                    }
                )
            })
            .map(|b| b.span)
            .collect();
        let own = Span::new(
            block.span.start,
            subtasks.first().map_or(block.span.end, |s| s.start),
        );
        let outside_subtasks = |span: Span| !subtasks.iter().any(|s| s.covers(span));
        let source = doc.slice(own);
        let prose = doc.prose_slice(own);
        let text = prose.trim_start();
        let lead = own.start + (prose.len() - text.len());
        let id = TASK_ID.captures(text).and_then(|c| c.get(1)).map(|m| {
            (
                m.as_str().to_string(),
                Span::new(lead + m.start(), lead + m.end()),
            )
        });
        let first_line = text.lines().next().unwrap_or("");
        let title = first_line
            .split_whitespace()
            .filter(|w| !w.starts_with('[') || !w.ends_with(']'))
            .skip(usize::from(id.is_some()))
            .collect::<Vec<_>>()
            .join(" ");
        let story = STORY_LABEL
            .captures(source)
            .and_then(|c| c.get(1))
            .map(|m| normalize(m.as_str()));
        let parallel = source.contains("[P]");
        // Lettered ids (`FR-001`, `TR-2`); Kiro's numbers are read from their lists below.
        let mut covers: Vec<Covers> = doc
            .ids_in(block.span)
            .filter(|o| {
                o.role == IdRole::Reference && !matches!(o.kind, IdKind::Task | IdKind::Story)
            })
            .filter(|o| {
                o.id.starts_with(|c: char| c.is_ascii_alphabetic()) && outside_subtasks(o.span)
            })
            .map(|o| Covers::Id(normalize(&o.id)))
            .collect();
        let item_prose = doc.prose_slice(block.span);
        for caps in KIRO_LIST.captures_iter(item_prose) {
            let Some(list) = caps.get(1) else { continue };
            if !outside_subtasks(Span::new(
                block.span.start + list.start(),
                block.span.start + list.end(),
            )) {
                continue;
            }
            for item in list.as_str().split(',') {
                covers.push(kiro_item(item.trim()));
            }
        }
        covers.dedup();
        tasks.push(Task {
            id: id.as_ref().map(|(i, _)| i.clone()),
            span: block.span,
            id_span: id.map_or(Span::new(lead, lead), |(_, s)| s),
            title,
            checkbox,
            parallel,
            story,
            covers,
            depth,
            block: bi,
        });
    }
    tasks
}

/// The tasks a tasks file writes as headings (`### Task 1.2: Casings`), each spanning its
/// section: its checkbox items are its steps, and the cover lists and ids in its own part of
/// the section (not in a sub-section, not in a numbered sub-task) are what it covers. Its
/// state is its own checkbox when the heading has one, else what its steps say. Only for
/// tasks files: elsewhere a numbered heading is a chapter.
pub fn headings(doc: &SpecDoc, items: &[Task]) -> Vec<Task> {
    let mut out = Vec::new();
    for section in &doc.sections {
        let Some(caps) = HEADING_TASK.captures(&section.title) else {
            continue;
        };
        let (Some(id), Some(title)) = (caps.get(2), caps.get(3)) else {
            continue;
        };
        let span = Span::new(section.heading_span.start, section.body_span.end);
        let heading = doc.slice(section.heading_span);
        let id_span = heading.find(id.as_str()).map_or(section.title_span, |at| {
            let start = section.heading_span.start + at;
            Span::new(start, start + id.len())
        });
        // Its own part: sub-sections and numbered sub-tasks speak for themselves.
        let mut taken: Vec<Span> = section
            .children
            .iter()
            .filter_map(|&c| doc.sections.get(c))
            .map(|c| Span::new(c.heading_span.start, c.body_span.end))
            .collect();
        taken.extend(
            items
                .iter()
                .filter(|t| t.id.is_some() && span.covers(t.span))
                .map(|t| t.span),
        );
        let own = |s: Span| !taken.iter().any(|t| t.covers(s));
        let mut covers: Vec<Covers> = doc
            .ids_in(span)
            .filter(|o| {
                o.role == IdRole::Reference
                    && !matches!(o.kind, IdKind::Task | IdKind::Story)
                    && o.id.starts_with(|c: char| c.is_ascii_alphabetic())
                    && own(o.span)
            })
            .map(|o| Covers::Id(normalize(&o.id)))
            .collect();
        let prose = doc.prose_slice(section.body_span);
        for caps in KIRO_LIST.captures_iter(prose) {
            let Some(list) = caps.get(1) else { continue };
            let at = section.body_span.start;
            if own(Span::new(at + list.start(), at + list.end())) {
                covers.extend(list.as_str().split(',').map(|i| kiro_item(i.trim())));
            }
        }
        covers.dedup();
        let steps: Vec<Checkbox> = items
            .iter()
            .filter(|t| span.covers(t.span))
            .map(|t| t.checkbox)
            .collect();
        let checkbox = match caps.get(1).map(|m| m.as_str()) {
            Some("x" | "X") => Checkbox::Done,
            Some("-" | "~") => Checkbox::InProgress,
            Some(_) => Checkbox::Open,
            None if !steps.is_empty() && steps.iter().all(|c| *c == Checkbox::Done) => {
                Checkbox::Done
            }
            None if steps.iter().any(|c| *c != Checkbox::Open) => Checkbox::InProgress,
            None => Checkbox::Open,
        };
        let source = doc.slice(span);
        out.push(Task {
            id: Some(id.as_str().to_string()),
            span,
            id_span,
            title: title.as_str().trim().to_string(),
            checkbox,
            parallel: section.title.contains("(P)") || section.title.contains("[P]"),
            story: STORY_LABEL
                .captures(&section.title)
                .or_else(|| STORY_LABEL.captures(source))
                .and_then(|c| c.get(1))
                .map(|m| normalize(m.as_str())),
            covers,
            depth: 0,
            block: doc
                .blocks
                .iter()
                .position(|b| b.span.start >= section.heading_span.start)
                .unwrap_or(0),
        });
    }
    out
}

/// What one entry of a task's cover list covers: a lettered id (`FR-003`), or Kiro's `1.2`,
/// `2` (a whole requirement), `1.1-1.7`, `All`.
pub fn cover_of(item: &str) -> Covers {
    if item.starts_with(|c: char| c.is_ascii_alphabetic()) && !is_all(item) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ParseOptions;

    #[test]
    fn reads_tasks_written_as_headings_and_suffixed_ids() {
        let text = "# Tasks\n\n## 1. Core\n\n### 1.1 Client\n_Requirements: 1.1_\n\n- [x] Create the class\n- [ ] Retry\n\n### Task 1.2: Analyzer\n- [x] Parse\n- _Requirements: 2.1, 2.2_\n\n## [X] T000: Set up\n\n- [ ] T056a Tidy (FR-003)\n- [~] T028' Redo\n";
        let doc = SpecDoc::parse(text, ParseOptions::default());
        let items = read(&doc);
        let ids: Vec<Option<String>> = items.iter().map(|t| t.id.clone()).collect();
        assert_eq!(
            ids,
            vec![None, None, None, Some("T056a".into()), Some("T028'".into())]
        );
        assert_eq!(items[4].checkbox, Checkbox::InProgress);
        let heads: Vec<String> = headings(&doc, &items)
            .iter()
            .map(|t| format!("{:?} {:?} {:?} {}", t.id, t.checkbox, t.covers, t.title))
            .collect();
        assert_eq!(
            heads,
            vec![
                "Some(\"1\") InProgress [] Core",
                "Some(\"1.1\") InProgress [Id(\"1.1\")] Client",
                "Some(\"1.2\") Done [Id(\"2.1\"), Id(\"2.2\")] Analyzer",
                "Some(\"T000\") Done [] Set up",
            ]
        );
    }

    #[test]
    fn reads_validates_lines_and_r_prefixed_criteria() {
        let text = "# Tasks\n\n- [ ] 1. Property tests\n  - **Validates: Requirements 1.2, 3.4**\n- [ ] 2. Agent tools\n  - _Requirements: R1.1-R1.3, R2_\n- [ ] 3. Notes\n  - Requirements were reviewed in 2026.\n";
        let doc = SpecDoc::parse(text, ParseOptions::default());
        let covers: Vec<Vec<Covers>> = read(&doc).into_iter().map(|t| t.covers).collect();
        assert_eq!(
            covers,
            vec![
                vec![Covers::Id("1.2".into()), Covers::Id("3.4".into())],
                vec![
                    Covers::Range {
                        requirement: "1".into(),
                        from: 1,
                        to: 3
                    },
                    Covers::Requirement("2".into())
                ],
                vec![],
            ]
        );
    }

    #[test]
    fn reads_spec_kit_and_kiro_tasks() {
        let text = "# Tasks\n\n- [ ] T012 [P] [US1] Create the model in src/models/draft.rs (FR-001)\n- [x] T013 [US2] Wire sync\n- [-] 2. Implement endpoints\n  - [x] 2.1 Create endpoint\n    - _Requirements: 1.1, 1.2-1.4_\n  - [ ] 2.2 Revoke endpoint\n    - _Requirements: 2, All_\n  - **Validates**: TR-2, NFR-4\n";
        let doc = SpecDoc::parse(text, ParseOptions::default());
        let tasks = read(&doc);
        let summary: Vec<String> = tasks
            .iter()
            .map(|t| {
                format!(
                    "{:?} {:?} p={} story={:?} covers={:?} depth={} title={}",
                    t.id, t.checkbox, t.parallel, t.story, t.covers, t.depth, t.title
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                "Some(\"T012\") Open p=true story=Some(\"US1\") covers=[Id(\"FR1\")] depth=0 title=Create the model in src/models/draft.rs (FR-001)",
                "Some(\"T013\") Done p=false story=Some(\"US2\") covers=[] depth=0 title=Wire sync",
                "Some(\"2\") InProgress p=false story=None covers=[Id(\"TR2\"), Id(\"NFR4\")] depth=0 title=Implement endpoints",
                "Some(\"2.1\") Done p=false story=None covers=[Id(\"1.1\"), Range { requirement: \"1\", from: 2, to: 4 }] depth=1 title=Create endpoint",
                "Some(\"2.2\") Open p=false story=None covers=[Requirement(\"2\"), All] depth=1 title=Revoke endpoint",
            ]
        );
        assert!(
            Covers::Range {
                requirement: "1".into(),
                from: 2,
                to: 4
            }
            .covers("1.3")
        );
        assert!(Covers::Requirement("2".into()).covers("2.5"));
        assert!(!Covers::Requirement("2".into()).covers("20.1"));
        // A parent is covered through the criteria its tasks cite, never by a sibling.
        assert!(Covers::Id("FR1.2".into()).covers_child_of("FR1"));
        assert!(!Covers::Id("FR12".into()).covers_child_of("FR1"));
        assert!(!Covers::Id("FR1".into()).covers_child_of("FR1"));
        assert!(
            Covers::Range {
                requirement: "3".into(),
                from: 1,
                to: 2
            }
            .covers_child_of("3")
        );
        assert!(!Covers::All.covers_child_of("3"));
    }
}
