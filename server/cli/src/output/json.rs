//! JSON output: one object with every finding, for scripts — the same type the MCP `check`
//! tool answers with, so that both have one shape and one JSON Schema.

use crate::check::Report;
use schemars::JsonSchema;
use serde::Serialize;
use specwright_core::Severity;
use std::io::Write;
use std::path::Path;

/// A report as JSON.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct JsonReport {
    /// The shape's version: 1.
    pub version: u32,
    pub files_checked: usize,
    /// The Markdown files checked, with their detected kind and family.
    pub files: Vec<JsonFile>,
    pub findings: Vec<JsonFinding>,
    /// Files that could not be read or checked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonFile {
    pub path: String,
    pub kind: String,
    pub family: String,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct JsonFinding {
    pub path: String,
    /// The rule's id (`specwright explain RULE`).
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// The question to put to the document's author.
    pub question: Option<String>,
    pub start: JsonPosition,
    pub end: JsonPosition,
    /// Byte offsets in the file, end exclusive.
    pub byte_range: [usize; 2],
    /// Edits that resolve the finding: `{title, edits: [{span: {start, end}, new_text}]}`.
    pub fixes: Vec<serde_json::Value>,
}

/// 1-based line and column (in characters).
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonPosition {
    pub line: usize,
    pub column: usize,
}

impl JsonReport {
    /// `report` as JSON, its paths relative to `root` when given.
    pub fn of(report: &Report, root: Option<&Path>) -> JsonReport {
        let shown = |p: &str| match root {
            Some(r) => Path::new(p)
                .strip_prefix(r)
                .map_or_else(|_| p.to_string(), |rel| rel.to_string_lossy().into_owned()),
            None => p.to_string(),
        };
        JsonReport {
            version: 1,
            files_checked: report.files_checked,
            files: report
                .sources
                .iter()
                .filter_map(|s| {
                    s.kind.map(|(kind, family)| JsonFile {
                        path: shown(&s.path),
                        kind: kind.into(),
                        family: family.into(),
                    })
                })
                .collect(),
            findings: report
                .findings
                .iter()
                .map(|f| JsonFinding {
                    path: shown(&f.path),
                    rule: f.rule.clone(),
                    severity: f.severity,
                    message: f.message.clone(),
                    question: f.question.clone(),
                    start: JsonPosition {
                        line: f.start.0,
                        column: f.start.1,
                    },
                    end: JsonPosition {
                        line: f.end.0,
                        column: f.end.1,
                    },
                    byte_range: [f.span.start, f.span.end],
                    fixes: f
                        .fixes
                        .iter()
                        .filter_map(|x| serde_json::to_value(x).ok())
                        .collect(),
                })
                .collect(),
            errors: report.errors.clone(),
        }
    }
}

pub fn write(out: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    let value = JsonReport::of(report, None);
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}
