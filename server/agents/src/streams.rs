//! The readers of the agents' JSON-lines output: Claude Code's and Gemini CLI's `stream-json`
//! and `codex exec --json`, each line read as [`AgentEvent`]s. The shapes were taken from
//! what the pinned CLIs print (the dispatch tests run them).

use crate::agent::{AgentEvent, Usage};
use serde_json::Value;
use specwright_core::config::AgentKind;

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

fn n(v: &Value, pointer: &str) -> Option<u64> {
    v.pointer(pointer).and_then(Value::as_u64)
}

/// What a tool call works on: its path, command, pattern or description.
fn tool_detail(input: &Value) -> String {
    [
        "file_path",
        "path",
        "command",
        "cmd",
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
/// blocks, `user` tool results, and a closing `result` whose `permission_denials` lists the
/// tool calls its permission mode refused (the run still says `success`).
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
            let mut events: Vec<AgentEvent> = v
                .get("permission_denials")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|d| AgentEvent::Refused {
                    tool: s(d, "tool_name").unwrap_or_else(|| "a tool".into()),
                    detail: d.get("tool_input").map(tool_detail).unwrap_or_default(),
                })
                .collect();
            events.push(AgentEvent::Finished {
                ok: !is_error,
                message: s(v, "result"),
                stop_reason: s(v, "stop_reason").or_else(|| s(v, "terminal_reason")),
                usage: Some(Usage {
                    cost_usd: v.get("total_cost_usd").and_then(Value::as_f64),
                    input_tokens: n(v, "/usage/input_tokens"),
                    output_tokens: n(v, "/usage/output_tokens"),
                    cache_read_tokens: n(v, "/usage/cache_read_input_tokens"),
                    cache_write_tokens: n(v, "/usage/cache_creation_input_tokens"),
                    turns: v.get("num_turns").and_then(Value::as_u64),
                }),
            });
            events
        }
        _ => Vec::new(),
    }
}

/// `codex exec --json`: `thread.started`, `turn.started`, `item.started` / `item.updated` /
/// `item.completed` (agent_message, command_execution, file_change, todo_list, error — the last
/// a warning Codex carries on after), `turn.completed` with usage, `turn.failed`, `error`.
fn codex(v: &Value) -> Vec<AgentEvent> {
    let kind = v.get("type").and_then(Value::as_str);
    match kind {
        Some("thread.started") => vec![AgentEvent::Started {
            detail: s(v, "thread_id").unwrap_or_default(),
        }],
        Some("item.started") | Some("item.updated") | Some("item.completed") => {
            let Some(item) = v.get("item") else {
                return Vec::new();
            };
            let started = kind == Some("item.started");
            let completed = kind == Some("item.completed");
            match item.get("type").and_then(Value::as_str) {
                Some("agent_message") if completed => vec![AgentEvent::Message {
                    text: s(item, "text").unwrap_or_default(),
                }],
                Some("command_execution") if started => vec![AgentEvent::Tool {
                    name: "run".into(),
                    detail: s(item, "command").unwrap_or_default(),
                }],
                // A change is announced when it starts and again when it is applied: once.
                Some("file_change") if completed => item
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
                Some("error") if completed => vec![AgentEvent::Warning {
                    message: s(item, "message").unwrap_or_default(),
                }],
                _ => Vec::new(),
            }
        }
        Some("turn.completed") => vec![AgentEvent::Finished {
            ok: true,
            message: None,
            stop_reason: Some("end_turn".into()),
            usage: Some(Usage {
                input_tokens: n(v, "/usage/input_tokens"),
                output_tokens: n(v, "/usage/output_tokens"),
                cache_read_tokens: n(v, "/usage/cached_input_tokens"),
                cache_write_tokens: n(v, "/usage/cache_write_input_tokens"),
                ..Usage::default()
            }),
        }],
        Some("turn.failed") => vec![AgentEvent::Finished {
            ok: false,
            message: v
                .pointer("/error/message")
                .and_then(Value::as_str)
                .map(str::to_string),
            stop_reason: Some("failed".into()),
            usage: None,
        }],
        Some("error") => vec![AgentEvent::Error {
            message: s(v, "message").unwrap_or_default(),
        }],
        _ => Vec::new(),
    }
}

/// Gemini CLI stream-json: `init`, `message` (streamed as `delta` pieces), `tool_use`,
/// `tool_result`, `error`, `result`.
fn gemini(v: &Value) -> Vec<AgentEvent> {
    match v.get("type").and_then(Value::as_str) {
        Some("init") => vec![AgentEvent::Started {
            detail: s(v, "model").unwrap_or_default(),
        }],
        Some("message") if s(v, "role").as_deref() == Some("assistant") => {
            let text = s(v, "content").unwrap_or_default();
            if v.get("delta").and_then(Value::as_bool) == Some(true) {
                vec![AgentEvent::Chunk { text }]
            } else {
                vec![AgentEvent::Message { text }]
            }
        }
        Some("tool_use") => vec![AgentEvent::Tool {
            name: s(v, "tool_name").unwrap_or_default(),
            detail: v.get("parameters").map(tool_detail).unwrap_or_default(),
        }],
        Some("tool_result") if s(v, "status").as_deref() == Some("error") => {
            vec![AgentEvent::Warning {
                message: v
                    .pointer("/error/message")
                    .and_then(Value::as_str)
                    .unwrap_or("a tool call failed")
                    .to_string(),
            }]
        }
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
                stop_reason: s(v, "status"),
                usage: stats.map(|st| Usage {
                    input_tokens: st.get("input_tokens").and_then(Value::as_u64),
                    output_tokens: st.get("output_tokens").and_then(Value::as_u64),
                    cache_read_tokens: st.get("cached").and_then(Value::as_u64),
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

    fn read(kind: AgentKind, lines: &[&str]) -> Vec<AgentEvent> {
        lines.iter().flat_map(|l| parse_line(kind, l)).collect()
    }

    #[test]
    fn claude_stream_reads_tools_and_result() {
        let events = read(
            AgentKind::Claude,
            &[
                r#"{"type":"system","subtype":"init","model":"claude-sonnet-4-5","session_id":"s"}"#,
                r#"{"type":"assistant","message":{"content":[{"type":"text","text":"Editing."},{"type":"tool_use","name":"Edit","input":{"file_path":"src/a.rs"}}]}}"#,
                r#"{"type":"result","subtype":"success","is_error":false,"result":"Done.","stop_reason":"end_turn","total_cost_usd":0.12,"num_turns":3,"usage":{"input_tokens":10,"output_tokens":5,"cache_read_input_tokens":7},"permission_denials":[]}"#,
                "not json",
            ],
        );
        assert_eq!(events.len(), 5);
        assert_eq!(
            events[2].summary().as_deref(),
            Some("Edit src/a.rs"),
            "{events:?}"
        );
        match &events[3] {
            AgentEvent::Finished {
                ok,
                message,
                usage,
                stop_reason,
            } => {
                assert!(ok);
                assert_eq!(message.as_deref(), Some("Done."));
                assert_eq!(stop_reason.as_deref(), Some("end_turn"));
                let usage = usage.as_ref().expect("usage");
                assert_eq!(
                    (usage.cost_usd, usage.cache_read_tokens),
                    (Some(0.12), Some(7))
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(events[4], AgentEvent::Malformed { .. }));
    }

    /// Claude Code 2.1 in its default permission mode: the write is refused, the run "succeeds".
    #[test]
    fn claude_refusals_are_events() {
        let events = read(
            AgentKind::Claude,
            &[
                r#"{"type":"result","subtype":"success","is_error":false,"result":"Done.","permission_denials":[{"tool_name":"Write","tool_use_id":"t","tool_input":{"file_path":"/w/src/a.txt","content":"x"}}]}"#,
            ],
        );
        assert_eq!(
            events[0],
            AgentEvent::Refused {
                tool: "Write".into(),
                detail: "/w/src/a.txt".into()
            }
        );
    }

    #[test]
    fn codex_failure_is_not_ok_and_its_error_items_are_warnings() {
        let e = read(
            AgentKind::Codex,
            &[
                r#"{"type":"item.completed","item":{"id":"item_0","type":"error","message":"Model metadata for `m` not found."}}"#,
                r#"{"type":"item.started","item":{"type":"file_change","changes":[{"path":"a"}]}}"#,
                r#"{"type":"item.completed","item":{"type":"file_change","changes":[{"path":"a"}]}}"#,
                r#"{"type":"item.updated","item":{"type":"todo_list","items":[{"text":"x"}]}}"#,
                r#"{"type":"turn.failed","error":{"message":"rate limited"}}"#,
            ],
        );
        assert!(matches!(&e[0], AgentEvent::Warning { message } if message.contains("metadata")));
        assert_eq!(
            e.iter()
                .filter(|x| matches!(x, AgentEvent::Tool { .. }))
                .count(),
            1,
            "{e:?}"
        );
        assert!(matches!(&e[2], AgentEvent::Plan { entries } if entries.len() == 1));
        assert!(
            matches!(&e[3], AgentEvent::Finished { ok: false, message: Some(m), .. } if m == "rate limited")
        );
    }

    #[test]
    fn gemini_deltas_are_chunks() {
        let e = read(
            AgentKind::Gemini,
            &[
                r#"{"type":"message","role":"assistant","content":"Do","delta":true}"#,
                r#"{"type":"result","status":"success","stats":{"input_tokens":3,"cached":1}}"#,
            ],
        );
        assert_eq!(e[0], AgentEvent::Chunk { text: "Do".into() });
        assert!(matches!(&e[1], AgentEvent::Finished { ok: true, .. }));
    }
}
