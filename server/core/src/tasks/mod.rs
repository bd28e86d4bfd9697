//! Tasks files: one model of their task lines ([`file`]: read, and written back by [`render`]),
//! the tasks written as headings ([`headings`]), what each task covers ([`covers`]), and the
//! view the analysis asks for ([`read`]): each task with its spans in the document, its
//! sub-tasks inside its span, and its references resolved. Coverage, orphan-task,
//! task-boundary, decompose, dispatch, verify and the server's lenses all read tasks here.

pub mod covers;
pub mod file;
mod headings;
pub mod render;

pub use covers::{Covers, cover_of};
pub use file::{FileTask, Status, Step, TaskFormat, TaskValue, TasksFile, looks_like_glob, parse};
pub use headings::headings;
pub use render::{checkbox_edit, render, stamp_edit};

use crate::span::Span;
use crate::syntax::{Checkbox, IdKind, IdRole, SpecDoc, normalize};
use regex::Regex;
use std::sync::LazyLock;

/// A task as the analysis sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// `T012`, `2.1`.
    pub id: Option<String>,
    /// The task with its detail lines and its sub-tasks (flush ones too).
    pub span: Span,
    /// The id (or the start of the item when it has none).
    pub id_span: Span,
    pub title: String,
    pub checkbox: Checkbox,
    /// `[P]`: may run in parallel with other `[P]` tasks.
    pub parallel: bool,
    /// Kiro's `- [ ]* 2.1`: an optional task.
    pub optional: bool,
    /// `[US1]`, normalised.
    pub story: Option<String>,
    pub covers: Vec<Covers>,
    /// 0 for a top-level task.
    pub depth: usize,
    /// A gate of the process rather than a piece of the product (`Checkpoint - Ensure all
    /// tests pass`, `Git commit: …`): it needs no requirement.
    pub housekeeping: bool,
    /// The task's own lines, without its sub-tasks': what it says it does.
    pub own: Vec<Span>,
}

impl Task {
    /// Whether the task cites any requirement or story.
    pub fn covers_anything(&self) -> bool {
        self.story.is_some() || !self.covers.is_empty()
    }
}

pub(crate) static STORY_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(US-?\d+)\]").expect("static regex"));

/// A task that gates the process: a checkpoint, a commit or push, "ensure all tests pass", a
/// final validation, or tests of the whole (integration, end-to-end, regression), which check
/// what the other tasks built rather than build a requirement.
static HOUSEKEEPING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\*\*)?(?:(?:final\s+)?checkpoint\b|(?:git\s+)?(?:commit|push)\b|ensure\s+(?:that\s+)?all\b.*\btests?\s+pass|final\b.*\b(?:test(?:s|ing)?|validation|verification|qa)\b|(?:\w+\s+){0,2}(?:integration|end-to-end|e2e|regression|smoke)\s+test(?:s|ing)?\b)")
        .expect("static regex")
});

/// Every numbered task of the document, in order.
pub fn read(doc: &SpecDoc) -> Vec<Task> {
    tasks_of(doc, &parse(&doc.text, TaskFormat::SpecKit))
}

/// The tasks of `file`, the model of `doc`'s text.
pub fn tasks_of(doc: &SpecDoc, file: &TasksFile) -> Vec<Task> {
    file.tasks.iter().map(|t| view(doc, t)).collect()
}

fn view(doc: &SpecDoc, t: &FileTask) -> Task {
    let own = Span::new(t.start, t.end);
    let line = doc.text[t.start..t.end]
        .find(t.value.id.as_str())
        .map(|at| Span::new(t.start + at, t.start + at + t.value.id.len()));
    // Lettered ids anywhere in the task's own lines (`(FR-001)`, `Covers TR-2`); Kiro's
    // numbers only from its cover lists, where a number is a criterion.
    let mut covers: Vec<Covers> = std::iter::once(own)
        .chain(t.after.iter().map(|&(s, e)| Span::new(s, e)))
        .flat_map(|span| doc.ids_in(span))
        .filter(|o| {
            o.role == IdRole::Reference
                && !matches!(o.kind, IdKind::Task | IdKind::Story)
                && o.id.starts_with(|c: char| c.is_ascii_alphabetic())
        })
        .map(|o| Covers::Id(normalize(&o.id)))
        .collect();
    covers.extend(t.value.covers.iter().map(|c| cover_of(c)));
    // Deduplicated in order; a set, since a task may cite thousands.
    let mut seen = std::collections::HashSet::new();
    covers.retain(|c| seen.insert(c.clone()));
    Task {
        id: Some(t.value.id.clone()),
        span: Span::new(t.start, t.subtree_end),
        id_span: line.unwrap_or(Span::new(t.start, t.start)),
        title: t.value.title.clone(),
        checkbox: t.value.status.checkbox(),
        parallel: t.value.parallel,
        optional: t.value.optional,
        story: t.value.story.as_deref().map(normalize),
        covers,
        depth: t.depth,
        housekeeping: HOUSEKEEPING.is_match(&t.value.title),
        own: std::iter::once(own)
            .chain(t.after.iter().map(|&(s, e)| Span::new(s, e)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ParseOptions;

    #[test]
    fn whole_feature_test_passes_are_gates_and_tasks_that_also_test_are_not() {
        for title in [
            "Write integration tests for complete workflows",
            "Perform visual regression testing",
            "Final Testing and Validation",
            "Checkpoint - Ensure all tests pass",
        ] {
            assert!(HOUSEKEEPING.is_match(title), "{title}");
        }
        for title in [
            "Implement skill matching; add integration test in tests/integration/reader.test.ts",
            "Add damage elements system",
            "Initialize Next.js project with TypeScript",
        ] {
            assert!(!HOUSEKEEPING.is_match(title), "{title}");
        }
    }

    #[test]
    fn reads_tasks_written_as_headings_and_suffixed_ids() {
        let text = "# Tasks\n\n## 1. Core\n\n### 1.1 Client\n_Requirements: 1.1_\n\n- [x] Create the class\n- [ ] Retry\n\n### Task 1.2: Analyzer\n- [x] Parse\n- _Requirements: 2.1, 2.2_\n\n## [X] T000: Set up\n\n- [ ] T056a Tidy (FR-003)\n- [~] T028' Redo\n";
        let doc = SpecDoc::parse(text, ParseOptions::default());
        let items = read(&doc);
        let ids: Vec<Option<String>> = items.iter().map(|t| t.id.clone()).collect();
        assert_eq!(ids, vec![Some("T056a".into()), Some("T028'".into())]);
        assert_eq!(items[1].checkbox, Checkbox::InProgress);
        let file = parse(&doc.text, TaskFormat::SpecKit);
        let heads: Vec<String> = headings(&doc, &file, &items)
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
    fn flush_sub_tasks_belong_to_their_parent_and_gates_need_no_requirement() {
        let text = "# Tasks\n\n- [x] 1. Set up the base\n- [x] 1.1 Init the crate\n  - _Requirements: 7.1_\n\n- [ ]* 1.2 Property test\n  - **Validates: Requirements 1.2**\n- [ ] 2. Checkpoint - Ensure all tests pass\n- [ ] 2.1 Git commit: the base\n<!--\n- [ ] 3. Commented out\n-->\n- [ ] 10. Later\n";
        let doc = SpecDoc::parse(text, ParseOptions::default());
        let tasks = read(&doc);
        let summary: Vec<String> = tasks
            .iter()
            .map(|t| {
                format!(
                    "{} d={} opt={} gate={} covers={:?} sub={}",
                    t.id.as_deref().unwrap_or(""),
                    t.depth,
                    t.optional,
                    t.housekeeping,
                    t.covers,
                    tasks
                        .iter()
                        .filter(|s| s.span != t.span && t.span.covers(s.span))
                        .count()
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                "1 d=0 opt=false gate=false covers=[] sub=2",
                "1.1 d=1 opt=false gate=false covers=[Id(\"7.1\")] sub=0",
                "1.2 d=1 opt=true gate=false covers=[Id(\"1.2\")] sub=0",
                "2 d=0 opt=false gate=true covers=[] sub=1",
                "2.1 d=1 opt=false gate=true covers=[] sub=0",
                "10 d=0 opt=false gate=false covers=[] sub=0",
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
                "Some(\"T012\") Open p=true story=Some(\"US1\") covers=[Id(\"FR1\")] depth=0 title=Create the model in src/models/draft.rs",
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
