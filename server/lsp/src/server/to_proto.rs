//! Core results as LSP values: diagnostics (with the typed payload a diagnostic carries in
//! `data`, so that code actions and hover rebuild its fixes and question without analysing
//! again), configuration errors and the outline.

use super::SOURCE;
use crate::convert::{self, Encoding};
use crate::navigation;
use ropey::Rope;
use serde::{Deserialize, Serialize};
use specwright_core::{Analysis, ConfigDiagnostic};
use std::collections::HashMap;
use tower_lsp_server::ls_types::*;

/// What a Specwright diagnostic carries in `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct DiagnosticData {
    pub(super) rule: String,
    /// The document version the fixes' ranges belong to.
    pub(super) version: i32,
    pub(super) question: Option<String>,
    pub(super) fixes: Vec<FixData>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct FixData {
    pub(super) title: String,
    pub(super) edits: Vec<TextEdit>,
}

impl DiagnosticData {
    /// The payload of one of this server's diagnostics as a client sent it back; `None` for
    /// another server's, or one a client altered.
    pub(super) fn of(d: &Diagnostic) -> Option<DiagnosticData> {
        if d.source.as_deref() != Some(SOURCE) {
            return None;
        }
        serde_json::from_value(d.data.clone()?).ok()
    }
}

pub(super) fn config_diagnostics(
    rope: &Rope,
    diags: &[ConfigDiagnostic],
    enc: Encoding,
) -> Vec<Diagnostic> {
    diags
        .iter()
        .map(|d| Diagnostic {
            range: d
                .span
                .map_or_else(Range::default, |s| convert::range(rope, s, enc)),
            severity: convert::severity(d.severity),
            source: Some(SOURCE.into()),
            code: Some(NumberOrString::String("config".into())),
            message: d.message.clone(),
            ..Default::default()
        })
        .collect()
}

/// Where a finding's related places are: its own document's URI and rope, and how to reach the
/// others (open buffers first, then the disk). `None`: the client takes no related information.
pub(super) struct RelatedTo<'a> {
    pub(super) uri: &'a Uri,
    pub(super) open: &'a dyn Fn(&Uri) -> Option<Rope>,
}

pub(super) fn to_lsp_diagnostic(
    rope: &Rope,
    d: &specwright_core::Diagnostic,
    enc: Encoding,
    version: i32,
    docs_url: Option<&str>,
    related: Option<&RelatedTo<'_>>,
) -> Option<Diagnostic> {
    let severity = convert::severity(d.severity)?;
    // The clarification marker every finding with a question offers is made in
    // `code_action` from the question: large documents carry thousands of findings.
    let fixes = d
        .fixes
        .iter()
        .map(|f| FixData {
            title: f.title.clone(),
            edits: f
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: convert::range(rope, e.span, enc),
                    new_text: e.new_text.clone(),
                })
                .collect(),
        })
        .collect();
    let data = DiagnosticData {
        rule: d.rule.to_string(),
        version,
        question: d.question.clone(),
        fixes,
    };
    Some(Diagnostic {
        range: convert::range(rope, d.span, enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.rule.to_string())),
        code_description: docs_url
            .and_then(|base| format!("{base}/{}.md", d.rule).parse::<Uri>().ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.into()),
        message: d.message.clone(),
        data: serde_json::to_value(&data).ok(),
        related_information: related.filter(|_| !d.related.is_empty()).map(|to| {
            d.related
                .iter()
                .filter_map(|r| {
                    let location = match &r.location {
                        None => Location::new(to.uri.clone(), convert::range(rope, r.span, enc)),
                        Some(loc) => navigation::location(loc, r.span, enc, &to.open)?,
                    };
                    Some(DiagnosticRelatedInformation {
                        location,
                        message: r.message.clone(),
                    })
                })
                .collect()
        }),
        ..Default::default()
    })
}

/// Sections as nested symbols, with the ids defined in each section as children.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub(super) fn outline(analysis: &Analysis, rope: &Rope, enc: Encoding) -> Vec<DocumentSymbol> {
    let doc = &analysis.doc;
    let mut ids_by_section: HashMap<Option<usize>, Vec<DocumentSymbol>> = HashMap::new();
    for st in &doc.statements {
        let Some(id) = st.defined_id(doc) else {
            continue;
        };
        let text: String = doc
            .prose_slice(st.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let detail: String = text.chars().take(80).collect();
        ids_by_section
            .entry(doc.section_at(st.span.start))
            .or_default()
            .push(DocumentSymbol {
                name: id.to_string(),
                detail: Some(detail),
                kind: SymbolKind::KEY,
                tags: None,
                deprecated: None,
                range: convert::range(rope, st.span, enc),
                selection_range: convert::range(rope, st.span, enc),
                children: None,
            });
    }
    fn build(
        i: usize,
        doc: &specwright_core::SpecDoc,
        rope: &Rope,
        enc: Encoding,
        ids: &mut HashMap<Option<usize>, Vec<DocumentSymbol>>,
    ) -> DocumentSymbol {
        let s = &doc.sections[i];
        let mut children: Vec<DocumentSymbol> = ids.remove(&Some(i)).unwrap_or_default();
        children.extend(s.children.iter().map(|&c| build(c, doc, rope, enc, ids)));
        let full = specwright_core::Span::new(
            s.heading_span.start,
            s.body_span.end.max(s.heading_span.end),
        );
        DocumentSymbol {
            name: if s.title.is_empty() {
                "(untitled)".into()
            } else {
                s.title.clone()
            },
            detail: None,
            kind: SymbolKind::NAMESPACE,
            tags: None,
            deprecated: None,
            range: convert::range(rope, full, enc),
            selection_range: convert::range(rope, s.title_span, enc),
            children: Some(children),
        }
    }
    let mut top: Vec<DocumentSymbol> = ids_by_section.remove(&None).unwrap_or_default();
    let roots: Vec<usize> = (0..doc.sections.len())
        .filter(|&i| doc.sections[i].parent.is_none())
        .collect();
    top.extend(
        roots
            .into_iter()
            .map(|i| build(i, doc, rope, enc, &mut ids_by_section)),
    );
    top
}
