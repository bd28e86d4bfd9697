//! Language-server tests: start the real `specwright lsp` binary and speak JSON-RPC over stdio.

mod common;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// An upper bound only: debug builds on a loaded 2-core CI machine analyse a 300 KB document in seconds.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Server {
    fn start(capabilities: Value, init_options: Value) -> (Server, Value) {
        Server::start_in(Value::Null, capabilities, init_options)
    }

    fn start_in(root_uri: Value, capabilities: Value, init_options: Value) -> (Server, Value) {
        Server::start_env(root_uri, capabilities, init_options, &[])
    }

    fn start_env(
        root_uri: Value,
        capabilities: Value,
        init_options: Value,
        env: &[(&str, &std::path::Path)],
    ) -> (Server, Value) {
        let mut server = Server::spawn(env);
        // These tests follow what the rules report through the protocol, so unless a test says
        // otherwise every rule is on, not only those whose measured precision earned a default.
        let init_options = if init_options.is_null() {
            json!({ "rule-set": "all" })
        } else {
            init_options
        };
        let result = server.request(
            "initialize",
            json!({ "processId": null, "rootUri": root_uri, "capabilities": capabilities, "initializationOptions": init_options }),
        );
        server.notify("initialized", json!({}));
        (server, result)
    }

    /// The server process, not yet initialized.
    fn spawn(env: &[(&str, &std::path::Path)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_specwright"))
            .arg("lsp")
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .env("SPECWRIGHT_TODAY", "2026-01-15")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start specwright lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("server sent invalid JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            incoming: rx,
            backlog: Vec::new(),
            next_id: 1,
        }
    }

    /// Writes raw bytes to the server's stdin.
    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, value: Value) {
        let body = value.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Receives one message, answering the server's own requests on the way.
    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = match self.incoming.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => panic!("server exited"),
            };
            if msg.get("method").is_some() && msg.get("id").is_some() {
                // registerCapability, workspace/diagnostic/refresh, workspace/configuration …
                let result = match msg["method"].as_str() {
                    Some("workspace/configuration") => json!([null]),
                    // The edit is recorded in the backlog; the test applies it to disk itself.
                    Some("workspace/applyEdit") => json!({ "applied": true }),
                    Some("window/showDocument") => json!({ "success": true }),
                    // Consent to run the repository's commands.
                    Some("window/showMessageRequest") => json!({ "title": "Run" }),
                    _ => Value::Null,
                };
                self.send(json!({ "jsonrpc": "2.0", "id": msg["id"].clone(), "result": result }));
                self.backlog.push(msg);
                continue;
            }
            return Some(msg);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("no answer to {method}"));
            if msg.get("id") == Some(&json!(id)) {
                if let Some(err) = msg.get("error") {
                    return json!({ "error": err });
                }
                return msg["result"].clone();
            }
            self.backlog.push(msg);
        }
    }

    /// The next `publishDiagnostics` for `uri` (optionally of a given version).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        self.diagnostics_within(uri, version, TIMEOUT)
            .unwrap_or_else(|| panic!("no diagnostics for {uri} version {version:?}"))
    }

    /// [`Server::diagnostics`], or `None` when none come within `limit`.
    fn diagnostics_within(
        &mut self,
        uri: &str,
        version: Option<i64>,
        limit: Duration,
    ) -> Option<Vec<Value>> {
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        };
        if let Some(i) = self.backlog.iter().position(matches) {
            let m = self.backlog.remove(i);
            return Some(m["params"]["diagnostics"].as_array().unwrap().clone());
        }
        let deadline = Instant::now() + limit;
        loop {
            let msg = self.receive(deadline)?;
            if matches(&msg) {
                return Some(msg["params"]["diagnostics"].as_array().unwrap().clone());
            }
            self.backlog.push(msg);
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.is_null());
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

/// A failed test must not leave its server running (it would hold the test's output open).
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A push client that offers what VS Code offers the server: applied edits with
/// `documentChanges`, shown documents.
fn push_caps(encodings: &[&str]) -> Value {
    json!({
        "general": { "positionEncodings": encodings },
        "workspace": { "applyEdit": true, "workspaceEdit": { "documentChanges": true } },
        "window": { "showDocument": { "support": true } }
    })
}

fn summary(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let r = &d["range"];
            format!(
                "{}:{}-{}:{} {} {}",
                r["start"]["line"],
                r["start"]["character"],
                r["end"]["line"],
                r["end"]["character"],
                d["code"],
                d["message"]
            )
        })
        .collect()
}

const NON_ASCII: &str = "# Título 🚀 offline\r\n\r\n- **FR-001**: 系统 MUST keep 😀 drafts for TBD days.\r\n- **FR-002**: Created [DATE]\r\n";

#[test]
fn utf16_ranges_are_exact_for_emoji_cjk_and_crlf() {
    let (mut s, init) = Server::start(push_caps(&["utf-16"]), Value::Null);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert!(
        init["capabilities"]["diagnosticProvider"].is_null(),
        "push client gets no pull provider"
    );
    let uri = "file:///tmp/specwright-test/utf16.md";
    s.open(uri, "markdown", NON_ASCII);
    let diags = s.diagnostics(uri, Some(1));
    let line2 = NON_ASCII.split("\r\n").nth(2).unwrap();
    let tbd = utf16_len(&line2[..line2.find("TBD").unwrap()]);
    let line3 = NON_ASCII.split("\r\n").nth(3).unwrap();
    let date = utf16_len(&line3[..line3.find("[DATE]").unwrap()]);
    assert_eq!(
        summary(&diags),
        vec![
            format!(
                "2:{tbd}-2:{} \"incomplete-marker\" \"`TBD` marks unfinished content\"",
                tbd + 3
            ),
            format!(
                "3:{date}-3:{} \"template-placeholder\" \"unfilled template placeholder `[DATE]`\"",
                date + 6
            ),
        ]
    );
    let d = &diags[0];
    assert_eq!(d["source"], "specwright");
    assert_eq!(d["data"]["rule"], "incomplete-marker");
    assert!(
        d["codeDescription"].is_null(),
        "no docs URL configured, no link"
    );
    s.stop();
}

#[test]
fn utf8_is_chosen_when_offered_and_columns_are_bytes() {
    let (mut s, init) = Server::start(
        push_caps(&["utf-8", "utf-16"]),
        json!({ "docs-url": "https://docs.example/rules/" }),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let uri = "file:///tmp/specwright-test/utf8.md";
    s.open(uri, "markdown", NON_ASCII);
    let diags = s.diagnostics(uri, Some(1));
    let line2 = NON_ASCII.split("\r\n").nth(2).unwrap();
    let tbd = line2.find("TBD").unwrap();
    assert_eq!(
        diags[0]["range"]["start"],
        json!({ "line": 2, "character": tbd })
    );
    assert_eq!(
        diags[0]["codeDescription"]["href"],
        "https://docs.example/rules/incomplete-marker.md"
    );
    s.stop();
}

/// Applies an LSP change (UTF-16 positions) to a string, as the client would.
fn apply(text: &str, change: &Value) -> String {
    let offset = |line: u64, ch: u64| {
        let mut off = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i as u64 == line {
                let mut units = 0;
                for (b, c) in l.char_indices() {
                    if units >= ch as usize {
                        return off + b;
                    }
                    units += c.len_utf16();
                }
                return off + l.len();
            }
            off += l.len();
        }
        text.len()
    };
    let r = &change["range"];
    let start = offset(
        r["start"]["line"].as_u64().unwrap(),
        r["start"]["character"].as_u64().unwrap(),
    );
    let end = offset(
        r["end"]["line"].as_u64().unwrap(),
        r["end"]["character"].as_u64().unwrap(),
    );
    format!(
        "{}{}{}",
        &text[..start],
        change["text"].as_str().unwrap(),
        &text[end..]
    )
}

#[test]
fn incremental_edits_give_the_diagnostics_of_a_fresh_open() {
    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    let uri = "file:///tmp/specwright-test/edited.md";
    let mut text = NON_ASCII.to_string();
    s.open(uri, "markdown", &text);
    s.diagnostics(uri, Some(1));
    let changes = [
        // insert after the emoji
        json!({ "range": { "start": { "line": 2, "character": 28 }, "end": { "line": 2, "character": 28 } }, "text": " TODO" }),
        // delete "Título "
        json!({ "range": { "start": { "line": 0, "character": 2 }, "end": { "line": 0, "character": 9 } }, "text": "" }),
        // replace across lines, with CRLF in the new text
        json!({ "range": { "start": { "line": 2, "character": 5 }, "end": { "line": 3, "character": 4 } }, "text": "FR-009**: ✓ FIXME\r\n- **FR-010" }),
        // append a line at the very end
        json!({ "range": { "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 0 } }, "text": "- [NEEDS CLARIFICATION: who owns 🚀?]\r\n" }),
    ];
    for (i, change) in changes.iter().enumerate() {
        text = apply(&text, change);
        s.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": i + 2 }, "contentChanges": [change] }),
        );
    }
    let edited = s.diagnostics(uri, Some(changes.len() as i64 + 1));
    let fresh_uri = "file:///tmp/specwright-test/fresh.md";
    s.open(fresh_uri, "markdown", &text);
    let fresh = s.diagnostics(fresh_uri, Some(1));
    assert_eq!(summary(&edited), summary(&fresh));
    assert!(
        summary(&fresh).iter().any(|d| d.contains("FIXME")),
        "{fresh:?}"
    );
    assert!(
        summary(&fresh).iter().any(|d| d.contains("who owns")),
        "{fresh:?}"
    );
    s.stop();
}

#[test]
fn pull_clients_pull_and_are_never_pushed_to() {
    let caps = json!({
        "general": { "positionEncodings": ["utf-16"] },
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostics": { "refreshSupport": true } }
    });
    let (mut s, init) = Server::start(caps, Value::Null);
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["identifier"],
        "specwright"
    );
    let uri = "file:///tmp/specwright-test/pull.md";
    s.open(uri, "markdown", NON_ASCII);
    let report = s.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"].as_array().unwrap().len(), 2);
    let again = s.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": report["resultId"] }),
    );
    assert_eq!(again["kind"], "unchanged");
    // A round trip later, nothing was pushed.
    s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(
        !s.backlog
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics")
    );
    s.stop();
}

#[test]
fn hover_code_action_symbols_and_commands() {
    let (mut s, init) = Server::start(push_caps(&["utf-16"]), Value::Null);
    let commands = init["capabilities"]["executeCommandProvider"]["commands"].clone();
    assert_eq!(
        commands,
        json!([
            "specwright.adr.index",
            "specwright.adr.list",
            "specwright.adr.new",
            "specwright.adr.setStatus",
            "specwright.adr.supersede",
            "specwright.cancel",
            "specwright.cancelAll",
            "specwright.collectQuestions",
            "specwright.coverage",
            "specwright.decompose",
            "specwright.dispatch",
            "specwright.dispatchReady",
            "specwright.explain",
            "specwright.integrate",
            "specwright.rules",
            "specwright.runs",
            "specwright.showLog",
            "specwright.taskAt",
            "specwright.tasks",
            "specwright.verify",
            "specwright.worktrees.clean"
        ])
    );
    let uri = "file:///tmp/specwright-test/actions.md";
    s.open(uri, "markdown", NON_ASCII);
    let diags = s.diagnostics(uri, Some(1));

    let hover = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": diags[0]["range"]["start"] }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**incomplete-marker**")
            && text.contains("**Question:**")
            && text.contains("## Why is this bad?"),
        "{text}"
    );

    let actions = s.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diags[1]["range"], "context": { "diagnostics": [diags[1]] } }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["documentChanges"][0];
    assert_eq!(edit["textDocument"]["version"], 1);
    let new_text = edit["edits"][0]["newText"].as_str().unwrap();
    assert!(
        new_text.len() == 10 && new_text.as_bytes()[4] == b'-',
        "a date: {new_text}"
    );
    assert_eq!(edit["edits"][0]["range"], diags[1]["range"]);

    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(symbols[0]["name"], "Título 🚀 offline");
    let children: Vec<&str> = symbols[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["FR-001", "FR-002"]);

    let explained = s.request("workspace/executeCommand", json!({ "command": "specwright.explain", "arguments": [{ "rule": "template-placeholder" }] }));
    assert!(
        explained
            .as_str()
            .unwrap()
            .starts_with("# template-placeholder")
    );
    let bad = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.explain", "arguments": [{ "rule": "nope" }] }),
    );
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown rule")
    );

    // The task on a line, and every task of a file, as the server's task model reads them:
    // the editors ask instead of parsing task lines.
    let tasks_uri = "untitled:tasks-at";
    s.open(
        tasks_uri,
        "markdown",
        "# Tasks\n\n- [x] 1. Base\n- [ ]* 1.1 Init\n  - _Requirements: 1.1_\n- [ ] T002 Export (FR-001)\n",
    );
    let at = |s: &mut Server, line: u32, character: u32| {
        s.request(
            "workspace/executeCommand",
            json!({ "command": "specwright.taskAt", "arguments": [{ "uri": tasks_uri, "position": { "line": line, "character": character } }] }),
        )
    };
    let detail = at(&mut s, 4, 6);
    assert_eq!(
        (
            &detail["id"],
            &detail["status"],
            &detail["optional"],
            &detail["parent"]
        ),
        (&json!("1.1"), &json!("open"), &json!(true), &json!("1"))
    );
    assert_eq!(at(&mut s, 0, 2), Value::Null);
    let all = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.tasks", "arguments": [{ "uri": tasks_uri }] }),
    );
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1", "1.1", "T002"]);
    let missing = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.taskAt", "arguments": [{ "uri": tasks_uri }] }),
    );
    assert!(
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .contains("position")
    );
    s.stop();
}

#[test]
fn a_broken_config_is_a_diagnostic_on_the_config_and_edits_to_it_apply_live() {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("specwright.toml");
    let broken = "[rules]\nincomplete-marker = \"loud\"\n[ids\n";
    std::fs::write(&config_path, broken).unwrap();
    let doc_path = dir.path().join("spec.md");
    std::fs::write(&doc_path, "- **FR-001**: Keep drafts for TBD days.\n").unwrap();
    let config_uri = format!("file://{}", config_path.display());
    let doc_uri = format!("file://{}", doc_path.display());

    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    s.open(
        &doc_uri,
        "markdown",
        "- **FR-001**: Keep drafts for TBD days.\n",
    );
    let diags = s.diagnostics(&doc_uri, Some(1));
    assert_eq!(
        summary(&diags).len(),
        1,
        "the valid rest of the config applies: {diags:?}"
    );

    s.open(&config_uri, "toml", broken);
    let config_diags = s.diagnostics(&config_uri, Some(1));
    let messages: Vec<String> = config_diags
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("invalid TOML")),
        "{messages:?}"
    );
    assert!(
        config_diags.iter().any(|d| d["range"]["start"]["line"] == 1
            && d["message"].as_str().unwrap().contains("\"loud\"")),
        "{messages:?}"
    );

    // Turning the rule off in the (unsaved) buffer re-checks the open spec.
    let fixed = "[rules]\nincomplete-marker = \"off\"\n";
    s.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": config_uri, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    assert!(s.diagnostics(&config_uri, Some(2)).is_empty());
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let d = s.diagnostics(&doc_uri, Some(1));
        if d.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "spec was not re-checked after the config edit"
        );
    }
    s.stop();
}

#[test]
fn garbage_on_the_wire_does_not_kill_the_server() {
    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    s.send(json!({ "jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": { "nonsense": true } }));
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": "file:///never-opened.md", "version": 3 }, "contentChanges": [{ "text": "x" }] }));
    let uri = "file:///tmp/specwright-test/after-garbage.md";
    s.open(uri, "markdown", "TBD\n");
    assert_eq!(s.diagnostics(uri, Some(1)).len(), 1);
    s.stop();
}

#[test]
fn clarification_actions_mark_a_finding_and_collect_questions() {
    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    let uri = "file:///tmp/specwright-test/notes/search.md";
    let text = "# Spec\n\n## Requirements\n\n- **FR-001**: Search MUST be fast.\n\n## Out of Scope\n\n- Mobile.\n";
    s.open(uri, "markdown", text);
    let diags = s.diagnostics(uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    let actions = s.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diags[0]["range"], "context": { "diagnostics": [diags[0]] } }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Mark as needing clarification",
            "Collect clarification questions"
        ]
    );
    let mark = &actions[0]["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(mark["range"]["start"], diags[0]["range"]["end"]);
    assert!(
        mark["newText"]
            .as_str()
            .unwrap()
            .starts_with(" [NEEDS CLARIFICATION: 'fast' — what latency")
    );
    let collect = &actions[1]["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(
        collect["newText"],
        "\n\n## Clarifications\n\n### Session 2026-01-15\n\n- Q: 'fast' — what latency or duration, at which percentile, under what load? (line 5) → A: "
    );
    s.stop();
}

#[test]
fn cross_file_navigation_and_coverage_follow_edits() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("specs/001-export");
    std::fs::create_dir_all(&folder).unwrap();
    let spec = "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: The editor MUST export drafts as PDF.\n- **FR-002**: The editor MUST export drafts as Markdown.\n\n## Out of Scope\n\n- Printing.\n";
    let tasks = "# Tasks: Export\n\n- [ ] T001 Implement PDF export (FR-001)\n- [ ] T002 Implement the exporter shell (FR-001)\n";
    std::fs::write(folder.join("spec.md"), spec).unwrap();
    std::fs::write(folder.join("tasks.md"), tasks).unwrap();
    let spec_uri = format!("file://{}", folder.join("spec.md").display());
    let tasks_uri = format!("file://{}", folder.join("tasks.md").display());
    let root = format!("file://{}", dir.path().display());

    let (mut s, init) = Server::start_in(json!(root), push_caps(&["utf-16"]), Value::Null);
    assert_eq!(init["capabilities"]["definitionProvider"], true);
    s.open(&spec_uri, "markdown", spec);
    // The index is built in the background; the spec is re-published once it is complete.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let diags = s.diagnostics(&spec_uri, Some(1));
        if summary(&diags)
            .iter()
            .any(|d| d.contains("FR-002") && d.contains("not covered"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "FR-002 never reported uncovered: {diags:?}"
        );
    }

    s.open(&tasks_uri, "markdown", tasks);
    s.diagnostics(&tasks_uri, Some(1));
    let fr001 = tasks.find("FR-001").unwrap();
    let definition = s.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": tasks_uri }, "position": { "line": 2, "character": tasks.lines().nth(2).unwrap().find("FR-001").unwrap() } }),
    );
    let _ = fr001;
    assert_eq!(definition[0]["uri"], spec_uri);
    assert_eq!(
        definition[0]["range"]["start"],
        json!({ "line": 4, "character": 4 })
    );

    let refs = s.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": spec_uri }, "position": { "line": 4, "character": 5 }, "context": { "includeDeclaration": true } }),
    );
    let mut files: Vec<String> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["uri"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    files.sort();
    assert_eq!(files, ["spec.md", "tasks.md", "tasks.md"]);

    let hover = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": spec_uri }, "position": { "line": 4, "character": 5 } }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**FR-001**") && text.contains("Covered by T001, T002"),
        "{text}"
    );

    let symbols = s.request("workspace/symbol", json!({ "query": "FR-00" }));
    assert_eq!(symbols.as_array().unwrap().len(), 2, "{symbols}");

    let completion = s.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": tasks_uri }, "position": { "line": 2, "character": tasks.lines().nth(2).unwrap().find("FR-001").unwrap() + 4 } }),
    );
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["FR-001", "FR-002"]);

    let lenses = s.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": spec_uri } }),
    );
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["covered by 2 tasks: T001, T002", "not covered by any task"]
    );

    let prepared = s.request(
        "textDocument/prepareRename",
        json!({ "textDocument": { "uri": spec_uri }, "position": { "line": 4, "character": 5 } }),
    );
    assert_eq!(prepared["placeholder"], "FR-001");
    let rename = s.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": spec_uri }, "position": { "line": 4, "character": 5 }, "newName": "FR-101" }),
    );
    let mut edited: Vec<(String, usize)> = rename["documentChanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["textDocument"]["uri"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                c["edits"].as_array().unwrap().len(),
            )
        })
        .collect();
    edited.sort();
    assert_eq!(
        edited,
        [("spec.md".to_string(), 1), ("tasks.md".to_string(), 2)]
    );
    assert!(
        rename["documentChanges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["edits"][0]["newText"] == "FR-101")
    );

    // Covering FR-002 in the tasks buffer clears the finding in the spec.
    s.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": tasks_uri, "version": 2 }, "contentChanges": [{ "text": tasks.replace("shell (FR-001)", "shell (FR-002)") }] }),
    );
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let diags = s.diagnostics(&spec_uri, None);
        if !summary(&diags).iter().any(|d| d.contains("not covered")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the spec was not re-checked after the tasks edit"
        );
    }
    s.stop();
}

/// Requests the server sent (answered by the harness), by method, in order.
fn server_requests(s: &mut Server, method: &str) -> Vec<Value> {
    let mut found = Vec::new();
    s.backlog.retain(|m| {
        if m["method"] == method && m.get("id").is_some() {
            found.push(m["params"].clone());
            false
        } else {
            true
        }
    });
    found
}

/// Applies a `WorkspaceEdit` of CreateFile + whole-text inserts and single-line edits to disk,
/// as an editor would (enough for the edits the ADR actions make).
fn apply_to_disk(edit: &Value) {
    for change in edit["documentChanges"].as_array().unwrap() {
        if change["kind"] == "create" {
            let path = change["uri"]
                .as_str()
                .unwrap()
                .strip_prefix("file://")
                .unwrap();
            assert!(
                !std::path::Path::new(path).exists(),
                "create would overwrite {path}"
            );
            std::fs::write(path, "").unwrap();
            continue;
        }
        let path = change["textDocument"]["uri"]
            .as_str()
            .unwrap()
            .strip_prefix("file://")
            .unwrap()
            .to_string();
        let mut text = std::fs::read_to_string(&path).unwrap();
        let mut edits: Vec<&Value> = change["edits"].as_array().unwrap().iter().collect();
        edits.sort_by_key(|e| {
            std::cmp::Reverse((
                e["range"]["start"]["line"].as_u64(),
                e["range"]["start"]["character"].as_u64(),
            ))
        });
        for e in edits {
            text = apply(&text, &json!({ "range": e["range"], "text": e["newText"] }));
        }
        std::fs::write(&path, text).unwrap();
    }
}

#[test]
fn adr_actions_are_single_workspace_edits_and_citations_navigate() {
    let dir = tempfile::tempdir().unwrap();
    let root_path = dir.path().canonicalize().unwrap();
    let adr_dir = root_path.join("docs/adr");
    let spec_dir = root_path.join("specs/001-drafts");
    std::fs::create_dir_all(&adr_dir).unwrap();
    std::fs::create_dir_all(&spec_dir).unwrap();
    let record = "# 1. Use localStorage for drafts\n\nDate: 2026-01-02\n\n## Status\n\nAccepted\n\n## Context\n\nWriters lose text offline.\n\n## Decision\n\nWe will keep drafts in localStorage. One key per draft.\n\n## Consequences\n\nDrafts are limited to 5 MB.\n";
    let spec = "# Feature Specification: Drafts\n\n## Requirements\n\n- **FR-001**: The editor MUST store drafts as ADR-0001 decides.\n\n## Out of Scope\n\n- Sync.\n";
    let record_path = adr_dir.join("0001-use-localstorage-for-drafts.md");
    std::fs::write(&record_path, record).unwrap();
    std::fs::write(spec_dir.join("spec.md"), spec).unwrap();
    let uri_of = |p: &std::path::Path| format!("file://{}", p.display());
    let record_uri = uri_of(&record_path);
    let spec_uri = uri_of(&spec_dir.join("spec.md"));
    let caps = json!({
        "textDocument": { "publishDiagnostics": {} },
        "workspace": { "applyEdit": true, "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] } },
        "window": { "showDocument": { "support": true } },
        "general": { "positionEncodings": ["utf-16"] }
    });
    let (mut s, init) = Server::start_in(json!(uri_of(&root_path)), caps, Value::Null);
    let commands = init["capabilities"]["executeCommandProvider"]["commands"].clone();
    for c in [
        "specwright.adr.new",
        "specwright.adr.supersede",
        "specwright.adr.setStatus",
        "specwright.adr.index",
        "specwright.adr.list",
    ] {
        assert!(
            commands.as_array().unwrap().contains(&json!(c)),
            "{c} not advertised"
        );
    }
    // Wait until the background index knows the record (the spec's hover needs it).
    s.open(&spec_uri, "markdown", spec);
    let cite = spec.lines().nth(4).unwrap().find("ADR-0001").unwrap();
    let at_cite = json!({ "textDocument": { "uri": spec_uri }, "position": { "line": 4, "character": cite + 2 } });
    let deadline = Instant::now() + TIMEOUT;
    let hover = loop {
        let h = s.request("textDocument/hover", at_cite.clone());
        if h["contents"]["value"]
            .as_str()
            .is_some_and(|t| t.contains("ADR-0001"))
        {
            break h;
        }
        assert!(Instant::now() < deadline, "no ADR hover: {h}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(
        hover["contents"]["value"],
        "**ADR-0001: Use localStorage for drafts**\n\nStatus: Accepted · Date: 2026-01-02\n\n> We will keep drafts in localStorage.\n\n_0001-use-localstorage-for-drafts.md_"
    );
    assert_eq!(
        hover["range"],
        json!({ "start": { "line": 4, "character": cite }, "end": { "line": 4, "character": cite + 8 } })
    );
    let definition = s.request("textDocument/definition", at_cite.clone());
    assert_eq!(
        definition,
        json!([{ "uri": record_uri, "range": { "start": { "line": 0, "character": 2 }, "end": { "line": 0, "character": 32 } } }])
    );
    let refs = s.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": spec_uri }, "position": { "line": 4, "character": cite + 2 }, "context": { "includeDeclaration": true } }),
    );
    let mut ref_uris: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    ref_uris.sort();
    let mut expected = vec![record_uri.as_str(), spec_uri.as_str()];
    expected.sort();
    assert_eq!(ref_uris, expected);

    // Code actions on the record's status line.
    s.open(&record_uri, "markdown", record);
    s.diagnostics(&record_uri, Some(1));
    let actions = s.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": record_uri }, "range": { "start": { "line": 6, "character": 2 }, "end": { "line": 6, "character": 2 } }, "context": { "diagnostics": [] } }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Supersede this ADR",
            "Set ADR status: rejected",
            "Set ADR status: deprecated",
            "Refresh the ADR index"
        ]
    );
    assert_eq!(
        actions[1]["edit"],
        json!({ "documentChanges": [{
            "textDocument": { "uri": record_uri, "version": 1 },
            "edits": [
                { "range": { "start": { "line": 2, "character": 6 }, "end": { "line": 2, "character": 16 } }, "newText": "2026-01-15" },
                { "range": { "start": { "line": 6, "character": 0 }, "end": { "line": 6, "character": 8 } }, "newText": "Rejected" }
            ]
        }] })
    );

    // Supersede: the successor and the old record's status, in one WorkspaceEdit.
    let result = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.adr.supersede", "arguments": [{ "uri": record_uri, "title": "Use IndexedDB for drafts" }] }),
    );
    let new_path = adr_dir.join("0002-use-indexeddb-for-drafts.md");
    let new_uri = uri_of(&new_path);
    assert_eq!(result["applied"], true, "{result}");
    assert_eq!(result["uri"], new_uri);
    let edits = server_requests(&mut s, "workspace/applyEdit");
    assert_eq!(edits.len(), 1);
    let new_text = "# 2. Use IndexedDB for drafts\n\nDate: 2026-01-15\n\n## Status\n\nAccepted\n\nSupersedes [1. Use localStorage for drafts](0001-use-localstorage-for-drafts.md)\n\n## Context\n\n{What is the issue that motivates this decision, and what forces are at play?}\n\n## Decision\n\n{What we will do, stated in full sentences: \"We will …\".}\n\n## Consequences\n\n{What becomes easier or harder because of this decision, and what risks it brings.}\n";
    assert_eq!(
        edits[0]["edit"],
        json!({ "documentChanges": [
            { "kind": "create", "uri": new_uri, "options": { "overwrite": false, "ignoreIfExists": false } },
            { "textDocument": { "uri": new_uri, "version": null }, "edits": [
                { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "newText": new_text }
            ] },
            { "textDocument": { "uri": record_uri, "version": 1 }, "edits": [
                { "range": { "start": { "line": 6, "character": 0 }, "end": { "line": 6, "character": 8 } },
                  "newText": "Superseded by [2. Use IndexedDB for drafts](0002-use-indexeddb-for-drafts.md)" }
            ] }
        ] })
    );
    let shown = server_requests(&mut s, "window/showDocument");
    assert_eq!(
        shown,
        [json!({ "uri": new_uri, "external": false, "takeFocus": true })]
    );
    apply_to_disk(&edits[0]["edit"]);
    // The editor sends the record's new text; the spec now cites a superseded record.
    let updated = std::fs::read_to_string(&record_path).unwrap();
    s.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": record_uri, "version": 2 }, "contentChanges": [{ "text": updated }] }),
    );
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": new_uri, "type": 1 }] }),
    );
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let diags = s.diagnostics(&spec_uri, None);
        if summary(&diags)
            .iter()
            .any(|d| d.contains("superseded by ADR-0002"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "spec never saw the supersede: {diags:?}"
        );
    }

    // New record and the index.
    let result = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.adr.new", "arguments": [{ "title": "Merge edits with CRDTs" }] }),
    );
    assert_eq!(
        result["uri"],
        uri_of(&adr_dir.join("0003-merge-edits-with-crdts.md")),
        "{result}"
    );
    let edits = server_requests(&mut s, "workspace/applyEdit");
    apply_to_disk(&edits[0]["edit"]);
    s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.adr.index", "arguments": [{ "uri": record_uri }] }),
    );
    let edits = server_requests(&mut s, "workspace/applyEdit");
    apply_to_disk(&edits[0]["edit"]);
    let readme = std::fs::read_to_string(adr_dir.join("README.md")).unwrap();
    assert!(readme.contains("| [0001](0001-use-localstorage-for-drafts.md) | Use localStorage for drafts | Superseded by [ADR-0002](0002-use-indexeddb-for-drafts.md) | 2026-01-02 |"), "{readme}");
    assert!(readme.contains("| [0003](0003-merge-edits-with-crdts.md) | Merge edits with CRDTs | Proposed | 2026-01-15 |"), "{readme}");
    let list = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.adr.list", "arguments": [{}] }),
    );
    assert_eq!(list["records"].as_array().unwrap().len(), 3, "{list}");
    let bad = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.adr.setStatus", "arguments": [{ "uri": record_uri, "status": "finished" }] }),
    );
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not in the lifecycle"),
        "{bad}"
    );
    s.stop();
}

#[test]
fn decompose_is_one_workspace_edit_that_creates_the_tasks_file() {
    let dir = tempfile::tempdir().unwrap();
    let root_path = dir.path().canonicalize().unwrap();
    let folder = root_path.join("specs/001-export");
    std::fs::create_dir_all(&folder).unwrap();
    let spec = "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: The editor MUST export a draft as PDF through `src/export/pdf.rs`.\n- **FR-002**: The settings page MUST let a writer pick the paper size.\n  - Touches: src/settings/**\n\n## Out of Scope\n\n- Printing.\n";
    std::fs::write(folder.join("spec.md"), spec).unwrap();
    let spec_uri = format!("file://{}", folder.join("spec.md").display());
    let tasks_path = folder.join("tasks.md");
    let tasks_uri = format!("file://{}", tasks_path.display());
    let caps = json!({
        "textDocument": { "publishDiagnostics": {} },
        "workspace": { "applyEdit": true, "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] } },
        "window": { "showDocument": { "support": true } },
        "general": { "positionEncodings": ["utf-16"] }
    });
    let (mut s, _) = Server::start_in(
        json!(format!("file://{}", root_path.display())),
        caps,
        Value::Null,
    );
    s.open(&spec_uri, "markdown", spec);
    s.diagnostics(&spec_uri, Some(1));
    let on_heading = json!({ "textDocument": { "uri": spec_uri }, "range": { "start": { "line": 2, "character": 4 }, "end": { "line": 2, "character": 4 } }, "context": { "diagnostics": [], "only": ["refactor"] } });
    let actions = s.request("textDocument/codeAction", on_heading.clone());
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(
        actions[0]["title"],
        "Decompose into tasks: 2 new, 0 updated (Requirements)"
    );
    assert_eq!(actions[0]["kind"], "refactor");
    let text = "# Tasks: Export\n\n## Phase 1: Requirements\n\n- [ ] T001 [P] Export a draft as PDF through src/export/pdf.rs (FR-001) <!-- sw:FR1#8e1e5d4d -->\n  - Boundary: src/export/pdf.rs\n- [ ] T002 [P] Ensure the settings page lets a writer pick the paper size (FR-002) <!-- sw:FR2#872035dd -->\n  - Boundary: src/settings/**\n";
    assert_eq!(
        actions[0]["edit"],
        json!({ "documentChanges": [
            { "kind": "create", "uri": tasks_uri, "options": { "overwrite": false, "ignoreIfExists": false } },
            { "textDocument": { "uri": tasks_uri, "version": null }, "edits": [
                { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "newText": text }
            ] }
        ] })
    );
    // The command does the same through workspace/applyEdit and shows the tasks file.
    let result = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.decompose", "arguments": [{ "uri": spec_uri, "section": "requirements" }] }),
    );
    assert_eq!(result["applied"], true, "{result}");
    assert_eq!(result["created"], json!(["T001", "T002"]));
    let edits = server_requests(&mut s, "workspace/applyEdit");
    assert_eq!(edits[0]["edit"], actions[0]["edit"]);
    assert_eq!(
        server_requests(&mut s, "window/showDocument"),
        [json!({ "uri": tasks_uri, "external": false, "takeFocus": true })]
    );
    apply_to_disk(&edits[0]["edit"]);
    assert_eq!(std::fs::read_to_string(&tasks_path).unwrap(), text);
    // Up to date: nothing to offer, and the command changes nothing.
    let actions = s.request("textDocument/codeAction", on_heading);
    assert_eq!(actions, json!([]));
    let result = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.decompose", "arguments": [{ "uri": spec_uri }] }),
    );
    assert_eq!(result["unchanged"], json!(["T001", "T002"]), "{result}");
    s.stop();
}

#[test]
fn semantic_tokens_mark_the_spec_vocabulary_in_utf16() {
    let (mut s, init) = Server::start(push_caps(&["utf-16"]), Value::Null);
    let legend = &init["capabilities"]["semanticTokensProvider"]["legend"];
    assert_eq!(
        legend["tokenTypes"],
        json!(["keyword", "operator", "variable", "comment", "enumMember"])
    );
    let uri = "file:///tmp/specwright-test/tokens/spec.md";
    let text = "# Spec\n\n## Requirements\n\n- **FR-001**: 🙂 The editor MUST save. See FR-002 [NEEDS CLARIFICATION: which\nkey?]\n";
    s.open(uri, "markdown", text);
    s.diagnostics(uri, Some(1));
    let tokens = s.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    // Decode to (line, start, length, type, modifiers).
    let (mut line, mut start) = (0, 0);
    let mut decoded = Vec::new();
    for t in data.chunks(5) {
        line += t[0];
        start = if t[0] == 0 { start + t[1] } else { t[1] };
        decoded.push((line, start, t[2], t[3], t[4]));
    }
    let row = "- **FR-001**: 🙂 The editor MUST save. See FR-002 [NEEDS CLARIFICATION: which";
    let col = |s: &str| utf16_len(&row[..row.find(s).unwrap()]) as u64;
    assert_eq!(
        decoded,
        [
            (4, col("FR-001"), 6, 2, 1),
            (4, col("MUST"), 4, 0, 0),
            (4, col("FR-002"), 6, 2, 0),
            (
                4,
                col("[NEEDS"),
                utf16_len("[NEEDS CLARIFICATION: which") as u64,
                3,
                0
            ),
            (5, 0, 5, 3, 0),
        ]
    );
    s.stop();
}

#[test]
fn dispatch_reports_progress_checkboxes_and_violations_on_task_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::dispatch_repo(tmp.path(), "0.3");
    let trust = tmp.path().join("trust");
    let tasks = root.join("specs/001-sessions/tasks.md");
    let uri = format!("file://{}", tasks.display());
    let caps = json!({
        "window": { "workDoneProgress": true, "showMessage": {} },
        "workspace": { "applyEdit": true, "workspaceEdit": { "documentChanges": true },
                       "codeLens": { "refreshSupport": true } },
        "general": { "positionEncodings": ["utf-16"] }
    });
    let (mut s, init) = Server::start_env(
        json!(format!("file://{}", root.display())),
        caps.clone(),
        json!({ "trusted": true }),
        &[("SPECWRIGHT_CONFIG_DIR", &trust)],
    );
    let commands = init["capabilities"]["executeCommandProvider"]["commands"].clone();
    assert!(
        commands
            .as_array()
            .unwrap()
            .contains(&json!("specwright.dispatch"))
    );
    let text = std::fs::read_to_string(&tasks).unwrap();
    s.open(&uri, "markdown", &text);
    s.diagnostics(&uri, Some(1));

    // Every open task has a "Dispatch" lens.
    let lenses = s.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": uri } }),
    );
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["▶ Dispatch"; 3]);

    let started = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.dispatch", "arguments": [{ "uri": uri }] }),
    );
    assert_eq!(started["started"], true, "{started}");
    assert_eq!(started["tasks"], json!(["T001", "T003", "T002"]));
    let run = started["run"].as_str().unwrap().to_string();
    let asked = server_requests(&mut s, "window/showMessageRequest");
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0]["message"]
            .as_str()
            .unwrap()
            .contains("agent `fake`: python3"),
        "{asked:?}"
    );

    // Wait for the completion message, gathering progress on the way.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut progress = Vec::new();
    let done = loop {
        let msg = s.receive(deadline).expect("the run ends");
        if msg["method"] == "$/progress" {
            progress.push(msg["params"]["value"].clone());
        } else if msg["method"] == "window/showMessage"
            && msg["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains(&format!("run {run}"))
        {
            break msg["params"]["message"].as_str().unwrap().to_string();
        } else {
            s.backlog.push(msg);
        }
    };
    assert_eq!(
        done,
        format!("Specwright: run {run}: 2/3 passed; T003 boundary-violated")
    );
    assert_eq!(progress.first().unwrap()["kind"], "begin");
    assert_eq!(
        progress.first().unwrap()["title"],
        "Dispatch T001, T003, T002"
    );
    assert!(
        progress
            .iter()
            .any(|p| p["kind"] == "report"
                && p["message"].as_str().unwrap().starts_with("1/3 done · ")),
        "{progress:?}"
    );
    assert_eq!(progress.last().unwrap()["kind"], "end");
    assert_eq!(progress.last().unwrap()["message"], "2/3 passed");

    // The passed tasks' boxes are ticked through the editor, on their own lines.
    let edits = server_requests(&mut s, "workspace/applyEdit");
    let ticked: Vec<(u64, String)> = edits
        .iter()
        .flat_map(|e| e["edit"]["documentChanges"].as_array().unwrap().clone())
        .flat_map(|c| c["edits"].as_array().unwrap().clone())
        .map(|e| {
            (
                e["range"]["start"]["line"].as_u64().unwrap(),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let line_of = |id: &str| text.lines().position(|l| l.contains(id)).unwrap() as u64;
    let mut ticked_sorted = ticked.clone();
    ticked_sorted.sort();
    assert_eq!(
        ticked_sorted,
        vec![(line_of("T001"), "x".into()), (line_of("T002"), "x".into())]
    );

    // The violation is a diagnostic on T003's line.
    let deadline = Instant::now() + Duration::from_secs(20);
    let diags = loop {
        let d = s.diagnostics(&uri, None);
        if !d.is_empty() || Instant::now() > deadline {
            break d;
        }
    };
    let d = diags
        .iter()
        .find(|d| d["code"] == "dispatch/boundary-violated")
        .expect("a violation");
    assert_eq!(
        d["range"]["start"]["line"].as_u64().unwrap(),
        line_of("T003")
    );
    assert_eq!(
        d["message"],
        format!(
            "T003 changed docs/outside-T003.txt, outside its boundary src/token/** (run {run})"
        )
    );
    let lenses = s.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": uri } }),
    );
    let titles: Vec<String> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap().to_string())
        .collect();
    assert!(
        titles.contains(&"boundary-violated · Show log".to_string()),
        "{titles:?}"
    );

    // The user's checkout: the buffer is the editor's to save, the run records are excluded.
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&status.stdout), "");
    s.stop();

    // An untrusted workspace dispatches nothing.
    let (mut s, _) = Server::start_env(
        json!(format!("file://{}", root.display())),
        caps,
        json!({ "trusted": false }),
        &[("SPECWRIGHT_CONFIG_DIR", &trust)],
    );
    let refused = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.dispatch", "arguments": [{ "uri": uri, "task": "T003" }] }),
    );
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not trusted"),
        "{refused}"
    );
    s.stop();
}

#[test]
fn agents_do_not_outlive_the_server() {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::dispatch_repo(tmp.path(), "0.1");
    let trust = tmp.path().join("trust");
    let log = tmp.path().join("agent.log");
    let tasks = root.join("specs/001-sessions/tasks.md");
    let mut text = std::fs::read_to_string(&tasks).unwrap();
    text.push_str("- [ ] T004 Hang forever (FR-001)\n  - Boundary: src/session/**\n");
    std::fs::write(&tasks, &text).unwrap();
    let uri = format!("file://{}", tasks.display());
    let (mut s, _) = Server::start_env(
        json!(format!("file://{}", root.display())),
        push_caps(&["utf-16"]),
        json!({ "trusted": true }),
        &[("SPECWRIGHT_CONFIG_DIR", &trust), ("FAKE_AGENT_LOG", &log)],
    );
    let started = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.dispatch", "arguments": [{ "uri": uri, "task": "T004" }] }),
    );
    assert_eq!(started["started"], true, "{started}");
    let pids = common::wait_for_pids(&tmp.path().join("agent.log.pids"), 2);
    s.stop();
    for p in pids {
        assert!(!common::alive(p), "agent process {p} outlived the server");
    }
    let run = std::fs::read_dir(root.join(".specwright/runs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let result = std::fs::read_to_string(run.path().join("T004/result.json")).unwrap();
    assert!(result.contains("\"outcome\": \"cancelled\""), "{result}");
}

/// Diagnostics with their rule, as `summary` prints them, keeping only the rules re-run part by
/// part (`Rule::local`).
fn local_summary(diags: &[Value]) -> Vec<String> {
    let local: Vec<Value> = diags
        .iter()
        .filter(|d| {
            d["code"]
                .as_str()
                .and_then(specwright_core::rules::find)
                .is_some_and(|r| r.local())
        })
        .cloned()
        .collect();
    summary(&local)
}

#[test]
fn large_documents_answer_edits_by_part_and_settle_to_the_whole_analysis() {
    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    let uri = "file:///tmp/specwright-test/specs/009-large/spec.md";
    let spec = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/spec-kit/specs/001-offline-drafts/spec.md"),
    )
    .unwrap();
    // Over `incremental::MIN_SIZE`: edits are answered by re-analysing the part they touch.
    let mut text = String::new();
    let mut copy = 0;
    while text.len() < 300 << 10 {
        text.push_str(&spec.replacen("# Feature Specification", &format!("# Copy {copy}:"), 1));
        text.push('\n');
        copy += 1;
    }
    s.open(uri, "markdown", &text);
    s.diagnostics(uri, Some(1));
    // Type ", fast" at the end of an FR line in the middle copy, one keystroke at a time.
    let middle = text[..text.len() / 2].matches('\n').count();
    let (line, content) = text
        .lines()
        .enumerate()
        .skip(middle)
        .find(|(_, l)| l.starts_with("- **FR-002**"))
        .unwrap();
    let end = utf16_len(content.trim_end_matches('.'));
    let mut version = 1;
    let mut quick = Vec::new();
    for (at, ch) in (end..).zip([",", " ", "f", "a", "s", "t"]) {
        version += 1;
        let change = json!({ "range": { "start": { "line": line, "character": at }, "end": { "line": line, "character": at } }, "text": ch });
        text = apply(&text, &change);
        s.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
        );
        // Every keystroke is answered, part by part.
        quick = s.diagnostics(uri, Some(version));
    }
    // Typing paused: the whole document is analysed and published again, same version.
    let settled = s.diagnostics(uri, Some(version));
    assert!(
        summary(&quick)
            .iter()
            .any(|d| d.starts_with(&format!("{line}:")) && d.contains("vague-term")),
        "the word typed is flagged at once: {:?}",
        summary(&quick)
    );
    assert_eq!(local_summary(&quick), local_summary(&settled));
    let fresh_uri = "file:///tmp/specwright-test/specs/010-large/spec.md";
    s.open(fresh_uri, "markdown", &text);
    let fresh = s.diagnostics(fresh_uri, Some(1));
    assert_eq!(summary(&settled), summary(&fresh));
    s.stop();
}

#[test]
fn a_flood_of_edits_to_a_large_document_ends_in_the_whole_analysis_of_the_last() {
    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    let uri = "file:///tmp/specwright-test/specs/011-flood/spec.md";
    let spec = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/spec-kit/specs/001-offline-drafts/spec.md"),
    )
    .unwrap();
    let mut text = String::new();
    let mut copy = 0;
    while text.len() < 300 << 10 {
        text.push_str(&spec.replacen("# Feature Specification", &format!("# Copy {copy}:"), 1));
        text.push('\n');
        copy += 1;
    }
    s.open(uri, "markdown", &text);
    s.diagnostics(uri, Some(1));
    // 400 keystrokes sent without waiting, spread over the document's lines.
    let lines = text.lines().count();
    let mut version = 1;
    for k in 0..400 {
        version += 1;
        let line = (k * 7919) % lines;
        let change = json!({ "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 0 } }, "text": if k % 5 == 4 { "\n" } else { "x" } });
        text = apply(&text, &change);
        s.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
        );
    }
    // The last version is answered: by part, with its whole analysis once typing stops, or
    // (when the edit needed it) by a whole analysis at once.
    let first = s.diagnostics(uri, Some(version));
    let settled = s
        .diagnostics_within(uri, Some(version), Duration::from_secs(10))
        .unwrap_or(first);
    let fresh_uri = "file:///tmp/specwright-test/specs/012-flood/spec.md";
    s.open(fresh_uri, "markdown", &text);
    assert_eq!(
        summary(&settled),
        summary(&s.diagnostics(fresh_uri, Some(1)))
    );
    s.stop();
}

#[test]
fn protocol_abuse_is_answered_and_survived() {
    let mut s = Server::spawn(&[]);
    // A request before `initialize`: the protocol's ServerNotInitialized.
    let early = s.request("textDocument/hover", json!({ "textDocument": { "uri": "file:///x.md" }, "position": { "line": 0, "character": 0 } }));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    s.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": push_caps(&["utf-16"]), "initializationOptions": { "rule-set": "all" } }),
    );
    s.notify("initialized", json!({}));
    // Malformed JSON, a request that is not JSON-RPC (answered with an error for its id), a
    // header without a length and a length too short for its body: none may stop the server.
    s.raw(b"Content-Length: 9\r\n\r\n{not json");
    let invalid = s.request("textDocument/hover", json!("not params"));
    assert!(invalid.get("error").is_some(), "{invalid}");
    // Not JSON: ParseError with a null id. No `jsonrpc`: InvalidRequest for its id.
    let garbled = s
        .backlog
        .iter()
        .find(|m| m["id"].is_null() && m.get("error").is_some())
        .cloned();
    assert_eq!(
        garbled.as_ref().map(|m| m["error"]["code"].clone()),
        Some(json!(-32700)),
        "{:?}",
        s.backlog
    );
    s.send(json!({ "id": 77, "method": "textDocument/hover", "params": {} }));
    let deadline = Instant::now() + TIMEOUT;
    let no_version = loop {
        let m = s.receive(deadline).expect("an answer for id 77");
        if m["id"] == 77 {
            break m;
        }
        s.backlog.push(m);
    };
    assert_eq!(no_version["error"]["code"], -32600, "{no_version}");
    s.raw(b"X-Nonsense: 1\r\n\r\n");
    s.raw(b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"$/nothing\"}");
    // Unknown method: MethodNotFound; a `$/` request too, as LSP 3.17 requires.
    let unknown = s.request("specwright/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let dollar = s.request("$/specwright/unknown", json!({}));
    assert_eq!(dollar["error"]["code"], -32601, "{dollar}");
    // Edits to a document never opened are ignored.
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": "file:///tmp/specwright-test/ghost.md", "version": 2 }, "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "x" }] }));
    let uri = "file:///tmp/specwright-test/abuse.md";
    let mut text = "# Spec\n\n- The system MUST respond fast.\n".to_string();
    s.open(uri, "markdown", &text);
    assert_eq!(s.diagnostics(uri, Some(1)).len(), 1);
    // A range past the end is clamped to the end.
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "range": { "start": { "line": 99, "character": 5 }, "end": { "line": 120, "character": 0 } }, "text": "TBD\n" }] }));
    text.push_str("TBD\n");
    let after = s.diagnostics(uri, Some(2));
    assert!(
        summary(&after).iter().any(|d| d.starts_with("3:0-3:3")),
        "{after:?}"
    );
    // A version that goes backwards is still applied and answered.
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": 1 }, "contentChanges": [{ "text": text }] }));
    s.diagnostics(uri, Some(1));
    // A flood of 10,000 edits: the last version is answered, with the text it should have.
    let mut version = 2;
    for k in 0..10_000 {
        version += 1;
        let ch = if k % 2 == 0 { "a" } else { " " };
        s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": { "start": { "line": 4, "character": k }, "end": { "line": 4, "character": k } }, "text": ch }] }));
        text.push_str(ch);
    }
    let flooded = s.diagnostics(uri, Some(version));
    // Text JSON cannot carry into a string — a lone surrogate escape, bytes that are not UTF-8 —
    // costs one character (U+FFFD), never the session or the document's sync.
    let lone = "file:///tmp/specwright-test/lone.md";
    for body in [
        format!(r##"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{lone}","languageId":"markdown","version":1,"text":"# Spec\n\n- The system MUST be fast \ud800 TBD.\n"}}}}}}"##).into_bytes(),
        [&br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///tmp/specwright-test/lone.md","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":6},"end":{"line":0,"character":6}},"text":"x"#[..], b"\xff", br#""}]}}"#].concat(),
    ] {
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(&body);
        s.raw(&framed);
    }
    let repaired = s.diagnostics(lone, Some(2));
    assert!(
        summary(&repaired)
            .iter()
            .any(|d| d.starts_with("2:28-2:31")),
        "the TBD after the repaired character is still found where the client has it: {repaired:?}"
    );
    let fresh = "file:///tmp/specwright-test/abuse-fresh.md";
    s.open(fresh, "markdown", &text);
    assert_eq!(summary(&flooded), summary(&s.diagnostics(fresh, Some(1))));
    // And it still shuts down cleanly.
    assert!(s.request("shutdown", Value::Null).is_null());
    s.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// LSP 3.17 `exit`: "The server should exit with success code 0 if the shutdown request has
/// been received before; otherwise with error code 1."
#[test]
fn exit_without_shutdown_ends_with_code_1() {
    let wait = |s: &mut Server| {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = s.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    s.notify("exit", Value::Null);
    assert_eq!(
        wait(&mut s),
        Some(1),
        "exit after initialize, without shutdown"
    );
    let mut early = Server::spawn(&[]);
    early.notify("exit", Value::Null);
    assert_eq!(wait(&mut early), Some(1), "exit before initialize");
    // A registration the client never answers (it is gone) does not keep the server alive.
    let mut s = Server::spawn(&[]);
    s.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": { "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } } }),
    );
    s.notify("initialized", json!({}));
    s.send(json!({ "jsonrpc": "2.0", "id": 99, "method": "shutdown" }));
    s.notify("exit", Value::Null);
    assert_eq!(wait(&mut s), Some(0), "shutdown, then exit at once");
}

/// File watchers are registered only with clients that offer dynamic registration for them
/// (Neovim 0.11 on Linux does not), and registering never holds up the session.
#[test]
fn watchers_are_registered_only_where_the_client_offers_it() {
    let registered = |caps: Value| {
        let (mut s, _) = Server::start(caps, Value::Null);
        // The registration goes out right after `initialized`; a second is plenty to see it.
        let deadline = Instant::now() + Duration::from_secs(1);
        let asked = loop {
            if s.backlog
                .iter()
                .any(|m| m["method"] == "client/registerCapability")
            {
                break true;
            }
            if Instant::now() >= deadline {
                break false;
            }
            let _ = s.receive(Instant::now() + Duration::from_millis(50));
        };
        s.stop();
        asked
    };
    assert!(
        !registered(push_caps(&["utf-16"])),
        "no workspace capabilities"
    );
    assert!(!registered(
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": false } } })
    ));
    assert!(registered(
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } })
    ));
}

/// A client that offers nothing back (no applyEdit, showDocument, configuration or
/// documentChanges, as the minimal profile of an independent client): the server uses none of
/// them, its edits come as plain `changes`, and offering an action never creates a file.
#[test]
fn a_client_that_offers_nothing_is_asked_for_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root_path = dir.path().canonicalize().unwrap();
    let folder = root_path.join("specs/001-export");
    std::fs::create_dir_all(&folder).unwrap();
    let spec = "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: The editor MUST export a draft as PDF through `src/export/pdf.rs` within TBD seconds.\n\n## Out of Scope\n\n- Printing.\n";
    std::fs::write(folder.join("spec.md"), spec).unwrap();
    let spec_uri = format!("file://{}", folder.join("spec.md").display());
    let caps = json!({ "general": { "positionEncodings": ["utf-16"] } });
    let (mut s, _) = Server::start_in(
        json!(format!("file://{}", root_path.display())),
        caps,
        Value::Null,
    );
    s.open(&spec_uri, "markdown", spec);
    let diags = s.diagnostics(&spec_uri, Some(1));
    // Offering "Decompose into tasks" creates nothing: it is a command, run only when picked.
    let on_heading = json!({ "textDocument": { "uri": spec_uri }, "range": { "start": { "line": 2, "character": 4 }, "end": { "line": 2, "character": 4 } }, "context": { "diagnostics": [], "only": ["refactor"] } });
    let actions = s.request("textDocument/codeAction", on_heading);
    let decompose = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Decompose"))
        })
        .unwrap_or_else(|| panic!("{actions}"));
    assert!(decompose.get("edit").is_none(), "{decompose}");
    assert_eq!(decompose["command"]["command"], "specwright.decompose");
    assert!(
        !folder.join("tasks.md").exists(),
        "offering an action wrote a file"
    );
    // Picked, it says why it cannot apply, and still writes nothing.
    let result = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.decompose", "arguments": decompose["command"]["arguments"] }),
    );
    assert!(
        result["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("workspace.applyEdit")),
        "{result}"
    );
    assert!(!folder.join("tasks.md").exists());
    // A quick fix's edit is a plain `changes` map.
    let tbd = diags
        .iter()
        .find(|d| d["code"] == "incomplete-marker")
        .cloned()
        .unwrap_or_else(|| panic!("{diags:?}"));
    let fixes = s.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": spec_uri }, "range": tbd["range"], "context": { "diagnostics": [tbd] } }),
    );
    let with_edit: Vec<&Value> = fixes
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a.get("edit").is_some())
        .collect();
    assert!(!with_edit.is_empty(), "{fixes}");
    for a in with_edit {
        assert!(a["edit"].get("documentChanges").is_none(), "{a}");
        assert!(a["edit"]["changes"][spec_uri.as_str()].is_array(), "{a}");
    }
    let collect = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.collectQuestions", "arguments": [{ "uri": spec_uri }] }),
    );
    assert_eq!(collect["applied"], false, "{collect}");
    for method in [
        "workspace/applyEdit",
        "window/showDocument",
        "workspace/configuration",
        "client/registerCapability",
    ] {
        assert!(
            server_requests(&mut s, method).is_empty(),
            "{method} was sent to a client that did not offer it"
        );
    }
    s.stop();
}

/// A document whose analysis takes long holds up requests on it, never requests on another:
/// with eight hovers pending on a large paragraph, a hover on a small document is answered
/// first.
#[test]
fn requests_on_a_slow_document_do_not_stall_another() {
    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    let small = "file:///w/small.md";
    s.open(
        small,
        "markdown",
        "# Spec\n\n- **FR-001**: The system SHOULD be fast.\n",
    );
    s.diagnostics(small, Some(1));
    let big = "file:///w/big.md";
    let paragraph =
        "The system shall respond quickly and appropriately, and it may use caches. ".repeat(4_000);
    s.open(big, "markdown", &format!("# Big\n\n{paragraph}\n"));
    let hover = |uri: &str| json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 20 } });
    let mut big_ids = Vec::new();
    for _ in 0..8 {
        let id = s.next_id;
        s.next_id += 1;
        s.send(json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": hover(big) }));
        big_ids.push(json!(id));
    }
    let small_id = json!(s.next_id);
    s.next_id += 1;
    s.send(json!({ "jsonrpc": "2.0", "id": small_id, "method": "textDocument/hover", "params": hover(small) }));
    let deadline = Instant::now() + TIMEOUT;
    let mut order = Vec::new();
    while order.len() < 9 {
        let msg = s.receive(deadline).expect("every hover is answered");
        if let Some(id) = msg.get("id").filter(|_| msg.get("method").is_none()) {
            order.push(id.clone());
        } else {
            s.backlog.push(msg);
        }
    }
    assert_eq!(order[0], small_id, "answers came in the order {order:?}");
    s.stop();
}

/// Pull diagnostics follow edits to other files of the folder: deleting the task that covers
/// FR-001 from tasks.md makes the next pull of spec.md a full report naming FR-001, and the
/// server asks a client that supports it to pull again.
#[test]
fn pulled_diagnostics_of_a_spec_follow_edits_to_its_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("specs/001-export");
    std::fs::create_dir_all(&folder).unwrap();
    let spec = "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: The editor MUST export drafts as PDF.\n- **FR-002**: The editor MUST export drafts as Markdown.\n\n## Out of Scope\n\n- Printing.\n";
    let tasks = "# Tasks: Export\n\n- [ ] T001 Implement PDF export (FR-001)\n- [ ] T002 Implement Markdown export (FR-002)\n";
    std::fs::write(folder.join("spec.md"), spec).unwrap();
    std::fs::write(folder.join("tasks.md"), tasks).unwrap();
    let spec_uri = format!("file://{}", folder.join("spec.md").display());
    let tasks_uri = format!("file://{}", folder.join("tasks.md").display());
    let root = format!("file://{}", dir.path().display());
    let caps = json!({
        "general": { "positionEncodings": ["utf-16"] },
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostics": { "refreshSupport": true } }
    });
    let (mut s, _) = Server::start_in(json!(root), caps, Value::Null);
    s.open(&spec_uri, "markdown", spec);
    s.open(&tasks_uri, "markdown", tasks);
    let pull = |s: &mut Server, previous: &Value| {
        s.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": spec_uri }, "previousResultId": previous }),
        )
    };
    // Until the workspace index is complete the spec may be pulled more than once.
    let deadline = Instant::now() + TIMEOUT;
    let mut report = pull(&mut s, &Value::Null);
    while report["kind"] != "full"
        || summary(report["items"].as_array().unwrap())
            .iter()
            .any(|d| d.contains("not covered"))
    {
        assert!(Instant::now() < deadline, "{report}");
        std::thread::sleep(Duration::from_millis(100));
        report = pull(&mut s, &Value::Null);
    }
    // Refreshes asked for so far (while the index was built) are set aside.
    server_requests(&mut s, "workspace/diagnostic/refresh");
    let without_t001 = "# Tasks: Export\n\n- [ ] T002 Implement Markdown export (FR-002)\n";
    s.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": tasks_uri, "version": 2 }, "contentChanges": [{ "text": without_t001 }] }),
    );
    // The tasks file's own pull, as a client does after its edit.
    s.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": tasks_uri } }),
    );
    let deadline = Instant::now() + TIMEOUT;
    let mut again = pull(&mut s, &report["resultId"]);
    while again["kind"] != "full"
        || !summary(again["items"].as_array().unwrap())
            .iter()
            .any(|d| d.contains("FR-001") && d.contains("not covered"))
    {
        assert!(
            Instant::now() < deadline,
            "spec.md still answers {again} after FR-001's task was deleted"
        );
        std::thread::sleep(Duration::from_millis(100));
        again = pull(&mut s, &report["resultId"]);
    }
    assert!(
        !server_requests(&mut s, "workspace/diagnostic/refresh").is_empty(),
        "no workspace/diagnostic/refresh was sent"
    );
    s.stop();
}

/// A document that is not a file (`untitled:`) renames its own mentions of an id.
#[test]
fn an_untitled_document_renames_its_own_mentions() {
    let (mut s, _) = Server::start(push_caps(&["utf-16"]), Value::Null);
    let uri = "untitled:Untitled-1";
    let text = "# Spec\n\n- **FR-001**: The editor MUST export drafts.\n- FR-002: See FR-001 for the format.\n";
    s.open(uri, "markdown", text);
    s.diagnostics(uri, Some(1));
    let at = json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 5 } });
    let prepared = s.request("textDocument/prepareRename", at.clone());
    assert_eq!(prepared["placeholder"], "FR-001", "{prepared}");
    let mut params = at;
    params["newName"] = json!("FR-010");
    let edit = s.request("textDocument/rename", params);
    let edits = &edit["documentChanges"][0]["edits"];
    assert_eq!(
        edit["documentChanges"][0]["textDocument"]["uri"], uri,
        "{edit}"
    );
    assert_eq!(edits.as_array().map(Vec::len), Some(2), "{edit}");
    assert!(
        edits
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["newText"] == "FR-010")
    );
    s.stop();
}

/// A value that contradicts another points at it (relatedInformation, to clients that take it)
/// and offers to align with it.
#[test]
fn a_contradicting_value_points_at_the_other_and_offers_to_align() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.md");
    let text = "# Implementation Plan: Drafts\n\n## Summary\n\nLocal saves are debounced: the save debounce is 500 ms.\nThe queue writes each change with a save debounce of 250 ms.\n";
    std::fs::write(&plan, text).unwrap();
    let uri = format!("file://{}", plan.display());
    let mut caps = push_caps(&["utf-16"]);
    caps["textDocument"] = json!({ "publishDiagnostics": { "relatedInformation": true } });
    let (mut s, _) = Server::start_in(
        json!(format!("file://{}", dir.path().display())),
        caps,
        Value::Null,
    );
    s.open(&uri, "markdown", text);
    let diags = s.diagnostics(&uri, None);
    let d = diags
        .iter()
        .find(|d| d["code"] == "conflicting-value")
        .unwrap_or_else(|| panic!("{diags:#?}"))
        .clone();
    assert_eq!(d["range"]["start"]["line"], 5, "{d}");
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri.as_str());
    assert_eq!(related["location"]["range"]["start"]["line"], 4, "{d}");
    assert_eq!(related["message"], "the save debounce is 500 ms here");
    let actions = s.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": d["range"], "context": { "diagnostics": [d], "only": ["quickfix"] } }),
    );
    let align = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Use 500 ms here"))
        })
        .unwrap_or_else(|| panic!("{actions:#}"));
    let edit = &align["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], "500 ms");
    s.stop();

    // A client that does not take related information gets none.
    let (mut s, _) = Server::start_in(
        json!(format!("file://{}", dir.path().display())),
        push_caps(&["utf-16"]),
        Value::Null,
    );
    s.open(&uri, "markdown", text);
    let diags = s.diagnostics(&uri, None);
    assert!(
        diags.iter().all(|d| d.get("relatedInformation").is_none()),
        "{diags:#?}"
    );
    s.stop();
}

/// A done task Specwright generated whose requirement is reworded afterwards is stale-task on
/// its line, as soon as the spec changes (the spec open and edited, the tasks file open).
#[test]
fn a_done_generated_task_goes_stale_when_its_requirement_is_reworded() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("specs/001-export");
    std::fs::create_dir_all(&folder).unwrap();
    let spec = "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: The editor MUST export a draft as PDF.\n\n## Out of Scope\n\n- Printing.\n";
    std::fs::write(folder.join("spec.md"), spec).unwrap();
    let spec_uri = format!("file://{}", folder.join("spec.md").display());
    let tasks_uri = format!("file://{}", folder.join("tasks.md").display());
    let (mut s, _) = Server::start_in(
        json!(format!("file://{}", dir.path().display())),
        push_caps(&["utf-16"]),
        Value::Null,
    );
    s.open(&spec_uri, "markdown", spec);
    let result = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.decompose", "arguments": [{ "uri": spec_uri }] }),
    );
    assert_eq!(result["created"], json!(["T001"]), "{result}");
    let edits = server_requests(&mut s, "workspace/applyEdit");
    apply_to_disk(&edits[0]["edit"]);
    let tasks = std::fs::read_to_string(folder.join("tasks.md"))
        .unwrap()
        .replace("- [ ] T001", "- [x] T001");
    std::fs::write(folder.join("tasks.md"), &tasks).unwrap();
    s.open(&tasks_uri, "markdown", &tasks);
    let fresh = s.diagnostics(&tasks_uri, Some(1));
    assert!(
        fresh.iter().all(|d| d["code"] != "stale-task"),
        "{fresh:#?}"
    );
    // The requirement is reworded in the open spec; the tasks file is re-checked.
    let reworded = spec.replace("as PDF", "as PDF and as EPUB");
    s.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": spec_uri, "version": 2 }, "contentChanges": [{ "text": reworded }] }),
    );
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let diags = s.diagnostics(&tasks_uri, None);
        if let Some(d) = diags.iter().find(|d| d["code"] == "stale-task") {
            assert!(
                d["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("T001 is marked done, but the requirement")),
                "{d}"
            );
            assert_eq!(
                d["range"]["start"]["line"],
                tasks.lines().position(|l| l.contains("T001")).unwrap()
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no stale-task after the rewording: {diags:#?}"
        );
    }
    // And a hint on the requirement, naming the task.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let diags = s.diagnostics(&spec_uri, None);
        if let Some(d) = diags.iter().find(|d| d["code"] == "stale-task") {
            assert_eq!(d["severity"], 4, "{d}");
            assert_eq!(d["range"]["start"]["line"], 4, "{d}");
            break;
        }
        assert!(Instant::now() < deadline, "no hint on FR-001: {diags:#?}");
    }
    s.stop();
}

/// A task `verify --stamp` stamped, whose boundary changed in a later commit, is
/// boundary-changed on its line when the tasks file is opened (read from git; nothing runs).
#[test]
fn a_stamped_tasks_changed_boundary_shows_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(&root)
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@t")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@t")
            .output()
            .unwrap();
        assert!(ok.status.success(), "git {args:?}");
        String::from_utf8_lossy(&ok.stdout).trim().to_string()
    };
    git(&["init", "--quiet", "-b", "main"]);
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("specs/001-sessions")).unwrap();
    std::fs::write(root.join("src/store.txt"), "v1\n").unwrap();
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "-m", "the store"]);
    let stamped = git(&["rev-parse", "--short=12", "HEAD"]);
    let tasks = format!(
        "# Tasks: Sessions\n\n- [x] T001 Store sessions\n  <!-- sw:verified {stamped} -->\n  - Boundary: src/**\n"
    );
    let tasks_path = root.join("specs/001-sessions/tasks.md");
    std::fs::write(&tasks_path, &tasks).unwrap();
    std::fs::write(root.join("src/store.txt"), "v2\n").unwrap();
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "-m", "the store moves on"]);
    let uri = format!("file://{}", tasks_path.display());
    let (mut s, _) = Server::start_in(
        json!(format!("file://{}", root.display())),
        push_caps(&["utf-16"]),
        Value::Null,
    );
    s.open(&uri, "markdown", &tasks);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let diags = s.diagnostics(&uri, None);
        if let Some(d) = diags.iter().find(|d| d["code"] == "boundary-changed") {
            assert_eq!(d["range"]["start"]["line"], 2, "{d}");
            assert_eq!(d["severity"], 4, "a hint: {d}");
            let m = d["message"].as_str().unwrap_or("");
            assert!(
                m.starts_with(&format!("T001 was verified at {stamped}"))
                    && m.contains("src/store.txt"),
                "{m}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "no boundary-changed: {diags:#?}");
    }
    s.stop();
}

/// The "✓ Verify" lens of a done task runs its check (after consent) in a clean worktree and
/// says what it found.
#[test]
fn the_verify_lens_of_a_done_task_runs_its_check_after_consent() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let trust = root.join("trust-store");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&root)
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@t")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@t")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
    };
    git(&["init", "--quiet", "-b", "main"]);
    std::fs::write(root.join(".gitignore"), "trust-store/\n").unwrap();
    std::fs::create_dir_all(root.join("specs/001-sessions")).unwrap();
    let tasks = "# Tasks: Sessions\n\n- [x] T001 Store sessions\n  - Check: test -f store.txt\n- [x] T002 Expire sessions\n  - Check: test -f missing.txt\n";
    let tasks_path = root.join("specs/001-sessions/tasks.md");
    std::fs::write(&tasks_path, tasks).unwrap();
    std::fs::write(root.join("store.txt"), "the store\n").unwrap();
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "-m", "work"]);
    let uri = format!("file://{}", tasks_path.display());
    let (mut s, _) = Server::start_env(
        json!(format!("file://{}", root.display())),
        push_caps(&["utf-16"]),
        json!({ "trusted": true }),
        &[("SPECWRIGHT_CONFIG_DIR", &trust)],
    );
    s.open(&uri, "markdown", tasks);
    let lenses = s.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": uri } }),
    );
    let verify: Vec<&Value> = lenses
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["command"]["command"] == "specwright.verify")
        .collect();
    assert_eq!(verify.len(), 2, "{lenses:#}");
    assert_eq!(verify[0]["command"]["title"], "✓ Verify");
    let result = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.verify", "arguments": verify[0]["command"]["arguments"] }),
    );
    assert_eq!(result["results"][0]["outcome"], "verified", "{result}");
    let asked = server_requests(&mut s, "window/showMessageRequest");
    assert_eq!(asked.len(), 1, "consent is asked once");
    let result = s.request(
        "workspace/executeCommand",
        json!({ "command": "specwright.verify", "arguments": verify[1]["command"]["arguments"] }),
    );
    assert_eq!(result["results"][0]["outcome"], "failed", "{result}");
    assert!(
        result["results"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("test -f missing.txt")),
        "{result}"
    );
    s.stop();
}
