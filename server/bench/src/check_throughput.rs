//! `specwright check` throughput over a large real corpus: the shared corpus copied N times
//! into a scratch folder (never committed), checked with the release binary, best and median
//! of R runs, in MB/s.
//!
//! ```sh
//! cargo build --release -p specwright -p specwright-bench
//! target/release/check-throughput --copies 20 --runs 3
//! ```

use specwright_bench::corpus;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

fn copy_dir(from: &Path, to: &Path, bytes: &mut u64) {
    let _ = std::fs::create_dir_all(to);
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let target = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &target, bytes);
        } else if p.extension().is_some_and(|x| x == "md") && std::fs::copy(&p, &target).is_ok() {
            *bytes += std::fs::metadata(&target).map_or(0, |m| m.len());
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let copies = get("--copies", 20);
    let runs = get("--runs", 3).max(1);
    let binary = corpus::repo_root().join("target/release/specwright");
    let scratch =
        std::env::temp_dir().join(format!("specwright-throughput-{}", std::process::id()));
    let mut bytes = 0u64;
    for i in 0..copies {
        copy_dir(
            &corpus::corpus_dir(),
            &scratch.join(format!("copy{i:03}")),
            &mut bytes,
        );
    }
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let status = Command::new(&binary)
            .args(["check", "--format", "json", "--fail-on", "error"])
            .arg(&scratch)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let elapsed = started.elapsed().as_secs_f64();
        match status {
            Ok(s) if s.code().is_some_and(|c| c <= 1) => times.push(elapsed),
            other => {
                eprintln!(
                    "check-throughput: {} failed: {other:?} (build it: cargo build --release -p specwright)",
                    binary.display()
                );
                let _ = std::fs::remove_dir_all(&scratch);
                std::process::exit(1);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    times.sort_by(f64::total_cmp);
    let mb = bytes as f64 / (1024.0 * 1024.0);
    let best = times[0];
    let median = times[times.len() / 2];
    println!("| corpus | size | best | median | throughput (best) |");
    println!("|---|---|---|---|---|");
    println!(
        "| {} × {copies} | {mb:.1} MB | {best:.2} s | {median:.2} s | {:.1} MB/s |",
        corpus::corpus_dir().display(),
        mb / best
    );
}
