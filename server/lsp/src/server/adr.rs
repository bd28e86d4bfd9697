//! ADR actions and navigation over LSP: the `specwright.adr.*` commands and code actions (each
//! one `WorkspaceEdit`, planned by `specwright_workspace::adr` exactly as the CLI plans it),
//! and hover, definition and references on ADR citations.

use super::Backend;
use super::edits::workspace_edit;
use crate::ServerCommand;
use crate::convert;
use ropey::Rope;
use serde_json::{Value, json};
use specwright_core::adr::{AdrFormat, AdrRecord, resolve};
use specwright_core::index::{WorkspaceIndex, folder_of};
use specwright_core::syntax::SpecDoc;
use specwright_core::{Config, Span};
use specwright_workspace::adr::{self, Plan, Record};
use specwright_workspace::{location_of, today};
use std::path::{Path, PathBuf};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

/// The record cited at `offset` of `doc` (at `location`): a link to its file, or `ADR-N`.
/// Returns the record's location, the record, and the citation's span.
pub(super) fn cited_at(
    index: &WorkspaceIndex,
    doc: &SpecDoc,
    location: &str,
    offset: usize,
) -> Option<(String, AdrRecord, Span)> {
    let inside = |s: Span| s.start <= offset && offset <= s.end;
    if let Some(link) = doc.links.iter().find(|l| inside(l.span))
        && let Some(target) = resolve(location, &link.dest)
        && let Some(record) = index.document(&target).and_then(|f| f.adr.clone())
    {
        return Some((target, record, link.span));
    }
    let line = doc.line_span(doc.line_of(offset));
    let text = doc.prose_slice(line);
    let (number, span) = specwright_core::adr::citations(text)
        .map(|(n, s)| (n, Span::new(line.start + s.start, line.start + s.end)))
        .find(|(_, s)| inside(*s))?;
    let (loc, record) = record_numbered(index, number, &folder_of(location))?;
    Some((loc, record, span))
}

/// The record numbered `number`: the one in `folder` when it has one, else the only one in
/// the workspace.
fn record_numbered(
    index: &WorkspaceIndex,
    number: u32,
    folder: &str,
) -> Option<(String, AdrRecord)> {
    let all: Vec<(&str, &AdrRecord)> = index
        .documents()
        .filter_map(|(l, f)| f.adr.as_ref().filter(|r| !r.template).map(|r| (l, r)))
        .filter(|(_, r)| r.number() == Some(number))
        .collect();
    let local: Vec<_> = all.iter().filter(|(l, _)| folder_of(l) == folder).collect();
    let pick = match (local.as_slice(), all.as_slice()) {
        ([one], _) => **one,
        ([], [one]) => *one,
        _ => return None,
    };
    Some((pick.0.to_string(), pick.1.clone()))
}

/// Hover text of a record: number and title, status and date, the decision's first sentence.
pub(super) fn hover_markdown(location: &str, record: &AdrRecord) -> String {
    let name = location.rsplit('/').next().unwrap_or(location);
    let head = match record.number() {
        Some(n) => format!("**ADR-{n:04}: {}**", record.title),
        None => format!("**{}**", record.title),
    };
    let mut facts = Vec::new();
    if let Some(s) = &record.status {
        facts.push(format!("Status: {}", s.value));
    }
    if let Some(d) = &record.date {
        facts.push(format!("Date: {}", d.value));
    }
    let mut text = head;
    if !facts.is_empty() {
        text.push_str(&format!("\n\n{}", facts.join(" · ")));
    }
    if !record.decision.is_empty() {
        text.push_str(&format!("\n\n> {}", record.decision));
    }
    text.push_str(&format!("\n\n_{name}_"));
    text
}

/// Every citation of the record at `location`: `ADR-N` in documents whose number lookup
/// lands on it, and links to its file.
pub(super) fn references(
    index: &WorkspaceIndex,
    location: &str,
    record: &AdrRecord,
) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    if let Some(title) = record.title_span {
        out.push((location.to_string(), title));
    }
    for (loc, facts) in index.documents() {
        for (target, span) in &facts.links {
            if target == location {
                out.push((loc.to_string(), *span));
            }
        }
        if let Some(n) = record.number() {
            let key = format!("ADR{n}");
            for fact in facts.defines.iter().chain(&facts.references) {
                let cites = fact.key == key
                    && record_numbered(index, n, &folder_of(loc))
                        .is_some_and(|(l, _)| l == location);
                if cites
                    && !out.iter().any(|(l, s)| {
                        l == loc && s.start <= fact.span.start && fact.span.end <= s.end
                    })
                {
                    out.push((loc.to_string(), fact.span));
                }
            }
        }
    }
    out
}

/// What a command acts on.
struct Folder {
    dir: PathBuf,
    config: Config,
    records: Vec<Record>,
}

fn path_arg(arg: &Value) -> Option<PathBuf> {
    let uri: Uri = arg.get("uri")?.as_str()?.parse().ok()?;
    uri.to_file_path().map(|p| p.into_owned())
}

impl Backend {
    /// The record cited under `pos` (or the record itself, on its own title), with the span
    /// of the citation in `uri`'s rope.
    pub(super) async fn adr_under(
        &self,
        uri: &Uri,
        pos: Position,
    ) -> Option<(String, AdrRecord, Span, Rope)> {
        let result = self.result_for(uri).await?;
        let analysis = result.analysis.as_ref()?;
        let location = location_of(&uri.to_file_path()?);
        let offset = convert::offset(&result.rope, pos, self.encoding());
        let index = self.inner.index.read();
        if let Some((loc, record, span)) = cited_at(&index, &analysis.doc, &location, offset) {
            return Some((loc, record, span, result.rope.clone()));
        }
        let own = analysis.facts.adr.clone()?;
        let title = own.title_span?;
        (title.start <= offset && offset <= title.end)
            .then(|| (location, own, title, result.rope.clone()))
    }

    /// The text of `path`: the open buffer, else the file.
    pub(super) fn text_of(&self, path: &Path) -> Option<String> {
        let uri = Uri::from_file_path(path)?;
        if let Some(doc) = self.inner.docs.get(&uri) {
            return Some(doc.rope.to_string());
        }
        std::fs::read_to_string(path).ok()
    }

    /// The ADR folder a command acts on: `dir` when given, the folder of `near` when it is a
    /// record, else the configured or conventional folder of the workspace.
    fn adr_folder(&self, near: Option<&Path>, dir: Option<PathBuf>) -> Folder {
        let root = self
            .inner
            .session
            .read()
            .ok()
            .and_then(|s| s.roots.first().cloned());
        let anchor = near
            .map(Path::to_path_buf)
            .or_else(|| root.clone())
            .unwrap_or_else(|| PathBuf::from("."));
        let loaded = self.config_for(&anchor);
        let config = loaded.resolve(&self.editor_settings());
        let read = |p: &Path| self.text_of(p);
        let near_record = near.filter(|p| {
            p.is_file()
                && self
                    .text_of(p)
                    .is_some_and(|t| loaded.facts(&config, p, &t).adr.is_some())
        });
        let dir = dir
            .or_else(|| near_record.and_then(|p| p.parent().map(Path::to_path_buf)))
            .unwrap_or_else(|| {
                let base = root.unwrap_or_else(|| anchor.clone());
                adr::folder(&loaded, &config, &base)
            });
        let records = adr::records(&dir, &loaded, &config, &read);
        Folder {
            dir,
            config,
            records,
        }
    }

    pub(super) fn supports_create(&self) -> bool {
        self.inner
            .session
            .read()
            .map(|s| s.resource_create)
            .unwrap_or(false)
    }

    /// `specwright.adr.*` commands.
    pub(super) async fn adr_command(
        &self,
        command: ServerCommand,
        arg: Value,
    ) -> Result<Option<Value>> {
        let near = path_arg(&arg);
        let dir = arg.get("dir").and_then(Value::as_str).map(PathBuf::from);
        let format = match arg.get("template").and_then(Value::as_str) {
            Some("madr") => Some(AdrFormat::Madr),
            Some("nygard") => Some(AdrFormat::Nygard),
            Some(other) => {
                return Err(Error::invalid_params(format!(
                    "unknown template `{other}`; \"madr\" or \"nygard\""
                )));
            }
            None => None,
        };
        let title = arg.get("title").and_then(Value::as_str).map(str::to_string);
        match command {
            ServerCommand::AdrNew => {
                let title = title.ok_or_else(|| {
                    Error::invalid_params(
                        "expected {\"title\": \"Use …\", \"uri\"?, \"template\"?}",
                    )
                })?;
                let folder = self.adr_folder(near.as_deref(), dir);
                let format = adr::format_for(&folder.config, &folder.records, format);
                let plan = adr::plan_new(&folder.dir, &folder.records, &title, format, today())
                    .map_err(Error::invalid_params)?;
                self.apply_plan(plan, "new ADR").await
            }
            ServerCommand::AdrSupersede => {
                let old = near.ok_or_else(|| {
                    Error::invalid_params("expected {\"uri\": \"<record uri>\", \"title\"?}")
                })?;
                let folder = self.adr_folder(Some(&old), dir);
                let format = adr::format_for(&folder.config, &folder.records, format);
                let plan = adr::plan_supersede(
                    &folder.dir,
                    &folder.records,
                    &old,
                    title.as_deref(),
                    format,
                    today(),
                )
                .map_err(Error::invalid_params)?;
                self.apply_plan(plan, "supersede").await
            }
            ServerCommand::AdrSetStatus => {
                let (Some(path), Some(status)) = (near, arg.get("status").and_then(Value::as_str))
                else {
                    return Err(Error::invalid_params(
                        "expected {\"uri\": \"<record uri>\", \"status\": \"accepted\"}",
                    ));
                };
                let plan = self.status_plan(&path, status)?;
                self.apply_plan(plan, "set status").await
            }
            ServerCommand::AdrIndex => {
                let folder = self.adr_folder(near.as_deref(), dir);
                if folder.records.is_empty() {
                    return Err(Error::invalid_params(format!(
                        "no ADRs in {}",
                        folder.dir.display()
                    )));
                }
                let plan =
                    adr::plan_index(&folder.dir, &folder.records, &|p: &Path| self.text_of(p));
                self.apply_plan(plan, "ADR index").await
            }
            ServerCommand::AdrList => {
                let folder = self.adr_folder(near.as_deref(), dir);
                let list: Vec<Value> = adr::listed(&folder.records)
                    .iter()
                    .map(|r| {
                        json!({
                            "number": r.record.number(),
                            "title": r.record.title,
                            "status": r.record.status.as_ref().map(|s| s.value.clone()),
                            "date": r.record.date.as_ref().map(|d| d.value.clone()),
                            "uri": Uri::from_file_path(&r.path).map(|u| u.as_str().to_string()),
                        })
                    })
                    .collect();
                Ok(Some(
                    json!({ "dir": folder.dir.display().to_string(), "records": list }),
                ))
            }
            other => Err(Error::invalid_params(format!(
                "`{}` is not an ADR command",
                other.name()
            ))),
        }
    }

    fn status_plan(&self, path: &Path, status: &str) -> Result<Plan> {
        let loaded = self.config_for(path);
        let config = loaded.resolve(&self.editor_settings());
        let text = self
            .text_of(path)
            .ok_or_else(|| Error::invalid_params(format!("cannot read {}", path.display())))?;
        let record = loaded
            .facts(&config, path, &text)
            .adr
            .ok_or_else(|| Error::invalid_params(format!("{} is not an ADR", path.display())))?;
        adr::plan_status(&config, path, &text, &record, status, today())
            .map_err(Error::invalid_params)
    }

    /// Code actions on a record, offered on its title and status: supersede it, set its
    /// status, refresh the folder's index.
    pub(super) async fn adr_actions(&self, uri: &Uri, range: Range) -> Vec<CodeActionOrCommand> {
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            return Vec::new();
        };
        let Some(result) = self.result_for(uri).await else {
            return Vec::new();
        };
        let Some(analysis) = &result.analysis else {
            return Vec::new();
        };
        let enc = self.encoding();
        let Some(record) = analysis.facts.adr.clone().filter(|r| !r.template) else {
            return Vec::new();
        };
        let start = convert::offset(&result.rope, range.start, enc);
        let on = |s: Span| s.start <= start && start <= s.end.max(s.start);
        let status_area = record.status.as_ref().map(|s| s.span).into_iter().chain(
            record
                .status_section
                .map(|i| analysis.doc.sections[i].heading_span),
        );
        // Anywhere on the title's line, its `#` included.
        let line_of = |s: Span| analysis.doc.line_span(analysis.doc.line_of(s.start));
        let here = record.title_span.is_some_and(|s| on(line_of(s)))
            || status_area.into_iter().any(|s| on(line_of(s)))
            || record.status.as_ref().is_some_and(|s| on(s.span));
        if !here {
            return Vec::new();
        }
        let args = json!({ "uri": uri.as_str() });
        let mut actions = vec![CodeActionOrCommand::CodeAction(CodeAction {
            title: "Supersede this ADR".into(),
            kind: Some(CodeActionKind::REFACTOR),
            command: Some(Command {
                title: "Supersede this ADR".into(),
                command: ServerCommand::AdrSupersede.name().into(),
                arguments: Some(vec![args.clone()]),
            }),
            ..Default::default()
        })];
        let current = record.status_word().unwrap_or_default();
        let version_of = |u: &Uri| self.inner.docs.get(u).map(|d| d.version);
        for status in ["accepted", "rejected", "deprecated"] {
            if current == status {
                continue;
            }
            let Ok(plan) = self.status_plan(&path, status) else {
                continue;
            };
            let Ok(edit) = workspace_edit(&plan, enc, &version_of, false) else {
                continue;
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Set ADR status: {status}"),
                kind: Some(CodeActionKind::REFACTOR_REWRITE),
                edit: Some(self.shape(edit)),
                ..Default::default()
            }));
        }
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Refresh the ADR index".into(),
            kind: Some(CodeActionKind::REFACTOR),
            command: Some(Command {
                title: "Refresh the ADR index".into(),
                command: ServerCommand::AdrIndex.name().into(),
                arguments: Some(vec![args]),
            }),
            ..Default::default()
        }));
        actions
    }
}
