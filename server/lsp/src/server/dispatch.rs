//! Dispatch over LSP: the `specwright.dispatch*` commands, consent through
//! `window/showMessageRequest`, work-done progress per run, checkboxes through
//! `workspace/applyEdit` (or an atomic write when the tasks file is not open), outcomes as
//! diagnostics on the task lines, and "Dispatch" / "running" / outcome code lenses.

use super::Backend;
use crate::ServerCommand;
use serde_json::{Value, json};
use specwright_agents::dispatch::{self, Cancels, Options, Update};
use specwright_agents::record::{self, Outcome, TaskResult};
use specwright_agents::{git, integrate, trust};
use specwright_core::decompose::Status;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

/// `specwright/dispatchStatus`: a summary of a run for status bars (clients that do not know
/// it ignore it; work-done progress carries the same for everyone).
pub(crate) enum DispatchStatus {}

impl tower_lsp_server::ls_types::notification::Notification for DispatchStatus {
    type Params = Value;
    const METHOD: &'static str = "specwright/dispatchStatus";
}

/// What the server knows of dispatched tasks.
#[derive(Default)]
pub(crate) struct State {
    /// Per tasks file: the latest state of each task this server saw or read from records.
    pub(super) tasks: Mutex<HashMap<PathBuf, HashMap<String, TaskLine>>>,
    /// Runs in progress: id → (tasks file, cancellation).
    pub(super) runs: Mutex<HashMap<String, (PathBuf, Cancels)>>,
    /// Tasks files whose run records were already read.
    pub(super) loaded: Mutex<Vec<PathBuf>>,
    /// The editor's workspace trust: `Some(false)` refuses every dispatch.
    pub(crate) trusted: Mutex<Option<bool>>,
    /// Per tasks file: the stamped tasks whose boundary changed since, read from git when the
    /// file is opened or saved.
    pub(super) drift: Mutex<HashMap<PathBuf, Vec<DriftLine>>>,
}

/// A stamped task whose boundary changed: its 0-based line, the message, and whether the
/// stamp's commit is unknown to this history.
pub(super) type DriftLine = (usize, String, bool);

#[derive(Debug, Clone)]
pub(super) struct TaskLine {
    pub(super) outcome: Outcome,
    pub(super) summary: String,
    pub(super) run: String,
    /// The latest progress of a running task.
    pub(super) activity: Option<String>,
}

pub(super) fn uri_arg(arg: &Value) -> Result<PathBuf> {
    arg.get("uri")
        .and_then(Value::as_str)
        .and_then(|u| u.parse::<Uri>().ok())
        .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
        .ok_or_else(|| Error::invalid_params("expected {\"uri\": \"<tasks file uri>\", …}"))
}

impl Backend {
    pub(super) fn state(&self) -> &State {
        &self.inner.dispatch
    }

    pub(super) async fn dispatch_command(
        &self,
        command: ServerCommand,
        arg: Value,
    ) -> Result<Option<Value>> {
        match command {
            ServerCommand::Dispatch | ServerCommand::DispatchReady => {
                self.start_dispatch(command == ServerCommand::DispatchReady, arg)
                    .await
            }
            ServerCommand::Cancel => {
                let task = arg.get("task").and_then(Value::as_str);
                let run = arg.get("run").and_then(Value::as_str);
                let runs = self.active_runs();
                let mut cancelled = Vec::new();
                for (id, (_, cancels)) in runs {
                    if run.is_some_and(|r| r != id) {
                        continue;
                    }
                    match task {
                        Some(t) if cancels.cancel(t) => cancelled.push(t.to_string()),
                        Some(_) => {}
                        None => {
                            cancels.cancel_all();
                            cancelled.push(id);
                        }
                    }
                }
                Ok(Some(json!({ "cancelled": cancelled })))
            }
            ServerCommand::CancelAll => {
                let runs = self.cancel_everything();
                Ok(Some(json!({ "cancelled": runs })))
            }
            ServerCommand::ShowLog => {
                let path = uri_arg(&arg)?;
                let task = arg
                    .get("task")
                    .and_then(Value::as_str)
                    .ok_or_else(|| Error::invalid_params("expected {\"uri\", \"task\"}"))?;
                let root = self.repo_root(&path).await?;
                let rel = specwright_workspace::relative_path(&root, &path).unwrap_or_default();
                let Some(result) = record::latest(&root, &rel, task) else {
                    return Err(Error::invalid_params(format!(
                        "{task} has not been dispatched"
                    )));
                };
                let dir = record::task_dir(&root, &result.run, task);
                let log = ["events.jsonl", "stdout.log", "result.json"]
                    .iter()
                    .map(|f| dir.join(f))
                    .find(|p| p.is_file())
                    .unwrap_or_else(|| dir.join("result.json"));
                if let Some(uri) = Uri::from_file_path(&log) {
                    self.show(&uri).await;
                    return Ok(Some(json!({ "log": uri.as_str(), "result": result })));
                }
                Ok(None)
            }
            ServerCommand::Runs => {
                let path = uri_arg(&arg)?;
                let root = self.repo_root(&path).await?;
                let runs: Vec<Value> = record::runs(&root)
                    .iter()
                    .map(|r| {
                        json!({ "id": r.info.id, "tasksFile": r.info.tasks_file,
                        "agent": r.info.agent, "results": r.results })
                    })
                    .collect();
                Ok(Some(Value::Array(runs)))
            }
            ServerCommand::Integrate => {
                let path = uri_arg(&arg)?;
                let into = arg.get("into").and_then(Value::as_str).ok_or_else(|| {
                    Error::invalid_params("expected {\"uri\", \"into\": \"<branch>\"}")
                })?;
                let run = arg.get("run").and_then(Value::as_str);
                let root = self.repo_root(&path).await?;
                let wt = dispatch::worktree_root_of(&root);
                let report = integrate::integrate(&root, run, into, &wt)
                    .await
                    .map_err(Error::invalid_params)?;
                let kind = if report.conflict.is_some() {
                    MessageType::WARNING
                } else {
                    MessageType::INFO
                };
                self.inner
                    .client
                    .show_message(kind, format!("Specwright: {}", report.report().trim_end()))
                    .await;
                Ok(Some(serde_json::to_value(&report).unwrap_or_default()))
            }
            ServerCommand::WorktreesClean => {
                let path = uri_arg(&arg)?;
                let root = self.repo_root(&path).await?;
                let (removed, kept) = integrate::clean(&root).await;
                Ok(Some(json!({ "removed": removed, "kept": kept })))
            }
            _ => Err(Error::method_not_found()),
        }
    }

    /// Asks (once per repository and exact command) before `runnables` the repository defines
    /// run on the user's machine; whether they may.
    pub(super) async fn consent(&self, root: &Path, runnables: &[trust::Runnable]) -> Result<bool> {
        let pending = trust::untrusted(root, runnables);
        if pending.is_empty() {
            return Ok(true);
        }
        let listing: Vec<String> = pending
            .iter()
            .map(|r| format!("{}: {}", r.what, r.command))
            .collect();
        let answer = self
            .inner
            .client
            .show_message_request(
                MessageType::WARNING,
                format!(
                    "Specwright: this repository defines commands that will run on your machine:\n{}",
                    listing.join("\n")
                ),
                Some(vec![
                    MessageActionItem {
                        title: "Run".into(),
                        properties: HashMap::new(),
                    },
                    MessageActionItem {
                        title: "Cancel".into(),
                        properties: HashMap::new(),
                    },
                ]),
            )
            .await;
        if !matches!(answer, Ok(Some(ref a)) if a.title == "Run") {
            return Ok(false);
        }
        trust::confirm(root, &pending).map_err(Error::invalid_params)?;
        Ok(true)
    }

    /// Whether the editor said the workspace is not trusted: then nothing the repository
    /// defines runs.
    pub(super) fn untrusted_workspace(&self) -> bool {
        self.state()
            .trusted
            .lock()
            .map(|t| *t == Some(false))
            .unwrap_or(false)
    }

    pub(super) async fn repo_root(&self, path: &Path) -> Result<PathBuf> {
        let dir = path.parent().unwrap_or(Path::new("."));
        git::toplevel(dir)
            .await
            .map_err(|e| Error::invalid_params(format!("not in a git repository: {e}")))
    }

    /// The runs in progress: id → (tasks file, cancellation).
    fn active_runs(&self) -> HashMap<String, (PathBuf, Cancels)> {
        self.state()
            .runs
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// Cancels every run; returns their ids.
    pub(super) fn cancel_everything(&self) -> Vec<String> {
        let runs = self.active_runs();
        for (_, cancels) in runs.values() {
            cancels.cancel_all();
        }
        runs.into_keys().collect()
    }

    /// Whether runs are still going.
    pub(super) fn dispatching(&self) -> bool {
        self.state()
            .runs
            .lock()
            .map(|r| !r.is_empty())
            .unwrap_or(false)
    }

    async fn start_dispatch(&self, ready_only: bool, arg: Value) -> Result<Option<Value>> {
        if self.untrusted_workspace() {
            let msg = "Specwright: this workspace is not trusted, so nothing is dispatched. Trust the workspace first.";
            self.inner
                .client
                .show_message(MessageType::ERROR, msg)
                .await;
            return Err(Error {
                code: tower_lsp_server::jsonrpc::ErrorCode::InvalidRequest,
                message: msg.into(),
                data: None,
            });
        }
        let path = uri_arg(&arg)?;
        let strings = |key: &str| -> Vec<String> {
            match arg.get(key) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let mut tasks = strings("task");
        tasks.extend(strings("tasks"));
        let options = Options {
            tasks,
            ready_only,
            agent: arg.get("agent").and_then(Value::as_str).map(str::to_string),
            ..Options::default()
        };
        let editor = self.editor_settings();
        let read = |p: &Path| self.text_of(p);
        let plan = match dispatch::plan(&path, &editor, &options, &read).await {
            Ok(p) => p,
            Err(e) => {
                self.inner
                    .client
                    .show_message(MessageType::ERROR, format!("Specwright: {e}"))
                    .await;
                return Err(Error::invalid_params(e));
            }
        };
        for w in &plan.warnings {
            self.inner
                .client
                .show_message(MessageType::WARNING, format!("Specwright: {w}"))
                .await;
        }
        let root = plan.project.root.clone();
        if !self.consent(&root, &plan.runnables).await? {
            return Ok(Some(json!({ "started": false, "reason": "not confirmed" })));
        }

        let run_id = plan.run_id.clone();
        let order = plan.order.clone();
        let tasks_path = plan.project.tasks_path.clone();
        let cancels = Cancels::default();
        if let Ok(mut runs) = self.state().runs.lock() {
            runs.insert(run_id.clone(), (tasks_path.clone(), cancels.clone()));
        }
        if let Ok(mut t) = self.state().tasks.lock() {
            let lines = t.entry(tasks_path.clone()).or_default();
            for id in &order {
                lines.insert(
                    id.clone(),
                    TaskLine {
                        outcome: Outcome::Queued,
                        summary: format!("{id} is queued"),
                        run: run_id.clone(),
                        activity: None,
                    },
                );
            }
        }
        self.refresh_tasks_file(&tasks_path).await;
        let this = self.clone();
        let (id2, order2) = (run_id.clone(), order.clone());
        tokio::spawn(async move { this.drive(plan, cancels, id2, order2).await });
        Ok(Some(
            json!({ "started": true, "run": run_id, "tasks": order }),
        ))
    }

    /// Runs a dispatch to its end, reporting progress and results.
    async fn drive(
        &self,
        plan: dispatch::Plan,
        cancels: Cancels,
        run_id: String,
        order: Vec<String>,
    ) {
        let tasks_path = plan.project.tasks_path.clone();
        let total = order.len();
        let progress_ok = self
            .inner
            .session
            .read()
            .map(|s| s.work_done_progress)
            .unwrap_or(false);
        let progress = if progress_ok {
            self.begin_progress(
                format!("specwright/dispatch/{run_id}"),
                format!("Dispatch {}", order.join(", ")),
                Some(format!("0/{total} done")),
            )
            .await
        } else {
            None
        };
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let runner = tokio::spawn(dispatch::execute(plan, cancels, tx));
        let mut done = 0usize;
        let mut running: Vec<String> = Vec::new();
        while let Some(update) = rx.recv().await {
            match &update {
                Update::Started { task, .. } => running.push(task.clone()),
                Update::Finished(r) => running.retain(|t| *t != r.task),
                Update::Progress { .. } => {}
            }
            let message = match &update {
                Update::Started { task, branch, .. } => format!("{task} started on {branch}"),
                Update::Progress { task, text } => format!("{task} {text}"),
                Update::Finished(r) => format!("{} {}", r.task, r.outcome.as_str()),
            };
            let finished_now = usize::from(matches!(update, Update::Finished(_)));
            self.inner
                .client
                .send_notification::<DispatchStatus>(json!({
                    "run": run_id, "total": total, "done": done + finished_now,
                    "running": running, "message": message, "finished": false,
                }))
                .await;
            let (task, line, status) = match &update {
                Update::Started { task, branch, .. } => (
                    task.clone(),
                    Some(TaskLine {
                        outcome: Outcome::Running,
                        summary: format!("{task} is running on {branch}"),
                        run: run_id.clone(),
                        activity: None,
                    }),
                    Some(Status::Running),
                ),
                Update::Progress { task, text } => {
                    if let Ok(mut t) = self.state().tasks.lock()
                        && let Some(l) = t.get_mut(&tasks_path).and_then(|m| m.get_mut(task))
                    {
                        l.activity = Some(text.clone());
                    }
                    if let Some(p) = &progress {
                        p.report_with_message(
                            format!("{done}/{total} done · {task} {text}"),
                            (done * 100 / total.max(1)) as u32,
                        )
                        .await;
                    }
                    continue;
                }
                Update::Finished(r) => {
                    done += 1;
                    if let Some(p) = &progress {
                        p.report_with_message(
                            format!("{done}/{total} done · {} {}", r.task, r.outcome.as_str()),
                            (done * 100 / total.max(1)) as u32,
                        )
                        .await;
                    }
                    (
                        r.task.clone(),
                        Some(TaskLine {
                            outcome: r.outcome,
                            summary: r.summary.clone(),
                            run: r.run.clone(),
                            activity: None,
                        }),
                        Some(dispatch::checkbox_for(r.outcome)),
                    )
                }
            };
            if let (Some(line), Ok(mut t)) = (line, self.state().tasks.lock()) {
                t.entry(tasks_path.clone())
                    .or_default()
                    .insert(task.clone(), line);
            }
            if let Some(status) = status {
                self.set_checkbox(&tasks_path, &task, status).await;
            }
            self.refresh_tasks_file(&tasks_path).await;
        }
        let results: Vec<TaskResult> = match runner.await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                self.inner
                    .client
                    .show_message(
                        MessageType::ERROR,
                        format!("Specwright: dispatch failed: {e}"),
                    )
                    .await;
                Vec::new()
            }
            Err(e) => {
                self.inner
                    .client
                    .show_message(
                        MessageType::ERROR,
                        format!("Specwright: dispatch stopped: {e}"),
                    )
                    .await;
                Vec::new()
            }
        };
        if let Ok(mut runs) = self.state().runs.lock() {
            runs.remove(&run_id);
        }
        let passed = results
            .iter()
            .filter(|r| r.outcome == Outcome::Passed)
            .count();
        self.inner
            .client
            .send_notification::<DispatchStatus>(json!({
                "run": run_id, "total": total, "done": results.len(), "passed": passed,
                "running": [], "message": format!("{passed}/{} passed", results.len()),
                "finished": true,
            }))
            .await;
        if let Some(p) = progress {
            p.finish_with_message(format!("{passed}/{} passed", results.len()))
                .await;
        }
        let others: Vec<String> = results
            .iter()
            .filter(|r| r.outcome != Outcome::Passed)
            .map(|r| format!("{} {}", r.task, r.outcome.as_str()))
            .collect();
        let (kind, message) = if others.is_empty() {
            (
                MessageType::INFO,
                format!(
                    "Specwright: run {run_id}: all {} task(s) passed",
                    results.len()
                ),
            )
        } else {
            (
                MessageType::WARNING,
                format!(
                    "Specwright: run {run_id}: {passed}/{} passed; {}",
                    results.len(),
                    others.join(", ")
                ),
            )
        };
        self.inner.client.show_message(kind, message).await;
    }
}
