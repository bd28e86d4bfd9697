//! `requirement-without-scenario`: an OpenSpec requirement with no `#### Scenario:`.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::SpecDoc;

pub struct RequirementWithoutScenario;

static META: RuleMeta = RuleMeta {
    id: "requirement-without-scenario",
    summary: "An OpenSpec `### Requirement:` has no `#### Scenario:`.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags an OpenSpec `### Requirement: …` section with no `#### Scenario: …` sub-section. OpenSpec's own \
validator requires at least one scenario per requirement.",
        why: "The scenarios are the requirement's tests: WHEN this, THEN that. Without one the requirement cannot be \
verified, and OpenSpec's archive step rejects the change.",
        example: "### Requirement: Export\nThe CLI SHALL export a change as Markdown.",
        fix: "### Requirement: Export\nThe CLI SHALL export a change as Markdown.\n\n#### Scenario: Export one change\n- **WHEN** `openspec export add-sso` runs\n- **THEN** `add-sso.md` is written",
    },
};

impl Rule for RequirementWithoutScenario {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, _ctx: &Context<'_>) -> Vec<Diagnostic> {
        doc.sections
            .iter()
            .filter(|s| s.title.trim_start().to_ascii_lowercase().starts_with("requirement:"))
            .filter(|s| {
                !s.children
                    .iter()
                    .any(|&c| doc.sections[c].title.trim_start().to_ascii_lowercase().starts_with("scenario"))
            })
            .map(|s| {
                Diagnostic::new(META.id, s.title_span, format!("\"{}\" has no `#### Scenario:`", s.title.trim()))
                    .with_question("In which situation does this requirement apply, and what is the observable outcome?")
            })
            .collect()
    }
}
