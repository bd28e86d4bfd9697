//! Code actions and the command table (`workspace/executeCommand`).

use super::super::to_proto::DiagnosticData;
use super::super::*;

impl Backend {
    pub(crate) async fn on_code_action(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let mut actions = Vec::new();
        for d in &params.context.diagnostics {
            let Some(data) = DiagnosticData::of(d) else {
                continue;
            };
            let version = Some(data.version);
            for fix in data.fixes {
                let edits = fix.edits;
                let edit = WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: uri.clone(),
                            version,
                        },
                        edits: edits.into_iter().map(OneOf::Left).collect(),
                    }])),
                    ..Default::default()
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(self.shape(edit)),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
            // Every finding with a question can also be marked for clarification in place.
            if let Some(question) = data.question.as_deref()
                && data.rule != "incomplete-marker"
            {
                let edit = WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: uri.clone(),
                            version,
                        },
                        edits: vec![OneOf::Left(TextEdit {
                            range: Range::new(d.range.end, d.range.end),
                            new_text: clarify::marker(question),
                        })],
                    }])),
                    ..Default::default()
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Mark as needing clarification".into(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(self.shape(edit)),
                    is_preferred: Some(false),
                    ..Default::default()
                }));
            }
        }
        let wants_source = params
            .context
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|k| k.as_str().starts_with("source")));
        let wants_refactor = params
            .context
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|k| k.as_str().starts_with("refactor")));
        if wants_refactor {
            actions.extend(self.adr_actions(&uri, params.range).await);
            actions.extend(self.decompose_actions(&uri, params.range).await);
        }
        if wants_source && let Some(edit) = self.questions_edit(&uri).await {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Collect clarification questions".into(),
                kind: Some(CodeActionKind::SOURCE),
                edit: Some(self.shape(edit)),
                ..Default::default()
            }));
        }
        // `only`: an action is returned when a requested kind is its kind or a parent of it
        // (`refactor` takes `refactor.rewrite`; `refactor.rewrite` does not take `refactor`).
        if let Some(only) = &params.context.only {
            actions.retain(|a| match a {
                CodeActionOrCommand::CodeAction(CodeAction {
                    kind: Some(kind), ..
                }) => only.iter().any(|r| {
                    kind.as_str() == r.as_str()
                        || kind
                            .as_str()
                            .strip_prefix(r.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                }),
                _ => false,
            });
        }
        Ok(Some(actions))
    }

    pub(crate) async fn on_execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<LSPAny>> {
        let arg = params.arguments.into_iter().next().unwrap_or(Value::Null);
        let Some(command) = ServerCommand::parse(&params.command) else {
            return Err(Error::invalid_params(format!(
                "unknown command `{}`; commands: {}",
                params.command,
                COMMANDS.join(", ")
            )));
        };
        match command {
            ServerCommand::Explain => {
                let RuleArg { rule: id } = typed(command, arg)?;
                match rules::find(&id) {
                    Some(rule) => Ok(Some(Value::String(rule.meta().markdown()))),
                    None => Err(Error::invalid_params(format!(
                        "unknown rule `{id}`; expected {} with one of: {}",
                        command.argument(),
                        rules::ids().join(", ")
                    ))),
                }
            }
            ServerCommand::Rules => Ok(Some(rules::catalogue())),
            ServerCommand::TaskAt => self.task_at_command(arg),
            ServerCommand::Tasks => self.tasks_command(arg),
            ServerCommand::Decompose => self.decompose_command(arg).await,
            ServerCommand::Verify => self.verify_command(arg).await,
            ServerCommand::Dispatch
            | ServerCommand::DispatchReady
            | ServerCommand::Cancel
            | ServerCommand::CancelAll
            | ServerCommand::ShowLog
            | ServerCommand::Runs
            | ServerCommand::Integrate
            | ServerCommand::WorktreesClean => self.dispatch_command(command, arg).await,
            ServerCommand::AdrIndex
            | ServerCommand::AdrList
            | ServerCommand::AdrNew
            | ServerCommand::AdrSetStatus
            | ServerCommand::AdrSupersede => self.adr_command(command, arg).await,
            ServerCommand::Coverage => {
                let CoverageArg { uri, id } = typed(command, arg)?;
                let uri = uri_of(command, &uri)?;
                let id = id.as_str();
                let folder = uri
                    .to_file_path()
                    .map(|p| folder_of(&location_of(&p)))
                    .unwrap_or_default();
                let index = self.inner.index.read();
                let (_, tasks) = coverage(index.in_folder(&folder, None).map(|(_, f)| f));
                Ok(Some(
                    json!({ "id": id, "coveredBy": covering_tasks(&tasks, &normalize(id)) }),
                ))
            }
            ServerCommand::CollectQuestions => {
                let UriArg { uri } = typed(command, arg)?;
                let uri = uri_of(command, &uri)?;
                let Some(edit) = self.questions_edit(&uri).await else {
                    return Ok(Some(
                        json!({ "applied": false, "reason": "no open questions to add" }),
                    ));
                };
                if !self.offers().apply_edit {
                    return Ok(Some(json!({
                        "applied": false,
                        "reason": "this editor does not apply edits from the server (it did not offer workspace.applyEdit)"
                    })));
                }
                let applied = self.apply(edit).await.is_some_and(|r| r.applied);
                Ok(Some(json!({ "applied": applied })))
            }
        }
    }
}

#[derive(serde::Deserialize)]
struct RuleArg {
    rule: String,
}

#[derive(serde::Deserialize)]
struct CoverageArg {
    uri: String,
    id: String,
}

#[derive(serde::Deserialize)]
struct UriArg {
    uri: String,
}

/// A command's argument as its type, or an `InvalidParams` error quoting the shape it takes.
fn typed<T: serde::de::DeserializeOwned>(command: ServerCommand, arg: Value) -> Result<T> {
    serde_json::from_value(arg.clone()).map_err(|e| {
        Error::invalid_params(format!(
            "{}: expected {}, got {arg} ({e})",
            command.name(),
            command.argument()
        ))
    })
}

fn uri_of(command: ServerCommand, uri: &str) -> Result<Uri> {
    uri.parse().map_err(|_| {
        Error::invalid_params(format!(
            "`{uri}` is not a URI; expected {}",
            command.argument()
        ))
    })
}
