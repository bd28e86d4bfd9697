//! LSP keystroke latency, end to end over stdio against the real `specwright lsp`: opens a
//! document of the size asked for, types N characters as incremental `didChange`
//! notifications, and measures each keystroke to the diagnostics of that version (pushed, or
//! pulled with `textDocument/diagnostic`). Reports open → first diagnostics, p50 / p95 / max per
//! keystroke, the time from the last keystroke to the whole-document analysis that follows a
//! pause (large documents: see `specwright_core::incremental`) and the server's peak RSS, as a
//! table and as JSON.
//!
//! ```sh
//! cargo build --release -p specwright -p specwright-bench
//! target/release/lsp-latency --size 30KB --keystrokes 200 --mode push
//! target/release/lsp-latency --size 5MB --keystrokes 50 --mode pull --json
//! ```

use specwright_bench::corpus;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

struct Options {
    size: usize,
    size_label: String,
    keystrokes: usize,
    pull: bool,
    json: bool,
    server: String,
    /// Documents open at once (the first is typed into).
    documents: usize,
}

fn options() -> Options {
    let mut o = Options {
        size: 30 << 10,
        size_label: "30KB".into(),
        keystrokes: 200,
        pull: false,
        json: false,
        documents: 1,
        server: corpus::repo_root()
            .join("target/release/specwright")
            .to_string_lossy()
            .into_owned(),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--size" => {
                o.size = corpus::parse_size(&value)
                    .unwrap_or_else(|| usage(&format!("bad size `{value}`")));
                o.size_label = value;
                i += 1;
            }
            "--keystrokes" => {
                o.keystrokes = value.parse().unwrap_or_else(|_| usage("bad --keystrokes"));
                i += 1;
            }
            "--mode" => {
                o.pull = match value.as_str() {
                    "pull" => true,
                    "push" => false,
                    _ => usage("--mode is push or pull"),
                };
                i += 1;
            }
            "--server" => {
                o.server = value;
                i += 1;
            }
            "--json" => o.json = true,
            "--documents" => {
                o.documents = value.parse().unwrap_or_else(|_| usage("bad --documents"));
                i += 1;
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument `{other}`")),
        }
        i += 1;
    }
    o
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("lsp-latency: {problem}");
    }
    eprintln!(
        "usage: lsp-latency [--size 30KB|5MB|BYTES] [--keystrokes N] [--mode push|pull] [--documents N] [--server PATH] [--json]"
    );
    std::process::exit(2);
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(path: &str) -> Server {
        let mut child = Command::new(path)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                eprintln!("lsp-latency: cannot start {path}: {e} (build it: cargo build --release -p specwright)");
                std::process::exit(2)
            });
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
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
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(value) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            incoming: rx,
            next_id: 1,
        }
    }

    fn send(&mut self, value: Value) {
        let body = value.to_string();
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body);
        let _ = self.stdin.flush();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request; returns its id.
    fn request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Waits for the first message `pick` accepts, answering the server's own requests.
    fn wait(&mut self, pick: impl Fn(&Value) -> bool) -> Value {
        self.wait_within(Duration::from_secs(120), pick)
            .unwrap_or_else(|| {
                eprintln!("lsp-latency: the server did not answer within 120 s");
                std::process::exit(1)
            })
    }

    /// [`Server::wait`], giving up after `limit`.
    fn wait_within(&mut self, limit: Duration, pick: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self.incoming.recv_timeout(left).ok()?;
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let result = if msg["method"] == "workspace/configuration" {
                    json!([null])
                } else {
                    Value::Null
                };
                self.send(json!({ "jsonrpc": "2.0", "id": msg["id"].clone(), "result": result }));
            }
            if pick(&msg) {
                return Some(msg);
            }
        }
    }

    fn peak_rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() {
    let o = options();
    let text = corpus::text_of_size(o.size);
    let uri = "file:///specwright-bench/specs/001-bench/spec.md";
    let mut server = Server::start(&o.server);
    let caps = if o.pull {
        json!({
            "textDocument": { "diagnostic": { "dynamicRegistration": false } },
            "workspace": { "diagnostics": { "refreshSupport": true } },
            "general": { "positionEncodings": ["utf-16"] }
        })
    } else {
        json!({ "textDocument": { "publishDiagnostics": {} }, "general": { "positionEncodings": ["utf-16"] } })
    };
    let id = server.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": caps }),
    );
    server.wait(|m| m["id"] == id);
    server.notify("initialized", json!({}));

    let diagnostics_of = |server: &mut Server, version: i64| -> usize {
        if o.pull {
            let id = server.request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": uri } }),
            );
            let m = server.wait(|m| m["id"] == id);
            m["result"]["items"].as_array().map_or(0, Vec::len)
        } else {
            let m = server.wait(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            });
            m["params"]["diagnostics"].as_array().map_or(0, Vec::len)
        }
    };

    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    );
    let findings = diagnostics_of(&mut server, 1);
    let open_ms = opened.elapsed().as_secs_f64() * 1000.0;
    // More open documents, each analysed once, for the memory figure.
    for d in 1..o.documents {
        let other = format!("file:///specwright-bench/specs/{d:03}-bench/spec.md");
        server.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": other, "languageId": "markdown", "version": 1, "text": text } }),
        );
        if o.pull {
            let id = server.request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": other } }),
            );
            server.wait(|m| m["id"] == id);
        } else {
            server.wait(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == other
            });
        }
    }

    // Type in the middle of the document, on a line of its own.
    let line = text[..text.len() / 2].matches('\n').count() as u32;
    let mut latencies = Vec::with_capacity(o.keystrokes);
    for k in 0..o.keystrokes {
        let version = 2 + k as i64;
        let ch = if k % 8 == 7 { " " } else { "x" };
        let started = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": { "start": { "line": line, "character": k }, "end": { "line": line, "character": k } },
                    "text": ch
                }]
            }),
        );
        diagnostics_of(&mut server, version);
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    // A large document's edits are answered part by part; once typing pauses, the server
    // analyses it whole and publishes again (push) or asks for a pull (pull).
    let last = 1 + o.keystrokes as i64;
    let paused = Instant::now();
    // Smaller documents (under `specwright_core::incremental::MIN_SIZE`) are analysed whole
    // on every edit: nothing follows.
    let settled = if text.len() < 256 << 10 {
        None
    } else if o.pull {
        server
            .wait_within(Duration::from_secs(10), |m| {
                m["method"] == "workspace/diagnostic/refresh"
            })
            .map(|_| diagnostics_of(&mut server, last))
    } else {
        server
            .wait_within(Duration::from_secs(10), |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == last
            })
            .map(|_| 0)
    }
    .map(|_| paused.elapsed().as_secs_f64() * 1000.0);
    let rss = server.peak_rss_kb();
    let id = server.request("shutdown", Value::Null);
    server.wait(|m| m["id"] == id);
    server.notify("exit", Value::Null);
    let _ = server.child.wait();

    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    let (p50, p95, max) = (
        percentile(&sorted, 50.0),
        percentile(&sorted, 95.0),
        sorted.last().copied().unwrap_or(0.0),
    );
    let mode = if o.pull { "pull" } else { "push" };
    let report = json!({
        "size": o.size_label,
        "bytes": text.len(),
        "mode": mode,
        "keystrokes": o.keystrokes,
        "documents": o.documents,
        "findings": findings,
        "open_to_first_diagnostics_ms": open_ms,
        "keystroke_ms": { "p50": p50, "p95": p95, "max": max },
        "pause_to_whole_analysis_ms": settled,
        "server_peak_rss_kb": rss,
    });
    if o.json {
        println!("{report}");
    } else {
        println!(
            "| document | open | mode | keystrokes | open → diagnostics | p50 | p95 | max | pause → whole analysis | peak RSS |"
        );
        println!("|---|---|---|---|---|---|---|---|---|---|");
        println!(
            "| {} ({} bytes, {findings} findings) | {} | {mode} | {} | {open_ms:.1} ms | {p50:.2} ms | {p95:.2} ms | {max:.2} ms | {} | {} |",
            o.size_label,
            text.len(),
            o.documents,
            o.keystrokes,
            settled.map_or_else(|| "—".to_string(), |ms| format!("{ms:.0} ms")),
            rss.map_or_else(
                || "?".to_string(),
                |k| format!("{:.1} MB", k as f64 / 1024.0)
            ),
        );
    }
}
