//! What editors ask of a document, answered from the analysis model: the pure half of the
//! language server's requests, so that the LSP layer only converts positions and JSON.

mod navigate;
mod task_at;

pub use navigate::{Symbol, completions, definitions, hover_text, id_at, references, symbols};
pub use task_at::{TaskAt, task_at, tasks_in};
