//! `duplicate-id`: the same id defined twice in a document or in two documents of a folder.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::{BlockKind, IdRole, SpecDoc, normalize};
use std::collections::HashMap;

pub struct DuplicateId;

static META: RuleMeta = RuleMeta {
    id: "duplicate-id",
    summary: "The same requirement, task or story id is defined twice.",
    severity: Severity::Error,
    doc: RuleDoc {
        what: "Flags an id defined a second time — as the label of a list item or heading — within the same section \
of a document (two `FR-003` items, two `T012` task lines). Table rows that repeat ids (traceability \
matrices), checklist items and summaries that restate an id in another section are not definitions.",
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

    fn check(&self, doc: &SpecDoc, _ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        // Per id: where it was first defined, and in which section. A later summary that
        // restates `SC-004: …` in another section is a restatement, not a second definition.
        let mut first: HashMap<String, (usize, Option<usize>)> = HashMap::new();
        for o in doc.ids.iter().filter(|o| o.role == IdRole::Definition) {
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
