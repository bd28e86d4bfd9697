//! `duplicate-id`: the same id defined twice in a document or in two documents of a folder.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::syntax::{BlockKind, Checkbox, IdKind, IdRole, SpecDoc, normalize};
use crate::tasks;
use std::collections::HashMap;

pub struct DuplicateId;

static META: RuleMeta = RuleMeta {
    id: "duplicate-id",
    summary: "The same requirement, task or story id is defined twice.",
    severity: Severity::Error,
    doc: RuleDoc {
        what: "Flags an id defined a second time — as the label of a list item or heading — within the same section \
of a document (two `FR-003` items, two `T012` task lines). Table rows that repeat ids (traceability \
matrices), checklist items and summaries that restate an id in another section are not definitions. \
In a tasks file every task line defines its task's id, whatever the section: the same task number twice \
(worse, once done and once open) is flagged on the second.",
        why: "References to a duplicated id resolve to either definition at random: coverage, navigation and every \
agent prompt built from the id become unreliable.",
        example: "- **FR-003**: Users MUST be able to export drafts.\n- **FR-003**: Exports MUST be PDF.",
        fix: "- **FR-003**: Users MUST be able to export drafts.\n- **FR-004**: Exports MUST be PDF.",
    },
};

impl Rule for DuplicateId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        // Per id: where it was first defined, and in which section. A later summary that
        // restates `SC-004: …` in another section is a restatement, not a second definition.
        let mut first: HashMap<String, (usize, Option<usize>)> = HashMap::new();
        let tasks_file = ctx.kind == DocKind::Tasks;
        if tasks_file {
            out.extend(duplicate_tasks(doc));
        }
        for o in doc
            .ids
            .iter()
            .filter(|o| o.role == IdRole::Definition)
            // A tasks file's task ids are the task model's (above).
            .filter(|o| !(tasks_file && o.kind == IdKind::Task))
        {
            let labels_item = o.block.is_some_and(|b| {
                matches!(
                    doc.blocks[b].kind,
                    BlockKind::ListItem { .. } | BlockKind::Heading { .. } | BlockKind::Paragraph
                )
            });
            if !labels_item {
                continue;
            }
            let key = normalize(&o.id);
            let section = doc.section_at(o.span.start);
            match first.get(&key) {
                Some(&(_, other)) if other != section => {}
                Some(&(at, _)) => out.push(
                    Diagnostic::new(
                        META.id,
                        o.span,
                        format!(
                            "`{}` is already defined on line {}",
                            o.id,
                            doc.line_of(at) + 1
                        ),
                    )
                    .with_question(format!(
                        "Which of the two '{}' keeps the id, and what is the other one's?",
                        o.id
                    )),
                ),
                None => {
                    first.insert(key, (o.span.start, section));
                }
            }
        }
        out
    }
}

/// The second and later task lines of a tasks file that repeat an earlier task's id.
fn duplicate_tasks(doc: &SpecDoc) -> Vec<Diagnostic> {
    let all = tasks::read(doc);
    let mut out = Vec::new();
    let mut seen: HashMap<&str, &tasks::Task> = HashMap::new();
    for t in &all {
        let Some(id) = t.id.as_deref() else { continue };
        let Some(earlier) = seen.get(id) else {
            seen.insert(id, t);
            continue;
        };
        let state = |c: Checkbox| match c {
            Checkbox::Done => "done",
            Checkbox::InProgress => "in progress",
            Checkbox::Open => "open",
        };
        let line = doc.line_of(earlier.id_span.start) + 1;
        let message = if earlier.checkbox == t.checkbox {
            format!("task {id} is already defined on line {line}")
        } else {
            format!(
                "task {id} is already defined on line {line}, where it is {}; here it is {}",
                state(earlier.checkbox),
                state(t.checkbox)
            )
        };
        out.push(
            Diagnostic::new(META.id, t.id_span, message).with_question(format!(
                "Which of the two tasks {id} keeps the number, and is the work done or not?"
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ParseOptions;

    #[test]
    fn a_task_number_twice_says_which_state_each_has() {
        let doc = SpecDoc::parse(
            "# Tasks\n\n## Phase 1\n\n- [x] T001 Save\n\n## Phase 2\n\n- [ ] T001 Export\n- [ ]* 2.1 Optional\n- [ ] 2.1 Again\n",
            ParseOptions::default(),
        );
        let messages: Vec<String> = duplicate_tasks(&doc)
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(
            messages,
            [
                "task T001 is already defined on line 5, where it is done; here it is open",
                "task 2.1 is already defined on line 10",
            ]
        );
    }
}
