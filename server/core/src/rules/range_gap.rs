//! `range-gap`: bands of one measure that leave values in no band.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::quantities::{Quantity, bands};
use crate::syntax::SpecDoc;

pub struct RangeGap;

static META: RuleMeta = RuleMeta {
    id: "range-gap",
    summary: "Bands of one measure leave a gap: a value that falls in none of them (50–89 % / ≥ 90 %).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Reads runs of bands of one measure — the items of one list, each giving a \
range of a duration, size or percentage (\"Red: 0–49 %\", \"Yellow: 50–89 %\", \"Green: ≥ 90 %\") — and flags \
two neighbouring bands between which a value belongs to neither: 89 % < x < 90 % above, or exactly 50 % when one \
band is \"< 50 %\" and the next \"> 50 %\". A run counts as bands only when it could split one scale: only its \
lowest band may start at zero or be a bare upper bound, only its highest may be open above, and every other is a \
two-sided range, and neighbouring bands almost meet; a list of unrelated limits (\"< 200 ms\", \"< 2 s\") \
or of ranges far apart (\"3–6 s\", \"30–60 s\") is not one. Measured on the wild set: no list there splits a \
scale into bands, so it reports nothing on it. Values are compared as \
written, so integer bands (0–49, 50–89) also leave the values between them undefined.",
        why: "A value in the gap gets whatever the implementation happens to do: 89.5 % coverage is neither \
yellow nor green, and an agent picks one silently. Bands should meet exactly, one end included and the other not.",
        example: "- Yellow: 50–89 % coverage\n- Green: ≥ 90 % coverage",
        fix: "- Yellow: at least 50 % and below 90 % coverage\n- Green: ≥ 90 % coverage",
    },
};

/// Whether no value lies between `a` and the next band `b` (sorted by their lower ends).
fn meet(a: &Quantity, b: &Quantity) -> bool {
    b.low < a.high || (b.low == a.high && !(a.open_high && b.open_low))
}

impl Rule for RangeGap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        band_findings(
            doc,
            ctx,
            META.id,
            |a, b| !meet(a, b),
            |a, b| {
                (
                    format!(
                        "`{}` and `{}` leave a gap: a value between them is in neither band",
                        a.text, b.text
                    ),
                    format!(
                        "Which band holds a value between `{}` and `{}`?",
                        a.text, b.text
                    ),
                    format!("the band below ends at `{}`", a.text),
                )
            },
        )
    }
}

/// One finding per neighbouring pair of bands that `flags` (the lower band first), on the
/// upper band, pointing at the lower: message, question and the related note from `describe`.
pub(super) fn band_findings(
    doc: &SpecDoc,
    ctx: &Context<'_>,
    rule: &'static str,
    flags: impl Fn(&Quantity, &Quantity) -> bool,
    describe: impl Fn(&Quantity, &Quantity) -> (String, String, String),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for run in bands(doc, &ctx.facts.quantities) {
        for w in run.windows(2) {
            let (a, b) = (w[0], w[1]);
            if !flags(a, b) {
                continue;
            }
            let (message, question, related) = describe(a, b);
            out.push(
                Diagnostic::new(rule, b.span, message)
                    .with_question(question)
                    .with_related(Related {
                        location: None,
                        span: a.span,
                        message: related,
                    }),
            );
        }
    }
    out
}
