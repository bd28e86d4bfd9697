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

    // `check` answers with the type `check --format json` writes, and says so in its schema.
    let check = listed["tools"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "check"))
        .expect("check");
    assert!(
        check["outputSchema"]["properties"]["filesChecked"].is_object()
            && check["outputSchema"]["properties"]["findings"].is_object(),
        "{check}"
    );

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
            && f["start"]["line"] == 10),
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
            .any(|x| x["rule"] == "incomplete-marker" && x["start"]["line"] == 3)),
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

/// Bad input over the wire: a 50 MB text, a line that is not JSON, arguments of the wrong type:
/// each answered with a clear error, and the server goes on serving.
#[test]
fn bad_requests_are_answered_and_the_server_keeps_serving() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut child = Command::new(env!("CARGO_BIN_EXE_specwright"))
        .arg("mcp")
        .current_dir(&examples)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("specwright mcp");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if let Ok(v) = serde_json::from_str(&line) {
                let _ = tx.send(v);
            }
        }
    });
    let recv = || {
        rx.recv_timeout(std::time::Duration::from_secs(60))
            .expect("an answer within 60 s")
    };
    let send = |stdin: &mut std::process::ChildStdin, line: String| {
        stdin.write_all(line.as_bytes()).expect("write");
        stdin.write_all(b"\n").expect("write");
        stdin.flush().expect("flush");
    };
    send(&mut stdin, serde_json::json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}).to_string());
    assert_eq!(recv()["id"], 1);
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc":"2.0","method":"notifications/initialized"}).to_string(),
    );
    let big = "x".repeat(50 * 1024 * 1024);
    send(&mut stdin, serde_json::json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"check","arguments":{"text": big, "path":"draft.md"}}}).to_string());
    let answer = recv();
    assert_eq!(answer["id"], 2);
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("over the") && m.contains("limit")),
        "{answer}"
    );
    send(&mut stdin, "{not json".into());
    let parse = recv();
    assert_eq!(parse["error"]["code"], -32700, "{parse}");
    assert!(parse["id"].is_null(), "{parse}");
    send(&mut stdin, serde_json::json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"check","arguments":{"paths":"not a list"}}}).to_string());
    let wrong = recv();
    assert_eq!(wrong["id"], 3);
    assert!(
        wrong.get("error").is_some() || wrong["result"]["isError"] == true,
        "{wrong}"
    );
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc":"2.0","id":4,"method":"tools/list"}).to_string(),
    );
    let listed = recv();
    assert_eq!(listed["id"], 4);
    assert!(
        listed["result"]["tools"]
            .as_array()
            .is_some_and(|t| t.len() == 8)
    );
    drop(stdin);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("specwright mcp did not end when its input closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
