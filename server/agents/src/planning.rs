//! Planning a dispatch: which tasks, in which order (waves of tasks that can run side by
//! side), on which agent, from which base, with which branches and prompts, and what will run
//! and so needs the user's consent. Everything `--dry-run` shows; nothing runs here.

use crate::agent::{self, Placeholders};
use crate::confine;
use crate::git;
use crate::model::{self, Confirmation, Job, JobStatus, Project};
use crate::record::{self, Outcome};
use crate::trust::Runnable;
use specwright_core::ConfigFile;
use specwright_core::config::{AgentConfig, PermissionPolicy, parse_duration};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
