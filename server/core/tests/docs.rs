//! Generated documentation must match the registry and the schema types. Run with
//! `UPDATE_DOCS=1` to regenerate `docs/rules/*.md` and `docs/specwright.schema.json`.

// A test reads fixtures and may time itself; core's own code may not (server/core/clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use specwright_core::{config, rules};
use std::path::{Path, PathBuf};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

fn check_or_update(path: &Path, expected: &str, stale: &mut Vec<String>) {
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
        return;
    }
    if std::fs::read_to_string(path).ok().as_deref() != Some(expected) {
        stale.push(path.display().to_string());
    }
}

#[test]
fn generated_docs_match_the_registry() {
    let mut stale = Vec::new();
    let rules_dir = docs().join("rules");
    let mut index = String::from("# Rules\n\n| rule | default | summary |\n|---|---|---|\n");
    for rule in rules::registry() {
        let m = rule.meta();
        check_or_update(
            &rules_dir.join(format!("{}.md", m.id)),
            &m.markdown(),
            &mut stale,
        );
        index.push_str(&format!(
            "| [`{id}`]({id}.md) | {} | {} |\n",
            m.default_severity(),
            m.summary,
            id = m.id
        ));
    }
    check_or_update(&rules_dir.join("README.md"), &index, &mut stale);
    let schema = serde_json::to_string_pretty(&config::json_schema()).unwrap() + "\n";
    check_or_update(&docs().join("specwright.schema.json"), &schema, &mut stale);
    if std::env::var_os("UPDATE_DOCS").is_none() {
        let listed: Vec<String> = std::fs::read_dir(&rules_dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        for name in listed {
            let id = name.trim_end_matches(".md");
            if name != "README.md" && rules::find(id).is_none() {
                stale.push(format!("docs/rules/{name} documents no rule"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated docs (run `UPDATE_DOCS=1 cargo test -p specwright-core --test docs`): {stale:?}"
    );
}
