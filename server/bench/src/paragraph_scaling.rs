//! How `specwright check` time grows with the length of one paragraph without a break: a
//! spec whose Requirements hold a single sentence of 64 KB to 1 MB, every rule on, checked
//! with the release binary. Linear analysis doubles its time with each doubling of length
//! (growth ≈ 2.0); a quadratic step shows as ≈ 4.
//!
//! ```sh
//! cargo build --release -p specwright -p specwright-bench
//! target/release/paragraph-scaling
//! ```

use specwright_bench::corpus;
use std::process::{Command, Stdio};
use std::time::Instant;

const WORDS: &[&str] = &[
    "the", "system", "must", "store", "drafts", "and", "sync", "them", "quickly", "when", "user",
    "is", "online", "while", "it", "keeps", "a", "log", "of", "every", "change",
];

fn paragraph(bytes: usize) -> String {
    // A fixed linear congruential sequence: the same text on every run and machine.
    let mut state: u64 = 17;
    let mut out = String::with_capacity(bytes + 16);
    while out.len() < bytes {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push_str(WORDS[(state >> 33) as usize % WORDS.len()]);
        out.push(' ');
    }
    out
}

fn main() {
    let binary = corpus::repo_root().join("target/release/specwright");
    let scratch = std::env::temp_dir().join(format!("specwright-paragraph-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&scratch);
    let _ = std::fs::write(scratch.join("specwright.toml"), "rule-set = \"all\"\n");
    println!("| paragraph | check | growth per doubling |\n|--:|--:|--:|");
    let mut previous: Option<f64> = None;
    for kb in [64usize, 128, 256, 512, 1024] {
        let text = format!("# Spec\n\n## Requirements\n\n{}.\n", paragraph(kb * 1024));
        let path = scratch.join("spec.md");
        if std::fs::write(&path, text).is_err() {
            eprintln!("paragraph-scaling: cannot write {}", path.display());
            std::process::exit(1);
        }
        let started = Instant::now();
        let status = Command::new(&binary)
            .args(["check", "--format", "json"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let secs = started.elapsed().as_secs_f64();
        if !status.is_ok_and(|s| s.code().is_some_and(|c| c <= 1)) {
            eprintln!(
                "paragraph-scaling: {} failed (build it: cargo build --release -p specwright)",
                binary.display()
            );
            let _ = std::fs::remove_dir_all(&scratch);
            std::process::exit(1);
        }
        let growth = previous.map_or("–".to_string(), |p| format!("{:.1}", secs / p));
        println!("| {kb} KB | {:.0} ms | {growth} |", secs * 1e3);
        previous = Some(secs);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
