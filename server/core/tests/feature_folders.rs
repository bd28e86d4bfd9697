//! Feature folders read as a whole. The tasks-file model on input nobody should write but
//! somebody will (a file that mixes Kiro and spec-kit, a task with ten thousand references,
//! ranges that would expand to millions of criteria): each gives a bounded answer, never a hang
//! or a panic, and the model's round trip holds for what it writes. OpenSpec changes: a delta
//! may only modify or remove what its capability has.

use specwright_core::Config;
use specwright_core::index::{DocumentFacts, coverage};
use specwright_core::rules::Date;
use specwright_core::tasks::{self, Covers, TaskFormat};

mod common;

/// Analyses `files` (path, text) as one feature folder; returns each file's findings.
fn check_folder(files: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
    let today = Date {
        year: 2026,
        month: 12,
        day: 1,
    };
    common::analyze_folder(files, Some(today))
        .into_iter()
        .map(|(path, found)| {
            let found = found
                .iter()
                .map(|d| format!("{} {}", d.rule, d.message))
                .collect();
            (path, found)
        })
        .collect()
}

const SPEC: &str = "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: The editor MUST export drafts as PDF.\n- **FR-002**: The editor MUST export drafts as Markdown.\n";

#[test]
fn a_file_half_kiro_half_spec_kit_reads_both_halves() {
    let text = "# Tasks\n\n- [x] 1. Set up\n- [x] 1.1 Init\n  - _Requirements: 1.1_\n- [ ] 2. Export\n\n## Phase 2\n\n- [ ] T001 [P] Export PDF (FR-001)\n- [ ] T002 Export Markdown (FR-002)\n- [ ] T003 Tidy\n";
    let file = tasks::parse(text, TaskFormat::Kiro);
    let ids: Vec<&str> = file.tasks.iter().map(|t| t.value.id.as_str()).collect();
    assert_eq!(ids, ["1", "1.1", "2", "T001", "T002", "T003"]);
    // Three spec-kit ids against three Kiro ones: a tie keeps the fallback notation.
    assert_eq!(file.format, TaskFormat::Kiro);
    let results = check_folder(&[
        ("specs/001-export/spec.md", SPEC),
        ("specs/001-export/tasks.md", text),
    ]);
    assert!(results.iter().all(|(_, f)| f.len() < 20), "{results:?}");
}

#[test]
fn ten_thousand_references_on_one_task_are_read_and_checked() {
    let ids: Vec<String> = (1..=10_000).map(|n| format!("FR-{n:03}")).collect();
    let criteria: Vec<String> = (1..=10_000).map(|n| format!("1.{n}")).collect();
    let text = format!(
        "# Tasks\n\n- [ ] T001 Everything ({})\n- [ ] 2. More\n  - _Requirements: {}_\n",
        ids.join(", "),
        criteria.join(", ")
    );
    let file = tasks::parse(&text, TaskFormat::SpecKit);
    assert_eq!(file.tasks[0].value.covers.len(), 10_000);
    assert_eq!(file.tasks[1].value.covers.len(), 10_000);
    let results = check_folder(&[
        ("specs/001-export/spec.md", SPEC),
        ("specs/001-export/tasks.md", &text),
    ]);
    // FR-003 … FR-10000 are cited and defined nowhere: dangling, each said once. Criteria
    // 1.1 … 1.10000 are of a family no document here defines (the tasks' own `2.` does not
    // count), so they are not checked.
    let (_, tasks_findings) = &results[1];
    let dangling = tasks_findings
        .iter()
        .filter(|f| f.starts_with("dangling-reference"))
        .count();
    assert_eq!(dangling, 9_998);
}

#[test]
fn a_range_is_never_expanded() {
    let wide = tasks::cover_of("1.1-1.999999999");
    assert_eq!(
        wide,
        Covers::Range {
            requirement: "1".into(),
            from: 1,
            to: 999_999_999
        }
    );
    assert!(wide.covers("1.500000000"));
    assert!(!wide.covers("2.1"));
    // Across requirements (`1.1-9.999`) a range names no criteria; its start is kept.
    assert_eq!(tasks::cover_of("1.1-9.999"), Covers::Id("1.1".into()));
    // A bound past u32 is not a range either.
    assert_eq!(
        tasks::cover_of("1.1-1.99999999999999999999"),
        Covers::Id("1.1".into())
    );
    let text = "# Tasks\n\n- [ ] 1. All of it\n  - _Requirements: 1.1-1.999999999, 1.1-9.999_\n";
    let doc = specwright_core::syntax::SpecDoc::parse(text, Default::default());
    let facts = DocumentFacts::of(
        &doc,
        specwright_core::kind::classify(Some("specs/x/tasks.md"), &doc, &Config::default()),
        "specs/x/tasks.md",
    );
    let (_, tasks) = coverage([&facts]);
    assert_eq!(tasks.len(), 1);
    assert!(tasks[0].covers("1.123456"));
}

#[test]
fn written_tasks_read_back_the_same() {
    let text = "- [x] 1. Parent\n- [ ] 1.1 Child (P)\n  - _Requirements: 1.1, 2_\n  - _Boundary: src/a/**_\n  - a person's note\n";
    let file = tasks::parse(text, TaskFormat::Kiro);
    for t in &file.tasks {
        let rendered =
            tasks::render(&t.value, file.format, &t.indent, t.upper_done).join("\n") + "\n";
        let back = tasks::parse(&rendered, file.format);
        assert_eq!(back.tasks.len(), 1, "{rendered}");
        assert_eq!(back.tasks[0].value, t.value, "{rendered}");
    }
    assert_eq!(file.tasks[1].parent, Some(0));
    assert_eq!(file.tasks[1].extra, ["  - a person's note"]);
}

#[test]
fn an_openspec_delta_modifies_only_what_its_capability_has() {
    let main = "# Auth\n\n## Purpose\nSign-in.\n\n## Requirements\n\n### Requirement: Password login\nThe system SHALL accept a password.\n\n#### Scenario: ok\n- **WHEN** a user signs in\n- **THEN** a session starts\n";
    let delta = "# Delta\n\n## MODIFIED Requirements\n\n### Requirement: password  LOGIN\nThe system SHALL accept a password or a passkey.\n\n#### Scenario: ok\n- **WHEN** a user signs in\n- **THEN** a session starts\n\n### Requirement: Session timeout\nThe system SHALL end idle sessions after 30 minutes.\n\n## REMOVED Requirements\n\n### Requirement: Magic links\n\n### Requirement: SSO login\n";
    let other = "# Delta\n\n## ADDED Requirements\n\n### Requirement: SSO login\nThe system SHALL accept SSO.\n\n#### Scenario: ok\n- **WHEN** a user signs in with SSO\n- **THEN** a session starts\n";
    let archived = "# Delta\n\n## REMOVED Requirements\n\n### Requirement: Remember me\n";
    let results = check_folder(&[
        ("w/openspec/specs/auth/spec.md", main),
        ("w/openspec/changes/add-passkeys/specs/auth/spec.md", delta),
        ("w/openspec/changes/add-sso/specs/auth/spec.md", other),
        (
            "w/openspec/changes/archive/2025-01-01-drop-remember/specs/auth/spec.md",
            archived,
        ),
    ]);
    let dangling = |i: usize| -> Vec<&String> {
        results[i]
            .1
            .iter()
            .filter(|f| f.starts_with("dangling-reference"))
            .collect()
    };
    assert_eq!(
        dangling(1),
        [
            "dangling-reference this change modifies requirement \"Session timeout\", which specs/auth/spec.md does not have",
            "dangling-reference this change removes requirement \"Magic links\", which specs/auth/spec.md does not have",
        ]
    );
    assert!(
        dangling(2).is_empty() && dangling(3).is_empty(),
        "{results:?}"
    );
}
