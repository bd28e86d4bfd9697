//! What the agent's own run says about a task, before its work is validated: cancelled, timed
//! out, failed to start, exited non-zero (with the last lines of its stderr), reported failure,
//! a JSON-RPC error, tool calls its permission system refused, or no result at all.

use crate::model::Job;
use crate::process::{AgentRun, Ended};
use crate::record::Outcome;
use specwright_core::config::AgentKind;
use std::path::Path;
use std::time::Duration;

/// How many of the last stderr lines a failure's summary quotes.
const STDERR_LINES: usize = 3;

/// The outcome and summary of a task whose agent run decides it, or `None` when its work goes
/// on to validation.
pub fn of_run(
    job: &Job,
    kind: AgentKind,
    ran: &AgentRun,
    worktree: &Path,
    timeout: Duration,
    stderr: &Path,
) -> Option<(Outcome, String)> {
    let id = &job.id;
    let malformed = if ran.malformed > 0 {
        format!(" ({} malformed output lines)", ran.malformed)
    } else {
        String::new()
    };
    let said = || {
        ran.errors
            .last()
            .or(ran.finished.as_ref().and_then(|f| f.1.as_ref()))
            .map(|m| format!(": {m}"))
            .unwrap_or_default()
    };
    let failed = |s: String| Some((Outcome::Failed, s));
    match &ran.ended {
        Ended::Cancelled => Some((
            Outcome::Cancelled,
            format!(
                "{id} was cancelled; its worktree is kept at {}",
                worktree.display()
            ),
        )),
        Ended::TimedOut => Some((
            Outcome::TimedOut,
            format!(
                "{id} timed out after {}",
                humantime::format_duration(timeout)
            ),
        )),
        Ended::FailedToStart { error } => failed(format!("{id}: {error}")),
        Ended::Exited { code } if *code != Some(0) => failed(format!(
            "{id}: the agent exited with {}{}{malformed}{}",
            code.map_or("a signal".into(), |c| format!("status {c}")),
            said(),
            stderr_tail(stderr)
        )),
        Ended::Exited { .. } | Ended::EndedAfterTurn => {
            if !ran.refused.is_empty() {
                return failed(format!(
                    "{id}: the agent's permission mode refused {} ({}); its `args` need a mode \
                     that allows edits",
                    plural(ran.refused.len(), "tool call"),
                    ran.refused.join("; ")
                ));
            }
            match &ran.finished {
                Some((false, msg)) => failed(format!(
                    "{id}: the agent reports failure{}",
                    msg.as_ref().map(|m| format!(": {m}")).unwrap_or_default()
                )),
                None if kind != AgentKind::Command => match ran.errors.last() {
                    Some(e) => failed(format!("{id}: {e}")),
                    None => failed(format!(
                        "{id}: the agent ended without reporting a result{malformed}{}",
                        stderr_tail(stderr)
                    )),
                },
                _ => None,
            }
        }
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The last non-empty lines of the agent's stderr, as " (stderr: …)", or nothing.
fn stderr_tail(path: &Path) -> String {
    let Ok(bytes) = std::fs::read(path) else {
        return String::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .rev()
        .take(STDERR_LINES)
        .collect();
    lines.reverse();
    if lines.is_empty() {
        return String::new();
    }
    let joined = lines.join(" | ");
    let joined: String = if joined.chars().count() > 400 {
        joined.chars().take(399).chain(['…']).collect()
    } else {
        joined
    };
    format!(" (stderr: {joined})")
}

/// Whether the task says it expects no change ("no code change is expected", "no changes
/// needed"): a task with a boundary and nothing changed is otherwise not done.
pub fn expects_no_change(job: &Job) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\bno\s+(?:code\s+|file\s+)?changes?\s+(?:is\s+|are\s+)?(?:expected|needed|required)\b",
        )
        .unwrap_or_else(|e| panic!("the no-change pattern: {e}"))
    });
    std::iter::once(&job.title)
        .chain(&job.acceptance)
        .any(|t| RE.is_match(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            id: "T1".into(),
            title: "Write it".into(),
            line: 0,
            status: crate::model::JobStatus::Todo,
            covers: vec![],
            requirements: vec![],
            may: vec!["src/**".into()],
            must_not: vec![],
            acceptance: vec![],
            checks: vec![],
            depends: vec![],
            parallel: false,
            verified: None,
        }
    }

    fn ran(ended: Ended) -> AgentRun {
        AgentRun {
            ended,
            finished: Some((true, Some("Done.".into()))),
            last_message: None,
            usage: None,
            errors: vec![],
            refused: vec![],
            malformed: 0,
            stop_reason: None,
        }
    }

    #[test]
    fn refusals_fail_the_task_and_are_named() {
        let mut r = ran(Ended::Exited { code: Some(0) });
        r.refused = vec!["Write /w/src/a.txt".into()];
        let (o, s) = of_run(
            &job(),
            AgentKind::Claude,
            &r,
            Path::new("/w"),
            Duration::from_secs(1),
            Path::new("/nonexistent"),
        )
        .expect("a failure");
        assert_eq!(o, Outcome::Failed);
        assert!(
            s.contains("refused 1 tool call (Write /w/src/a.txt)"),
            "{s}"
        );
    }

    #[test]
    fn an_acp_agent_ended_after_its_turn_is_not_a_failure_and_an_rpc_error_is_the_reason() {
        let r = ran(Ended::EndedAfterTurn);
        assert_eq!(
            of_run(
                &job(),
                AgentKind::Acp,
                &r,
                Path::new("/w"),
                Duration::from_secs(1),
                Path::new("/x")
            ),
            None
        );
        let mut r = ran(Ended::Exited { code: Some(0) });
        r.finished = None;
        r.errors = vec!["ACP: Internal error: the model is overloaded".into()];
        let (_, s) = of_run(
            &job(),
            AgentKind::Acp,
            &r,
            Path::new("/w"),
            Duration::from_secs(1),
            Path::new("/x"),
        )
        .expect("a failure");
        assert!(s.contains("overloaded"), "{s}");
    }

    #[test]
    fn a_non_zero_exit_quotes_the_last_stderr_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = dir.path().join("stderr.log");
        std::fs::write(
            &err,
            "noise\n\nfirst\nsecond\nnot running in a trusted directory\n",
        )
        .expect("write");
        let r = ran(Ended::Exited { code: Some(55) });
        let (_, s) = of_run(
            &job(),
            AgentKind::Gemini,
            &r,
            Path::new("/w"),
            Duration::from_secs(1),
            &err,
        )
        .expect("a failure");
        assert!(s.contains("status 55"), "{s}");
        assert!(
            s.contains("(stderr: first | second | not running in a trusted directory)"),
            "{s}"
        );
    }

    #[test]
    fn a_task_can_say_it_expects_no_change() {
        let mut j = job();
        assert!(!expects_no_change(&j));
        j.acceptance = vec!["No code change is expected: the audit only reports.".into()];
        assert!(expects_no_change(&j));
    }
}
