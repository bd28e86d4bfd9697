//! Part-by-part re-analysis ([`specwright_core::incremental`]) against the whole analysis: after
//! an edit that `Parts::update` accepts, the local rules' findings must be exactly those a whole
//! analysis of the edited text finds. Edits are made in every part of every example and corpus
//! document (a paragraph added, a line deleted, words typed mid-line, a line broken).

// A test reads fixtures and may time itself; core's own code may not (server/core/clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use proptest::prelude::*;
use specwright_core::incremental::Parts;
use specwright_core::index::WorkspaceIndex;
use specwright_core::rules::{self, Date};
use specwright_core::{AnalysisInput, Config, Diagnostic, analyze};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TODAY: Option<Date> = Some(Date {
    year: 2026,
    month: 1,
    day: 15,
});

fn markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            markdown(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

/// Every example, and the shared corpus when it is beside the checkout.
fn documents() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    markdown(&root.join("examples"), &mut files);
    let corpus = root.join("../shared/fixtures/corpus");
    if corpus.is_dir() {
        markdown(&corpus, &mut files);
    } else {
        eprintln!("SKIPPED (corpus part): ../shared/fixtures/corpus is not beside this checkout");
    }
    files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let rel = f.strip_prefix(&root).unwrap_or(f);
            Some((rel.to_string_lossy().replace('\\', "/"), text))
        })
        .collect()
}

/// The path the analysis sees: what classifies the document as a spec, a plan, an ADR.
fn path_of(name: &str) -> String {
    name.trim_start_matches("../shared/fixtures/corpus/")
        .to_string()
}

fn whole(text: &str, path: &str, config: &Config, index: &WorkspaceIndex) -> Vec<Diagnostic> {
    analyze(AnalysisInput {
        text,
        path: Some(path),
        location: None,
        config,
        index,
        today: TODAY,
    })
    .diagnostics
}

fn local(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| rules::find(d.rule).is_some_and(|r| r.local()))
        .collect()
}

/// Edits in a part: `(at, remove, insert)` on the text.
fn edits_in(text: &str, start: usize, end: usize) -> Vec<(usize, usize, String)> {
    let lines: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut at = start;
        for line in text[start..end].split_inclusive('\n') {
            v.push((at, at + line.len()));
            at += line.len();
        }
        v
    };
    let mut out = Vec::new();
    if lines.len() < 3 {
        return out;
    }
    let body = lines[1].0;
    out.push((
        body,
        0,
        "\nThe system may respond quickly to most requests, etc.\n\n".to_string(),
    ));
    let (mid_start, mid_end) = lines[lines.len() / 2];
    out.push((mid_start, mid_end - mid_start, String::new()));
    let (l_start, l_end) = lines[(lines.len() * 2 / 3).max(1)];
    let line = &text[l_start..l_end];
    if let Some(space) = line.find(' ') {
        out.push((l_start + space, 0, " clearly and/or".to_string()));
        out.push((l_start + space, 1, "\n".to_string()));
    }
    out
}

#[test]
fn local_findings_after_an_edit_equal_the_whole_analysis() {
    let config = Config::default();
    let index = WorkspaceIndex::default();
    let mut checked = 0;
    let mut refused = 0;
    let mut mismatches: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (name, text) in documents() {
        let path = path_of(&name);
        let full = analyze(AnalysisInput {
            text: &text,
            path: Some(&path),
            location: None,
            config: &config,
            index: &index,
            today: TODAY,
        });
        let Some(parts) = Parts::split(&text, &full) else {
            continue;
        };
        let bounds = part_bounds(&text, &full);
        for (start, end) in bounds {
            for (at, remove, insert) in edits_in(&text, start, end) {
                let mut new_text = text.clone();
                new_text.replace_range(at..at + remove, &insert);
                let mut p = parts.clone();
                let input = AnalysisInput {
                    text: &new_text,
                    path: Some(&path),
                    location: None,
                    config: &config,
                    index: &index,
                    today: TODAY,
                };
                if !p.update(&new_text, &input) {
                    refused += 1;
                    continue;
                }
                checked += 1;
                let expected = local(whole(&new_text, &path, &config, &index));
                let got = local(p.diagnostics());
                if expected != got {
                    for d in expected.iter().filter(|d| !got.contains(d)) {
                        mismatches.entry(d.rule).or_default().push(format!(
                            "{name} (edit at {at}): missed {:?} `{}`",
                            d.span,
                            &new_text[d.span.range()]
                        ));
                    }
                    for d in got.iter().filter(|d| !expected.contains(d)) {
                        mismatches.entry(d.rule).or_default().push(format!(
                            "{name} (edit at {at}): extra {:?} `{}`",
                            d.span,
                            new_text.get(d.span.range()).unwrap_or("?")
                        ));
                    }
                }
            }
        }
    }
    eprintln!("{checked} edits re-analysed by part, {refused} refused");
    assert!(
        checked > 50,
        "too few edits were handled by parts: {checked}"
    );
    let report: Vec<String> = mismatches
        .iter()
        .map(|(rule, cases)| {
            format!(
                "{rule}: {} mismatches, e.g.\n  {}",
                cases.len(),
                cases
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n  ")
            )
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// Where the parts of `text` start and end: the top-level `#`/`##` headings.
fn part_bounds(text: &str, full: &specwright_core::Analysis) -> Vec<(usize, usize)> {
    let mut starts: Vec<usize> = full
        .doc
        .blocks
        .iter()
        .filter(|b| {
            matches!(b.kind, specwright_core::syntax::BlockKind::Heading { level } if level <= 2)
                && b.parent.is_none()
        })
        .map(|b| b.span.start)
        .collect();
    starts.insert(0, 0);
    starts.dedup();
    starts
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, starts.get(i + 1).copied().unwrap_or(text.len())))
        .collect()
}

fn spec() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    markdown(&root.join("examples"), &mut files);
    files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "spec.md"))
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random edits anywhere, chained: whatever `update` accepts matches a whole analysis;
    /// whatever it refuses leaves it unchanged.
    #[test]
    fn chained_random_edits_match_the_whole_analysis(
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..12, prop::sample::select(vec![
                "", "x", " ", "\n", "\n\n", "MUST ", "fast ", "`", "```\n", "# ", "## New\n",
                "- item\n", "[a]: b\n", "<!-- ", " -->", "é", "TBD", "FR-001", "**", "|",
            ])),
            1..6,
        )
    ) {
        let config = Config::default();
        let index = WorkspaceIndex::default();
        let path = "specs/001-x/spec.md";
        let mut text = spec();
        let full = analyze(AnalysisInput {
            text: &text, path: Some(path), location: None, config: &config, index: &index,
            today: TODAY,
        });
        let Some(mut parts) = Parts::split(&text, &full) else {
            return Ok(());
        };
        for (at, remove, insert) in edits {
            let at = text.floor_char_boundary(at.index(text.len() + 1));
            let end = text.floor_char_boundary((at + remove).min(text.len()));
            let mut new_text = text.clone();
            new_text.replace_range(at..end, insert);
            let input = AnalysisInput {
                text: &new_text, path: Some(path), location: None, config: &config,
                index: &index, today: TODAY,
            };
            let before = parts.diagnostics();
            if parts.update(&new_text, &input) {
                prop_assert_eq!(parts.text(), new_text.as_str());
                let expected = local(whole(&new_text, path, &config, &index));
                prop_assert_eq!(local(parts.diagnostics()), expected);
                text = new_text;
            } else {
                prop_assert_eq!(parts.text(), text.as_str());
                prop_assert_eq!(parts.diagnostics(), before);
                let full = analyze(input);
                text = new_text;
                match Parts::split(&text, &full) {
                    Some(p) => parts = p,
                    None => return Ok(()),
                }
            }
        }
    }
}
