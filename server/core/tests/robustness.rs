//! Property tests: on any input the analysis returns, never panics, and every span it reports
//! lies on character boundaries inside the text; configuration reading never fails.

use proptest::prelude::*;
use specwright_core::index::WorkspaceIndex;
use specwright_core::rules::{self, Date};
use specwright_core::{AnalysisInput, Config, analyze, config};

/// Pieces real specifications are made of, glued at random.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# ".to_string()),
        Just("## Requirements\n".to_string()),
        Just("### User Story 1 - x (Priority: P1)\n".to_string()),
        Just("### Requirement 1\n".to_string()),
        Just("- ".to_string()),
        Just("- [ ] T001 [P] [US1] ".to_string()),
        Just("- [-] 2.1 ".to_string()),
        Just("1. WHEN ".to_string()),
        Just("**FR-001**: ".to_string()),
        Just("The system MUST ".to_string()),
        Just("shall ".to_string()),
        Just("fast, etc. ".to_string()),
        Just("and/or ".to_string()),
        Just("TBD ".to_string()),
        Just("[NEEDS CLARIFICATION: ".to_string()),
        Just("_Requirements: 1.1-1.3, 2, All_".to_string()),
        Just("`code` ".to_string()),
        Just("```\nfenced\n".to_string()),
        Just("<!-- specwright-disable-next-line ".to_string()),
        Just("-->".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("> ".to_string()),
        Just("[link](http://x) ".to_string()),
        Just("---\nkind: spec\n---\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("😀 中文 ".to_string()),
        Just("e.g. v1.2 3.5 s. ".to_string()),
        "[a-zA-Z0-9 .,:;!?()\\[\\]*_#|>-]{0,12}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|p| p.concat())
}

fn check(text: &str, path: &str) -> Result<(), TestCaseError> {
    let config = Config::default();
    let index = WorkspaceIndex::default();
    let a = analyze(AnalysisInput {
        text,
        path: Some(path),
        location: None,
        config: &config,
        index: &index,
        today: Some(Date {
            year: 2026,
            month: 1,
            day: 15,
        }),
    });
    prop_assert!(a.failures.is_empty(), "rule failures: {:?}", a.failures);
    prop_assert_eq!(a.doc.prose.len(), text.len());
    for d in &a.diagnostics {
        prop_assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "{:?}",
            d
        );
        prop_assert!(
            text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
            "{:?}",
            d
        );
        for fix in &d.fixes {
            for e in &fix.edits {
                prop_assert!(
                    e.span.end <= text.len()
                        && text.is_char_boundary(e.span.start)
                        && text.is_char_boundary(e.span.end)
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_spec_like_text_analyses_cleanly(text in document()) {
        check(&text, "specs/001-x/spec.md")?;
        check(&text, ".kiro/specs/x/requirements.md")?;
        check(&text, "openspec/specs/x/spec.md")?;
    }

    #[test]
    fn any_unicode_text_analyses_cleanly(text in "\\PC{0,400}") {
        check(&text, "specs/001-x/tasks.md")?;
    }

    #[test]
    fn any_configuration_text_reads_without_failing(text in "[a-z\\[\\]=\"'{},. \\n0-9-]{0,200}") {
        let (file, _) = config::parse_toml(&text, &rules::ids());
        let _ = Config::new(file);
    }
}
