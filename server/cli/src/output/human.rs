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
        let (excerpt, first_line, span) = excerpt(&source.text, f.span.range(), f.start.0);
        let mut group: Group<'_> = level.primary_title(&title).element(
            Snippet::source(excerpt)
                .path(f.path.as_str())
                .line_start(first_line)
                .annotation(AnnotationKind::Primary.span(span)),
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

/// Most of a line the renderer is given around a finding. It reads (and measures the width of)
/// all the text it is given, so a finding on a 1 MB line rendered the whole line: minutes for a
/// paragraph with many findings.
const REACH: usize = 240;

/// The text to show for `span`: the whole document when its lines are short, else the part of
/// the flagged lines within [`REACH`] bytes of the span, with the number of its first line and
/// the span within it.
fn excerpt(
    text: &str,
    span: std::ops::Range<usize>,
    line: usize,
) -> (&str, usize, std::ops::Range<usize>) {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if line_end - line_start <= 2 * REACH && text.len() <= 64 * 1024 {
        return (text, 1, start..end);
    }
    let from = text.floor_char_boundary(start.saturating_sub(REACH).max(line_start));
    let to = (end + REACH).min(line_end).max(end).min(from + 4 * REACH);
    let to = text.ceil_char_boundary(to.max(start));
    let end = end.min(to);
    (&text[from..to], line, start - from..end - from)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
