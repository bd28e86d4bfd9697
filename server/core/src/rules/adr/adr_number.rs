//! `adr-number`: duplicate record numbers, a title number that disagrees with the file name,
//! and gaps in a folder's numbering (a hint).

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::{file_name, own_record, sibling_records};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::syntax::SpecDoc;

pub struct AdrNumber;

static META: RuleMeta = RuleMeta {
    id: "adr-number",
    summary: "Two ADRs of a folder share a number, a record's title and file name disagree on its number, or the numbering has a gap (hint).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Numbers records by their file name (`0007-use-grpc.md`, `adr-007.md`), else by their title \
(`# 7. Use gRPC`, `# ADR-0007: Use gRPC`). Reports a number another record of the same folder also uses \
(two branches that each added \"the next\" ADR), a title number that differs from the file name's (the quick \
fix takes the file name's), and — as a hint — a number with a gap before it.",
        why: "Records are cited by number (`ADR-0007`) in specs, plans and other records. A duplicate number \
makes every such citation ambiguous; a title that disagrees with its file sends readers to the wrong record.",
        example: "docs/adr/0007-use-grpc.md:\n\n# 8. Use gRPC",
        fix: "docs/adr/0007-use-grpc.md:\n\n# 7. Use gRPC",
    },
};

impl Rule for AdrNumber {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let Some(record) = own_record(ctx) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let span = record
            .title_number
            .map(|(_, s)| s)
            .or(record.title_span)
            .unwrap_or_default();
        if let (Some(file), Some((title, title_span))) = (record.file_number, record.title_number)
            && file != title
        {
            let written = doc.slice(title_span);
            let replacement = format!("{file:0width$}", width = written.len().min(5));
            out.push(
                Diagnostic::new(
                    META.id,
                    title_span,
                    format!("the title says {title}, the file name says {file}"),
                )
                .with_question("Which number is this record?")
                .with_fix(Fix {
                    title: format!("Use the file name's number ({file})"),
                    edits: vec![TextEdit {
                        span: title_span,
                        new_text: replacement,
                    }],
                }),
            );
        }
        let Some(number) = record.number() else {
            return out;
        };
        let siblings = sibling_records(ctx);
        let mut same: Vec<&str> = siblings
            .iter()
            .filter(|(_, r)| r.number() == Some(number))
            .map(|(l, _)| file_name(l))
            .collect();
        same.sort_unstable();
        if !same.is_empty() {
            out.push(
                Diagnostic::new(
                    META.id,
                    span,
                    format!("ADR number {number} is also used by {}", same.join(", ")),
                )
                .with_question("Which record keeps this number, and which one is renumbered?"),
            );
        }
        let below = siblings
            .iter()
            .filter_map(|(_, r)| r.number())
            .filter(|n| *n < number)
            .max();
        if let Some(prev) = below
            && prev + 1 < number
        {
            let missing = if prev + 2 == number {
                format!("{}", prev + 1)
            } else {
                format!("{} to {}", prev + 1, number - 1)
            };
            out.push(
                Diagnostic::new(
                    META.id,
                    span,
                    format!("no ADR {missing} between ADR {prev} and this one"),
                )
                .with_question("Was a record deleted or renumbered? Gaps make readers look for records that are not there.")
                .demoted(),
            );
        }
        out
    }
}
