//! The tasks-file model: every task line, read line by line so that nothing a person wrote is
//! lost and a task can be written back in place. The task lines of spec-kit (`- [ ] T014 [P] [US1] Title (FR-003)`, `**T014**`, `[X]`) and Kiro /
//! cc-sdd (`- [ ] 2.1 Title (P)`, `- [x] 1. Parent`, `- [ ]* optional`, `[-]` in progress),
//! with the detail lines Specwright reads and writes under a task:
//!
//! | spec-kit | Kiro / cc-sdd | meaning |
//! |---|---|---|
//! | `- Boundary: src/a/**, !src/a/old/**` | `- _Boundary: src/a/**, !src/a/old/**_` | globs the task may touch; `!` = must not |
//! | `- Acceptance: …` | `- _Acceptance: …_` | one criterion per line |
//! | `- Check: cargo test -p a` | `- _Check: cargo test -p a_` | the command that checks it |
//! | `- Depends: T012, T013` | `- _Depends: 1.2_` | tasks that must finish first |
//! | `(FR-003, SC-002)` at the end of the task line | `- _Requirements: 1.1, 2.3_` | what it covers |
//!
//! A trailing `<!-- sw:KEY#HASH -->` marks a task Specwright generated: KEY names the
//! requirement it came from and HASH what it was generated from, so a later decomposition
//! updates it only when that changed. Every other line under a task is the person's and stays.
//!
//! Sub-tasks are read nested (`  - [ ] 2.1` under `- [ ] 2.`) and flush (cc-sdd's `- [ ] 2.1`
//! right under `- [ ] 2.`, same indentation): either way [`FileTask::parent`] says whose it is.
//! Cover lists are also read in the looser forms real files use (`**Validates: Requirements
//! 1.2**`, `Requirements: R1.1-R1.5`, `_Requirements: すべて_`); such a line stays the person's.

use super::covers::KIRO_LIST;
use crate::syntax::Checkbox;
use regex::Regex;
use std::sync::LazyLock;

/// Which notation a tasks file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskFormat {
    SpecKit,
    Kiro,
}

/// One task, as a value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskValue {
    /// `T014`, `2.1`, `1`.
    pub id: String,
    pub title: String,
    pub status: Status,
    /// Kiro's `[ ]*`.
    pub optional: bool,
    /// `[P]` / `(P)`.
    pub parallel: bool,
    /// `US1`.
    pub story: Option<String>,
    /// Ids as written: `FR-003`, `1.1`.
    pub covers: Vec<String>,
    /// Globs; a leading `!` marks one the task must not touch.
    pub boundary: Vec<String>,
    /// cc-sdd component names (`_Boundary: AuthService_`) that configuration maps to globs.
    pub components: Vec<String>,
    pub acceptance: Vec<String>,
    pub check: Option<String>,
    pub depends: Vec<String>,
    /// `KEY#HASH` of a generated task.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Todo,
    Running,
    Done,
}

impl Status {
    /// The state a checkbox mark (`[ ]`, `[x]`, `[X]`, `[-]`, `[~]`) shows.
    pub(crate) fn from_mark(mark: &str) -> Status {
        Status::from_checkbox(match mark {
            " " => Checkbox::Open,
            "-" | "~" => Checkbox::InProgress,
            _ => Checkbox::Done,
        })
    }

    pub(crate) fn checkbox(self) -> Checkbox {
        match self {
            Status::Todo => Checkbox::Open,
            Status::Running => Checkbox::InProgress,
            Status::Done => Checkbox::Done,
        }
    }

    fn from_checkbox(c: Checkbox) -> Status {
        match c {
            Checkbox::Open => Status::Todo,
            Checkbox::InProgress => Status::Running,
            Checkbox::Done => Status::Done,
        }
    }

    pub(crate) fn mark(self, upper_done: bool) -> &'static str {
        match self {
            Status::Todo => " ",
            Status::Running => "-",
            Status::Done if upper_done => "X",
            Status::Done => "x",
        }
    }
}

/// A task as it stands in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTask {
    pub value: TaskValue,
    /// Byte range of the task's lines (its line and the lines under it, not its subtasks').
    pub start: usize,
    pub end: usize,
    /// Indentation of the task line.
    pub indent: String,
    /// Lines under the task that are not Specwright's notation, verbatim (without `\n`).
    pub extra: Vec<String>,
    /// The done mark was `X` (spec-kit's habit) rather than `x`.
    pub upper_done: bool,
    /// Where the id was bold (`**T001**`).
    pub bold_id: bool,
    /// Lines under the task that follow its sub-tasks (byte ranges), read for what they cite
    /// and never rewritten.
    pub after: Vec<(usize, usize)>,
    /// The task this one is a sub-task of (an index into [`TasksFile::tasks`]).
    pub parent: Option<usize>,
    /// How many tasks it is nested in.
    pub depth: usize,
    /// Where its last sub-task (at any depth) ends: `start..subtree_end` is the task with its
    /// sub-tasks.
    pub subtree_end: usize,
}

impl FileTask {
    /// The commit a `<!-- sw:verified COMMIT -->` line under the task names.
    pub fn verified(&self) -> Option<&str> {
        self.extra
            .iter()
            .find_map(|l| VERIFIED.captures(l)?.get(1))
            .map(|m| m.as_str())
    }
}

/// A checkbox line without a task id: a step of a task written as a heading, or a plain to-do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Byte range of the line.
    pub start: usize,
    pub end: usize,
    pub status: Status,
}

/// A parsed tasks file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TasksFile {
    pub format: TaskFormat,
    pub tasks: Vec<FileTask>,
    /// Lines that hold a checkbox but no task id (kept, not managed).
    pub steps: Vec<Step>,
}

static TASK_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s*)[-*+]\s+\[([ xX\-~])\](\*?)\s+(.*)$").expect("static regex")
});
static SPEC_KIT_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\*\*)?(T\d+[a-z]?'?(?:-[A-Za-z0-9]+)*)(\*\*)?:?(?:\s+|$)").expect("static regex")
});
static KIRO_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)*)\.?(?:\s+|$)").expect("static regex"));
static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[(P|US-?\d+)\]\s*").expect("static regex"));
static SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*<!--\s*sw:(\S+)\s*-->\s*$").expect("static regex"));
/// `<!-- sw:verified COMMIT -->` under a task: `specwright verify --stamp` saw it verified at
/// that commit.
pub(crate) static VERIFIED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*<!--\s*sw:verified\s+([0-9a-f]{7,40})\s*-->\s*$").expect("static regex")
});
static COVERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s+\(((?:[A-Z]+-?\d+(?:\.\d+)*)(?:,\s*[A-Z]+-?\d+(?:\.\d+)*)*)\)$")
        .expect("static regex")
});
static DETAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-*+]\s+)?_?(Boundary|Acceptance|Check|Depends|Requirements)\s*:\s*(.*?)_?\s*$",
    )
    .expect("static regex")
});

/// Reads a tasks file. `fallback` is the format of a file that has no task yet.
pub fn parse(text: &str, fallback: TaskFormat) -> TasksFile {
    let lines: Vec<(usize, &str)> = line_starts(text);
    let mut tasks: Vec<FileTask> = Vec::new();
    let mut steps = Vec::new();
    let mut kiro_votes = 0i32;
    let mut in_fence = false;
    let mut in_comment = false;
    // Whether the lines so far belong to the list of tasks (no paragraph has ended it).
    let mut in_tree = false;
    let mut current: Option<FileTask> = None;
    let mut i = 0;
    while i < lines.len() {
        let (at, raw) = lines[i];
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if !in_comment && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            in_fence = !in_fence;
        }
        // An HTML comment block (template guidance, commented-out tasks) holds no task.
        if !in_fence && !in_comment && trimmed.starts_with("<!--") && !trimmed.contains("-->") {
            in_comment = true;
        } else if in_comment && line.contains("-->") {
            in_comment = false;
            i += 1;
            continue;
        }
        let task = if in_fence || in_comment {
            None
        } else {
            TASK_LINE.captures(line)
        };
        if let Some(c) = task {
            if let Some(t) = current.take() {
                tasks.push(t);
            }
            in_tree = true;
            let indent = c[1].to_string();
            let mark = &c[2];
            let status = Status::from_mark(mark);
            let rest = c[4].to_string();
            match read_task_line(&rest) {
                Some((mut value, kiro, bold_id)) => {
                    kiro_votes += if kiro { 1 } else { -1 };
                    value.status = status;
                    value.optional = &c[3] == "*";
                    current = Some(FileTask {
                        value,
                        start: at,
                        end: at + raw.len(),
                        indent,
                        extra: Vec::new(),
                        upper_done: mark == "X",
                        bold_id,
                        after: Vec::new(),
                        parent: None,
                        depth: 0,
                        subtree_end: 0,
                    });
                }
                None => steps.push(Step {
                    start: at,
                    end: at + raw.len(),
                    status,
                }),
            }
            i += 1;
            continue;
        }
        // A line under the current task: more indented, or blank with more-indented lines after.
        if let Some(t) = current.as_mut() {
            let indent = line.len() - line.trim_start().len();
            let under = !line.trim().is_empty() && indent > t.indent.len();
            let blank_inside = line.trim().is_empty()
                && lines[i + 1..]
                    .iter()
                    .map(|(_, l)| l.trim_end_matches(['\n', '\r']))
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| {
                        l.len() - l.trim_start().len() > t.indent.len() && !TASK_LINE.is_match(l)
                    });
            if under || blank_inside {
                if !read_detail(&mut t.value, line) {
                    t.extra.push(line.to_string());
                }
                t.end = at + raw.len();
                i += 1;
                continue;
            }
            tasks.push(current.take().expect("current task"));
        }
        // A line that follows a task's sub-tasks, indented under the task (Kiro puts a
        // parent's `_Requirements: …_` after its sub-tasks): the task's, kept where it is.
        let indent = line.len() - line.trim_start().len();
        if !line.trim().is_empty() && !in_fence && !in_comment {
            let owner = if in_tree {
                tasks.iter_mut().rev().find(|t| t.indent.len() < indent)
            } else {
                None
            };
            match owner {
                Some(t) => {
                    let mut seen = TaskValue::default();
                    read_detail(&mut seen, line);
                    t.value.covers.extend(seen.covers);
                    t.after.push((at, at + raw.len()));
                }
                None => in_tree = false,
            }
        }
        i += 1;
    }
    if let Some(t) = current.take() {
        tasks.push(t);
    }
    let format = match kiro_votes.cmp(&0) {
        std::cmp::Ordering::Greater => TaskFormat::Kiro,
        std::cmp::Ordering::Less => TaskFormat::SpecKit,
        std::cmp::Ordering::Equal => fallback,
    };
    link(&mut tasks);
    TasksFile {
        format,
        tasks,
        steps,
    }
}

/// Sets each task's parent, depth and subtree end. A task is a sub-task of the nearest task
/// above it that is less indented, or as indented with an id its own extends (`2.1` under
/// `2`): cc-sdd writes sub-tasks flush.
fn link(tasks: &mut [FileTask]) {
    let extends = |parent: &str, child: &str| {
        child
            .strip_prefix(parent)
            .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
    };
    let mut open: Vec<usize> = Vec::new();
    for i in 0..tasks.len() {
        let indent = tasks[i].indent.len();
        while let Some(&top) = open.last() {
            let t = &tasks[top];
            if t.indent.len() < indent
                || (t.indent.len() == indent && extends(&t.value.id, &tasks[i].value.id))
            {
                break;
            }
            open.pop();
        }
        tasks[i].parent = open.last().copied();
        tasks[i].depth = open.len();
        open.push(i);
    }
    for i in (0..tasks.len()).rev() {
        let end = tasks[i]
            .after
            .iter()
            .map(|&(_, e)| e)
            .fold(tasks[i].subtree_end.max(tasks[i].end), usize::max);
        tasks[i].subtree_end = end;
        if let Some(p) = tasks[i].parent {
            tasks[p].subtree_end = tasks[p].subtree_end.max(end);
        }
    }
}

/// The value of a task line after its checkbox; `None` when it has no id. Also says whether
/// the id is Kiro's (`2.1`) and whether it was bold.
fn read_task_line(rest: &str) -> Option<(TaskValue, bool, bool)> {
    let mut value = TaskValue::default();
    let mut text = rest.trim().to_string();
    if let Some(m) = SOURCE.captures(&text) {
        value.source = Some(m[1].to_string());
        let start = m.get(0).map_or(text.len(), |m| m.start());
        text.truncate(start);
    }
    let (kiro, bold) = if let Some(c) = SPEC_KIT_ID.captures(&text) {
        value.id = c[2].to_string();
        let bold = c.get(1).is_some();
        text = text[c.get(0).map_or(0, |m| m.end())..].to_string();
        (false, bold)
    } else if let Some(c) = KIRO_ID.captures(&text) {
        value.id = c[1].to_string();
        text = text[c.get(0).map_or(0, |m| m.end())..].to_string();
        (true, false)
    } else {
        return None;
    };
    while let Some(c) = LABEL.captures(&text) {
        let label = c[1].to_string();
        if label == "P" {
            value.parallel = true;
        } else {
            value.story = Some(label);
        }
        text = text[c.get(0).map_or(0, |m| m.end())..].to_string();
    }
    let mut t = text.trim_end().to_string();
    if let Some(stripped) = t.strip_suffix("(P)") {
        value.parallel = true;
        t = stripped.trim_end().to_string();
    }
    if let Some(c) = COVERS.captures(&t) {
        value.covers = split_list(&c[1]);
        let start = c.get(0).map_or(t.len(), |m| m.start());
        t.truncate(start);
    }
    if let Some(list) = cover_list(&t) {
        value.covers.extend(list);
    }
    value.title = t.trim().to_string();
    Some((value, kiro, bold))
}

/// Reads a detail line into `value`; false when the line is not Specwright's notation.
fn read_detail(value: &mut TaskValue, line: &str) -> bool {
    let Some(c) = DETAIL.captures(line) else {
        // Other wordings of a cover list (`**Validates: Requirements 1.2**`, a sentence) count,
        // and the line stays the person's, as written.
        if let Some(list) = cover_list(line) {
            value.covers.extend(list);
        }
        return false;
    };
    let body = c[2].trim().to_string();
    match &c[1] {
        "Boundary" => {
            for item in split_list(&body) {
                if looks_like_glob(&item) {
                    value.boundary.push(item);
                } else {
                    value.components.push(item);
                }
            }
        }
        "Acceptance" => value.acceptance.push(body),
        "Check" => value.check = Some(body.trim_matches('`').to_string()),
        "Depends" => value.depends.extend(split_list(&body)),
        _ => value.covers.extend(split_list(&body)),
    }
    true
}

/// The entries of a Kiro cover list in `text`, as written (`1.1`, `1.2-1.4`, `R2`, `All`).
fn cover_list(text: &str) -> Option<Vec<String>> {
    let list: Vec<String> = KIRO_LIST
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .flat_map(|m| split_list(m.as_str()))
        .collect();
    (!list.is_empty()).then_some(list)
}

/// A glob or path (`src/auth/**`, `!docs/**`, `Cargo.toml`) rather than a component name.
pub fn looks_like_glob(s: &str) -> bool {
    s.contains(['/', '*', '.']) || s.starts_with('!')
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().trim_matches('`').to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        out.push((at, line));
        at += line.len();
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_notations_in_the_wild() {
        let text = "# Tasks\n\n## Phase 1\n\n- [x] **T001** Fix the parser\n  - detail a person wrote\n- [X] T002 [P] [US1] Export drafts as PDF (FR-003, SC-002) <!-- sw:FR3#00ab -->\n  - Boundary: src/export/**, !src/export/legacy/**\n  - Acceptance: Given a draft, When exported, Then a PDF opens\n  - Check: `cargo test -p export`\n  - Depends: T001\n- [ ] plain checkbox without id\n";
        let f = parse(text, TaskFormat::Kiro);
        assert_eq!(f.format, TaskFormat::SpecKit);
        assert_eq!(f.steps.len(), 1);
        assert_eq!(f.tasks.len(), 2);
        let t1 = &f.tasks[0];
        assert_eq!(t1.value.id, "T001");
        assert!(t1.bold_id);
        assert_eq!(t1.value.status, Status::Done);
        assert_eq!(t1.extra, ["  - detail a person wrote"]);
        let t2 = &f.tasks[1].value;
        assert_eq!(t2.title, "Export drafts as PDF");
        assert!(t2.parallel);
        assert_eq!(t2.story.as_deref(), Some("US1"));
        assert_eq!(t2.covers, ["FR-003", "SC-002"]);
        assert_eq!(t2.boundary, ["src/export/**", "!src/export/legacy/**"]);
        assert_eq!(t2.check.as_deref(), Some("cargo test -p export"));
        assert_eq!(t2.depends, ["T001"]);
        assert_eq!(t2.source.as_deref(), Some("FR3#00ab"));
        assert!(f.tasks[1].upper_done);

        let kiro = "- [x] 1. Create cost cache\n- [-] 1.1 Add the table (P)\n  - Write the migration\n  - _Requirements: 1.1-1.7, 2.3_\n  - _Boundary: CostService_\n- [ ]* 2. Property tests\n  - **Validates: Requirements 6.5**\n";
        let f = parse(kiro, TaskFormat::SpecKit);
        assert_eq!(f.format, TaskFormat::Kiro);
        let ids: Vec<&str> = f.tasks.iter().map(|t| t.value.id.as_str()).collect();
        assert_eq!(ids, ["1", "1.1", "2"]);
        assert_eq!(f.tasks[1].value.status, Status::Running);
        assert!(f.tasks[1].value.parallel);
        assert_eq!(f.tasks[1].value.covers, ["1.1-1.7", "2.3"]);
        assert_eq!(f.tasks[1].value.components, ["CostService"]);
        assert_eq!(f.tasks[1].extra, ["  - Write the migration"]);
        assert!(f.tasks[2].value.optional);
        assert_eq!(f.tasks[2].value.covers, ["6.5"]);
    }
}
