//! `specwright init`: detect the spec conventions a repository uses and write a commented
//! `specwright.toml`.

use anyhow::{Context, bail};
use specwright_core::config::{self, FILE_NAME};
use specwright_core::kind::Family;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, force: bool) -> anyhow::Result<PathBuf> {
    let target = dir.join(FILE_NAME);
    if target.exists() && !force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            target.display()
        );
    }
    let text = config::template(&detect(dir));
    std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
    Ok(target)
}

fn detect(dir: &Path) -> Vec<Family> {
    let mut found = Vec::new();
    let has_numbered_subdir = |p: PathBuf| {
        std::fs::read_dir(p)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                e.path().is_dir()
                    && name.len() > 4
                    && name[..3].bytes().all(|b| b.is_ascii_digit())
                    && name.as_bytes()[3] == b'-'
            })
    };
    if has_numbered_subdir(dir.join("specs")) {
        found.push(Family::SpecKit);
    }
    if dir.join(".kiro/specs").is_dir() {
        found.push(Family::Kiro);
    }
    if dir.join("openspec").is_dir() {
        found.push(Family::OpenSpec);
    }
    let adr_dirs = ["docs/adr", "doc/adr", "docs/decisions", "adr", "decisions"];
    if adr_dirs.iter().any(|d| dir.join(d).is_dir()) {
        found.push(Family::Madr);
    }
    if dir.join("keps").is_dir() || dir.join("rfcs").is_dir() {
        found.push(Family::KepRfc);
    }
    found
}

/// The agents `init --agent` can set up.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Agent {
    /// Claude Code: a PostToolUse hook in `.claude/settings.json`, the MCP server in `.mcp.json`.
    Claude,
    /// Gemini CLI: an AfterTool hook and the MCP server in `.gemini/settings.json`.
    Gemini,
    /// Codex CLI: the MCP server in `.codex/config.toml` (Codex has no hook that reaches the model).
    Codex,
    /// Cursor: the MCP server in `.cursor/mcp.json`.
    Cursor,
    /// Kiro: the MCP server in `.kiro/settings/mcp.json` and an agent hook that asks the agent
    /// to check each Markdown file it edits.
    Kiro,
}

/// The hook command Claude Code runs.
const CLAUDE_HOOK: &str = "specwright hook claude";
/// The hook command Gemini CLI runs.
const GEMINI_HOOK: &str = "specwright hook gemini";
/// Kiro's agent hook, `.kiro/hooks/specwright-check.kiro.hook`.
const KIRO_HOOK: &str = "specwright-check.kiro.hook";

/// Sets up `agent` in `dir`, merging with what is there: other settings, servers and hooks are
/// kept as they are, and a second run changes nothing. For Claude Code: the hook in
/// `.claude/settings.json` (shared with the project), the MCP server in `.mcp.json`, and in
/// `.claude/settings.local.json` (the user's own) that server enabled and its tools allowed —
/// they only read. A file that does not read as a JSON object is an error, and nothing of it is
/// written. Returns each file and whether it changed.
pub fn agent(dir: &Path, agent: Agent) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    match agent {
        Agent::Claude => {
            let mut out = Vec::new();
            out.push(merge(&dir.join(".claude/settings.json"), |root| {
                let post = array_at(root, &["hooks", "PostToolUse"])?;
                let present = has_command(post, CLAUDE_HOOK);
                if !present {
                    post.push(serde_json::json!({
                        "matcher": "Write|Edit|MultiEdit",
                        "hooks": [{ "type": "command", "command": CLAUDE_HOOK }]
                    }));
                }
                Ok(!present)
            })?);
            out.push(merge(&dir.join(".mcp.json"), |root| {
                mcp_server(root, &["mcpServers"])
            })?);
            out.push(merge(&dir.join(".claude/settings.local.json"), |root| {
                let enabled = add(array_at(root, &["enabledMcpjsonServers"])?, "specwright");
                let allowed = add(
                    array_at(root, &["permissions", "allow"])?,
                    "mcp__specwright",
                );
                Ok(enabled || allowed)
            })?);
            Ok(out)
        }
        Agent::Gemini => {
            let mut out = Vec::new();
            out.push(merge(&dir.join(".gemini/settings.json"), |root| {
                let after = array_at(root, &["hooks", "AfterTool"])?;
                let hooked = has_command(after, GEMINI_HOOK);
                if !hooked {
                    after.push(serde_json::json!({
                        "matcher": "write_file|replace",
                        "hooks": [{
                            "name": "specwright",
                            "type": "command",
                            "command": GEMINI_HOOK,
                            "description": "Check each Markdown file the agent writes; findings go back to the model."
                        }]
                    }));
                }
                let served = mcp_server(root, &["mcpServers"])?;
                Ok(!hooked || served)
            })?);
            Ok(out)
        }
        Agent::Cursor => Ok(vec![merge(&dir.join(".cursor/mcp.json"), |root| {
            mcp_server(root, &["mcpServers"])
        })?]),
        Agent::Kiro => {
            let mut out = vec![merge(&dir.join(".kiro/settings/mcp.json"), |root| {
                mcp_server(root, &["mcpServers"])
            })?];
            out.push(merge(&dir.join(".kiro/hooks").join(KIRO_HOOK), |root| {
                if !root.is_empty() {
                    return Ok(false);
                }
                let hook = serde_json::json!({
                    "enabled": true,
                    "name": "Specwright check",
                    "description": "After a Markdown spec is edited, check it with Specwright and fix what it finds.",
                    "version": "1",
                    "when": { "type": "fileEdited", "patterns": ["**/*.md"] },
                    "then": {
                        "type": "askAgent",
                        "prompt": "A Markdown file was just edited. Call the specwright MCP server's `check` tool on it and fix each finding in the file, or say why it stands."
                    }
                });
                if let Some(h) = hook.as_object() {
                    root.extend(h.clone());
                }
                Ok(true)
            })?);
            Ok(out)
        }
        Agent::Codex => Ok(vec![codex(&dir.join(".codex/config.toml"))?]),
    }
}

/// Whether a hooks list already runs `command`.
fn has_command(list: &[serde_json::Value], command: &str) -> bool {
    list.iter().any(|m| {
        m["hooks"].as_array().is_some_and(|hs| {
            hs.iter()
                .any(|h| h["command"].as_str().is_some_and(|c| c.contains(command)))
        })
    })
}

/// Registers the MCP server under `keys` unless a `specwright` server is there; whether it did.
fn mcp_server(
    root: &mut serde_json::Map<String, serde_json::Value>,
    keys: &[&str],
) -> anyhow::Result<bool> {
    let servers = object_at(root, keys)?;
    if servers.contains_key("specwright") {
        return Ok(false);
    }
    servers.insert(
        "specwright".into(),
        serde_json::json!({ "command": "specwright", "args": ["mcp"] }),
    );
    Ok(true)
}

/// Codex reads TOML: the server's table is appended to what is there, which is kept byte for
/// byte (a TOML file is not rewritten, so its comments and order stay). A file that does not
/// parse is an error, and nothing is written.
fn codex(path: &Path) -> anyhow::Result<(PathBuf, bool)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let parsed: toml::Table = toml::from_str(&text)
        .with_context(|| format!("{} is not TOML; nothing was written", path.display()))?;
    let servers = parsed.get("mcp_servers");
    if servers.is_some_and(|s| !s.is_table()) {
        bail!(
            "`mcp_servers` in {} is not a table; nothing was written",
            path.display()
        );
    }
    if servers.and_then(|s| s.get("specwright")).is_some() {
        return Ok((path.to_path_buf(), false));
    }
    let mut out = text;
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str("[mcp_servers.specwright]\ncommand = \"specwright\"\nargs = [\"mcp\"]\n");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let tmp = path.with_extension("toml.specwright-tmp");
    std::fs::write(&tmp, out).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok((path.to_path_buf(), true))
}

/// Adds `value` to a list of strings unless it is there; whether it was added.
fn add(list: &mut Vec<serde_json::Value>, value: &str) -> bool {
    if list.iter().any(|v| v == value) {
        return false;
    }
    list.push(serde_json::Value::String(value.into()));
    true
}

fn object_at<'a>(
    root: &'a mut serde_json::Map<String, serde_json::Value>,
    keys: &[&str],
) -> anyhow::Result<&'a mut serde_json::Map<String, serde_json::Value>> {
    let mut at = root;
    for k in keys {
        at = at
            .entry(*k)
            .or_insert_with(|| serde_json::json!({}))
            .as_object_mut()
            .with_context(|| format!("`{}` is not an object", keys.join(".")))?;
    }
    Ok(at)
}

fn array_at<'a>(
    root: &'a mut serde_json::Map<String, serde_json::Value>,
    keys: &[&str],
) -> anyhow::Result<&'a mut Vec<serde_json::Value>> {
    let (last, parents) = keys.split_last().context("no key")?;
    object_at(root, parents)?
        .entry(*last)
        .or_insert_with(|| serde_json::json!([]))
        .as_array_mut()
        .with_context(|| format!("`{}` is not a list", keys.join(".")))
}

/// Reads the JSON object at `path` (none: empty), lets `change` edit it, and writes it back
/// (atomically) when it says it changed something.
fn merge(
    path: &Path,
    change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>) -> anyhow::Result<bool>,
) -> anyhow::Result<(PathBuf, bool)> {
    let mut value: serde_json::Value = match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON; nothing was written", path.display()))?,
        Ok(_) => serde_json::json!({}),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => serde_json::json!({}),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let Some(root) = value.as_object_mut() else {
        bail!(
            "{} is not a JSON object; nothing was written",
            path.display()
        );
    };
    let changed =
        change(root).with_context(|| format!("in {}: nothing was written", path.display()))?;
    if changed {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let tmp = path.with_extension("json.specwright-tmp");
        let text = serde_json::to_string_pretty(&value)? + "\n";
        std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok((path.to_path_buf(), changed))
}

#[cfg(test)]
mod agent_tests {
    use super::*;

    #[test]
    fn the_claude_hook_merges_with_existing_settings_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".claude/settings.json");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            &path,
            r#"{"model": "opus", "hooks": {"PostToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "audit.sh"}]}]}}"#,
        )
        .expect("write");
        assert!(
            agent(dir.path(), Agent::Claude)
                .expect("init")
                .iter()
                .all(|(_, c)| *c)
        );
        assert!(
            agent(dir.path(), Agent::Claude)
                .expect("again")
                .iter()
                .all(|(_, c)| !*c),
            "a second run changes nothing"
        );
        let mcp: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(".mcp.json")).expect("mcp"),
        )
        .expect("json");
        assert_eq!(mcp["mcpServers"]["specwright"]["args"][0], "mcp");
        let local =
            std::fs::read_to_string(dir.path().join(".claude/settings.local.json")).expect("local");
        assert!(local.contains("mcp__specwright") && local.contains("enabledMcpjsonServers"));
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        assert_eq!(v["model"], "opus");
        let post = v["hooks"]["PostToolUse"].as_array().expect("list");
        assert_eq!(post.len(), 2);
        assert_eq!(post[0]["hooks"][0]["command"], "audit.sh");
        assert_eq!(post[1]["hooks"][0]["command"], CLAUDE_HOOK);
        std::fs::write(&path, "{ not json").expect("write");
        assert!(agent(dir.path(), Agent::Claude).is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "{ not json");
    }

    fn json_at(path: &Path) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
    }

    #[test]
    fn gemini_cursor_and_kiro_get_the_server_and_their_hooks_merged_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let gemini = dir.path().join(".gemini/settings.json");
        std::fs::create_dir_all(gemini.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            &gemini,
            r#"{"theme": "dark", "mcpServers": {"other": {"command": "x"}}}"#,
        )
        .expect("write");
        for a in [Agent::Gemini, Agent::Cursor, Agent::Kiro] {
            assert!(agent(dir.path(), a).expect("init").iter().all(|(_, c)| *c));
            assert!(
                agent(dir.path(), a)
                    .expect("again")
                    .iter()
                    .all(|(_, c)| !*c),
                "a second run changes nothing"
            );
        }
        let g = json_at(&gemini);
        assert_eq!(g["theme"], "dark");
        assert_eq!(g["mcpServers"]["other"]["command"], "x");
        assert_eq!(g["mcpServers"]["specwright"]["args"][0], "mcp");
        assert_eq!(g["hooks"]["AfterTool"][0]["matcher"], "write_file|replace");
        assert_eq!(
            g["hooks"]["AfterTool"][0]["hooks"][0]["command"],
            GEMINI_HOOK
        );
        let cursor = json_at(&dir.path().join(".cursor/mcp.json"));
        assert_eq!(cursor["mcpServers"]["specwright"]["command"], "specwright");
        let kiro = json_at(&dir.path().join(".kiro/settings/mcp.json"));
        assert_eq!(kiro["mcpServers"]["specwright"]["command"], "specwright");
        let hook = json_at(&dir.path().join(".kiro/hooks").join(KIRO_HOOK));
        assert_eq!(hook["when"]["type"], "fileEdited");
        assert_eq!(hook["then"]["type"], "askAgent");
        // A hook the user edited is theirs: it is not rewritten.
        let edited = r#"{"enabled": false, "name": "mine"}"#;
        std::fs::write(dir.path().join(".kiro/hooks").join(KIRO_HOOK), edited).expect("write");
        agent(dir.path(), Agent::Kiro).expect("again");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".kiro/hooks").join(KIRO_HOOK)).expect("read"),
            edited
        );
    }

    #[test]
    fn codex_gets_a_table_appended_and_its_file_kept_byte_for_byte() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".codex/config.toml");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let before = "# my settings\nmodel = \"o4\"  # keep this comment\n\n[mcp_servers.other]\ncommand = \"x\"";
        std::fs::write(&path, before).expect("write");
        assert!(agent(dir.path(), Agent::Codex).expect("init")[0].1);
        let after = std::fs::read_to_string(&path).expect("read");
        assert!(after.starts_with(before), "{after}");
        let parsed: toml::Table = toml::from_str(&after).expect("toml");
        assert_eq!(
            parsed["mcp_servers"]["specwright"]["args"][0].as_str(),
            Some("mcp")
        );
        assert_eq!(
            parsed["mcp_servers"]["other"]["command"].as_str(),
            Some("x")
        );
        assert!(!agent(dir.path(), Agent::Codex).expect("again")[0].1);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), after);
        std::fs::write(&path, "model = [").expect("write");
        assert!(agent(dir.path(), Agent::Codex).is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "model = [");
    }
}
