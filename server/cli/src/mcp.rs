//! `specwright mcp`: a Model Context Protocol server over stdio (the official Rust SDK, `rmcp`),
//! so that the agent writing a spec is told what Specwright finds while it writes. Tools:
//! `check` (findings of files or folders), `questions` (a document's open clarification
//! questions), `adr_list` (the decision records), `explain` (a rule's page), `rules` (the
//! catalogue), `decompose` (the tasks plan of a spec, as a diff: never written), `coverage`
//! (a folder's requirement ↔ task table) and `dispatch_plan` (a dry run); every rule's page is a
//! resource. Every path is confined to the workspace root the server started in; a bad input is
//! a tool error naming it.

use crate::output::json::JsonReport;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{
    ErrorData, RoleServer, ServerHandler, ServiceExt, schemars, tool, tool_handler, tool_router,
};
use serde::Deserialize;
use serde_json::json;
use specwright::check;
use specwright_core::rules;
use std::path::{Path, PathBuf};

#[derive(Clone)]
pub struct Specwright {
    root: PathBuf,
    tool_router: ToolRouter<Self>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct CheckArgs {
    /// Files or folders, relative to the workspace root (default: the whole workspace).
    #[serde(default)]
    pub paths: Vec<String>,
    /// A document not yet written: its text, checked as the file `path` will be (its folder's
    /// other documents as they are on disk). Takes the place of `paths`.
    pub text: Option<String>,
    /// Where `text` will be written, relative to the workspace root.
    pub path: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct CoverageArgs {
    /// A feature folder (or any document in it), relative to the workspace root.
    pub folder: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct DispatchPlanArgs {
    /// The tasks file, relative to the workspace root.
    pub tasks: String,
    /// Only these task ids; default: every open task, in dependency order.
    #[serde(default)]
    pub task: Vec<String>,
    /// Only tasks whose dependencies are all done.
    #[serde(default)]
    pub ready: bool,
    /// The agent (a name under `[agents]` in specwright.toml).
    pub agent: Option<String>,
}

/// The largest text `check` takes (a spec is a few hundred KB at most).
/// Where the rules' pages are, as resources.
const RULES: &str = "specwright://rules/";

const MAX_TEXT: usize = 8 * 1024 * 1024;

/// The longest request line read: larger than any text `check` takes, so that an oversized
/// one is answered with an error rather than dropped. Longer lines are dropped (and logged).
const LINE_LIMIT: usize = 128 * 1024 * 1024;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct QuestionsArgs {
    /// The document, relative to the workspace root.
    pub path: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ExplainArgs {
    /// A rule id, e.g. `vague-term`.
    pub rule: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct DecomposeArgs {
    /// The spec, requirements or proposal to decompose, relative to the workspace root.
    pub spec: String,
    /// Only this section (its title, case-insensitive; a prefix is enough).
    pub section: Option<String>,
}

fn bad(message: String) -> ErrorData {
    ErrorData::invalid_params(message, None)
}

impl Specwright {
    pub fn new(root: PathBuf) -> Specwright {
        Specwright {
            root,
            tool_router: Self::tool_router(),
        }
    }

    /// `path` inside the workspace root, or why not.
    fn confine(&self, path: &str) -> Result<PathBuf, ErrorData> {
        let joined = self.root.join(path);
        let real = std::fs::canonicalize(&joined).map_err(|e| bad(format!("{path}: {e}")))?;
        if !real.starts_with(&self.root) {
            return Err(bad(format!(
                "{path} is outside the workspace {}",
                self.root.display()
            )));
        }
        Ok(real)
    }

    /// A file that may not exist yet, inside the workspace root: its folder must exist there.
    fn confine_new(&self, path: &str) -> Result<PathBuf, ErrorData> {
        let joined = self.root.join(path);
        let name = joined
            .file_name()
            .ok_or_else(|| bad(format!("{path} names no file")))?
            .to_owned();
        let parent = joined.parent().unwrap_or(&self.root);
        let folder = std::fs::canonicalize(parent).map_err(|e| bad(format!("{path}: {e}")))?;
        if !folder.starts_with(&self.root) {
            return Err(bad(format!(
                "{path} is outside the workspace {}",
                self.root.display()
            )));
        }
        Ok(folder.join(name))
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned()
    }
}

#[tool_router]
impl Specwright {
    #[tool(
        description = "Check Markdown specifications (files or folders of the workspace, or a text not yet written with the path it will have): the findings worth acting on, each with its rule, severity, message, the question to answer, its place (1-based line and column) and its fixes; the same JSON as `specwright check --format json`."
    )]
    async fn check(
        &self,
        Parameters(args): Parameters<CheckArgs>,
    ) -> Result<Json<JsonReport>, ErrorData> {
        let report = match (args.text, args.path) {
            (Some(text), Some(path)) => {
                if text.len() > MAX_TEXT {
                    return Err(bad(format!(
                        "text of {} bytes is over the {MAX_TEXT}-byte limit",
                        text.len()
                    )));
                }
                let file = self.confine_new(&path)?;
                check::run_text(&file, text).map_err(|e| bad(format!("{e:#}")))?
            }
            (Some(_), None) => return Err(bad("`text` needs the `path` it will have".into())),
            (None, _) => {
                let paths: Vec<PathBuf> = if args.paths.is_empty() {
                    vec![self.root.clone()]
                } else {
                    args.paths
                        .iter()
                        .map(|p| self.confine(p))
                        .collect::<Result<_, _>>()?
                };
                check::run(&paths).map_err(|e| bad(format!("{e:#}")))?
            }
        };
        Ok(Json(JsonReport::of(&report, Some(&self.root))))
    }

    #[tool(
        description = "Explain a Specwright rule: what it catches, why, an example, the fix and its measured precision."
    )]
    async fn explain(
        &self,
        Parameters(args): Parameters<ExplainArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let rule = rules::find(&args.rule).ok_or_else(|| {
            bad(format!(
                "no rule `{}`; the rules tool lists them",
                args.rule
            ))
        })?;
        Ok(CallToolResult::success(vec![ContentBlock::text(
            rule.meta().markdown(),
        )]))
    }

    #[tool(
        description = "The open clarification questions of a document: for each finding that asks one, its line, its rule and the question to put to the spec's author."
    )]
    async fn questions(
        &self,
        Parameters(args): Parameters<QuestionsArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let path = self.confine(&args.path)?;
        if !path.is_file() {
            return Err(bad(format!("{} is not a file", args.path)));
        }
        let report = check::run(std::slice::from_ref(&path)).map_err(|e| bad(format!("{e:#}")))?;
        let questions: Vec<serde_json::Value> = report
            .findings
            .iter()
            .filter_map(|f| {
                let q = f.question.as_ref()?;
                Some(json!({ "line": f.start.0, "rule": f.rule, "question": q }))
            })
            .collect();
        Ok(CallToolResult::success(vec![ContentBlock::text(
            json!({ "path": args.path, "questions": questions }).to_string(),
        )]))
    }

    #[tool(
        description = "The Architecture Decision Records of the workspace: number, title, status, date, format and path of each, in number order."
    )]
    async fn adr_list(&self) -> Result<CallToolResult, ErrorData> {
        let rows = crate::adr::list().map_err(|e| bad(format!("{e:#}")))?;
        Ok(CallToolResult::success(vec![ContentBlock::text(
            serde_json::Value::Array(rows).to_string(),
        )]))
    }

    #[tool(description = "List Specwright's rules: id, default severity and summary.")]
    async fn rules(&self) -> Result<CallToolResult, ErrorData> {
        Ok(CallToolResult::success(vec![ContentBlock::text(
            rules::catalogue().to_string(),
        )]))
    }

    #[tool(
        description = "Decompose a spec into tasks with context boundaries: the change to its sibling tasks.md as a unified diff. Nothing is written."
    )]
    async fn decompose(
        &self,
        Parameters(args): Parameters<DecomposeArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let spec = self.confine(&args.spec)?;
        let read = |p: &Path| std::fs::read_to_string(p).ok();
        let planned = specwright_workspace::tasks::plan(
            &spec,
            args.section.as_deref(),
            None,
            None,
            &Default::default(),
            &read,
        )
        .map_err(bad)?;
        let before = planned.before.as_deref().unwrap_or("");
        let name = planned
            .tasks_path
            .strip_prefix(&self.root)
            .unwrap_or(&planned.tasks_path)
            .display()
            .to_string();
        let from = if planned.before.is_some() {
            format!("a/{name}")
        } else {
            "/dev/null".into()
        };
        let diff = similar::TextDiff::from_lines(before, planned.after.as_str())
            .unified_diff()
            .header(&from, &format!("b/{name}"))
            .to_string();
        Ok(CallToolResult::success(vec![ContentBlock::text(
            if diff.is_empty() {
                format!("{name} already holds this decomposition")
            } else {
                diff
            },
        )]))
    }

    #[tool(
        description = "The requirement-to-task table of a feature folder: each requirement (or user story, when tasks are labelled by story) with the tasks that cite it, and the mode coverage is checked in (`requirement`, `story`, or `none` when no task cites anything)."
    )]
    async fn coverage(
        &self,
        Parameters(args): Parameters<CoverageArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let given = self.confine(&args.folder)?;
        let folder = if given.is_dir() {
            given
        } else {
            given.parent().map(Path::to_path_buf).unwrap_or(given)
        };
        let index = specwright_workspace::folder_index(&folder)
            .map_err(|e| bad(format!("{}: {e}", args.folder)))?;
        let key = specwright_workspace::folder_key(&folder);
        let table = specwright_core::ide::coverage_table(&index, &key);
        // Each document read once for its lines, not once per requirement.
        let mut texts: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
        let rows: Vec<serde_json::Value> = table
            .rows
            .iter()
            .map(|r| {
                let file = Path::new(&r.location);
                let text = texts
                    .entry(r.location.as_str())
                    .or_insert_with(|| std::fs::read_to_string(file).unwrap_or_default());
                let line = if text.is_empty() {
                    0
                } else {
                    check::line_col(text, r.span.start).0
                };
                json!({
                    "id": r.id, "text": r.text, "path": self.relative(file), "line": line,
                    "covered_by": r.covered_by,
                })
            })
            .collect();
        let uncovered = table
            .rows
            .iter()
            .filter(|r| r.covered_by.is_empty())
            .count();
        Ok(CallToolResult::success(vec![ContentBlock::text(
            json!({ "folder": self.relative(&folder), "mode": table.mode, "uncovered": uncovered, "requirements": rows })
                .to_string(),
        )]))
    }

    #[tool(
        description = "Plan a dispatch of a tasks file to coding agents without running anything: the agent, the order and parallel waves, the branch and prompt of each task, and the commands that would run (running them needs the user's consent, outside MCP)."
    )]
    async fn dispatch_plan(
        &self,
        Parameters(args): Parameters<DispatchPlanArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let tasks = self.confine(&args.tasks)?;
        let options = specwright_agents::dispatch::Options {
            tasks: args.task,
            ready_only: args.ready,
            agent: args.agent,
            ..Default::default()
        };
        let plan = specwright_agents::dispatch::plan(
            &tasks,
            &specwright_core::ConfigFile::default(),
            &options,
            &crate::dispatch::read,
        )
        .await
        .map_err(bad)?;
        let prompts: serde_json::Map<String, serde_json::Value> = plan
            .prompts
            .iter()
            .map(|(id, prompt)| {
                let branch = plan.branches.get(id).cloned().unwrap_or_default();
                (id.clone(), json!({ "branch": branch, "prompt": prompt }))
            })
            .collect();
        let would_run: Vec<serde_json::Value> = plan
            .runnables
            .iter()
            .map(|r| json!({ "what": r.what, "command": r.command }))
            .collect();
        Ok(CallToolResult::success(vec![ContentBlock::text(
            json!({
                "agent": plan.agent_name, "jobs": plan.jobs, "base": plan.base,
                "order": plan.order, "waves": plan.waves, "tasks": prompts,
                "would_run": would_run, "warnings": plan.warnings,
            })
            .to_string(),
        )]))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Specwright {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
            .with_server_info(Implementation::new("specwright", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Call `check` on every spec, plan, tasks file or ADR you write or edit, and fix \
                 what it finds (or say why it stands) before going on; `explain` tells what a rule checks.",
            )
    }

    /// Every rule's page, `specwright://rules/<id>`: what `explain` answers, to read as context.
    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let resources = rules::ids()
            .into_iter()
            .filter_map(rules::find)
            .map(|r| {
                let meta = r.meta();
                Resource::new(format!("{RULES}{}", meta.id), meta.id)
                    .with_description(meta.summary)
                    .with_mime_type("text/markdown")
            })
            .collect();
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let rule = request
            .uri
            .strip_prefix(RULES)
            .and_then(rules::find)
            .ok_or_else(|| {
                ErrorData::resource_not_found(
                    format!("no resource {}; resources/list names them", request.uri),
                    None,
                )
            })?;
        Ok(ReadResourceResponse::Complete(ReadResourceResult::new(
            vec![
                ResourceContents::text(rule.meta().markdown(), request.uri.clone())
                    .with_mime_type("text/markdown"),
            ],
        )))
    }
}

pub fn run() -> anyhow::Result<std::process::ExitCode> {
    let root = std::fs::canonicalize(std::env::current_dir()?)?;
    crate::dispatch::runtime()?.block_on(async move {
        // The SDK reads from and writes to pipes of ours: a line that is not JSON, or longer
        // than LINE_LIMIT, gets a JSON-RPC error here (the SDK would drop it without a word),
        // and one writer puts both its answers and ours on stdout, a whole line at a time.
        let (to_sdk, sdk_in) = tokio::io::duplex(1 << 20);
        let (sdk_out, from_sdk) = tokio::io::duplex(1 << 20);
        let (errors_tx, errors_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let reader = tokio::spawn(read_requests(tokio::io::stdin(), to_sdk, errors_tx));
        let writer = tokio::spawn(write_answers(from_sdk, errors_rx, tokio::io::stdout()));
        let transport = rmcp::transport::async_rw::AsyncRwTransport::new_server(sdk_in, sdk_out)
            .with_max_line_length(LINE_LIMIT);
        let service = Specwright::new(root).serve(transport).await?;
        service.waiting().await?;
        reader.abort();
        let _ = writer.await;
        Ok(std::process::ExitCode::SUCCESS)
    })
}

/// Passes each request line from `input` to the SDK; answers a line that is not JSON, or is
/// longer than LINE_LIMIT, with a JSON-RPC error of its own.
async fn read_requests(
    input: impl tokio::io::AsyncRead + Unpin,
    mut to_sdk: impl tokio::io::AsyncWrite + Unpin,
    errors: tokio::sync::mpsc::UnboundedSender<String>,
) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let mut input = tokio::io::BufReader::new(input);
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut oversized = false;
        // One line, never more than LINE_LIMIT of it in memory.
        loop {
            let chunk = match input.fill_buf().await {
                Ok(c) => c,
                Err(_) => return,
            };
            if chunk.is_empty() {
                if line.is_empty() && !oversized {
                    let _ = to_sdk.shutdown().await;
                    return;
                }
                break;
            }
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !oversized && line.len() + take <= LINE_LIMIT {
                line.extend_from_slice(&chunk[..take]);
            } else {
                oversized = true;
                line.clear();
            }
            input.consume(take);
            if done {
                break;
            }
        }
        let error = |code: i32, message: String| {
            serde_json::json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } })
                .to_string()
        };
        if oversized {
            let _ = errors.send(error(
                -32600,
                format!("a request over {LINE_LIMIT} bytes was dropped"),
            ));
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&line) {
            let _ = errors.send(error(-32700, format!("parse error: {e}")));
            continue;
        }
        if !line.ends_with(b"\n") {
            line.push(b'\n');
        }
        if to_sdk.write_all(&line).await.is_err() {
            return;
        }
    }
}

/// Writes the SDK's answers and our errors to `out`, each a whole line.
async fn write_answers(
    from_sdk: impl tokio::io::AsyncRead + Unpin,
    mut errors: tokio::sync::mpsc::UnboundedReceiver<String>,
    mut out: impl tokio::io::AsyncWrite + Unpin,
) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let mut answers = tokio::io::BufReader::new(from_sdk).lines();
    let mut errors_open = true;
    loop {
        let line = tokio::select! {
            answer = answers.next_line() => match answer {
                Ok(Some(l)) => l,
                _ => break,
            },
            error = errors.recv(), if errors_open => match error {
                Some(e) => e,
                None => {
                    errors_open = false;
                    continue;
                }
            },
        };
        if out.write_all(format!("{line}\n").as_bytes()).await.is_err()
            || out.flush().await.is_err()
        {
            break;
        }
    }
}
