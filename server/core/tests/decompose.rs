//! Decomposition: fixture specs of each family into tasks files (snapshots), idempotence,
//! locality of an edit, the tasks-file round trip, and the shared corpus's tasks files read
//! without loss.

// A test reads fixtures and may time itself; core's own code may not (server/core/clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use proptest::prelude::*;
use specwright_core::Config;
use specwright_core::decompose::{self, DecomposeInput, Status, TaskFormat, TaskValue};
use specwright_core::kind::classify;
use specwright_core::syntax::{BlockKind, ParseOptions, SpecDoc};
use specwright_core::tasks as file;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/decompose")
}

/// (fixture folder, spec file, the path it stands at in a repository, plan file)
const CASES: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "spec-kit",
        "spec.md",
        "specs/001-export/spec.md",
        Some("plan.md"),
    ),
    (
        "kiro",
        "requirements.md",
        ".kiro/specs/invites/requirements.md",
        None,
    ),
    ("openspec", "spec.md", "openspec/specs/export/spec.md", None),
    ("generic", "spec.md", "docs/search.md", None),
    ("no-ids", "spec.md", "docs/autosave.md", None),
];

fn apply(text: &str, edits: &[specwright_core::TextEdit]) -> String {
    let mut sorted: Vec<_> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut out = text.to_string();
    for e in sorted {
        out.replace_range(e.span.range(), &e.new_text);
    }
    out
}

fn config() -> Config {
    let (file, diags) = specwright_core::config::parse_toml(
        "[boundaries]\nInvitationService = [\"src/invitations/**\"]\n",
        &specwright_core::rules::ids(),
    );
    assert!(diags.is_empty());
    Config::new(file)
}

/// Decomposes `spec` (standing at `path`) against `tasks`; the new tasks text and the result.
fn run(
    spec: &str,
    path: &str,
    plan: Option<&str>,
    tasks: Option<&str>,
) -> (String, decompose::Decomposition) {
    let config = config();
    let options = ParseOptions::default();
    let doc = SpecDoc::parse(spec, options);
    let class = classify(Some(path), &doc, &config);
    let plan_doc = plan.map(|p| SpecDoc::parse(p, options));
    let d = decompose::plan(&DecomposeInput {
        spec: &doc,
        family: class.family,
        section: None,
        plan: plan_doc.as_ref(),
        tasks,
        others: &[],
        config: &config,
    });
    (apply(tasks.unwrap_or(""), &d.edits), d)
}

fn read(case: &str, name: &str) -> Option<String> {
    std::fs::read_to_string(fixtures().join(case).join(name)).ok()
}

#[test]
fn fixture_specs_decompose_into_the_expected_tasks_files() {
    for (case, spec_name, path, plan_name) in CASES {
        let spec = read(case, spec_name).unwrap();
        let plan = plan_name.and_then(|p| read(case, p));
        let tasks = read(case, "tasks.md");
        let (text, d) = run(&spec, path, plan.as_deref(), tasks.as_deref());
        insta::assert_snapshot!(format!("decompose_{case}"), text);
        // Decomposing again changes nothing.
        let (again, d2) = run(&spec, path, plan.as_deref(), Some(&text));
        assert!(
            d2.edits.is_empty(),
            "{case}: second run edits {:?}",
            d2.edits
        );
        assert_eq!(again, text);
        assert_eq!(d2.created.len(), 0);
        // The file reads back as the tasks the decomposition planned.
        let parsed = file::parse(&text, d.format);
        for planned in &d.tasks {
            let found = parsed.tasks.iter().find(|t| t.value.id == planned.id);
            let found = found.unwrap_or_else(|| panic!("{case}: {} not in the file", planned.id));
            if found.value.source.is_some() {
                assert_eq!(&found.value, planned, "{case}");
            }
        }
    }
}

#[test]
fn editing_one_requirement_changes_only_its_task() {
    let spec = read("spec-kit", "spec.md").unwrap();
    let plan = read("spec-kit", "plan.md");
    let path = "specs/001-export/spec.md";
    let (text, _) = run(&spec, path, plan.as_deref(), None);
    let edited = spec.replace(
        "choose the default paper size",
        "choose the default paper size and margins",
    );
    let (after, d) = run(&edited, path, plan.as_deref(), Some(&text));
    assert_eq!(d.updated.len(), 1, "{:?}", d);
    assert!(d.created.is_empty());
    let changed: Vec<(&str, &str)> = text
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.contains("paper size and margins"));
    // Checkbox state and a person's notes under the task survive the update.
    let id = &d.updated[0];
    let marked = text.replace(&format!("- [ ] {id}"), &format!("- [x] {id}"));
    let line_end = marked
        .find(&format!("- [x] {id}"))
        .and_then(|at| marked[at..].find('\n').map(|e| at + e))
        .unwrap();
    let with_note = format!(
        "{}\n  - note: ask design about A5{}",
        &marked[..line_end],
        &marked[line_end..]
    );
    let (after, _) = run(&edited, path, plan.as_deref(), Some(&with_note));
    assert!(after.contains(&format!("- [x] {id}")), "{after}");
    assert!(after.contains("  - note: ask design about A5"), "{after}");
    assert!(after.contains("paper size and margins"));
}

#[test]
fn requirements_that_disappear_keep_their_tasks_and_are_named() {
    let spec = read("generic", "spec.md").unwrap();
    let (text, _) = run(&spec, "docs/search.md", None, None);
    let without = spec.replace(
        "- **REQ-3**: Results MUST be ranked by recency.\n  - Files: `server/search/rank.rs`\n",
        "",
    );
    let (after, d) = run(&without, "docs/search.md", None, Some(&text));
    assert_eq!(after, text, "nothing is deleted");
    assert_eq!(d.stale.len(), 1, "{d:?}");
}

fn task_value(kiro: bool) -> impl Strategy<Value = TaskValue> {
    let word = "[a-z]{1,8}";
    let title = prop::collection::vec(word, 1..6).prop_map(|w| {
        let mut t = w.join(" ");
        t.replace_range(0..1, &t[0..1].to_uppercase());
        t
    });
    let id = if kiro {
        "[1-9](\\.[1-9])?".boxed()
    } else {
        "T[0-9]{3}".boxed()
    };
    let cover = if kiro {
        "[1-9]\\.[1-9]".boxed()
    } else {
        "(FR|SC)-00[1-9]".boxed()
    };
    let glob = "(!)?(src|web|lib)/[a-z]{1,6}/\\*\\*";
    (
        id,
        title,
        prop::sample::select(vec![Status::Todo, Status::Running, Status::Done]),
        any::<bool>(),
        any::<bool>(),
        prop::option::of("US[1-9]"),
        prop::collection::vec(cover, 0..3),
        prop::collection::vec(glob, 0..3),
        prop::collection::vec(
            prop::collection::vec(word, 1..5).prop_map(|w| w.join(" ")),
            0..2,
        ),
        prop::option::of("cargo test -p [a-z]{1,6}"),
        prop::collection::vec(
            if kiro {
                "[1-9]".boxed()
            } else {
                "T[0-9]{3}".boxed()
            },
            0..2,
        ),
        prop::option::of("[A-Z0-9]{2,4}#[0-9a-f]{8}"),
    )
        .prop_map(
            move |(
                id,
                title,
                status,
                optional,
                parallel,
                story,
                covers,
                boundary,
                acceptance,
                check,
                depends,
                source,
            )| TaskValue {
                id,
                title,
                status,
                optional: optional && kiro,
                parallel,
                story: if kiro { None } else { story },
                covers,
                boundary,
                components: Vec::new(),
                acceptance,
                check,
                depends,
                source,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn spec_kit_tasks_round_trip(tasks in prop::collection::vec(task_value(false), 1..6)) {
        round_trip(&tasks, TaskFormat::SpecKit)?;
    }

    #[test]
    fn kiro_tasks_round_trip(tasks in prop::collection::vec(task_value(true), 1..6)) {
        round_trip(&tasks, TaskFormat::Kiro)?;
    }
}

fn round_trip(tasks: &[TaskValue], format: TaskFormat) -> Result<(), TestCaseError> {
    let mut text = String::from("# Tasks\n\n");
    for t in tasks {
        text.push_str(&file::render(t, format, "", false).join("\n"));
        text.push('\n');
    }
    let parsed = file::parse(&text, format);
    let values: Vec<&TaskValue> = parsed.tasks.iter().map(|t| &t.value).collect();
    prop_assert_eq!(values, tasks.iter().collect::<Vec<_>>(), "{}", text);
    Ok(())
}

/// Every tasks file of the shared corpus (Kiro and spec-kit projects) parses without loss:
/// each task-list item a Markdown parser finds is a task here, with the same id, every line
/// under a task is either read or kept, and a sub-task lies inside its parent.
#[test]
fn corpus_tasks_files_parse_without_loss() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/corpus");
    if !root.is_dir() {
        eprintln!("SKIPPED: needs ../shared/fixtures/corpus (not in this checkout)");
        return;
    }
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "tasks.md") {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut total, mut kiro, mut spec_kit, mut optional) = (0, 0, 0, 0);
    let id = regex::Regex::new(
        r"^(?:\*\*)?(T\d+[a-z]?'?(?:-[A-Za-z0-9]+)*|\d+(?:\.\d+)*)(?:\*\*)?[\s.:]",
    )
    .unwrap();
    for p in &files {
        let text = std::fs::read_to_string(p).unwrap();
        let parsed = file::parse(&text, TaskFormat::SpecKit);
        // An independent reading: pulldown-cmark's task-list items that start with an id
        // (Kiro's optional `- [ ]* 2.1` is not a task-list item to it; the model reads it).
        let doc = SpecDoc::parse(&text, ParseOptions::default());
        let expected: Vec<String> = doc
            .blocks
            .iter()
            .filter(|b| {
                matches!(
                    b.kind,
                    BlockKind::ListItem {
                        checkbox: Some(_),
                        ..
                    }
                )
            })
            .filter_map(|b| {
                let line = text[b.span.start..b.span.end].lines().next()?;
                let rest = line.split_once(']')?.1.trim_start();
                id.captures(&format!("{rest} ")).map(|c| c[1].to_string())
            })
            .collect();
        let got: Vec<String> = parsed
            .tasks
            .iter()
            .filter(|t| !t.value.optional)
            .map(|t| t.value.id.clone())
            .collect();
        optional += parsed.tasks.iter().filter(|t| t.value.optional).count();
        assert_eq!(got, expected, "{}", p.display());
        for t in &parsed.tasks {
            if let Some(p) = t.parent {
                let p = &parsed.tasks[p];
                assert!(
                    p.start < t.start && t.subtree_end <= p.subtree_end,
                    "{}",
                    p.value.id
                );
            }
        }
        // Nothing under a task is dropped: rendering it back keeps its extra lines.
        for t in &parsed.tasks {
            let block = &text[t.start..t.end];
            for line in &t.extra {
                assert!(block.contains(line.as_str()), "{}: {line}", p.display());
            }
        }
        total += parsed.tasks.len();
        match parsed.format {
            TaskFormat::Kiro => kiro += 1,
            TaskFormat::SpecKit => spec_kit += 1,
        }
    }
    eprintln!(
        "corpus tasks files: {} ({kiro} Kiro, {spec_kit} spec-kit), {total} tasks ({optional} optional)",
        files.len()
    );
    assert!(total > 100, "{total}");
}

fn spec_of(reqs: &[(String, Option<String>)]) -> String {
    let mut s = String::from("# Feature Specification: Generated\n\n## Requirements\n\n");
    for (i, (words, path)) in reqs.iter().enumerate() {
        let path = path
            .as_ref()
            .map(|p| format!(" in `src/{p}/`"))
            .unwrap_or_default();
        s.push_str(&format!(
            "- **FR-{:03}**: The editor MUST {words}{path}.\n",
            i + 1
        ));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, failure_persistence: None, ..ProptestConfig::default() })]

    /// decompose ∘ decompose = decompose, and rewording one requirement rewrites only its task.
    #[test]
    fn decomposition_is_idempotent_and_local(
        reqs in prop::collection::vec(
            (prop::collection::vec("[a-z]{2,8}", 2..8).prop_map(|w| w.join(" ")), prop::option::of("[a-z]{3,6}")),
            1..8,
        ),
        pick in any::<prop::sample::Index>(),
        extra in "[a-z]{3,8}",
    ) {
        let path = "specs/001-x/spec.md";
        let spec = spec_of(&reqs);
        let (text, d) = run(&spec, path, None, None);
        prop_assert_eq!(d.created.len(), reqs.len());
        let (again, d2) = run(&spec, path, None, Some(&text));
        prop_assert!(d2.edits.is_empty());
        prop_assert_eq!(&again, &text);

        let k = pick.index(reqs.len());
        let mut edited = reqs.clone();
        edited[k].0 = format!("{} {extra}", edited[k].0);
        let (after, d3) = run(&spec_of(&edited), path, None, Some(&text));
        prop_assert_eq!(d3.updated.clone(), vec![format!("T{:03}", k + 1)]);
        prop_assert!(d3.created.is_empty());
        let changed: Vec<usize> = text
            .lines()
            .zip(after.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, _)| i)
            .collect();
        prop_assert_eq!(changed.len(), 1, "{}\n---\n{}", text, after);
        let line = after.lines().nth(changed[0]).unwrap_or("");
        prop_assert!(line.contains(&format!("T{:03}", k + 1)), "{}", line);
        prop_assert_eq!(text.lines().count(), after.lines().count());
    }
}
