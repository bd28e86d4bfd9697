//! Integration: merging the passed task branches of a run, in dependency order, into a branch
//! the user names, in a worktree of its own, so the user's checkout and current branch are
//! never touched. Stops at the first conflict with a report of where.

use crate::git;
use crate::record::{self, Outcome};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Integration {
    pub target: String,
    pub run: String,
    /// `(task, branch)` merged, in order.
    pub merged: Vec<(String, String)>,
    /// `(task, branch, conflicting paths)` where it stopped.
    pub conflict: Option<(String, String, Vec<String>)>,
    /// Tasks of the run that did not pass and were left out.
    pub left_out: Vec<(String, String)>,
    pub created: bool,
}

impl Integration {
    pub fn report(&self) -> String {
        let mut s = String::new();
        if self.merged.is_empty() && self.conflict.is_none() {
            s.push_str(&format!("nothing to merge into {}\n", self.target));
        }
        for (task, branch) in &self.merged {
            s.push_str(&format!("merged {task} ({branch}) into {}\n", self.target));
        }
        if let Some((task, branch, paths)) = &self.conflict {
            s.push_str(&format!(
                "conflict: {task} ({branch}) does not merge into {} cleanly; conflicting: {}\n\
                 {} keeps the merges before it; resolve by merging {branch} by hand\n",
                self.target,
                paths.join(", "),
                self.target
            ));
        }
        for (task, outcome) in &self.left_out {
            s.push_str(&format!("left out {task}: {outcome}\n"));
        }
        s
    }
}

/// Merges the passed branches of `run` (default: the latest run) into `target`, creating it
/// at the run's base when it does not exist.
pub async fn integrate(
    root: &Path,
    run: Option<&str>,
    target: &str,
    worktree_root: &Path,
) -> Result<Integration, String> {
    let run = match run {
        Some(id) => record::load_run(root, id).ok_or_else(|| format!("no run {id}"))?,
        None => record::runs(root)
            .into_iter()
            .next()
            .ok_or("no run yet: dispatch first")?,
    };
    if git::current_branch(root).await.as_deref() == Some(target) {
        return Err(format!(
            "{target} is the branch checked out here; integrate into another branch (e.g. specwright/integrate) and merge that yourself"
        ));
    }
    for (path, branch) in git::worktrees(root).await {
        if branch.as_deref() == Some(target) {
            return Err(format!(
                "{target} is checked out in {}; integrate into a branch no worktree uses",
                path.display()
            ));
        }
    }
    if !run
        .results
        .iter()
        .any(|r| r.outcome == Outcome::Passed && r.branch.is_some())
    {
        // Nothing to merge: no branch is made, no worktree added.
        return Ok(Integration {
            target: target.to_string(),
            run: run.info.id.clone(),
            merged: Vec::new(),
            conflict: None,
            left_out: run
                .results
                .iter()
                .map(|r| (r.task.clone(), r.outcome.as_str().to_string()))
                .collect(),
            created: false,
        });
    }
    let created = !git::branch_exists(root, target).await;
    let dir: PathBuf = worktree_root.join(format!("integrate--{}", target.replace('/', "--")));
    if dir.exists() {
        let _ = git::remove_worktree(root, &dir).await;
    }
    let p = dir.to_string_lossy().into_owned();
    let add = if created {
        git::git(
            root,
            &[
                "worktree",
                "add",
                "--quiet",
                "-b",
                target,
                &p,
                &run.info.base,
            ],
        )
        .await
    } else {
        git::git(root, &["worktree", "add", "--quiet", &p, target]).await
    };
    add.map_err(|e| e.to_string())?;
    let mut out = Integration {
        target: target.to_string(),
        run: run.info.id.clone(),
        merged: Vec::new(),
        conflict: None,
        left_out: Vec::new(),
        created,
    };
    for r in &run.results {
        let Some(branch) = r.branch.clone().filter(|_| r.outcome == Outcome::Passed) else {
            out.left_out
                .push((r.task.clone(), r.outcome.as_str().to_string()));
            continue;
        };
        if out.conflict.is_some() {
            out.left_out.push((
                r.task.clone(),
                "not merged: an earlier merge conflicted".into(),
            ));
            continue;
        }
        match git::merge(&dir, &branch, &format!("Merge {} ({branch})", r.task)).await {
            Ok(Ok(())) => out.merged.push((r.task.clone(), branch)),
            Ok(Err(paths)) => out.conflict = Some((r.task.clone(), branch, paths)),
            Err(e) => {
                let _ = git::remove_worktree(root, &dir).await;
                return Err(e.to_string());
            }
        }
    }
    git::remove_worktree(root, &dir)
        .await
        .map_err(|e| e.to_string())?;
    if out.created && out.merged.is_empty() {
        // The first merge conflicted: the branch made for it holds nothing of the run.
        let _ = git::git(root, &["branch", "-D", "--quiet", target]).await;
        out.created = false;
    }
    Ok(out)
}

/// Removes the worktrees of finished tasks (their branches stay). Returns what was removed
/// and what could not be.
pub async fn clean(root: &Path) -> (Vec<String>, Vec<String>) {
    let (mut removed, mut kept) = (Vec::new(), Vec::new());
    let live: Vec<PathBuf> = git::worktrees(root)
        .await
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    for run in record::runs(root) {
        for r in run.results {
            let Some(wt) = r.worktree.as_ref().map(PathBuf::from) else {
                continue;
            };
            if !r.outcome.finished() || !live.contains(&wt) {
                continue;
            }
            match git::remove_worktree(root, &wt).await {
                Ok(()) => removed.push(wt.to_string_lossy().into_owned()),
                Err(e) => kept.push(format!("{}: {}", wt.display(), e.message)),
            }
        }
    }
    (removed, kept)
}
