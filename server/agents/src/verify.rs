//! `verify`: whether the tasks a tasks file marks done were really done. For each ticked task:
//! its `Check:` commands pass in a clean temporary worktree of HEAD (never the user's
//! checkout); the files its boundary names exist; and commits after the one that added the
//! task line touch at least one of them. What cannot be told is said, never passed.

use crate::git;
use crate::model::{Job, JobStatus, Project};
use crate::validate;
use std::path::Path;
use std::time::Duration;

/// What verification found for one ticked task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub task: String,
    /// 0-based line of the task in the tasks file.
    pub line: usize,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Its checks passed and its boundary changed after it was added.
    Verified { detail: String },
    /// A check failed (`exit` is `None` when it did not finish, or could not start: `output`
    /// says which).
    CheckFailed {
        command: String,
        exit: Option<i32>,
        output: String,
    },
    /// Its work cannot be confirmed: no file matches its boundary, nothing changed there since
    /// the task was added, or the task is not committed.
    Unverified { reason: String },
    /// No boundary and no check.
    NothingToVerify,
}

/// The `(what, command)` pairs verifying `project` would run: every check of a ticked task.
pub fn commands(project: &Project) -> Vec<(String, String)> {
    done(project)
        .flat_map(|j| {
            j.checks
                .iter()
                .map(move |c| (format!("check of {}", j.id), c.clone()))
        })
        .collect()
}

fn done(project: &Project) -> impl Iterator<Item = &Job> {
    project.jobs.iter().filter(|j| j.status == JobStatus::Done)
}

/// Verifies every ticked task of `project`; checks run in `scratch` (a folder that does not
/// exist yet, outside the checkout), each limited to `timeout`.
pub async fn verify(project: &Project, scratch: &Path, timeout: Duration) -> Vec<Verdict> {
    let root = &project.root;
    let jobs: Vec<&Job> = done(project).collect();
    let mut out = Vec::new();
    let needs_worktree = jobs.iter().any(|j| !j.checks.is_empty());
    let worktree = if needs_worktree {
        let p = scratch.to_string_lossy().into_owned();
        match git::git(
            root,
            &["worktree", "add", "--quiet", "--detach", &p, "HEAD"],
        )
        .await
        {
            Ok(_) => Some(scratch.to_path_buf()),
            Err(e) => {
                for j in &jobs {
                    if !j.checks.is_empty() {
                        out.push(Verdict {
                            task: j.id.clone(),
                            line: j.line,
                            outcome: Outcome::Unverified {
                                reason: format!("its checks could not run: {e}"),
                            },
                        });
                    }
                }
                None
            }
        }
    } else {
        None
    };
    for j in jobs {
        if out.iter().any(|v: &Verdict| v.task == j.id) {
            continue;
        }
        let outcome = one(project, j, worktree.as_deref(), timeout).await;
        out.push(Verdict {
            task: j.id.clone(),
            line: j.line,
            outcome,
        });
    }
    if let Some(w) = &worktree {
        let _ = git::remove_worktree(root, w).await;
    }
    out.sort_by_key(|v| v.line);
    out
}

async fn one(project: &Project, job: &Job, worktree: Option<&Path>, timeout: Duration) -> Outcome {
    if job.may.is_empty() && job.checks.is_empty() {
        return Outcome::NothingToVerify;
    }
    if let Some(dir) = worktree {
        for c in &job.checks {
            let r = validate::shell(dir, c, timeout).await;
            if !r.passed {
                return Outcome::CheckFailed {
                    command: c.clone(),
                    exit: r.exit_code,
                    output: r.output,
                };
            }
        }
    }
    if job.may.is_empty() {
        return Outcome::Verified {
            detail: format!(
                "{} check(s) passed; no boundary to compare",
                job.checks.len()
            ),
        };
    }
    let root = &project.root;
    let specs = pathspecs(&job.may);
    let mut ls = vec!["ls-files", "--"];
    ls.extend(specs.iter().map(String::as_str));
    let files = git::git(root, &ls).await.unwrap_or_default();
    if files.trim().is_empty() {
        return Outcome::Unverified {
            reason: format!("no file matches its boundary {}", job.may.join(", ")),
        };
    }
    // In a shallow clone the oldest commit at hand "adds" every line: when the task was
    // written cannot be told.
    let shallow = git::git(root, &["rev-parse", "--is-shallow-repository"])
        .await
        .is_ok_and(|s| s.trim() == "true");
    if shallow {
        return Outcome::Unverified {
            reason: "the repository's history is shallow, so when the task was added cannot be told (fetch the whole history: `git fetch --unshallow`, or `fetch-depth: 0` in CI)".into(),
        };
    }
    let Some(added) = added_in(root, &project.tasks_rel, job).await else {
        return Outcome::Unverified {
            reason: "its task line is not committed, so there is no change to compare".into(),
        };
    };
    let range = format!("{added}..HEAD");
    let mut log = vec!["log", "--format=%h", &range, "--"];
    log.extend(specs.iter().map(String::as_str));
    let commits = git::git(root, &log).await.unwrap_or_default();
    let n = commits.lines().filter(|l| !l.trim().is_empty()).count();
    if n == 0 {
        return Outcome::Unverified {
            reason: format!(
                "no change inside its boundary {} since it was added (commit {})",
                job.may.join(", "),
                &added[..added.len().min(10)]
            ),
        };
    }
    Outcome::Verified {
        detail: format!(
            "{n} commit(s) inside its boundary since it was added{}",
            if job.checks.is_empty() {
                String::new()
            } else {
                format!(", {} check(s) passed", job.checks.len())
            }
        ),
    }
}

/// A done task verified at a commit whose boundary has changed since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub task: String,
    /// 0-based line of the task in the tasks file.
    pub line: usize,
    /// The commit it was verified at, as its stamp says.
    pub commit: String,
    pub change: DriftChange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftChange {
    /// Commits after the stamp changed these files inside the boundary (renames followed).
    Changed { commits: usize, files: Vec<String> },
    /// The stamp's commit is not in this history (a shallow clone, or history rewritten).
    Unknown,
}

/// For each done task with a `<!-- sw:verified C -->` stamp and a boundary: whether files in
/// its boundary changed after `C`. Tasks whose boundary did not change are left out.
pub async fn drift(project: &Project) -> Vec<Drift> {
    let root = &project.root;
    let mut out = Vec::new();
    for j in done(project) {
        let (Some(commit), false) = (j.verified.as_deref(), j.may.is_empty()) else {
            continue;
        };
        let drift = |change| Drift {
            task: j.id.clone(),
            line: j.line,
            commit: commit.to_string(),
            change,
        };
        let object = format!("{commit}^{{commit}}");
        if git::git(root, &["cat-file", "-e", &object]).await.is_err() {
            out.push(drift(DriftChange::Unknown));
            continue;
        }
        let specs = pathspecs(&j.may);
        let range = format!("{commit}..HEAD");
        let mut log = vec!["log", "--format=%h", &range, "--"];
        log.extend(specs.iter().map(String::as_str));
        let commits = git::git(root, &log)
            .await
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count();
        if commits == 0 {
            continue;
        }
        let mut diff = vec!["diff", "--name-only", "-M", commit, "HEAD", "--"];
        diff.extend(specs.iter().map(String::as_str));
        let files = git::git(root, &diff)
            .await
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        out.push(drift(DriftChange::Changed { commits, files }));
    }
    out
}

/// A done task whose covered requirements no test file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untested {
    pub task: String,
    /// 0-based line of the task in the tasks file.
    pub line: usize,
    /// The requirement ids no file of `[verify] tests` mentions.
    pub ids: Vec<String>,
}

/// With `[verify] tests = [globs]` configured: for each done task, the requirements it covers
/// (ids with letters: `FR-001`, `REQ-3`; Kiro's bare numbers name nothing a test would) that no
/// tracked test file names, in any spelling of the id (`FR-001`, `FR001`, `FR-1`). `None`
/// without the setting.
pub async fn untested(project: &Project) -> Option<Vec<Untested>> {
    let globs = project.config.file.verify.as_ref()?.tests.as_ref()?;
    let root = &project.root;
    let specs = pathspecs(globs);
    let mut ls = vec!["ls-files", "--"];
    ls.extend(specs.iter().map(String::as_str));
    let listed = git::git(root, &ls).await.unwrap_or_default();
    let texts: Vec<String> = listed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter_map(|rel| std::fs::read(root.join(rel)).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let mut out = Vec::new();
    for j in done(project) {
        let ids: Vec<String> = j
            .covers
            .iter()
            .filter(|id| id.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter(|id| {
                let Some(pattern) = spellings(id) else {
                    return false;
                };
                !texts.iter().any(|t| pattern.is_match(t))
            })
            .cloned()
            .collect();
        if !ids.is_empty() {
            out.push(Untested {
                task: j.id.clone(),
                line: j.line,
                ids,
            });
        }
    }
    Some(out)
}

/// `FR-001` as a test would write it: `FR-001`, `FR001`, `FR_001`, `fr-1`, a word of its own.
fn spellings(id: &str) -> Option<regex::Regex> {
    let split = id.find(|c: char| c.is_ascii_digit())?;
    let (prefix, number) = id.split_at(split);
    let prefix = prefix.trim_end_matches(['-', '_']);
    let number = number.trim_start_matches('0');
    let number = if number.is_empty() { "0" } else { number };
    regex::Regex::new(&format!(
        r"(?i)(?:^|[^A-Za-z0-9]){}[-_]?0*{}(?:$|[^0-9])",
        regex::escape(prefix),
        regex::escape(number)
    ))
    .ok()
}

/// Globs as git pathspecs (`:(glob)src/**`).
fn pathspecs(globs: &[String]) -> Vec<String> {
    globs.iter().map(|g| format!(":(glob){g}")).collect()
}

/// The commit HEAD points at, short.
pub async fn head(root: &Path) -> Option<String> {
    git::git(root, &["rev-parse", "--short=12", "HEAD"])
        .await
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The commit that added the task's line to the tasks file: the oldest commit that changed the
/// number of times its id starts a task.
async fn added_in(root: &Path, tasks_rel: &str, job: &Job) -> Option<String> {
    // The id right after a checkbox, in every notation: `- [ ] T003 …`, `- [x] **T003**`,
    // Kiro's `- [ ]* 2.1 …` (a POSIX extended regex, as git's pickaxe reads it).
    let id: String = job
        .id
        .chars()
        .flat_map(|c| {
            let special = ".[]()*+?{}|^$\\".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect();
    let pickaxe = format!("-S\\]\\*? +(\\*\\*)?{id}([.: ]|\\*\\*|$)");
    let out = git::git(
        root,
        &[
            "log",
            "--format=%H",
            "--reverse",
            "--pickaxe-regex",
            &pickaxe,
            "--",
            tasks_rel,
        ],
    )
    .await
    .ok()?;
    out.lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::spellings;

    #[test]
    fn an_id_is_found_in_the_spellings_tests_use() {
        let p = spellings("FR-001").expect("pattern");
        for hit in [
            "test_fr001_export",
            "// covers FR-001",
            "fr_1 works",
            "FR-0001",
        ] {
            assert!(p.is_match(hit), "{hit}");
        }
        for miss in ["FR-0010", "XFR-001", "FR-12", "SC-001"] {
            assert!(!p.is_match(miss), "{miss}");
        }
    }
}
