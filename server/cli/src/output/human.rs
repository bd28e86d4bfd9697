//! Human output: each finding with a source excerpt and a caret under the flagged words.

use crate::check::Report;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use specwright_core::Severity;
use std::io::Write;

pub fn write(out: &mut dyn Write, report: &Report, styled: bool) -> std::io::Result<()> {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for f in &report.findings {
        let Some(source) = report.sources.iter().find(|s| s.path == f.path) else {
            continue;
        };
        let level = match f.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
            _ => Level::NOTE,
        };
        let title = format!("{} [{}]", f.message, f.rule);
        let mut group: Group<'_> = level.primary_title(&title).element(
            Snippet::source(source.text.as_str())
                .path(f.path.as_str())
                .annotation(AnnotationKind::Primary.span(f.span.range())),
        );
        let question;
        if let Some(q) = &f.question {
            question = format!("ask: {q}");
            group = group.element(Level::HELP.message(question.as_str()));
        }
        let related: Vec<String> = f
            .related
            .iter()
            .map(|r| format!("{}: {}:{}", r.message, r.path, r.line))
            .collect();
        for r in &related {
            group = group.element(Level::NOTE.message(r.as_str()));
        }
        writeln!(out, "{}\n", renderer.render(&[group]))?;
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let others = report.findings.len() - errors - warnings;
    writeln!(
        out,
        "{} file{} checked: {errors} error{}, {warnings} warning{}, {others} note{}",
        report.files_checked,
        plural(report.files_checked),
        plural(errors),
        plural(warnings),
        plural(others)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
