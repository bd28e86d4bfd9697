//! `specwright.verify`: the "Verify" lens of a done task. Its checks run (after consent, as
//! for dispatch) in a clean temporary worktree of HEAD, and its boundary's history is read, as
//! `specwright verify` does; the outcome is shown and returned.

use super::Backend;
use super::dispatch::uri_arg;
use serde_json::{Value, json};
use specwright_agents::trust::Runnable;
use specwright_agents::verify::{self, Outcome};
use std::path::Path;
use std::time::Duration;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::MessageType;

/// How long one check may run from the editor.
const CHECK_TIMEOUT: Duration = Duration::from_secs(300);

impl Backend {
    pub(super) async fn verify_command(&self, arg: Value) -> Result<Option<Value>> {
        if self.untrusted_workspace() {
            return Err(Error::invalid_request());
        }
        let path = uri_arg(&arg)?;
        let task = arg.get("task").and_then(Value::as_str).map(str::to_string);
        let root = self.repo_root(&path).await?;
        let read = |p: &Path| self.text_of(p);
        let mut project = specwright_agents::model::load(
            &root,
            &path,
            &specwright_core::ConfigFile::default(),
            &read,
        )
        .map_err(Error::invalid_params)?;
        if let Some(t) = &task {
            project.jobs.retain(|j| &j.id == t);
            if project.jobs.is_empty() {
                return Err(Error::invalid_params(format!("no task {t} in the file")));
            }
        }
        let runnables: Vec<Runnable> = verify::commands(&project)
            .into_iter()
            .map(|(what, command)| Runnable { what, command })
            .collect();
        if !self.consent(&root, &runnables).await? {
            return Ok(Some(
                json!({ "verified": false, "reason": "not confirmed" }),
            ));
        }
        let scratch = std::env::temp_dir().join(format!(
            "specwright-verify-{}-{}",
            std::process::id(),
            self.inner
                .generation
                .load(std::sync::atomic::Ordering::SeqCst)
        ));
        let verdicts = verify::verify(&project, &scratch, CHECK_TIMEOUT).await;
        let mut results = Vec::new();
        for v in &verdicts {
            let (kind, said) = match &v.outcome {
                Outcome::Verified { detail } => {
                    ("verified", format!("{} is verified: {detail}", v.task))
                }
                Outcome::CheckFailed {
                    command,
                    exit,
                    output,
                } => (
                    "failed",
                    match exit {
                        Some(code) => {
                            format!("{}: its check `{command}` fails (exit {code})", v.task)
                        }
                        None => format!("{}: its check `{command}` {output}", v.task),
                    },
                ),
                Outcome::Unverified { reason } => (
                    "unverified",
                    format!("{} is not verified: {reason}", v.task),
                ),
                Outcome::NothingToVerify => (
                    "nothing",
                    format!("{} has no boundary and no check: nothing to verify", v.task),
                ),
            };
            let level = if kind == "verified" {
                MessageType::INFO
            } else {
                MessageType::WARNING
            };
            self.inner
                .client
                .show_message(level, format!("Specwright: {said}"))
                .await;
            results.push(json!({ "task": v.task, "outcome": kind, "message": said }));
        }
        Ok(Some(json!({ "verified": true, "results": results })))
    }
}
