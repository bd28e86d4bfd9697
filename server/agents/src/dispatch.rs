//! Running a planned dispatch ([`crate::planning`]): a scheduler that runs ready tasks (their
//! dependencies passed) up to the concurrency limit, each in its own worktree, validates each
//! result and reports every step as an [`Update`]; and the checkbox each outcome writes.

use crate::agent::{self, AgentEvent, Placeholders};
use crate::confine;
use crate::git;
use crate::model::Job;
use crate::outcome;
pub use crate::planning::{Options, Plan, plan, worktree_root, worktree_root_of};
use crate::process::{self, Ended, RunEnv};
use crate::record::{self, Outcome, RunInfo, TaskResult, Validation};
use crate::validate;
use specwright_core::decompose::Status;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// One step of a running dispatch.
#[derive(Debug, Clone)]
pub enum Update {
    Started {
        task: String,
        branch: String,
        worktree: PathBuf,
    },
    Progress {
        task: String,
        text: String,
    },
    Finished(Box<TaskResult>),
}

/// Cancellation of one task or of all of them.
#[derive(Debug, Clone, Default)]
pub struct Cancels {
    all: CancellationToken,
    tasks: Arc<Mutex<HashMap<String, CancellationToken>>>,
}

impl Cancels {
    pub fn cancel_all(&self) {
        self.all.cancel();
    }

    pub fn cancel(&self, task: &str) -> bool {
        match self.tasks.lock().ok().and_then(|t| t.get(task).cloned()) {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }

    pub fn is_all_cancelled(&self) -> bool {
        self.all.is_cancelled()
    }

    fn token(&self, task: &str) -> CancellationToken {
        let t = self.all.child_token();
        if let Ok(mut m) = self.tasks.lock() {
            m.insert(task.to_string(), t.clone());
        }
        t
    }
}

/// Runs a planned dispatch to the end (or until cancelled). Refuses when anything it would
/// run has not been confirmed.
pub async fn execute(
    plan: Plan,
    cancels: Cancels,
    updates: UnboundedSender<Update>,
) -> Result<Vec<TaskResult>, String> {
    let root = plan.project.root.clone();
    let pending = crate::trust::untrusted(&root, &plan.runnables);
    if !pending.is_empty() {
        return Err(format!(
            "not confirmed: {}",
            pending
                .iter()
                .map(|r| format!("{} `{}`", r.what, r.command))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    git::exclude(&root, &format!("/{}/", record::DIR)).await?;
    record::sweep_interrupted(&root);
    std::fs::create_dir_all(&plan.worktree_root)
        .map_err(|e| format!("{}: {e}", plan.worktree_root.display()))?;
    if plan.worktree_root.starts_with(&root)
        && let Some(rel) = specwright_workspace::relative_path(&root, &plan.worktree_root)
    {
        git::exclude(&root, &format!("/{rel}/")).await?;
    }
    let info = RunInfo {
        id: plan.run_id.clone(),
        owner_pid: std::process::id(),
        started: record::now(),
        tasks_file: plan.project.tasks_rel.clone(),
        agent: plan.agent_name.clone(),
        base: plan.base.clone(),
        order: plan.order.clone(),
    };
    record::write_json(
        &record::runs_dir(&root).join(&plan.run_id).join("run.json"),
        &info,
    )
    .map_err(|e| format!("writing the run record: {e}"))?;

    let plan = Arc::new(plan);
    let mut outcomes: HashMap<String, TaskResult> = HashMap::new();
    let mut running: JoinSet<TaskResult> = JoinSet::new();
    let mut queued: Vec<String> = plan.order.clone();
    loop {
        let mut i = 0;
        while i < queued.len() {
            let id = queued[i].clone();
            let Some(job) = plan.project.job(&id) else {
                queued.remove(i);
                continue;
            };
            let deps: Vec<&String> = job
                .depends
                .iter()
                .filter(|d| plan.order.contains(d))
                .collect();
            let failed_dep = deps.iter().find(|d| {
                outcomes
                    .get(d.as_str())
                    .is_some_and(|r| r.outcome != Outcome::Passed)
            });
            if cancels.is_all_cancelled() || failed_dep.is_some() {
                let (outcome, summary) = match failed_dep {
                    Some(d) if !cancels.is_all_cancelled() => (
                        Outcome::Skipped,
                        format!(
                            "{id} was not started: its dependency {d} {}",
                            outcomes
                                .get(d.as_str())
                                .map_or("did not pass", |r| r.outcome.as_str())
                        ),
                    ),
                    _ => (
                        Outcome::Cancelled,
                        format!("{id} was cancelled before it started"),
                    ),
                };
                let r = unstarted(&plan, job, outcome, summary);
                let _ = record::write_result(&root, &r);
                let _ = updates.send(Update::Finished(Box::new(r.clone())));
                outcomes.insert(id.clone(), r);
                queued.remove(i);
                continue;
            }
            let ready = deps.iter().all(|d| outcomes.contains_key(d.as_str()));
            if ready && running.len() < plan.jobs {
                let dep_branches: Vec<String> = job
                    .depends
                    .iter()
                    .filter_map(|d| {
                        outcomes
                            .get(d)
                            .and_then(|r| r.branch.clone())
                            .or_else(|| plan.prior.get(d).cloned())
                    })
                    .collect();
                let token = cancels.token(&id);
                let (plan2, updates2, job2) = (plan.clone(), updates.clone(), job.clone());
                running.spawn(async move {
                    run_task(&plan2, &job2, dep_branches, token, &updates2).await
                });
                queued.remove(i);
                continue;
            }
            i += 1;
        }
        let Some(done) = running.join_next().await else {
            if queued.is_empty() {
                break;
            }
            // Nothing runs and nothing can start: only an unsatisfiable order gets here.
            for id in std::mem::take(&mut queued) {
                if let Some(job) = plan.project.job(&id) {
                    let r = unstarted(
                        &plan,
                        job,
                        Outcome::Skipped,
                        format!("{id}: its dependencies never finished"),
                    );
                    let _ = record::write_result(&root, &r);
                    let _ = updates.send(Update::Finished(Box::new(r.clone())));
                    outcomes.insert(id, r);
                }
            }
            break;
        };
        match done {
            Ok(r) => {
                let _ = updates.send(Update::Finished(Box::new(r.clone())));
                outcomes.insert(r.task.clone(), r);
            }
            Err(e) => return Err(format!("a task runner failed: {e}")),
        }
    }
    Ok(plan
        .order
        .iter()
        .filter_map(|id| outcomes.remove(id))
        .collect())
}

fn unstarted(plan: &Plan, job: &Job, outcome: Outcome, summary: String) -> TaskResult {
    TaskResult {
        run: plan.run_id.clone(),
        task: job.id.clone(),
        title: job.title.clone(),
        tasks_file: plan.project.tasks_rel.clone(),
        outcome,
        summary,
        agent: plan.agent_name.clone(),
        branch: None,
        worktree: None,
        base: None,
        started: None,
        finished: Some(record::now()),
        exit_code: None,
        changed: Vec::new(),
        commits: Vec::new(),
        validation: Validation::default(),
        message: None,
        usage: None,
        stop_reason: None,
        owner_pid: std::process::id(),
        pgid: None,
    }
}

async fn run_task(
    plan: &Plan,
    job: &Job,
    dep_branches: Vec<String>,
    cancel: CancellationToken,
    updates: &UnboundedSender<Update>,
) -> TaskResult {
    let root = &plan.project.root;
    let mut r = unstarted(
        plan,
        job,
        Outcome::Running,
        format!("{} is running", job.id),
    );
    r.finished = None;
    r.started = Some(record::now());
    let fail = |mut r: TaskResult, outcome: Outcome, summary: String| {
        r.outcome = outcome;
        r.summary = summary;
        r.finished = Some(record::now());
        if let Err(e) = record::write_result(root, &r) {
            // A full disk must not hide the outcome: it is still reported, and says so.
            r.summary
                .push_str(&format!(" (its record could not be written: {e})"));
        }
        r
    };
    let _lock = match record::lock(root, &plan.project.tasks_rel, &job.id, &plan.run_id) {
        Ok(l) => l,
        Err(e) => return fail(r, Outcome::Failed, e),
    };
    let branch = plan.branches.get(&job.id).cloned().unwrap_or_default();
    let worktree = plan.worktree_root.join(branch.replace('/', "--"));
    let start = dep_branches
        .first()
        .cloned()
        .unwrap_or_else(|| plan.base.clone());
    if let Err(e) = git::add_worktree(root, &worktree, &branch, &start).await {
        return fail(
            r,
            Outcome::Failed,
            format!("cannot create the worktree: {e}"),
        );
    }
    r.branch = Some(branch.clone());
    r.worktree = Some(worktree.to_string_lossy().into_owned());
    for dep in dep_branches.iter().skip(1) {
        match git::merge(&worktree, dep, &format!("Combine {dep} for {}", job.id)).await {
            Ok(Ok(())) => {}
            Ok(Err(conflicts)) => {
                return fail(
                    r,
                    Outcome::Failed,
                    format!(
                        "{}: its dependencies' branches conflict in {}",
                        job.id,
                        conflicts.join(", ")
                    ),
                );
            }
            Err(e) => return fail(r, Outcome::Failed, e.to_string()),
        }
    }
    let base = match git::commit_of(&worktree, "HEAD").await {
        Ok(b) => b,
        Err(e) => return fail(r, Outcome::Failed, e.to_string()),
    };
    r.base = Some(base.clone());
    let dir = record::task_dir(root, &plan.run_id, &job.id);
    let prompt = plan
        .prompts
        .iter()
        .find(|(id, _)| *id == job.id)
        .map(|(_, p)| p.clone())
        .unwrap_or_default();
    let prompt_file = dir.join("prompt.md");
    if let Err(e) =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&prompt_file, &prompt))
    {
        return fail(
            r,
            Outcome::Failed,
            format!("writing {}: {e}", prompt_file.display()),
        );
    }
    let _ = record::write_result(root, &r);
    let _ = updates.send(Update::Started {
        task: job.id.clone(),
        branch: branch.clone(),
        worktree: worktree.clone(),
    });

    let launch = agent::launch(
        &plan.agent,
        &Placeholders {
            prompt_file: &prompt_file.to_string_lossy(),
            worktree: &worktree.to_string_lossy(),
            task_id: &job.id,
            branch: &branch,
        },
        plan.sandbox,
    );
    let before = confine::fingerprint(root, &plan.project.tasks_rel).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<AgentEvent>();
    let forward = {
        let (updates, task) = (updates.clone(), job.id.clone());
        tokio::spawn(async move {
            while let Some(e) = rx.recv().await {
                if let Some(text) = e.summary() {
                    let _ = updates.send(Update::Progress {
                        task: task.clone(),
                        text,
                    });
                }
            }
        })
    };
    let env = RunEnv {
        worktree: worktree.clone(),
        record_dir: dir.clone(),
        prompt,
        timeout: plan.timeout,
        cancel,
        permissions: plan.permissions,
        writable: plan.sandbox.then(|| {
            confine::prepare(&launch);
            confine::writable(&worktree, &launch, &plan.writable)
        }),
    };
    let running = r.clone();
    let ran = process::run(&launch, &env, tx, |pgid| {
        let mut rr = running;
        rr.pgid = Some(pgid);
        let _ = record::write_result(root, &rr);
    })
    .await;
    let _ = forward.await;
    if !worktree.exists() {
        return fail(
            r,
            Outcome::Failed,
            format!(
                "{}: its worktree {} was removed while it ran; its branch {branch} keeps what was committed",
                job.id,
                worktree.display()
            ),
        );
    }
    r.message = ran.last_message.clone();
    r.usage = ran.usage.clone();
    r.stop_reason = ran.stop_reason.clone();
    r.exit_code = match &ran.ended {
        Ended::Exited { code } => *code,
        _ => None,
    };
    // What the agent left, committed or not, is recorded whatever the outcome.
    if let Ok(changed) = git::stage_and_list(&worktree, &base).await {
        r.changed = changed;
    }
    let _ = git::commit_staged(
        &worktree,
        &format!(
            "{}: {} (uncommitted work of the agent, committed by Specwright)",
            job.id, job.title
        ),
    )
    .await;
    r.commits = git::commits_since(&worktree, &base).await;
    let escaped = confine::changes(
        &before,
        &confine::fingerprint(root, &plan.project.tasks_rel).await,
    );
    if !escaped.is_empty() {
        r.validation.escaped = escaped;
        let (outcome, summary) = validate::verdict(job, &r.validation);
        return fail(r, outcome, summary);
    }
    let agent_failure = outcome::of_run(
        job,
        plan.agent.kind,
        &ran,
        &worktree,
        plan.timeout,
        &dir.join("stderr.log"),
    );
    if let Some((outcome, summary)) = agent_failure {
        return fail(r, outcome, summary);
    }
    let mut v = Validation {
        may: job.may.clone(),
        must_not: job.must_not.clone(),
        outside: validate::outside(job, &r.changed, &plan.project.tasks_rel),
        note: (job.may.is_empty() && job.must_not.is_empty())
            .then(|| "no boundary: validated on its checks alone".to_string()),
        unchanged: r.changed.is_empty(),
        ..Validation::default()
    };
    let _ = updates.send(Update::Progress {
        task: job.id.clone(),
        text: "validating".into(),
    });
    for c in &job.checks {
        v.checks
            .push(validate::shell(&worktree, c, plan.timeout).await);
    }
    v.adrs = validate::decisions(
        &worktree,
        &base,
        &r.changed,
        &plan.project.decisions,
        plan.timeout,
    )
    .await;
    let (outcome, summary) = validate::verdict(job, &v);
    r.validation = v;
    fail(r, outcome, summary)
}

/// The checkbox a finished (or started) task gets in its tasks file.
pub fn checkbox_for(outcome: Outcome) -> Status {
    match outcome {
        Outcome::Passed => Status::Done,
        Outcome::Running => Status::Running,
        // A running Kiro task that did not pass goes back to open.
        _ => Status::Todo,
    }
}

/// Sets `task`'s checkbox in the tasks file on disk: atomically, and only when the file is
/// unchanged between reading it and replacing it. `Ok(false)`: nothing to change.
pub fn write_checkbox(path: &Path, task: &str, status: Status) -> Result<bool, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let Some(edit) = specwright_core::tasks::checkbox_edit(&text, task, status) else {
        return Ok(false);
    };
    let mut new = text.clone();
    new.replace_range(edit.span.start..edit.span.end, &edit.new_text);
    let tmp = path.with_extension("md.specwright-tmp");
    std::fs::write(&tmp, &new).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let now = std::fs::read_to_string(path).unwrap_or_default();
    if now != text {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "{} changed while its checkbox was being set; {task} was left as it is",
            path.display()
        ));
    }
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(true)
}
