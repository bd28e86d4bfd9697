//! Planning and running a dispatch: which tasks, in which order, on which agent, from which
//! base; then a scheduler that runs ready tasks (their dependencies passed) up to the
//! concurrency limit, each in its own worktree, validates each result and reports every step
//! as an [`Update`].

use crate::agent::{self, AgentEvent, Placeholders};
use crate::confine;
use crate::git;
use crate::model::{self, Confirmation, Job, JobStatus, Project};
use crate::outcome;
use crate::process::{self, Ended, RunEnv};
use crate::record::{self, Outcome, RunInfo, TaskResult, Validation};
use crate::trust::Runnable;
use crate::validate;
use specwright_core::ConfigFile;
use specwright_core::config::{AgentConfig, PermissionPolicy, parse_duration};
use specwright_core::decompose::Status;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Task ids; empty: every open task of the file.
    pub tasks: Vec<String>,
    /// Only tasks whose dependencies are all done already (the editor's "Dispatch all ready").
    pub ready_only: bool,
    pub agent: Option<String>,
    pub jobs: Option<usize>,
    pub base: Option<String>,
    pub timeout: Option<Duration>,
}

/// A dispatch, planned and not yet started: everything `--dry-run` shows.
#[derive(Debug, Clone)]
pub struct Plan {
    pub project: Project,
    pub run_id: String,
    pub agent_name: String,
    pub agent: AgentConfig,
    /// The selected tasks in dependency order.
    pub order: Vec<String>,
    /// Tasks that can run side by side, wave after wave.
    pub waves: Vec<Vec<String>>,
    pub prompts: Vec<(String, String)>,
    pub branches: HashMap<String, String>,
    /// The commit tasks without dependencies start from.
    pub base: String,
    /// Where a dependency outside this dispatch already passed: its branch.
    pub prior: HashMap<String, String>,
    pub worktree_root: PathBuf,
    pub jobs: usize,
    pub timeout: Duration,
    pub permissions: PermissionPolicy,
    /// Agents run under Landlock (asked for, and the kernel offers it).
    pub sandbox: bool,
    /// `[dispatch] writable`: more folders agents may write under the sandbox.
    pub writable: Vec<String>,
    /// What will run and needs the user's consent.
    pub runnables: Vec<Runnable>,
    /// Things the user should know before starting (uncommitted changes).
    pub warnings: Vec<String>,
}

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

/// Plans a dispatch of `tasks_path`.
pub async fn plan(
    tasks_path: &Path,
    editor: &ConfigFile,
    options: &Options,
    read: &(dyn Fn(&Path) -> Option<String> + Sync),
) -> Result<Plan, String> {
    let dir = tasks_path.parent().unwrap_or(Path::new("."));
    let root = git::toplevel(dir)
        .await
        .map_err(|e| format!("{} is not in a git repository ({e})", tasks_path.display()))?;
    let tasks_path = std::fs::canonicalize(tasks_path).unwrap_or(tasks_path.to_path_buf());
    let project = model::load(&root, &tasks_path, editor, read)?;
    let file = &project.config.file;
    let agents = file.agents.clone().unwrap_or_default();
    let dispatch = file.dispatch.clone().unwrap_or_default();
    let agent_name = match options.agent.clone().or(dispatch.agent.clone()) {
        Some(n) => n,
        None if agents.len() == 1 => agents.keys().next().cloned().unwrap_or_default(),
        None if agents.is_empty() => {
            return Err(
                "no agent is configured: add one under [agents.NAME] in specwright.toml (see docs/dispatch.md)".into(),
            );
        }
        None => {
            return Err(format!(
                "several agents are configured ({}); name one with --agent or [dispatch].agent",
                agents.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    };
    let agent = agents.get(&agent_name).cloned().ok_or_else(|| {
        format!(
            "no agent `{agent_name}`; configured: {}",
            agents.keys().cloned().collect::<Vec<_>>().join(", ")
        )
    })?;

    // Which tasks.
    let mut selected: Vec<&Job> = Vec::new();
    if options.tasks.is_empty() {
        selected.extend(project.jobs.iter().filter(|j| j.status != JobStatus::Done));
    } else {
        for id in &options.tasks {
            let job = project
                .job(id)
                .ok_or_else(|| format!("no task {id} in {}", project.tasks_rel))?;
            selected.push(job);
        }
    }
    let done = |id: &str| project.job(id).is_some_and(|j| j.status == JobStatus::Done);
    if options.ready_only {
        selected.retain(|j| j.depends.iter().all(|d| done(d)));
    }
    if selected.is_empty() {
        return Err(format!("no open task to dispatch in {}", project.tasks_rel));
    }
    let ids: Vec<String> = selected.iter().map(|j| j.id.clone()).collect();
    let mut errors: Vec<String> = project
        .problems
        .iter()
        .filter(|(id, _)| ids.contains(id))
        .map(|(id, p)| format!("{id}: {p}"))
        .collect();
    let mut prior = HashMap::new();
    for job in &selected {
        for dep in &job.depends {
            if ids.contains(dep) || done(dep) {
                continue;
            }
            match record::latest(&root, &project.tasks_rel, dep) {
                Some(r) if r.outcome == Outcome::Passed && r.branch.is_some() => {
                    prior.insert(dep.clone(), r.branch.unwrap_or_default());
                }
                _ => errors.push(format!(
                    "{}: depends on {dep}, which is neither done nor part of this dispatch; dispatch it too or mark it done",
                    job.id
                )),
            }
        }
    }
    for d in &project.decisions {
        for c in &d.confirmations {
            if let Confirmation::Invalid { error } = c {
                errors.push(format!("ADR-{:04} ({}): {error}", d.number, d.path));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }

    let waves = waves(&selected, &topological(&selected));
    // Wave by wave: the order the scheduler starts them in.
    let order: Vec<String> = waves.concat();
    let base_rev = options
        .base
        .clone()
        .or(dispatch.base.clone())
        .unwrap_or_else(|| "HEAD".into());
    let base = git::commit_of(&root, &base_rev)
        .await
        .map_err(|e| format!("base `{base_rev}`: {e}"))?;
    let worktree_root = worktree_root(&root, dispatch.worktree_root.as_deref());
    let timeout = options
        .timeout
        .or_else(|| {
            dispatch
                .timeout
                .as_deref()
                .and_then(|t| parse_duration(t).ok())
        })
        .unwrap_or(Duration::from_secs(30 * 60));
    let jobs = options
        .jobs
        .or(dispatch.jobs.map(|j| j as usize))
        .unwrap_or(3)
        .max(1);
    let template = match &dispatch.prompt {
        Some(p) => {
            Some(read(&root.join(p)).ok_or_else(|| format!("[dispatch].prompt: cannot read {p}"))?)
        }
        None => None,
    };

    let mut branches = HashMap::new();
    let mut taken: Vec<String> = Vec::new();
    for id in &order {
        let job = project.job(id).ok_or("internal: task vanished")?;
        let stem = format!("specwright/{}-{}", record::safe(id), slug(&job.title));
        let mut name = stem.clone();
        let mut n = 2;
        while taken.contains(&name) || git::branch_exists(&root, &name).await {
            name = format!("{stem}-{n}");
            n += 1;
        }
        taken.push(name.clone());
        branches.insert(id.clone(), name);
    }
    let mut prompts = Vec::new();
    for id in &order {
        let job = project.job(id).ok_or("internal: task vanished")?;
        let branch = branches.get(id).cloned().unwrap_or_default();
        prompts.push((
            id.clone(),
            crate::prompt::render(&project, job, &branch, template.as_deref())?,
        ));
    }

    let wants_sandbox = dispatch.sandbox.unwrap_or(true);
    let sandbox = wants_sandbox && confine::kernel_abi() > 0;
    let launch = agent::launch(&agent, &Placeholders::UNFILLED, sandbox);
    let mut runnables = vec![Runnable {
        what: format!("agent `{agent_name}`"),
        command: shell_words(&launch.argv),
    }];
    // What the agent runs with is part of what runs: its environment can load code
    // (NODE_OPTIONS) or send the user's key elsewhere (ANTHROPIC_BASE_URL).
    if !launch.env.is_empty() {
        runnables.push(Runnable {
            what: format!("environment of agent `{agent_name}`"),
            command: launch
                .env
                .iter()
                .map(|(k, v)| format!("{k}={}", shell_words(std::slice::from_ref(v))))
                .collect::<Vec<_>>()
                .join(" "),
        });
    }
    if let (Some(path), Some(text)) = (&dispatch.prompt, &template) {
        runnables.push(Runnable {
            what: format!("prompt template {path}"),
            command: format!("{path} (sha256 {})", confine::hash(text.as_bytes())),
        });
    }
    let writable = dispatch.writable.clone().unwrap_or_default();
    runnables.push(Runnable {
        what: "sandbox".into(),
        command: if !wants_sandbox {
            "off ([dispatch] sandbox = false)".into()
        } else if writable.is_empty() {
            "writes confined to the worktree, the temporary folder and the agent's state folders"
                .into()
        } else {
            format!(
                "writes confined to the worktree, the temporary folder, the agent's state folders and {}",
                writable.join(", ")
            )
        },
    });
    for id in &order {
        if let Some(job) = project.job(id) {
            runnables.extend(job.checks.iter().map(|c| Runnable {
                what: format!("check of {id}"),
                command: c.clone(),
            }));
        }
    }
    for d in &project.decisions {
        for c in &d.confirmations {
            if let Confirmation::Command { command } = c {
                runnables.push(Runnable {
                    what: format!("confirmation of ADR-{:04}", d.number),
                    command: command.clone(),
                });
            }
        }
    }
    let mut warnings = Vec::new();
    if sandbox {
        let reach = confine::writable(&worktree_root, &launch, &writable);
        if let Some(p) = reach
            .iter()
            .find(|p| p.as_path() != Path::new("/dev") && root.starts_with(p))
        {
            warnings.push(format!(
                "the repository lies inside {}, which agents may write: the sandbox cannot keep \
                 them out of it (a write there is still detected and fails its task)",
                p.display()
            ));
        }
    }
    if wants_sandbox && !sandbox {
        warnings.push(
            "this kernel offers no Landlock: agents run without the sandbox (a write outside \
             the worktree is still detected and fails its task)"
                .into(),
        );
    }
    let mut watched = vec![project.tasks_rel.as_str()];
    if let Some(s) = &project.spec_rel {
        watched.push(s);
    }
    let dirty = git::dirty(&root, &watched).await;
    if !dirty.is_empty() {
        warnings.push(format!(
            "uncommitted changes in {}: worktrees start from commit {}, so agents see the committed files (the prompt carries the current text)",
            dirty.join(", "),
            &base[..base.len().min(10)]
        ));
    }
    Ok(Plan {
        run_id: record::new_run_id(),
        agent_name,
        agent,
        order,
        waves,
        prompts,
        branches,
        base,
        prior,
        worktree_root,
        jobs,
        timeout,
        permissions: dispatch.permissions.unwrap_or(PermissionPolicy::Allow),
        sandbox,
        writable,
        runnables,
        warnings,
        project,
    })
}

/// Where task worktrees go: `[dispatch].worktree-root` (relative to the repository), else
/// `../.specwright-worktrees/<repository name>`, beside the checkout and outside it.
pub fn worktree_root(root: &Path, configured: Option<&str>) -> PathBuf {
    match configured {
        Some(r) => root.join(r),
        None => root
            .parent()
            .unwrap_or(root)
            .join(".specwright-worktrees")
            .join(root.file_name().unwrap_or_default()),
    }
}

/// [`worktree_root`] as the repository's `specwright.toml` sets it.
pub fn worktree_root_of(root: &Path) -> PathBuf {
    let configured = specwright_workspace::config_for(&root.join("specwright.toml"))
        .ok()
        .and_then(|l| l.file.dispatch)
        .and_then(|d| d.worktree_root);
    worktree_root(root, configured.as_deref())
}

fn shell_words(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:{}@+,".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn slug(title: &str) -> String {
    let mut s = String::new();
    for w in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
    {
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&w.to_ascii_lowercase());
    }
    if s.len() > 40 {
        s.truncate(40);
    }
    if s.is_empty() { "task".into() } else { s }
}

/// `jobs` in dependency order, file order among equals.
fn topological(jobs: &[&Job]) -> Vec<String> {
    let ids: Vec<&str> = jobs.iter().map(|j| j.id.as_str()).collect();
    let mut placed: Vec<String> = Vec::new();
    while placed.len() < jobs.len() {
        let before = placed.len();
        for j in jobs {
            if placed.contains(&j.id) {
                continue;
            }
            let ready = j
                .depends
                .iter()
                .filter(|d| ids.contains(&d.as_str()))
                .all(|d| placed.contains(d));
            if ready {
                placed.push(j.id.clone());
            }
        }
        if placed.len() == before {
            // A cycle (reported at load): keep file order for the rest.
            placed.extend(
                jobs.iter()
                    .map(|j| j.id.clone())
                    .filter(|id| !placed.contains(id))
                    .collect::<Vec<_>>(),
            );
        }
    }
    placed
}

/// Groups of tasks whose dependencies lie in earlier groups.
fn waves(jobs: &[&Job], order: &[String]) -> Vec<Vec<String>> {
    let ids: Vec<&str> = jobs.iter().map(|j| j.id.as_str()).collect();
    let mut level: HashMap<String, usize> = HashMap::new();
    for id in order {
        let Some(j) = jobs.iter().find(|j| &j.id == id) else {
            continue;
        };
        let l = j
            .depends
            .iter()
            .filter(|d| ids.contains(&d.as_str()))
            .filter_map(|d| level.get(d))
            .map(|l| l + 1)
            .max()
            .unwrap_or(0);
        level.insert(id.clone(), l);
    }
    let depth = level.values().copied().max().map_or(0, |m| m + 1);
    (0..depth)
        .map(|l| {
            order
                .iter()
                .filter(|id| level.get(*id) == Some(&l))
                .cloned()
                .collect()
        })
        .collect()
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
        writable: plan
            .sandbox
            .then(|| confine::writable(&worktree, &launch, &plan.writable)),
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
    let Some(edit) = specwright_core::decompose::file::checkbox_edit(&text, task, status) else {
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
