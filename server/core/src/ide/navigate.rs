//! Navigation over ids, answered from the workspace index: the id under a cursor, its
//! definitions, its mentions, its hover text, workspace symbols and completions. Locations are
//! index locations and byte spans; the LSP layer turns them into URIs and ranges.

use crate::index::{WorkspaceIndex, folder_of};
use crate::span::Span;
use crate::syntax::{IdOccurrence, SpecDoc, normalize};
use crate::tasks::Covers;

/// The id under the cursor.
pub fn id_at(doc: &SpecDoc, offset: usize) -> Option<&IdOccurrence> {
    doc.ids
        .iter()
        .find(|o| o.span.start <= offset && offset <= o.span.end)
}

/// Definitions of `key`, those in `folder` first.
pub fn definitions(index: &WorkspaceIndex, key: &str, folder: Option<&str>) -> Vec<(String, Span)> {
    let mut defs: Vec<(String, Span, bool)> = index
        .definitions(key)
        .map(|(loc, d)| {
            (
                loc.to_string(),
                d.span,
                Some(folder_of(loc).as_str()) == folder,
            )
        })
        .collect();
    // In a folder that defines the id, the other folders' `FR-001`s are other features' ids.
    if defs.iter().any(|d| d.2) {
        defs.retain(|d| d.2);
    }
    defs.into_iter().map(|(l, s, _)| (l, s)).collect()
}

/// Mentions of `key` in `folder` (ids are feature-local), or everywhere when `folder` is None.
pub fn references(index: &WorkspaceIndex, key: &str, folder: Option<&str>) -> Vec<(String, Span)> {
    index
        .mentions(key)
        .filter(|(loc, _)| folder.is_none_or(|f| folder_of(loc) == f))
        .map(|(loc, d)| (loc.to_string(), d.span))
        .collect()
}

/// Markdown for hovering an id: its definition text, where it lives, and what covers it.
pub fn hover_text(index: &WorkspaceIndex, id: &str, folder: Option<&str>) -> Option<String> {
    let key = normalize(id);
    let defs: Vec<_> = index
        .definitions(&key)
        .filter(|(loc, _)| folder.is_none_or(|f| folder_of(loc) == f) || folder.is_none())
        .collect();
    let (loc, def) = defs.first()?;
    let file = loc.rsplit('/').next().unwrap_or(loc);
    let mut text = format!("**{}** — {}\n\n_{file}_", def.id, def.text);
    if defs.len() > 1 {
        text.push_str(&format!(" (defined {} times)", defs.len()));
    }
    let covering: Vec<String> = index
        .documents()
        .filter(|(l, _)| folder_of(l) == folder_of(loc))
        .flat_map(|(_, f)| f.tasks.iter())
        .filter(|t| {
            t.story.as_deref() == Some(key.as_str())
                || t.covers.iter().any(|c: &Covers| c.covers(&key))
        })
        .filter_map(|t| t.id.clone())
        .collect();
    let has_tasks = index
        .documents()
        .any(|(l, f)| folder_of(l) == folder_of(loc) && !f.tasks.is_empty());
    if !covering.is_empty() {
        text.push_str(&format!("\n\nCovered by {}", covering.join(", ")));
    } else if has_tasks {
        text.push_str("\n\nNot covered by any task");
    }
    Some(text)
}

/// A defined id, as workspace symbols list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// `FR-001 Users can export drafts`.
    pub name: String,
    pub location: String,
    pub span: Span,
    /// The folder the document is in (`001-export`).
    pub container: Option<String>,
}

/// Every definition whose id starts with `query`, or whose text contains it when it does not
/// look like an id (case-insensitive), at most 500.
pub fn symbols(index: &WorkspaceIndex, query: &str) -> Vec<Symbol> {
    let q = query.to_lowercase();
    let mut out = Vec::new();
    for (loc, facts) in index.documents() {
        for d in facts.defines.iter().filter(|d| {
            let id = d.id.to_lowercase();
            q.is_empty()
                || id.starts_with(&q)
                || (!looks_like_id(&q) && d.text.to_lowercase().contains(&q))
        }) {
            out.push(Symbol {
                name: format!("{} {}", d.id, d.text),
                location: loc.to_string(),
                span: d.span,
                container: loc.rsplit('/').nth(1).map(str::to_string),
            });
            if out.len() >= 500 {
                return out;
            }
        }
    }
    out
}

fn looks_like_id(q: &str) -> bool {
    q.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && q.chars().any(|c| c.is_ascii_digit() || c == '-')
        && !q.contains(' ')
}

/// Ids of `folder` to complete the token `prefix` (the id-like text before the cursor).
pub fn completions(index: &WorkspaceIndex, folder: &str, prefix: &str) -> Vec<(String, String)> {
    let p = prefix.to_ascii_uppercase();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (loc, facts) in index.documents() {
        if folder_of(loc) != folder {
            continue;
        }
        for d in &facts.defines {
            if d.id.to_ascii_uppercase().starts_with(&p) && seen.insert(d.key.clone()) {
                out.push((d.id.clone(), d.text.clone()));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{AnalysisInput, analyze};
    use crate::config::Config;

    const SPEC: &str = "# Feature Specification: Export\n\n## Requirements\n\n- **FR-001**: Users MUST export drafts as PDF.\n- **FR-002**: Users MUST export drafts as Markdown.\n";
    const TASKS: &str = "# Tasks\n\n- [ ] T001 Implement PDF export (FR-0$01)\n- [ ] T002 Implement Markdown export (FR-002)\n";
    const OTHER: &str = "# Feature Specification: Import\n\n## Requirements\n\n- **FR-001**: Users MUST import drafts.\n";

    /// The workspace of the fixtures, and the tasks text with its cursor (`$`) taken out.
    fn workspace() -> (WorkspaceIndex, SpecDoc, usize) {
        let cursor = TASKS.find('$').expect("cursor marker");
        let tasks = TASKS.replace('$', "");
        let index = super::super::fixture_index(&[
            ("/w/specs/001-export/spec.md", SPEC),
            ("/w/specs/001-export/tasks.md", tasks.as_str()),
            ("/w/specs/002-import/spec.md", OTHER),
        ]);
        let config = Config::default();
        let doc = analyze(AnalysisInput {
            text: &tasks,
            path: Some("specs/001-export/tasks.md"),
            location: Some("/w/specs/001-export/tasks.md"),
            config: &config,
            index: &index,
            today: None,
        })
        .doc;
        (index, doc, cursor)
    }

    #[test]
    fn the_id_under_the_cursor_leads_to_its_own_folders_definition_and_mentions() {
        let (index, doc, cursor) = workspace();
        let id = id_at(&doc, cursor).expect("an id under the cursor");
        assert_eq!(id.id, "FR-001");
        let folder = folder_of("/w/specs/001-export/tasks.md");
        let key = normalize(&id.id);
        let defs = definitions(&index, &key, Some(&folder));
        assert_eq!(defs.len(), 1, "the other feature's FR-001 is another id");
        assert_eq!(defs[0].0, "/w/specs/001-export/spec.md");
        assert_eq!(&SPEC[defs[0].1.start..defs[0].1.end], "FR-001");
        let mentions: Vec<String> = references(&index, &key, Some(&folder))
            .into_iter()
            .map(|(l, _)| l.rsplit('/').next().unwrap_or("").to_string())
            .collect();
        assert_eq!(mentions, ["spec.md", "tasks.md"]);
        assert_eq!(references(&index, &key, None).len(), 3);
    }

    #[test]
    fn hover_says_what_the_id_asks_and_which_tasks_cover_it() {
        let (index, _, _) = workspace();
        let folder = folder_of("/w/specs/001-export/spec.md");
        let text = hover_text(&index, "FR-002", Some(&folder)).expect("hover");
        assert_eq!(
            text,
            "**FR-002** — Users MUST export drafts as Markdown.\n\n_spec.md_\n\nCovered by T002"
        );
        let other = hover_text(
            &index,
            "FR-001",
            Some(&folder_of("/w/specs/002-import/spec.md")),
        );
        assert!(other.is_some_and(|t| t.contains("import") && !t.contains("Covered")));
    }

    #[test]
    fn completion_and_symbols_list_the_defined_ids() {
        let (index, _, _) = workspace();
        let folder = folder_of("/w/specs/001-export/spec.md");
        let ids: Vec<String> = completions(&index, &folder, "fr-0")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, ["FR-001", "FR-002"]);
        let by_text: Vec<String> = symbols(&index, "markdown")
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(
            by_text,
            [
                "FR-002 Users MUST export drafts as Markdown.",
                "T002 Implement Markdown export (FR-002)"
            ]
        );
        let by_id = symbols(&index, "FR-00");
        assert!(by_id.len() >= 3 && by_id.iter().all(|s| s.name.starts_with("FR-00")));
        for s in &by_id {
            let folder = s.location.rsplit('/').nth(1);
            assert_eq!(s.container.as_deref(), folder, "{s:?}");
        }
    }
}
