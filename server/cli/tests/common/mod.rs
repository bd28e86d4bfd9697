//! Helpers the end-to-end test binaries share.

use std::path::Path;

/// Copies a folder tree (the examples a test works on).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A git repository made from `tests/fixtures/dispatch/repo` in `dest`, its fake agent pointed
/// at `tests/agents/fake_agent.py` working for `delay` seconds per task. Returns its root.
#[allow(dead_code)]
pub fn dispatch_repo(dest: &Path, delay: &str) -> std::path::PathBuf {
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = dest.join("repo");
    copy_dir(&repo_root.join("tests/fixtures/dispatch/repo"), &root);
    let config = root.join("specwright.toml");
    let fake = std::fs::canonicalize(repo_root.join("tests/agents/fake_agent.py")).unwrap();
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("@FAKE_AGENT@", &fake.to_string_lossy())
        .replace("@FAKE_AGENT_DELAY@", delay);
    std::fs::write(&config, text).unwrap();
    for args in [
        &["init", "--quiet", "-b", "main"][..],
        &["add", "--all"],
        &["commit", "--quiet", "-m", "start"],
    ] {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(&root)
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }
    std::fs::canonicalize(root).unwrap()
}

/// Whether `pid` runs (a zombie waiting to be reaped does not).
#[allow(dead_code)]
pub fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

/// The pids the fake agent wrote to `file` (its own and its child's), once there are `n`.
#[allow(dead_code)]
pub fn wait_for_pids(file: &Path, n: usize) -> Vec<i32> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let pids: Vec<i32> = std::fs::read_to_string(file)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        if pids.len() >= n {
            return pids;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the agent did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Installs the pinned agent CLIs and MCP Inspector into target/agent-clis (once) and returns
/// their bin folder.
#[allow(dead_code)]
pub fn clis() -> std::path::PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/agents/install-clis.sh");
    let out = std::process::Command::new("bash")
        .arg(script)
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("run install-clis.sh");
    assert!(out.status.success(), "installing the agent CLIs failed");
    std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// Runs git in `dir` with a fixed identity; panics when it fails. Its standard output.
#[allow(dead_code)]
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@t")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@t")
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A Python virtual environment under `target/<name>`, with `packages` (pip arguments) installed
/// from PyPI once: reinstalled when `stamp` (what was asked for) changes. Its folder.
#[allow(dead_code)]
pub fn venv(name: &str, packages: &[&str], stamp: &str) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap();
    let venv = root.join("target").join(name);
    let marker = venv.join("installed.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(stamp) {
        return venv;
    }
    let status = std::process::Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("python3 -m venv");
    assert!(status.success(), "could not create {}", venv.display());
    let status = std::process::Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .args(packages)
        .status()
        .expect("pip install");
    assert!(status.success(), "could not install {packages:?} from PyPI");
    std::fs::write(&marker, stamp).unwrap();
    venv
}
