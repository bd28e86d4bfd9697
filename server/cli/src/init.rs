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
    /// Claude Code: a PostToolUse hook in `.claude/settings.json`.
    Claude,
}

/// The hook command Claude Code runs.
const CLAUDE_HOOK: &str = "specwright hook claude";

/// Adds Specwright's hook to the agent's project settings in `dir`, merging with what is there:
/// other settings and hooks are kept as they are, and a second run changes nothing. A settings
/// file that does not read as a JSON object is an error, and nothing is written.
pub fn agent(dir: &Path, agent: Agent) -> anyhow::Result<(PathBuf, bool)> {
    match agent {
        Agent::Claude => {
            let path = dir.join(".claude").join("settings.json");
            let mut settings: serde_json::Value = match std::fs::read_to_string(&path) {
                Ok(text) if !text.trim().is_empty() => {
                    serde_json::from_str(&text).with_context(|| {
                        format!("{} is not JSON; nothing was written", path.display())
                    })?
                }
                Ok(_) => serde_json::json!({}),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => serde_json::json!({}),
                Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
            };
            let Some(root) = settings.as_object_mut() else {
                bail!(
                    "{} is not a JSON object; nothing was written",
                    path.display()
                );
            };
            let hooks = root.entry("hooks").or_insert_with(|| serde_json::json!({}));
            let Some(hooks) = hooks.as_object_mut() else {
                bail!(
                    "`hooks` in {} is not an object; nothing was written",
                    path.display()
                );
            };
            let post = hooks
                .entry("PostToolUse")
                .or_insert_with(|| serde_json::json!([]));
            let Some(post) = post.as_array_mut() else {
                bail!(
                    "`hooks.PostToolUse` in {} is not a list; nothing was written",
                    path.display()
                );
            };
            let present = post.iter().any(|m| {
                m["hooks"].as_array().is_some_and(|hs| {
                    hs.iter().any(|h| {
                        h["command"]
                            .as_str()
                            .is_some_and(|c| c.contains(CLAUDE_HOOK))
                    })
                })
            });
            if present {
                return Ok((path, false));
            }
            post.push(serde_json::json!({
                "matcher": "Write|Edit|MultiEdit",
                "hooks": [{ "type": "command", "command": CLAUDE_HOOK }]
            }));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            let tmp = path.with_extension("json.specwright-tmp");
            let text = serde_json::to_string_pretty(&settings)? + "\n";
            std::fs::write(&tmp, text)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, &path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok((path, true))
        }
    }
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
        assert!(agent(dir.path(), Agent::Claude).expect("init").1);
        assert!(
            !agent(dir.path(), Agent::Claude).expect("again").1,
            "a second run changes nothing"
        );
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
}
