//! `uncovered-requirement`: a requirement or story no task of the folder covers.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::{Coverage, coverage};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kind::DocKind;
use crate::span::Span;
use crate::syntax::{IdKind, IdRole, SpecDoc};
use crate::words::{Rarity, content_words, coverage as coverage_of};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// The share of a criterion's (rarity-weighted) content words a task must say to be taken as
/// implementing it. Chosen on the tuning half, where 0.2 / 0.25 / 0.3 / 0.35 / 0.4 gave
/// precision 0.92 / 0.90 / 0.85 / 0.81 / 0.78 on 24 / 31 / 40 / 48 / 54 findings: the lowest share
/// that still keeps 0.9 (words folded by `words::stem`, names split into their parts).
const RESEMBLES: f64 = 0.25;

/// A criterion that asks for nothing to change ("SHALL continue to work as before") needs no
/// task of its own.
static PRESERVES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:continues?\s+to|as\s+(?:it\s+(?:does|did)\s+)?(?:before|currently|today)|as\s+it\s+currently|remains?\s+(?:unchanged|the\s+same|at|static)|maintain\s+(?:the\s+same|existing)|still\s+(?:work|function))")
        .expect("static regex")
});

pub struct UncoveredRequirement;

static META: RuleMeta = RuleMeta {
    id: "uncovered-requirement",
    summary: "A requirement (or user story) that no task in the folder's tasks file covers.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Once a feature folder has a tasks file, checks that the spec's requirements are covered by tasks, at \
the level the tasks file works at. When most tasks cite requirement ids (`(FR-001)`, Kiro's \
`_Requirements: 1.1, 1.2-1.4, 2, All_`, `**Validates**: TR-2`), every requirement needs a task citing it. When \
tasks are labelled by user story (spec-kit's `[US1]`) and cite requirements only in passing, every `### User \
Story N` needs at least one `[USN]` task. A parent task cites through its sub-tasks, and a parent \
requirement (`FR-1`, Kiro's `2`) is covered through the criteria its tasks cite (`FR-1.2`, `2.1`). \
`_Requirements: All_` (`すべて`, `全て`) claims every numbered criterion. (Reading it as covering \
nothing, with a note on its line, was tried: the criteria it then reported were right 4 times in 13 \
on the tuning half and the notes 11 times in 54, since such tasks are mostly honest cross-cutting \
tests, docs and set-up.) A criterion is not reported when a task says enough of what it says without \
citing it (its rarer content words, weighted by how few criteria of the document use them: 25 % or \
more, with inflections folded and names such as `add_repository_topics` or `FieldJournalTab` read \
as their words) or when it asks for nothing to change (`SHALL continue to work as before`): reviewers judged \
such findings wrong 4 times in 10, since the work is planned and only the citation is missing. \
Without a tasks file nothing is reported.",
        why: "An uncovered requirement is one no agent will implement: decomposition lost it, or it was added after \
the tasks were generated.",
        example: "<!-- spec.md defines FR-001..FR-003; tasks.md cites FR-001 and FR-002 only -->\n- **FR-003**: Users MUST be able to export drafts.",
        fix: "<!-- tasks.md -->\n- [ ] T007 Implement draft export (FR-003)",
    },
};

impl Rule for UncoveredRequirement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if !matches!(ctx.kind, DocKind::Spec | DocKind::Requirements) || ctx.location.is_none() {
            return Vec::new();
        }
        let (own, siblings) = (ctx.facts, ctx.siblings());
        let (mode, tasks) = coverage(siblings.iter().map(|(_, f)| *f));
        let tasks_file = siblings
            .iter()
            .find(|(_, f)| f.kind == DocKind::Tasks)
            .map_or("the tasks file", |(l, _)| super::file_name(l));
        if mode == Coverage::None {
            return Vec::new();
        }
        let texts: Vec<(Span, BTreeSet<String>)> = doc
            .ids
            .iter()
            .filter(|o| o.role == IdRole::Definition && o.kind == IdKind::Requirement)
            .filter_map(|o| Some((o.span, doc.prose_slice(doc.blocks.get(o.block?)?.span))))
            .map(|(span, text)| (span, content_words(text)))
            .collect();
        let rarity = Rarity::new(texts.iter().map(|(_, w)| w));
        let text_of = |span: Span| {
            doc.ids
                .iter()
                .find(|o| o.span == span)
                .and_then(|o| doc.blocks.get(o.block?))
                .map_or("", |b| doc.prose_slice(b.span))
        };
        let mut out = Vec::new();
        for d in &own.defines {
            let wanted = match mode {
                Coverage::None => false,
                Coverage::Story => d.kind == IdKind::Story,
                Coverage::Requirement => d.kind == IdKind::Requirement,
            };
            if !wanted {
                continue;
            }
            if d.kind == IdKind::Requirement {
                if PRESERVES.is_match(text_of(d.span)) {
                    continue;
                }
                let words = texts.iter().find(|(s, _)| *s == d.span).map(|(_, w)| w);
                // A task that says most of what the criterion says implements it, cited or
                // not: the reviewers judged such findings wrong.
                if words.is_some_and(|w| {
                    tasks
                        .iter()
                        .any(|t| coverage_of(w, &t.words, &rarity) >= RESEMBLES)
                }) {
                    continue;
                }
            }
            if !tasks.iter().any(|t| t.covers(&d.key)) {
                let what = if d.kind == IdKind::Story {
                    format!("User Story {}", d.key.trim_start_matches("US"))
                } else {
                    format!("`{}`", d.id)
                };
                out.push(
                    Diagnostic::new(
                        META.id,
                        d.span,
                        format!("{what} is not covered by any task in {tasks_file}"),
                    )
                    .with_question(format!(
                        "Which task implements {what}, or is it out of scope now?"
                    )),
                );
            }
        }
        out
    }
}
