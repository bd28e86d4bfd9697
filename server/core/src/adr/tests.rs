//! The ADR reader and its edits on the formats found in the wild.
use super::*;
use crate::syntax::ParseOptions;

fn rec(text: &str, family: Family, name: &str) -> AdrRecord {
    read(
        &SpecDoc::parse(text, ParseOptions::default()),
        family,
        Some(name),
    )
}

#[test]
fn reads_adr_tools_records() {
    let text = "# 2. Use IndexedDB\n\nDate: 2026-03-12\n\n## Status\n\nAccepted\n\nSupersedes [1. Use localStorage](0001-use-localstorage.md)\n\nAmended by [3. Quota](0003-quota.md)\n\n## Context\n\nx\n\n## Decision\n\nWe will use IndexedDB. More.\n\n## Consequences\n\ny\n";
    let r = rec(text, Family::Nygard, "0002-use-indexeddb.md");
    assert_eq!(r.number(), Some(2));
    assert_eq!(r.title_number.map(|(n, _)| n), Some(2));
    assert_eq!(r.title, "Use IndexedDB");
    assert_eq!(
        r.status.as_ref().map(|s| s.value.as_str()),
        Some("Accepted")
    );
    assert_eq!(
        r.date.as_ref().map(|s| &text[s.span.range()]),
        Some("2026-03-12")
    );
    assert_eq!(
        r.links
            .iter()
            .map(|l| (l.relation, l.target.clone()))
            .collect::<Vec<_>>(),
        [
            (
                Relation::Supersedes,
                Target::File("0001-use-localstorage.md".into())
            ),
            (Relation::AmendedBy, Target::File("0003-quota.md".into())),
        ]
    );
    assert_eq!(r.decision, "We will use IndexedDB.");
    assert!(!r.is_inactive());

    let old = "# 1. Use localStorage\n\n## Status\n\nSuperseded by [2. Use IndexedDB](0002-use-indexeddb.md)\n\n## Context\n\nx\n";
    let r = rec(old, Family::Nygard, "0001-use-localstorage.md");
    assert_eq!(r.status_word().as_deref(), Some("superseded"));
    assert!(r.is_inactive());
    assert_eq!(
        r.successors().map(|l| l.target.clone()).collect::<Vec<_>>(),
        [Target::File("0002-use-indexeddb.md".into())]
    );
}

#[test]
fn reads_madr_records() {
    let text = "---\nstatus: superseded by ADR-0005\ndate: 2024-01-02\n---\n# Use X\n\n## Context and Problem Statement\n\nx\n\n## Considered Options\n\n* [MADR](https://adr.github.io/madr/) 4.0.0 – The format\n* Nygard\n* … <!-- numbers of options can vary -->\n\n## Decision Outcome\n\nChosen option: \"MADR 4.0.0\", because it is lean.\n";
    let r = rec(text, Family::Madr, "0003-use-x.md");
    assert_eq!(r.number(), Some(3));
    assert_eq!(r.title_number, None);
    let status = r.status.as_ref().map(|s| &text[s.span.range()]);
    assert_eq!(status, Some("superseded by ADR-0005"));
    assert_eq!(
        r.date.as_ref().map(|s| s.value.as_str()),
        Some("2024-01-02")
    );
    assert_eq!(
        r.successors().map(|l| l.target.clone()).collect::<Vec<_>>(),
        [Target::Number(5)]
    );
    let options: Vec<&str> = r.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(options, ["MADR 4.0.0 – The format", "Nygard"]);
    assert_eq!(
        r.chosen.as_ref().map(|c| c.value.as_str()),
        Some("\"MADR 4.0.0\"")
    );
}

#[test]
fn reads_status_lines() {
    let text =
        "# ADR-0012: Use Postgres\n\n* Status: accepted\n* Date: 2020-05-01\n\n## Context\n\nx\n";
    let r = rec(text, Family::Nygard, "use-postgres.md");
    assert_eq!(r.number(), Some(12));
    assert_eq!(r.title, "Use Postgres");
    assert_eq!(r.status_word().as_deref(), Some("accepted"));
    assert_eq!(
        r.date.as_ref().map(|s| s.value.as_str()),
        Some("2020-05-01")
    );
    let bold = "# Use Postgres\n\n**Status:** Proposed\n\n## Context\n\nx\n";
    let r = rec(bold, Family::Nygard, "x.md");
    assert_eq!(r.status_word().as_deref(), Some("proposed"));
}

#[test]
fn resolves_links() {
    assert_eq!(
        resolve("/w/docs/adr/0002-a.md", "0001-b.md").as_deref(),
        Some("/w/docs/adr/0001-b.md")
    );
    assert_eq!(
        resolve("/w/docs/adr/0002-a.md", "../adr/./0001-b.md#status").as_deref(),
        Some("/w/docs/adr/0001-b.md")
    );
    assert_eq!(resolve("/w/a.md", "https://x.org/a.md"), None);
}

#[test]
fn a_status_in_code_and_a_remark_after_a_relation_are_read_as_written() {
    let text =
        "# ADR006: Try Rust\n\nDate: 2022-03-15\n\n## Status\n\n`Rejected`\n\n## Context\n\nx\n";
    let r = rec(text, Family::Nygard, "ADR006-try-rust.md");
    assert_eq!(r.status_word().as_deref(), Some("rejected"));
    let status = r.status.as_ref().map(|s| &text[s.span.range()]);
    assert_eq!(status, Some("Rejected"));

    let text = "# ADR007: Store text\n\n## Status\n\nSuperseded by [ADR044: Translate](ADR044-translate.md).\n\nNote that this ADR was never implemented.\n\n## Context\n\nx\n";
    let r = rec(text, Family::Nygard, "ADR007-store-text.md");
    assert_eq!(r.status_word().as_deref(), Some("superseded"));

    let fenced = "# 3. Use X\n\n## Status\n\n```yaml\nstatus: accepted\n```\n\n## Context\n\nx\n";
    let r = rec(fenced, Family::Nygard, "0003-use-x.md");
    assert_ne!(r.status_word().as_deref(), Some("yaml"));
}
