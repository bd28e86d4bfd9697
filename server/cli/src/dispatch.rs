//! `specwright dispatch`, `runs`, `integrate` and `worktrees`: the terminal side of running
//! tasks on coding agents. Progress bars on a terminal, one line per step otherwise; Ctrl-C
//! cancels every agent cleanly.

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use specwright_agents::dispatch::{self, Cancels, Options, Plan, Update};
use specwright_agents::record::{self, Outcome, TaskResult};
use specwright_agents::{git, integrate, trust};
use specwright_core::ConfigFile;
use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args)]
pub struct DispatchArgs {
    /// The tasks file (tasks.md).
    pub tasks: PathBuf,
    /// Only these tasks (repeatable); default: every open task, in dependency order.
    #[arg(long = "task", value_name = "ID")]
    pub task: Vec<String>,
    /// Only tasks whose dependencies are all done.
    #[arg(long)]
    pub ready: bool,
    /// The agent to use (a name under [agents]).
    #[arg(long)]
    pub agent: Option<String>,
    /// How many agents run at once.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// The commit tasks without dependencies start from [default: HEAD].
    #[arg(long)]
    pub base: Option<String>,
    /// Longest a task may run ("30m", "90s").
    #[arg(long, value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Print the plan (order, parallel waves) and the prompts; run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Confirm the repository's agent, check and ADR commands without asking.
    #[arg(long)]
    pub trust: bool,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    specwright_core::config::parse_duration(s)
}

#[derive(Subcommand)]
pub enum WorktreesCommand {
    /// Remove the worktrees of finished tasks (their branches stay).
    Clean {
        /// Any folder of the repository [default: .]
        dir: Option<PathBuf>,
    },
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

pub(crate) async fn repo_root(dir: &Path) -> anyhow::Result<PathBuf> {
    git::toplevel(dir)
        .await
        .map_err(|e| anyhow::anyhow!("{} is not in a git repository ({e})", dir.display()))
}

/// Asks for (or, with `trust`, records) consent to run the `runnables` not yet confirmed for
/// the repository at `root`. False when the user said no or there is no terminal to ask on.
pub(crate) fn consent(
    root: &Path,
    runnables: &[trust::Runnable],
    trust_all: bool,
) -> anyhow::Result<bool> {
    let pending = trust::untrusted(root, runnables);
    if pending.is_empty() {
        return Ok(true);
    }
    if !trust_all {
        let mut listing = String::new();
        for r in &pending {
            listing.push_str(&format!("  {}: {}\n", r.what, r.command));
        }
        if !std::io::stdin().is_terminal() {
            eprint!(
                "specwright: this repository defines commands that have not been confirmed:\n{listing}\
                 run again with --trust to confirm them (once per command and repository)\n"
            );
            return Ok(false);
        }
        eprint!(
            "This repository defines commands Specwright would run:\n{listing}Run them? [y/N] "
        );
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            eprintln!("specwright: nothing was run");
            return Ok(false);
        }
    }
    trust::confirm(root, &pending).map_err(anyhow::Error::msg)?;
    Ok(true)
}

pub(crate) fn read(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok()
}

pub fn run(args: DispatchArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(dispatch_async(args))
}

async fn dispatch_async(args: DispatchArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        tasks: args.task.clone(),
        ready_only: args.ready,
        agent: args.agent.clone(),
        jobs: args.jobs,
        base: args.base.clone(),
        timeout: args.timeout,
    };
    let plan = dispatch::plan(&args.tasks, &ConfigFile::default(), &options, &read)
        .await
        .map_err(anyhow::Error::msg)?;
    for w in &plan.warnings {
        eprintln!("specwright: warning: {w}");
    }
    if args.dry_run {
        print_plan(&plan);
        return Ok(ExitCode::SUCCESS);
    }
    let root = plan.project.root.clone();
    if !consent(&root, &plan.runnables, args.trust)? {
        return Ok(ExitCode::from(2));
    }

    let tasks_path = plan.project.tasks_path.clone();
    let run_id = plan.run_id.clone();
    let total = plan.order.len();
    let cancels = Cancels::default();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    // Ctrl-C (or a SIGTERM) cancels every agent cleanly: their process groups end and the
    // run records say cancelled.
    let ctrl_c = {
        let cancels = cancels.clone();
        tokio::spawn(async move {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let terminated = async {
                match term.as_mut() {
                    Some(t) => {
                        t.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = terminated => {}
            }
            eprintln!("\nspecwright: cancelling every agent…");
            cancels.cancel_all();
        })
    };
    let fancy = std::io::stderr().is_terminal();
    eprintln!(
        "specwright: run {run_id}: {total} task(s) on `{}`, {} at a time",
        plan.agent_name, plan.jobs
    );
    let runner = tokio::spawn(dispatch::execute(plan, cancels, tx));
    let multi = MultiProgress::new();
    let overall = fancy.then(|| {
        let b = multi.add(ProgressBar::new(total as u64));
        b.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} done · {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let mut bars: HashMap<String, ProgressBar> = HashMap::new();
    let mut finished: Vec<TaskResult> = Vec::new();
    while let Some(update) = rx.recv().await {
        match update {
            Update::Started { task, branch, .. } => {
                let _ = dispatch::write_checkbox(
                    &tasks_path,
                    &task,
                    dispatch::checkbox_for(Outcome::Running),
                );
                if fancy {
                    let b = multi.add(ProgressBar::new_spinner());
                    b.enable_steady_tick(Duration::from_millis(120));
                    b.set_prefix(task.clone());
                    b.set_style(
                        ProgressStyle::with_template("{spinner} {prefix} {wide_msg}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    b.set_message(format!("started on {branch}"));
                    bars.insert(task, b);
                } else {
                    eprintln!("{task}: started on {branch}");
                }
            }
            Update::Progress { task, text } => match bars.get(&task) {
                Some(b) => b.set_message(text),
                None if !fancy => eprintln!("{task}: {text}"),
                None => {}
            },
            Update::Finished(r) => {
                if let Err(e) = dispatch::write_checkbox(
                    &tasks_path,
                    &r.task,
                    dispatch::checkbox_for(r.outcome),
                ) {
                    eprintln!("specwright: warning: {e}");
                }
                let line = if r.outcome == Outcome::Passed {
                    format!("✓ {}", r.summary)
                } else {
                    format!("✗ {} {}: {}", r.task, r.outcome.as_str(), r.summary)
                };
                if let Some(b) = bars.remove(&r.task) {
                    b.finish_and_clear();
                }
                if let Some(o) = &overall {
                    o.inc(1);
                    o.set_message(format!("{} {}", r.task, r.outcome.as_str()));
                    o.println(&line);
                } else {
                    eprintln!("{line}");
                }
                finished.push(*r);
            }
        }
    }
    if let Some(o) = overall {
        o.finish_and_clear();
    }
    ctrl_c.abort();
    let results = runner
        .await
        .context("the dispatch stopped")?
        .map_err(anyhow::Error::msg)?;
    let passed = results
        .iter()
        .filter(|r| r.outcome == Outcome::Passed)
        .count();
    println!(
        "run {run_id}: {passed}/{} passed; records in {}",
        results.len(),
        record::runs_dir(&root).join(&run_id).display()
    );
    for r in results.iter().filter(|r| r.outcome != Outcome::Passed) {
        println!("  {} {}: {}", r.task, r.outcome.as_str(), r.summary);
    }
    Ok(if passed == results.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_plan(plan: &Plan) {
    println!(
        "run on `{}` ({} at a time, timeout {}), from {}",
        plan.agent_name,
        plan.jobs,
        humantime::format_duration(plan.timeout),
        &plan.base[..plan.base.len().min(12)]
    );
    println!("worktrees in {}", plan.worktree_root.display());
    for (i, wave) in plan.waves.iter().enumerate() {
        println!("wave {}: {}", i + 1, wave.join(", "));
    }
    println!("order: {}", plan.order.join(" → "));
    println!("would run:");
    for r in &plan.runnables {
        println!("  {}: {}", r.what, r.command);
    }
    for (id, prompt) in &plan.prompts {
        let branch = plan.branches.get(id).cloned().unwrap_or_default();
        println!("\n===== {id} on {branch} =====\n{prompt}");
    }
}

/// `specwright runs [RUN]`.
pub fn runs(dir: Option<PathBuf>, run: Option<String>, json: bool) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let root = rt.block_on(repo_root(&dir))?;
    record::sweep_interrupted(&root);
    match run {
        Some(id) => {
            let Some(run) = record::load_run(&root, &id) else {
                bail!("no run {id} in {}", record::runs_dir(&root).display());
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&run.results)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "run {} · {} · agent {} · started {}",
                run.info.id, run.info.tasks_file, run.info.agent, run.info.started
            );
            for r in &run.results {
                println!("{} {} — {}", r.task, r.outcome.as_str(), r.summary);
                if let Some(b) = &r.branch {
                    println!("    branch {b}");
                }
                if !r.changed.is_empty() {
                    let files: Vec<String> = r
                        .changed
                        .iter()
                        .map(|c| format!("{} {}", c.status, c.path))
                        .collect();
                    println!("    changed {}", files.join(", "));
                }
                for c in &r.validation.checks {
                    println!(
                        "    check `{}`: {}",
                        c.command,
                        if c.passed { "passed" } else { "failed" }
                    );
                }
                for a in &r.validation.adrs {
                    println!(
                        "    ADR-{:04} {}: {}",
                        a.number,
                        a.confirmation,
                        if a.passed { "holds" } else { "broken" }
                    );
                }
                println!(
                    "    log {}",
                    record::task_dir(&root, &r.run, &r.task).display()
                );
            }
        }
        None => {
            let all = record::runs(&root);
            if json {
                let list: Vec<_> = all
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.info.id, "tasks_file": r.info.tasks_file,
                            "agent": r.info.agent, "started": r.info.started,
                            "results": r.results.iter().map(|t| serde_json::json!({
                                "task": t.task, "outcome": t.outcome })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(ExitCode::SUCCESS);
            }
            if all.is_empty() {
                println!("no runs yet");
            }
            for r in all {
                let mut counts: Vec<(String, usize)> = Vec::new();
                for t in &r.results {
                    let o = t.outcome.as_str().to_string();
                    match counts.iter_mut().find(|(k, _)| *k == o) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((o, 1)),
                    }
                }
                let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
                println!(
                    "{}  {}  {}  {}",
                    r.info.id,
                    r.info.tasks_file,
                    r.info.agent,
                    summary.join(", ")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `specwright integrate --into BRANCH`.
pub fn integrate(
    into: String,
    run: Option<String>,
    pr: bool,
    dir: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    rt.block_on(async {
        let root = repo_root(&dir).await?;
        let wt_root = dispatch::worktree_root_of(&root);
        let report = integrate::integrate(&root, run.as_deref(), &into, &wt_root)
            .await
            .map_err(anyhow::Error::msg)?;
        print!("{}", report.report());
        if report.conflict.is_some() {
            return Ok(ExitCode::from(1));
        }
        if pr {
            open_pr(&root, &into)?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn open_pr(root: &Path, branch: &str) -> anyhow::Result<()> {
    let gh = std::process::Command::new("gh").arg("--version").output();
    if gh.map(|o| !o.status.success()).unwrap_or(true) {
        bail!(
            "--pr needs the GitHub CLI (`gh`), which is not installed; push {branch} and open the pull request yourself"
        );
    }
    let status = std::process::Command::new("git")
        .args(["push", "--set-upstream", "origin", branch])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("git push of {branch} failed");
    }
    let status = std::process::Command::new("gh")
        .args(["pr", "create", "--fill", "--head", branch])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("gh pr create failed");
    }
    Ok(())
}

pub fn worktrees(command: WorktreesCommand) -> anyhow::Result<ExitCode> {
    let WorktreesCommand::Clean { dir } = command;
    let rt = runtime()?;
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    rt.block_on(async {
        let root = repo_root(&dir).await?;
        let (removed, kept) = integrate::clean(&root).await;
        for r in &removed {
            println!("removed {r}");
        }
        for k in &kept {
            println!("kept {k}");
        }
        if removed.is_empty() && kept.is_empty() {
            println!("no finished worktrees");
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `specwright agents`.
pub fn agents(dir: Option<PathBuf>, json: bool) -> anyhow::Result<ExitCode> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let loaded = specwright_workspace::config_for(&dir.join("specwright.toml"))
        .context("reading the configuration")?;
    let config = loaded.resolve(&ConfigFile::default());
    let agents = config.file.agents.clone().unwrap_or_default();
    let default = config.file.dispatch.as_ref().and_then(|d| d.agent.clone());
    let rows: Vec<serde_json::Value> = agents
        .iter()
        .map(|(name, a)| {
            let launch = specwright_agents::agent::launch(
                a,
                &specwright_agents::agent::Placeholders::UNFILLED,
                specwright_agents::confine::kernel_abi() > 0,
            );
            let program = launch.argv.first().cloned().unwrap_or_default();
            let found = which(&program);
            serde_json::json!({
                "name": name,
                "kind": format!("{:?}", a.kind).to_lowercase(),
                "argv": launch.argv,
                "program": program,
                "found": found.as_ref().map(|p| p.display().to_string()),
                "default": default.as_deref() == Some(name.as_str()) || (default.is_none() && agents.len() == 1),
            })
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!(
            "no agents configured: add [agents.NAME] to specwright.toml (see docs/dispatch.md)"
        );
    }
    for r in &rows {
        println!(
            "{}{}  {}  {}  {}",
            r["name"].as_str().unwrap_or(""),
            if r["default"] == true {
                " (default)"
            } else {
                ""
            },
            r["kind"].as_str().unwrap_or(""),
            r["program"].as_str().unwrap_or(""),
            r["found"]
                .as_str()
                .map_or("NOT FOUND on PATH".to_string(), |p| p.to_string())
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `program` would be found: itself when it has a slash, else on PATH.
fn which(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = PathBuf::from(program);
        return p.is_file().then_some(p);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}
