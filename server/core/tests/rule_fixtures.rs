//! Runs every Markdown fixture under `tests/fixtures/rules/<rule-id>/` and compares the rule's
//! diagnostics with the `<!-- expect: RULE "TEXT" -->` markers (see that folder's README).

// A test reads fixtures and may time itself; core's own code may not (server/core/clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use regex::Regex;
use specwright_core::index::{DocumentFacts, WorkspaceIndex};
use specwright_core::rules::{self, Date};
use specwright_core::{AnalysisInput, Config, analyze};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixtures_root() -> PathBuf {
    // Canonical, as the server's locations are: link targets resolve against it.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/rules")
        .canonicalize()
        .expect("fixtures folder")
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            markdown_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

type Finding = (usize, String, String);

/// Expected findings: (1-based line, rule, text).
fn expectations(text: &str) -> BTreeSet<Finding> {
    let marker =
        Regex::new(r#"^\s*<!--\s*expect:\s*([a-z0-9-]+)\s+"((?:[^"\\]|\\.)*)"\s*-->\s*$"#).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(caps) = marker.captures(line) else {
            continue;
        };
        let target = (0..i)
            .rev()
            .find(|&j| !lines[j].trim().is_empty() && !marker.is_match(lines[j]))
            .unwrap_or_else(|| panic!("expect marker on line {} has no line above it", i + 1));
        out.insert((
            target + 1,
            caps[1].to_string(),
            caps[2].replace("\\\"", "\""),
        ));
    }
    out
}

fn fixture_path(text: &str) -> Option<String> {
    let first = text.lines().next()?;
    let rest = first
        .trim()
        .strip_prefix("<!--")?
        .trim()
        .strip_prefix("fixture-path:")?;
    Some(rest.trim_end_matches("-->").trim().to_string())
}

/// `<!-- fixture-config: TOML -->` on any line: the fixture's `specwright.toml`, inline.
fn fixture_config(text: &str) -> Config {
    let toml: String = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<!-- fixture-config:"))
        .map(|l| l.trim_end_matches("-->").trim().to_string() + "\n")
        .collect();
    let (mut file, diags) = specwright_core::config::parse_toml(&toml, &rules::ids());
    assert!(diags.is_empty(), "bad fixture-config: {diags:?}");
    // A fixture shows what its rule finds, whether or not the rule is on by default.
    file.rule_set
        .get_or_insert(specwright_core::config::RuleSet::All);
    Config::new(file)
}

/// Every Markdown file beside `file` (its feature folder), indexed as the server would.
fn folder_index(file: &Path) -> WorkspaceIndex {
    let mut index = WorkspaceIndex::default();
    let dir = file.parent().unwrap();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let config = fixture_config(&text);
        let path = fixture_path(&text);
        let a = analyze(AnalysisInput {
            text: &text,
            path: path.as_deref(),
            location: None,
            config: &config,
            index: &WorkspaceIndex::default(),
            today: None,
        });
        let location = p.to_string_lossy().to_string();
        index.insert(
            location.clone(),
            DocumentFacts::of(&a.doc, a.classification, &location),
        );
    }
    index
}

fn actual(file: &Path, text: &str, rule: &str) -> BTreeSet<Finding> {
    let config = fixture_config(text);
    let index = folder_index(file);
    let path = fixture_path(text);
    let location = file.to_string_lossy().to_string();
    let analysis = analyze(AnalysisInput {
        text,
        path: path.as_deref(),
        location: Some(&location),
        config: &config,
        index: &index,
        today: Some(Date {
            year: 2026,
            month: 1,
            day: 15,
        }),
    });
    assert!(
        analysis.failures.is_empty(),
        "rule failures: {:?}",
        analysis.failures
    );
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| {
            let line = analysis.doc.line_of(d.span.start) + 1;
            (
                line,
                d.rule.to_string(),
                analysis.doc.slice(d.span).to_string(),
            )
        })
        .collect()
}

#[test]
fn every_rule_fixture_matches_its_expectations() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in rules::registry() {
        let id = rule.meta().id;
        let dir = fixtures_root().join(id);
        assert!(
            dir.is_dir(),
            "rule `{id}` has no fixture folder {}",
            dir.display()
        );
        let mut files = Vec::new();
        markdown_files(&dir, &mut files);
        let (mut positive, mut negative) = (0, 0);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let expected: BTreeSet<Finding> = expectations(&text)
                .into_iter()
                .filter(|f| f.1 == id)
                .collect();
            if expected.is_empty() {
                negative += 1;
            } else {
                positive += 1;
            }
            let got = actual(&file, &text, id);
            checked += 1;
            if got != expected {
                let missing: Vec<_> = expected.difference(&got).collect();
                let unexpected: Vec<_> = got.difference(&expected).collect();
                failures.push(format!(
                    "{}:\n  missing:    {missing:?}\n  unexpected: {unexpected:?}",
                    file.display()
                ));
            }
        }
        assert!(
            positive > 0 && negative > 0,
            "rule `{id}` needs a positive and a negative fixture"
        );
    }
    assert!(checked > 0);
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
}

#[test]
fn expectation_parser_reads_stacked_markers() {
    let text = "line one TBD\n<!-- expect: a \"TBD\" -->\n<!-- expect: b \"say \\\"x\\\"\" -->\n";
    let found = expectations(text);
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        vec![
            (1, "a".into(), "TBD".into()),
            (1, "b".into(), "say \"x\"".into())
        ]
    );
}
