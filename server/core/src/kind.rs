//! Document kind (what a document is) and family (whose conventions it follows), detected from
//! front matter, then the `[kinds]` configuration, then path conventions, then headings.

use crate::config::Config;
use crate::syntax::SpecDoc;
use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    Spec,
    Plan,
    Tasks,
    Requirements,
    Design,
    Adr,
    Proposal,
    Generic,
}

impl DocKind {
    pub const ALL: [DocKind; 8] = [
        DocKind::Spec,
        DocKind::Plan,
        DocKind::Tasks,
        DocKind::Requirements,
        DocKind::Design,
        DocKind::Adr,
        DocKind::Proposal,
        DocKind::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Spec => "spec",
            DocKind::Plan => "plan",
            DocKind::Tasks => "tasks",
            DocKind::Requirements => "requirements",
            DocKind::Design => "design",
            DocKind::Adr => "adr",
            DocKind::Proposal => "proposal",
            DocKind::Generic => "generic",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        let s = s.trim().to_ascii_lowercase();
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    SpecKit,
    Kiro,
    #[serde(rename = "openspec")]
    OpenSpec,
    CcSdd,
    KepRfc,
    Madr,
    Nygard,
    Generic,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::SpecKit,
        Family::Kiro,
        Family::OpenSpec,
        Family::CcSdd,
        Family::KepRfc,
        Family::Madr,
        Family::Nygard,
        Family::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::SpecKit => "spec-kit",
            Family::Kiro => "kiro",
            Family::OpenSpec => "openspec",
            Family::CcSdd => "cc-sdd",
            Family::KepRfc => "kep-rfc",
            Family::Madr => "madr",
            Family::Nygard => "nygard",
            Family::Generic => "generic",
        }
    }

    pub fn parse(s: &str) -> Option<Family> {
        let s = s.trim().to_ascii_lowercase();
        Family::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Where a classification came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    FrontMatter,
    Config,
    Path,
    Headings,
    Default,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub kind: DocKind,
    pub family: Family,
    pub evidence: Evidence,
}

/// Classifies a document. `path` is relative to the configuration's folder (or any path with
/// `/` separators); conventions are matched on its trailing components.
pub fn classify(path: Option<&str>, doc: &SpecDoc, config: &Config) -> Classification {
    let headings = Headings::of(doc);
    let fm = doc.front_matter.as_ref();
    let fm_kind = fm.and_then(|f| f.get_str("kind")).and_then(DocKind::parse);
    let fm_family = fm.and_then(|f| f.get_str("family")).and_then(Family::parse);
    if fm_kind.is_some() || fm_family.is_some() {
        let guess = by_path(path, &headings).or_else(|| by_headings(&headings, doc));
        return Classification {
            kind: fm_kind.or(guess.map(|g| g.0)).unwrap_or(DocKind::Generic),
            family: fm_family.or(guess.map(|g| g.1)).unwrap_or(Family::Generic),
            evidence: Evidence::FrontMatter,
        };
    }
    if let Some(o) = path.and_then(|p| config.kind_override(p))
        && (o.kind.is_some() || o.family.is_some())
    {
        let guess = by_path(path, &headings).or_else(|| by_headings(&headings, doc));
        return Classification {
            kind: o.kind.or(guess.map(|g| g.0)).unwrap_or(DocKind::Generic),
            family: o.family.or(guess.map(|g| g.1)).unwrap_or(Family::Generic),
            evidence: Evidence::Config,
        };
    }
    if let Some((kind, family)) = by_path(path, &headings) {
        return Classification {
            kind,
            family,
            evidence: Evidence::Path,
        };
    }
    if let Some((kind, family)) = by_name_and_headings(path, &headings, doc) {
        return Classification {
            kind,
            family,
            evidence: Evidence::Headings,
        };
    }
    if let Some((kind, family)) = by_headings(&headings, doc) {
        return Classification {
            kind,
            family,
            evidence: Evidence::Headings,
        };
    }
    Classification {
        kind: DocKind::Generic,
        family: Family::Generic,
        evidence: Evidence::Default,
    }
}

/// Whether an OpenSpec spec is a change delta rather than a capability's main spec: it lives
/// under `changes/<id>/specs/`, or its sections are `ADDED` / `MODIFIED` / `REMOVED` /
/// `RENAMED Requirements` (or it calls itself a delta).
pub fn is_openspec_delta(path: Option<&str>, doc: &SpecDoc) -> bool {
    // `…/changes/<id>/specs/…`: a `specs` folder below a `changes` folder.
    let under_changes = path.is_some_and(|p| {
        let p = p.replace('\\', "/");
        let parts: Vec<&str> = p.split('/').collect();
        let changes = parts.iter().position(|x| *x == "changes");
        let specs = parts.iter().rposition(|x| *x == "specs");
        matches!((changes, specs), (Some(c), Some(s)) if s > c)
    });
    under_changes
        || doc.sections.iter().any(|s| {
            let t = s.title.trim().to_ascii_lowercase();
            ["added", "modified", "removed", "renamed"]
                .iter()
                .any(|w| t.starts_with(w) && (t.len() == w.len() || t[w.len()..].starts_with(' ')))
                || t.starts_with("delta for")
                || t.ends_with("(delta)")
        })
}

/// Lowercased section titles, for convention checks.
struct Headings {
    titles: Vec<String>,
    first: Option<String>,
}

impl Headings {
    fn of(doc: &SpecDoc) -> Headings {
        let titles: Vec<String> = doc
            .sections
            .iter()
            .map(|s| s.title.to_lowercase())
            .collect();
        Headings {
            first: titles.first().cloned(),
            titles,
        }
    }

    fn has(&self, title: &str) -> bool {
        self.titles.iter().any(|t| t == title)
    }

    fn has_prefix(&self, prefix: &str) -> bool {
        self.titles.iter().any(|t| t.starts_with(prefix))
    }

    fn is_nygard_adr(&self) -> bool {
        self.has("status") && self.has("context") && self.has("decision")
    }

    fn is_madr(&self) -> bool {
        let hits = [
            "context and problem statement",
            "considered options",
            "decision outcome",
        ]
        .iter()
        .filter(|t| self.has(t))
        .count();
        hits >= 2
    }
}

static NUMBERED_FILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{3,5}-.+\.(md|markdown)$").expect("static regex"));
static SPEC_KIT_FOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{3,}-").expect("static regex"));
const ADR_FOLDERS: &[&[&str]] = &[
    &["docs", "adr"],
    &["doc", "adr"],
    &["docs", "adrs"],
    &["docs", "decisions"],
    &["docs", "architecture", "decisions"],
    &["adr"],
    &["adrs"],
    &["decisions"],
];

fn by_path(path: Option<&str>, headings: &Headings) -> Option<(DocKind, Family)> {
    let path = path?.replace('\\', "/");
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let (&file, dirs) = parts.split_last()?;
    let file_lower = file.to_ascii_lowercase();
    let dir = |back: usize| dirs.len().checked_sub(back).map(|i| dirs[i]);

    // Kiro and cc-sdd: .kiro/specs/<name>/{requirements,design,tasks}.md
    if dir(3) == Some(".kiro") && dir(2) == Some("specs") {
        let kind = match file_lower.as_str() {
            "requirements.md" => DocKind::Requirements,
            "design.md" => DocKind::Design,
            "tasks.md" => DocKind::Tasks,
            _ => DocKind::Generic,
        };
        return Some((kind, Family::Kiro));
    }
    // OpenSpec: openspec/specs/**/spec.md, openspec/changes/<id>/{proposal,tasks,design}.md
    if let Some(at) = dirs.iter().position(|d| *d == "openspec") {
        let kind = match (dirs.get(at + 1).copied(), file_lower.as_str()) {
            (_, "spec.md") => DocKind::Spec,
            (Some("changes"), "proposal.md") => DocKind::Proposal,
            (Some("changes"), "tasks.md") => DocKind::Tasks,
            (Some("changes"), "design.md") => DocKind::Design,
            _ => DocKind::Generic,
        };
        return Some((kind, Family::OpenSpec));
    }
    // spec-kit: specs/NNN-name/{spec,plan,tasks,data-model}.md
    if dir(2) == Some("specs") && dir(1).is_some_and(|d| SPEC_KIT_FOLDER.is_match(d)) {
        let kind = match file_lower.as_str() {
            "spec.md" => DocKind::Spec,
            "plan.md" => DocKind::Plan,
            "tasks.md" => DocKind::Tasks,
            "data-model.md" => DocKind::Design,
            _ => DocKind::Generic,
        };
        return Some((kind, Family::SpecKit));
    }
    // ADR folders: only numbered files are records (README.md, index.md, template.md are not).
    let in_adr_folder = ADR_FOLDERS.iter().any(|folder| {
        dirs.len() >= folder.len()
            && dirs[dirs.len() - folder.len()..]
                .iter()
                .zip(folder.iter())
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    });
    if in_adr_folder && (NUMBERED_FILE.is_match(&file_lower) || file_lower.starts_with("adr-")) {
        let family = if headings.is_madr() {
            Family::Madr
        } else {
            Family::Nygard
        };
        return Some((DocKind::Adr, family));
    }
    // Kubernetes KEPs: keps/<sig>/<NNNN-name>/README.md
    if dirs.first() == Some(&"keps") || dirs.contains(&"keps") && file_lower == "readme.md" {
        return Some((DocKind::Proposal, Family::KepRfc));
    }
    None
}

/// Kiro's file names outside `.kiro/specs/` (copied folders, other tools that write Kiro's
/// format): the name says which document, the headings confirm it.
fn by_name_and_headings(
    path: Option<&str>,
    h: &Headings,
    doc: &SpecDoc,
) -> Option<(DocKind, Family)> {
    let path = path?;
    // spec-kit's `checklists/requirements.md` is a checklist about the requirements.
    if path.contains("/checklists/") || path.starts_with("checklists/") {
        return None;
    }
    let name = path.rsplit(['/', '\\']).next()?.to_ascii_lowercase();
    let requirement_n = h.titles.iter().any(|t| {
        t.starts_with("requirement ") && t[12..].starts_with(|c: char| c.is_ascii_digit())
    });
    match name.as_str() {
        "requirements.md" if requirement_n => Some((DocKind::Requirements, Family::Kiro)),
        "requirements.md"
            if h.titles
                .iter()
                .any(|t| t.contains("user stor") || t.contains("requirement")) =>
        {
            Some((DocKind::Requirements, Family::Generic))
        }
        "design.md"
            if h.titles.iter().any(|t| t.contains("overview"))
                && h.titles
                    .iter()
                    .any(|t| t.contains("architecture") || t.contains("components")) =>
        {
            Some((DocKind::Design, Family::Kiro))
        }
        "tasks.md" => {
            let tasks = doc
                .blocks
                .iter()
                .filter(|b| {
                    matches!(
                        b.kind,
                        crate::syntax::BlockKind::ListItem {
                            checkbox: Some(_),
                            ..
                        }
                    )
                })
                .count();
            let kiro = h
                .first
                .as_deref()
                .is_some_and(|f| f.starts_with("implementation plan"));
            (tasks > 0).then_some((
                DocKind::Tasks,
                if kiro { Family::Kiro } else { Family::Generic },
            ))
        }
        _ => None,
    }
}

fn by_headings(h: &Headings, doc: &SpecDoc) -> Option<(DocKind, Family)> {
    if h.is_madr() {
        return Some((DocKind::Adr, Family::Madr));
    }
    if h.is_nygard_adr()
        && (h.has("consequences") || doc.sections.first().is_some_and(|s| s.level == 1))
    {
        return Some((DocKind::Adr, Family::Nygard));
    }
    let first = h.first.as_deref().unwrap_or("");
    if first.starts_with("feature specification")
        || (h.has_prefix("user scenarios") && h.has("requirements"))
    {
        return Some((DocKind::Spec, Family::SpecKit));
    }
    if first.starts_with("implementation plan")
        || h.has("technical context") && h.has("project structure")
    {
        return Some((DocKind::Plan, Family::SpecKit));
    }
    if first.starts_with("tasks:") {
        return Some((DocKind::Tasks, Family::SpecKit));
    }
    if h.has("purpose") && h.has("requirements") && h.has_prefix("requirement:") {
        return Some((DocKind::Spec, Family::OpenSpec));
    }
    if h.has("introduction") && h.titles.iter().any(|t| t.starts_with("requirement ")) {
        return Some((DocKind::Requirements, Family::Kiro));
    }
    let proposal_markers = [
        "motivation",
        "goals",
        "non-goals",
        "proposal",
        "design details",
        "guide-level explanation",
        "reference-level explanation",
        "drawbacks",
        "alternatives",
        "rationale and alternatives",
    ];
    if h.has("summary") && proposal_markers.iter().filter(|m| h.has(m)).count() >= 2 {
        return Some((DocKind::Proposal, Family::KepRfc));
    }
    None
}
