//! Cross-document facts: which documents define and reference which ids.
//!
//! The index is a value the caller builds from parsed documents and hands to the rules as a
//! snapshot; it never reads files itself.

use crate::kind::{DocKind, Family};
use crate::span::Span;
use crate::syntax::{IdRole, SpecDoc};
use std::collections::BTreeMap;

/// What the index keeps of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFacts {
    pub kind: DocKind,
    pub family: Family,
    /// `(id, span)` of each id the document defines.
    pub defines: Vec<(String, Span)>,
    /// `(id, span)` of each id the document mentions without defining it.
    pub references: Vec<(String, Span)>,
}

impl DocumentFacts {
    pub fn of(doc: &SpecDoc, kind: DocKind, family: Family) -> DocumentFacts {
        let mut defines = Vec::new();
        let mut references = Vec::new();
        for o in &doc.ids {
            let entry = (o.id.clone(), o.span);
            match o.role {
                IdRole::Definition => defines.push(entry),
                IdRole::Reference => references.push(entry),
            }
        }
        DocumentFacts {
            kind,
            family,
            defines,
            references,
        }
    }
}

/// A snapshot of the workspace, keyed by document path (or URI, as the caller chooses).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceIndex {
    documents: BTreeMap<String, DocumentFacts>,
}

impl WorkspaceIndex {
    pub fn insert(&mut self, path: impl Into<String>, facts: DocumentFacts) {
        self.documents.insert(path.into(), facts);
    }

    pub fn remove(&mut self, path: &str) {
        self.documents.remove(path);
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    pub fn document(&self, path: &str) -> Option<&DocumentFacts> {
        self.documents.get(path)
    }

    /// Where `id` is defined, across the workspace, in path order.
    pub fn definitions<'a>(&'a self, id: &'a str) -> impl Iterator<Item = (&'a str, Span)> + 'a {
        self.documents.iter().flat_map(move |(path, facts)| {
            facts
                .defines
                .iter()
                .filter(move |(d, _)| d == id)
                .map(move |(_, span)| (path.as_str(), *span))
        })
    }

    /// Where `id` is mentioned (defined or referenced), across the workspace.
    pub fn mentions<'a>(&'a self, id: &'a str) -> impl Iterator<Item = (&'a str, Span)> + 'a {
        self.documents.iter().flat_map(move |(path, facts)| {
            facts
                .defines
                .iter()
                .chain(&facts.references)
                .filter(move |(d, _)| d == id)
                .map(move |(_, span)| (path.as_str(), *span))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ParseOptions;

    #[test]
    fn finds_definitions_and_mentions_across_documents() {
        let spec = SpecDoc::parse(
            "- **FR-001**: The system MUST log.\n- FR-002: Export.\n",
            ParseOptions::default(),
        );
        let tasks = SpecDoc::parse(
            "- [ ] T001 Implement logging (FR-001)\n",
            ParseOptions::default(),
        );
        let mut index = WorkspaceIndex::default();
        index.insert(
            "spec.md",
            DocumentFacts::of(&spec, DocKind::Spec, Family::SpecKit),
        );
        index.insert(
            "tasks.md",
            DocumentFacts::of(&tasks, DocKind::Tasks, Family::SpecKit),
        );
        let defs: Vec<_> = index.definitions("FR-001").map(|(p, _)| p).collect();
        assert_eq!(defs, ["spec.md"]);
        let mentions: Vec<_> = index.mentions("FR-001").map(|(p, _)| p).collect();
        assert_eq!(mentions, ["spec.md", "tasks.md"]);
        let tasks_defined: Vec<_> = index.definitions("T001").map(|(p, _)| p).collect();
        assert_eq!(tasks_defined, ["tasks.md"]);
    }
}
