//! Workspace index start-up: a workspace of the shared corpus copied until it holds N Markdown
//! files (never committed), opened by the real `specwright lsp` with work-done progress; reports
//! the time from `initialized` to the end of the "Indexing specifications" progress.
//!
//! ```sh
//! cargo build --release -p specwright -p specwright-bench
//! target/release/index-time --files 5000
//! ```

use serde_json::{Value, json};
use specwright_bench::corpus;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

fn copy_dir(from: &Path, to: &Path, left: &mut usize) {
    let _ = std::fs::create_dir_all(to);
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if *left == 0 {
            return;
        }
        let target = to.join(p.file_name().unwrap_or_default());
        if p.is_dir() {
            copy_dir(&p, &target, left);
        } else if p.extension().is_some_and(|x| x == "md") && std::fs::copy(&p, &target).is_ok() {
            *left -= 1;
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files: usize = args
        .iter()
        .position(|a| a == "--files")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let scratch = std::env::temp_dir().join(format!("specwright-index-{}", std::process::id()));
    let mut left = files;
    let mut copy = 0;
    while left > 0 && copy < 10_000 {
        let before = left;
        copy_dir(
            &corpus::corpus_dir(),
            &scratch.join(format!("copy{copy:03}")),
            &mut left,
        );
        copy += 1;
        if left == before {
            break;
        }
    }
    let binary = corpus::repo_root().join("target/release/specwright");
    let mut child = Command::new(&binary)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            eprintln!("index-time: cannot start {}: {e}", binary.display());
            std::process::exit(2)
        });
    let mut stdin = child.stdin.take().expect("stdin");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut send = |v: Value| {
        let body = v.to_string();
        let _ = write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body);
        let _ = stdin.flush();
    };
    let mut receive = || -> Option<Value> {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length?];
        reader.read_exact(&mut body).ok()?;
        serde_json::from_slice(&body).ok()
    };
    let root = format!("file://{}", scratch.display());
    send(
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": root,
        "capabilities": { "window": { "workDoneProgress": true }, "textDocument": { "publishDiagnostics": {} } } } }),
    );
    while let Some(m) = receive() {
        if m["id"] == 1 {
            break;
        }
    }
    let started = Instant::now();
    send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    let mut message = String::new();
    while let Some(m) = receive() {
        if m.get("method").is_some() && m.get("id").is_some() {
            send(json!({ "jsonrpc": "2.0", "id": m["id"].clone(), "result": null }));
            continue;
        }
        if m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end" {
            message = m["params"]["value"]["message"]
                .as_str()
                .unwrap_or("")
                .to_string();
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }));
    send(json!({ "jsonrpc": "2.0", "method": "exit", "params": null }));
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&scratch);
    println!("| files | index time | server says |");
    println!("|---|---|---|");
    println!("| {} | {elapsed:.2} s | {message} |", files - left);
}
