//! Documents analysed as one feature folder, as the CLI and the server analyse them: every
//! document indexed first, then each analysed against that index.

use specwright_core::index::{DocumentFacts, WorkspaceIndex};
use specwright_core::rules::Date;
use specwright_core::{AnalysisInput, Config, Diagnostic, analyze};

/// Each file's (path, text) findings with the default configuration; a rule that fails fails
/// the test.
pub fn analyze_folder(
    files: &[(&str, &str)],
    today: Option<Date>,
) -> Vec<(String, Vec<Diagnostic>)> {
    let config = Config::default();
    let mut index = WorkspaceIndex::default();
    for (path, text) in files {
        let a = analyze(AnalysisInput {
            text,
            path: Some(path),
            location: None,
            config: &config,
            index: &WorkspaceIndex::default(),
            today: None,
        });
        index.insert(
            path.to_string(),
            DocumentFacts::of(&a.doc, a.classification, path),
        );
    }
    files
        .iter()
        .map(|(path, text)| {
            let a = analyze(AnalysisInput {
                text,
                path: Some(path),
                location: Some(path),
                config: &config,
                index: &index,
                today,
            });
            assert!(a.failures.is_empty(), "{path}: {:?}", a.failures);
            (path.to_string(), a.diagnostics)
        })
        .collect()
}
