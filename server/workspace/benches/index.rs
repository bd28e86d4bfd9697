//! Indexing speed: walking a folder and computing the workspace-index facts of every Markdown
//! file, as the server does at start-up and `specwright check` does for the folders it needs.
//! Measured on this repository's `examples/` and, when it is beside the checkout, the shared
//! corpus (285 files). Run: `cargo bench -p specwright-workspace --bench index`.

use criterion::{Criterion, criterion_group, criterion_main};
use specwright_core::index::WorkspaceIndex;
use specwright_workspace::{config_for, location_of, walk_markdown};
use std::path::{Path, PathBuf};

fn index_folder(root: &Path) -> WorkspaceIndex {
    let mut index = WorkspaceIndex::default();
    for file in walk_markdown(root) {
        let Ok(loaded) = config_for(&file) else {
            continue;
        };
        let config = loaded.resolve(&Default::default());
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        index.insert(location_of(&file), loaded.facts(&config, &file, &text));
    }
    index
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut folders: Vec<(&str, PathBuf)> = vec![("examples", root.join("examples"))];
    let corpus = root.join("../shared/fixtures/corpus");
    if corpus.is_dir() {
        folders.push(("shared-corpus", corpus));
    } else {
        eprintln!("SKIPPED: the shared-corpus index bench needs ../shared/fixtures/corpus");
    }
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    for (name, dir) in folders {
        let files = index_folder(&dir).len();
        eprintln!("{name}: {files} documents indexed");
        group.bench_function(name, |b| b.iter(|| index_folder(&dir)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
