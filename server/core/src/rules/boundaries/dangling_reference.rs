//! `dangling-reference`: a reference to an id nothing in the folder defines.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::family_of;
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::syntax::{IdKind, IdRole, SpecDoc, normalize};
use std::collections::HashSet;

pub struct DanglingReference;

static META: RuleMeta = RuleMeta {
    id: "dangling-reference",
    summary: "A reference to an id that nothing in the feature folder defines (FR-009, `_Requirements: 3.4_`, T019).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags references to requirement, success-criterion, story, use-case, acceptance-criterion and task \
ids that no document of the same feature folder defines (a spec-kit feature's `checklists/` and \
`contracts/` sub-folders are part of it): `FR-009` in a plan when the spec stops at FR-008, Kiro's \
`_Requirements: 3.4_` when requirement 3 has three criteria, `depends on T019` in a tasks file with 18 tasks. \
Only id families the folder actually defines are checked, so a folder that does not number its \
requirements is never flagged; a task's own number (Kiro's `1.1`) does not make requirement citations \
checkable. A tasks file in a folder whose documents define no requirement at all gets one finding for \
all its citations (\"`1.3` and 19 other cited requirements are defined nowhere\"), since the cause is one: \
the requirements document is missing or kept elsewhere. In an OpenSpec change, a delta spec's `## MODIFIED` or `## REMOVED` \
requirement must name a requirement of the capability's spec (`openspec/specs/<capability>/spec.md`) or \
one another live change adds; archived changes are history and are not checked.",
        why: "A dangling id is a broken link in the chain from requirement to task to code: either the definition \
was deleted or renumbered, or the reference is a typo. An agent following it finds nothing, or the wrong thing.",
        example: "<!-- tasks.md, beside a spec.md that defines FR-001 to FR-008 -->\n- [ ] T004 Export drafts (FR-009)",
        fix: "- [ ] T004 Export drafts (FR-008)",
    },
};

impl Rule for DanglingReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if ctx.location.is_none() {
            return Vec::new();
        }
        let (own, siblings) = (ctx.facts, ctx.siblings());
        let mut out = super::dangling_delta::unknown_requirements(ctx, &META);
        // Task lines define their ids too (`T052-TEST` is task T052).
        let task_ids: Vec<String> = own
            .tasks
            .iter()
            .chain(siblings.iter().flat_map(|(_, f)| f.tasks.iter()))
            .filter_map(|t| t.id.as_deref())
            .flat_map(|id| {
                let base = id.split_once('-').map(|(base, _)| normalize(base));
                std::iter::once(normalize(id)).chain(base)
            })
            .collect();
        let definitions: Vec<&crate::index::IdFact> = own
            .defines
            .iter()
            .chain(siblings.iter().flat_map(|(_, f)| f.defines.iter()))
            .collect();
        let documents: HashSet<&str> = definitions.iter().map(|d| d.key.as_str()).collect();
        // Which kinds of id the folder's documents define. A task's number (Kiro's `1.1`) does
        // not make `_Requirements: 1.2_` checkable: with no requirements document in the folder
        // there is nothing for a requirement citation to dangle from.
        let families: HashSet<String> = documents.iter().map(|k| family_of(k)).collect();
        let task_families: HashSet<String> = task_ids.iter().map(|k| family_of(k)).collect();
        let defined: HashSet<&str> = documents
            .iter()
            .copied()
            .chain(task_ids.iter().map(String::as_str))
            .collect();
        // A tasks file in a folder whose documents define no requirement at all gets one
        // finding for all its requirement citations, not one per citation: the cause is one.
        let defines_requirements = definitions.iter().any(|d| d.kind == IdKind::Requirement);
        let mut unresolved: Vec<&crate::syntax::IdOccurrence> = Vec::new();
        for o in doc.ids.iter().filter(|o| o.role == IdRole::Reference) {
            if matches!(o.kind, IdKind::Adr | IdKind::Other) {
                continue;
            }
            let key = normalize(&o.id);
            let family = family_of(&key);
            let known = families.contains(&family)
                || (o.kind == IdKind::Task && task_families.contains(&family));
            // Only a tasks file: a checklist or contract in a sub-folder cites the spec above it.
            // A task number that happens to match (`1.1`) is no requirement either.
            if ctx.kind == DocKind::Tasks && !defines_requirements && o.kind == IdKind::Requirement
            {
                unresolved.push(o);
            }
            if defined.contains(key.as_str()) || !known {
                continue;
            }
            // Kiro `_Requirements: 2_`-style whole requirements are defined by their criteria.
            if !key.contains('.')
                && family_of(&key) == "#"
                && defined.iter().any(|d| d.starts_with(&format!("{key}.")))
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    META.id,
                    o.span,
                    format!("`{}` is not defined in this folder", o.id),
                )
                .with_question(format!(
                    "Which id did '{}' mean — was it renumbered or removed?",
                    o.id
                )),
            );
        }
        if let Some(first) = unresolved.first() {
            let ids: HashSet<String> = unresolved.iter().map(|o| normalize(&o.id)).collect();
            let others = ids.len().saturating_sub(1);
            let message = if others == 0 {
                format!(
                    "`{}` is cited, but no document in this folder defines requirements",
                    first.id
                )
            } else {
                format!(
                    "`{}` and {others} other cited requirement{} are defined nowhere: no document in this folder defines requirements",
                    first.id,
                    if others == 1 { "" } else { "s" }
                )
            };
            out.push(Diagnostic::new(META.id, first.span, message).with_question(
                "Is the requirements document missing from this folder, or kept somewhere else?",
            ));
        }
        out
    }
}
