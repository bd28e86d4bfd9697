//! Tasks written as headings (`### Task 1.2: Casings`, `## T001: Auth`, `### [X] T000: Set
//! up`, `### 1.1 LLM client`): a notation of its own, read from the document's sections.

use super::covers::{Covers, KIRO_LIST, cover_of};
use super::{STORY_LABEL, Status, Task, TasksFile};
use crate::span::Span;
use crate::syntax::{Checkbox, IdKind, IdRole, SpecDoc, normalize};
use regex::Regex;
use std::sync::LazyLock;

/// A task written as a heading: `### Task 1.2: Casings`, `## T001: Auth`, `### [X] T000: Set
/// up`, `### 1.1 LLM client` (the heading's text, markup removed).
static HEADING_TASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\[([ xX~-])\]\s*)?(?:Task\s+)?(T\d+[a-z]?'?|\d+(?:\.\d+)*)(?:[.:)]\s*|\s+)(\S.*)$",
    )
    .expect("static regex")
});

/// The tasks a tasks file writes as headings (`### Task 1.2: Casings`), each spanning its
/// section: its checkbox items are its steps, and the cover lists and ids in its own part of
/// the section (not in a sub-section, not in a numbered sub-task) are what it covers. Its
/// state is its own checkbox when the heading has one, else what its steps say. Only for
/// tasks files: elsewhere a numbered heading is a chapter.
pub fn headings(doc: &SpecDoc, file: &TasksFile, items: &[Task]) -> Vec<Task> {
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
                covers.extend(list.as_str().split(',').map(|i| cover_of(i.trim())));
            }
        }
        covers.dedup();
        // Its steps: every checkbox line in it, numbered or not.
        let steps: Vec<Checkbox> = file
            .tasks
            .iter()
            .map(|t| (t.start, t.value.status))
            .chain(file.steps.iter().map(|s| (s.start, s.status)))
            .filter(|&(at, _)| span.start <= at && at < span.end)
            .map(|(_, status)| status.checkbox())
            .collect();
        let checkbox = match caps.get(1).map(|m| m.as_str()) {
            Some(mark) => Status::from_mark(mark).checkbox(),
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
            optional: false,
            depth: 0,
            housekeeping: false,
            own: vec![span],
        });
    }
    out
}
