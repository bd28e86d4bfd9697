//! File changes as LSP: a [`Plan`] becomes one `WorkspaceEdit` (`CreateFile` + text for new
//! files, versioned edits for existing ones), applied through `workspace/applyEdit`, then the
//! file it made is shown with `window/showDocument`.

use super::Backend;
use crate::convert::{self, Encoding};
use ropey::Rope;
use serde_json::{Value, json};
use specwright_workspace::changes::{self, Change, Plan};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

/// A plan as one `WorkspaceEdit`. New files are `CreateFile` operations followed by their
/// text; edits carry the open buffer's version. `create` says whether the client accepts
/// resource operations; without them, the server creates the files (never overwriting) and
/// the edit carries only the text changes.
pub(super) fn workspace_edit(
    plan: &Plan,
    enc: Encoding,
    version_of: &dyn Fn(&Uri) -> Option<i32>,
    create: bool,
) -> std::result::Result<WorkspaceEdit, String> {
    let mut ops = Vec::new();
    for change in &plan.changes {
        let uri = Uri::from_file_path(change.path())
            .ok_or_else(|| format!("{} is not a file path", change.path().display()))?;
        match change {
            Change::Create { path, text } => {
                if create {
                    ops.push(DocumentChangeOperation::Op(ResourceOp::Create(
                        CreateFile {
                            uri: uri.clone(),
                            options: Some(CreateFileOptions {
                                overwrite: Some(false),
                                ignore_if_exists: Some(false),
                            }),
                            annotation_id: None,
                        },
                    )));
                    ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri,
                            version: None,
                        },
                        edits: vec![OneOf::Left(TextEdit {
                            range: Range::default(),
                            new_text: text.clone(),
                        })],
                    }));
                } else {
                    changes::apply(&Plan {
                        changes: vec![Change::Create {
                            path: path.clone(),
                            text: text.clone(),
                        }],
                        show: None,
                    })?;
                }
            }
            Change::Edit { text, edits, .. } => {
                let rope = Rope::from_str(text);
                ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        version: version_of(&uri),
                        uri,
                    },
                    edits: edits
                        .iter()
                        .map(|e| {
                            OneOf::Left(TextEdit {
                                range: convert::range(&rope, e.span, enc),
                                new_text: e.new_text.clone(),
                            })
                        })
                        .collect(),
                }));
            }
        }
    }
    Ok(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(ops)),
        ..Default::default()
    })
}

/// `edit` in the form the client reads: `documentChanges` when it offered them, else the
/// plain `changes` map (text edits only; versions are dropped, as that form has none).
pub(super) fn shaped(edit: WorkspaceEdit, document_changes: bool) -> WorkspaceEdit {
    if document_changes {
        return edit;
    }
    let docs: Vec<TextDocumentEdit> = match edit.document_changes {
        None => return edit,
        Some(DocumentChanges::Edits(docs)) => docs,
        Some(DocumentChanges::Operations(ops)) => ops
            .into_iter()
            .filter_map(|op| match op {
                DocumentChangeOperation::Edit(e) => Some(e),
                // Only offered to clients with resource operations, which implies
                // `documentChanges`; nothing to translate here.
                DocumentChangeOperation::Op(_) => None,
            })
            .collect(),
    };
    let mut changes: std::collections::HashMap<Uri, Vec<TextEdit>> =
        edit.changes.unwrap_or_default();
    for d in docs {
        changes
            .entry(d.text_document.uri)
            .or_default()
            .extend(d.edits.into_iter().map(|e| match e {
                OneOf::Left(t) => t,
                OneOf::Right(a) => a.text_edit,
            }));
    }
    WorkspaceEdit {
        changes: Some(changes),
        document_changes: None,
        change_annotations: None,
    }
}

impl Backend {
    pub(super) fn offers(&self) -> super::Offers {
        self.inner
            .session
            .read()
            .map(|s| s.offers)
            .unwrap_or_default()
    }

    /// `edit` shaped for this client ([`shaped`]).
    pub(super) fn shape(&self, edit: WorkspaceEdit) -> WorkspaceEdit {
        shaped(edit, self.offers().document_changes)
    }

    /// Asks the client to apply `edit`, shaped for it; `None` when it does not offer
    /// `workspace/applyEdit` (the edit is then never sent).
    pub(super) async fn apply(&self, edit: WorkspaceEdit) -> Option<ApplyWorkspaceEditResponse> {
        if !self.offers().apply_edit {
            return None;
        }
        self.inner.client.apply_edit(self.shape(edit)).await.ok()
    }

    /// Opens `uri` in the editor (`window/showDocument`), focused, when the client offers it.
    pub(super) async fn show(&self, uri: &Uri) {
        if !self.offers().show_document {
            return;
        }
        let _ = self
            .inner
            .client
            .show_document(ShowDocumentParams {
                uri: uri.clone(),
                external: Some(false),
                take_focus: Some(true),
                selection: None,
            })
            .await;
    }

    /// Applies a plan through the client, then shows the file it made.
    pub(super) async fn apply_plan(&self, plan: Plan, label: &str) -> Result<Option<Value>> {
        if plan.changes.is_empty() {
            return Ok(Some(json!({ "applied": true, "changed": [] })));
        }
        // Checked before the edit is built: building it creates new files for clients
        // without resource operations, which must not happen for an edit never sent.
        if !self.offers().apply_edit {
            return Err(Error::invalid_params(format!(
                "{label}: this editor does not apply edits from the server (it did not offer workspace.applyEdit)"
            )));
        }
        let version_of = |u: &Uri| self.inner.docs.get(u).map(|d| d.version);
        let edit = workspace_edit(&plan, self.encoding(), &version_of, self.supports_create())
            .map_err(Error::invalid_params)?;
        let response = self.apply(edit).await;
        let applied = response.as_ref().is_some_and(|r| r.applied);
        if !applied {
            let reason = response
                .and_then(|r| r.failure_reason)
                .unwrap_or_else(|| "the editor did not apply the edit".into());
            return Err(Error::invalid_params(format!("{label}: {reason}")));
        }
        let shown = plan.show.as_ref().and_then(Uri::from_file_path);
        if let Some(uri) = &shown {
            self.show(uri).await;
        }
        let changed: Vec<String> = plan
            .changes
            .iter()
            .filter_map(|c| Uri::from_file_path(c.path()).map(|u| u.as_str().to_string()))
            .collect();
        Ok(Some(json!({
            "applied": true,
            "changed": changed,
            "uri": shown.map(|u| u.as_str().to_string()),
        })))
    }
}
