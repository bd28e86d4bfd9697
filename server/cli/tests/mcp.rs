//! `specwright mcp` driven by the MCP Inspector's CLI mode (`@modelcontextprotocol/inspector`
//! from npm, pinned in tests/agents/clis): every tool listed and called, bad inputs answered
//! with errors, paths kept inside the workspace.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn inspector(bin: &Path, dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(bin.join("mcp-inspector"))
        .arg("--cli")
        .arg(env!("CARGO_BIN_EXE_specwright"))
        .arg("mcp")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("mcp-inspector");
    // Stdout holds the answer; the server's own notes go to stderr.
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return (
            false,
            format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
        );
    }
    (true, stdout)
}

fn text_of(out: &str) -> Value {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let text = v["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"));
    serde_json::from_str(text).unwrap_or(Value::String(text.to_string()))
}

#[test]
fn every_tool_answers_the_mcp_inspector() {
    let bin = common::clis();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let (ok, out) = inspector(&bin, &examples, &["--method", "tools/list"]);
    assert!(ok, "{out}");
    let listed: Value = serde_json::from_str(&out).expect("json");
    let names: Vec<&str> = listed["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(names.len(), 8, "{names:?}");
    for n in [
        "check",
        "questions",
        "adr_list",
        "explain",
        "rules",
        "decompose",
        "coverage",
        "dispatch_plan",
    ] {
        assert!(names.contains(&n), "{names:?}");
    }

    let call = |args: &[&str]| {
        let mut a = vec!["--method", "tools/call"];
        a.extend_from_slice(args);
        inspector(&bin, &examples, &a)
    };
    let (ok, out) = call(&[
        "--tool-name",
        "check",
        "--tool-arg",
        r#"paths=["spec-kit/specs/001-offline-drafts/plan.md"]"#,
    ]);
    assert!(ok, "{out}");
    let report = text_of(&out);
    let findings = report["findings"].as_array().expect("findings");
    assert!(
        findings.iter().any(|f| f["rule"] == "conflicting-value"
            && f["path"] == "spec-kit/specs/001-offline-drafts/plan.md"
            && f["line"] == 10),
        "{report}"
    );

    let (ok, out) = call(&[
        "--tool-name",
        "questions",
        "--tool-arg",
        "path=spec-kit/specs/001-offline-drafts/plan.md",
    ]);
    assert!(ok, "{out}");
    let asked = text_of(&out);
    assert!(
        asked["questions"]
            .as_array()
            .is_some_and(|q| q.iter().any(|x| x["question"]
                .as_str()
                .is_some_and(|t| t.contains("250 ms or 500 ms")))),
        "{asked}"
    );
    // The ADR folder is found from where the server starts: a repository's root.
    let (ok, out) = inspector(
        &bin,
        &examples.join("spec-kit"),
        &["--method", "tools/call", "--tool-name", "adr_list"],
    );
    assert!(ok, "{out}");
    let records = text_of(&out);
    assert!(
        records
            .as_array()
            .is_some_and(|r| !r.is_empty() && r.iter().all(|x| x["title"].is_string())),
        "{records}"
    );
    let (ok, out) = call(&["--tool-name", "explain", "--tool-arg", "rule=vague-term"]);
    assert!(ok && out.contains("# vague-term"), "{out}");
    let (ok, out) = call(&["--tool-name", "rules"]);
    assert!(ok && out.contains("incomplete-marker"), "{out}");
    let (ok, out) = call(&[
        "--tool-name",
        "decompose",
        "--tool-arg",
        "spec=kiro/.kiro/specs/team-invites/requirements.md",
    ]);
    assert!(ok && out.contains("tasks.md"), "{out}");

    // A draft not yet written is checked as the file it will be, beside its folder's tasks.
    let (ok, out) = call(&[
        "--tool-name",
        "check",
        "--tool-arg",
        "path=spec-kit/specs/003-export-drafts/draft.md",
        "--tool-arg",
        "text=# Notes\n\nThe export MUST be fast and TBD.\n",
    ]);
    assert!(ok, "{out}");
    let report = text_of(&out);
    assert!(
        report["findings"].as_array().is_some_and(|f| f
            .iter()
            .any(|x| x["rule"] == "incomplete-marker" && x["line"] == 3)),
        "{report}"
    );
    assert!(
        !examples
            .join("spec-kit/specs/003-export-drafts/draft.md")
            .exists()
    );

    let (ok, out) = call(&[
        "--tool-name",
        "coverage",
        "--tool-arg",
        "folder=spec-kit/specs/001-offline-drafts",
    ]);
    assert!(ok, "{out}");
    let table = text_of(&out);
    assert_eq!(table["mode"], "requirement", "{table}");
    let rows = table["requirements"].as_array().expect("rows");
    assert!(
        rows.iter()
            .any(|r| r["id"] == "FR-001"
                && r["covered_by"].as_array().is_some_and(|c| !c.is_empty())),
        "{table}"
    );

    // Rule pages are resources.
    let (ok, out) = inspector(&bin, &examples, &["--method", "resources/list"]);
    assert!(ok && out.contains("specwright://rules/vague-term"), "{out}");
    let (ok, out) = inspector(
        &bin,
        &examples,
        &[
            "--method",
            "resources/read",
            "--uri",
            "specwright://rules/vague-term",
        ],
    );
    assert!(ok && out.contains("# vague-term"), "{out}");

    // Bad input is an error naming it; nothing outside the workspace is read.
    let (_, out) = call(&[
        "--tool-name",
        "check",
        "--tool-arg",
        "path=../outside.md",
        "--tool-arg",
        "text=x",
    ]);
    assert!(out.contains("outside the workspace"), "{out}");
    let (_, out) = call(&["--tool-name", "explain", "--tool-arg", "rule=nope"]);
    assert!(out.contains("no rule `nope`"), "{out}");
    let (_, out) = call(&[
        "--tool-name",
        "check",
        "--tool-arg",
        r#"paths=["../server"]"#,
    ]);
    assert!(out.contains("outside the workspace"), "{out}");
}

/// `dispatch_plan` plans without running anything: no worktree, no run record, no agent.
#[test]
fn dispatch_plan_is_a_dry_run() {
    let bin = common::clis();
    let dir = tempfile::tempdir().unwrap();
    let repo = common::dispatch_repo(dir.path(), "0");
    let (ok, out) = inspector(
        &bin,
        &repo,
        &[
            "--method",
            "tools/call",
            "--tool-name",
            "dispatch_plan",
            "--tool-arg",
            "tasks=specs/001-sessions/tasks.md",
        ],
    );
    assert!(ok, "{out}");
    let plan = text_of(&out);
    assert!(
        plan["order"].as_array().is_some_and(|o| !o.is_empty()),
        "{plan}"
    );
    assert!(plan["tasks"].as_object().is_some_and(|t| {
        t.values()
            .all(|v| v["prompt"].as_str().is_some_and(|p| !p.is_empty()))
    }));
    assert!(
        !repo.join(".specwright").exists(),
        "a dry run left run state"
    );
    let worktrees = Command::new("git")
        .args(["worktree", "list"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&worktrees.stdout).lines().count(),
        1
    );
}
