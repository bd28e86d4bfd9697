//! `adr-options`: a MADR decision that weighed fewer than two options, or whose outcome names
//! an option that is not listed (a hint).

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use super::own_record;
use crate::adr::{AdrFormat, option_key};
use crate::diagnostic::{Diagnostic, Severity};
use crate::profiles::normalize_title;
use crate::syntax::SpecDoc;

pub struct AdrOptions;

static META: RuleMeta = RuleMeta {
    id: "adr-options",
    summary: "A MADR record lists fewer than two Considered Options, or its Decision Outcome chooses an option that is not listed (hint).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "In MADR records, counts the items of Considered Options (MADR's `…` filler line aside) and \
reports a list with fewer than two. Compares the option named by `Chosen option: \"…\"` with the listed \
options and the Pros and Cons headings — ignoring case, quotes, links and a trailing description after a dash \
— and reports, as a hint, a choice that matches none of them.",
        why: "A decision record exists to show that alternatives were weighed; with one option there was no \
decision to record. An outcome that names an option the record never lists (often renamed on one side only) \
leaves the reader guessing what was chosen.",
        example: "## Considered Options\n\n* PostgreSQL\n\n## Decision Outcome\n\nChosen option: \"Postgres\", because it is already in use.",
        fix: "## Considered Options\n\n* PostgreSQL\n* MongoDB\n\n## Decision Outcome\n\nChosen option: \"PostgreSQL\", because it is already in use.",
    },
};

impl Rule for AdrOptions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let Some(record) = own_record(ctx) else {
            return Vec::new();
        };
        if record.format != AdrFormat::Madr {
            return Vec::new();
        }
        let mut out = Vec::new();
        let section = doc
            .sections
            .iter()
            .find(|s| normalize_title(&s.title) == "considered options");
        if let Some(s) = section
            && record.options.len() < 2
        {
            let listed = record.options.len();
            out.push(
                Diagnostic::new(
                    META.id,
                    s.title_span,
                    format!(
                        "Considered Options lists {} option{}: a decision weighs at least two",
                        if listed == 0 {
                            "no".to_string()
                        } else {
                            listed.to_string()
                        },
                        if listed == 1 { "" } else { "s" }
                    ),
                )
                .with_question("Which alternatives were considered, and why were they not chosen?"),
            );
        }
        let Some(chosen) = &record.chosen else {
            return out;
        };
        if chosen.value.contains('{') || record.options.is_empty() {
            return out;
        }
        let want = option_key(&chosen.value);
        if want.is_empty() {
            return out;
        }
        // The option list, and the Pros and Cons headings that repeat the options.
        let pros_cons = doc
            .sections
            .iter()
            .position(|s| normalize_title(&s.title).starts_with("pros and cons"));
        let headings = doc
            .sections
            .iter()
            .filter(|s| pros_cons.is_some_and(|p| s.parent == Some(p)))
            .map(|s| s.title.clone());
        let names: Vec<String> = record
            .options
            .iter()
            .map(|o| o.value.clone())
            .chain(headings)
            .collect();
        let matches = names.iter().any(|name| {
            let full = option_key(name);
            // `MADR 4.0.0 – The Markdown Architectural Decision Records`: the name before the dash.
            let head = option_key(
                [" – ", " — ", " - ", ": "]
                    .iter()
                    .fold(name.as_str(), |n, dash| n.split(dash).next().unwrap_or(n)),
            );
            full == want
                || head == want
                || full.starts_with(&want)
                || want.starts_with(&full)
                || (!head.is_empty() && want.starts_with(&head))
                || full.contains(&want)
        });
        if !matches {
            out.push(
                Diagnostic::new(
                    META.id,
                    chosen.span,
                    format!(
                        "the chosen option {} is not among the Considered Options",
                        chosen.value
                    ),
                )
                .with_question("Which listed option was chosen — or is the list missing this one?")
                .demoted(),
            );
        }
        out
    }
}
