//! The agents Specwright drives: how each kind is started (argv, prompt on stdin or in a file)
//! and how its output stream reads as [`AgentEvent`]s.
//!
//! Targeted versions (the flags and event shapes below were taken from their documentation):
//! Claude Code 2.x (`claude -p --output-format stream-json --verbose`), Codex CLI 0.5x
//! (`codex exec --json -`), Gemini CLI 0.1x (`gemini --output-format stream-json`, headless
//! because stdin is not a terminal), ACP protocol version 1.

use serde_json::Value;
use specwright_core::config::{AgentConfig, AgentKind};

/// Something an agent did, as far as progress and the run record care.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AgentEvent {
    /// The session started (model, session id).
    Started { detail: String },
    /// Text the agent wrote (a chunk or a whole message).
    Message { text: String },
    /// A tool call: `name` ("edit", "run", …) and what it works on.
    Tool { name: String, detail: String },
    /// The agent's plan, entry by entry.
    Plan { entries: Vec<String> },
    /// The end of the agent's turn: whether it says it succeeded, its last message, and what
    /// it reported of its cost.
    Finished {
        ok: bool,
        message: Option<String>,
        usage: Option<Usage>,
    },
    /// An error the agent reported.
    Error { message: String },
    /// A line that should have been JSON and was not.
    Malformed { line: String },
}

/// Cost and usage, as far as the agent reports them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turns: Option<u64>,
}

impl AgentEvent {
    /// A short phrase for a progress line ("editing src/a.rs").
    pub fn summary(&self) -> Option<String> {
        match self {
            AgentEvent::Tool { name, detail } if detail.is_empty() => Some(name.clone()),
            AgentEvent::Tool { name, detail } => Some(format!("{name} {}", short(detail, 60))),
            AgentEvent::Plan { entries } => Some(format!("planned {} steps", entries.len())),
            AgentEvent::Message { text } => {
                let line = text.lines().rev().find(|l| !l.trim().is_empty())?;
                Some(short(line.trim(), 60))
            }
            AgentEvent::Error { message } => Some(format!("error: {}", short(message, 60))),
            _ => None,
        }
    }
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// How the prompt reaches the agent and how its output is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    /// The prompt is written to stdin (then closed).
    pub prompt_on_stdin: bool,
    pub kind: AgentKind,
}

/// Values for `{…}` placeholders in a command agent's argv.
pub struct Placeholders<'a> {
    pub prompt_file: &'a str,
    pub worktree: &'a str,
    pub task_id: &'a str,
    pub branch: &'a str,
}

impl Placeholders<'static> {
    /// The placeholders left as written: the command line a user is asked to confirm.
    pub const UNFILLED: Placeholders<'static> = Placeholders {
        prompt_file: "{prompt_file}",
        worktree: "{worktree}",
        task_id: "{task_id}",
        branch: "{branch}",
    };
}

/// The command line an agent is started with.
pub fn launch(agent: &AgentConfig, p: &Placeholders<'_>) -> Launch {
    let program = |default: &str| -> Vec<String> {
        agent
            .argv
            .clone()
            .unwrap_or_else(|| vec![default.to_string()])
    };
    let mut argv = match agent.kind {
        AgentKind::Claude => {
            let mut a = program("claude");
            a.extend(["-p", "--output-format", "stream-json", "--verbose"].map(String::from));
            if let Some(n) = agent.max_turns {
                a.extend(["--max-turns".into(), n.to_string()]);
            }
            if let Some(b) = agent.max_budget_usd {
                a.extend(["--max-budget-usd".into(), b.to_string()]);
            }
            a
        }
        AgentKind::Codex => {
            let mut a = program("codex");
            a.extend(["exec", "--json"].map(String::from));
            if !agent
                .args
                .iter()
                .flatten()
                .any(|x| x.starts_with("--sandbox") || x == "-s" || x.contains("full-auto"))
            {
                // codex exec is read-only by default; a task has to write its files.
                a.extend(["--sandbox", "workspace-write"].map(String::from));
            }
            a
        }
        AgentKind::Gemini => {
            let mut a = program("gemini");
            a.extend(["--output-format", "stream-json"].map(String::from));
            a
        }
        AgentKind::Acp | AgentKind::Command => program("true")
            .into_iter()
            .map(|arg| {
                arg.replace("{prompt_file}", p.prompt_file)
                    .replace("{worktree}", p.worktree)
                    .replace("{task_id}", p.task_id)
                    .replace("{branch}", p.branch)
            })
            .collect(),
    };
    if let Some(m) = &agent.model
        && !matches!(agent.kind, AgentKind::Acp | AgentKind::Command)
    {
        argv.extend(["--model".into(), m.clone()]);
    }
    argv.extend(agent.args.iter().flatten().cloned());
    if agent.kind == AgentKind::Codex {
        // `-` reads the prompt from stdin.
        argv.push("-".into());
    }
    Launch {
        argv,
        env: agent
            .env
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        prompt_on_stdin: agent.kind != AgentKind::Acp,
        kind: agent.kind,
    }
}

/// Reads one line of an agent's stdout.
pub fn parse_line(kind: AgentKind, line: &str) -> Vec<AgentEvent> {
    let line = line.trim();
    if line.is_empty() {
        return Vec::new();
    }
    if kind == AgentKind::Command {
        return vec![AgentEvent::Message {
            text: line.to_string(),
        }];
    }
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        return vec![AgentEvent::Malformed {
            line: line.to_string(),
        }];
    };
    match kind {
        AgentKind::Claude => claude(&v),
        AgentKind::Codex => codex(&v),
        AgentKind::Gemini => gemini(&v),
        AgentKind::Acp | AgentKind::Command => Vec::new(),
    }
}

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn tool_detail(input: &Value) -> String {
    [
        "file_path",
        "path",
        "command",
        "pattern",
        "url",
        "query",
        "description",
    ]
    .iter()
    .find_map(|k| input.get(*k).and_then(Value::as_str))
    .map(str::to_string)
    .unwrap_or_default()
}

/// Claude Code stream-json: `system`/`init`, `assistant` messages with text and `tool_use`
/// blocks, `user` tool results, and a closing `result`.
fn claude(v: &Value) -> Vec<AgentEvent> {
    match v.get("type").and_then(Value::as_str) {
        Some("system") if v.get("subtype").and_then(Value::as_str) == Some("init") => {
            vec![AgentEvent::Started {
                detail: s(v, "model").unwrap_or_default(),
            }]
        }
        Some("assistant") => {
            let content = v
                .pointer("/message/content")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            content
                .iter()
                .filter_map(|block| match block.get("type").and_then(Value::as_str) {
                    Some("text") => Some(AgentEvent::Message {
                        text: s(block, "text")?,
                    }),
                    Some("tool_use") => Some(AgentEvent::Tool {
                        name: s(block, "name").unwrap_or_default(),
                        detail: block.get("input").map(tool_detail).unwrap_or_default(),
                    }),
                    _ => None,
                })
                .collect()
        }
        Some("result") => {
            let is_error = v.get("is_error").and_then(Value::as_bool).unwrap_or(false)
                || v.get("subtype").and_then(Value::as_str) != Some("success");
            vec![AgentEvent::Finished {
                ok: !is_error,
                message: s(v, "result"),
                usage: Some(Usage {
                    cost_usd: v.get("total_cost_usd").and_then(Value::as_f64),
                    input_tokens: v.pointer("/usage/input_tokens").and_then(Value::as_u64),
                    output_tokens: v.pointer("/usage/output_tokens").and_then(Value::as_u64),
                    turns: v.get("num_turns").and_then(Value::as_u64),
                }),
            }]
        }
        _ => Vec::new(),
    }
}

/// `codex exec --json`: `thread.started`, `turn.started`, `item.*` (agent_message,
/// command_execution, file_change, …), `turn.completed` with usage, `turn.failed`, `error`.
fn codex(v: &Value) -> Vec<AgentEvent> {
    let item = v.get("item");
    match v.get("type").and_then(Value::as_str) {
        Some("thread.started") => vec![AgentEvent::Started {
            detail: s(v, "thread_id").unwrap_or_default(),
        }],
        Some("item.started") | Some("item.completed") => {
            let Some(item) = item else { return Vec::new() };
            let completed = v.get("type").and_then(Value::as_str) == Some("item.completed");
            match item.get("type").and_then(Value::as_str) {
                Some("agent_message") if completed => vec![AgentEvent::Message {
                    text: s(item, "text").unwrap_or_default(),
                }],
                Some("command_execution") if !completed => vec![AgentEvent::Tool {
                    name: "run".into(),
                    detail: s(item, "command").unwrap_or_default(),
                }],
                Some("file_change") => item
                    .get("changes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|c| AgentEvent::Tool {
                        name: "edit".into(),
                        detail: s(c, "path").unwrap_or_default(),
                    })
                    .collect(),
                Some("todo_list") => vec![AgentEvent::Plan {
                    entries: item
                        .get("items")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|i| s(i, "text"))
                        .collect(),
                }],
                Some("error") => vec![AgentEvent::Error {
                    message: s(item, "message").unwrap_or_default(),
                }],
                _ => Vec::new(),
            }
        }
        Some("turn.completed") => vec![AgentEvent::Finished {
            ok: true,
            message: None,
            usage: Some(Usage {
                input_tokens: v.pointer("/usage/input_tokens").and_then(Value::as_u64),
                output_tokens: v.pointer("/usage/output_tokens").and_then(Value::as_u64),
                ..Usage::default()
            }),
        }],
        Some("turn.failed") => vec![AgentEvent::Finished {
            ok: false,
            message: v
                .pointer("/error/message")
                .and_then(Value::as_str)
                .map(str::to_string),
            usage: None,
        }],
        Some("error") => vec![AgentEvent::Error {
            message: s(v, "message").unwrap_or_default(),
        }],
        _ => Vec::new(),
    }
}

/// Gemini CLI stream-json: `init`, `message`, `tool_use`, `tool_result`, `error`, `result`.
fn gemini(v: &Value) -> Vec<AgentEvent> {
    match v.get("type").and_then(Value::as_str) {
        Some("init") => vec![AgentEvent::Started {
            detail: s(v, "model").unwrap_or_default(),
        }],
        Some("message") if s(v, "role").as_deref() == Some("assistant") => {
            vec![AgentEvent::Message {
                text: s(v, "content").unwrap_or_default(),
            }]
        }
        Some("tool_use") => vec![AgentEvent::Tool {
            name: s(v, "tool_name").unwrap_or_default(),
            detail: v.get("parameters").map(tool_detail).unwrap_or_default(),
        }],
        Some("error") => vec![AgentEvent::Error {
            message: s(v, "message").unwrap_or_default(),
        }],
        Some("result") => {
            let stats = v.get("stats");
            vec![AgentEvent::Finished {
                ok: s(v, "status").as_deref() != Some("error"),
                message: v
                    .pointer("/error/message")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                usage: stats.map(|st| Usage {
                    input_tokens: st.get("input_tokens").and_then(Value::as_u64),
                    output_tokens: st.get("output_tokens").and_then(Value::as_u64),
                    ..Usage::default()
                }),
            }]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude_stream_reads_tools_and_result() {
        let events: Vec<AgentEvent> = [
            r#"{"type":"system","subtype":"init","model":"claude-sonnet-4-5","session_id":"s"}"#,
            r#"{"type":"assistant","message":{"content":[{"type":"text","text":"Editing."},{"type":"tool_use","name":"Edit","input":{"file_path":"src/a.rs"}}]}}"#,
            r#"{"type":"result","subtype":"success","is_error":false,"result":"Done.","total_cost_usd":0.12,"num_turns":3,"usage":{"input_tokens":10,"output_tokens":5}}"#,
            "not json",
        ]
        .iter()
        .flat_map(|l| parse_line(AgentKind::Claude, l))
        .collect();
        assert_eq!(events.len(), 5);
        assert_eq!(
            events[2].summary().as_deref(),
            Some("Edit src/a.rs"),
            "{events:?}"
        );
        match &events[3] {
            AgentEvent::Finished { ok, message, usage } => {
                assert!(ok);
                assert_eq!(message.as_deref(), Some("Done."));
                assert_eq!(usage.as_ref().and_then(|u| u.cost_usd), Some(0.12));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(events[4], AgentEvent::Malformed { .. }));
    }

    #[test]
    fn codex_failure_is_not_ok() {
        let e = parse_line(
            AgentKind::Codex,
            r#"{"type":"turn.failed","error":{"message":"rate limited"}}"#,
        );
        assert_eq!(
            e,
            vec![AgentEvent::Finished {
                ok: false,
                message: Some("rate limited".into()),
                usage: None
            }]
        );
    }

    #[test]
    fn command_placeholders_fill_argv() {
        let agent = AgentConfig {
            kind: AgentKind::Command,
            argv: Some(vec!["run".into(), "{task_id}:{prompt_file}".into()]),
            args: None,
            env: None,
            model: None,
            max_turns: None,
            max_budget_usd: None,
        };
        let l = launch(
            &agent,
            &Placeholders {
                prompt_file: "/p",
                worktree: "/w",
                task_id: "T1",
                branch: "b",
            },
        );
        assert_eq!(l.argv, vec!["run", "T1:/p"]);
    }
}
