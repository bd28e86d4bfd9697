//! Benchmark inputs generated from the shared corpus (`../shared/fixtures/corpus`), replicated
//! and concatenated to the size asked for; never committed. Falls back to `examples/`.

use std::path::{Path, PathBuf};

fn markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            markdown(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

/// The repository root (this crate is `server/bench`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The corpus folder, or `examples/` when the shared corpus is not beside the checkout.
pub fn corpus_dir() -> PathBuf {
    let shared = repo_root().join("../shared/fixtures/corpus");
    if shared.is_dir() {
        shared
    } else {
        repo_root().join("examples")
    }
}

/// Markdown text of about `bytes` bytes: spec-like corpus documents concatenated, repeated.
pub fn text_of_size(bytes: usize) -> String {
    let mut files = Vec::new();
    markdown(&corpus_dir(), &mut files);
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| !t.trim().is_empty())
        .collect();
    let mut out = String::with_capacity(bytes + 4096);
    let mut i = 0;
    while out.len() < bytes && !texts.is_empty() {
        out.push_str(&texts[i % texts.len()]);
        out.push_str("\n\n");
        i += 1;
    }
    out
}

/// `30KB`, `5MB`, `1024` → bytes.
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = s.strip_suffix("MB") {
        (n, 1 << 20)
    } else if let Some(n) = s.strip_suffix("KB") {
        (n, 1 << 10)
    } else {
        (s.as_str(), 1)
    };
    num.trim().parse::<usize>().ok().map(|n| n * mult)
}
