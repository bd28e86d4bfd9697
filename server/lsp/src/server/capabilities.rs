//! What the client offered (`initialize`'s `ClientCapabilities`, read once into plain flags the
//! handlers consult before using a feature) and what the server advertises in return.

use super::{Offers, SOURCE};
use crate::commands::COMMANDS;
use crate::convert::{self, Encoding};
use tower_lsp_server::ls_types::*;

/// Everything the server needs to know of the client's capabilities.
#[derive(Debug, Default)]
pub(crate) struct Offered {
    pub(crate) encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); otherwise they are pushed.
    pub(crate) pull: bool,
    /// `workspace/diagnostic/refresh`.
    pub(crate) refresh_support: bool,
    /// `CreateFile` operations in a `WorkspaceEdit`.
    pub(crate) resource_create: bool,
    /// `window/workDoneProgress`.
    pub(crate) work_done_progress: bool,
    pub(crate) offers: Offers,
}

/// Reads what the client offered; anything absent is not offered.
pub(crate) fn read(caps: &ClientCapabilities) -> Offered {
    let workspace = caps.workspace.as_ref();
    let encoding = Encoding::negotiate(
        caps.general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let pull = caps
        .text_document
        .as_ref()
        .and_then(|t| t.diagnostic.as_ref())
        .is_some();
    let refresh_support = workspace
        .and_then(|w| w.diagnostics.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    let resource_create = workspace
        .and_then(|w| w.workspace_edit.as_ref())
        .is_some_and(|e| {
            e.document_changes == Some(true)
                && e.resource_operations
                    .as_ref()
                    .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
        });
    let work_done_progress = caps
        .window
        .as_ref()
        .and_then(|w| w.work_done_progress)
        .unwrap_or(false);
    let offers = Offers {
        apply_edit: workspace.and_then(|w| w.apply_edit).unwrap_or(false),
        show_document: caps
            .window
            .as_ref()
            .and_then(|w| w.show_document.as_ref())
            .is_some_and(|d| d.support),
        configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
        document_changes: workspace
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false),
        watch_registration: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        related_information: caps
            .text_document
            .as_ref()
            .and_then(|t| t.publish_diagnostics.as_ref())
            .and_then(|p| p.related_information)
            .unwrap_or(false),
    };
    Offered {
        encoding,
        pull,
        refresh_support,
        resource_create,
        work_done_progress,
        offers,
    }
}

/// What the server advertises: pull diagnostics only to a client that pulls.
pub(crate) fn advertised(encoding: Encoding, pull: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: convert::TOKEN_TYPES
                        .iter()
                        .map(|t| SemanticTokenType::new(t))
                        .collect(),
                    token_modifiers: convert::TOKEN_MODIFIERS
                        .iter()
                        .map(|m| SemanticTokenModifier::new(m))
                        .collect(),
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: Some(false),
                ..Default::default()
            },
        )),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["-".into(), ",".into(), " ".into()]),
            ..Default::default()
        }),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR,
                CodeActionKind::REFACTOR_REWRITE,
                CodeActionKind::SOURCE,
            ]),
            ..Default::default()
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: COMMANDS.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        }),
        diagnostic_provider: pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(SOURCE.into()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                ..Default::default()
            })
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn offered(caps: serde_json::Value) -> Offered {
        read(&serde_json::from_value(caps).expect("client capabilities"))
    }

    #[test]
    fn a_minimal_client_is_offered_nothing() {
        let o = offered(json!({}));
        assert!(!o.pull && !o.refresh_support && !o.resource_create && !o.work_done_progress);
        let f = o.offers;
        assert!(!f.apply_edit && !f.show_document && !f.configuration && !f.document_changes);
        assert!(!f.watch_registration && !f.related_information);
        assert_eq!(o.encoding, Encoding::Utf16);
    }

    #[test]
    fn neovim_without_dynamic_registration_gets_no_watcher_and_pull_only_when_it_pulls() {
        let o = offered(json!({
            "general": { "positionEncodings": ["utf-8", "utf-16"] },
            "workspace": {
                "applyEdit": true,
                "configuration": true,
                "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] },
                "didChangeWatchedFiles": { "dynamicRegistration": false }
            },
            "textDocument": { "publishDiagnostics": { "relatedInformation": true } },
            "window": { "showDocument": { "support": true }, "workDoneProgress": true }
        }));
        assert!(!o.offers.watch_registration && !o.pull);
        assert!(o.offers.apply_edit && o.offers.configuration && o.offers.document_changes);
        assert!(o.resource_create && o.work_done_progress && o.offers.show_document);
        assert!(o.offers.related_information);
        assert_eq!(o.encoding, Encoding::Utf8);
        assert!(advertised(o.encoding, o.pull).diagnostic_provider.is_none());

        let pulls = offered(json!({
            "textDocument": { "diagnostic": {} },
            "workspace": { "diagnostics": { "refreshSupport": true } }
        }));
        assert!(pulls.pull && pulls.refresh_support);
        assert!(
            advertised(pulls.encoding, true)
                .diagnostic_provider
                .is_some()
        );
    }
}
