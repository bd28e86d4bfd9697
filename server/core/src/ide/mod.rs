//! What editors ask of a document, answered from the analysis model: the pure half of the
//! language server's requests, so that the LSP layer only converts positions and JSON.

mod coverage;
mod navigate;
mod task_at;

pub use coverage::{Row as CoverageRow, Table as CoverageTable, table as coverage_table};
pub use navigate::{Symbol, completions, definitions, hover_text, id_at, references, symbols};
pub use task_at::{TaskAt, task_at, tasks_in};
