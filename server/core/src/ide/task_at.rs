//! The task on a line: which task the cursor is on, so that editors never parse task lines.

use crate::tasks::{self, Status, TaskFormat};

/// The task a position belongs to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskAt {
    /// `T012`, `2.1`.
    pub id: String,
    pub title: String,
    /// `open`, `running` or `done`.
    pub status: &'static str,
    /// Kiro's `- [ ]* 2.1`.
    pub optional: bool,
    /// The id of the task it is a sub-task of.
    pub parent: Option<String>,
    /// 0-based line of the task line.
    pub line: usize,
}

/// Every task of a tasks file, in order.
pub fn tasks_in(text: &str) -> Vec<TaskAt> {
    let file = tasks::parse(text, TaskFormat::SpecKit);
    file.tasks
        .iter()
        .map(|t| describe(text, &file, t))
        .collect()
}

/// The innermost task whose own lines (its task line and the detail lines under it, not its
/// sub-tasks') hold byte `offset` of `text`.
pub fn task_at(text: &str, offset: usize) -> Option<TaskAt> {
    let file = tasks::parse(text, TaskFormat::SpecKit);
    let owns = |t: &tasks::FileTask| {
        (t.start <= offset && offset < t.end.max(t.start + 1))
            || t.after.iter().any(|&(s, e)| s <= offset && offset < e)
    };
    let t = file.tasks.iter().find(|t| owns(t))?;
    Some(describe(text, &file, t))
}

fn describe(text: &str, file: &tasks::TasksFile, t: &tasks::FileTask) -> TaskAt {
    TaskAt {
        id: t.value.id.clone(),
        title: t.value.title.clone(),
        status: match t.value.status {
            Status::Todo => "open",
            Status::Running => "running",
            Status::Done => "done",
        },
        optional: t.value.optional,
        parent: t.parent.map(|p| file.tasks[p].value.id.clone()),
        line: text[..t.start.min(text.len())].matches('\n').count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_task_of_a_line_and_of_its_detail_lines() {
        let text = "# Tasks\n\n- [x] 1. Base\n- [ ]* 1.1 Init\n  - _Requirements: 1.1_\n\n  More words.\n- [ ] **T002** [P] Export (FR-003)\nNot a task.\n";
        let at = |needle: &str| task_at(text, text.find(needle).expect(needle)).map(|t| t.id);
        assert_eq!(at("Base"), Some("1".into()));
        assert_eq!(at("_Requirements"), Some("1.1".into()));
        assert_eq!(at("More words"), Some("1.1".into()));
        assert_eq!(at("Export"), Some("T002".into()));
        assert_eq!(at("Not a task"), None);
        assert_eq!(at("# Tasks"), None);
        let t = task_at(text, text.find("Init").unwrap()).unwrap();
        assert_eq!(
            (t.status, t.optional, t.parent.as_deref(), t.line),
            ("open", true, Some("1"), 3)
        );
        assert_eq!(task_at(text, text.len() + 10), None);
        let all: Vec<(String, &str)> = tasks_in(text)
            .into_iter()
            .map(|t| (t.id, t.status))
            .collect();
        assert_eq!(
            all,
            [
                ("1".into(), "done"),
                ("1.1".into(), "open"),
                ("T002".into(), "open")
            ]
        );
    }
}
