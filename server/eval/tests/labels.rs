//! Labels stay true to the documents they judge: every precision and recall label must still
//! match its document's text (path, line text, flagged text). A label that matches nothing is
//! stale and misleads every figure computed from it.

use specwright_eval::*;

/// The wild set, or `None` (said on stderr) on a clone without `../shared/`.
fn wild_or_skip() -> Option<std::path::PathBuf> {
    let wild = default_wild();
    if wild.is_dir() {
        return Some(wild);
    }
    eprintln!(
        "skipped: the wild set ({}) is not next to this clone; the labels judge documents in ../shared/fixtures/wild",
        wild.display()
    );
    None
}

#[test]
fn no_label_is_stale() {
    let Some(wild) = wild_or_skip() else {
        return;
    };
    let root = root();
    let labels: Vec<Label> = read_jsonl(&root.join("eval/labels/precision.jsonl")).expect("labels");
    let recall: Vec<RecallLabel> =
        read_jsonl(&root.join("eval/labels/recall.jsonl")).expect("labels");
    assert!(labels.len() >= 600, "{} precision labels", labels.len());
    assert!(recall.len() >= 200, "{} recall labels", recall.len());
    let stale = stale(&labels, &recall, &wild);
    assert!(stale.is_empty(), "stale labels:\n{}", stale.join("\n"));
}

#[test]
fn every_repository_is_in_exactly_one_half() {
    let Some(wild) = wild_or_skip() else {
        return;
    };
    let split = Split::read(&root().join("eval/split.json")).expect("split");
    for kind in std::fs::read_dir(&wild).expect("wild").flatten() {
        if !kind.path().is_dir() {
            continue;
        }
        for repo in std::fs::read_dir(kind.path()).expect("kind").flatten() {
            let name = format!(
                "{}/{}",
                kind.file_name().to_string_lossy(),
                repo.file_name().to_string_lossy()
            );
            let n =
                usize::from(split.tuning.contains(&name)) + usize::from(split.test.contains(&name));
            assert_eq!(n, 1, "{name} is in {n} halves");
        }
    }
}

#[test]
fn a_label_whose_line_changed_is_stale() {
    let dir = std::env::temp_dir().join(format!("sw-eval-stale-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("kiro/a__b")).expect("dir");
    std::fs::write(
        dir.join("kiro/a__b/spec.md"),
        "# T\n\nThe system SHALL be fast.\n",
    )
    .expect("write");
    let label = |line: &str| Label {
        path: "kiro/a__b/spec.md".into(),
        rule: "vague-term".into(),
        flagged: "fast".into(),
        line_text: line.into(),
        verdict: true,
        reason: String::new(),
        judge: String::new(),
        severity: "warning".into(),
    };
    assert!(stale(&[label("The system SHALL be fast.")], &[], &dir).is_empty());
    assert_eq!(
        stale(&[label("The system SHALL be quick.")], &[], &dir).len(),
        1
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn wilson_interval_brackets_the_estimate() {
    let (lo, hi) = wilson(26, 30);
    assert!(lo < 26.0 / 30.0 && 26.0 / 30.0 < hi);
    assert!(
        (lo - 0.703).abs() < 0.01 && (hi - 0.947).abs() < 0.01,
        "{lo} {hi}"
    );
}
