//! Validation of what an agent produced in its worktree: the files it changed against the
//! task's boundary, its acceptance checks, and the confirmations of the accepted decisions the
//! spec cites. Only runs commands the user confirmed (see [`crate::trust`]).

use crate::git::{self, Changed};
use crate::model::{Confirmation, Decision, Job};
use crate::outcome;
use crate::record::{AdrCheck, CheckResult, Outcome, Validation};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

fn set(globs: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        if let Ok(glob) = Glob::new(g) {
            b.add(glob);
            // `src/auth` names the folder and what is under it.
            if !g.contains('*')
                && let Ok(under) = Glob::new(&format!("{}/**", g.trim_end_matches('/')))
            {
                b.add(under);
            }
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Changed paths outside `may` (when it is not empty) or inside `must_not`. The tasks file
/// itself is the user's: an agent ticking its own box is not a violation.
pub fn outside(job: &Job, changed: &[Changed], tasks_file: &str) -> Vec<String> {
    let (may, must_not) = (set(&job.may), set(&job.must_not));
    changed
        .iter()
        .map(|c| c.path.as_str())
        .filter(|p| *p != tasks_file)
        .filter(|p| (!job.may.is_empty() && !may.is_match(p)) || must_not.is_match(p))
        .map(str::to_string)
        .collect()
}

/// Runs `command` with `sh -c` in `dir`, with a time limit.
pub async fn shell(dir: &Path, command: &str, timeout: Duration) -> CheckResult {
    let child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) => {
            return CheckResult {
                command: command.into(),
                exit_code: None,
                passed: false,
                output: format!("cannot start sh: {e}"),
            };
        }
    };
    let pgid = child.id().unwrap_or(0);
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(Ok(out)) => {
            crate::process::kill_group(pgid, nix::sys::signal::Signal::SIGKILL);
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            CheckResult {
                command: command.into(),
                exit_code: out.status.code(),
                passed: out.status.success(),
                output: tail(&text, 20),
            }
        }
        Ok(Err(e)) => CheckResult {
            command: command.into(),
            exit_code: None,
            passed: false,
            output: e.to_string(),
        },
        Err(_) => {
            crate::process::kill_group(pgid, nix::sys::signal::Signal::SIGKILL);
            CheckResult {
                command: command.into(),
                exit_code: None,
                passed: false,
                output: format!(
                    "did not finish within {}",
                    humantime::format_duration(timeout)
                ),
            }
        }
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Checks every confirmation of `decisions` against the worktree `dir`, whose index holds
/// the task's work against `base`.
pub async fn decisions(
    dir: &Path,
    base: &str,
    changed: &[Changed],
    decisions: &[Decision],
    timeout: Duration,
) -> Vec<AdrCheck> {
    let mut out = Vec::new();
    for d in decisions {
        for c in &d.confirmations {
            let (confirmation, passed, detail) = match c {
                Confirmation::Command { command } => {
                    let r = shell(dir, command, timeout).await;
                    let detail = if r.passed {
                        String::new()
                    } else {
                        format!(
                            "exit {}: {}",
                            r.exit_code.map_or("-".into(), |c| c.to_string()),
                            r.output
                        )
                    };
                    (command.clone(), r.passed, detail)
                }
                Confirmation::Forbid {
                    files,
                    pattern,
                    message,
                } => {
                    let glob = set(std::slice::from_ref(files));
                    let hits: Vec<&Changed> = changed
                        .iter()
                        .filter(|c| c.status != 'D' && glob.is_match(&c.path))
                        .collect();
                    let mut broken = Vec::new();
                    match pattern.as_deref().map(regex::Regex::new) {
                        Some(Ok(re)) => {
                            for c in hits {
                                for line in git::added_lines(dir, base, &c.path).await {
                                    if re.is_match(&line) {
                                        broken.push(format!("{} adds `{}`", c.path, line.trim()));
                                    }
                                }
                            }
                        }
                        Some(Err(e)) => broken.push(format!("pattern does not compile: {e}")),
                        None => broken.extend(hits.iter().map(|c| format!("{} changed", c.path))),
                    }
                    let what = match pattern {
                        Some(p) => format!("no added line of `{files}` matches `{p}`"),
                        None => format!("no change to `{files}`"),
                    };
                    let mut detail = broken.join("; ");
                    if let (false, Some(m)) = (broken.is_empty(), message) {
                        detail = format!("{detail} ({m})");
                    }
                    (what, broken.is_empty(), detail)
                }
                Confirmation::Invalid { error } => (error.clone(), false, error.clone()),
            };
            out.push(AdrCheck {
                number: d.number,
                title: d.title.clone(),
                path: d.path.clone(),
                confirmation,
                passed,
                detail,
            });
        }
    }
    out
}

/// The outcome validation gives, and a sentence saying why. Boundary first (the work may not
/// be looked at further), then the decisions, then the checks.
pub fn verdict(job: &Job, v: &Validation) -> (Outcome, String) {
    if !v.escaped.is_empty() {
        return (
            Outcome::Escaped,
            format!(
                "the checkout changed while {} ran: {} (outside every worktree; an agent wrote \
                 there, or someone did by hand)",
                job.id,
                v.escaped.join(", ")
            ),
        );
    }
    if !v.outside.is_empty() {
        let bound: Vec<String> = job
            .may
            .iter()
            .cloned()
            .chain(job.must_not.iter().map(|g| format!("!{g}")))
            .collect();
        return (
            Outcome::BoundaryViolated,
            format!(
                "{} changed {}, outside its boundary {}",
                job.id,
                v.outside.join(", "),
                bound.join(", ")
            ),
        );
    }
    if let Some(a) = v.adrs.iter().find(|a| !a.passed) {
        return (
            Outcome::AdrViolated,
            format!(
                "{} breaks ADR-{:04} ({}): {}",
                job.id, a.number, a.title, a.detail
            ),
        );
    }
    if let Some(c) = v.checks.iter().find(|c| !c.passed) {
        return (
            Outcome::Failed,
            format!(
                "{}: check `{}` failed (exit {})",
                job.id,
                c.command,
                c.exit_code.map_or("-".into(), |c| c.to_string())
            ),
        );
    }
    if v.unchanged
        && !(job.may.is_empty() && job.must_not.is_empty())
        && !outcome::expects_no_change(job)
    {
        return (
            Outcome::NoChange,
            format!(
                "{}: the agent changed nothing (the task names a boundary and does not say that no change is expected)",
                job.id
            ),
        );
    }
    let mut s = format!("{} passed", job.id);
    if let Some(note) = &v.note {
        s.push_str(&format!(" ({note})"));
    }
    (Outcome::Passed, s)
}
