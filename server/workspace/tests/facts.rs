//! The index reads documents in outline (no sentences, no statements) to be fast; its facts
//! must be exactly those of a full parse, for every document of the examples and the shared
//! corpus.

use specwright_core::index::DocumentFacts;
use specwright_core::kind::classify;
use specwright_core::syntax::{ParseOptions, SpecDoc};
use specwright_workspace::{config_for, location_of, walk_markdown};
use std::path::Path;

fn check_folder(dir: &Path) -> usize {
    let mut n = 0;
    for path in walk_markdown(dir) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let loaded = config_for(&path).expect("config");
        let config = loaded.resolve(&Default::default());
        let fast = loaded.facts(&config, &path, &text);
        let doc = SpecDoc::parse(
            &text,
            ParseOptions {
                id_patterns: config.id_patterns(),
            },
        );
        let class = classify(loaded.relative(&path).as_deref(), &doc, &config);
        let full = DocumentFacts::of(&doc, class, &location_of(&path));
        assert_eq!(fast, full, "{}", path.display());
        n += 1;
    }
    n
}

#[test]
fn outline_facts_equal_full_parse_facts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let examples = check_folder(&root.join("examples"));
    assert!(examples > 10, "{examples} example documents");
    let corpus = root.join("../shared/fixtures/corpus");
    if corpus.is_dir() {
        let n = check_folder(&corpus);
        assert!(n > 200, "{n} corpus documents");
    } else {
        eprintln!("skipped the shared corpus: ../shared/fixtures/corpus is not beside this clone");
    }
}
