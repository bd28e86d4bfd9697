//! `cites-inactive-adr`: a spec, plan, design or task list cites an ADR that is superseded,
//! deprecated or rejected.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::adr::{AdrRecord, Target, citations, resolve};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::kind::DocKind;
use crate::span::Span;
use crate::syntax::SpecDoc;

pub struct CitesInactiveAdr;

static META: RuleMeta = RuleMeta {
    id: "cites-inactive-adr",
    summary: "A spec, plan, design or task list cites an ADR whose status is superseded, deprecated or rejected.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Finds the records a specification, plan, requirements, design, task list or proposal cites — \
`ADR-0007`, `ADR 7`, or a link to the record's file — and looks them up in the workspace's ADRs (those under \
`[adr].dirs` when configured). When the cited record is superseded, deprecated or rejected, it reports the \
citation and names the successor the record links to; the quick fix cites the successor instead. A \
line that already calls the record history (\"replaces ADR-0002\", \"formerly\", \"superseded\") is left alone.",
        why: "Specs cite ADRs so that agents and reviewers follow the architecture. Citing a record that no \
longer holds points everyone at a decision the team has replaced: the agent will implement the old design.",
        example: "The sync worker stores drafts as ADR-0001 describes.",
        fix: "The sync worker stores drafts as ADR-0002 describes.",
    },
};

impl Rule for CitesInactiveAdr {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        if !matches!(
            ctx.kind,
            DocKind::Spec
                | DocKind::Plan
                | DocKind::Requirements
                | DocKind::Design
                | DocKind::Tasks
                | DocKind::Proposal
        ) {
            return Vec::new();
        }
        let Some(location) = ctx.location else {
            return Vec::new();
        };
        let records = workspace_records(ctx);
        if records.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut cited: Vec<Span> = Vec::new();
        for (number, span) in citations(&doc.prose) {
            cited.push(span);
            if names_history(doc, span) {
                continue;
            }
            let candidates: Vec<_> = records
                .iter()
                .filter(|(_, r)| r.number() == Some(number))
                .collect();
            let Some(&&(loc, record)) = candidates.first() else {
                continue;
            };
            if !candidates.iter().all(|(_, r)| r.is_inactive()) {
                continue;
            }
            let successor = successor_of(&records, loc, record);
            let mut d = finding(span, &format!("ADR-{number:04}"), record, successor);
            if let Some((_, next)) = successor
                && let Some(n) = next.number()
            {
                // Keep the citation's notation: `ADR-0001` → `ADR-0002`, `ADR 1` → `ADR 2`.
                let written = doc.slice(span);
                let prefix = written.trim_end_matches(|c: char| c.is_ascii_digit());
                let zeros = written.len() - prefix.len();
                d = d.with_fix(Fix {
                    title: format!("Cite ADR {n} instead"),
                    edits: vec![TextEdit {
                        span,
                        new_text: format!("{prefix}{n:0zeros$}"),
                    }],
                });
            }
            out.push(d);
        }
        for link in &doc.links {
            if cited.iter().any(|c| link.span.covers(*c)) {
                continue;
            }
            let Some(target) = resolve(location, &link.dest) else {
                continue;
            };
            let Some(&(loc, record)) = records.iter().find(|(l, _)| *l == target) else {
                continue;
            };
            if !record.is_inactive() {
                continue;
            }
            let successor = successor_of(&records, loc, record);
            let label = record
                .number()
                .map_or_else(|| link.dest.clone(), |n| format!("ADR-{n:04}"));
            out.push(finding(link.span, &label, record, successor));
        }
        out
    }
}

/// Whether the line of `span` already says the record is history ("replaces ADR-0002",
/// "ADR-0002 was superseded", "formerly ADR-0002"): no news for the author.
fn names_history(doc: &SpecDoc, span: Span) -> bool {
    let line = doc
        .prose_slice(doc.line_span(doc.line_of(span.start)))
        .to_lowercase();
    [
        "supersed",
        "deprecat",
        "replac",
        "formerly",
        "previous",
        "obsolete",
        "rejected",
        "instead of",
        "no longer",
    ]
    .iter()
    .any(|w| line.contains(w))
}

fn finding(
    span: Span,
    label: &str,
    record: &AdrRecord,
    successor: Option<(&str, &AdrRecord)>,
) -> Diagnostic {
    let status = record.status_word().unwrap_or_else(|| "superseded".into());
    let state = match successor {
        Some((loc, next)) => {
            let name = next.number().map_or_else(
                || loc.rsplit('/').next().unwrap_or(loc).to_string(),
                |n| format!("ADR-{n:04}"),
            );
            format!("superseded by {name} (\"{}\")", next.title)
        }
        None => status,
    };
    Diagnostic::new(
        META.id,
        span,
        format!("cites {label} (\"{}\"), which is {state}", record.title),
    )
    .with_question("Does this still follow the old decision, or the one that replaced it?")
}

/// Every ADR of the workspace (under `[adr].dirs` when configured), with its location.
fn workspace_records<'a>(ctx: &Context<'a>) -> Vec<(&'a str, &'a AdrRecord)> {
    let root = match (ctx.location, ctx.path) {
        (Some(loc), Some(path)) if loc.ends_with(path) => Some(&loc[..loc.len() - path.len()]),
        _ => None,
    };
    let dirs = ctx.config.adr_dirs();
    ctx.index
        .documents()
        .filter_map(|(loc, f)| f.adr.as_ref().filter(|r| !r.template).map(|r| (loc, r)))
        .filter(|(loc, _)| match (&dirs, root) {
            (Some(dirs), Some(root)) => {
                let rel = loc[root.len().min(loc.len())..].trim_start_matches('/');
                dirs.iter().any(|d| rel.starts_with(&format!("{d}/")))
            }
            _ => true,
        })
        .collect()
}

/// The record `record` (at `loc`) names as its successor, if the workspace has it.
fn successor_of<'a>(
    records: &[(&'a str, &'a AdrRecord)],
    loc: &str,
    record: &AdrRecord,
) -> Option<(&'a str, &'a AdrRecord)> {
    let folder = crate::index::folder_of(loc);
    record.successors().find_map(|l| match &l.target {
        Target::File(dest) => {
            let target = resolve(loc, dest)?;
            records.iter().find(|(l, _)| *l == target).copied()
        }
        Target::Number(n) => records
            .iter()
            .find(|(l, r)| r.number() == Some(*n) && crate::index::folder_of(l) == folder)
            .copied(),
        Target::Missing => None,
    })
}
