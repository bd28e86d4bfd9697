//! Keeping an agent inside what it was given, two independent ways.
//!
//! 1. **Landlock**: the agent's process (and everything it starts) may write only in its
//!    worktree, the temporary folder, `/dev` (terminals, `/dev/null`), `/proc` and its own state and cache
//!    folders; reads and the network are untouched. Built in the parent, applied in the child
//!    between `fork` and `exec`.
//! 2. **A fingerprint of the user's checkout** (HEAD, index, and the content of every changed or
//!    untracked file) taken before and after each task: any difference is an escape, whoever
//!    made it. The tasks file is compared with its checkboxes blanked, because dispatch itself
//!    ticks them while tasks run.

use landlock::{
    ABI, AccessFs, Ruleset, RulesetAttr, RulesetCreated, RulesetCreatedAttr, path_beneath_rules,
};
use sha2::{Digest, Sha256};
use specwright_core::config::AgentKind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The Landlock ABI the running kernel offers (0: none).
pub fn kernel_abi() -> i32 {
    // SAFETY: landlock_create_ruleset with a null attribute, size 0 and the VERSION flag only
    // reports the ABI version; it creates nothing and touches no memory of ours.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            1u32,
        )
    };
    i32::try_from(v).unwrap_or(0).max(0)
}

/// The folders each kind of agent keeps its own state and caches in, under the home folder.
pub fn state_dirs(kind: AgentKind) -> &'static [&'static str] {
    match kind {
        AgentKind::Claude => &[".claude", ".cache", ".npm", ".local/state", ".local/share"],
        AgentKind::Codex => &[".codex", ".cache", ".npm"],
        AgentKind::Gemini => &[".gemini", ".cache", ".npm", ".config"],
        AgentKind::Acp | AgentKind::Command => &[".cache", ".npm", ".local/state"],
    }
}

/// The kind whose state folders an agent gets. ACP agents are mostly adapters of the CLIs
/// (claude-code-acp, `gemini --acp`): they get those of the CLI their command line names.
fn state_kind(launch: &crate::agent::Launch) -> AgentKind {
    match launch.kind {
        AgentKind::Acp => {
            let line = launch.argv.join(" ");
            [
                ("claude", AgentKind::Claude),
                ("gemini", AgentKind::Gemini),
                ("codex", AgentKind::Codex),
            ]
            .into_iter()
            .find(|(name, _)| line.contains(name))
            .map_or(AgentKind::Acp, |(_, k)| k)
        }
        k => k,
    }
}

/// The agent's state folders and files under the home folder.
fn state_paths(launch: &crate::agent::Launch) -> (Vec<PathBuf>, Option<PathBuf>) {
    let Some(home) = std::env::var_os("HOME").map(PathBuf::from) else {
        return (Vec::new(), None);
    };
    let kind = state_kind(launch);
    let dirs = state_dirs(kind).iter().map(|d| home.join(d)).collect();
    // Claude Code keeps its settings in ~/.claude.json, beside the folder, and will not start
    // an ACP session when it cannot write it. The file alone is writable, not the home folder.
    let file = (kind == AgentKind::Claude).then(|| home.join(".claude.json"));
    (dirs, file)
}

/// Makes the agent's state folders (and Claude's settings file, empty but valid) that it would
/// make on first use and, under the sandbox, could not. Only when an agent is about to run.
pub fn prepare(launch: &crate::agent::Launch) {
    let (dirs, file) = state_paths(launch);
    for dir in dirs {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Some(file) = file.filter(|f| !f.exists()) {
        let _ = std::fs::write(file, "{}\n");
    }
}

/// Where an agent may write: its worktree, the temporary folder, `/dev`, `/proc`, its state
/// folders and files that exist ([`prepare`] makes them), the agent's `CODEX_HOME` /
/// `CLAUDE_CONFIG_DIR` / `GEMINI_CLI_HOME` when set, and what `[dispatch] writable` adds.
/// Reads only.
pub fn writable(worktree: &Path, launch: &crate::agent::Launch, extra: &[String]) -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let expand = |p: &str| -> Option<PathBuf> {
        match p.strip_prefix("~/") {
            Some(rest) => home.as_ref().map(|h| h.join(rest)),
            None => Some(PathBuf::from(p)),
        }
    };
    let mut out = vec![
        worktree.to_path_buf(),
        std::env::temp_dir(),
        PathBuf::from("/dev"),
        // Not the user's files: sandboxes an agent starts itself (Codex's bubblewrap) write
        // their user-namespace maps there.
        PathBuf::from("/proc"),
    ];
    let (dirs, file) = state_paths(launch);
    out.extend(dirs);
    out.extend(file);
    for (k, v) in &launch.env {
        if matches!(
            k.as_str(),
            "CODEX_HOME" | "CLAUDE_CONFIG_DIR" | "GEMINI_CLI_HOME" | "TMPDIR" | "XDG_CACHE_HOME"
        ) && let Some(p) = expand(v)
        {
            out.push(p);
        }
    }
    out.extend(extra.iter().filter_map(|p| expand(p)));
    out.retain(|p| p.is_absolute() && p.exists());
    out.sort();
    out.dedup();
    out
}

/// A ruleset allowing writes only beneath `paths`, ready to be applied in the child.
pub fn ruleset(paths: &[PathBuf]) -> Result<RulesetCreated, String> {
    let write = AccessFs::from_write(ABI::V7);
    Ruleset::default()
        .handle_access(write)
        .and_then(|r| r.create())
        .and_then(|r| r.add_rules(path_beneath_rules(paths, write)))
        .map_err(|e| format!("the sandbox's rules: {e}"))
}

/// What could be seen of a checkout: HEAD, the index, and each changed or untracked path with
/// a hash of its content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    head: String,
    index: String,
    files: BTreeMap<String, String>,
}

/// Takes the fingerprint of `root`; `tasks_rel` is compared with its checkboxes blanked.
pub async fn fingerprint(root: &Path, tasks_rel: &str) -> Fingerprint {
    let git = |args: &'static [&'static str]| async move {
        crate::git::git(root, args).await.unwrap_or_default()
    };
    let head = git(&["rev-parse", "--verify", "-q", "HEAD"]).await;
    let index = hash(git(&["ls-files", "--stage"]).await.as_bytes());
    let status = git(&["status", "--porcelain=v1", "-z", "--untracked-files=all"]).await;
    let mut files = BTreeMap::new();
    let mut entries = status.split('\0');
    while let Some(entry) = entries.next() {
        let (Some(code), Some(path)) = (entry.get(..2), entry.get(3..)) else {
            continue;
        };
        if code.contains('R') || code.contains('C') {
            // A rename or copy is followed by its source path.
            entries.next();
        }
        if path != tasks_rel {
            let content = std::fs::read(root.join(path)).unwrap_or_default();
            files.insert(path.to_string(), format!("{code}:{}", hash(&content)));
        }
    }
    // The tasks file by its text alone, checkboxes blanked: dispatch ticks it while tasks
    // run, which makes it "modified" without anyone else touching it.
    let tasks = std::fs::read(root.join(tasks_rel)).unwrap_or_default();
    files.insert(tasks_rel.to_string(), hash(&blank_checkboxes(&tasks)));
    Fingerprint { head, index, files }
}

/// What differs between two fingerprints of one checkout, as paths (and "HEAD", "the index").
pub fn changes(before: &Fingerprint, after: &Fingerprint) -> Vec<String> {
    let mut out = Vec::new();
    if before.head != after.head {
        out.push("HEAD (a commit or checkout in the user's repository)".to_string());
    }
    if before.index != after.index {
        out.push("the index".to_string());
    }
    let paths: std::collections::BTreeSet<&String> =
        before.files.keys().chain(after.files.keys()).collect();
    for p in paths {
        if before.files.get(p) != after.files.get(p) {
            out.push(p.clone());
        }
    }
    out
}

/// A short hex digest of `bytes`.
pub fn hash(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// The text with every task checkbox mark (`[x]`, `[X]`, `[-]`, `[~]`) made `[ ]`.
fn blank_checkboxes(content: &[u8]) -> Vec<u8> {
    static RE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(r"(?m)^(\s*(?:[-*+]|\d+[.)])\s+|#{1,6}\s+)\[[ xX~\-]\]")
            .unwrap_or_else(|e| panic!("the checkbox pattern: {e}"))
    });
    RE.replace_all(content, &b"${1}[ ]"[..]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticking_a_task_is_not_a_change_but_editing_its_text_is() {
        let a = blank_checkboxes(b"- [ ] T1 Do\n  - [x] 1.1 Sub\n### [X] T2: Head\n");
        let b = blank_checkboxes(b"- [x] T1 Do\n  - [ ] 1.1 Sub\n### [ ] T2: Head\n");
        assert_eq!(a, b);
        assert_ne!(
            a,
            blank_checkboxes(b"- [x] T1 Done\n  - [ ] 1.1 Sub\n### [ ] T2: Head\n")
        );
    }

    #[test]
    fn the_kernels_abi_is_read() {
        // Whatever the machine: a number, never a crash.
        assert!(kernel_abi() >= 0);
    }
}
