//! What editors ask of a document, answered from the analysis model: the pure half of the
//! language server's requests, so that the LSP layer only converts positions and JSON.

mod coverage;
mod navigate;
mod task_at;

pub use coverage::{Row as CoverageRow, Table as CoverageTable, table as coverage_table};
pub use navigate::{Symbol, completions, definitions, hover_text, id_at, references, symbols};
pub use task_at::{TaskAt, task_at, tasks_in};

/// The workspace index of `(location, text)` documents, each analysed as `specwright check`
/// would (locations under `/w/`), for the fixture tests of this module.
#[cfg(test)]
pub(crate) fn fixture_index(docs: &[(&str, &str)]) -> crate::index::WorkspaceIndex {
    use crate::analysis::{AnalysisInput, analyze};
    let config = crate::config::Config::default();
    let mut index = crate::index::WorkspaceIndex::default();
    for (location, text) in docs {
        let a = analyze(AnalysisInput {
            text,
            path: Some(location.trim_start_matches("/w/")),
            location: Some(location),
            config: &config,
            index: &index,
            today: None,
        });
        index.insert(*location, a.facts);
    }
    index
}
