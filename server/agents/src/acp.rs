//! The Agent Client Protocol client side of one run, through the `agent-client-protocol`
//! crate: `initialize`, `session/new` in the worktree, one `session/prompt`, `session/update`
//! read as events, `session/request_permission` answered by the configured policy, and
//! `fs/read_text_file` / `fs/write_text_file` served only inside the worktree.

use crate::agent::{AgentEvent, Joiner};
use agent_client_protocol::schema::ProtocolVersion;
use agent_client_protocol::v1::ConnectionTo;
use agent_client_protocol::v1::schema::{
    CancelNotification, ClientCapabilities, ContentBlock, FileSystemCapabilities,
    InitializeRequest, NewSessionRequest, PermissionOptionKind, PromptRequest, ReadTextFileRequest,
    ReadTextFileResponse, RequestPermissionOutcome, RequestPermissionRequest,
    RequestPermissionResponse, SelectedPermissionOutcome, SessionNotification, SessionUpdate,
    TextContent, WriteTextFileRequest, WriteTextFileResponse,
};
use agent_client_protocol::{Agent, ByteStreams};
use specwright_core::config::PermissionPolicy;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::process::{ChildStdin, ChildStdout};
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::compat::{TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};
use tokio_util::sync::CancellationToken;

pub struct Context {
    pub worktree: PathBuf,
    pub prompt: String,
    pub permissions: PermissionPolicy,
    pub log: PathBuf,
    pub events: UnboundedSender<AgentEvent>,
    pub cancel: CancellationToken,
}

/// What the session produced.
pub struct SessionResult {
    /// `end_turn`, `cancelled`, `max_tokens`, …
    pub stop_reason: String,
    pub events: Vec<AgentEvent>,
}

/// Runs the session to the end of the prompt turn.
pub async fn session(
    stdin: ChildStdin,
    stdout: ChildStdout,
    cx: Context,
) -> Result<SessionResult, String> {
    let log = Arc::new(Mutex::new(std::fs::File::create(&cx.log).ok()));
    let seen: Arc<Mutex<Vec<AgentEvent>>> = Arc::default();
    let joiner: Arc<Mutex<Joiner>> = Arc::default();
    let worktree = std::fs::canonicalize(&cx.worktree).unwrap_or(cx.worktree.clone());
    let transport = ByteStreams::new(stdin.compat_write(), stdout.compat());

    let (log_n, seen_n, events_n) = (log.clone(), seen.clone(), cx.events.clone());
    let joiner_n = joiner.clone();
    let (log_p, policy) = (log.clone(), cx.permissions);
    let (wt_r, wt_w, log_w) = (worktree.clone(), worktree.clone(), log.clone());
    let (prompt, cancel, cwd) = (cx.prompt.clone(), cx.cancel.clone(), worktree.clone());

    let result = agent_client_protocol::Client
        .v1()
        .name("specwright")
        .on_receive_notification(
            async move |n: SessionNotification, _cx| {
                record(&log_n, "session/update", &n);
                for e in events_of(&n.update) {
                    let joined = joiner_n.lock().map(|mut j| j.push(e)).unwrap_or_default();
                    for e in joined {
                        if let Ok(mut s) = seen_n.lock() {
                            s.push(e.clone());
                        }
                        let _ = events_n.send(e);
                    }
                }
                Ok(())
            },
            agent_client_protocol::on_receive_notification!(),
        )
        .on_receive_request(
            async move |req: RequestPermissionRequest, responder, _cx| {
                record(&log_p, "session/request_permission", &req);
                let wanted: &[PermissionOptionKind] = match policy {
                    PermissionPolicy::Allow => &[
                        PermissionOptionKind::AllowOnce,
                        PermissionOptionKind::AllowAlways,
                    ],
                    PermissionPolicy::Deny => &[
                        PermissionOptionKind::RejectOnce,
                        PermissionOptionKind::RejectAlways,
                    ],
                };
                let chosen = wanted.iter().find_map(|kind| {
                    req.options
                        .iter()
                        .find(|o| o.kind == *kind)
                        .map(|o| o.option_id.clone())
                });
                responder.respond(RequestPermissionResponse::new(match chosen {
                    Some(id) => {
                        RequestPermissionOutcome::Selected(SelectedPermissionOutcome::new(id))
                    }
                    None => RequestPermissionOutcome::Cancelled,
                }))
            },
            agent_client_protocol::on_receive_request!(),
        )
        .on_receive_request(
            async move |req: ReadTextFileRequest, responder, _cx| match inside(&wt_r, &req.path)
                .map_err(FsError::Refused)
                .and_then(|p| {
                    std::fs::read_to_string(&p).map_err(|e| {
                        let what = format!("{}: {e}", req.path.display());
                        if e.kind() == std::io::ErrorKind::NotFound {
                            FsError::Missing(what)
                        } else {
                            FsError::Refused(what)
                        }
                    })
                }) {
                Ok(text) => {
                    let text = slice_lines(&text, req.line, req.limit);
                    responder.respond(ReadTextFileResponse::new(text))
                }
                // A file that is not there yet is "not found", not a bad request: agents read
                // before they create, and some give up on any other error.
                Err(FsError::Missing(e)) => responder.respond_with_error(
                    agent_client_protocol::Error::new(
                        agent_client_protocol::ErrorCode::RESOURCE_NOT_FOUND,
                        "Resource not found",
                    )
                    .data(serde_json::json!({ "uri": e })),
                ),
                Err(FsError::Refused(e)) => responder
                    .respond_with_error(agent_client_protocol::Error::invalid_params().data(e)),
            },
            agent_client_protocol::on_receive_request!(),
        )
        .on_receive_request(
            async move |req: WriteTextFileRequest, responder, _cx| {
                record(&log_w, "fs/write_text_file", &req.path);
                match inside(&wt_w, &req.path).and_then(|p| {
                    if let Some(dir) = p.parent() {
                        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                    }
                    std::fs::write(&p, &req.content)
                        .map_err(|e| format!("{}: {e}", req.path.display()))
                }) {
                    Ok(()) => responder.respond(WriteTextFileResponse::new()),
                    Err(e) => responder
                        .respond_with_error(agent_client_protocol::Error::invalid_params().data(e)),
                }
            },
            agent_client_protocol::on_receive_request!(),
        )
        .connect_with(transport, async move |connection: ConnectionTo<Agent>| {
            connection
                .send_request(
                    // Writes come through the client (confined to the worktree); reads the agent
                    // does itself, in its worktree. Offering reads made agents probe a file they
                    // are about to create through the client, and some (Gemini CLI 0.61) cannot
                    // tell the "not found" error from a failure, so they could create no file.
                    InitializeRequest::new(ProtocolVersion::V1).client_capabilities(
                        ClientCapabilities::new().fs(FileSystemCapabilities::new()
                            .read_text_file(false)
                            .write_text_file(true)),
                    ),
                )
                .block_task()
                .await?;
            let session = connection
                .send_request(NewSessionRequest::new(cwd))
                .block_task()
                .await?;
            let id = session.session_id;
            let reply = connection.send_request(PromptRequest::new(
                id.clone(),
                vec![ContentBlock::Text(TextContent::new(prompt))],
            ));
            let turn = reply.block_task();
            tokio::pin!(turn);
            let response = tokio::select! {
                r = &mut turn => r?,
                () = cancel.cancelled() => {
                    connection.send_notification(CancelNotification::new(id))?;
                    turn.await?
                }
            };
            Ok(stop_reason(&response.stop_reason))
        })
        .await
        .map_err(|e| format!("ACP: {e}"))?;
    let mut events = seen.lock().map(|s| s.clone()).unwrap_or_default();
    if let Some(last) = joiner.lock().ok().and_then(|mut j| j.flush()) {
        let _ = cx.events.send(last.clone());
        events.push(last);
    }
    Ok(SessionResult {
        stop_reason: result,
        events,
    })
}

enum FsError {
    Missing(String),
    Refused(String),
}

fn stop_reason<T: serde::Serialize>(reason: &T) -> String {
    serde_json::to_value(reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

fn record<T: serde::Serialize>(log: &Mutex<Option<std::fs::File>>, method: &str, params: &T) {
    if let Ok(mut guard) = log.lock()
        && let Some(f) = guard.as_mut()
    {
        let line = serde_json::json!({ "method": method, "params": params });
        let _ = writeln!(f, "{line}");
    }
}

fn events_of(update: &SessionUpdate) -> Vec<AgentEvent> {
    let v = serde_json::to_value(update).unwrap_or_default();
    let text = |v: &serde_json::Value| {
        v.pointer("/content/text")
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_string()
    };
    match v.get("sessionUpdate").and_then(|k| k.as_str()) {
        Some("agent_message_chunk") => vec![AgentEvent::Chunk { text: text(&v) }],
        Some("tool_call") | Some("tool_call_update") => {
            let title = v.get("title").and_then(|t| t.as_str()).map(str::to_string);
            let path = v
                .pointer("/locations/0/path")
                .and_then(|p| p.as_str())
                .map(str::to_string);
            match (title, path) {
                (None, None) => Vec::new(),
                (title, path) => vec![AgentEvent::Tool {
                    name: v
                        .get("kind")
                        .and_then(|k| k.as_str())
                        .unwrap_or("tool")
                        .to_string(),
                    detail: path.or(title).unwrap_or_default(),
                }],
            }
        }
        Some("plan") => vec![AgentEvent::Plan {
            entries: v
                .get("entries")
                .and_then(|e| e.as_array())
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("content").and_then(|c| c.as_str()))
                .map(str::to_string)
                .collect(),
        }],
        _ => Vec::new(),
    }
}

/// `path` if it lies inside `root` (lexically, and after resolving symbolic links of the
/// part that exists).
pub fn inside(root: &Path, path: &Path) -> Result<PathBuf, String> {
    if !path.is_absolute() {
        return Err(format!("{} is not an absolute path", path.display()));
    }
    let mut clean = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut existing = clean.as_path();
    while !existing.exists() {
        match existing.parent() {
            Some(p) => existing = p,
            None => break,
        }
    }
    let resolved = std::fs::canonicalize(existing).unwrap_or(existing.to_path_buf());
    if clean.starts_with(root) && resolved.starts_with(root) {
        Ok(clean)
    } else {
        Err(format!(
            "{} is outside the task's worktree {}",
            path.display(),
            root.display()
        ))
    }
}

fn slice_lines(text: &str, line: Option<u32>, limit: Option<u32>) -> String {
    if line.is_none() && limit.is_none() {
        return text.to_string();
    }
    let start = line.unwrap_or(1).max(1) as usize - 1;
    let take = limit.map_or(usize::MAX, |l| l as usize);
    text.split_inclusive('\n').skip(start).take(take).collect()
}
