//! The agents Specwright drives: how each kind is started (argv, prompt on stdin or in a file)
//! and the events its output reads as (the readers of each stream format are in `streams`).
//!
//! Targeted versions (the tests run these very versions from npm): Claude Code 2.1
//! (`claude -p --output-format stream-json --verbose --permission-mode acceptEdits`), Codex CLI
//! 0.171 (`codex exec --json --sandbox workspace-write -`), Gemini CLI 0.61 (`gemini
//! --output-format stream-json --approval-mode auto_edit --skip-trust`, headless because stdin is
//! not a terminal), claude-code-acp 0.16 and ACP protocol version 1.

use specwright_core::config::{AgentConfig, AgentKind};
use std::path::PathBuf;

pub use crate::streams::parse_line;

/// Something an agent did, as far as progress and the run record care.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AgentEvent {
    /// The session started (model, session id).
    Started { detail: String },
    /// A whole message the agent wrote.
    Message { text: String },
    /// A streamed piece of a message; [`Joiner`] turns a run of them into one `Message`.
    Chunk { text: String },
    /// A tool call: `name` ("edit", "run", …) and what it works on.
    Tool { name: String, detail: String },
    /// A tool call the agent's own permission system refused.
    Refused { tool: String, detail: String },
    /// The agent's plan, entry by entry.
    Plan { entries: Vec<String> },
    /// The end of the agent's turn: whether it says it succeeded, its last message, why it
    /// stopped, and what it reported of its cost.
    Finished {
        ok: bool,
        message: Option<String>,
        stop_reason: Option<String>,
        usage: Option<Usage>,
    },
    /// An error the agent reported.
    Error { message: String },
    /// Something the agent warns about and carries on (Codex reports these as error items).
    Warning { message: String },
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
    /// Input tokens read from the provider's prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_tokens: Option<u64>,
    /// Input tokens written to the provider's prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_write_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turns: Option<u64>,
}

impl AgentEvent {
    /// A short phrase for a progress line ("editing src/a.rs").
    pub fn summary(&self) -> Option<String> {
        match self {
            AgentEvent::Tool { name, detail } if detail.is_empty() => Some(name.clone()),
            AgentEvent::Tool { name, detail } => Some(format!("{name} {}", short(detail, 60))),
            AgentEvent::Refused { tool, detail } => {
                Some(format!("refused: {tool} {}", short(detail, 50)))
            }
            AgentEvent::Plan { entries } => Some(format!("planned {} steps", entries.len())),
            AgentEvent::Message { text } => {
                let line = text.lines().rev().find(|l| !l.trim().is_empty())?;
                Some(short(line.trim(), 60))
            }
            AgentEvent::Error { message } => Some(format!("error: {}", short(message, 60))),
            AgentEvent::Warning { message } => Some(format!("warning: {}", short(message, 60))),
            _ => None,
        }
    }
}

/// Joins streamed chunks into whole messages: a run of [`AgentEvent::Chunk`]s becomes one
/// [`AgentEvent::Message`] when any other event arrives or the stream ends.
#[derive(Default)]
pub struct Joiner {
    pending: String,
}

impl Joiner {
    pub fn push(&mut self, e: AgentEvent) -> Vec<AgentEvent> {
        match e {
            AgentEvent::Chunk { text } => {
                self.pending.push_str(&text);
                Vec::new()
            }
            other => self.flush().into_iter().chain([other]).collect(),
        }
    }

    pub fn flush(&mut self) -> Option<AgentEvent> {
        (!self.pending.is_empty()).then(|| AgentEvent::Message {
            text: std::mem::take(&mut self.pending),
        })
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

/// Whether the user's `args` already pass one of `flags` (as `--flag value` or `--flag=value`).
fn passes(args: &[String], flags: &[&str]) -> bool {
    args.iter().any(|a| {
        flags
            .iter()
            .any(|f| a == f || a.strip_prefix(f).is_some_and(|rest| rest.starts_with('=')))
    })
}

/// Whether the user chose Codex's sandbox themselves: on the command line (`--sandbox`, `-c
/// sandbox_mode=…`, a profile, the bypass flag) or in Codex's own `config.toml`.
fn codex_sandbox_chosen(args: &[String], env: &[(String, String)]) -> bool {
    let flags = [
        "--sandbox",
        "-s",
        "--full-auto",
        "--dangerously-bypass-approvals-and-sandbox",
        "--yolo",
        "--profile",
        "-p",
    ];
    if passes(args, &flags) || args.iter().any(|a| a.contains("sandbox_mode")) {
        return true;
    }
    let home = env
        .iter()
        .find(|(k, _)| k == "CODEX_HOME")
        .map(|(_, v)| PathBuf::from(v))
        .or_else(|| std::env::var_os("CODEX_HOME").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".codex")));
    home.and_then(|h| std::fs::read_to_string(h.join("config.toml")).ok())
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("sandbox_mode"))
}

/// The command line an agent is started with; `sandboxed` when it will run under
/// Specwright's Landlock sandbox.
pub fn launch(agent: &AgentConfig, p: &Placeholders<'_>, sandboxed: bool) -> Launch {
    let program = |default: &str| -> Vec<String> {
        agent
            .argv
            .clone()
            .unwrap_or_else(|| vec![default.to_string()])
    };
    let args: Vec<String> = agent.args.iter().flatten().cloned().collect();
    let env: Vec<(String, String)> = agent
        .env
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut argv = match agent.kind {
        AgentKind::Claude => {
            let mut a = program("claude");
            a.extend(["-p", "--output-format", "stream-json", "--verbose"].map(String::from));
            // Headless Claude Code refuses every edit unless a permission mode allows it, and
            // still reports success; acceptEdits allows edits and nothing else.
            if !passes(
                &args,
                &["--permission-mode", "--dangerously-skip-permissions"],
            ) {
                a.extend(["--permission-mode", "acceptEdits"].map(String::from));
            }
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
            if !codex_sandbox_chosen(&args, &env) {
                // codex exec is read-only by default; a task has to write its files. Codex's
                // own sandbox is bubblewrap, which cannot mount inside a Landlock domain: under
                // Specwright's sandbox that one confines its writes instead.
                let mode = if sandboxed {
                    "danger-full-access"
                } else {
                    "workspace-write"
                };
                a.extend(["--sandbox", mode].map(String::from));
            }
            a
        }
        AgentKind::Gemini => {
            let mut a = program("gemini");
            a.extend(["--output-format", "stream-json"].map(String::from));
            // Headless Gemini offers no edit tool without an approval mode, and refuses to run
            // in a folder it has not been told to trust: every worktree is a fresh folder,
            // made from a repository the user has confirmed.
            if !passes(&args, &["--approval-mode", "--yolo", "-y"]) {
                a.extend(["--approval-mode", "auto_edit"].map(String::from));
            }
            if !passes(&args, &["--skip-trust"]) {
                a.push("--skip-trust".into());
            }
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
    argv.extend(args);
    if agent.kind == AgentKind::Codex {
        // `-` reads the prompt from stdin.
        argv.push("-".into());
    }
    Launch {
        argv,
        env,
        prompt_on_stdin: agent.kind != AgentKind::Acp,
        kind: agent.kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(kind: AgentKind, args: &[&str]) -> AgentConfig {
        AgentConfig {
            kind,
            argv: None,
            args: (!args.is_empty()).then(|| args.iter().map(|s| s.to_string()).collect()),
            env: Some([("CODEX_HOME".to_string(), "/nonexistent".to_string())].into()),
            model: None,
            max_turns: None,
            max_budget_usd: None,
        }
    }

    #[test]
    fn defaults_let_each_cli_write_and_the_users_flags_win() {
        let argv = |k, a: &[&str]| {
            launch(&agent(k, a), &Placeholders::UNFILLED, false)
                .argv
                .join(" ")
        };
        assert!(argv(AgentKind::Claude, &[]).contains("--permission-mode acceptEdits"));
        let plan = argv(AgentKind::Claude, &["--permission-mode=plan"]);
        assert!(!plan.contains("acceptEdits"), "{plan}");
        assert_eq!(
            argv(AgentKind::Codex, &[]),
            "codex exec --json --sandbox workspace-write -"
        );
        let own = argv(AgentKind::Codex, &["-c", "sandbox_mode=danger-full-access"]);
        assert!(!own.contains("workspace-write"), "{own}");
        let under_ours = launch(&agent(AgentKind::Codex, &[]), &Placeholders::UNFILLED, true).argv;
        assert!(
            under_ours
                .join(" ")
                .contains("--sandbox danger-full-access")
        );
        assert_eq!(
            argv(AgentKind::Gemini, &[]),
            "gemini --output-format stream-json --approval-mode auto_edit --skip-trust"
        );
        assert!(!argv(AgentKind::Gemini, &["--yolo"]).contains("auto_edit"));
    }

    #[test]
    fn a_sandbox_in_codexs_own_config_is_respected() {
        let home = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            home.path().join("config.toml"),
            "sandbox_mode = \"read-only\"\n",
        )
        .expect("write");
        let mut a = agent(AgentKind::Codex, &[]);
        a.env = Some([("CODEX_HOME".into(), home.path().to_string_lossy().into())].into());
        let argv = launch(&a, &Placeholders::UNFILLED, false).argv;
        assert!(!argv.iter().any(|x| x == "--sandbox"), "{argv:?}");
    }

    #[test]
    fn chunks_join_into_one_message() {
        let mut j = Joiner::default();
        let mut out = Vec::new();
        for w in ["Writ", "ing the ", "file."] {
            out.extend(j.push(AgentEvent::Chunk { text: w.into() }));
        }
        assert!(out.is_empty());
        out.extend(j.push(AgentEvent::Tool {
            name: "edit".into(),
            detail: "a".into(),
        }));
        out.extend(j.flush());
        assert_eq!(
            out[0],
            AgentEvent::Message {
                text: "Writing the file.".into()
            }
        );
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn command_placeholders_fill_argv() {
        let mut agent = agent(AgentKind::Command, &[]);
        agent.argv = Some(vec!["run".into(), "{task_id}:{prompt_file}".into()]);
        let l = launch(
            &agent,
            &Placeholders {
                prompt_file: "/p",
                worktree: "/w",
                task_id: "T1",
                branch: "b",
            },
            false,
        );
        assert_eq!(l.argv, vec!["run", "T1:/p"]);
    }
}
