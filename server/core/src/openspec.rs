//! OpenSpec's notation: requirements are `### Requirement: <name>` sections, keyed by name, and
//! a change's delta specs (`changes/<id>/specs/<capability>/spec.md`) sort them under `## ADDED
//! | MODIFIED | REMOVED | RENAMED Requirements`. Read here once, for the index, the delta check
//! and decomposition.

use crate::span::Span;
use crate::syntax::SpecDoc;

/// What a delta does to a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeltaOp {
    Added,
    Modified,
    Removed,
    Renamed,
}

/// A `### Requirement: <name>` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRequirement {
    /// As written.
    pub name: String,
    /// The name within the heading.
    pub span: Span,
    /// Its section's index in the document.
    pub section: usize,
    /// The delta section it stands under, in a change's delta spec.
    pub op: Option<DeltaOp>,
}

/// The document's OpenSpec requirements, in order.
pub fn requirements(doc: &SpecDoc) -> Vec<NamedRequirement> {
    let mut out = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        let Some(rest) = s.title.strip_prefix("Requirement:") else {
            continue;
        };
        let name = rest.trim();
        if name.is_empty() {
            continue;
        }
        // The name as written: after `Requirement:` in the heading's source, trimmed.
        let heading = doc.slice(s.title_span);
        let span = heading.find(':').map_or(s.title_span, |colon| {
            let after = &heading[colon + 1..];
            let lead = after.len() - after.trim_start().len();
            let start = s.title_span.start + colon + 1 + lead;
            Span::new(start, start + after.trim().len())
        });
        let op = std::iter::successors(s.parent, |&p| doc.sections[p].parent)
            .find_map(|p| delta_op(&doc.sections[p].title));
        out.push(NamedRequirement {
            name: name.to_string(),
            span,
            section: i,
            op,
        });
    }
    out
}

fn delta_op(title: &str) -> Option<DeltaOp> {
    let mut words = title.split_whitespace();
    let op = match words.next()?.to_ascii_uppercase().as_str() {
        "ADDED" => DeltaOp::Added,
        "MODIFIED" => DeltaOp::Modified,
        "REMOVED" => DeltaOp::Removed,
        "RENAMED" => DeltaOp::Renamed,
        _ => return None,
    };
    words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("requirements"))
        .then_some(op)
}

/// Requirement names compare without case and with white space folded, as OpenSpec's own
/// matching of delta headers does.
pub fn same_name(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    fold(a) == fold(b)
}

/// Whether the document is part of an archived OpenSpec change (`…/changes/archive/…`):
/// history, applied and closed, that nobody will act on.
pub fn archived(path: &str) -> bool {
    let path = path.replace('\\', "/");
    path.starts_with("changes/archive/") || path.contains("/changes/archive/")
}

/// For a live change's delta spec, `(root, change, capability)`: `…/openspec/changes/add-sso/
/// specs/auth/spec.md` → (`…/openspec`, `add-sso`, `auth`). Archived changes are history (their
/// deltas were applied, so the main spec no longer matches them): `None`.
pub fn delta_location(location: &str) -> Option<(&str, &str, &str)> {
    let (root, rest) = location.rsplit_once("/changes/")?;
    let (change, rest) = rest.split_once('/')?;
    if change == "archive" {
        return None;
    }
    let capability = rest.strip_prefix("specs/")?.strip_suffix("/spec.md")?;
    (!capability.is_empty()).then_some((root, change, capability))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ParseOptions;

    #[test]
    fn reads_requirements_and_their_delta_sections() {
        let doc = SpecDoc::parse(
            "# Delta\n\n## ADDED Requirements\n\n### Requirement: SSO login\nThe system SHALL …\n\n#### Scenario: ok\n\n## MODIFIED Requirements\n\n### Requirement: Session  timeout\n\n## Notes\n\n### Requirement: Loose\n",
            ParseOptions::default(),
        );
        let got: Vec<(String, Option<DeltaOp>)> = requirements(&doc)
            .into_iter()
            .map(|r| (doc.slice(r.span).to_string(), r.op))
            .collect();
        assert_eq!(
            got,
            [
                ("SSO login".to_string(), Some(DeltaOp::Added)),
                ("Session  timeout".to_string(), Some(DeltaOp::Modified)),
                ("Loose".to_string(), None),
            ]
        );
        assert!(same_name("Session  timeout", "session timeout"));
        assert_eq!(
            delta_location("/w/openspec/changes/add-sso/specs/auth/spec.md"),
            Some(("/w/openspec", "add-sso", "auth"))
        );
        assert_eq!(
            delta_location("/w/openspec/changes/archive/2025-01-01-x/specs/auth/spec.md"),
            None
        );
        assert!(archived(
            "openspec/changes/archive/2025-01-01-x/proposal.md"
        ));
        assert!(archived("changes/archive/x/tasks.md"));
        assert!(!archived("openspec/changes/add-sso/proposal.md"));
        assert!(
            !archived("docs/archive/notes.md"),
            "only OpenSpec's changes archive"
        );
        assert_eq!(delta_location("/w/openspec/specs/auth/spec.md"), None);
    }
}
