//! Reading the sections that say how Specwright runs things: `[dispatch]`, `[agents.*]` and
//! `[verify]`.

use super::super::{AgentConfig, AgentKind, DispatchConfig, VerifyConfig, parse_duration};
use super::{Node, Reader, suggest};
use crate::diagnostic::Severity;
use std::collections::BTreeMap;

impl Reader<'_> {
    pub(super) fn dispatch<N: Node>(&mut self, node: &N) -> DispatchConfig {
        const KNOWN: &[&str] = &[
            "jobs",
            "timeout",
            "worktree-root",
            "agent",
            "base",
            "prompt",
            "permissions",
            "sandbox",
            "writable",
        ];
        let mut d = DispatchConfig::default();
        for (key, key_span, v) in self.expect_entries(node, "dispatch") {
            match key.as_str() {
                "jobs" => {
                    d.jobs = self.decoded::<N, u32>(&v, "dispatch.jobs", "a positive integer");
                    if d.jobs == Some(0) {
                        self.report(
                            v.span(),
                            Severity::Error,
                            "`dispatch.jobs` must be at least 1".into(),
                        );
                        d.jobs = None;
                    }
                }
                "timeout" => {
                    d.timeout = self.string(&v, "dispatch.timeout");
                    if let Some(t) = &d.timeout
                        && let Err(e) = parse_duration(t)
                    {
                        self.report(
                            v.span(),
                            Severity::Error,
                            format!("`dispatch.timeout`: {e}"),
                        );
                        d.timeout = None;
                    }
                }
                "worktree-root" | "worktree_root" => {
                    d.worktree_root = self.string(&v, "dispatch.worktree-root")
                }
                "agent" => d.agent = self.string(&v, "dispatch.agent"),
                "base" => d.base = self.string(&v, "dispatch.base"),
                "prompt" => d.prompt = self.string(&v, "dispatch.prompt"),
                "permissions" => {
                    d.permissions =
                        self.decoded(&v, "dispatch.permissions", "\"allow\" or \"deny\"")
                }
                "sandbox" => d.sandbox = self.decoded(&v, "dispatch.sandbox", "true or false"),
                "writable" => {
                    d.writable = self.decoded(&v, "dispatch.writable", "a list of folders")
                }
                other => {
                    let hint = suggest(other, KNOWN);
                    self.report(
                        key_span,
                        Severity::Warning,
                        format!(
                            "unknown key `{other}` in `dispatch`{hint}; known: {}",
                            KNOWN.join(", ")
                        ),
                    )
                }
            }
        }
        d
    }

    pub(super) fn agents<N: Node>(&mut self, node: &N) -> BTreeMap<String, AgentConfig> {
        const KNOWN: &[&str] = &[
            "kind",
            "argv",
            "args",
            "env",
            "model",
            "max-turns",
            "max-budget-usd",
        ];
        let mut out = BTreeMap::new();
        for (name, name_span, table) in self.expect_entries(node, "agents") {
            let what = format!("agents.{name}");
            let mut kind = None;
            let mut agent = AgentConfig {
                kind: AgentKind::Command,
                argv: None,
                args: None,
                env: None,
                model: None,
                max_turns: None,
                max_budget_usd: None,
            };
            for (key, key_span, v) in self.expect_entries(&table, &what) {
                let field = format!("{what}.{key}");
                match key.as_str() {
                    "kind" => {
                        kind = self.decoded(
                            &v,
                            &field,
                            "one of \"acp\", \"claude\", \"codex\", \"gemini\", \"command\"",
                        )
                    }
                    "argv" => {
                        agent.argv = self.string_list(&v, &field);
                        if agent.argv.as_ref().is_some_and(|a| a.is_empty()) {
                            self.report(v.span(), Severity::Error, format!("`{field}` is empty"));
                            agent.argv = None;
                        }
                    }
                    "args" => agent.args = self.string_list(&v, &field),
                    "env" => agent.env = self.decoded(&v, &field, "a table of strings"),
                    "model" => agent.model = self.string(&v, &field),
                    "max-turns" | "max_turns" => {
                        agent.max_turns = self.decoded(&v, &field, "a positive integer")
                    }
                    "max-budget-usd" | "max_budget_usd" => {
                        agent.max_budget_usd = self.decoded(&v, &field, "a number")
                    }
                    other => {
                        let hint = suggest(other, KNOWN);
                        self.report(
                            key_span,
                            Severity::Warning,
                            format!(
                                "unknown key `{other}` in `{what}`{hint}; known: {}",
                                KNOWN.join(", ")
                            ),
                        )
                    }
                }
            }
            let Some(kind) = kind else {
                self.report(
                    name_span,
                    Severity::Error,
                    format!("`{what}` needs a `kind`: acp, claude, codex, gemini or command"),
                );
                continue;
            };
            if matches!(kind, AgentKind::Acp | AgentKind::Command) && agent.argv.is_none() {
                self.report(
                    name_span,
                    Severity::Error,
                    format!("`{what}` needs an `argv`: the program to start and its arguments"),
                );
                continue;
            }
            agent.kind = kind;
            out.insert(name, agent);
        }
        out
    }

    pub(super) fn verify<N: Node>(&mut self, node: &N) -> VerifyConfig {
        let mut v = VerifyConfig::default();
        for (key, key_span, value) in self.expect_entries(node, "verify") {
            match key.as_str() {
                "tests" => v.tests = self.globs(&value, "verify.tests"),
                other => self.report(
                    key_span,
                    Severity::Warning,
                    format!("unknown key `{other}` in `verify`; known: tests"),
                ),
            }
        }
        v
    }
}
