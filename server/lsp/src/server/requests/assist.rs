//! Help while writing: code lenses, completion, hover and semantic tokens.

use super::super::to_proto::DiagnosticData;
use super::super::*;

impl Backend {
    pub(crate) async fn on_code_lens(
        &self,
        params: CodeLensParams,
    ) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let Some(result) = self.result_for(&uri).await else {
            return Ok(None);
        };
        let Some(analysis) = &result.analysis else {
            return Ok(None);
        };
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            return Ok(None);
        };
        if analysis.classification.kind == specwright_core::DocKind::Tasks {
            return Ok(Some(self.dispatch_lenses(
                &uri,
                &path,
                &result.rope,
                self.encoding(),
            )));
        }
        let location = location_of(&path);
        let folder = folder_of(&location);
        let (mode, tasks) = {
            let index = self.inner.index.read();
            coverage(index.in_folder(&folder, Some(&location)).map(|(_, f)| f))
        };
        let wanted = match mode {
            Coverage::None => return Ok(Some(Vec::new())),
            Coverage::Story => IdKind::Story,
            Coverage::Requirement => IdKind::Requirement,
        };
        let enc = self.encoding();
        let lenses = analysis
            .doc
            .ids
            .iter()
            .filter(|o| o.role == IdRole::Definition && o.kind == wanted)
            .map(|o| {
                let key = normalize(&o.id);
                let covering = covering_tasks(&tasks, &key);
                let title = match covering.len() {
                    0 => "not covered by any task".to_string(),
                    1 => format!("covered by {}", covering[0]),
                    n => format!("covered by {n} tasks: {}", covering.join(", ")),
                };
                CodeLens {
                    range: navigation::range_of(&result.rope, o.span, enc),
                    command: Some(Command {
                        title,
                        command: ServerCommand::Coverage.name().into(),
                        arguments: Some(vec![json!({ "uri": uri.as_str(), "id": o.id })]),
                    }),
                    data: None,
                }
            })
            .collect();
        Ok(Some(lenses))
    }

    pub(crate) async fn on_completion(
        &self,
        params: CompletionParams,
    ) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position.position;
        let uri = params.text_document_position.text_document.uri;
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            return Ok(None);
        };
        let line = {
            let Some(doc) = self.inner.docs.get(&uri) else {
                return Ok(None);
            };
            let end = convert::char_index(&doc.rope, pos, self.encoding());
            let start = doc.rope.line_to_char(doc.rope.char_to_line(end));
            doc.rope.slice(start..end).to_string()
        };
        // The id-like token being typed: `FR-0`, `T01`, Kiro's `1.` after `_Requirements:`.
        let token: String = line
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let in_requirements_list = line.to_ascii_lowercase().contains("requirements:");
        if token.is_empty() && !in_requirements_list {
            return Ok(None);
        }
        let folder = folder_of(&location_of(&path));
        let items: Vec<CompletionItem> =
            navigation::completions(&self.inner.index.read(), &folder, &token)
                .into_iter()
                .filter(|(id, _)| !token.is_empty() || id.contains('.'))
                .map(|(id, text)| CompletionItem {
                    label: id,
                    kind: Some(CompletionItemKind::REFERENCE),
                    detail: Some(text),
                    ..Default::default()
                })
                .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    pub(crate) async fn on_hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let Some(result) = self.result_for(&uri).await else {
            return Ok(None);
        };
        let cited = self.adr_under(&uri, pos).await;
        let hits: Vec<&Diagnostic> = result
            .diagnostics
            .iter()
            .filter(|d| contains(&d.range, pos))
            .collect();
        if let Some((loc, record, span, rope)) = &cited
            && hits.is_empty()
        {
            return Ok(Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: adr::hover_markdown(loc, record),
                }),
                range: Some(navigation::range_of(rope, *span, self.encoding())),
            }));
        }
        if let Some(hover) = self.id_hover(&uri, &result, pos) {
            return Ok(Some(hover));
        }
        let Some(first) = hits.first() else {
            return Ok(None);
        };
        let rule_of = |d: &Diagnostic| {
            DiagnosticData::of(d)
                .map(|data| data.rule)
                .unwrap_or_default()
        };
        let mut text = String::new();
        for d in &hits {
            let data = DiagnosticData::of(d);
            let rule = data.as_ref().map(|x| x.rule.as_str()).unwrap_or_default();
            text.push_str(&format!("**{rule}**: {}\n\n", d.message));
            if let Some(q) = data.as_ref().and_then(|x| x.question.as_deref()) {
                text.push_str(&format!("**Question:** {q}\n\n"));
            }
        }
        if let Some((loc, record, _, _)) = &cited {
            text.push_str(&format!("{}\n\n", adr::hover_markdown(loc, record)));
        }
        let mut seen = Vec::new();
        for d in &hits {
            let rule = rule_of(d);
            if let Some(r) = rules::find(&rule)
                && !seen.contains(&rule)
            {
                seen.push(rule);
                text.push_str("---\n\n");
                text.push_str(&r.meta().markdown());
            }
        }
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(first.range),
        }))
    }

    pub(crate) async fn on_semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some(result) = self.result_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let Some(analysis) = &result.analysis else {
            return Ok(None);
        };
        let tokens = specwright_core::highlight::tokens(&analysis.doc, analysis.facts.adr.as_ref());
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data: convert::semantic_tokens(&result.rope, &tokens, self.encoding()),
        })))
    }
}
