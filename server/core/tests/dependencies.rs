//! Core's dependencies are held to a list: the analysis must stay pure (no async runtime, no
//! protocol, no process or network crate), so that adding one is a decision made here, in
//! review, and not a side effect of a convenient import.
// A test reads the manifest; core's own code may not (server/core/clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

/// Each allowed dependency, and why core may have it.
const ALLOWED: &[(&str, &str)] = &[
    ("pulldown-cmark", "the Markdown reader"),
    ("regex", "patterns of ids, bounds and notations"),
    (
        "rayon",
        "rules run in parallel over one document (CPU only, no I/O)",
    ),
    ("memchr", "fast line and byte scans"),
    ("aho-corasick", "the word lists, one automaton each"),
    ("yaml-rust2", "front matter of ADRs"),
    ("toml", "specwright.toml, parsed from text handed in"),
    ("serde", "data types the CLI, server and MCP share"),
    ("serde_json", "the same, as JSON"),
    ("schemars", "JSON Schemas of those types"),
    ("thiserror", "error types"),
    (
        "globset",
        "include/exclude and boundary globs, matched on strings",
    ),
    ("humantime", "durations in the configuration"),
];

#[test]
fn core_depends_only_on_what_the_list_allows() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("core's manifest");
    let parsed: toml::Table = toml::from_str(&manifest).expect("TOML");
    let deps = parsed
        .get("dependencies")
        .and_then(|d| d.as_table())
        .expect("[dependencies]");
    let unexpected: Vec<&String> = deps
        .keys()
        .filter(|k| !ALLOWED.iter().any(|(a, _)| a == k))
        .collect();
    assert!(
        unexpected.is_empty(),
        "core gained {unexpected:?}: the analysis core must not know of I/O, async runtimes, \
         the protocol or processes. If the crate is pure, add it to ALLOWED with the reason."
    );
    for forbidden in [
        "tokio",
        "tower-lsp-server",
        "ropey",
        "dashmap",
        "rmcp",
        "git2",
    ] {
        assert!(!deps.contains_key(forbidden), "{forbidden} in core");
    }
    // Platform- or target-specific dependencies would slip past the list above.
    assert!(
        parsed.get("target").is_none(),
        "core has target-specific dependencies"
    );
}
