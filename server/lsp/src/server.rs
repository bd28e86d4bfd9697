//! The [`Backend`]: the document store, the session state and the `LanguageServer` impl,
//! which is a table: each request is handed to its handler in [`requests`] (lifecycle,
//! navigation, writing aids, actions and commands), the document notifications to
//! [`pipeline`] (analysis, publishing, re-checks), and the features with state of their own
//! to their modules (ADRs, decompose, dispatch, tasks).

mod adr;
mod capabilities;
mod decompose;
mod dispatch;
mod dispatch_lines;
mod drift;
mod edits;
mod pipeline;
mod requests;
mod tasks;
mod to_proto;
mod verify;

use crate::convert::{self, Encoding};
use crate::index::{self, Index, Reach};
use crate::navigation;
use dashmap::DashMap;
use ropey::Rope;
use serde_json::{Value, json};
use specwright_core::config::{self, ConfigFile, FILE_NAME};
use specwright_core::incremental::{self, Parts};
use specwright_core::index::{Coverage, coverage, covering_tasks, folder_of};
use specwright_core::syntax::normalize;
use specwright_core::syntax::{IdKind, IdRole};
use specwright_core::{Analysis, ConfigDiagnostic};
use specwright_core::{clarify, rules};
use specwright_workspace::{LoadedConfig, find_config, is_markdown, location_of, today};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use to_proto::{RelatedTo, config_diagnostics, outline, to_lsp_diagnostic};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

pub use crate::commands::{COMMANDS, ServerCommand};

const SOURCE: &str = "specwright";

#[derive(Debug, Default)]
struct Session {
    encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); otherwise we push them.
    pull: bool,
    refresh_support: bool,
    /// Editor settings: they fill only what `specwright.toml` leaves unset.
    editor: ConfigFile,
    /// The workspace folders to index.
    roots: Vec<PathBuf>,
    /// The client accepts `window/workDoneProgress/create`.
    work_done_progress: bool,
    /// The client applies `CreateFile` operations in a `WorkspaceEdit`.
    resource_create: bool,
    /// What the client said it can do for the server. Nothing it did not offer is used.
    offers: Offers,
}

/// The server-to-client features a client offered in `initialize`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Offers {
    /// `workspace/applyEdit`.
    pub apply_edit: bool,
    /// `window/showDocument`.
    pub show_document: bool,
    /// `workspace/configuration`.
    pub configuration: bool,
    /// `documentChanges` in a `WorkspaceEdit` (else the plain `changes` map).
    pub document_changes: bool,
    /// Registering file watchers dynamically
    /// (`workspace.didChangeWatchedFiles.dynamicRegistration`).
    pub watch_registration: bool,
    /// `relatedInformation` on diagnostics.
    pub related_information: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocType {
    Markdown,
    /// A `specwright.toml`: its diagnostics are the configuration's.
    Config,
    /// Any other file the client opened (other TOML files): nothing to say.
    Other,
}

struct Document {
    rope: Rope,
    version: i32,
    /// Bumped when facts of other documents change this one's cross-file findings.
    revision: u64,
    doc_type: DocType,
    result: Option<Arc<DocResult>>,
    /// A large document's findings kept by part, for edits to update (see [`Backend::quick`]).
    parts: Arc<tokio::sync::Mutex<Option<KeptParts>>>,
    /// Held while a published whole analysis runs: edits arriving meanwhile wait their turn,
    /// and only the latest of them is analysed when it comes.
    turn: Arc<tokio::sync::Mutex<()>>,
}

/// What [`Backend::quick`] could do for an edit.
enum Quick {
    /// The diagnostics of this version, from the part the edit touched.
    Answer(i32, Vec<Diagnostic>),
    /// A newer edit arrived while this one waited: it is answered instead.
    Superseded,
    /// The document needs a whole analysis (small, no parts yet, or the edit was refused).
    Whole,
}

/// [`Parts`] and what they were computed under: a configuration or cross-file change makes
/// them stale.
struct KeptParts {
    parts: Parts,
    generation: u64,
    revision: u64,
}

/// How long typing must pause before a large document, whose edits were re-analysed by part,
/// is analysed whole again: the document-wide rules' findings settle then.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(300);

/// The outcome of analysing one version of a document.
struct DocResult {
    version: i32,
    revision: u64,
    generation: u64,
    rope: Rope,
    analysis: Option<Analysis>,
    diagnostics: Vec<Diagnostic>,
    /// This analysis changed what the index knows of the document: other documents of its
    /// folder (given here) may have new cross-file findings.
    facts_changed_in: Option<Reach>,
}

struct Inner {
    client: Client,
    docs: DashMap<Uri, Document>,
    session: RwLock<Session>,
    /// Configuration files read from disk, by path; cleared when any may have changed.
    configs: DashMap<PathBuf, Arc<LoadedConfig>>,
    /// Bumped whenever a fact outside the documents changes (configuration, the facts of
    /// another document): cached results of older generations are stale.
    generation: AtomicU64,
    index: Index,
    dispatch: dispatch::State,
}

#[derive(Clone)]
pub struct Backend {
    inner: Arc<Inner>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            inner: Arc::new(Inner {
                client,
                docs: DashMap::new(),
                session: RwLock::new(Session::default()),
                configs: DashMap::new(),
                generation: AtomicU64::new(0),
                index: Index::default(),
                dispatch: dispatch::State::default(),
            }),
        }
    }

    /// Starts a work-done progress with a percentage, when the client accepts the token.
    pub(crate) async fn begin_progress(
        &self,
        token: String,
        title: String,
        message: Option<String>,
    ) -> Option<
        tower_lsp_server::OngoingProgress<
            tower_lsp_server::Bounded,
            tower_lsp_server::NotCancellable,
        >,
    > {
        let token = NumberOrString::String(token);
        self.inner
            .client
            .create_work_done_progress(token.clone())
            .await
            .ok()?;
        let progress = self.inner.client.progress(token, title).with_percentage(0);
        Some(match message {
            Some(m) => progress.with_message(m).begin().await,
            None => progress.begin().await,
        })
    }

    /// Agents do not outlive the server that started them: cancels every run, then waits
    /// (bounded) for the runs to record themselves as cancelled.
    pub async fn end_runs(&self) {
        self.cancel_everything();
        for _ in 0..100 {
            if !self.dispatching() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    fn encoding(&self) -> Encoding {
        self.inner
            .session
            .read()
            .map(|s| s.encoding)
            .unwrap_or_default()
    }

    fn pull(&self) -> bool {
        self.inner.session.read().map(|s| s.pull).unwrap_or(false)
    }

    /// Whether the client pulls diagnostics again when sent `workspace/diagnostic/refresh`.
    fn refresh_support(&self) -> bool {
        self.inner
            .session
            .read()
            .map(|s| s.refresh_support)
            .unwrap_or(false)
    }

    fn editor_settings(&self) -> ConfigFile {
        self.inner
            .session
            .read()
            .map(|s| s.editor.clone())
            .unwrap_or_default()
    }

    /// The configuration governing `path`: the nearest `specwright.toml`, taken from the
    /// editor's buffer when it is open (so edits apply as they are typed), else from disk.
    fn config_for(&self, path: &Path) -> Arc<LoadedConfig> {
        let dir = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let Some(config_path) = find_config(&dir) else {
            return Arc::new(LoadedConfig::defaults(dir));
        };
        if let Some(uri) = Uri::from_file_path(&config_path)
            && let Some(doc) = self.inner.docs.get(&uri)
        {
            return Arc::new(LoadedConfig::from_text(config_path, doc.rope.to_string()));
        }
        if let Some(hit) = self.inner.configs.get(&config_path) {
            return hit.clone();
        }
        let loaded = Arc::new(LoadedConfig::read(&config_path).unwrap_or_else(|e| {
            let mut l = LoadedConfig::defaults(dir);
            l.diagnostics.push(ConfigDiagnostic {
                span: None,
                message: format!("cannot read {}: {e}", config_path.display()),
                severity: specwright_core::Severity::Error,
            });
            l
        }));
        self.inner.configs.insert(config_path, loaded.clone());
        loaded
    }

    async fn apply_settings(&self, settings: &Value) {
        let mut settings = settings.get("specwright").unwrap_or(settings).clone();
        // Workspace trust is the editor's to say, not a configuration key.
        if let Some(obj) = settings.as_object_mut()
            && let Some(trusted) = obj.remove("trusted")
            && let Ok(mut t) = self.inner.dispatch.trusted.lock()
        {
            *t = trusted.as_bool();
        }
        let (editor, problems) = config::parse_json(&settings, &rules::ids());
        for p in problems {
            self.inner
                .client
                .log_message(
                    MessageType::WARNING,
                    format!("specwright: editor settings: {}", p.message),
                )
                .await;
        }
        if let Ok(mut s) = self.inner.session.write() {
            s.editor = editor;
        }
    }

    /// A tasks file (by name: `tasks.md`, `*tasks*.md`) has its stamped tasks' boundaries
    /// read from git.
    fn drift_of(&self, uri: &Uri) {
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            return;
        };
        let tasks = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.to_ascii_lowercase().contains("tasks") && n.ends_with(".md"));
        if tasks {
            self.refresh_drift(uri.clone(), path);
        }
    }

    async fn result_for(&self, uri: &Uri) -> Option<Arc<DocResult>> {
        self.analyse(uri).await
    }

    /// The normalised id under `pos` and the folder of `uri`.
    async fn id_under(&self, uri: &Uri, pos: Position) -> Option<(String, Option<String>)> {
        let result = self.result_for(uri).await?;
        let analysis = result.analysis.as_ref()?;
        let offset = convert::offset(&result.rope, pos, self.encoding());
        let id = navigation::id_at(&analysis.doc, offset)?;
        let folder = uri.to_file_path().map(|p| folder_of(&location_of(&p)));
        Some((normalize(&id.id), folder))
    }

    /// Hover on an id that no finding covers: its definition, file and coverage.
    fn id_hover(&self, uri: &Uri, result: &DocResult, pos: Position) -> Option<Hover> {
        let analysis = result.analysis.as_ref()?;
        let enc = self.encoding();
        let offset = convert::offset(&result.rope, pos, enc);
        if result.diagnostics.iter().any(|d| contains(&d.range, pos)) {
            return None;
        }
        let id = navigation::id_at(&analysis.doc, offset)?;
        let folder = uri.to_file_path().map(|p| folder_of(&location_of(&p)));
        let text = navigation::hover_text(&self.inner.index.read(), &id.id, folder.as_deref())?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(navigation::range_of(&result.rope, id.span, enc)),
        })
    }

    /// The edit that gathers the document's open questions into its Clarifications section.
    async fn questions_edit(&self, uri: &Uri) -> Option<WorkspaceEdit> {
        let result = self.result_for(uri).await?;
        let analysis = result.analysis.as_ref()?;
        let edit = clarify::collect_questions(&analysis.doc, &analysis.diagnostics, today())?;
        let enc = self.encoding();
        Some(WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(result.version),
                },
                edits: vec![OneOf::Left(TextEdit {
                    range: convert::range(&result.rope, edit.span, enc),
                    new_text: edit.new_text,
                })],
            }])),
            ..Default::default()
        })
    }
}

fn doc_type(uri: &Uri, language_id: Option<&str>) -> DocType {
    let path = uri.path().as_str().to_string();
    let name = path.rsplit('/').next().unwrap_or("");
    if name == FILE_NAME {
        DocType::Config
    } else if language_id == Some("markdown") || is_markdown(Path::new(name)) {
        DocType::Markdown
    } else {
        DocType::Other
    }
}

fn contains(range: &Range, pos: Position) -> bool {
    range.start <= pos && pos <= range.end
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        self.on_initialize(params).await
    }

    async fn initialized(&self, _p0: InitializedParams) {
        self.on_initialized(_p0).await
    }

    async fn shutdown(&self) -> Result<()> {
        self.end_runs().await;
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let doc_type = doc_type(&td.uri, Some(td.language_id.as_str()));
        self.inner.docs.insert(
            td.uri.clone(),
            Document {
                rope: Rope::from_str(&td.text),
                version: td.version,
                revision: 0,
                doc_type,
                result: None,
                parts: Arc::default(),
                turn: Arc::default(),
            },
        );
        if doc_type == DocType::Config {
            self.recheck_all().await;
        }
        if doc_type == DocType::Markdown && self.pull() {
            self.push_dispatch_diagnostics(&td.uri).await;
        }
        self.drift_of(&td.uri);
        self.schedule(td.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let enc = self.encoding();
        let uri = params.text_document.uri;
        let doc_type = {
            let Some(mut doc) = self.inner.docs.get_mut(&uri) else {
                return;
            };
            for change in params.content_changes {
                match change.range {
                    Some(range) => {
                        let start = convert::char_index(&doc.rope, range.start, enc);
                        let end = convert::char_index(&doc.rope, range.end, enc).max(start);
                        doc.rope.remove(start..end);
                        doc.rope.insert(start, &change.text);
                    }
                    None => doc.rope = Rope::from_str(&change.text),
                }
            }
            doc.version = params.text_document.version;
            doc.doc_type
        };
        if doc_type == DocType::Config {
            self.recheck_all().await;
        }
        self.schedule(uri);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if doc_type(&uri, None) == DocType::Config {
            self.recheck_all().await;
        }
        self.drift_of(&uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let removed = self.inner.docs.remove(&uri);
        if !self.pull() {
            self.inner
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
        if removed.is_some_and(|(_, d)| d.doc_type == DocType::Config) {
            self.recheck_all().await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let mut settings = params.settings;
        if settings.is_null() && self.offers().configuration {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some("specwright".into()),
            };
            if let Ok(mut values) = self.inner.client.configuration(vec![item]).await {
                settings = values.pop().unwrap_or(Value::Null);
            }
        }
        self.apply_settings(&settings).await;
        self.recheck_all().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params
            .changes
            .iter()
            .any(|c| doc_type(&c.uri, None) == DocType::Config)
        {
            self.recheck_all().await;
            return;
        }
        let editor = self.editor_settings();
        let mut changed_folders = Vec::new();
        for change in params.changes {
            if doc_type(&change.uri, None) != DocType::Markdown
                || self.inner.docs.contains_key(&change.uri)
            {
                continue;
            }
            let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else {
                continue;
            };
            let location = location_of(&path);
            let reach = if change.typ == FileChangeType::DELETED {
                self.inner.index.remove(&location)
            } else {
                let editor = editor.clone();
                let read =
                    tokio::task::spawn_blocking(move || index::facts_of_file(&path, &editor))
                        .await
                        .ok()
                        .flatten();
                match read {
                    Some((location, facts)) => self.inner.index.update(location, facts),
                    None => self.inner.index.remove(&location),
                }
            };
            if let Some(reach) = reach {
                changed_folders.push((reach, change.uri));
            }
        }
        for (reach, uri) in changed_folders {
            self.recheck(&reach, &uri).await;
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let refresh = self.refresh_support();
        // Only a client that pulls again when asked can be given part-updated findings: the
        // document-wide ones settle later.
        if refresh && let Quick::Answer(version, items) = self.quick(&uri, None).await {
            self.settle(uri, version);
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: None,
                        items,
                    },
                }),
            ));
        }
        let Some(result) = self.result_for(&uri).await else {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport::default()),
            ));
        };
        let result_id = format!(
            "{}:{}:{}",
            result.generation, result.revision, result.version
        );
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items: result.diagnostics.clone(),
                },
            }),
        ))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.on_goto_definition(params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.on_code_lens(params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.on_completion(params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.on_prepare_rename(params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.on_rename(params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.on_references(params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.on_symbol(params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.on_hover(params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.on_semantic_tokens_full(params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.on_document_symbol(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.on_code_action(params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        self.on_execute_command(params).await
    }
}
