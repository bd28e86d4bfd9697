//! Precision on real documents: the shared corpus of KEPs and Rust RFCs is long design prose.
//! Sections their kind treats as narrative must stay nearly silent (at most one finding per
//! 1,000 words). Prints findings per rule per 1,000 words over the whole corpus.

// A test reads fixtures and may time itself; core's own code may not (server/core/clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use specwright_core::index::WorkspaceIndex;
use specwright_core::rules::{self, Date};
use specwright_core::{AnalysisInput, Config, analyze};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: the corpus precision test needs ../shared/fixtures/corpus (not in this checkout)"
        );
        None
    }
}

fn markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            markdown(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

#[test]
fn narrative_sections_of_proposals_stay_quiet() {
    let Some(root) = corpus() else { return };
    let config = Config::default();
    let index = WorkspaceIndex::default();
    let today = Some(Date {
        year: 2026,
        month: 1,
        day: 15,
    });
    let mut narrative_words = 0usize;
    let mut narrative_findings = Vec::new();
    let mut all_words = 0usize;
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut files = Vec::new();
    markdown(&root, &mut files);
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let a = analyze(AnalysisInput {
            text: &text,
            path: Some(&rel),
            location: None,
            config: &config,
            index: &index,
            today,
        });
        all_words += a.doc.prose.split_whitespace().count();
        for d in &a.diagnostics {
            *per_rule.entry(d.rule).or_default() += 1;
        }
        if !(rel.starts_with("keps/") || rel.starts_with("rfcs/")) {
            continue;
        }
        for section in 0..a.doc.sections.len() {
            if !a.scope.is_narrative(Some(section)) {
                continue;
            }
            let s = &a.doc.sections[section];
            // Own text only: up to the first sub-section.
            let end = s
                .children
                .first()
                .map_or(s.body_span.end, |&c| a.doc.sections[c].heading_span.start);
            narrative_words += a.doc.prose[s.body_span.start..end]
                .split_whitespace()
                .count();
        }
        for d in &a.diagnostics {
            if a.scope.is_narrative(a.doc.section_at(d.span.start)) {
                narrative_findings.push(format!(
                    "{rel}:{} {} {}",
                    a.doc.line_of(d.span.start) + 1,
                    d.rule,
                    d.message
                ));
            }
        }
    }
    eprintln!(
        "findings per 1,000 words over the corpus ({all_words} words, {} files):",
        files.len()
    );
    for rule in rules::registry() {
        let id = rule.meta().id;
        let n = per_rule.get(id).copied().unwrap_or(0);
        eprintln!(
            "  {id:30} {n:4}  {:.3}",
            n as f64 * 1000.0 / all_words as f64
        );
    }
    let rate = narrative_findings.len() as f64 * 1000.0 / narrative_words.max(1) as f64;
    eprintln!(
        "narrative sections of keps/ and rfcs/: {} findings in {narrative_words} words ({rate:.3} per 1,000)",
        narrative_findings.len()
    );
    for f in &narrative_findings {
        eprintln!("  narrative: {f}");
    }
    assert!(
        narrative_words > 10_000,
        "the corpus should have plenty of narrative prose, found {narrative_words} words"
    );
    assert!(
        rate <= 1.0,
        "too many findings in narrative sections:\n{}",
        narrative_findings.join("\n")
    );
}

/// MADR's own decision records are a well-kept set: every one is recognised as a MADR record,
/// and none raises a structural ADR finding above a hint (MADR makes status and date optional;
/// `on hold` is outside the default lifecycle, which is only a hint).
#[test]
fn madr_decisions_raise_no_structural_error() {
    let Some(root) = corpus() else { return };
    let dir = root.join("madr").canonicalize().unwrap();
    let mut files = Vec::new();
    markdown(&dir, &mut files);
    let config = Config::default();
    let mut index = WorkspaceIndex::default();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            (
                p.to_string_lossy().to_string(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    for (location, text) in &texts {
        let a = analyze(AnalysisInput {
            text,
            path: None,
            location: Some(location),
            config: &config,
            index: &WorkspaceIndex::default(),
            today: None,
        });
        index.insert(
            location.clone(),
            specwright_core::index::DocumentFacts::of(&a.doc, a.classification, location),
        );
    }
    let mut records = 0;
    let mut problems = Vec::new();
    for (location, text) in &texts {
        let a = analyze(AnalysisInput {
            text,
            path: None,
            location: Some(location),
            config: &config,
            index: &index,
            today: Some(Date {
                year: 2026,
                month: 11,
                day: 28,
            }),
        });
        let name = location.rsplit('/').next().unwrap();
        if name.starts_with("00") {
            assert_eq!(
                a.classification.family,
                specwright_core::Family::Madr,
                "{name} is not read as MADR"
            );
            records += 1;
        }
        for d in &a.diagnostics {
            let adr_rule = d.rule.starts_with("adr-") || d.rule == "cites-inactive-adr";
            if adr_rule && d.severity > specwright_core::Severity::Hint {
                problems.push(format!("{name}: {} {}", d.rule, d.message));
            }
        }
    }
    assert_eq!(records, 19);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
