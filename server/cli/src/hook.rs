//! `specwright hook claude`: a Claude Code `PostToolUse` hook. After the agent writes or edits a
//! Markdown file, the file is checked and the findings go back to the model the way Claude Code
//! feeds a hook's answer to it (`{"decision": "block", "reason": …}` on stdout: the write has
//! happened; the reason is what the model reads next). Silent for other tools and files, and
//! when the file is clean. A hook that cannot read its input says so on stderr and lets the
//! agent go on: Specwright's failure never stops the agent.

use serde_json::{Value, json};
use specwright::check::{self, Finding};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The tools whose input names a file they wrote.
const WRITING_TOOLS: &[&str] = &["Write", "Edit", "MultiEdit"];

/// How many findings one answer lists; the rest are counted.
const LISTED: usize = 20;

pub fn claude() -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("specwright hook: cannot read the hook's input: {e}");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = written_file(&input) else {
        return Ok(ExitCode::SUCCESS);
    };
    let report = match check::run(std::slice::from_ref(&path)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("specwright hook: {}: {e:#}", path.display());
            return Ok(ExitCode::SUCCESS);
        }
    };
    if let Some(reason) = reason(&path, &report.findings) {
        println!("{}", json!({ "decision": "block", "reason": reason }));
    }
    Ok(ExitCode::SUCCESS)
}

/// The Markdown file a `PostToolUse` payload says was written, resolved against its `cwd`.
fn written_file(input: &str) -> Option<PathBuf> {
    let v: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("specwright hook: the hook's input is not JSON: {e}");
            return None;
        }
    };
    if v["hook_event_name"]
        .as_str()
        .is_some_and(|e| e != "PostToolUse")
    {
        return None;
    }
    let tool = v["tool_name"].as_str()?;
    if !WRITING_TOOLS.contains(&tool) {
        return None;
    }
    let file = v["tool_input"]["file_path"].as_str()?;
    let path = Path::new(file);
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
    {
        return None;
    }
    let path = match v["cwd"].as_str() {
        Some(cwd) if path.is_relative() => Path::new(cwd).join(path),
        _ => path.to_path_buf(),
    };
    path.is_file().then_some(path)
}

/// What the model is told, or `None` when there is nothing to tell.
fn reason(path: &Path, findings: &[Finding]) -> Option<String> {
    if findings.is_empty() {
        return None;
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut text = format!(
        "Specwright checked {name} and found {} problem(s) worth fixing before going on:\n",
        findings.len()
    );
    for f in findings.iter().take(LISTED) {
        text.push_str(&format!(
            "- line {}: {} [{}]\n",
            f.start.0, f.message, f.rule
        ));
        if let Some(q) = &f.question {
            text.push_str(&format!("  question: {q}\n"));
        }
    }
    if findings.len() > LISTED {
        text.push_str(&format!("… and {} more.\n", findings.len() - LISTED));
    }
    text.push_str("Fix them in the file, or say why they stand (`specwright explain RULE` tells what a rule checks).");
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_written_markdown_files_are_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("spec.md"), "# Spec\n").expect("write");
        std::fs::write(dir.path().join("main.rs"), "fn main() {}\n").expect("write");
        let payload = |tool: &str, file: &str| {
            json!({ "hook_event_name": "PostToolUse", "cwd": dir.path(), "tool_name": tool, "tool_input": { "file_path": file } }).to_string()
        };
        assert_eq!(
            written_file(&payload("Write", "spec.md")),
            Some(dir.path().join("spec.md"))
        );
        assert_eq!(written_file(&payload("Write", "main.rs")), None);
        assert_eq!(written_file(&payload("Read", "spec.md")), None);
        assert_eq!(written_file(&payload("Edit", "missing.md")), None);
        assert_eq!(written_file("not json"), None);
    }
}
