//! SARIF 2.1.0 output, for code-scanning dashboards. Validated against the OASIS schema in
//! the tests.

use crate::check::{Report, line_col};
use serde_json::{Value, json};
use specwright_core::rules;
use std::io::Write;

fn region(text: &str, start: usize, end: usize) -> Value {
    let (sl, sc) = line_col(text, start);
    let (el, ec) = line_col(text, end);
    json!({ "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec })
}

pub fn write(out: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    let mut rule_ids: Vec<&str> = rules::ids();
    rule_ids.push("config");
    // Findings of other commands (verify) name rules of their own.
    for f in &report.findings {
        if !rule_ids.contains(&f.rule.as_str()) {
            rule_ids.push(f.rule.as_str());
        }
    }
    let descriptors: Vec<Value> = rule_ids
        .iter()
        .map(|&id| match rules::find(id) {
            Some(r) => {
                let m = r.meta();
                json!({
                    "id": m.id,
                    "name": m.id,
                    "shortDescription": { "text": m.summary },
                    "fullDescription": { "text": m.doc.what },
                    "help": { "text": m.doc.why, "markdown": m.markdown() },
                    "defaultConfiguration": { "level": m.default_severity().sarif_level() },
                })
            }
            None if id == "stale-task" => json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": "A task marked done whose requirement changed, or went, after the task was generated." },
                "defaultConfiguration": { "level": "warning" },
            }),
            None if id == "unverified-task" => json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": "A task marked done whose work cannot be confirmed: a check fails, or nothing changed inside its boundary since it was added." },
                "defaultConfiguration": { "level": "warning" },
            }),
            None => json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": "A problem in specwright.toml." },
                "defaultConfiguration": { "level": "error" },
            }),
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let text = report
                .sources
                .iter()
                .find(|s| s.path == f.path)
                .map_or("", |s| s.text.as_str());
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": rule_ids.iter().position(|r| *r == f.rule).unwrap_or(0),
                "level": f.severity.sarif_level(),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.path },
                        "region": region(text, f.span.start, f.span.end),
                    }
                }],
            });
            if !f.fixes.is_empty() {
                result["fixes"] = f
                    .fixes
                    .iter()
                    .map(|fix| {
                        json!({
                            "description": { "text": fix.title },
                            "artifactChanges": [{
                                "artifactLocation": { "uri": f.path },
                                "replacements": fix.edits.iter().map(|e| json!({
                                    "deletedRegion": region(text, e.span.start, e.span.end),
                                    "insertedContent": { "text": e.new_text },
                                })).collect::<Vec<_>>(),
                            }],
                        })
                    })
                    .collect();
            }
            if let Some(q) = &f.question {
                result["properties"] = json!({ "question": q });
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "specwright",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/specwright/specwright",
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&log).unwrap_or_default()
    )
}
