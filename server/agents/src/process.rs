//! Running one agent process in its worktree: its own process group (so that cancelling or a
//! timeout ends it and everything it started), its output streamed into the run record and
//! read as events, the prompt on stdin (or over ACP).

use crate::acp;
use crate::agent::{AgentEvent, Joiner, Launch, Usage, parse_line};
use specwright_core::config::{AgentKind, PermissionPolicy};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

/// What one agent run needs besides its launch line.
pub struct RunEnv {
    pub worktree: PathBuf,
    pub record_dir: PathBuf,
    pub prompt: String,
    pub timeout: Duration,
    pub cancel: CancellationToken,
    pub permissions: PermissionPolicy,
    /// Under the sandbox: the only folders the agent may write. `None`: no sandbox.
    pub writable: Option<Vec<PathBuf>>,
}

/// How the agent's process ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    Exited {
        code: Option<i32>,
    },
    /// The agent finished its turn and stayed alive (ACP agents serve further prompts): it was
    /// asked to end (stdin closed), then ended. Its work counts.
    EndedAfterTurn,
    Cancelled,
    TimedOut,
    FailedToStart {
        error: String,
    },
}

/// What came of running an agent.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentRun {
    pub ended: Ended,
    /// What the agent's closing event said: `(ok, message)`.
    pub finished: Option<(bool, Option<String>)>,
    pub last_message: Option<String>,
    pub usage: Option<Usage>,
    pub errors: Vec<String>,
    /// Tool calls the agent's own permission system refused ("Write src/a.rs").
    pub refused: Vec<String>,
    pub malformed: usize,
    /// Why the agent's turn ended (`end_turn`, `max_tokens`, ACP's stop reason, …).
    pub stop_reason: Option<String>,
}

/// What the output reader gathered.
#[derive(Default)]
struct Gathered {
    finished: Option<(bool, Option<String>)>,
    last_message: Option<String>,
    usage: Option<Usage>,
    errors: Vec<String>,
    refused: Vec<String>,
    malformed: usize,
    stop_reason: Option<String>,
}

impl Gathered {
    fn take(&mut self, e: &AgentEvent) {
        match e {
            AgentEvent::Message { text } if !text.trim().is_empty() => {
                self.last_message = Some(text.clone())
            }
            AgentEvent::Finished {
                ok,
                message,
                usage,
                stop_reason,
            } => {
                if message.is_some() {
                    self.last_message.clone_from(message);
                }
                self.finished = Some((*ok, message.clone()));
                if usage.is_some() {
                    self.usage.clone_from(usage);
                }
                if stop_reason.is_some() {
                    self.stop_reason.clone_from(stop_reason);
                }
            }
            AgentEvent::Error { message } => self.errors.push(message.clone()),
            AgentEvent::Refused { tool, detail } => self
                .refused
                .push(format!("{tool} {detail}").trim().to_string()),
            AgentEvent::Malformed { .. } => self.malformed += 1,
            _ => {}
        }
    }
}

/// Starts the agent and waits for it, its timeout or a cancel. `on_start` gets the process
/// group id (recorded so that a later start-up can end a group whose owner died).
pub async fn run(
    launch: &Launch,
    env: &RunEnv,
    events: UnboundedSender<AgentEvent>,
    on_start: impl FnOnce(u32),
) -> AgentRun {
    let Some((program, args)) = launch.argv.split_first() else {
        return failed("the agent has no command".into());
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(&env.worktree)
        .envs(launch.env.iter().map(|(k, v)| (k, v)))
        .env("SPECWRIGHT_WORKTREE", &env.worktree)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    if let Some(paths) = &env.writable {
        let ruleset = match crate::confine::ruleset(paths) {
            Ok(r) => r,
            Err(e) => return failed(e),
        };
        let mut ruleset = Some(ruleset);
        // SAFETY: the closure runs in the child between fork and exec. It only makes two
        // system calls (prctl(NO_NEW_PRIVS), landlock_restrict_self) on a ruleset built in the
        // parent, and allocates nothing on its success path.
        unsafe {
            cmd.pre_exec(move || match ruleset.take().map(|r| r.restrict_self()) {
                Some(Err(_)) => Err(std::io::Error::from_raw_os_error(libc::EPERM)),
                _ => Ok(()),
            });
        }
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return failed(format!("cannot start `{program}`: {e}")),
    };
    let pgid = child.id().unwrap_or(0);
    on_start(pgid);

    let stderr_task = child.stderr.take().map(|err| {
        let path = env.record_dir.join("stderr.log");
        tokio::spawn(async move {
            let mut out = match tokio::fs::File::create(&path).await {
                Ok(f) => f,
                Err(_) => return,
            };
            // Copied as bytes: what the agent wrote is kept even when it is not UTF-8.
            let _ = tokio::io::copy(&mut BufReader::new(err), &mut out).await;
        })
    });

    let (stdin, stdout) = (child.stdin.take(), child.stdout.take());
    let (ended, gathered, stop_reason) = if launch.kind == AgentKind::Acp {
        let (Some(stdin), Some(stdout)) = (stdin, stdout) else {
            return failed("the agent's pipes could not be opened".into());
        };
        let session = acp::session(
            stdin,
            stdout,
            acp::Context {
                worktree: env.worktree.clone(),
                prompt: env.prompt.clone(),
                permissions: env.permissions,
                log: env.record_dir.join("events.jsonl"),
                events: events.clone(),
                cancel: env.cancel.clone(),
            },
        );
        let (ended, outcome) = supervise(&mut child, pgid, env, true, session).await;
        let mut gathered = Gathered::default();
        let mut stop = None;
        match outcome {
            Some(Ok(result)) => {
                for e in &result.events {
                    gathered.take(e);
                }
                stop = Some(result.stop_reason.clone());
                let ok = result.stop_reason == "end_turn";
                let why = (!ok).then(|| format!("its turn ended with `{}`", result.stop_reason));
                gathered.finished = Some((ok, why.or(gathered.last_message.clone())));
            }
            Some(Err(e)) => gathered.errors.push(e),
            None => {}
        }
        (ended, gathered, stop)
    } else {
        if let Some(mut stdin) = stdin {
            let prompt = if launch.prompt_on_stdin {
                env.prompt.clone()
            } else {
                String::new()
            };
            tokio::spawn(async move {
                let _ = stdin.write_all(prompt.as_bytes()).await;
                let _ = stdin.shutdown().await;
            });
        }
        let reader = stdout.map(|out| {
            let kind = launch.kind;
            let log = env.record_dir.join(if kind == AgentKind::Command {
                "stdout.log"
            } else {
                "events.jsonl"
            });
            let events = events.clone();
            tokio::spawn(async move {
                let mut gathered = Gathered::default();
                let mut file = tokio::fs::File::create(&log).await.ok();
                let mut out = BufReader::new(out);
                let mut joiner = Joiner::default();
                let mut raw = Vec::new();
                // Bytes, not lines of UTF-8: one bad byte must not end the reading.
                while let Ok(n) = out.read_until(b'\n', &mut raw).await {
                    if n == 0 {
                        break;
                    }
                    if let Some(f) = file.as_mut() {
                        let _ = f.write_all(&raw).await;
                    }
                    let line = String::from_utf8_lossy(&raw).into_owned();
                    raw.clear();
                    for e in parse_line(kind, &line) {
                        for e in joiner.push(e) {
                            gathered.take(&e);
                            let _ = events.send(e);
                        }
                    }
                }
                if let Some(e) = joiner.flush() {
                    gathered.take(&e);
                    let _ = events.send(e);
                }
                gathered
            })
        });
        let (ended, _) =
            supervise(&mut child, pgid, env, false, std::future::pending::<()>()).await;
        let gathered = match reader {
            // A grandchild that escaped the group could hold the pipe open: do not wait forever.
            Some(r) => tokio::time::timeout(Duration::from_secs(5), r)
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default(),
            None => Gathered::default(),
        };
        let stop = gathered.stop_reason.clone();
        (ended, gathered, stop)
    };
    if let Some(t) = stderr_task {
        let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
    }
    AgentRun {
        ended,
        finished: gathered.finished,
        last_message: gathered.last_message,
        usage: gathered.usage,
        errors: gathered.errors,
        refused: gathered.refused,
        malformed: gathered.malformed,
        stop_reason,
    }
}

fn failed(error: String) -> AgentRun {
    AgentRun {
        ended: Ended::FailedToStart { error },
        finished: None,
        last_message: None,
        usage: None,
        errors: Vec::new(),
        refused: Vec::new(),
        malformed: 0,
        stop_reason: None,
    }
}

/// Waits for the child, `work` (the ACP session, when `session`), a cancel or the timeout; ends the whole
/// process group whatever happened, so nothing the agent started outlives its run.
async fn supervise<T>(
    child: &mut Child,
    pgid: u32,
    env: &RunEnv,
    session: bool,
    work: impl Future<Output = T>,
) -> (Ended, Option<T>) {
    let deadline = tokio::time::sleep(env.timeout);
    tokio::pin!(deadline);
    tokio::pin!(work);
    let mut outcome = None;
    let ended = tokio::select! {
        biased;
        () = env.cancel.cancelled() => {
            // An ACP session gets its chance to send session/cancel first.
            if session {
                outcome = tokio::time::timeout(Duration::from_secs(2), &mut work).await.ok();
            }
            end_group(child, pgid).await;
            Ended::Cancelled
        }
        () = &mut deadline => {
            end_group(child, pgid).await;
            Ended::TimedOut
        }
        out = &mut work, if session => {
            outcome = Some(out);
            // The turn is over and the connection closed (the agent's stdin with it); an ACP
            // agent may stay to serve further prompts. Give it a moment, then end it: that
            // is not a failure of the agent.
            match tokio::time::timeout(Duration::from_secs(3), child.wait()).await {
                Ok(status) => Ended::Exited { code: status.ok().and_then(|s| s.code()) },
                Err(_) => {
                    end_group(child, pgid).await;
                    Ended::EndedAfterTurn
                }
            }
        }
        status = child.wait() => {
            // What the agent wrote before exiting may still be in the pipe.
            if session {
                outcome = tokio::time::timeout(Duration::from_secs(2), &mut work).await.ok();
            }
            Ended::Exited { code: status.ok().and_then(|s| s.code()) }
        }
    };
    kill_group(pgid, nix::sys::signal::Signal::SIGKILL);
    (ended, outcome)
}

/// SIGTERM to the group, then SIGKILL to whatever is left after a grace period.
async fn end_group(child: &mut Child, pgid: u32) {
    kill_group(pgid, nix::sys::signal::Signal::SIGTERM);
    if tokio::time::timeout(Duration::from_secs(3), child.wait())
        .await
        .is_err()
    {
        kill_group(pgid, nix::sys::signal::Signal::SIGKILL);
        let _ = child.wait().await;
    }
}

/// Signals a process group; a group that is gone is not an error.
pub fn kill_group(pgid: u32, signal: nix::sys::signal::Signal) {
    if pgid == 0 {
        return;
    }
    let Ok(pgid) = i32::try_from(pgid) else {
        return;
    };
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid), signal);
}

/// Whether any process of the group is alive.
pub fn group_alive(pgid: u32) -> bool {
    let Ok(pgid) = i32::try_from(pgid) else {
        return false;
    };
    pgid > 0 && nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid), None).is_ok()
}

/// Whether process `pid` is alive.
pub fn alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    pid > 0 && nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
}
