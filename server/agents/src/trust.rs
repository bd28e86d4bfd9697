//! Consent to run what a repository defines: agent command lines, acceptance check commands and
//! ADR confirmation snippets. Each is confirmed once, per repository and per exact command;
//! the answers live outside the repository, in the user's configuration folder
//! (`$SPECWRIGHT_CONFIG_DIR` or `<config dir>/specwright/trust.json`), shared by the CLI and the
//! server. A changed command has a new digest and is asked about again.

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Something that would run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Runnable {
    /// "agent `claude`", "check of T012", "confirmation of ADR-0003".
    pub what: String,
    /// The exact command line, as the user will see it.
    pub command: String,
}

impl Runnable {
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.command.as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn store() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SPECWRIGHT_CONFIG_DIR") {
        return Some(PathBuf::from(dir).join("trust.json"));
    }
    dirs::config_dir().map(|d| d.join("specwright").join("trust.json"))
}

type Store = BTreeMap<String, BTreeSet<String>>;

fn load(path: &Path) -> Store {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn key(root: &Path) -> String {
    std::fs::canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// The items of `items` not yet confirmed for the repository at `root`.
pub fn untrusted(root: &Path, items: &[Runnable]) -> Vec<Runnable> {
    let known = store()
        .map(|p| load(&p))
        .unwrap_or_default()
        .remove(&key(root))
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    items
        .iter()
        .filter(|i| !known.contains(&i.digest()) && seen.insert(i.digest()))
        .cloned()
        .collect()
}

/// Records the user's confirmation of `items` for the repository at `root`.
pub fn confirm(root: &Path, items: &[Runnable]) -> Result<(), String> {
    let path = store().ok_or("no configuration folder to keep the answer in")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // The CLI and servers may confirm at the same time: read-modify-write under a lock.
    let lock_path = path.with_extension("json.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("{}: {e}", lock_path.display()))?;
    let _guard = nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| format!("{}: {e}", lock_path.display()))?;
    let mut all = load(&path);
    let entry = all.entry(key(root)).or_default();
    entry.extend(items.iter().map(Runnable::digest));
    crate::record::write_json(&path, &all).map_err(|e| format!("{}: {e}", path.display()))
}
