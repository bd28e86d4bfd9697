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

impl Backend {
    /// Opens `uri` in the editor (`window/showDocument`), focused.
    pub(super) async fn show(&self, uri: &Uri) {
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
        let version_of = |u: &Uri| self.inner.docs.get(u).map(|d| d.version);
        let edit = workspace_edit(&plan, self.encoding(), &version_of, self.supports_create())
            .map_err(Error::invalid_params)?;
        let response = self.inner.client.apply_edit(edit).await;
        let applied = response.as_ref().map(|r| r.applied).unwrap_or(false);
        if !applied {
            let reason = response
                .ok()
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
