//! Dispatch end to end against real git repositories and fake agents that are real processes
//! speaking each real format (tests/agents/fake_agent.py).

use specwright_agents::dispatch::{self, Cancels, Options, Update};
use specwright_agents::integrate;
use specwright_agents::record::{self, Outcome, TaskResult};
use specwright_agents::trust;
use specwright_core::ConfigFile;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

fn fake_agent() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/agents/fake_agent.py")
}

fn config_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"));
    // SAFETY: set once, before any test of this binary reads it; the value never changes.
    unsafe { std::env::set_var("SPECWRIGHT_CONFIG_DIR", dir.path()) };
    dir.path()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const SPEC: &str = "# Feature Specification: Sessions

## Requirements

### Functional Requirements

- **FR-001**: The service MUST store sessions in `src/session`.
- **FR-002**: The service MUST expire sessions after 30 minutes.
- **FR-003**: The service MUST sign session tokens with HMAC-SHA256.

Database access follows ADR-0001.
";

const ADR: &str = "---
status: accepted
date: 2026-01-10
---
# Use sqlx for database access

## Context and Problem Statement

We need one way to reach the database.

## Considered Options

* sqlx
* diesel

## Decision Outcome

Chosen option: \"sqlx\", because it checks queries at compile time without a DSL.

### Confirmation

```specwright
[[forbid]]
files = \"Cargo.toml\"
pattern = '^\\s*diesel\\s*='
message = \"ADR-0001 chose sqlx\"
```
";

/// A repository with a spec, an ADR, `tasks` as its tasks file and the fake agent configured
/// under every kind. Returns (tempdir, repo root, tasks path).
fn repo(tasks: &str, extra_config: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    config_dir();
    // Not under /tmp: agents may write the temporary folder, and a user's checkout is not there.
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir");
    let root = tmp.path().join("repo");
    let feature = root.join("specs/001-sessions");
    std::fs::create_dir_all(&feature).expect("mkdir");
    std::fs::create_dir_all(root.join("docs/adr")).expect("mkdir");
    std::fs::create_dir_all(root.join("src")).expect("mkdir");
    let fake = fake_agent();
    let fake = fake.to_string_lossy();
    let agent = |name: &str, kind: &str, fmt: &str, extra: &str| {
        format!(
            "[agents.{name}]\nkind = \"{kind}\"\nargv = [\"python3\", \"{fake}\", \"--format\", \"{fmt}\"{extra}]\n\n"
        )
    };
    let mut config =
        String::from("[dispatch]\njobs = 2\ntimeout = \"60s\"\nagent = \"claude\"\n\n");
    config += &agent("claude", "claude", "claude", "");
    config += &agent("codex", "codex", "codex", "");
    config += &agent("gemini", "gemini", "gemini", "");
    config += &agent("command", "command", "command", ", \"{prompt_file}\"");
    config += &agent("acp", "acp", "acp", "");
    config += extra_config;
    std::fs::write(root.join("specwright.toml"), config).expect("write");
    std::fs::write(feature.join("spec.md"), SPEC).expect("write");
    std::fs::write(feature.join("tasks.md"), tasks).expect("write");
    std::fs::write(root.join("docs/adr/0001-use-sqlx.md"), ADR).expect("write");
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"x\"\n\n[dependencies]\n",
    )
    .expect("write");
    std::fs::write(root.join("src/.keep"), "").expect("write");
    std::fs::write(root.join("notes.txt"), "the user's own uncommitted work\n").expect("write");
    git(&root, &["init", "--quiet", "-b", "main"]);
    git(&root, &["add", "--all", ":!notes.txt"]);
    git(&root, &["commit", "--quiet", "-m", "start"]);
    let root = std::fs::canonicalize(&root).expect("canonical");
    let tasks = root.join("specs/001-sessions/tasks.md");
    (tmp, root, tasks)
}

struct Ran {
    results: Vec<TaskResult>,
    updates: Vec<Update>,
}

async fn run(tasks: &Path, options: Options, cancel_after_start: bool) -> Ran {
    let plan = dispatch::plan(tasks, &ConfigFile::default(), &options, &|p| {
        std::fs::read_to_string(p).ok()
    })
    .await
    .expect("plan");
    trust::confirm(&plan.project.root, &plan.runnables).expect("trust");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let cancels = Cancels::default();
    let c2 = cancels.clone();
    let tasks_path = tasks.to_path_buf();
    let collector = tokio::spawn(async move {
        let mut seen = Vec::new();
        while let Some(u) = rx.recv().await {
            if let Update::Finished(r) = &u {
                let _ = dispatch::write_checkbox(
                    &tasks_path,
                    &r.task,
                    dispatch::checkbox_for(r.outcome),
                );
            }
            if cancel_after_start && matches!(u, Update::Started { .. }) {
                // Give the agent time to start its child before cancelling.
                let c = c2.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(800)).await;
                    c.cancel_all();
                });
            }
            seen.push(u);
        }
        seen
    });
    let results = dispatch::execute(plan, cancels, tx).await.expect("execute");
    let updates = collector.await.expect("collector");
    Ran { results, updates }
}

fn outcome(r: &Ran, task: &str) -> Outcome {
    r.results
        .iter()
        .find(|t| t.task == task)
        .map(|t| t.outcome)
        .unwrap_or_else(|| panic!("no result for {task}: {:?}", r.results))
}

fn result<'a>(r: &'a Ran, task: &str) -> &'a TaskResult {
    r.results
        .iter()
        .find(|t| t.task == task)
        .unwrap_or_else(|| panic!("no result for {task}"))
}

fn porcelain(root: &Path) -> String {
    git(root, &["status", "--porcelain"])
}

const DAG: &str = "# Tasks: Sessions

## Phase 1

- [ ] T001 Create the session store (FR-001)
  - Boundary: src/session/**
  - Check: test -f src/session/T001.txt
- [ ] T002 Add the clock (FR-002)
  - Boundary: src/clock/**
- [ ] T003 Expire sessions (FR-002)
  - Boundary: src/session/**
  - Depends: T001
- [ ] T004 Sign tokens (FR-003)
  - Boundary: src/token/**
  - Depends: T001, T002
  - Check: test -f src/session/T001.txt && test -f src/clock/T002.txt
- [ ] T005 Rotate keys (FR-003)
  - Boundary: src/token/**
  - Depends: T003
- [ ] T006 Wire it together (FR-001)
  - Boundary: src/app/**
  - Depends: T004, T005
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_tasks_run_in_dag_order_within_the_limit_and_leave_the_checkout_alone() {
    let (_tmp, root, tasks) = repo(DAG, "");
    let log = root.parent().expect("parent").join("agent.log");
    let before = porcelain(&root);
    let options = Options {
        agent: Some("claude".into()),
        ..Options::default()
    };
    std::fs::write(
        root.join("specwright.toml"),
        std::fs::read_to_string(root.join("specwright.toml"))
            .expect("read")
            .replace(
                "[agents.claude]\nkind = \"claude\"",
                &format!(
                    "[agents.claude]\nkind = \"claude\"\nenv = {{ FAKE_AGENT_LOG = \"{}\", FAKE_AGENT_DELAY = \"0.4\" }}",
                    log.display()
                ),
            )
            .replace(
                "[dispatch]\n",
                &format!("[dispatch]\nwritable = [\"{}\"]\n", root.parent().expect("parent").display()),
            ),
    )
    .expect("write");
    git(&root, &["commit", "--quiet", "-am", "log"]);
    let before_after_commit = porcelain(&root);
    assert_eq!(before, before_after_commit, "only notes.txt is untracked");
    let ran = run(&tasks, options, false).await;
    for id in ["T001", "T002", "T003", "T004", "T005", "T006"] {
        assert_eq!(
            outcome(&ran, id),
            Outcome::Passed,
            "{:#?}",
            result(&ran, id)
        );
    }
    // DAG order and the concurrency limit, from the agents' own log.
    let text = std::fs::read_to_string(&log).expect("agent log");
    let mut events: Vec<(f64, bool, String)> = text
        .lines()
        .filter_map(|l| {
            let mut p = l.split_whitespace();
            let kind = p.next()?;
            let task = p.next()?.to_string();
            let t: f64 = p.next()?.parse().ok()?;
            Some((t, kind == "start", task))
        })
        .collect();
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, start, _) in &events {
        now += if *start { 1 } else { -1 };
        peak = peak.max(now);
    }
    assert!(peak <= 2, "at most 2 agents at once, saw {peak}");
    assert!(peak == 2, "independent tasks ran side by side");
    let at = |kind: bool, task: &str| {
        events
            .iter()
            .find(|e| e.1 == kind && e.2 == task)
            .map(|e| e.0)
            .unwrap_or_else(|| panic!("{task} in the log"))
    };
    for (task, deps) in [
        ("T003", vec!["T001"]),
        ("T004", vec!["T001", "T002"]),
        ("T005", vec!["T003"]),
        ("T006", vec!["T004", "T005"]),
    ] {
        for dep in deps {
            assert!(
                at(false, dep) <= at(true, task),
                "{dep} ends before {task} starts"
            );
        }
    }
    // Stacked: T004's branch holds the work of T001 and T002.
    let t4 = result(&ran, "T004");
    let wt = PathBuf::from(t4.worktree.as_deref().expect("worktree"));
    assert!(wt.join("src/session/T001.txt").is_file());
    assert!(wt.join("src/clock/T002.txt").is_file());
    assert!(
        !wt.starts_with(&root),
        "worktrees live outside the checkout"
    );
    // Checkboxes, and nothing else of the user's changed.
    let tasks_text = std::fs::read_to_string(&tasks).expect("tasks");
    assert_eq!(tasks_text.matches("- [x]").count(), 6, "{tasks_text}");
    let after = porcelain(&root);
    assert_eq!(
        after.replace(" M specs/001-sessions/tasks.md\n", ""),
        before,
        "git status differs only by the tasks file"
    );
    assert!(root.join("notes.txt").is_file());
    // Every run has its record.
    for r in &ran.results {
        let dir = record::task_dir(&root, &r.run, &r.task);
        for f in ["prompt.md", "result.json", "events.jsonl", "stderr.log"] {
            assert!(dir.join(f).is_file(), "{} has {f}", r.task);
        }
        assert_eq!(r.usage.as_ref().and_then(|u| u.cost_usd), Some(0.01));
    }
    let prompt = std::fs::read_to_string(
        record::task_dir(&root, &ran.results[0].run, "T001").join("prompt.md"),
    )
    .expect("prompt");
    assert!(
        prompt.contains("The service MUST store sessions"),
        "{prompt}"
    );
    assert!(prompt.contains("ADR-0001: Use sqlx"), "{prompt}");
    assert!(prompt.contains("`src/session/**`"), "{prompt}");
    assert!(
        ran.updates
            .iter()
            .any(|u| matches!(u, Update::Progress { text, .. } if text.starts_with("Write src/"))),
        "tool calls become progress"
    );
    // Integration merges the passed branches in order, outside the checkout.
    let merged = integrate::integrate(&root, None, "specwright/integrated", &root.join("../wt"))
        .await
        .expect("integrate");
    assert_eq!(merged.merged.len(), 6, "{}", merged.report());
    assert!(merged.conflict.is_none());
    let files = git(
        &root,
        &["ls-tree", "-r", "--name-only", "specwright/integrated"],
    );
    assert!(files.contains("src/app/T006.txt"), "{files}");
    assert_eq!(
        porcelain(&root).replace(" M specs/001-sessions/tasks.md\n", ""),
        before
    );
}

const VIOLATIONS: &str = "# Tasks: Sessions

- [ ] T001 Store sessions outside the lines (FR-001)
  - Boundary: src/session/**
- [ ] T002 Add a forbidden dependency (FR-002)
  - Boundary: src/db/**, Cargo.toml
- [ ] T003 Crash midway (FR-003)
  - Boundary: src/token/**
- [ ] T004 Print malformed output (FR-003)
  - Boundary: src/token/**
- [ ] T005 Work without a boundary, uncommitted (FR-001)
- [ ] T006 A failing run (FR-002)
  - Boundary: src/clock/**
- [ ] T007 A check that does not pass (FR-002)
  - Boundary: src/clock/**
  - Check: test -f src/clock/missing.txt
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn violations_crashes_and_malformed_output_are_reported() {
    let (_tmp, root, tasks) = repo(VIOLATIONS, "");
    let ran = run(
        &tasks,
        Options {
            agent: Some("codex".into()),
            jobs: Some(3),
            ..Options::default()
        },
        false,
    )
    .await;
    let t1 = result(&ran, "T001");
    assert_eq!(t1.outcome, Outcome::BoundaryViolated);
    assert_eq!(
        t1.summary,
        "T001 changed docs/outside-T001.txt, outside its boundary src/session/**"
    );
    let t2 = result(&ran, "T002");
    assert_eq!(t2.outcome, Outcome::AdrViolated, "{t2:#?}");
    assert!(
        t2.summary.contains("ADR-0001") && t2.summary.contains("diesel"),
        "{}",
        t2.summary
    );
    assert_eq!(outcome(&ran, "T003"), Outcome::Failed);
    assert!(result(&ran, "T003").summary.contains("status 3"));
    assert_eq!(outcome(&ran, "T004"), Outcome::Passed);
    let t5 = result(&ran, "T005");
    assert_eq!(t5.outcome, Outcome::Passed);
    assert_eq!(
        t5.validation.note.as_deref(),
        Some("no boundary: validated on its checks alone")
    );
    assert_eq!(
        t5.commits.len(),
        1,
        "uncommitted work is committed on its branch"
    );
    assert_eq!(outcome(&ran, "T006"), Outcome::Failed);
    assert!(result(&ran, "T006").summary.contains("could not finish"));
    let t7 = result(&ran, "T007");
    assert_eq!(t7.outcome, Outcome::Failed);
    assert!(
        t7.summary
            .contains("check `test -f src/clock/missing.txt` failed"),
        "{t7:#?}"
    );
    let text = std::fs::read_to_string(&tasks).expect("tasks");
    assert_eq!(text.matches("- [x]").count(), 2, "{text}");
    let _ = root;
}

/// Whether `pid` runs: a zombie (ended, waiting for whoever inherited it to reap it) does not.
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

fn pids(log: &Path) -> Vec<i32> {
    std::fs::read_to_string(log.with_extension("log.pids"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

const HANG: &str = "# Tasks: Sessions

- [ ] T001 Hang forever (FR-001)
  - Boundary: src/session/**
- [ ] T002 Expire sessions (FR-002)
  - Boundary: src/session/**
  - Depends: T001
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_ends_the_agent_and_its_children() {
    let (tmp, _root, tasks) = repo(HANG, "");
    let log = tmp.path().join("agent.log");
    set_env(&tasks, "gemini", &log);
    let ran = run(
        &tasks,
        Options {
            agent: Some("gemini".into()),
            timeout: Some(Duration::from_secs(2)),
            ..Options::default()
        },
        false,
    )
    .await;
    assert_eq!(outcome(&ran, "T001"), Outcome::TimedOut);
    assert_eq!(outcome(&ran, "T002"), Outcome::Skipped);
    let pids = pids(&log);
    assert_eq!(pids.len(), 2, "the agent and its child");
    for p in pids {
        assert!(!alive(p), "process {p} survived the timeout");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_ends_every_agent_process_and_keeps_the_worktree() {
    let (tmp, root, tasks) = repo(HANG, "");
    let log = tmp.path().join("agent.log");
    set_env(&tasks, "command", &log);
    let ran = run(
        &tasks,
        Options {
            agent: Some("command".into()),
            ..Options::default()
        },
        true,
    )
    .await;
    assert_eq!(outcome(&ran, "T001"), Outcome::Cancelled);
    assert_eq!(outcome(&ran, "T002"), Outcome::Cancelled);
    for p in pids(&log) {
        assert!(!alive(p), "process {p} survived the cancel");
    }
    let wt = result(&ran, "T001").worktree.clone().expect("worktree");
    assert!(Path::new(&wt).is_dir(), "kept for inspection");
    let text = std::fs::read_to_string(&tasks).expect("tasks");
    assert_eq!(text, HANG, "cancelled tasks keep their open box");
    let _ = root;
}

/// Adds the fake's log variables to agent `name`'s configuration and commits it.
fn set_env(tasks: &Path, name: &str, log: &Path) {
    let root = tasks.ancestors().nth(3).expect("root");
    let path = root.join("specwright.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let header = format!("[agents.{name}]\n");
    let text = text.replace(
        &header,
        &format!(
            "{header}env = {{ FAKE_AGENT_LOG = \"{}\", FAKE_AGENT_DELAY = \"0.1\" }}\n",
            log.display()
        ),
    );
    // The log lies outside the worktree: the sandbox is told it may be written.
    let dir = log.parent().expect("log folder");
    let text = text.replace(
        "[dispatch]\n",
        &format!("[dispatch]\nwritable = [\"{}\"]\n", dir.display()),
    );
    std::fs::write(&path, text).expect("write");
    git(root, &["commit", "--quiet", "-am", "agent log"]);
}

const TWO: &str = "# Tasks: Sessions

- [ ] T001 Store sessions, with a conflict (FR-001)
  - Boundary: src/session/**, shared.txt
- [ ] T002 Expire sessions, with a conflict (FR-002)
  - Boundary: src/clock/**, shared.txt
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acp_agents_work_through_the_client_and_integrate_reports_a_conflict() {
    let (_tmp, root, tasks) = repo(TWO, "");
    let ran = run(
        &tasks,
        Options {
            agent: Some("acp".into()),
            ..Options::default()
        },
        false,
    )
    .await;
    for id in ["T001", "T002"] {
        let r = result(&ran, id);
        assert_eq!(r.outcome, Outcome::Passed, "{r:#?}");
        assert_eq!(r.message.as_deref(), Some(&*format!("{id} done")));
        let wt = PathBuf::from(r.worktree.as_deref().expect("worktree"));
        assert!(
            !wt.parent()
                .expect("parent")
                .join(format!("escaped-{id}.txt"))
                .exists(),
            "fs/write_text_file outside the worktree is refused"
        );
        let events =
            std::fs::read_to_string(record::task_dir(&root, &r.run, id).join("events.jsonl"))
                .expect("events");
        assert!(events.contains("session/update"), "{events}");
        assert!(events.contains("session/request_permission"), "{events}");
    }
    let before = git(&root, &["rev-parse", "HEAD"]);
    let report = integrate::integrate(&root, None, "release", &root.join("../wt"))
        .await
        .expect("integrate");
    assert_eq!(report.merged.len(), 1, "{}", report.report());
    let (task, _, paths) = report.conflict.clone().expect("a conflict");
    assert_eq!(task, "T002");
    assert_eq!(paths, vec!["shared.txt".to_string()]);
    assert!(
        report.report().contains("conflict: T002"),
        "{}",
        report.report()
    );
    assert_eq!(
        git(&root, &["rev-parse", "HEAD"]),
        before,
        "the current branch is untouched"
    );
    assert_eq!(
        git(&root, &["symbolic-ref", "--short", "HEAD"]).trim(),
        "main"
    );
    let err = integrate::integrate(&root, None, "main", &root.join("../wt"))
        .await
        .expect_err("the checked-out branch is refused");
    assert!(err.contains("checked out here"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locks_unconfirmed_commands_and_interrupted_runs() {
    let (_tmp, root, tasks) = repo(HANG, "");
    // Nothing runs before the user confirms it.
    let plan = dispatch::plan(
        &tasks,
        &ConfigFile::default(),
        &Options {
            tasks: vec!["T001".into()],
            agent: Some("gemini".into()),
            ..Options::default()
        },
        &|p| std::fs::read_to_string(p).ok(),
    )
    .await
    .expect("plan");
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let err = dispatch::execute(plan.clone(), Cancels::default(), tx)
        .await
        .expect_err("unconfirmed");
    assert!(err.contains("not confirmed: agent `gemini`"), "{err}");
    // A task another live process holds is not dispatched twice.
    let held = record::lock(&root, "specs/001-sessions/tasks.md", "T001", "other").expect("lock");
    let again = record::lock(&root, "specs/001-sessions/tasks.md", "T001", "mine");
    assert!(
        again
            .expect_err("held")
            .contains("already being dispatched")
    );
    drop(held);
    // A run whose owner died is marked interrupted at the next start.
    let dead = Command::new("true").spawn().expect("spawn");
    let dead_pid = dead.id();
    let mut child = dead;
    child.wait().expect("wait");
    let r = TaskResult {
        run: "20260101-000000-000-dead".into(),
        task: "T001".into(),
        title: "x".into(),
        tasks_file: "specs/001-sessions/tasks.md".into(),
        outcome: Outcome::Running,
        summary: String::new(),
        agent: "gemini".into(),
        branch: None,
        worktree: None,
        base: None,
        started: None,
        finished: None,
        exit_code: None,
        changed: Vec::new(),
        commits: Vec::new(),
        validation: Default::default(),
        message: None,
        usage: None,
        stop_reason: None,
        owner_pid: dead_pid,
        pgid: None,
    };
    record::write_json(
        &record::runs_dir(&root).join(&r.run).join("run.json"),
        &record::RunInfo {
            id: r.run.clone(),
            owner_pid: dead_pid,
            started: record::now(),
            tasks_file: r.tasks_file.clone(),
            agent: "gemini".into(),
            base: "HEAD".into(),
            order: vec!["T001".into()],
        },
    )
    .expect("run.json");
    record::write_result(&root, &r).expect("result");
    let marked = record::sweep_interrupted(&root);
    assert_eq!(marked.len(), 1);
    assert_eq!(
        record::load_run(&root, &r.run).expect("run").results[0].outcome,
        Outcome::Interrupted
    );
    // Boundaries that leave the repository are refused before anything runs.
    std::fs::write(
        &tasks,
        "- [ ] T001 Escape (FR-001)\n  - Boundary: ../elsewhere/**\n",
    )
    .expect("write");
    let err = dispatch::plan(&tasks, &ConfigFile::default(), &Options::default(), &|p| {
        std::fs::read_to_string(p).ok()
    })
    .await
    .expect_err("refused");
    assert!(err.contains("leaves the repository"), "{err}");
}

const STRAY: &str = "# Tasks: Sessions

- [ ] T001 Store sessions, with a stray write (FR-001)
  - Boundary: src/session/**
";

/// Points the fake agent's stray write at `target`, and turns the sandbox off when asked.
fn stray_setup(root: &Path, target: &Path, sandbox: bool) {
    let path = root.join("specwright.toml");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text = text.replace(
        "[agents.claude]\n",
        &format!(
            "[agents.claude]\nenv = {{ FAKE_AGENT_STRAY = \"{}\", FAKE_AGENT_DELAY = \"0.1\" }}\n",
            target.display()
        ),
    );
    if !sandbox {
        text = text.replace("[dispatch]\n", "[dispatch]\nsandbox = false\n");
    }
    std::fs::write(&path, text).expect("write");
    git(root, &["commit", "--quiet", "-am", "stray agent"]);
}

/// An agent writing into the user's checkout: under the sandbox the write is refused and the
/// task fails saying so; without it the write is caught (`escaped`, never ticked).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_outside_the_worktree_is_refused_by_the_sandbox_and_caught_without_it() {
    assert!(
        specwright_agents::confine::kernel_abi() > 0,
        "this test needs a kernel with Landlock (every CI machine here has ABI 7)"
    );
    for sandbox in [true, false] {
        let (_tmp, root, tasks) = repo(STRAY, "");
        let spec = root.join("specs/001-sessions/spec.md");
        stray_setup(&root, &spec, sandbox);
        let before = std::fs::read_to_string(&spec).expect("spec");
        let ran = run(&tasks, Options::default(), false).await;
        let t1 = result(&ran, "T001");
        let after = std::fs::read_to_string(&spec).expect("spec");
        let text = std::fs::read_to_string(&tasks).expect("tasks");
        assert!(text.contains("- [ ] T001"), "never ticked: {text}");
        if sandbox {
            assert_eq!(t1.outcome, Outcome::Failed, "{t1:#?}");
            assert!(t1.summary.contains("status 4"), "{}", t1.summary);
            assert!(t1.summary.contains("Permission denied"), "{}", t1.summary);
            assert_eq!(before, after, "the user's spec is untouched");
            assert_eq!(porcelain(&root), "?? notes.txt\n");
            // Nothing passed: integrating makes no branch.
            let report = integrate::integrate(&root, None, "specwright/none", &root.join("../wt"))
                .await
                .expect("integrate");
            assert!(!report.created && report.merged.is_empty(), "{report:?}");
            assert_eq!(git(&root, &["branch", "--list", "specwright/none"]), "");
        } else {
            assert_eq!(t1.outcome, Outcome::Escaped, "{t1:#?}");
            assert!(
                t1.summary.contains("specs/001-sessions/spec.md"),
                "{}",
                t1.summary
            );
            assert_eq!(t1.validation.escaped, vec!["specs/001-sessions/spec.md"]);
            assert!(after.ends_with("T001 was here\n"));
        }
    }
}
