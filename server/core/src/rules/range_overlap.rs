//! `range-overlap`: bands of one measure that share values.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::quantities::Quantity;
use crate::syntax::SpecDoc;

pub struct RangeOverlap;

static META: RuleMeta = RuleMeta {
    id: "range-overlap",
    summary: "Bands of one measure overlap: a value falls in two of them (0–10 s / 10–20 s, both inclusive).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Reads runs of bands of one measure as `range-gap` does (the items of one list, each a range of a duration, size or percentage that together could split one scale) and flags two neighbouring bands that share values: `0–10 s` and `10–20 s` both include 10 s, `0–60 %` and `50–100 %` share \
50–60 %. A band written with a strict bound (`< 10 s`, `more than 10 s`) excludes that end.",
        why: "A value in two bands gets two behaviours, or the first the code happens to test. Bands should meet \
exactly, one end included and the other not.",
        example: "- Fast: 0–10 s\n- Slow: 10–20 s",
        fix: "- Fast: under 10 s\n- Slow: 10–20 s",
    },
};

/// Whether `a` and the next band `b` (sorted by their lower ends) share a value.
fn overlap(a: &Quantity, b: &Quantity) -> bool {
    b.low < a.high || (b.low == a.high && !a.open_high && !b.open_low)
}

impl Rule for RangeOverlap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        super::range_gap::band_findings(doc, ctx, META.id, overlap, |a, b| {
            (
                format!(
                    "`{}` and `{}` overlap: a value can be in both bands",
                    a.text, b.text
                ),
                format!(
                    "Which band holds the values `{}` and `{}` share?",
                    a.text, b.text
                ),
                format!("the band below is `{}`", a.text),
            )
        })
    }
}
