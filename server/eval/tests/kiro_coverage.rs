//! Kiro criterion coverage, checked against an independent count: a few regular expressions
//! over each folder's `requirements.md` (numbered criteria under `Requirement N` headings) and
//! `tasks.md` (`_Requirements: …_` and `Validates: Requirements …` lists, ranges expanded),
//! never through Specwright's model. On every Kiro-layout folder of the wild set whose tasks
//! cite criteria, the criteria Specwright reports uncovered must be exactly the ones the count
//! finds uncovered.

use specwright_eval::default_wild;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `N.k` for each numbered criterion under a `Requirement N` / `要件 N` heading.
fn criteria(requirements: &str) -> BTreeSet<String> {
    let heading = regex_lite(r"^#{2,4}\s+(?:Requirement|要件)\s*(\d+)\b");
    let item = regex_lite(r"^(\d+)\.\s+\S");
    let other_heading = regex_lite(r"^#{1,6}\s");
    let mut out = BTreeSet::new();
    let mut current: Option<String> = None;
    for line in requirements.lines() {
        if let Some(c) = heading.captures(line) {
            current = Some(c[1].to_string());
        } else if other_heading.is_match(line) && line.starts_with("## ") {
            current = None;
        } else if let (Some(n), Some(c)) = (&current, item.captures(line)) {
            out.insert(format!("{n}.{}", &c[1]));
        }
    }
    out
}

/// What the tasks' cover lists cite, expanded against `all` (the defined criteria).
fn cited(tasks: &str, all: &BTreeSet<String>) -> (BTreeSet<String>, bool) {
    let list =
        regex_lite(r"(?i)(?:_requirements?\s*:|validates\W*\s*requirements?\s*:?)\s*([^_\n*]+)");
    let mut out = BTreeSet::new();
    let mut dotted = false;
    for c in list.captures_iter(tasks) {
        for item in c[1].split(',') {
            let item = item.trim().trim_end_matches('.');
            let strip = |x: &str| x.trim().trim_start_matches(['R', 'r']).to_string();
            if item.eq_ignore_ascii_case("all") || ["すべて", "全て", "全部"].contains(&item)
            {
                out.extend(all.iter().cloned());
            } else if let Some((a, b)) = item.split_once(['-', '–']) {
                let (a, b) = (strip(a), strip(b));
                if let (Some((ra, fa)), Some((rb, tb))) = (a.split_once('.'), b.split_once('.'))
                    && ra == rb
                    && let (Ok(f), Ok(t)) = (fa.parse::<u32>(), tb.parse::<u32>())
                {
                    dotted = true;
                    out.extend((f..=t).map(|k| format!("{ra}.{k}")));
                }
            } else {
                let id = strip(item);
                if id.contains('.') {
                    dotted = true;
                    out.insert(id);
                } else if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
                    let prefix = format!("{id}.");
                    out.extend(all.iter().filter(|k| k.starts_with(&prefix)).cloned());
                }
            }
        }
    }
    (out, dotted)
}

fn regex_lite(p: &str) -> regex::Regex {
    regex::Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn folders(wild: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![wild.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            }
        }
        if d.join("requirements.md").is_file() && d.join("tasks.md").is_file() {
            out.push(d);
        }
    }
    out.sort();
    out
}

#[test]
fn kiro_criterion_coverage_matches_an_independent_count() {
    let wild = default_wild();
    if !wild.is_dir() {
        eprintln!(
            "skipped: the wild set ({}) is not next to this clone",
            wild.display()
        );
        return;
    }
    let (mut checked, mut uncovered) = (0, 0);
    let mut mismatches = Vec::new();
    for dir in folders(&wild) {
        let req = std::fs::read_to_string(dir.join("requirements.md")).unwrap_or_default();
        let tasks = std::fs::read_to_string(dir.join("tasks.md")).unwrap_or_default();
        let all = criteria(&req);
        let (cites, dotted) = cited(&tasks, &all);
        if all.is_empty() || !dotted {
            continue;
        }
        checked += 1;
        let expected: BTreeSet<String> = all.difference(&cites).cloned().collect();
        uncovered += expected.len();
        // What the task model says the tasks cite: the coverage table (the rule built on it
        // also leaves out criteria a task speaks of without citing; that is judged by the
        // labels, not here).
        let index = specwright_workspace::folder_index(&dir).expect("index");
        let table =
            specwright_core::ide::coverage_table(&index, &specwright_workspace::folder_key(&dir));
        let reported: BTreeSet<String> = table
            .rows
            .iter()
            .filter(|r| r.covered_by.is_empty() && r.location.ends_with("requirements.md"))
            .map(|r| r.id.clone())
            .filter(|id| id.contains('.'))
            .collect();
        if reported != expected {
            mismatches.push(format!(
                "{}: only Specwright {:?}; only the count {:?}",
                dir.strip_prefix(&wild).unwrap_or(&dir).display(),
                reported.difference(&expected).collect::<Vec<_>>(),
                expected.difference(&reported).collect::<Vec<_>>()
            ));
        }
    }
    eprintln!("{checked} Kiro folders whose tasks cite criteria, {uncovered} criteria uncovered");
    assert!(
        uncovered > 0,
        "the count found nothing uncovered: it would not tell"
    );
    assert!(checked >= 10, "only {checked} folders checked");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
