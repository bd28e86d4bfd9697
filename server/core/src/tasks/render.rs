//! Writing tasks back: a task's lines in its file's notation (`parse(render(t)) == t`), and the
//! one-character edit that ticks a checkbox.

use super::file::{Status, TaskFormat, TaskValue, parse};

/// The lines of a task in `format`, indented by `indent`; `extra` lines follow the notation.
pub fn render(
    value: &TaskValue,
    format: TaskFormat,
    indent: &str,
    upper_done: bool,
) -> Vec<String> {
    let mut head = format!(
        "{indent}- [{}]{} ",
        value.status.mark(upper_done),
        if value.optional { "*" } else { "" }
    );
    let sub = format!("{indent}  - ");
    let mut lines = Vec::new();
    match format {
        TaskFormat::SpecKit => {
            head.push_str(&value.id);
            if value.parallel {
                head.push_str(" [P]");
            }
            if let Some(s) = &value.story {
                head.push_str(&format!(" [{s}]"));
            }
            head.push(' ');
            head.push_str(&value.title);
            if !value.covers.is_empty() {
                head.push_str(&format!(" ({})", value.covers.join(", ")));
            }
        }
        TaskFormat::Kiro => {
            head.push_str(&value.id);
            // Kiro's top-level numbers end in a dot (`1.`); a spec-kit id (`T014`) in a Kiro
            // file does not, or it would no longer read as an id.
            if value.id.bytes().all(|b| b.is_ascii_digit()) {
                head.push('.');
            }
            head.push(' ');
            head.push_str(&value.title);
            if value.parallel {
                head.push_str(" (P)");
            }
        }
    }
    if let Some(s) = &value.source {
        head.push_str(&format!(" <!-- sw:{s} -->"));
    }
    lines.push(head);
    // Detail lines: `- Label: body` (spec-kit) or `- _Label: body_` (Kiro).
    let detail = |label: &str, body: &str| match format {
        TaskFormat::SpecKit => format!("{sub}{label}: {body}"),
        TaskFormat::Kiro => format!("{sub}_{label}: {body}_"),
    };
    if format == TaskFormat::Kiro && !value.covers.is_empty() {
        lines.push(detail("Requirements", &value.covers.join(", ")));
    }
    let boundary: Vec<&str> = value
        .boundary
        .iter()
        .chain(&value.components)
        .map(String::as_str)
        .collect();
    if !boundary.is_empty() {
        lines.push(detail("Boundary", &boundary.join(", ")));
    }
    for a in &value.acceptance {
        lines.push(detail("Acceptance", a));
    }
    if let Some(c) = &value.check {
        let c = match format {
            TaskFormat::SpecKit => format!("`{c}`"),
            TaskFormat::Kiro => c.clone(),
        };
        lines.push(detail("Check", &c));
    }
    if !value.depends.is_empty() {
        lines.push(detail("Depends", &value.depends.join(", ")));
    }
    lines
}

/// The edit that sets the checkbox of `id` in `text` to `status`, following the file's habits:
/// `[X]` where the file marks done tasks that way, `[-]` for a running task only in Kiro files
/// (spec-kit has no running state). `None` when the task is not there or already shows it.
pub fn checkbox_edit(text: &str, id: &str, status: Status) -> Option<crate::TextEdit> {
    let file = parse(text, TaskFormat::SpecKit);
    let task = file.tasks.iter().find(|t| t.value.id == id)?;
    if status == Status::Running && file.format != TaskFormat::Kiro {
        return None;
    }
    let upper = file.tasks.iter().any(|t| t.upper_done);
    let line_end = text[task.start..]
        .find('\n')
        .map_or(text.len(), |i| task.start + i);
    let line = &text[task.start..line_end];
    let open = line.find('[')?;
    let mark = status.mark(upper);
    let at = task.start + open + 1;
    if text.get(at..at + 1)? == mark {
        return None;
    }
    Some(crate::TextEdit {
        span: crate::Span::new(at, at + 1),
        new_text: mark.to_string(),
    })
}

/// The edit that records on task `id` that it was verified at `commit`: its
/// `<!-- sw:verified … -->` line replaced, or one added under the task line (indented as its
/// detail lines). `None` when the task is not there or already says so.
pub fn stamp_edit(text: &str, id: &str, commit: &str) -> Option<crate::TextEdit> {
    let file = parse(text, TaskFormat::SpecKit);
    let task = file.tasks.iter().find(|t| t.value.id == id)?;
    if task.verified() == Some(commit) {
        return None;
    }
    let line = format!("{}  <!-- sw:verified {commit} -->", task.indent);
    let mut at = task.start;
    for l in text[task.start..task.end.min(text.len())].split_inclusive('\n') {
        if super::file::VERIFIED.is_match(l.trim_end_matches(['\n', '\r'])) {
            let end = at + l.trim_end_matches(['\n', '\r']).len();
            return Some(crate::TextEdit {
                span: crate::Span::new(at, end),
                new_text: line,
            });
        }
        at += l.len();
    }
    let line_end = text[task.start..]
        .find('\n')
        .map_or(text.len(), |i| task.start + i);
    let newline = if text[..line_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let end = line_end - usize::from(newline == "\r\n");
    Some(crate::TextEdit {
        span: crate::Span::new(end, end),
        new_text: format!("{newline}{line}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_it_reads() {
        let v = TaskValue {
            id: "T014".into(),
            title: "Export drafts as PDF".into(),
            status: Status::Todo,
            parallel: true,
            story: Some("US1".into()),
            covers: vec!["FR-003".into()],
            boundary: vec!["src/export/**".into(), "!src/legacy/**".into()],
            acceptance: vec!["Given a draft, When exported, Then a PDF opens".into()],
            check: Some("cargo test -p export".into()),
            depends: vec!["T012".into()],
            source: Some("FR3#1a2b3c4d".into()),
            ..Default::default()
        };
        for format in [TaskFormat::SpecKit, TaskFormat::Kiro] {
            let mut v = v.clone();
            if format == TaskFormat::Kiro {
                v.id = "3".into();
                v.story = None;
            }
            let text = render(&v, format, "", false).join("\n") + "\n";
            let back = parse(&text, format);
            assert_eq!(back.tasks.len(), 1, "{text}");
            assert_eq!(back.tasks[0].value, v, "{text}");
        }
    }

    /// Found by the short fuzz run: a spec-kit task in a Kiro file rendered as `T014.` and
    /// stopped being a task.
    #[test]
    fn a_spec_kit_id_in_a_kiro_file_survives_rendering() {
        let text = "- [ ] 1. Endpoint\n- [ ] T014 [TEST] Cover the edge cases\n";
        let f = parse(text, TaskFormat::Kiro);
        assert_eq!(f.tasks.len(), 2);
        let rendered = render(&f.tasks[1].value, TaskFormat::Kiro, "", false).join("\n") + "\n";
        assert_eq!(rendered, "- [ ] T014 [TEST] Cover the edge cases\n");
        assert_eq!(
            parse(&rendered, TaskFormat::Kiro).tasks[0].value,
            f.tasks[1].value
        );
    }

    #[test]
    fn checkbox_edits_follow_the_file() {
        let kit = "- [ ] T001 A\n- [X] T002 B\n";
        let e = checkbox_edit(kit, "T001", Status::Done).expect("edit");
        assert_eq!((e.span.start, e.new_text.as_str()), (3, "X"));
        assert_eq!(
            checkbox_edit(kit, "T001", Status::Running),
            None,
            "spec-kit has no running state"
        );
        assert_eq!(
            checkbox_edit(kit, "T002", Status::Done),
            None,
            "already done"
        );
        let kiro = "- [ ] 1. Parent\n  - [ ] 1.1 Child\n";
        let e = checkbox_edit(kiro, "1.1", Status::Running).expect("edit");
        assert_eq!((e.span.start, e.new_text.as_str()), (21, "-"));
    }

    #[test]
    fn a_stamp_is_added_under_the_task_then_replaced_and_read_back() {
        let text = "# Tasks\n\n- [x] T001 Store sessions (FR-001)\n  - Boundary: src/session/**\n- [ ] T002 Expire them\n";
        let apply = |t: &str, e: crate::TextEdit| {
            format!("{}{}{}", &t[..e.span.start], e.new_text, &t[e.span.end..])
        };
        let once = apply(text, stamp_edit(text, "T001", "abc1234").expect("edit"));
        assert_eq!(
            once,
            "# Tasks\n\n- [x] T001 Store sessions (FR-001)\n  <!-- sw:verified abc1234 -->\n  - Boundary: src/session/**\n- [ ] T002 Expire them\n"
        );
        let file = parse(&once, TaskFormat::SpecKit);
        assert_eq!(file.tasks[0].verified(), Some("abc1234"));
        assert_eq!(
            file.tasks[0].value.boundary,
            vec!["src/session/**".to_string()]
        );
        assert_eq!(file.tasks[1].verified(), None);
        assert!(stamp_edit(&once, "T001", "abc1234").is_none());
        let twice = apply(&once, stamp_edit(&once, "T001", "def5678").expect("edit"));
        assert_eq!(twice.matches("sw:verified").count(), 1);
        assert_eq!(
            parse(&twice, TaskFormat::SpecKit).tasks[0].verified(),
            Some("def5678")
        );
        assert!(stamp_edit(text, "T999", "abc1234").is_none());
    }
}
