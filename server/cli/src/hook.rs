//! `specwright hook claude|gemini`: a Claude Code `PostToolUse` or Gemini CLI `AfterTool` hook.
//! After the agent writes or edits a Markdown file, the file is checked and the findings go back
//! to the model the way its CLI feeds a hook's answer to it: for Claude Code
//! `{"decision": "block", "reason": …}` (the write has happened; the reason is what the model
//! reads next), for Gemini CLI `hookSpecificOutput.additionalContext` (appended to the tool's
//! result). Silent for other tools and files, and when the file is clean. A hook that cannot
//! read its input says so on stderr and lets the agent go on: Specwright's failure never stops
//! the agent.

use serde_json::{Value, json};
use specwright::check::{self, Finding};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which agent's hook protocol to speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    Claude,
    Gemini,
}

impl Agent {
    /// The event the hook answers.
    fn event(self) -> &'static str {
        match self {
            Agent::Claude => "PostToolUse",
            Agent::Gemini => "AfterTool",
        }
    }

    /// The tools whose input names a file they wrote.
    fn writing_tools(self) -> &'static [&'static str] {
        match self {
            Agent::Claude => &["Write", "Edit", "MultiEdit"],
            Agent::Gemini => &["write_file", "replace"],
        }
    }

    /// The hook's answer on stdout, carrying `reason` to the model.
    fn answer(self, reason: String) -> Value {
        match self {
            Agent::Claude => json!({ "decision": "block", "reason": reason }),
            Agent::Gemini => json!({
                "hookSpecificOutput": { "hookEventName": "AfterTool", "additionalContext": reason }
            }),
        }
    }
}

/// How many findings one answer lists; the rest are counted.
const LISTED: usize = 20;

pub fn run(agent: Agent) -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("specwright hook: cannot read the hook's input: {e}");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = written_file(agent, &input) else {
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
        println!("{}", agent.answer(reason));
    }
    Ok(ExitCode::SUCCESS)
}

/// The Markdown file a hook payload says was written, resolved against its `cwd`.
fn written_file(agent: Agent, input: &str) -> Option<PathBuf> {
    let v: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("specwright hook: the hook's input is not JSON: {e}");
            return None;
        }
    };
    if v["hook_event_name"]
        .as_str()
        .is_some_and(|e| e != agent.event())
    {
        return None;
    }
    let tool = v["tool_name"].as_str()?;
    if !agent.writing_tools().contains(&tool) {
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
            written_file(Agent::Claude, &payload("Write", "spec.md")),
            Some(dir.path().join("spec.md"))
        );
        assert_eq!(
            written_file(Agent::Claude, &payload("Write", "main.rs")),
            None
        );
        assert_eq!(
            written_file(Agent::Claude, &payload("Read", "spec.md")),
            None
        );
        assert_eq!(
            written_file(Agent::Claude, &payload("Edit", "missing.md")),
            None
        );
        assert_eq!(written_file(Agent::Claude, "not json"), None);
        // Gemini CLI: its own event and tool names; Claude's are not its.
        let gemini = |tool: &str| {
            json!({ "hook_event_name": "AfterTool", "cwd": dir.path(), "tool_name": tool, "tool_input": { "file_path": dir.path().join("spec.md") } }).to_string()
        };
        assert_eq!(
            written_file(Agent::Gemini, &gemini("write_file")),
            Some(dir.path().join("spec.md"))
        );
        assert_eq!(
            written_file(Agent::Gemini, &gemini("replace")),
            Some(dir.path().join("spec.md"))
        );
        assert_eq!(written_file(Agent::Gemini, &gemini("read_file")), None);
        assert_eq!(
            written_file(Agent::Gemini, &payload("Write", "spec.md")),
            None
        );
        let answer = Agent::Gemini.answer("x".into());
        assert_eq!(answer["hookSpecificOutput"]["additionalContext"], "x");
    }
}
