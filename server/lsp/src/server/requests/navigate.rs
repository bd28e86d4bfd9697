//! Going to ids and ADRs: definition, references, rename and symbols.

use super::super::*;

impl Backend {
    pub(crate) async fn on_goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        if let Some((loc, record, _, _)) = self.adr_under(&uri, pos).await {
            let open = |u: &Uri| self.inner.docs.get(u).map(|d| d.rope.clone());
            let span = record.title_span.unwrap_or_default();
            return Ok(navigation::location(&loc, span, self.encoding(), &open)
                .map(|l| GotoDefinitionResponse::Array(vec![l])));
        }
        let Some((key, folder)) = self.id_under(&uri, pos).await else {
            return Ok(None);
        };
        let defs = navigation::definitions(&self.inner.index.read(), &key, folder.as_deref());
        let open = |u: &Uri| self.inner.docs.get(u).map(|d| d.rope.clone());
        let enc = self.encoding();
        let locations: Vec<Location> = defs
            .iter()
            .filter_map(|(loc, span)| navigation::location(loc, *span, enc, &open))
            .collect();
        Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
    }

    pub(crate) async fn on_prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some(result) = self.result_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let Some(analysis) = &result.analysis else {
            return Ok(None);
        };
        let enc = self.encoding();
        let offset = convert::offset(&result.rope, params.position, enc);
        let Some(id) = navigation::id_at(&analysis.doc, offset) else {
            return Ok(None);
        };
        if !id.id.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // Kiro's `1.2` is a position, not a name: renumber by moving the criterion.
            return Err(Error::invalid_params(
                "positional ids (Kiro's N.M) cannot be renamed",
            ));
        }
        Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: navigation::range_of(&result.rope, id.span, enc),
            placeholder: id.id.clone(),
        }))
    }

    pub(crate) async fn on_rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position.position;
        let uri = params.text_document_position.text_document.uri;
        let Some((key, folder)) = self.id_under(&uri, pos).await else {
            return Ok(None);
        };
        let new_name = params.new_name.trim().to_string();
        if new_name.is_empty()
            || new_name.contains(char::is_whitespace)
            || !new_name.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            return Err(Error::invalid_params(format!(
                "`{new_name}` is not an id (expected something like FR-012)"
            )));
        }
        let enc = self.encoding();
        // A document that is not a file (`untitled:`) is in no folder and no index: its own
        // mentions are all there is to rename.
        if folder.is_none() || !uri.as_str().starts_with("file:") {
            let Some(result) = self.result_for(&uri).await else {
                return Ok(None);
            };
            let Some(analysis) = &result.analysis else {
                return Ok(None);
            };
            let edits: Vec<OneOf<TextEdit, AnnotatedTextEdit>> = analysis
                .doc
                .ids
                .iter()
                .filter(|o| normalize(&o.id) == key)
                .map(|o| {
                    OneOf::Left(TextEdit {
                        range: convert::range(&result.rope, o.span, enc),
                        new_text: new_name.clone(),
                    })
                })
                .collect();
            let version = self.inner.docs.get(&uri).map(|d| d.version);
            return Ok(Some(self.shape(WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                    edits,
                }])),
                ..Default::default()
            })));
        }
        let mentions = navigation::references(&self.inner.index.read(), &key, folder.as_deref());
        let mut by_doc: std::collections::BTreeMap<String, Vec<specwright_core::Span>> =
            Default::default();
        for (loc, span) in mentions {
            by_doc.entry(loc).or_default().push(span);
        }
        let mut changes = Vec::new();
        for (loc, spans) in by_doc {
            let open = |u: &Uri| self.inner.docs.get(u).map(|d| d.rope.clone());
            let Some((doc_uri, rope)) = navigation::rope_of(&loc, open) else {
                continue;
            };
            let version = self.inner.docs.get(&doc_uri).map(|d| d.version);
            changes.push(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: doc_uri,
                    version,
                },
                edits: spans
                    .into_iter()
                    .map(|span| {
                        OneOf::Left(TextEdit {
                            range: convert::range(&rope, span, enc),
                            new_text: new_name.clone(),
                        })
                    })
                    .collect(),
            });
        }
        Ok(Some(self.shape(WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(changes)),
            ..Default::default()
        })))
    }

    pub(crate) async fn on_references(
        &self,
        params: ReferenceParams,
    ) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position.position;
        let uri = params.text_document_position.text_document.uri;
        let refs = if let Some((loc, record, _, _)) = self.adr_under(&uri, pos).await {
            adr::references(&self.inner.index.read(), &loc, &record)
        } else {
            let Some((key, folder)) = self.id_under(&uri, pos).await else {
                return Ok(None);
            };
            navigation::references(&self.inner.index.read(), &key, folder.as_deref())
        };
        let open = |u: &Uri| self.inner.docs.get(u).map(|d| d.rope.clone());
        let enc = self.encoding();
        Ok(Some(
            refs.iter()
                .filter_map(|(loc, span)| navigation::location(loc, *span, enc, &open))
                .collect(),
        ))
    }

    pub(crate) async fn on_symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let open = |u: &Uri| self.inner.docs.get(u).map(|d| d.rope.clone());
        let symbols = navigation::symbols(
            &self.inner.index.read(),
            &params.query,
            self.encoding(),
            &open,
        );
        Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
    }

    pub(crate) async fn on_document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(result) = self.result_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let Some(analysis) = &result.analysis else {
            return Ok(None);
        };
        Ok(Some(DocumentSymbolResponse::Nested(outline(
            analysis,
            &result.rope,
            self.encoding(),
        ))))
    }
}
