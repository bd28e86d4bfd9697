//! Clarification questions: a finding's question as a `[NEEDS CLARIFICATION: …]` marker, and
//! "collect clarification questions", which gathers every open question of a document into
//! its `## Clarifications` section (spec-kit's `### Session YYYY-MM-DD` / `- Q: … → A: `).
//!
//! Collecting only appends: answered questions and everything else the author wrote stay as
//! they are, and a question already listed is not listed twice.

use crate::diagnostic::{Diagnostic, TextEdit};
use crate::rules::Date;
use crate::span::Span;
use crate::syntax::SpecDoc;

/// The marker that records `question` right after the flagged words:
/// ` [NEEDS CLARIFICATION: …]`.
pub fn marker(question: &str) -> String {
    // A `]` would end the marker early.
    format!(
        " [NEEDS CLARIFICATION: {}]",
        one_line(question).replace(']', ")")
    )
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The edit that adds every open question of `diagnostics` to the document's Clarifications
/// section (created at the end when missing); `None` when there is nothing new to ask.
pub fn collect_questions(
    doc: &SpecDoc,
    diagnostics: &[Diagnostic],
    today: Date,
) -> Option<TextEdit> {
    let section = doc
        .sections
        .iter()
        .position(|s| s.level <= 2 && s.title.trim().eq_ignore_ascii_case("clarifications"));
    let asked: Vec<String> = match section {
        Some(i) => doc
            .slice(doc.sections[i].body_span)
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("- Q:"))
            .map(|q| q.split('→').next().unwrap_or("").trim().to_string())
            .collect(),
        None => Vec::new(),
    };
    let mut questions: Vec<String> = Vec::new();
    for d in diagnostics {
        let Some(q) = d.question.as_deref().map(one_line) else {
            continue;
        };
        let line = doc.line_of(d.span.start) + 1;
        let entry = format!("{q} (line {line})");
        if !asked.iter().any(|a| a == &entry || a.starts_with(&q))
            && !questions.iter().any(|e| e.starts_with(&q))
        {
            questions.push(entry);
        }
    }
    if questions.is_empty() {
        return None;
    }
    let items: String = questions
        .iter()
        .map(|q| format!("- Q: {q} → A: \n"))
        .collect();
    let session = format!("### Session {today}");
    let newline = if doc.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let (at, text) = match section {
        Some(i) => {
            let body = doc.sections[i].body_span;
            let has_session = doc.slice(body).lines().any(|l| l.trim() == session);
            // Append at the end of the section, after its last non-blank line.
            let end = body.start + doc.slice(body).trim_end().len();
            let text = if has_session && section_ends_with_session(doc, i, &session) {
                format!("\n{items}")
            } else {
                format!("\n\n{session}\n\n{items}")
            };
            (end, text)
        }
        None => {
            let end = doc.text.trim_end().len();
            (
                end,
                format!("\n\n## Clarifications\n\n{session}\n\n{items}"),
            )
        }
    };
    let text = text.trim_end_matches('\n').to_string() + "\n";
    let text = if newline == "\r\n" {
        text.replace('\n', "\r\n")
    } else {
        text
    };
    // Keep whatever followed the insertion point (a following section, the final newline).
    let rest_starts_with_newline = doc.text[at..].starts_with(['\n', '\r']);
    let text = if rest_starts_with_newline {
        text.trim_end_matches(['\n', '\r']).to_string()
    } else {
        text
    };
    Some(TextEdit {
        span: Span::new(at, at),
        new_text: text,
    })
}

/// Whether today's session is the last sub-section of the Clarifications section, so new
/// questions can join it.
fn section_ends_with_session(doc: &SpecDoc, section: usize, session: &str) -> bool {
    doc.sections[section]
        .children
        .last()
        .is_some_and(|&c| doc.sections[c].title.trim() == session.trim_start_matches("### ").trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::index::WorkspaceIndex;
    use crate::{AnalysisInput, analyze};

    const TODAY: Date = Date {
        year: 2026,
        month: 1,
        day: 15,
    };

    fn collect(text: &str) -> String {
        // Every rule on: the questions come from findings, whichever rules are on by default.
        let config = Config::new(crate::config::ConfigFile {
            rule_set: Some(crate::config::RuleSet::All),
            ..Default::default()
        });
        let index = WorkspaceIndex::default();
        let a = analyze(AnalysisInput {
            text,
            path: Some("notes/search.md"),
            location: None,
            config: &config,
            index: &index,
            today: Some(TODAY),
        });
        match collect_questions(&a.doc, &a.diagnostics, TODAY) {
            Some(edit) => format!(
                "{}{}{}",
                &text[..edit.span.start],
                edit.new_text,
                &text[edit.span.end..]
            ),
            None => text.to_string(),
        }
    }

    #[test]
    fn creates_the_section_then_only_adds_new_questions() {
        let text = "# Spec\n\n## Requirements\n\n- **FR-001**: Search MUST be fast.\n- **FR-002**: Retention MUST be TBD days.\n";
        let once = collect(text);
        assert_eq!(
            once,
            "# Spec\n\n## Requirements\n\n- **FR-001**: Search MUST be fast.\n- **FR-002**: Retention MUST be TBD days.\n\n## Clarifications\n\n### Session 2026-01-15\n\n- Q: 'fast' — what latency or duration, at which percentile, under what load? (line 5) → A: \n- Q: What should replace `TBD`, and who decides it? (line 6) → A: \n"
        );
        assert_eq!(collect(&once), once, "collecting twice changes nothing");
        let answered = once.replace("(line 5) → A: ", "(line 5) → A: p95 under 300 ms");
        assert_eq!(
            collect(&answered),
            answered,
            "answered questions are left alone"
        );
    }

    #[test]
    fn a_question_about_a_bracketed_placeholder_keeps_its_brackets() {
        let text = "# Spec\n\n**Created**: [DATE]\n\n## Requirements\n\n- **FR-001**: Export MUST write PDF.\n";
        let once = collect(text);
        assert!(once.contains("`[DATE]`"), "{once}");
        assert!(!once.contains("[DATE)"), "{once}");
        assert_eq!(collect(&once), once, "the question is not a new finding");
    }
}
