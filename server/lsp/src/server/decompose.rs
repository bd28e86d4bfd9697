//! "Decompose into tasks" over LSP: the code action on a section heading and the
//! `specwright.decompose` command, both one `WorkspaceEdit` of the sibling tasks.md (created
//! when missing), planned by `specwright_workspace::tasks` exactly as `specwright tasks` plans it.

use super::Backend;
use super::edits::workspace_edit;
use crate::ServerCommand;
use crate::convert;
use serde_json::{Value, json};
use specwright_workspace::tasks::{self, Planned};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

impl Backend {
    fn decompose_plan(
        &self,
        path: &std::path::Path,
        section: Option<&str>,
        index: Option<usize>,
    ) -> std::result::Result<Planned, String> {
        let loaded = self.config_for(path);
        let read = |p: &std::path::Path| self.text_of(p);
        tasks::plan(
            path,
            section,
            index,
            Some(&loaded),
            &self.editor_settings(),
            &read,
        )
    }

    /// "Decompose into tasks" on a section heading of a spec.
    pub(super) async fn decompose_actions(
        &self,
        uri: &Uri,
        range: Range,
    ) -> Vec<CodeActionOrCommand> {
        let Some(result) = self.result_for(uri).await else {
            return Vec::new();
        };
        let Some(analysis) = &result.analysis else {
            return Vec::new();
        };
        use specwright_core::kind::DocKind;
        if !matches!(
            analysis.classification.kind,
            DocKind::Spec | DocKind::Requirements | DocKind::Proposal | DocKind::Generic
        ) {
            return Vec::new();
        }
        let enc = self.encoding();
        let at = convert::offset(&result.rope, range.start, enc);
        let Some(section) = analysis
            .doc
            .sections
            .iter()
            .position(|s| s.heading_span.start <= at && at <= s.heading_span.end)
        else {
            return Vec::new();
        };
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            return Vec::new();
        };
        let Ok(planned) = self.decompose_plan(&path, None, Some(section)) else {
            return Vec::new();
        };
        let d = &planned.decomposition;
        if d.edits.is_empty() {
            return Vec::new();
        }
        let title = analysis.doc.sections[section].title.clone();
        let changes = planned.changes();
        let creates = changes
            .changes
            .iter()
            .any(|c| matches!(c, specwright_workspace::changes::Change::Create { .. }));
        // Offering an action must change nothing: for a client that cannot create files the
        // new tasks file is made only when the user picks the action (a command).
        if creates && !self.supports_create() {
            return vec![CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Decompose into tasks ({title})"),
                kind: Some(CodeActionKind::REFACTOR),
                command: Some(Command {
                    title: "Decompose into tasks".into(),
                    command: ServerCommand::Decompose.name().into(),
                    arguments: Some(vec![json!({ "uri": uri.as_str(), "section": title })]),
                }),
                ..Default::default()
            })];
        }
        let version_of = |u: &Uri| self.inner.docs.get(u).map(|d| d.version);
        let Ok(edit) = workspace_edit(&changes, enc, &version_of, self.supports_create()) else {
            return Vec::new();
        };
        vec![CodeActionOrCommand::CodeAction(CodeAction {
            title: format!(
                "Decompose into tasks: {} new, {} updated ({title})",
                d.created.len(),
                d.updated.len()
            ),
            kind: Some(CodeActionKind::REFACTOR),
            edit: Some(self.shape(edit)),
            ..Default::default()
        })]
    }

    /// `specwright.decompose { uri, section? }`.
    pub(super) async fn decompose_command(&self, arg: Value) -> Result<Option<Value>> {
        let path = arg
            .get("uri")
            .and_then(Value::as_str)
            .and_then(|u| u.parse::<Uri>().ok())
            .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
            .ok_or_else(|| {
                Error::invalid_params(
                    "expected {\"uri\": \"<spec uri>\", \"section\"?: \"<title>\"}",
                )
            })?;
        let section = arg.get("section").and_then(Value::as_str);
        let planned = self
            .decompose_plan(&path, section, None)
            .map_err(Error::invalid_params)?;
        let d = planned.decomposition.clone();
        let mut result = self
            .apply_plan(planned.changes(), "decompose")
            .await?
            .unwrap_or(json!({}));
        result["created"] = json!(d.created);
        result["updated"] = json!(d.updated);
        result["unchanged"] = json!(d.unchanged);
        result["stale"] = json!(d.stale);
        Ok(Some(result))
    }
}
