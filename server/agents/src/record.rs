//! Run records under `.specwright/runs/<run-id>/<task-id>/` (the prompt sent, the agent's
//! event stream, stdout/stderr, `result.json`), the per-task locks that stop two owners from
//! dispatching the same task, and the start-up sweep that marks runs whose owner died as
//! interrupted.

use crate::agent::Usage;
use crate::git::Changed;
use crate::process;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Specwright's own folder at the repository root.
pub const DIR: &str = ".specwright";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Queued,
    Running,
    Passed,
    Failed,
    BoundaryViolated,
    AdrViolated,
    Cancelled,
    TimedOut,
    Interrupted,
    /// Not started: a dependency did not pass.
    Skipped,
    /// The task has a boundary and its agent changed nothing in it.
    NoChange,
    /// The user's checkout changed while the task ran: something wrote outside the worktree.
    Escaped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Queued => "queued",
            Outcome::Running => "running",
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::BoundaryViolated => "boundary-violated",
            Outcome::AdrViolated => "adr-violated",
            Outcome::Cancelled => "cancelled",
            Outcome::TimedOut => "timed-out",
            Outcome::Interrupted => "interrupted",
            Outcome::Skipped => "skipped",
            Outcome::NoChange => "no-change",
            Outcome::Escaped => "escaped",
        }
    }

    pub fn finished(self) -> bool {
        !matches!(self, Outcome::Queued | Outcome::Running)
    }
}

/// One acceptance check command and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub command: String,
    pub exit_code: Option<i32>,
    pub passed: bool,
    /// The last lines it printed.
    pub output: String,
}

/// One confirmation of one cited decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdrCheck {
    pub number: u32,
    pub title: String,
    pub path: String,
    /// What was checked: the command, or "no line matching `p` added to `glob`".
    pub confirmation: String,
    pub passed: bool,
    pub detail: String,
}

/// What validation found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// Globs the task may touch; empty when it has no boundary.
    pub may: Vec<String>,
    pub must_not: Vec<String>,
    /// Changed paths outside `may` or inside `must_not`.
    pub outside: Vec<String>,
    /// Set when the task has no boundary and only its checks were run.
    pub note: Option<String>,
    pub checks: Vec<CheckResult>,
    pub adrs: Vec<AdrCheck>,
    /// Paths of the user's checkout that changed while the task ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escaped: Vec<String>,
    /// The agent changed nothing at all.
    #[serde(default)]
    pub unchanged: bool,
}

/// `result.json` of one task of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    pub run: String,
    pub task: String,
    pub title: String,
    pub tasks_file: String,
    pub outcome: Outcome,
    /// One sentence on why the outcome is what it is.
    pub summary: String,
    pub agent: String,
    pub branch: Option<String>,
    pub worktree: Option<String>,
    /// The commit the worktree started from.
    pub base: Option<String>,
    pub started: Option<String>,
    pub finished: Option<String>,
    pub exit_code: Option<i32>,
    pub changed: Vec<Changed>,
    pub commits: Vec<(String, String)>,
    pub validation: Validation,
    /// The agent's final message.
    pub message: Option<String>,
    pub usage: Option<Usage>,
    /// Why the agent's turn ended, as it said (`end_turn`, `max_tokens`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<String>,
    pub owner_pid: u32,
    /// The agent's process group while it runs.
    pub pgid: Option<u32>,
}

/// `run.json`: the run as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub id: String,
    pub owner_pid: u32,
    pub started: String,
    pub tasks_file: String,
    pub agent: String,
    pub base: String,
    /// Task ids in dependency order.
    pub order: Vec<String>,
}

pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// A new run id, sortable by time to the millisecond: `20261128-083611-123-ab12`.
pub fn new_run_id() -> String {
    let now = SystemTime::now();
    let stamp = humantime::format_rfc3339_millis(now)
        .to_string()
        .replace(['-', ':'], "")
        .replace(['T', '.'], "-")
        .trim_end_matches('Z')
        .to_string();
    let nanos = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{stamp}-{:04x}", (nanos ^ std::process::id()) & 0xffff)
}

pub fn runs_dir(root: &Path) -> PathBuf {
    root.join(DIR).join("runs")
}

pub fn task_dir(root: &Path, run: &str, task: &str) -> PathBuf {
    runs_dir(root).join(run).join(safe(task))
}

/// A task id as a file name.
pub fn safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes `value` as JSON to `path` atomically (a reader never sees half a file).
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // A name of its own per writer: two writers never share a temporary file.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("json.{}-{n}.tmp", std::process::id()));
    if let Err(e) = std::fs::write(&tmp, text + "\n") {
        // A full disk leaves no half-written temporary file behind.
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

pub fn write_result(root: &Path, result: &TaskResult) -> std::io::Result<()> {
    write_json(
        &task_dir(root, &result.run, &result.task).join("result.json"),
        result,
    )
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// A run and the results of its tasks, in its order.
#[derive(Debug, Clone)]
pub struct Run {
    pub info: RunInfo,
    pub results: Vec<TaskResult>,
}

pub fn load_run(root: &Path, id: &str) -> Option<Run> {
    let dir = runs_dir(root).join(id);
    let info: RunInfo = read_json(&dir.join("run.json"))?;
    let mut results: Vec<TaskResult> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .filter_map(|e| read_json(&e.path().join("result.json")))
        .collect();
    results.sort_by_key(|r: &TaskResult| {
        info.order
            .iter()
            .position(|t| *t == r.task)
            .unwrap_or(usize::MAX)
    });
    Some(Run { info, results })
}

/// Every run, newest first.
pub fn runs(root: &Path) -> Vec<Run> {
    let Ok(entries) = std::fs::read_dir(runs_dir(root)) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    ids.sort();
    ids.reverse();
    ids.iter().filter_map(|id| load_run(root, id)).collect()
}

/// The latest result of `task` in `tasks_file`, across runs.
pub fn latest(root: &Path, tasks_file: &str, task: &str) -> Option<TaskResult> {
    runs(root)
        .into_iter()
        .filter(|r| r.info.tasks_file == tasks_file)
        .find_map(|r| r.results.into_iter().find(|t| t.task == task))
}

/// Marks the unfinished tasks of runs whose owner is gone as interrupted, ending agent
/// process groups they left behind. Returns what it marked.
pub fn sweep_interrupted(root: &Path) -> Vec<TaskResult> {
    let mut marked = Vec::new();
    for run in runs(root) {
        for mut r in run.results {
            if r.outcome.finished() || process::alive(r.owner_pid) {
                continue;
            }
            if let Some(pgid) = r.pgid
                && process::group_alive(pgid)
            {
                process::kill_group(pgid, nix::sys::signal::Signal::SIGKILL);
            }
            r.outcome = Outcome::Interrupted;
            r.summary = format!(
                "interrupted: the process that ran it (pid {}) ended before it finished",
                r.owner_pid
            );
            r.finished.get_or_insert_with(now);
            r.pgid = None;
            if write_result(root, &r).is_ok() {
                marked.push(r);
            }
        }
    }
    marked
}

/// A held task lock; dropping it releases the task.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[derive(Serialize, Deserialize)]
struct LockBody {
    pid: u32,
    run: String,
}

/// Takes the lock of `task` of `tasks_file` for `run`. A lock whose owner is dead is taken
/// over; a live one is an error naming its owner.
pub fn lock(root: &Path, tasks_file: &str, task: &str, run: &str) -> Result<Lock, String> {
    let dir = root.join(DIR).join("locks");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let name = format!("{}--{}.lock", safe(tasks_file), safe(task));
    let path = dir.join(name);
    let body = serde_json::to_string(&LockBody {
        pid: std::process::id(),
        run: run.to_string(),
    })
    .unwrap_or_default();
    for _ in 0..2 {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(body.as_bytes())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                return Ok(Lock { path });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let held: Option<LockBody> = read_json(&path);
                match held {
                    Some(h) if process::alive(h.pid) => {
                        return Err(format!(
                            "{task} is already being dispatched (run {}, process {})",
                            h.run, h.pid
                        ));
                    }
                    // The owner died: the lock is stale.
                    _ => {
                        let _ = std::fs::remove_file(&path);
                    }
                }
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
    }
    Err(format!("{task}: could not take its lock"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn run_ids_sort_by_time() {
        let a = super::new_run_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = super::new_run_id();
        assert!(a < b, "{a} < {b}");
        assert_eq!(a.len(), "20261128-083611-123-ab12".len(), "{a}");
    }
}
