//! The `git` command line, which is what worktrees are made of: the most faithful way to
//! create, inspect, merge and remove them. Every call names the folder it runs in; none of
//! them touches the user's index or working tree unless that folder is the user's checkout
//! and the call only reads.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::process::Command;

/// A failed git command, with what it printed.
#[derive(Debug, thiserror::Error)]
#[error("git {args}: {message}")]
pub struct GitError {
    pub args: String,
    pub message: String,
}

/// Runs git in `dir` and returns its standard output.
pub async fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| GitError {
            args: args.join(" "),
            message: format!("cannot start git: {e}"),
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let mut message = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if message.is_empty() {
            message = String::from_utf8_lossy(&out.stdout).trim().to_string();
        }
        Err(GitError {
            args: args.join(" "),
            message,
        })
    }
}

/// The top folder of the work tree that holds `dir`.
pub async fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    Ok(PathBuf::from(
        git(dir, &["rev-parse", "--show-toplevel"]).await?.trim(),
    ))
}

/// The repository's shared git folder (the main `.git` even from a linked worktree).
pub async fn common_dir(dir: &Path) -> Result<PathBuf, GitError> {
    let out = git(dir, &["rev-parse", "--git-common-dir"]).await?;
    let p = PathBuf::from(out.trim());
    Ok(if p.is_absolute() { p } else { dir.join(p) })
}

/// The commit `rev` names.
pub async fn commit_of(dir: &Path, rev: &str) -> Result<String, GitError> {
    Ok(git(
        dir,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )
    .await?
    .trim()
    .to_string())
}

pub async fn branch_exists(dir: &Path, branch: &str) -> bool {
    git(
        dir,
        &[
            "show-ref",
            "--verify",
            "--quiet",
            &format!("refs/heads/{branch}"),
        ],
    )
    .await
    .is_ok()
}

/// The branch checked out in `dir`, if any.
pub async fn current_branch(dir: &Path) -> Option<String> {
    git(dir, &["symbolic-ref", "--quiet", "--short", "HEAD"])
        .await
        .ok()
        .map(|s| s.trim().to_string())
}

/// Paths (repository-relative) among `paths` with uncommitted changes in `dir`.
pub async fn dirty(dir: &Path, paths: &[&str]) -> Vec<String> {
    let mut args = vec!["status", "--porcelain", "--"];
    args.extend_from_slice(paths);
    git(dir, &args)
        .await
        .map(|out| {
            out.lines()
                .filter_map(|l| l.get(3..).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Creates a worktree at `path` on a new `branch` starting at `base`.
pub async fn add_worktree(
    repo: &Path,
    path: &Path,
    branch: &str,
    base: &str,
) -> Result<(), GitError> {
    let p = path.to_string_lossy();
    git(
        repo,
        &["worktree", "add", "--quiet", "-b", branch, &p, base],
    )
    .await
    .map(|_| ())
}

/// Removes the worktree at `path` (refusing when it holds uncommitted work).
pub async fn remove_worktree(repo: &Path, path: &Path) -> Result<(), GitError> {
    let p = path.to_string_lossy();
    git(repo, &["worktree", "remove", &p]).await.map(|_| ())
}

/// The worktrees of the repository: `(path, branch)`.
pub async fn worktrees(repo: &Path) -> Vec<(PathBuf, Option<String>)> {
    let Ok(out) = git(repo, &["worktree", "list", "--porcelain"]).await else {
        return Vec::new();
    };
    let mut list = Vec::new();
    let mut path: Option<PathBuf> = None;
    for line in out.lines().chain(std::iter::once("")) {
        if let Some(p) = line.strip_prefix("worktree ") {
            path = Some(PathBuf::from(p));
        } else if let Some(b) = line.strip_prefix("branch ") {
            if let Some(p) = path.take() {
                list.push((p, Some(b.trim_start_matches("refs/heads/").to_string())));
            }
        } else if line.is_empty()
            && let Some(p) = path.take()
        {
            list.push((p, None));
        }
    }
    list
}

/// Identity for the commits Specwright itself makes, used only when the repository has none.
async fn identity(dir: &Path) -> Vec<String> {
    let configured = git(dir, &["config", "user.email"]).await.is_ok();
    if configured {
        Vec::new()
    } else {
        vec![
            "-c".into(),
            "user.name=Specwright".into(),
            "-c".into(),
            "user.email=specwright@localhost".into(),
        ]
    }
}

/// Commits whatever is staged in `dir` (a worktree) with `message`; `false` when nothing was.
pub async fn commit_staged(dir: &Path, message: &str) -> Result<bool, GitError> {
    if git(dir, &["diff", "--cached", "--quiet"]).await.is_ok() {
        return Ok(false);
    }
    let mut args = identity(dir).await;
    args.extend(["commit", "--quiet", "--no-verify", "-m", message].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    git(dir, &args).await.map(|_| true)
}

/// Merges `rev` into the branch checked out in `dir`. On a conflict the merge is aborted and
/// the conflicting paths returned.
pub async fn merge(
    dir: &Path,
    rev: &str,
    message: &str,
) -> Result<Result<(), Vec<String>>, GitError> {
    let mut args = identity(dir).await;
    args.extend(["merge", "--no-ff", "--no-edit", "-m", message, rev].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match git(dir, &args).await {
        Ok(_) => Ok(Ok(())),
        Err(e) => {
            let conflicts: Vec<String> = git(dir, &["diff", "--name-only", "--diff-filter=U"])
                .await
                .map(|o| o.lines().map(str::to_string).collect())
                .unwrap_or_default();
            if conflicts.is_empty() {
                return Err(e);
            }
            let _ = git(dir, &["merge", "--abort"]).await;
            Ok(Err(conflicts))
        }
    }
}

/// One changed path of a worktree against its base.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Changed {
    pub path: String,
    /// `A`dded, `M`odified, `D`eleted, `R`enamed.
    pub status: char,
}

/// Stages everything in worktree `dir` (its own index) and lists what differs from `base`:
/// committed and uncommitted work alike.
pub async fn stage_and_list(dir: &Path, base: &str) -> Result<Vec<Changed>, GitError> {
    git(dir, &["add", "--all"]).await?;
    let out = git(
        dir,
        &[
            "diff",
            "--cached",
            "--name-status",
            "--no-renames",
            "-z",
            base,
        ],
    )
    .await?;
    let mut parts = out.split('\0').filter(|s| !s.is_empty());
    let mut list = Vec::new();
    while let (Some(status), Some(path)) = (parts.next(), parts.next()) {
        list.push(Changed {
            path: path.to_string(),
            status: status.chars().next().unwrap_or('M'),
        });
    }
    Ok(list)
}

/// The lines added to `path` in `dir`'s index against `base`.
pub async fn added_lines(dir: &Path, base: &str, path: &str) -> Vec<String> {
    git(
        dir,
        &["diff", "--cached", "-U0", "--no-color", base, "--", path],
    )
    .await
    .map(|out| {
        out.lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .map(|l| l[1..].to_string())
            .collect()
    })
    .unwrap_or_default()
}

/// Commits in `dir` since `base`, oldest first: `(sha, subject)`.
pub async fn commits_since(dir: &Path, base: &str) -> Vec<(String, String)> {
    git(
        dir,
        &[
            "log",
            "--reverse",
            "--format=%H%x09%s",
            &format!("{base}..HEAD"),
        ],
    )
    .await
    .map(|out| {
        out.lines()
            .filter_map(|l| {
                let (h, s) = l.split_once('\t')?;
                Some((h.to_string(), s.to_string()))
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Adds `pattern` to the repository's `info/exclude` unless it is there: run records stay out
/// of `git status` without touching the user's `.gitignore`.
pub async fn exclude(repo: &Path, pattern: &str) -> Result<(), String> {
    let dir = common_dir(repo).await.map_err(|e| e.to_string())?;
    let file = dir.join("info").join("exclude");
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    if text.lines().any(|l| l.trim() == pattern) {
        return Ok(());
    }
    std::fs::create_dir_all(dir.join("info")).map_err(|e| e.to_string())?;
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(pattern);
    new.push('\n');
    std::fs::write(&file, new).map_err(|e| format!("{}: {e}", file.display()))
}
