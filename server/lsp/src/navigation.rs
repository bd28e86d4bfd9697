//! Navigation over ids: go to definition, find references, hover on an id, workspace symbols.
//! The facts come from the workspace index; positions in other files are converted from the
//! open document's rope or the file on disk.

use crate::convert::{self, Encoding};
use ropey::Rope;
use specwright_core::Span;
use specwright_core::index::{WorkspaceIndex, folder_of};
use specwright_core::syntax::{IdOccurrence, SpecDoc, normalize};
use specwright_core::tasks::Covers;
use tower_lsp_server::ls_types::{Location, Range, SymbolInformation, SymbolKind, Uri};

/// The id under the cursor.
pub fn id_at(doc: &SpecDoc, offset: usize) -> Option<&IdOccurrence> {
    doc.ids
        .iter()
        .find(|o| o.span.start <= offset && offset <= o.span.end)
}

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

/// Definitions of `key`, those in `folder` first.
pub fn definitions(index: &WorkspaceIndex, key: &str, folder: Option<&str>) -> Vec<(String, Span)> {
    let mut defs: Vec<(String, Span, bool)> = index
        .definitions(key)
        .map(|(loc, d)| {
            (
                loc.to_string(),
                d.span,
                Some(folder_of(loc).as_str()) == folder,
            )
        })
        .collect();
    // In a folder that defines the id, the other folders' `FR-001`s are other features' ids.
    if defs.iter().any(|d| d.2) {
        defs.retain(|d| d.2);
    }
    defs.into_iter().map(|(l, s, _)| (l, s)).collect()
}

/// Mentions of `key` in `folder` (ids are feature-local), or everywhere when `folder` is None.
pub fn references(index: &WorkspaceIndex, key: &str, folder: Option<&str>) -> Vec<(String, Span)> {
    index
        .mentions(key)
        .filter(|(loc, _)| folder.is_none_or(|f| folder_of(loc) == f))
        .map(|(loc, d)| (loc.to_string(), d.span))
        .collect()
}

/// Markdown for hovering an id: its definition text, where it lives, and what covers it.
pub fn hover_text(index: &WorkspaceIndex, id: &str, folder: Option<&str>) -> Option<String> {
    let key = normalize(id);
    let defs: Vec<_> = index
        .definitions(&key)
        .filter(|(loc, _)| folder.is_none_or(|f| folder_of(loc) == f) || folder.is_none())
        .collect();
    let (loc, def) = defs.first()?;
    let file = loc.rsplit('/').next().unwrap_or(loc);
    let mut text = format!("**{}** — {}\n\n_{file}_", def.id, def.text);
    if defs.len() > 1 {
        text.push_str(&format!(" (defined {} times)", defs.len()));
    }
    let covering: Vec<String> = index
        .documents()
        .filter(|(l, _)| folder_of(l) == folder_of(loc))
        .flat_map(|(_, f)| f.tasks.iter())
        .filter(|t| {
            t.story.as_deref() == Some(key.as_str())
                || t.covers.iter().any(|c: &Covers| c.covers(&key))
        })
        .filter_map(|t| t.id.clone())
        .collect();
    let has_tasks = index
        .documents()
        .any(|(l, f)| folder_of(l) == folder_of(loc) && !f.tasks.is_empty());
    if !covering.is_empty() {
        text.push_str(&format!("\n\nCovered by {}", covering.join(", ")));
    } else if has_tasks {
        text.push_str("\n\nNot covered by any task");
    }
    Some(text)
}

/// Every definition whose id or text contains `query` (case-insensitive), at most 500.
pub fn symbols(
    index: &WorkspaceIndex,
    query: &str,
    enc: Encoding,
    open: &impl Fn(&Uri) -> Option<Rope>,
) -> Vec<SymbolInformation> {
    let q = query.to_lowercase();
    let mut out = Vec::new();
    for (loc, facts) in index.documents() {
        let matching: Vec<_> = facts
            .defines
            .iter()
            // A query that looks like an id matches ids; anything else matches their text too.
            .filter(|d| {
                let id = d.id.to_lowercase();
                q.is_empty()
                    || id.starts_with(&q)
                    || (!looks_like_id(&q) && d.text.to_lowercase().contains(&q))
            })
            .collect();
        if matching.is_empty() {
            continue;
        }
        let Some((uri, rope)) = rope_of(loc, open) else {
            continue;
        };
        for d in matching {
            #[allow(deprecated)] // `deprecated` must still be written.
            out.push(SymbolInformation {
                name: format!("{} {}", d.id, d.text),
                kind: SymbolKind::KEY,
                tags: None,
                deprecated: None,
                location: Location::new(uri.clone(), convert::range(&rope, d.span, enc)),
                container_name: loc.rsplit('/').nth(1).map(str::to_string),
            });
            if out.len() >= 500 {
                return out;
            }
        }
    }
    out
}

fn looks_like_id(q: &str) -> bool {
    q.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && q.chars().any(|c| c.is_ascii_digit() || c == '-')
        && !q.contains(' ')
}

/// Ids of `folder` to complete the token `prefix` (the id-like text before the cursor).
pub fn completions(index: &WorkspaceIndex, folder: &str, prefix: &str) -> Vec<(String, String)> {
    let p = prefix.to_ascii_uppercase();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (loc, facts) in index.documents() {
        if folder_of(loc) != folder {
            continue;
        }
        for d in &facts.defines {
            if d.id.to_ascii_uppercase().starts_with(&p) && seen.insert(d.key.clone()) {
                out.push((d.id.clone(), d.text.clone()));
            }
        }
    }
    out.sort();
    out
}

pub fn range_of(rope: &Rope, span: Span, enc: Encoding) -> Range {
    convert::range(rope, span, enc)
}
