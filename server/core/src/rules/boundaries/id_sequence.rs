//! `id-sequence`: gaps and out-of-order numbers in a document's id sequences (hint).

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::{BlockKind, IdKind, IdRole, SpecDoc};
use std::collections::HashMap;

pub struct IdSequence;

static META: RuleMeta = RuleMeta {
    id: "id-sequence",
    summary: "Ids of one family skip a number or go backwards (FR-001, FR-002, FR-004) (hint).",
    severity: Severity::Hint,
    doc: RuleDoc {
        what: "Within each section, checks each lettered id family (`FR`, `NFR`, `SC`, …) in the order its \
definitions appear: a number that skips ahead or goes back is hinted. Renumbering is sometimes deliberate \
(a removed requirement keeps its number retired), hence a hint.",
        why: "A gap often means a requirement was deleted while something still cites it; a step back, that two \
lists were merged and ids may now collide.",
        example: "- **FR-001**: …\n- **FR-002**: …\n- **FR-004**: …",
        fix: "- **FR-001**: …\n- **FR-002**: …\n- **FR-003**: …",
    },
};

impl Rule for IdSequence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, _ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut last: HashMap<String, (u64, String)> = HashMap::new();
        let mut out = Vec::new();
        for o in doc
            .ids
            .iter()
            // Tasks are added and reordered as work goes on: requirement-like ids only.
            .filter(|o| {
                o.role == IdRole::Definition && !matches!(o.kind, IdKind::Story | IdKind::Task)
            })
            // Checklists cite ids in whatever order they verify them.
            .filter(|o| {
                !o.block.is_some_and(|b| {
                    matches!(
                        doc.blocks[b].kind,
                        BlockKind::ListItem {
                            checkbox: Some(_),
                            ..
                        }
                    )
                })
            })
        {
            let prefix: String =
                o.id.chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
            let digits: String = o.id[prefix.len()..]
                .trim_start_matches('-')
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if prefix.is_empty()
                || digits.is_empty()
                || o.id.len() != prefix.len() + digits.len() + usize::from(o.id.contains('-'))
            {
                continue;
            }
            let Ok(n) = digits.parse::<u64>() else {
                continue;
            };
            // Per section: a summary that lists SC-003 after the criteria section's SC-007 is
            // a second list, not a step back.
            let family = format!(
                "{}#{:?}",
                prefix.to_ascii_uppercase(),
                doc.section_at(o.span.start)
            );
            if let Some((prev, prev_id)) = last.get(&family) {
                if n < *prev {
                    out.push(
                        Diagnostic::new(
                            META.id,
                            o.span,
                            format!(
                                "`{}` comes after `{prev_id}`: the sequence goes backwards",
                                o.id
                            ),
                        )
                        .with_question("Were two lists merged? Do any ids now collide?"),
                    );
                } else if n > prev + 1 {
                    out.push(
                        Diagnostic::new(META.id, o.span, format!("`{}` follows `{prev_id}`: {} skipped", o.id, n - prev - 1))
                            .with_question("Was a requirement removed on purpose, and does anything still cite it?"),
                    );
                }
            }
            last.insert(family, (n, o.id.clone()));
        }
        out
    }
}
