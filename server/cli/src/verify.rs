//! `specwright verify`: are the tasks marked done really done, and has the spec moved since?
//! Findings in the same formats, `--fail-on` and exit codes as `check`; the checks it runs need
//! consent, as for dispatch.

use crate::dispatch::{consent, read, repo_root, runtime};
use crate::output;
use crate::{ColorChoice, Format};
use specwright::check::{self, Finding, Report, Source};
use specwright_agents::model;
use specwright_agents::trust::Runnable;
use specwright_agents::verify::{self, Outcome};
use specwright_core::{ConfigFile, Severity, Span};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

pub struct VerifyArgs {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub fail_on: Severity,
    pub color: ColorChoice,
    pub trust: bool,
    pub timeout: Duration,
    /// Record `<!-- sw:verified COMMIT -->` under each task verified.
    pub stamp: bool,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(verify_async(args))
}

async fn verify_async(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // The tasks files among the paths, as `check` classifies them.
    let scanned = check::run(&paths)?;
    let tasks_files: Vec<PathBuf> = scanned
        .sources
        .iter()
        .filter(|s| s.kind.is_some_and(|(k, _)| k == "tasks"))
        .map(|s| PathBuf::from(&s.path))
        .collect();
    let mut report = Report {
        findings: Vec::new(),
        sources: Vec::new(),
        files_checked: 0,
        errors: scanned.errors,
    };
    let mut verified = 0;
    for (n, path) in tasks_files.iter().enumerate() {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let dir = abs.parent().unwrap_or(Path::new("."));
        let root = match repo_root(dir).await {
            Ok(r) => r,
            Err(e) => {
                report.errors.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let project = match model::load(&root, &abs, &ConfigFile::default(), &read) {
            Ok(p) => p,
            Err(e) => {
                report.errors.push(e);
                continue;
            }
        };
        let runnables: Vec<Runnable> = verify::commands(&project)
            .into_iter()
            .map(|(what, command)| Runnable { what, command })
            .collect();
        if !consent(&root, &runnables, args.trust)? {
            return Ok(ExitCode::from(2));
        }
        let scratch =
            std::env::temp_dir().join(format!("specwright-verify-{}-{n}", std::process::id()));
        let drift = verify::drift(&project).await;
        let untested = verify::untested(&project).await.unwrap_or_default();
        let verdicts = verify::verify(&project, &scratch, args.timeout).await;
        let text = project.tasks_text.clone();
        let shown = path.to_string_lossy().replace('\\', "/");
        // A finding on a task's line of the tasks file.
        let on_line = |line: usize, rule: &str, severity, message, question| {
            let span = Span::of_line(&text, line);
            Finding {
                path: shown.clone(),
                rule: rule.into(),
                severity,
                message,
                question: Some(question),
                span,
                start: check::line_col(&text, span.start),
                end: check::line_col(&text, span.end),
                fixes: Vec::new(),
                related: Vec::new(),
            }
        };
        // Done tasks Specwright generated whose requirement changed (or went) since.
        for st in specwright_workspace::tasks::stale_tasks(
            &project.tasks_path,
            &project.tasks_text,
            &read,
        ) {
            let task = st.id.clone();
            report.findings.push(on_line(
                st.line,
                "stale-task",
                Severity::Warning,
                format!("{} is marked done, but {}", st.id, st.why),
                format!("Does {task} still do what the spec asks, or does it need doing again?"),
            ));
            // And a hint on the requirement, naming the task.
            if let (Some((req, line)), Ok(spec_text)) =
                (&st.requirement, std::fs::read_to_string(&st.spec))
            {
                let span = Span::of_line(&spec_text, *line);
                let shown = st
                    .spec
                    .strip_prefix(std::env::current_dir().unwrap_or_default())
                    .unwrap_or(&st.spec)
                    .to_string_lossy()
                    .replace('\\', "/");
                report.findings.push(Finding {
                    path: shown.clone(),
                    rule: "stale-task".into(),
                    severity: Severity::Hint,
                    message: format!(
                        "{req} changed since {task}, which was generated from it, was marked done"
                    ),
                    question: Some(format!("Does {task} need doing again for the new {req}?")),
                    span,
                    start: check::line_col(&spec_text, span.start),
                    end: check::line_col(&spec_text, span.end),
                    fixes: Vec::new(),
                    related: Vec::new(),
                });
                if !report.sources.iter().any(|s| s.path == shown) {
                    report.sources.push(Source {
                        path: shown,
                        text: spec_text,
                        kind: None,
                    });
                }
            }
        }
        for d in drift {
            let (severity, message) = match &d.change {
                verify::DriftChange::Changed { commits, files } => (
                    Severity::Hint,
                    format!(
                        "{} was verified at {}; {commits} commit(s) since changed its boundary ({})",
                        d.task,
                        d.commit,
                        listed(files)
                    ),
                ),
                verify::DriftChange::Unknown => (
                    Severity::Info,
                    format!(
                        "{} was verified at {}, a commit this history does not have (a shallow clone, or history rewritten): whether its boundary changed since cannot be told",
                        d.task, d.commit
                    ),
                ),
            };
            report.findings.push(on_line(
                d.line,
                "boundary-changed",
                severity,
                message,
                format!("Is {} still done after these changes?", d.task),
            ));
        }
        let tests = project
            .config
            .file
            .verify
            .as_ref()
            .and_then(|v| v.tests.clone())
            .unwrap_or_default()
            .join(", ");
        for u in untested {
            let ids = u.ids.join(", ");
            report.findings.push(on_line(
                u.line,
                "untested-requirement",
                Severity::Warning,
                format!(
                    "{} is marked done, but no test file ({tests}) names {ids}",
                    u.task
                ),
                format!("Which test shows that {ids} works?"),
            ));
        }
        let verified_now: Vec<String> = verdicts
            .iter()
            .filter(|v| matches!(v.outcome, Outcome::Verified { .. }))
            .map(|v| v.task.clone())
            .collect();
        for v in verdicts {
            let (severity, message) = match &v.outcome {
                Outcome::Verified { detail } => {
                    verified += 1;
                    eprintln!("specwright: {} verified: {detail}", v.task);
                    continue;
                }
                Outcome::CheckFailed {
                    command,
                    exit: Some(code),
                    ..
                } => (
                    Severity::Warning,
                    format!(
                        "{} is marked done but its check `{command}` fails (exit {code})",
                        v.task
                    ),
                ),
                Outcome::CheckFailed {
                    command,
                    exit: None,
                    output,
                } => (
                    Severity::Warning,
                    format!(
                        "{} is marked done but its check `{command}` {}",
                        v.task,
                        if output.starts_with("did not finish") {
                            format!("{output} (it was ended, with every process it started)")
                        } else {
                            format!("could not run: {output}")
                        }
                    ),
                ),
                Outcome::Unverified { reason } => (
                    Severity::Warning,
                    format!("{} is marked done, but {reason}", v.task),
                ),
                Outcome::NothingToVerify => (
                    Severity::Info,
                    format!(
                        "{} is marked done and has no boundary and no check: nothing to verify",
                        v.task
                    ),
                ),
            };
            report.findings.push(on_line(
                v.line,
                "unverified-task",
                severity,
                message,
                format!(
                    "What shows that {} is done: a Check: command, or a boundary its commits touch?",
                    v.task
                ),
            ));
        }
        if args.stamp && !verified_now.is_empty() {
            match stamp(&root, &abs, &text, &verified_now).await {
                Ok(n) => eprintln!("specwright: stamped {n} task(s) in {shown}"),
                Err(e) => report.errors.push(format!("{shown}: {e}")),
            }
        }
        report.sources.push(Source {
            path: shown,
            text,
            kind: Some(("tasks", "")),
        });
        report.files_checked += 1;
    }
    let mut out = std::io::stdout().lock();
    output::write(&mut out, &report, args.format, args.color)?;
    out.flush()?;
    eprintln!(
        "specwright: {verified} task(s) verified; {} finding(s)",
        report.findings.len()
    );
    for e in &report.errors {
        eprintln!("specwright: error: {e}");
    }
    if !report.errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let failing = report.findings.iter().any(|f| f.severity >= args.fail_on);
    Ok(ExitCode::from(u8::from(failing)))
}

/// Writes `<!-- sw:verified HEAD -->` under each of `tasks` in the tasks file at `path`, whose
/// text was `read` when verification began: when the file changed meanwhile nothing is written
/// (the user's edit wins). How many tasks were stamped.
async fn stamp(root: &Path, path: &Path, read: &str, tasks: &[String]) -> anyhow::Result<usize> {
    let Some(head) = verify::head(root).await else {
        anyhow::bail!("no commit to stamp with");
    };
    let now = std::fs::read_to_string(path)?;
    if now != read {
        anyhow::bail!("it changed while it was verified; nothing was stamped");
    }
    let mut text = now;
    let mut n = 0;
    for task in tasks {
        if let Some(edit) = specwright_core::tasks::stamp_edit(&text, task, &head) {
            text = specwright_workspace::changes::apply_edits(&text, &[edit]);
            n += 1;
        }
    }
    if n > 0 {
        let tmp = path.with_extension("md.specwright-tmp");
        std::fs::write(&tmp, &text)?;
        std::fs::rename(&tmp, path)?;
    }
    Ok(n)
}

/// At most five file names, then how many more.
fn listed(files: &[String]) -> String {
    let mut out = files.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if files.len() > 5 {
        out.push_str(&format!(" and {} more", files.len() - 5));
    }
    out
}
