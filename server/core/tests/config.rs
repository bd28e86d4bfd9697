//! Reading `specwright.toml`: every bad key or value is reported where it stands, and the
//! valid rest still applies.

use specwright_core::config::{self, Config, ConfigFile};
use specwright_core::kind::{DocKind, Family, classify};
use specwright_core::rules;
use specwright_core::syntax::{ParseOptions, SpecDoc};
use specwright_core::{ConfigDiagnostic, Severity};

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn render(text: &str, diags: &[ConfigDiagnostic]) -> String {
    diags
        .iter()
        .map(|d| match d.span {
            Some(s) => {
                let (l, c) = line_col(text, s.start);
                format!(
                    "{l}:{c} {} {} [{}]",
                    d.severity,
                    d.message,
                    &text[s.range()]
                )
            }
            None => format!("-:- {} {}", d.severity, d.message),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const BROKEN: &str = r#"include = ["specs/**", "docs/[a-"]
exlude = ["x/**"]
docs-url = 42

[rules]
incomplete-marker = "error"
template-placeholder = "loud"
incomplete-markers = "off"

[ids]
patterns = ['FR-\d{3}', 'SC-(\d']

[kinds]
"docs/proposals/**" = { kind = "spec", family = "generic" }
"rfcs/**" = { kind = "essay" }
"#;

#[test]
fn reports_each_bad_entry_and_keeps_the_rest() {
    let (file, diags) = config::parse_toml(BROKEN, &rules::ids());
    insta::assert_snapshot!(render(BROKEN, &diags));
    assert_eq!(file.include.as_deref(), Some(&["specs/**".to_string()][..]));
    let config = Config::new(file);
    assert_eq!(
        config.severity("incomplete-marker", Severity::Warning),
        Severity::Error
    );
    assert_eq!(
        config.severity("template-placeholder", Severity::Warning),
        Severity::Warning
    );
    assert_eq!(config.id_patterns().sources(), ["FR-\\d{3}"]);
    assert!(config.kind_override("docs/proposals/a/b.md").is_some());
}

#[test]
fn a_syntax_error_is_a_diagnostic_not_a_failure() {
    let text = "[rules]\nincomplete-marker = \"error\"\n[ids\npatterns = 3\n";
    let (_, diags) = config::parse_toml(text, &rules::ids());
    assert!(!diags.is_empty());
    assert!(
        diags
            .iter()
            .any(|d| d.severity == Severity::Error && d.message.starts_with("invalid TOML")),
        "{diags:?}"
    );
}

#[test]
fn editor_settings_fill_only_what_the_file_leaves_unset() {
    let (file, d1) = config::parse_toml("[rules]\nincomplete-marker = \"error\"\n", &rules::ids());
    let settings = serde_json::json!({
        "rules": { "incomplete-marker": "off", "template-placeholder": "hint" },
        "docs-url": "https://docs.example/rules"
    });
    let (editor, d2) = config::parse_json(&settings, &rules::ids());
    assert!(d1.is_empty() && d2.is_empty());
    let config = Config::new(file.layered_over(&editor));
    assert_eq!(
        config.severity("incomplete-marker", Severity::Warning),
        Severity::Error
    );
    assert_eq!(
        config.severity("template-placeholder", Severity::Warning),
        Severity::Hint
    );
    assert_eq!(config.docs_url(), Some("https://docs.example/rules"));
}

#[test]
fn the_init_template_is_a_valid_configuration() {
    let text = config::template(&[Family::SpecKit, Family::Kiro]);
    let (file, diags) = config::parse_toml(&text, &rules::ids());
    assert!(diags.is_empty(), "{diags:?}");
    assert_ne!(file, ConfigFile::default());
}

#[test]
fn schema_lists_exactly_the_keys_the_reader_knows() {
    let schema = config::json_schema();
    let mut props: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    props.sort();
    let mut keys = config::KEYS.to_vec();
    keys.sort();
    assert_eq!(props, keys);
}

fn kind_of(path: &str, text: &str) -> (DocKind, Family) {
    let doc = SpecDoc::parse(text, ParseOptions::default());
    let c = classify(Some(path), &doc, &Config::default());
    (c.kind, c.family)
}

#[test]
fn classifies_by_front_matter_path_and_headings() {
    use DocKind::*;
    use Family::{KepRfc, Kiro, Madr, Nygard, OpenSpec, SpecKit};
    let nygard = "# 1. Record decisions\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n";
    let madr = "# Use X\n\n## Context and Problem Statement\n\nx\n\n## Considered Options\n\n* a\n\n## Decision Outcome\n\nb\n";
    let rfc = "# Summary\n\nx\n\n# Motivation\n\ny\n\n# Guide-level explanation\n\nz\n\n# Drawbacks\n\nw\n";
    let cases = [
        (
            kind_of("specs/001-drafts/spec.md", "# x\n"),
            (Spec, SpecKit),
        ),
        (
            kind_of("specs/001-drafts/plan.md", "# x\n"),
            (Plan, SpecKit),
        ),
        (
            kind_of("specs/001-drafts/tasks.md", "# x\n"),
            (Tasks, SpecKit),
        ),
        (
            kind_of(".kiro/specs/login/requirements.md", "# x\n"),
            (Requirements, Kiro),
        ),
        (
            kind_of(".kiro/specs/login/design.md", "# x\n"),
            (Design, Kiro),
        ),
        (
            kind_of("openspec/specs/auth/spec.md", "# x\n"),
            (Spec, OpenSpec),
        ),
        (
            kind_of("openspec/changes/add-sso/proposal.md", "# x\n"),
            (Proposal, OpenSpec),
        ),
        (kind_of("docs/adr/0001-record.md", nygard), (Adr, Nygard)),
        (kind_of("docs/decisions/0002-use-x.md", madr), (Adr, Madr)),
        (
            kind_of("docs/adr/README.md", "# ADRs\n"),
            (Generic, Family::Generic),
        ),
        // Numbered files outside ADR folders are ADRs only when their headings say so.
        (
            kind_of("text/0001-private-fields.md", rfc),
            (Proposal, KepRfc),
        ),
        (kind_of("notes/0003-use-x.md", madr), (Adr, Madr)),
        (
            kind_of("notes/0004-whatever.md", "# Whatever\n\nprose\n"),
            (Generic, Family::Generic),
        ),
        (
            kind_of("anything.md", "---\nkind: plan\nfamily: kiro\n---\n# x\n"),
            (Plan, Kiro),
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
}

#[test]
fn adr_settings_are_read_and_checked() {
    let text = "[adr]\ndirs = [\"docs/adr/\"]\ntemplate = \"nygard\"\nlifecycle = [\"Draft\", \"accepted\"]\n";
    let (file, diags) = config::parse_toml(text, &rules::ids());
    assert!(diags.is_empty(), "{diags:?}");
    let config = Config::new(file);
    assert_eq!(config.adr_dirs(), Some(vec!["docs/adr".to_string()]));
    assert_eq!(
        config.adr_template(),
        Some(specwright_core::config::AdrTemplate::Nygard)
    );
    assert_eq!(
        config.adr_lifecycle(),
        Some(vec!["draft".to_string(), "accepted".to_string()])
    );
    let bad = "[adr]\ntemplate = \"y-statement\"\nlifecycle = []\ndir = [\"x\"]\n";
    let (file, diags) = config::parse_toml(bad, &rules::ids());
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`adr.template` must be \"madr\" or \"nygard\"",
            "`adr.lifecycle` is empty; the default lifecycle stays in use",
            "unknown key `dir` in `adr` (did you mean `dirs`?); known: dirs, template, lifecycle",
        ]
    );
    assert!(diags.iter().all(|d| d.span.is_some()));
    assert_eq!(Config::new(file).adr_lifecycle(), None);
}

const DISPATCH: &str = r#"[dispatch]
jobs = 0
timeout = "soon"
worktree-root = "../wt"
permision = "allow"

[agents.claude]
kind = "claude"
args = ["--permission-mode", "acceptEdits"]
max-turns = 20

[agents.fake]
kind = "command"

[agents.odd]
kind = "robot"
argv = ["x"]

[agents.acp]
kind = "acp"
argv = ["gemini", "--experimental-acp"]
env = { GEMINI_API_KEY = "k" }
modle = "x"
"#;

#[test]
fn dispatch_and_agents_are_read_with_a_diagnostic_per_bad_entry() {
    let (file, diags) = config::parse_toml(DISPATCH, &rules::ids());
    insta::assert_snapshot!(render(DISPATCH, &diags));
    let d = file.dispatch.expect("dispatch");
    assert_eq!((d.jobs, d.timeout), (None, None), "bad values are dropped");
    assert_eq!(d.worktree_root.as_deref(), Some("../wt"));
    let agents = file.agents.expect("agents");
    assert_eq!(
        agents.keys().collect::<Vec<_>>(),
        ["acp", "claude"],
        "agents without a kind or an argv are left out"
    );
    assert_eq!(agents["claude"].max_turns, Some(20));
    assert_eq!(
        agents["acp"]
            .env
            .as_ref()
            .and_then(|e| e.get("GEMINI_API_KEY"))
            .map(String::as_str),
        Some("k")
    );
}

#[test]
fn rule_set_all_turns_every_rule_on_at_its_intended_severity_and_rules_still_win() {
    let vague = rules::registry()
        .iter()
        .map(|r| r.meta())
        .find(|m| m.id == "vague-term")
        .expect("vague-term is registered");
    let (earned, diags) = config::parse_toml("", &rules::ids());
    assert!(diags.is_empty());
    assert_eq!(
        Config::new(earned).rule_severity(vague),
        vague.default_severity()
    );
    let text = "rule-set = \"all\"\n";
    let (all, diags) = config::parse_toml(text, &rules::ids());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(Config::new(all).rule_severity(vague), vague.severity);
    let text = "rule-set = \"all\"\n[rules]\nvague-term = \"off\"\n";
    let (off, _) = config::parse_toml(text, &rules::ids());
    assert_eq!(Config::new(off).rule_severity(vague), Severity::Off);
    let text = "rule-set = \"strict\"\n";
    let (bad, diags) = config::parse_toml(text, &rules::ids());
    assert_eq!(
        render(text, &diags),
        "1:12 error `rule-set` must be \"earned\" or \"all\", found string [\"strict\"]"
    );
    assert_eq!(bad.rule_set, None);
}
