//! One call from text to findings: parse, classify, run every enabled rule (a panicking rule is
//! caught and reported, never propagated), apply severities and suppressions.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::DocumentFacts;
use crate::index::WorkspaceIndex;
use crate::kind::{Classification, classify};
use crate::rules::{self, Context, Date};
use crate::scope::Scope;
use crate::suppress;
use crate::syntax::{ParseOptions, SpecDoc};
use std::panic::{AssertUnwindSafe, catch_unwind};

pub struct AnalysisInput<'a> {
    pub text: &'a str,
    /// Relative to the configuration's folder, `/`-separated.
    pub path: Option<&'a str>,
    /// Where the document lives, as the workspace index keys it (an absolute path in
    /// practice); its folder is what cross-file rules look at.
    pub location: Option<&'a str>,
    pub config: &'a Config,
    pub index: &'a WorkspaceIndex,
    pub today: Option<Date>,
}

/// A rule that panicked: reported to the user's log, its findings dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFailure {
    pub rule: &'static str,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Analysis {
    pub doc: SpecDoc,
    pub classification: Classification,
    /// The normative units the requirement-quality rules examined.
    pub scope: Scope,
    /// What the workspace index keeps of this document (at `AnalysisInput::location`),
    /// computed once here for the cross-file rules and reused by callers.
    pub facts: DocumentFacts,
    /// Sorted by position, then rule id.
    pub diagnostics: Vec<Diagnostic>,
    pub failures: Vec<RuleFailure>,
}

/// Analyses the rules' own examples once, as a spec, a plan, a tasks file and an ADR, so that
/// the regular expressions and word automata the rules build on first use are ready before a
/// user's first document: a server calls it while its client is still starting up.
pub fn warm_up() {
    let config = Config::default();
    let index = WorkspaceIndex::default();
    let text: String = rules::registry()
        .iter()
        .map(|r| format!("{}\n\n{}\n\n", r.meta().doc.example, r.meta().doc.fix))
        .collect();
    for path in [
        "specs/001-warm-up/spec.md",
        "specs/001-warm-up/plan.md",
        "specs/001-warm-up/tasks.md",
        "docs/adr/0001-warm-up.md",
    ] {
        analyze(AnalysisInput {
            text: &text,
            path: Some(path),
            location: None,
            config: &config,
            index: &index,
            today: None,
        });
    }
}

/// From this size on, the independent steps of an analysis run in parallel; below it the
/// whole analysis takes a few milliseconds and threads would cost more than they save.
const PARALLEL_SIZE: usize = 64 * 1024;

/// `a` and `b`, on two threads when `parallel`.
fn both<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if parallel {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

pub fn analyze(input: AnalysisInput<'_>) -> Analysis {
    run(input, None, |_| true)
}

/// [`analyze`] with the classification given rather than worked out from the text, running
/// only the rules `select` keeps: how one part of a large document is re-analysed.
pub(crate) fn run(
    input: AnalysisInput<'_>,
    classification: Option<Classification>,
    select: impl Fn(&dyn rules::Rule) -> bool,
) -> Analysis {
    let doc = SpecDoc::parse(
        input.text,
        ParseOptions {
            id_patterns: input.config.id_patterns(),
        },
    );
    let classification = classification.unwrap_or_else(|| classify(input.path, &doc, input.config));
    let large = input.text.len() >= PARALLEL_SIZE;
    let (scope, facts) = both(
        large,
        || Scope::compute(&doc, classification.kind, input.config),
        || DocumentFacts::of(&doc, classification, input.location.unwrap_or_default()),
    );
    let ctx = Context {
        scope: &scope,
        facts: &facts,
        config: input.config,
        index: input.index,
        today: input.today,
        path: input.path,
        location: input.location,
        kind: classification.kind,
        family: classification.family,
    };
    // An archived OpenSpec change is history: its facts are kept, its text is not reviewed.
    let archived = input
        .path
        .or(input.location)
        .is_some_and(crate::openspec::archived);
    let enabled: Vec<(&dyn rules::Rule, Severity)> = rules::registry()
        .iter()
        .filter(|_| !archived)
        .map(|rule| {
            let meta = rule.meta();
            (*rule, input.config.rule_severity(meta))
        })
        .filter(|&(rule, severity)| severity != Severity::Off && select(rule))
        .collect();
    let check = |&(rule, severity): &(&dyn rules::Rule, Severity)| {
        let found = catch_unwind(AssertUnwindSafe(|| rule.check(&doc, &ctx)));
        (rule.meta(), severity, found)
    };
    // The rules are independent: a large document's run on every core.
    let outcomes: Vec<_> = if large {
        use rayon::prelude::*;
        enabled.par_iter().map(check).collect()
    } else {
        enabled.iter().map(check).collect()
    };
    let mut diagnostics = Vec::new();
    let mut failures = Vec::new();
    for (meta, severity, found) in outcomes {
        match found {
            Ok(found) => diagnostics.extend(found.into_iter().map(|mut d| {
                d.severity = if d.demoted { Severity::Hint } else { severity };
                d
            })),
            Err(panic) => failures.push(RuleFailure {
                rule: meta.id,
                message: panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panicked".to_string()),
            }),
        }
    }
    suppress::apply(&doc, &mut diagnostics);
    diagnostics.sort_by(|a, b| (a.span, a.rule).cmp(&(b.span, b.rule)));
    diagnostics.dedup();
    Analysis {
        doc,
        classification,
        scope,
        facts,
        diagnostics,
        failures,
    }
}
