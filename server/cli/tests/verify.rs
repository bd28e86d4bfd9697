//! `specwright verify` on a real repository: which ticked tasks are really done.

mod common;

use common::git;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn verify(root: &Path, config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specwright"))
        .arg("verify")
        .args(args)
        .current_dir(root)
        .env("SPECWRIGHT_CONFIG_DIR", config)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("specwright verify")
}

const TASKS: &str = "# Tasks: Sessions

- [x] T001 Create the session store (FR-001)
  - Boundary: src/session/**
  - Check: test -f src/session/store.txt
- [x] T002 Add the clock (FR-002)
  - Boundary: src/clock/**
- [x] T003 Sign tokens (FR-003)
  - Check: test -f src/token/missing.txt
- [x] T004 Write the notes
- [ ] T005 Rotate keys (FR-003)
  - Boundary: src/keys/**
";

#[test]
fn ticked_tasks_are_verified_by_their_checks_and_their_boundarys_history() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("repo");
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&root).expect("mkdir");
    git(&root, &["init", "--quiet", "-b", "main"]);
    write(
        &root,
        "specs/001-sessions/spec.md",
        "# Feature Specification: Sessions\n\n## Requirements\n\n- **FR-001**: The server MUST store sessions.\n- **FR-002**: The server MUST expire sessions.\n- **FR-003**: The server MUST sign tokens.\n",
    );
    // The clock existed before its task was written, and nobody touched it since.
    write(&root, "src/clock/clock.txt", "old clock\n");
    write(&root, "specs/001-sessions/tasks.md", TASKS);
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "spec and tasks"]);
    // T001's work lands after its task.
    write(&root, "src/session/store.txt", "the store\n");
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "T001: the store"]);
    write(&root, "notes.txt", "the user's own uncommitted work\n");
    let before = git(&root, &["status", "--porcelain"]);

    // The check commands need consent: refused without a terminal.
    let refused = verify(&root, &config, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("check of T001"));

    let out = verify(&root, &config, &["--trust", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(stderr.contains("T001 verified"), "{stderr}");
    assert_eq!(findings.len(), 3, "{findings:#?}");
    assert!(
        findings[0]
            .1
            .starts_with("T002 is marked done, but no change inside its boundary src/clock/**"),
        "{findings:#?}"
    );
    assert!(
        findings[1]
            .1
            .contains("T003 is marked done but its check `test -f src/token/missing.txt` fails"),
        "{findings:#?}"
    );
    assert_eq!(findings[2].0, "info");
    assert!(findings[2].1.contains("T004") && findings[2].1.contains("nothing to verify"));
    assert!(
        !findings.iter().any(|f| f.1.contains("T005")),
        "open tasks are not verified"
    );

    // Nothing of the user's changed, and no worktree is left behind.
    assert_eq!(git(&root, &["status", "--porcelain"]), before);
    assert_eq!(git(&root, &["worktree", "list"]).lines().count(), 1);

    // SARIF names the rule.
    let sarif = verify(&root, &config, &["--format", "sarif"]);
    let v: Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    let rules = &v["runs"][0]["tool"]["driver"]["rules"];
    let index = v["runs"][0]["results"][0]["ruleIndex"]
        .as_u64()
        .expect("index") as usize;
    assert_eq!(rules[index]["id"], "unverified-task");
}

/// Drift: a generated task marked done whose requirement is reworded afterwards is stale.
#[test]
fn a_done_task_whose_requirement_changed_since_is_stale() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("repo");
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&root).expect("mkdir");
    git(&root, &["init", "--quiet", "-b", "main"]);
    let spec = "specs/001-export/spec.md";
    write(
        &root,
        spec,
        "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: The editor MUST export drafts as PDF in `src/export/pdf.rs`.\n- **FR-002**: The editor MUST export drafts as Markdown in `src/export/md.rs`.\n\n## Out of Scope\n\n- Printing.\n",
    );
    let generated = Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args(["tasks", spec, "--write"])
        .current_dir(&root)
        .output()
        .expect("tasks");
    assert!(generated.status.success());
    let tasks_path = root.join("specs/001-export/tasks.md");
    let tasks = std::fs::read_to_string(&tasks_path).expect("tasks");
    assert!(tasks.contains("<!-- sw:FR1#"), "{tasks}");
    std::fs::write(&tasks_path, tasks.replace("- [ ] ", "- [x] ")).expect("tick");
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "tasks"]);
    write(&root, "src/export/pdf.rs", "pdf\n");
    write(&root, "src/export/md.rs", "md\n");
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "the work"]);
    let clean = verify(&root, &config, &["--trust", "--format", "json"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    let text = std::fs::read_to_string(root.join(spec)).expect("spec");
    write(&root, spec, &text.replace("as PDF in", "as PDF/A in"));
    git(&root, &["commit", "--quiet", "-am", "FR-001 reworded"]);
    let out = verify(&root, &config, &["--trust", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let on_task = findings
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with("tasks.md")))
        .expect("a finding on the task");
    assert_eq!(on_task["rule"], "stale-task");
    assert!(
        on_task["message"].as_str().is_some_and(|m| m
            .starts_with("T001 is marked done, but the requirement it was generated from changed")),
        "{findings:#?}"
    );
    // And a hint on the requirement, naming the task.
    let on_requirement = findings
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with("spec.md")))
        .expect("a hint on the requirement");
    assert_eq!(on_requirement["severity"], "hint");
    assert_eq!(
        on_requirement["message"],
        "FR-001 changed since T001, which was generated from it, was marked done"
    );
}

/// Drift of hand-ticked work: `verify --stamp` records the commit each verified task was seen
/// at; a later change inside its boundary (a renamed file included) is a boundary-changed hint,
/// and a stamp naming a commit this history lacks says that it cannot be told.
#[test]
fn a_stamped_task_whose_boundary_changed_since_is_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("repo");
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&root).expect("mkdir");
    git(&root, &["init", "--quiet", "-b", "main"]);
    let tasks = "# Tasks: Sessions\n\n- [x] T001 Create the session store (FR-001)\n  - Boundary: src/session/**\n- [x] T002 Add the clock (FR-002)\n  - Boundary: src/clock/**\n";
    write(&root, "specs/001-sessions/tasks.md", tasks);
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "tasks"]);
    write(&root, "src/session/store.txt", "the store\n");
    write(&root, "src/clock/clock.txt", "the clock\n");
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "the work"]);

    let out = verify(&root, &config, &["--stamp", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("stamped 2 task(s)"), "{stderr}");
    let head = git(&root, &["rev-parse", "--short=12", "HEAD"]);
    let stamped = std::fs::read_to_string(root.join("specs/001-sessions/tasks.md")).expect("read");
    assert_eq!(
        stamped
            .matches(&format!("<!-- sw:verified {} -->", head.trim()))
            .count(),
        2,
        "{stamped}"
    );
    git(&root, &["commit", "--quiet", "-am", "verified"]);

    // Nothing moved: nothing to report.
    let out = verify(&root, &config, &["--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        report["findings"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );

    // The store moves (a rename inside the boundary) and changes: T001's boundary changed.
    git(
        &root,
        &["mv", "src/session/store.txt", "src/session/sessions.txt"],
    );
    git(&root, &["commit", "--quiet", "-m", "rename the store"]);
    let out = verify(&root, &config, &["--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["rule"], "boundary-changed");
    assert_eq!(findings[0]["severity"], "hint");
    let message = findings[0]["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("T001 was verified at")
            && message.contains("1 commit(s)")
            && message.contains("src/session/sessions.txt"),
        "{message}"
    );

    // A stamp from a history this clone lacks.
    let text = std::fs::read_to_string(root.join("specs/001-sessions/tasks.md")).expect("read");
    let text = text.replacen(head.trim(), "0123456789ab", 1);
    write(&root, "specs/001-sessions/tasks.md", &text);
    let out = verify(&root, &config, &["--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let unknown = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("0123456789ab"))
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(unknown["severity"], "info", "{report}");
    assert!(
        unknown["message"]
            .as_str()
            .unwrap_or("")
            .contains("cannot be told")
    );
}

/// With `[verify] tests` configured, a done task's requirement that no test file names is
/// untested-requirement; one a test names (in any spelling of its id) is not.
#[test]
fn a_done_tasks_requirement_no_test_names_is_untested() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("repo");
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&root).expect("mkdir");
    git(&root, &["init", "--quiet", "-b", "main"]);
    write(
        &root,
        "specwright.toml",
        "[verify]\ntests = [\"tests/**\"]\n",
    );
    write(
        &root,
        "specs/001-sessions/tasks.md",
        "# Tasks: Sessions\n\n- [x] T001 Store and expire sessions (FR-001, FR-002)\n  - Boundary: src/**\n- [ ] T002 Sign tokens (FR-003)\n",
    );
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "tasks"]);
    write(&root, "src/session.txt", "the store\n");
    write(
        &root,
        "tests/session_test.py",
        "def test_fr001_store():\n    pass\n",
    );
    // Untracked test files do not count: CI would not have them.
    write(&root, "tests/draft_test.py", "# FR-002\n");
    git(&root, &["add", "src", "tests/session_test.py"]);
    git(&root, &["commit", "--quiet", "-m", "the work"]);
    let out = verify(&root, &config, &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report} {stderr}");
    assert_eq!(findings[0]["rule"], "untested-requirement");
    assert_eq!(
        findings[0]["message"],
        "T001 is marked done, but no test file (tests/**) names FR-002"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// A check that hangs is ended (with its process group) at the timeout and said so; a shallow
/// clone says that the history needed is not there, rather than "nothing changed".
#[test]
fn a_hanging_check_times_out_and_a_shallow_clone_says_history_is_missing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("repo");
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&root).expect("mkdir");
    git(&root, &["init", "--quiet", "-b", "main"]);
    write(
        &root,
        "specs/001-sessions/tasks.md",
        "# Tasks: Sessions\n\n- [x] T001 Store sessions (FR-001)\n  - Check: sleep 300\n- [x] T002 Expire sessions (FR-002)\n  - Boundary: src/**\n",
    );
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "tasks"]);
    write(&root, "src/session.txt", "the store\n");
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "the work"]);
    let started = std::time::Instant::now();
    let out = verify(
        &root,
        &config,
        &["--trust", "--timeout", "2s", "--format", "json"],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("T001") && m.contains("did not finish within 2s")),
        "{messages:?}"
    );
    assert_eq!(git(&root, &["worktree", "list"]).lines().count(), 1);

    // A shallow clone of it: T002's history is not there.
    let shallow = tmp.path().join("shallow");
    let url = format!("file://{}", root.display());
    let ok = Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", &url])
        .arg(&shallow)
        .status()
        .expect("git clone")
        .success();
    assert!(ok);
    let out = verify(
        &shallow,
        &config,
        &["--trust", "--timeout", "2s", "--format", "json"],
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let t002 = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["message"].as_str().is_some_and(|m| m.starts_with("T002")))
        .cloned()
        .unwrap_or_default();
    assert!(
        t002["message"]
            .as_str()
            .is_some_and(|m| m.contains("history is shallow")),
        "{report}"
    );
}

/// Kiro's notation is verified the same way; a tasks file never committed says that there is
/// no history to compare, rather than passing or failing.
#[test]
fn kiro_tasks_are_verified_and_an_uncommitted_tasks_file_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("repo");
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&root).expect("mkdir");
    git(&root, &["init", "--quiet", "-b", "main"]);
    let tasks = "# Implementation Plan\n\n- [x] 1. Store sessions\n  - Boundary: src/**\n  - _Requirements: 1.1_\n";
    write(&root, ".kiro/specs/sessions/tasks.md", tasks);
    write(&root, "README.md", "# Repo\n");
    git(&root, &["add", "README.md"]);
    git(&root, &["commit", "--quiet", "-m", "start"]);
    write(&root, "src/store.txt", "the store\n");
    git(&root, &["add", "src"]);
    git(&root, &["commit", "--quiet", "-m", "the work"]);
    // The tasks file was never committed.
    let out = verify(&root, &config, &["--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("1 is marked done, but its task line is not committed"),
        "{report}"
    );
    // Committed, then the work after it: verified.
    git(&root, &["add", ".kiro"]);
    git(&root, &["commit", "--quiet", "-m", "tasks"]);
    write(&root, "src/store.txt", "the store, done\n");
    git(&root, &["commit", "--quiet", "-am", "task 1"]);
    let out = verify(&root, &config, &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        report["findings"].as_array().map(Vec::len),
        Some(0),
        "{report} {stderr}"
    );
    assert!(stderr.contains("1 verified"), "{stderr}");
}
