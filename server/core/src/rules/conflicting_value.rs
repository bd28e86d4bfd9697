//! `conflicting-value`: one subject given incompatible values within a feature folder.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Related, Severity, TextEdit};
use crate::kind::DocKind;
use crate::quantities::Quantity;
use crate::syntax::SpecDoc;

pub struct ConflictingValue;

static META: RuleMeta = RuleMeta {
    id: "conflicting-value",
    summary: "One subject is given values that cannot both hold, in one document or across a feature folder.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Reads quantified statements — a subject, a bound and a value with a unit: \"a debounce of 100 ms\", \
\"coverage MUST be at least 90 %\", \"respond within 2 s\" — from the prose of every document of a feature folder — \
also a value after a label (`Debounce: 300 ms`) or in a table row, which is about what the row's first cell names \
(`| Debounce | 100 ms |`; rows named `User Story 1` and `User Story 2` are two things) — \
normalises their units (ms, s, min, h; KB, MB, GB, KiB, MiB, GiB; %) and compares statements about the same subject \
as intervals: \"≤ 200 ms\" and \"within 300 ms\" can both hold, \"at least 90 %\" and \"85 %\" cannot, \"300 ms\" and \
\"0.3 s\" are one value. The finding is on the statement with less authority — a requirements document or spec \
outranks a design, plan or ADR, which outranks tasks and everything else; between equals, the later one — and names \
the other statement and where it is (in editors, as related information that goes to it). When both are plain values \
(\"500 ms\", \"250 ms\"), a quick fix aligns this one with the other; a bound is left to its author to reword. Paragraphs and items holding examples (\"e.g.\", \"for example\", \"such as\"), \
estimates (\"~30 minutes\", \"about 2 s\"), states meant to change and settings (\"currently\", \"baseline\", \"target\", \
\"default\", \"configurable\"), values on one line and the bands of one list (\"0–9 %\", \"10–60 %\": `range-gap` \
and `range-overlap` judge those) are not compared; nor are documents of unknown kind (reports, READMEs: they compare before \
and after), and an ADR only with itself (each record is its own decision).",
        why: "Agents implement whichever value they read. A design that says 100 ms where the spec says 300 ms gets \
half the code at one value and half at the other, and no test catches it because each test reads one document.",
        example: "<!-- spec.md -->\n- **FR-004**: Search MUST use a debounce of 300 ms.\n<!-- design.md -->\nThe search input uses a debounce of 100 ms.",
        fix: "<!-- design.md -->\nThe search input uses a debounce of 300 ms (FR-004).",
    },
};

/// A requirement outranks a design, which outranks a task.
fn authority(kind: DocKind) -> u8 {
    match kind {
        DocKind::Requirements | DocKind::Spec => 3,
        DocKind::Design | DocKind::Plan | DocKind::Adr | DocKind::Proposal => 2,
        DocKind::Tasks | DocKind::Generic => 1,
    }
}

/// Whether two statements speak of one subject: the same head word, and the same qualifier
/// where both have one.
fn same_subject(a: &Quantity, b: &Quantity) -> bool {
    a.subject == b.subject
        && match (&a.qualifier, &b.qualifier) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
}

impl Rule for ConflictingValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let own = &ctx.facts.quantities;
        // A document of unknown kind (a report, a README) compares before and after, or many
        // things; an ADR is its own decision, never one of a folder's.
        if own.is_empty() || ctx.kind == DocKind::Generic {
            return Vec::new();
        }
        let alone = ctx.kind == DocKind::Adr;
        let mine = authority(ctx.kind);
        let here = ctx.location.unwrap_or("");
        let siblings = ctx.siblings();
        let mut out = Vec::new();
        let line_of = |s: crate::span::Span| doc.line_of(s.start) + 1;
        // Bands of one measure ("0–9 %", "10–60 %", …) are meant to differ: range-gap and
        // range-overlap judge them.
        let banded: Vec<crate::span::Span> = crate::quantities::bands(doc, own)
            .into_iter()
            .flatten()
            .map(|q| q.span)
            .collect();
        for (i, q) in own.iter().enumerate() {
            if banded.contains(&q.span) {
                continue;
            }
            // Earlier statements of this document, at equal authority.
            // Within one document, a one-word subject in another section is another thing's
            // (two components' "auto-dismiss"); a qualified one is the same thing anywhere.
            let near = |o: &Quantity| {
                o.section == q.section
                    || matches!((&o.qualifier, &q.qualifier), (Some(a), Some(b)) if a == b)
            };
            let inside = own[..i]
                .iter()
                .find(|o| {
                    !banded.contains(&o.span)
                        && same_subject(q, o)
                        && near(o)
                        && q.contradicts(o)
                        && line_of(o.span) != line_of(q.span)
                })
                .map(|o| (format!("line {}", line_of(o.span)), None, o));
            let outside = || {
                siblings.iter().find_map(|(loc, f)| {
                    let theirs = authority(f.kind);
                    if alone
                        || matches!(f.kind, DocKind::Adr | DocKind::Generic)
                        || theirs < mine
                        || (theirs == mine && *loc > here)
                    {
                        return None;
                    }
                    f.quantities
                        .iter()
                        .find(|o| same_subject(q, o) && q.contradicts(o))
                        .map(|o| {
                            let name = super::boundaries::file_name(loc).to_string();
                            (name, Some(loc.to_string()), o)
                        })
                })
            };
            let Some((where_, location, other)) = inside.or_else(outside) else {
                continue;
            };
            let subject = match &q.qualifier {
                Some(x) => format!("{x} {}", q.subject),
                None => q.subject.clone(),
            };
            let mut d = Diagnostic::new(
                META.id,
                q.span,
                format!(
                    "the {subject} is {} here and {} in {where_}",
                    q.text, other.text
                ),
            )
            .with_question(format!(
                "Which is it for the {subject}: {} or {}?",
                q.text, other.text
            ))
            .with_related(Related {
                location,
                span: other.span,
                message: format!("the {subject} is {} here", other.text),
            });
            // Two plain values ("500 ms", "250 ms") align by replacing one with the other; a
            // bound ("at least 90 %") is reworded by its author.
            let plain = |t: &str| t.starts_with(|c: char| c.is_ascii_digit());
            if plain(&q.text) && plain(&other.text) {
                d = d.with_fix(Fix {
                    title: format!("Use {} here, as {where_} says", other.text),
                    edits: vec![TextEdit {
                        span: q.span,
                        new_text: other.text.clone(),
                    }],
                });
            }
            out.push(d);
        }
        out
    }
}
