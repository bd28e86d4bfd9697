//! The `specwright` command line, run as a user runs it: output snapshots per format, exit
//! codes, SARIF validity, and the shared corpus.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn specwright(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args(args)
        .current_dir(root())
        .env("SPECWRIGHT_TODAY", "2026-01-15")
        .env("NO_COLOR", "1")
        .output()
        .expect("run specwright")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn check_examples_human() {
    let o = specwright(&["check", "examples", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1), "findings at warning level exit 1");
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn check_examples_json() {
    let o = specwright(&["check", "examples", "--format", "json"]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn check_examples_github() {
    let o = specwright(&["check", "examples", "--format", "github"]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn check_examples_sarif() {
    let o = specwright(&["check", "examples", "--format", "sarif"]);
    let out = stdout(&o);
    insta::assert_snapshot!(out);
    validate_sarif(&out);
}

fn sarif_schema() -> Option<Value> {
    let path = root().join("../shared/schemas/sarif-schema-2.1.0.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).unwrap()),
        Err(_) => {
            eprintln!(
                "SKIPPED: SARIF schema validation needs ../shared/schemas/ (not in this checkout)"
            );
            None
        }
    }
}

fn validate_sarif(out: &str) {
    let Some(schema) = sarif_schema() else { return };
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let instance: Value = serde_json::from_str(out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is invalid:\n{}",
        errors.join("\n")
    );
}

#[test]
fn every_rule_fires_on_the_examples() {
    let o = specwright(&["check", "examples", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let fired: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    let rules: Value =
        serde_json::from_str(&stdout(&specwright(&["rules", "--format", "json"]))).unwrap();
    for rule in rules.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        assert!(
            fired.contains(&id),
            "no example shows rule `{id}`; add one to examples/"
        );
    }
}

#[test]
fn exit_codes() {
    assert_eq!(
        specwright(&["check", "examples/spec-kit/docs/adr", "--fail-on", "error"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        specwright(&[
            "check",
            "examples/spec-kit/docs/adr/0001-record-architecture-decisions.md"
        ])
        .status
        .code(),
        Some(0)
    );
    let missing = specwright(&["check", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such file or directory"));
    assert_eq!(
        specwright(&["check", "--format", "yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(
        specwright(&["explain", "no-such-rule"]).status.code(),
        Some(2)
    );
}

#[test]
fn check_validates_a_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("specwright.toml");
    std::fs::write(
        &path,
        "[rules]\nincomplete-marker = \"loud\"\nunknown-rule = \"off\"\n",
    )
    .unwrap();
    let o = specwright(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let lines: Vec<(u64, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["start"]["line"].as_u64().unwrap(),
                f["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, vec![(2, "error"), (3, "warning")]);
}

#[test]
fn a_config_in_play_is_checked_too_and_its_valid_part_applies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("specwright.toml"),
        "[rules]\nincomplete-marker = \"off\"\ntemplate-placeholder = \"warning\"\nbogus = 1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "Keep drafts for TBD days, created [DATE].\n",
    )
    .unwrap();
    let o = specwright(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["template-placeholder", "config"]);
}

#[test]
fn init_writes_a_valid_config_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".kiro/specs/x")).unwrap();
    let d = dir.path().to_str().unwrap();
    assert_eq!(specwright(&["init", d]).status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("specwright.toml")).unwrap();
    assert!(text.contains("Detected conventions: kiro."), "{text}");
    assert_eq!(
        specwright(&["init", d]).status.code(),
        Some(2),
        "never overwrites without --force"
    );
    let check = specwright(&[
        "check",
        dir.path().join("specwright.toml").to_str().unwrap(),
    ]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn explain_prints_the_registry_doc() {
    let o = specwright(&["explain", "incomplete-marker"]);
    assert_eq!(o.status.code(), Some(0));
    let page = std::fs::read_to_string(root().join("docs/rules/incomplete-marker.md")).unwrap();
    assert_eq!(stdout(&o), page);
}

#[test]
fn the_shared_corpus_checks_cleanly_and_yields_valid_sarif() {
    let corpus = root().join("../shared/fixtures/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "SKIPPED: the shared corpus test needs ../shared/fixtures/corpus (not in this checkout)"
        );
        return;
    }
    let started = Instant::now();
    let o = specwright(&["check", corpus.to_str().unwrap(), "--format", "sarif"]);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        o.status.code()
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("failed"),
        "{stderr}"
    );
    let out = stdout(&o);
    validate_sarif(&out);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap().len();
    let words: usize = walk(&corpus)
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .unwrap_or_default()
                .split_whitespace()
                .count()
        })
        .sum();
    let per_kilo = results as f64 * 1000.0 / words as f64;
    eprintln!(
        "corpus: {results} results in {words} words ({per_kilo:.2} per 1,000) in {elapsed:?} (debug build)"
    );
    // Precision: the corpus is finished, reviewed documents; a flood of findings means a rule misfires.
    assert!(
        per_kilo < 1.0,
        "{results} findings in {words} words of the shared corpus"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
    out
}

#[test]
fn sarif_validation_rejects_an_invalid_log() {
    let Some(schema) = sarif_schema() else { return };
    let validator = jsonschema::validator_for(&schema).unwrap();
    let bad: Value = serde_json::from_str(r#"{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"message":{"text":"x"},"level":"loud"}]}]}"#).unwrap();
    assert!(
        !validator.is_valid(&bad),
        "the validator must catch a bad level and a driver without a name"
    );
}

fn specwright_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args(args)
        .current_dir(dir)
        .env("SPECWRIGHT_TODAY", "2026-01-15")
        .env("NO_COLOR", "1")
        .output()
        .expect("run specwright")
}

/// `specwright adr new|supersede|status|index|list` in an empty repository: the files they
/// write, byte for byte, and a clean `check` afterwards apart from the unfilled template.
#[test]
fn adr_commands_maintain_a_folder_of_records() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let o = specwright_in(dir.path(), args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        stdout(&o)
    };
    let adr = dir.path().join("docs/adr");
    let out = run(&[
        "adr",
        "new",
        "--template",
        "nygard",
        "Use",
        "PostgreSQL",
        "for",
        "orders",
    ]);
    assert!(out.contains("created ") && out.contains("0001-use-postgresql-for-orders.md"));
    // The folder's format carries over to the next record.
    run(&["adr", "new", "Keep sessions in Redis"]);
    run(&["adr", "status", "2", "accepted"]);
    let out = run(&["adr", "supersede", "1", "Use PostgreSQL 17 for orders"]);
    assert!(
        out.contains("0003-use-postgresql-17-for-orders.md"),
        "{out}"
    );
    run(&["adr", "index"]);
    let read = |name: &str| std::fs::read_to_string(adr.join(name)).unwrap();
    insta::assert_snapshot!(
        "adr_folder",
        [
            "0001-use-postgresql-for-orders.md",
            "0002-keep-sessions-in-redis.md",
            "0003-use-postgresql-17-for-orders.md",
            "README.md",
        ]
        .iter()
        .map(|n| format!("==> {n} <==\n{}", read(n)))
        .collect::<Vec<_>>()
        .join("\n")
    );
    // Re-running the index changes nothing.
    assert_eq!(run(&["adr", "index"]).trim(), "up to date");
    let list = run(&["adr", "list", "--format", "json"]);
    let list: Value = serde_json::from_str(&list).unwrap();
    let statuses: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "Superseded by 3. Use PostgreSQL 17 for orders",
            "Accepted",
            "Accepted"
        ]
    );
    // The records only lack their content: no structural ADR finding.
    let o = specwright_in(dir.path(), &["check", "docs/adr", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .filter(|r| *r != "template-placeholder")
        .collect();
    assert!(rules.is_empty(), "{rules:?}");
    // Errors are reported, and nothing is written.
    let bad = specwright_in(dir.path(), &["adr", "status", "2", "finished"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not in the lifecycle"));
    let missing = specwright_in(dir.path(), &["adr", "supersede", "9"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no ADR numbered 9"));
}

/// `specwright tasks`: a diff without `--write`, the file with it, and nothing on a re-run.
#[test]
fn tasks_command_prints_a_diff_then_writes_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("specs/001-export");
    std::fs::create_dir_all(&folder).unwrap();
    for name in ["spec.md", "plan.md"] {
        std::fs::copy(
            root().join("tests/fixtures/decompose/spec-kit").join(name),
            folder.join(name),
        )
        .unwrap();
    }
    let spec = folder.join("spec.md");
    let spec = spec.to_str().unwrap();
    let dry = specwright_in(dir.path(), &["tasks", spec]);
    assert_eq!(
        dry.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let diff = stdout(&dry);
    assert!(diff.starts_with("--- /dev/null\n+++ b/"), "{diff}");
    assert!(diff.contains("+- [ ] T005 Ensure the settings page lets a writer choose the default paper size (FR-004)"), "{diff}");
    assert!(
        String::from_utf8_lossy(&dry.stderr).contains("5 new, 0 updated, 0 unchanged (dry run")
    );
    assert!(
        !folder.join("tasks.md").exists(),
        "a dry run writes nothing"
    );

    let write = specwright_in(dir.path(), &["tasks", spec, "--write"]);
    assert_eq!(write.status.code(), Some(0));
    let written = std::fs::read_to_string(folder.join("tasks.md")).unwrap();
    let expected: String = diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .map(|l| format!("{}\n", &l[1..]))
        .collect();
    assert_eq!(written, expected);

    let again = specwright_in(dir.path(), &["tasks", spec]);
    assert_eq!(stdout(&again), "");
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 new, 0 updated, 5 unchanged"));

    let section = specwright_in(dir.path(), &["tasks", spec, "--section", "No such section"]);
    assert_eq!(section.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&section.stderr).contains("no section \"No such section\""));
}

/// An OpenSpec change decomposes into its own tasks.md, one delta spec after another, and a
/// task another delta spec generated is not reported gone.
#[test]
fn openspec_deltas_share_their_change_tasks_file() {
    let dir = tempfile::tempdir().unwrap();
    let change = dir.path().join("openspec/changes/add-sso");
    for (cap, name) in [("auth", "SSO login"), ("audit", "Login audit trail")] {
        let d = change.join("specs").join(cap);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("spec.md"),
            format!("# Delta\n\n## ADDED Requirements\n\n### Requirement: {name}\nThe system SHALL do it.\n\n#### Scenario: ok\n- **WHEN** it runs\n- **THEN** it works\n"),
        )
        .unwrap();
    }
    let auth = change.join("specs/auth/spec.md");
    let audit = change.join("specs/audit/spec.md");
    for spec in [&auth, &audit] {
        let out = specwright_in(dir.path(), &["tasks", spec.to_str().unwrap(), "--write"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let tasks = std::fs::read_to_string(change.join("tasks.md")).unwrap();
    assert!(tasks.contains("Implement SSO login"), "{tasks}");
    assert!(tasks.contains("Implement login audit trail"), "{tasks}");
    let again = specwright_in(dir.path(), &["tasks", auth.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("0 new, 0 updated, 1 unchanged"), "{said}");
    assert!(!said.contains("gone"), "{said}");
}

/// A conflicting value names both places: the finding's own, and the statement it contradicts
/// in the other document (path and line), so a terminal user can open both.
#[test]
fn a_conflict_across_documents_prints_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("specs/050-search");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("spec.md"),
        "# Feature Specification: Search\n\n## Requirements\n\n- **FR-001**: Search MUST use a debounce of 300 ms.\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("plan.md"),
        "# Implementation Plan: Search\n\n## Settings\n\n| Setting | Value |\n|---|---|\n| Debounce | 100 ms |\n",
    )
    .unwrap();
    let out = stdout(&specwright_in(dir.path(), &["check", "specs"]));
    assert!(
        out.contains("--> specs/050-search/plan.md:7:14")
            && out.contains("= note: the debounce is 300 ms here: specs/050-search/spec.md:5"),
        "{out}"
    );
}

/// A finding on a very long line shows the part of the line around it, not the whole line:
/// the renderer reads all it is given, so a paragraph of 200 KB with a finding every few words
/// used to print (and measure) the paragraph once per finding.
#[test]
fn findings_on_a_long_line_show_an_excerpt_of_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("specwright.toml"), "rule-set = \"all\"\n").unwrap();
    let words = [
        "the system must",
        "store drafts",
        "and it shall",
        "sync them quickly",
    ];
    let paragraph: Vec<&str> = (0..3_000).map(|i| words[i % words.len()]).collect();
    std::fs::write(
        dir.path().join("spec.md"),
        format!(
            "# Feature Specification: X\n\n## Requirements\n\n{}\n",
            paragraph.join(" ")
        ),
    )
    .unwrap();
    let out = stdout(&specwright_in(dir.path(), &["check", "spec.md"]));
    let excerpts: Vec<&str> = out.lines().filter(|l| l.starts_with("5 | ")).collect();
    assert!(excerpts.len() > 10, "{}", &out[..out.len().min(2000)]);
    let longest = out.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 1_000, "a line of {longest} bytes was printed");
}
