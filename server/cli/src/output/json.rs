//! JSON output: one object with every finding, for scripts.

use crate::check::Report;
use serde_json::json;
use std::io::Write;

pub fn write(out: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    let findings: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "message": f.message,
                "question": f.question,
                "start": { "line": f.start.0, "column": f.start.1 },
                "end": { "line": f.end.0, "column": f.end.1 },
                "byteRange": [f.span.start, f.span.end],
                "fixes": f.fixes,
            })
        })
        .collect();
    let files: Vec<_> = report
        .sources
        .iter()
        .filter_map(|s| {
            s.kind
                .map(|(kind, family)| json!({ "path": s.path, "kind": kind, "family": family }))
        })
        .collect();
    let value = json!({
        "version": 1,
        "filesChecked": report.files_checked,
        "files": files,
        "findings": findings,
    });
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}
