//! Position conversion, byte offset ↔ LSP position, in UTF-16 (what most clients speak) and
//! UTF-8, over documents of 30 KB, 1 MB and 5 MB mixing ASCII, accents, CJK and emoji: every
//! diagnostic the server publishes goes through `range`, every edit through `char_index`.
//! Run: `cargo bench -p specwright-lsp --bench convert`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ropey::Rope;
use specwright_core::Span;
use specwright_lsp::convert::{self, Encoding};
use std::hint::black_box;

/// Requirement-like lines, one in four with multi-byte characters.
fn text_of_size(size: usize) -> String {
    let lines = [
        "- **FR-001**: The editor MUST keep every change within 1 second.\n",
        "- **FR-002**: Le système MUST garder les brouillons — même hors ligne.\n",
        "Plain prose about the feature, long enough to wrap in most editors, and then some.\n",
        "- **FR-003**: 系统 MUST keep 😀 drafts for 30 days.\n",
    ];
    let mut out = String::with_capacity(size + 128);
    for line in lines.iter().cycle() {
        if out.len() >= size {
            break;
        }
        out.push_str(line);
    }
    out
}

fn bench(c: &mut Criterion) {
    for (label, size) in [("30KB", 30_000), ("1MB", 1_000_000), ("5MB", 5_000_000)] {
        let text = text_of_size(size);
        let rope = Rope::from_str(&text);
        // 1,000 spans spread over the document, on character boundaries.
        let spans: Vec<Span> = (0..1000)
            .map(|i| {
                let start = text.floor_char_boundary(text.len() * i / 1000);
                Span::new(
                    start,
                    text.floor_char_boundary((start + 12).min(text.len())),
                )
            })
            .collect();
        let mut group = c.benchmark_group("convert");
        group.throughput(Throughput::Elements(spans.len() as u64));
        for (name, enc) in [("utf-16", Encoding::Utf16), ("utf-8", Encoding::Utf8)] {
            group.bench_function(BenchmarkId::new(format!("range-{name}"), label), |b| {
                b.iter(|| {
                    spans
                        .iter()
                        .map(|s| convert::range(&rope, black_box(*s), enc).end.character)
                        .sum::<u32>()
                })
            });
            let positions: Vec<_> = spans
                .iter()
                .map(|s| convert::position(&rope, s.start, enc))
                .collect();
            group.bench_function(BenchmarkId::new(format!("char-index-{name}"), label), |b| {
                b.iter(|| {
                    positions
                        .iter()
                        .map(|p| convert::char_index(&rope, black_box(*p), enc))
                        .sum::<usize>()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
