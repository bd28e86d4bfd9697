//! What dispatch shows on task lines: checkboxes set as runs end (through
//! `workspace/applyEdit`, or an atomic write when the tasks file is not open), outcomes as
//! diagnostics, and "Dispatch" / "running" / outcome code lenses, read from this server's runs
//! and the run records on disk.

use super::Backend;
use super::dispatch::TaskLine;
use super::edits::workspace_edit;
use crate::ServerCommand;
use crate::convert::Encoding;
use ropey::Rope;
use serde_json::json;
use specwright_agents::dispatch;
use specwright_agents::record::{self, Outcome};
use specwright_core::decompose::{Status, TaskFormat};
use specwright_workspace::changes::{Change, Plan};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types::*;

impl Backend {
    /// Sets a task's checkbox: through the editor when the file is open, else on disk.
    pub(super) async fn set_checkbox(&self, path: &Path, task: &str, status: Status) {
        let Some(uri) = Uri::from_file_path(path) else {
            return;
        };
        let open = self
            .inner
            .docs
            .get(&uri)
            .map(|d| (d.rope.to_string(), d.version));
        match open {
            Some((text, version)) => {
                let Some(edit) = specwright_core::tasks::checkbox_edit(&text, task, status) else {
                    return;
                };
                let plan = Plan {
                    changes: vec![Change::Edit {
                        path: path.to_path_buf(),
                        text,
                        edits: vec![edit],
                    }],
                    show: None,
                };
                let version_of = |_: &Uri| Some(version);
                // An open buffer is never written behind the editor's back: without
                // workspace/applyEdit the tick waits for the file to be saved and read again.
                if let Ok(edit) = workspace_edit(&plan, self.encoding(), &version_of, false) {
                    let _ = self.apply(edit).await;
                }
            }
            None => {
                if let Err(e) = dispatch::write_checkbox(path, task, status) {
                    self.inner
                        .client
                        .log_message(MessageType::WARNING, format!("specwright: {e}"))
                        .await;
                }
            }
        }
    }

    /// New dispatch state for a tasks file: its diagnostics and lenses change.
    pub(super) async fn refresh_tasks_file(&self, path: &Path) {
        let Some(uri) = Uri::from_file_path(path) else {
            return;
        };
        if let Some(mut doc) = self.inner.docs.get_mut(&uri) {
            doc.revision += 1;
        } else {
            return;
        }
        if self.pull() {
            self.push_dispatch_diagnostics(&uri).await;
        } else {
            self.schedule(uri);
        }
        let _ = self.inner.client.code_lens_refresh().await;
    }

    /// For pull clients: dispatch outcomes are pushed, apart from the pulled analysis, because
    /// a run ends without any edit that would make the client pull again (and not every client
    /// honours `workspace/diagnostic/refresh`).
    pub(super) async fn push_dispatch_diagnostics(&self, uri: &Uri) {
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            return;
        };
        let Some((rope, version)) = self
            .inner
            .docs
            .get(uri)
            .map(|d| (d.rope.clone(), d.version))
        else {
            return;
        };
        let diagnostics = self.dispatch_diagnostics(&path, &rope, self.encoding());
        let known = self
            .state()
            .tasks
            .lock()
            .map(|t| t.contains_key(&path))
            .unwrap_or(false);
        if diagnostics.is_empty() && !known {
            return;
        }
        self.inner
            .client
            .publish_diagnostics(uri.clone(), diagnostics, Some(version))
            .await;
    }

    /// The task lines of a tasks file, reading its run records the first time.
    fn task_lines(&self, path: &Path) -> HashMap<String, TaskLine> {
        let first = self
            .state()
            .loaded
            .lock()
            .map(|mut l| {
                if l.iter().any(|p| p == path) {
                    false
                } else {
                    l.push(path.to_path_buf());
                    true
                }
            })
            .unwrap_or(false);
        if first && let Some(root) = records_root(path) {
            let rel = specwright_workspace::relative_path(&root, path).unwrap_or_default();
            let mut latest: HashMap<String, TaskLine> = HashMap::new();
            // Oldest first, so later runs overwrite.
            for run in record::runs(&root).into_iter().rev() {
                if run.info.tasks_file != rel {
                    continue;
                }
                for r in run.results {
                    latest.insert(
                        r.task.clone(),
                        TaskLine {
                            outcome: r.outcome,
                            summary: r.summary,
                            run: r.run,
                            activity: None,
                        },
                    );
                }
            }
            if let Ok(mut t) = self.state().tasks.lock() {
                let entry = t.entry(path.to_path_buf()).or_default();
                for (k, v) in latest {
                    entry.entry(k).or_insert(v);
                }
            }
        }
        self.state()
            .tasks
            .lock()
            .ok()
            .and_then(|t| t.get(path).cloned())
            .unwrap_or_default()
    }

    /// Diagnostics on the lines of tasks whose latest run did not pass (and that are still
    /// open).
    pub(super) fn dispatch_diagnostics(
        &self,
        path: &Path,
        rope: &Rope,
        enc: Encoding,
    ) -> Vec<Diagnostic> {
        let lines = self.task_lines(path);
        if lines.is_empty() {
            return Vec::new();
        }
        let text = rope.to_string();
        let file = specwright_core::tasks::parse(&text, TaskFormat::SpecKit);
        file.tasks
            .iter()
            .filter(|t| t.value.status != Status::Done)
            .filter_map(|t| {
                let line = lines.get(&t.value.id)?;
                let severity = match line.outcome {
                    Outcome::Failed
                    | Outcome::BoundaryViolated
                    | Outcome::AdrViolated
                    | Outcome::TimedOut => DiagnosticSeverity::WARNING,
                    Outcome::Cancelled | Outcome::Interrupted | Outcome::Skipped => {
                        DiagnosticSeverity::INFORMATION
                    }
                    _ => return None,
                };
                let end = text[t.start..]
                    .find('\n')
                    .map_or(text.len(), |i| t.start + i);
                let span = specwright_core::Span::new(t.start + t.indent.len(), end);
                Some(Diagnostic {
                    range: crate::navigation::range_of(rope, span, enc),
                    severity: Some(severity),
                    code: Some(NumberOrString::String(format!(
                        "dispatch/{}",
                        line.outcome.as_str()
                    ))),
                    source: Some("specwright".into()),
                    message: format!("{} (run {})", line.summary, line.run),
                    ..Default::default()
                })
            })
            .collect()
    }

    /// "Dispatch" on open tasks, what a running one is doing, the outcome of finished ones.
    pub(super) fn dispatch_lenses(
        &self,
        uri: &Uri,
        path: &Path,
        rope: &Rope,
        enc: Encoding,
    ) -> Vec<CodeLens> {
        let lines = self.task_lines(path);
        let text = rope.to_string();
        let file = specwright_core::tasks::parse(&text, TaskFormat::SpecKit);
        let ids: Vec<&str> = file.tasks.iter().map(|t| t.value.id.as_str()).collect();
        let mut lenses = Vec::new();
        for t in &file.tasks {
            let id = t.value.id.as_str();
            let prefix = format!("{id}.");
            if ids.iter().any(|o| o.starts_with(&prefix)) {
                continue;
            }
            let line = crate::navigation::range_of(
                rope,
                specwright_core::Span::new(t.start, t.start),
                enc,
            )
            .start
            .line;
            let range = Range::new(Position::new(line, 0), Position::new(line, 0));
            let arg = json!({ "uri": uri.as_str(), "task": id });
            let state = lines.get(id);
            let command = match state.map(|s| s.outcome) {
                Some(Outcome::Running) | Some(Outcome::Queued) => {
                    let s = state.map(|s| {
                        s.activity
                            .clone()
                            .unwrap_or_else(|| s.outcome.as_str().into())
                    });
                    let title = match state.map(|s| s.outcome) {
                        Some(Outcome::Queued) => "queued · Cancel".to_string(),
                        _ => format!("running · {} · Cancel", s.unwrap_or_default()),
                    };
                    Command {
                        title,
                        command: ServerCommand::Cancel.name().into(),
                        arguments: Some(vec![arg]),
                    }
                }
                _ if t.value.status == Status::Done => Command {
                    title: "✓ Verify".into(),
                    command: ServerCommand::Verify.name().into(),
                    arguments: Some(vec![arg]),
                },
                Some(o) => {
                    lenses.push(CodeLens {
                        range,
                        command: Some(Command {
                            title: format!("{} · Show log", o.as_str()),
                            command: ServerCommand::ShowLog.name().into(),
                            arguments: Some(vec![arg.clone()]),
                        }),
                        data: None,
                    });
                    Command {
                        title: "Dispatch again".into(),
                        command: ServerCommand::Dispatch.name().into(),
                        arguments: Some(vec![arg]),
                    }
                }
                None => Command {
                    title: "▶ Dispatch".into(),
                    command: ServerCommand::Dispatch.name().into(),
                    arguments: Some(vec![arg]),
                },
            };
            lenses.push(CodeLens {
                range,
                command: Some(command),
                data: None,
            });
        }
        lenses
    }
}

/// The repository root above `path` that holds run records, found without git (analysis
/// runs off the executor and must not wait on processes).
fn records_root(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|d| d.join(record::DIR).join("runs").is_dir() || d.join(".git").exists())
        .filter(|d| d.join(record::DIR).join("runs").is_dir())
        .map(Path::to_path_buf)
}
