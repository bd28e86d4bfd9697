//! Drift on task lines: a done task Specwright generated whose requirement changed (or went)
//! since is `stale-task`, as you type, from the documents alone (open buffers first, then the
//! disk); a task `verify --stamp` stamped whose boundary changed in later commits is
//! `boundary-changed`, read from git when the tasks file is opened or saved (git only reads:
//! nothing of the repository's runs).

use super::Backend;
use crate::convert::Encoding;
use ropey::Rope;
use std::path::Path;
use tower_lsp_server::ls_types::*;

impl Backend {
    pub(super) fn drift_diagnostics(
        &self,
        path: &Path,
        rope: &Rope,
        enc: Encoding,
    ) -> Vec<Diagnostic> {
        let text = rope.to_string();
        let read = |p: &Path| self.text_of(p);
        let mut out: Vec<Diagnostic> = specwright_workspace::tasks::stale_tasks(path, &text, &read)
            .into_iter()
            .map(|s| {
                let span = specwright_core::Span::of_line(&text, s.line);
                Diagnostic {
                    range: crate::navigation::range_of(rope, span, enc),
                    severity: Some(DiagnosticSeverity::WARNING),
                    code: Some(NumberOrString::String("stale-task".into())),
                    source: Some("specwright".into()),
                    message: format!("{} is marked done, but {}", s.id, s.why),
                    ..Default::default()
                }
            })
            .collect();
        let drift = self
            .state()
            .drift
            .lock()
            .ok()
            .and_then(|d| d.get(path).cloned())
            .unwrap_or_default();
        let lines = text.split_inclusive('\n').count();
        for (line, message, unknown) in drift {
            if line >= lines {
                continue;
            }
            let whole = specwright_core::Span::of_line(&text, line);
            let span = specwright_core::Span::new(
                whole.start,
                whole.start + text[whole.start..whole.end].trim_end().len(),
            );
            out.push(Diagnostic {
                range: crate::navigation::range_of(rope, span, enc),
                severity: Some(if unknown {
                    DiagnosticSeverity::INFORMATION
                } else {
                    DiagnosticSeverity::HINT
                }),
                code: Some(NumberOrString::String("boundary-changed".into())),
                source: Some("specwright".into()),
                message,
                ..Default::default()
            });
        }
        out
    }

    /// On a spec: a hint on each requirement a done task was generated from and that changed
    /// since, naming the task.
    pub(super) fn requirement_hints(
        &self,
        path: &Path,
        rope: &Rope,
        enc: Encoding,
    ) -> Vec<Diagnostic> {
        let Some(dir) = path.parent() else {
            return Vec::new();
        };
        let tasks_path = dir.join("tasks.md");
        let read = |p: &Path| self.text_of(p);
        let Some(tasks_text) = read(&tasks_path) else {
            return Vec::new();
        };
        let text = rope.to_string();
        specwright_workspace::tasks::stale_tasks(&tasks_path, &tasks_text, &read)
            .into_iter()
            .filter(|s| s.spec == path)
            .filter_map(|s| {
                let (req, line) = s.requirement?;
                Some(Diagnostic {
                    range: crate::navigation::range_of(
                        rope,
                        specwright_core::Span::of_line(&text, line),
                        enc,
                    ),
                    severity: Some(DiagnosticSeverity::HINT),
                    code: Some(NumberOrString::String("stale-task".into())),
                    source: Some("specwright".into()),
                    message: format!(
                        "{req} changed since {}, which was generated from it, was marked done",
                        s.id
                    ),
                    ..Default::default()
                })
            })
            .collect()
    }

    /// Reads from git which stamped tasks of the tasks file at `path` had their boundary
    /// changed since, then re-checks the document when that changed what is shown.
    pub(super) fn refresh_drift(&self, uri: Uri, path: std::path::PathBuf) {
        let this = self.clone();
        tokio::spawn(async move {
            let Ok(root) = this.repo_root(&path).await else {
                return;
            };
            let read = |p: &Path| this.text_of(p);
            let Ok(project) = specwright_agents::model::load(
                &root,
                &path,
                &specwright_core::ConfigFile::default(),
                &read,
            ) else {
                return;
            };
            if project.jobs.iter().all(|j| j.verified.is_none()) {
                return;
            }
            let found: Vec<(usize, String, bool)> = specwright_agents::verify::drift(&project)
                .await
                .into_iter()
                .map(|d| match d.change {
                    specwright_agents::verify::DriftChange::Changed { commits, files } => (
                        d.line,
                        format!(
                            "{} was verified at {}; {commits} commit(s) since changed its boundary ({})",
                            d.task,
                            d.commit,
                            files.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                        ),
                        false,
                    ),
                    specwright_agents::verify::DriftChange::Unknown => (
                        d.line,
                        format!(
                            "{} was verified at {}, a commit this history does not have: whether its boundary changed since cannot be told",
                            d.task, d.commit
                        ),
                        true,
                    ),
                })
                .collect();
            let changed = match this.state().drift.lock() {
                Ok(mut d) => d.insert(path.clone(), found.clone()) != Some(found),
                Err(_) => false,
            };
            if changed {
                if let Some(mut doc) = this.inner.docs.get_mut(&uri) {
                    doc.revision += 1;
                    doc.result = None;
                }
                if this.pull() {
                    if this.refresh_support() {
                        let _ = this.inner.client.workspace_diagnostic_refresh().await;
                    }
                } else {
                    this.schedule(uri);
                }
            }
        });
    }
}
