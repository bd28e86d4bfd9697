//! The OpenSpec half of `dangling-reference`: a delta that modifies or removes a requirement
//! its capability does not have.

use super::super::{Context, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::openspec::{DeltaOp, delta_location, same_name};

/// The `## MODIFIED` / `## REMOVED` requirements of a live change's delta spec that neither
/// the capability's spec nor another live change's `## ADDED` names. Nothing when the
/// capability's spec is not in the index (a new capability, or a workspace not indexed).
pub(super) fn unknown_requirements(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Diagnostic> {
    let Some(location) = ctx.location else {
        return Vec::new();
    };
    let Some((root, change, capability)) = delta_location(location) else {
        return Vec::new();
    };
    let touched: Vec<_> = ctx
        .facts
        .requirements
        .iter()
        .filter(|r| matches!(r.op, Some(DeltaOp::Modified | DeltaOp::Removed)))
        .collect();
    if touched.is_empty() {
        return Vec::new();
    }
    let main = format!("{root}/specs/{capability}/spec.md");
    let Some(spec) = ctx.index.document(&main) else {
        return Vec::new();
    };
    // The same capability's deltas in the other live changes of the same project.
    let added_elsewhere: Vec<&str> = ctx
        .index
        .documents()
        .filter(|(loc, _)| {
            delta_location(loc)
                .is_some_and(|(r, c, cap)| r == root && c != change && cap == capability)
        })
        .flat_map(|(_, f)| f.requirements.iter())
        .filter(|r| r.op == Some(DeltaOp::Added))
        .map(|r| r.name.as_str())
        .collect();
    let known = |name: &str| {
        spec.requirements.iter().any(|r| same_name(&r.name, name))
            || added_elsewhere.iter().any(|n| same_name(n, name))
    };
    touched
        .into_iter()
        .filter(|r| !known(&r.name))
        .map(|r| {
            let verb = if r.op == Some(DeltaOp::Removed) {
                "removes"
            } else {
                "modifies"
            };
            Diagnostic::new(
                meta.id,
                r.span,
                format!(
                    "this change {verb} requirement \"{}\", which specs/{capability}/spec.md does not have",
                    r.name
                ),
            )
            .with_question(format!(
                "Which requirement of specs/{capability}/spec.md did this mean — was it renamed, or should it be under ## ADDED Requirements?"
            ))
        })
        .collect()
}
