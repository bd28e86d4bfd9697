//! Analysis speed on specifications of 1 KB, 30 KB, 1 MB and 5 MB built from real documents
//! (the shared corpus when it is beside the checkout, else this repository's examples):
//! a raw pulldown-cmark pass over the text (the baseline the whole analysis is compared
//! with), our parse, each rule family, the whole analysis, each rule alone (30 KB), and an
//! edit re-analysed by part (`incremental`, 1 MB and 5 MB).
//! Run: `cargo bench -p specwright-core --bench analysis` (a size: `-- /5MB`).

// A test reads fixtures and may time itself; core's own code may not (server/core/clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use specwright_core::incremental::Parts;
use specwright_core::index::WorkspaceIndex;
use specwright_core::kind::classify;
use specwright_core::rules::{self, Context, Date};
use specwright_core::scope::Scope;
use specwright_core::syntax::{ParseOptions, SpecDoc};
use specwright_core::{AnalysisInput, Config, analyze};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn sources() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/fixtures/corpus/spec-kit-projects");
    let dir = if shared.is_dir() {
        shared
    } else {
        root.join("examples")
    };
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    files
        .iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n == "spec.md" || n == "requirements.md")
        })
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

/// Real specs concatenated (cycling when needed) to about `size` bytes.
fn spec_of_size(sources: &[String], size: usize) -> String {
    let mut text = String::with_capacity(size + 4096);
    for s in sources.iter().cycle() {
        if text.len() >= size {
            break;
        }
        text.push_str(s);
        text.push('\n');
    }
    let cut = text.floor_char_boundary(size);
    text.truncate(cut);
    text
}

fn bench(c: &mut Criterion) {
    let sources = sources();
    let config = Config::default();
    let index = WorkspaceIndex::default();
    let today = Some(Date {
        year: 2026,
        month: 1,
        day: 15,
    });
    let path = Some("specs/001-bench/spec.md");
    for (label, size) in [
        ("1KB", 1_000),
        ("30KB", 30_000),
        ("1MB", 1_000_000),
        ("5MB", 5_000_000),
    ] {
        let text = spec_of_size(&sources, size);
        let mut group = c.benchmark_group("analysis");
        group.throughput(Throughput::Bytes(text.len() as u64));
        if size > 100_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("pulldown-cmark", label), &text, |b, t| {
            b.iter(|| {
                pulldown_cmark::Parser::new_ext(black_box(t), pulldown_cmark::Options::all())
                    .into_offset_iter()
                    .count()
            })
        });
        group.bench_with_input(BenchmarkId::new("parse", label), &text, |b, t| {
            b.iter(|| SpecDoc::parse(black_box(t), ParseOptions::default()))
        });
        group.bench_with_input(BenchmarkId::new("whole", label), &text, |b, t| {
            b.iter(|| {
                analyze(AnalysisInput {
                    text: black_box(t),
                    path,
                    location: None,
                    config: &config,
                    index: &index,
                    today,
                })
            })
        });
        let doc = SpecDoc::parse(&text, ParseOptions::default());
        let class = classify(path, &doc, &config);
        let scope = Scope::compute(&doc, class.kind, &config);
        let facts = specwright_core::index::DocumentFacts::of(&doc, class, "");
        let ctx = Context {
            config: &config,
            scope: &scope,
            facts: &facts,
            index: &index,
            today,
            path,
            location: None,
            kind: class.kind,
            family: class.family,
        };
        for family in ["requirements", "boundaries", "adr"] {
            let rules: Vec<_> = rules::registry()
                .iter()
                .filter(|r| family_of(r.meta().id) == family)
                .collect();
            group.bench_function(BenchmarkId::new(format!("rules-{family}"), label), |b| {
                b.iter(|| {
                    rules
                        .iter()
                        .map(|r| r.check(black_box(&doc), &ctx).len())
                        .sum::<usize>()
                })
            });
        }
        if size >= 1_000_000 {
            let whole = analyze(AnalysisInput {
                text: &text,
                path,
                location: None,
                config: &config,
                index: &index,
                today,
            });
            if let Some(parts) = Parts::split(&text, &whole) {
                // One character typed at the start of a line in the middle of the document.
                let at = text[..text.len() / 2].rfind('\n').map_or(0, |i| i + 1);
                let mut edited = text.clone();
                edited.insert(at, 'x');
                group.bench_function(BenchmarkId::new("incremental", label), |b| {
                    b.iter_batched(
                        || parts.clone(),
                        |mut p| {
                            p.update(
                                black_box(&edited),
                                &AnalysisInput {
                                    text: &edited,
                                    path,
                                    location: None,
                                    config: &config,
                                    index: &index,
                                    today,
                                },
                            )
                        },
                        criterion::BatchSize::LargeInput,
                    )
                });
            }
        }
        group.finish();
        if size == 30_000 {
            let doc = SpecDoc::parse(&text, ParseOptions::default());
            let class = classify(path, &doc, &config);
            let scope = Scope::compute(&doc, class.kind, &config);
            let facts = specwright_core::index::DocumentFacts::of(&doc, class, "");
            let ctx = Context {
                config: &config,
                scope: &scope,
                facts: &facts,
                index: &index,
                today,
                path,
                location: None,
                kind: class.kind,
                family: class.family,
            };
            let mut group = c.benchmark_group("rule-30KB");
            for rule in rules::registry() {
                group.bench_function(rule.meta().id, |b| {
                    b.iter(|| rule.check(black_box(&doc), &ctx))
                });
            }
            group.finish();
        }
    }
}

/// The family a rule belongs to, by where its file lives.
fn family_of(id: &str) -> &'static str {
    if id.starts_with("adr-") || id == "cites-inactive-adr" {
        "adr"
    } else if [
        "dangling-reference",
        "duplicate-id",
        "empty-section",
        "id-sequence",
        "missing-failure-behaviour",
        "missing-scope-boundary",
        "missing-section",
        "orphan-task",
        "requirement-without-scenario",
        "story-without-acceptance",
        "task-boundary",
        "uncovered-requirement",
        "unmeasurable-success-criterion",
    ]
    .contains(&id)
    {
        "boundaries"
    } else {
        "requirements"
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
