//! Navigation over ids for the protocol: positions in other files are converted from the open
//! document's rope or the file on disk; what to navigate to comes from core's `ide`.

use crate::convert::{self, Encoding};
use ropey::Rope;
use specwright_core::Span;
use specwright_core::index::WorkspaceIndex;
use tower_lsp_server::ls_types::{Location, Range, SymbolInformation, SymbolKind, Uri};

pub use specwright_core::ide::{completions, definitions, hover_text, id_at, references};

/// Text of a document for position conversion: the open buffer when `open` has it.
pub fn rope_of(location: &str, open: impl Fn(&Uri) -> Option<Rope>) -> Option<(Uri, Rope)> {
    let uri = Uri::from_file_path(location)?;
    if let Some(rope) = open(&uri) {
        return Some((uri, rope));
    }
    let text = std::fs::read_to_string(location).ok()?;
    Some((uri, Rope::from_str(&text)))
}

pub fn location(
    location: &str,
    span: Span,
    enc: Encoding,
    open: &impl Fn(&Uri) -> Option<Rope>,
) -> Option<Location> {
    let (uri, rope) = rope_of(location, open)?;
    Some(Location::new(uri, convert::range(&rope, span, enc)))
}

/// Workspace symbols, with their ranges in their documents.
pub fn symbols(
    index: &WorkspaceIndex,
    query: &str,
    enc: Encoding,
    open: &impl Fn(&Uri) -> Option<Rope>,
) -> Vec<SymbolInformation> {
    let mut out = Vec::new();
    let mut current: Option<(String, Uri, Rope)> = None;
    for s in specwright_core::ide::symbols(index, query) {
        if current.as_ref().is_none_or(|(l, _, _)| *l != s.location) {
            current = rope_of(&s.location, open).map(|(u, r)| (s.location.clone(), u, r));
        }
        let Some((_, uri, rope)) = &current else {
            continue;
        };
        #[allow(deprecated)] // `deprecated` must still be written.
        out.push(SymbolInformation {
            name: s.name,
            kind: SymbolKind::KEY,
            tags: None,
            deprecated: None,
            location: Location::new(uri.clone(), convert::range(rope, s.span, enc)),
            container_name: s.container,
        });
    }
    out
}

pub fn range_of(rope: &Rope, span: Span, enc: Encoding) -> Range {
    convert::range(rope, span, enc)
}
