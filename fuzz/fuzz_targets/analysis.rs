//! The whole analysis, every rule, at the paths that switch document kinds: never a panic
//! (a panicking rule would show up as a `RuleFailure`), spans inside the text, fixes that apply.
#![no_main]
use libfuzzer_sys::fuzz_target;
use specwright_core::index::WorkspaceIndex;
use specwright_core::{AnalysisInput, Config, analyze};

const PATHS: &[&str] = &[
    "specs/001-x/spec.md",
    "specs/001-x/tasks.md",
    ".kiro/specs/x/requirements.md",
    "openspec/specs/x/spec.md",
    "docs/adr/0001-x.md",
    "notes.md",
];

fuzz_target!(|input: (u8, &str)| {
    let (which, text) = input;
    let path = PATHS[which as usize % PATHS.len()];
    let config = Config::default();
    let index = WorkspaceIndex::default();
    let a = analyze(AnalysisInput {
        text,
        path: Some(path),
        location: Some(&format!("/fuzz/{path}")),
        config: &config,
        index: &index,
        today: None,
    });
    assert!(a.failures.is_empty(), "{:?}", a.failures);
    for d in &a.diagnostics {
        assert!(text.get(d.span.range()).is_some(), "{d:?}");
        for f in &d.fixes {
            for e in &f.edits {
                assert!(text.get(e.span.range()).is_some(), "{d:?}");
            }
        }
    }
});
