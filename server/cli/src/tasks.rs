//! `specwright tasks SPEC.md [--section TITLE] [--write]`: the decomposition the editor's
//! "Decompose into tasks" action makes, as a diff or written to tasks.md.

use specwright_workspace::tasks;
use std::io::Write;
use std::path::Path;

pub fn run(spec: &Path, section: Option<&str>, write: bool) -> anyhow::Result<()> {
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    let planned = tasks::plan(spec, section, None, None, &Default::default(), &read)
        .map_err(anyhow::Error::msg)?;
    let d = &planned.decomposition;
    let before = planned.before.as_deref().unwrap_or("");
    let name = planned.tasks_path.display().to_string();
    let mut out = std::io::stdout().lock();
    if write {
        specwright_workspace::changes::apply(&planned.changes()).map_err(anyhow::Error::msg)?;
    } else if before != planned.after {
        let from = if planned.before.is_some() {
            format!("a/{name}")
        } else {
            "/dev/null".to_string()
        };
        let diff = similar::TextDiff::from_lines(before, planned.after.as_str());
        write!(
            out,
            "{}",
            diff.unified_diff().header(&from, &format!("b/{name}"))
        )?;
    }
    let summary = format!(
        "{name}: {} new, {} updated, {} unchanged{}{}",
        d.created.len(),
        d.updated.len(),
        d.unchanged.len(),
        if d.stale.is_empty() {
            String::new()
        } else {
            format!("; requirement gone for {} (kept)", d.stale.join(", "))
        },
        if write {
            ""
        } else {
            " (dry run: --write applies it)"
        }
    );
    eprintln!("{summary}");
    Ok(())
}
