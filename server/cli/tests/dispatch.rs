//! `specwright dispatch`, `runs`, `integrate` and `worktrees` as a user runs them: the real
//! binary on a real repository, with a fake agent that is a real process.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn specwright(dir: &Path, config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args(args)
        .current_dir(dir)
        .env("SPECWRIGHT_CONFIG_DIR", config)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn dispatch_from_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::dispatch_repo(tmp.path(), "0.1");
    let config = tmp.path().join("config");
    let tasks = "specs/001-sessions/tasks.md";

    // The plan and prompts, nothing run.
    let dry = specwright(&root, &config, &["dispatch", tasks, "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    let out = text(&dry);
    assert!(out.contains("wave 1: T001, T003\nwave 2: T002"), "{out}");
    assert!(out.contains("order: T001 → T003 → T002"), "{out}");
    assert!(
        out.contains("===== T001 on specwright/T001-store-sessions ====="),
        "{out}"
    );
    assert!(
        out.contains("### FR-001\n**FR-001**: The service MUST store sessions"),
        "{out}"
    );
    assert!(
        out.contains("check of T001: test -f src/session/T001.txt"),
        "{out}"
    );
    assert!(
        !root.join(".specwright").exists(),
        "a dry run leaves nothing"
    );

    // Unconfirmed commands and no terminal to ask on: refused with exit 2.
    let refused = specwright(&root, &config, &["dispatch", tasks]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("--trust"), "{}", text(&refused));
    assert!(!root.join(".specwright/runs").exists());

    // With --trust: T003 writes outside its boundary, so the exit code is 1.
    let ran = specwright(&root, &config, &["dispatch", tasks, "--trust"]);
    let out = text(&ran);
    assert_eq!(ran.status.code(), Some(1), "{out}");
    assert!(out.contains("✓ T001 passed"), "{out}");
    assert!(out.contains("✓ T002 passed"), "{out}");
    assert!(
        out.contains("T003 changed docs/outside-T003.txt, outside its boundary src/token/**"),
        "{out}"
    );
    let tasks_text = std::fs::read_to_string(root.join(tasks)).unwrap();
    assert!(tasks_text.contains("- [x] T001") && tasks_text.contains("- [x] T002"));
    assert!(tasks_text.contains("- [ ] T003"), "{tasks_text}");
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        " M specs/001-sessions/tasks.md\n",
        "run records are excluded from git status"
    );

    // The confirmation is remembered: a second dispatch of T003 asks nothing.
    let again = specwright(&root, &config, &["dispatch", tasks, "--task", "T003"]);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));

    let runs = specwright(&root, &config, &["runs"]);
    let out = text(&runs);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("2 passed, 1 boundary-violated"), "{out}");
    let id = out
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let one = specwright(&root, &config, &["runs", id]);
    let out = text(&one);
    assert!(out.contains("T001 passed"), "{out}");
    assert!(
        out.contains("check `test -f src/session/T001.txt`: passed"),
        "{out}"
    );
    assert!(
        out.contains("ADR-0001 no added line of `Cargo.toml` matches"),
        "{out}"
    );

    let merged = specwright(
        &root,
        &config,
        &["integrate", "--into", "sessions", "--run", id],
    );
    let out = text(&merged);
    assert!(merged.status.success(), "{out}");
    assert!(
        out.contains("merged T001 (specwright/T001-store-sessions) into sessions"),
        "{out}"
    );
    assert!(out.contains("left out T003: boundary-violated"), "{out}");

    let cleaned = specwright(&root, &config, &["worktrees", "clean"]);
    assert!(
        text(&cleaned).matches("removed ").count() >= 3,
        "{}",
        text(&cleaned)
    );
}

#[test]
fn ctrl_c_cancels_every_agent_and_records_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::dispatch_repo(tmp.path(), "0.1");
    let config = tmp.path().join("config");
    let tasks = root.join("specs/001-sessions/tasks.md");
    let mut edited = std::fs::read_to_string(&tasks).unwrap();
    edited.push_str("- [ ] T004 Hang forever (FR-001)\n  - Boundary: src/session/**\n");
    std::fs::write(&tasks, &edited).unwrap();
    let log = tmp.path().join("agent.log");
    let child = Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args([
            "dispatch",
            "specs/001-sessions/tasks.md",
            "--task",
            "T004",
            "--trust",
        ])
        .current_dir(&root)
        .env("SPECWRIGHT_CONFIG_DIR", &config)
        .env("FAKE_AGENT_LOG", &log)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the agent and its child are up.
    let pids = common::wait_for_pids(&tmp.path().join("agent.log.pids"), 2);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("cancelling every agent"), "{report}");
    assert!(report.contains("T004 cancelled"), "{report}");
    for p in pids {
        assert!(!common::alive(p), "process {p} survived Ctrl-C");
    }
    let runs = specwright(&root, &config, &["runs", "--json"]);
    assert!(
        text(&runs).contains("\"outcome\": \"cancelled\""),
        "{}",
        text(&runs)
    );
    // The user's edit of the tasks file (T004) is still there, untouched.
    assert_eq!(std::fs::read_to_string(&tasks).unwrap(), edited);
}
