//! `specwright`: the command line. Thin: arguments, output formats and exit codes around the
//! same analysis the language server runs.

mod adr;
use specwright::check;
mod dispatch;
mod hook;
mod init;
mod mcp;
mod output;
mod tasks;
mod verify;

use clap::{Parser, Subcommand, ValueEnum};
use specwright_core::{Severity, rules};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "specwright",
    version,
    about = "A language server and linter for specifications, plans, task lists and ADRs."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check Markdown specifications (files or folders; folders are walked honouring .gitignore).
    /// A `specwright.toml` argument validates that configuration file.
    Check {
        /// Files or folders to check [default: .]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The lowest severity that makes the exit code 1.
        #[arg(long, value_enum, default_value_t = FailOn::Warning)]
        fail_on: FailOn,
        /// Colour in human output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Explain a rule: what it catches, why, an example and the fix.
    Explain { rule: String },
    /// Write a commented specwright.toml for this repository.
    Init {
        /// The folder to write it in [default: .]
        dir: Option<PathBuf>,
        /// Overwrite an existing specwright.toml.
        #[arg(long)]
        force: bool,
        /// Instead, set up an agent that writes specs: its hook and Specwright's MCP server,
        /// merged into its settings, never clobbering them.
        #[arg(long, value_enum)]
        agent: Option<init::Agent>,
    },
    /// Decompose a spec (or one of its sections) into tasks with context boundaries, in the
    /// sibling tasks.md. Prints the change as a diff; `--write` applies it.
    Tasks {
        /// The spec, requirements or proposal to decompose.
        spec: PathBuf,
        /// Only this section (title, case-insensitive; a prefix is enough).
        #[arg(long)]
        section: Option<String>,
        /// Write tasks.md instead of printing the diff.
        #[arg(long)]
        write: bool,
    },
    /// Architecture Decision Records: new, supersede, status, index, list.
    Adr {
        #[command(subcommand)]
        command: adr::AdrCommand,
    },
    /// Run tasks of a tasks file on a coding agent, each in its own git worktree, then
    /// validate each against its boundary, checks and the accepted ADRs the spec cites.
    /// Exit 0 when every task passed, 1 when any did not, 2 on usage errors or unconfirmed
    /// commands.
    Dispatch(dispatch::DispatchArgs),
    /// List dispatch runs, or show one.
    Runs {
        /// A run id (see the list).
        run: Option<String>,
        /// Any folder of the repository [default: .]
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Merge the passed task branches of a run, in dependency order, into a branch (created
    /// at the run's base when missing). Never touches the branch checked out here.
    Integrate {
        /// The branch to merge into.
        #[arg(long)]
        into: String,
        /// The run [default: the latest].
        #[arg(long)]
        run: Option<String>,
        /// Push the branch and open a pull request with `gh`.
        #[arg(long)]
        pr: bool,
        /// Any folder of the repository [default: .]
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// The coding agents configured for this folder (`[agents]`) and whether each program is
    /// installed.
    Agents {
        /// Any folder of the repository [default: .]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Task worktrees: `clean` removes those of finished tasks.
    Worktrees {
        #[command(subcommand)]
        command: dispatch::WorktreesCommand,
    },
    /// Are the tasks marked done really done? For each ticked task of each tasks file: its
    /// `Check:` commands pass in a clean temporary worktree of HEAD, and commits after the one
    /// that added it touch its boundary. Same formats, `--fail-on` and exit codes as `check`.
    Verify {
        /// Tasks files, or folders holding them [default: .]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[arg(long, value_enum, default_value_t = FailOn::Warning)]
        fail_on: FailOn,
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Confirm the repository's check commands without asking.
        #[arg(long)]
        trust: bool,
        /// Longest a check may run, e.g. "90s", "5m".
        #[arg(long, default_value = "5m", value_parser = humantime::parse_duration)]
        timeout: std::time::Duration,
        /// Record `<!-- sw:verified COMMIT -->` under each task verified, so that a later
        /// verify reports the tasks whose boundary changed since (boundary-changed).
        #[arg(long)]
        stamp: bool,
    },
    /// Hooks for the agents that write specs: a Claude Code PostToolUse or Gemini CLI AfterTool
    /// hook that checks each Markdown file the agent wrote and hands the findings back to the
    /// model.
    Hook {
        #[command(subcommand)]
        agent: HookAgent,
    },
    /// A Model Context Protocol server on stdin/stdout, for the agents that write specs: tools
    /// check, questions, explain, rules, adr_list, decompose (a diff, never written), coverage
    /// and dispatch_plan (a dry run), confined to this folder; rule pages as resources.
    Mcp,
    /// Run the language server on stdin/stdout.
    Lsp,
}

#[derive(Subcommand)]
enum HookAgent {
    /// Claude Code's PostToolUse hook (the hook's JSON on stdin).
    Claude,
    /// Gemini CLI's AfterTool hook (the hook's JSON on stdin).
    Gemini,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
            FailOn::Hint => Severity::Hint,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // `specwright check | head`: the reader has what it wanted; not an error to report.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("specwright: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check {
            paths,
            format,
            fail_on,
            color,
        } => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                paths
            };
            let report = check::run(&paths)?;
            let mut out = std::io::stdout().lock();
            output::write(&mut out, &report, format, color)?;
            out.flush()?;
            for e in &report.errors {
                eprintln!("specwright: error: {e}");
            }
            if !report.errors.is_empty() {
                return Ok(ExitCode::from(2));
            }
            let failing = report
                .findings
                .iter()
                .any(|f| f.severity >= fail_on.severity());
            Ok(ExitCode::from(u8::from(failing)))
        }
        Command::Rules { format } => {
            let mut out = std::io::stdout().lock();
            match format {
                RulesFormat::Json => writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&rules::catalogue())?
                )?,
                RulesFormat::Table => {
                    let width = rules::registry()
                        .iter()
                        .map(|r| r.meta().id.len())
                        .max()
                        .unwrap_or(0);
                    writeln!(out, "{:width$}  {:8}  summary", "rule", "default")?;
                    for r in rules::registry() {
                        let m = r.meta();
                        writeln!(
                            out,
                            "{:width$}  {:8}  {}",
                            m.id,
                            m.default_severity().as_str(),
                            m.summary
                        )?;
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => match rules::find(&rule) {
            Some(r) => {
                print!("{}", r.meta().markdown());
                Ok(ExitCode::SUCCESS)
            }
            None => anyhow::bail!(
                "unknown rule `{rule}`; known rules: {}",
                rules::ids().join(", ")
            ),
        },
        Command::Init { dir, force, agent } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            if let Some(a) = agent {
                for (path, changed) in init::agent(&dir, a)? {
                    println!(
                        "{} {}",
                        if changed { "wrote" } else { "unchanged:" },
                        path.display()
                    );
                }
                return Ok(ExitCode::SUCCESS);
            }
            let written = init::run(&dir, force)?;
            println!("wrote {}", written.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Tasks {
            spec,
            section,
            write,
        } => {
            tasks::run(&spec, section.as_deref(), write)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Adr { command } => {
            adr::run(command)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Dispatch(args) => dispatch::run(args),
        Command::Runs { run, dir, json } => dispatch::runs(dir, run, json),
        Command::Integrate { into, run, pr, dir } => dispatch::integrate(into, run, pr, dir),
        Command::Worktrees { command } => dispatch::worktrees(command),
        Command::Agents { dir, json } => dispatch::agents(dir, json),
        Command::Verify {
            paths,
            format,
            fail_on,
            color,
            trust,
            timeout,
            stamp,
        } => verify::run(verify::VerifyArgs {
            stamp,
            paths,
            format,
            fail_on: fail_on.severity(),
            color,
            trust,
            timeout,
        }),
        Command::Hook { agent } => hook::run(match agent {
            HookAgent::Claude => hook::Agent::Claude,
            HookAgent::Gemini => hook::Agent::Gemini,
        }),
        Command::Mcp => mcp::run(),
        Command::Lsp => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let clean = runtime.block_on(specwright_lsp::run_stdio());
            // After `exit` a read of stdin may still be pending (clients need not close it):
            // it must not keep the process alive.
            runtime.shutdown_background();
            Ok(if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
