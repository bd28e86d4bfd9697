//! `specwright mcp`: a Model Context Protocol server over stdio (the official Rust SDK, `rmcp`),
//! so that the agent writing a spec is told what Specwright finds while it writes. Tools:
//! `check` (findings of files or folders), `questions` (a document's open clarification
//! questions), `adr_list` (the decision records), `explain` (a rule's page), `rules` (the
//! catalogue), `decompose` (the tasks plan of a spec, as a diff: never written). Every path is confined to
//! the workspace root the server started in; a bad input is a tool error naming it.

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ErrorData, ServerHandler, ServiceExt, schemars, tool, tool_handler, tool_router};
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
}

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
}

#[tool_router]
impl Specwright {
    #[tool(
        description = "Check Markdown specifications (files or folders of the workspace): the findings worth acting on, each with its rule, severity, message, the question to answer and its place (1-based line and column)."
    )]
    async fn check(
        &self,
        Parameters(args): Parameters<CheckArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let paths: Vec<PathBuf> = if args.paths.is_empty() {
            vec![self.root.clone()]
        } else {
            args.paths
                .iter()
                .map(|p| self.confine(p))
                .collect::<Result<_, _>>()?
        };
        let report = check::run(&paths).map_err(|e| bad(format!("{e:#}")))?;
        let findings: Vec<serde_json::Value> = report
            .findings
            .iter()
            .map(|f| {
                json!({
                    "path": Path::new(&f.path).strip_prefix(&self.root).map_or(f.path.clone(), |p| p.to_string_lossy().into_owned()),
                    "rule": f.rule,
                    "severity": f.severity.to_string(),
                    "message": f.message,
                    "question": f.question,
                    "line": f.start.0, "column": f.start.1,
                    "end_line": f.end.0, "end_column": f.end.1,
                })
            })
            .collect();
        let body = json!({
            "files_checked": report.files_checked,
            "findings": findings,
            "errors": report.errors,
        });
        Ok(CallToolResult::success(vec![ContentBlock::text(
            body.to_string(),
        )]))
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
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Specwright {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("specwright", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Call `check` on every spec, plan, tasks file or ADR you write or edit, and fix \
                 what it finds (or say why it stands) before going on; `explain` tells what a rule checks.",
            )
    }
}

pub fn run() -> anyhow::Result<std::process::ExitCode> {
    let root = std::fs::canonicalize(std::env::current_dir()?)?;
    crate::dispatch::runtime()?.block_on(async move {
        let service = Specwright::new(root)
            .serve(rmcp::transport::stdio())
            .await?;
        service.waiting().await?;
        Ok(std::process::ExitCode::SUCCESS)
    })
}
