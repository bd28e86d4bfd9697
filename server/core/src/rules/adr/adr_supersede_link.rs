//! `adr-supersede-link`: supersede and amend links that name no record, name one that does
//! not exist, or are not mirrored by the other record.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::{file_name, own_record, sibling_records, target_record};
use crate::adr::edit::states;
use crate::adr::{AdrFormat, AdrRecord, Relation, Target};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::SpecDoc;

pub struct AdrSupersedeLink;

static META: RuleMeta = RuleMeta {
    id: "adr-supersede-link",
    summary: "An ADR is superseded without naming its successor, links to a record that does not exist, or states a supersede/amend the other record does not mirror.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Reads the links between records — adr-tools' lines (`Supersedes [1. Title](0001-title.md)`, \
`Superseded by …`, `Amends …`, `Amended by …`) and MADR's `status: superseded by ADR-0005` — and reports: a \
superseded status that names no successor; a link to a file or record number that does not exist in the \
workspace; and a relation the other record does not state back (the old record still `Accepted` although a \
newer one supersedes it, or a successor that never mentions what it replaces). MADR successors mirror a \
supersede by linking or citing the old record anywhere. Use the \"Supersede this ADR\" action to create \
both sides in one edit.",
        why: "A superseded record without its successor sends readers and agents to a dead end; a supersede \
written on one side only leaves the old decision looking current, and agents that obey accepted ADRs will \
follow it.",
        example: "# 1. Use localStorage for drafts\n\n## Status\n\nSuperseded",
        fix: "# 1. Use localStorage for drafts\n\n## Status\n\nSuperseded by [2. Use IndexedDB for drafts](0002-use-indexeddb-for-drafts.md)",
    },
};

impl Rule for AdrSupersedeLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let Some(record) = own_record(ctx) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(status) = &record.status
            && record.status_word().as_deref() == Some("superseded")
            && !record.successors().any(|l| l.target != Target::Missing)
        {
            out.push(
                Diagnostic::new(
                    META.id,
                    status.span,
                    "the record is superseded but does not say by which record",
                )
                .with_question("Which record supersedes this one? Link it: `Superseded by [N. Title](NNNN-title.md)`."),
            );
        }
        let siblings = sibling_records(ctx);
        let own_name = ctx.location.map(file_name).unwrap_or("");
        for link in &record.links {
            let target = match target_record(ctx, &siblings, &link.target) {
                Err(()) => {
                    let what = match &link.target {
                        Target::File(dest) => format!("`{dest}`"),
                        Target::Number(n) => format!("ADR {n}"),
                        Target::Missing => continue,
                    };
                    out.push(
                        Diagnostic::new(
                            META.id,
                            link.span,
                            format!(
                                "\"{}\" names {what}, which does not exist",
                                link.relation.as_str()
                            ),
                        )
                        .with_question("Which record did you mean? Fix the link or the number."),
                    );
                    continue;
                }
                Ok(None) => continue,
                Ok(Some(t)) => t,
            };
            let (other_loc, other) = target;
            if let Some(message) =
                unmirrored(record, own_name, link.relation, other, file_name(other_loc))
            {
                out.push(Diagnostic::new(META.id, link.span, message).with_question(
                    "Should the other record state this relation too (use \"Supersede this ADR\" to write both sides)?",
                ));
            }
        }
        out
    }
}

/// Why `other` does not mirror `relation` from `record`, if it does not.
fn unmirrored(
    record: &AdrRecord,
    own_name: &str,
    relation: Relation,
    other: &AdrRecord,
    other_name: &str,
) -> Option<String> {
    let number = record.number();
    let mirrored = states(other, relation.mirror(), own_name, number);
    if mirrored {
        return None;
    }
    let label = other
        .number()
        .map_or_else(|| other_name.to_string(), |n| format!("ADR {n}"));
    match relation {
        Relation::Supersedes => {
            if other.is_inactive() {
                // Superseded without a link back is the other record's finding.
                return None;
            }
            let status = other
                .status
                .as_ref()
                .map_or("no status", |s| s.value.as_str());
            Some(format!(
                "{label} is not marked superseded (its status is \"{status}\")"
            ))
        }
        Relation::SupersededBy => {
            // MADR has no `Supersedes` field: any mention of this record in the successor
            // mirrors the supersede.
            if other.format == AdrFormat::Madr
                && other.mentions.iter().any(|t| match t {
                    Target::File(d) => d.ends_with(own_name),
                    Target::Number(n) => Some(*n) == number,
                    Target::Missing => false,
                })
            {
                return None;
            }
            Some(format!(
                "{label} does not say that it supersedes this record"
            ))
        }
        Relation::Amends | Relation::AmendedBy => Some(format!(
            "{label} does not say \"{}\" this record",
            relation.mirror().as_str()
        )),
    }
}
