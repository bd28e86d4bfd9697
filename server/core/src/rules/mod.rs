//! The rules engine: the [`Rule`] trait, the registry, and each rule's documentation.
//!
//! One rule per file. The registry is the single source of rule ids, default severities and
//! docs: the CLI's `rules` and `explain`, the generated `docs/rules/*.md`, hover text and the
//! editors' settings all read it.

mod incomplete_marker;
mod template_placeholder;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::WorkspaceIndex;
use crate::kind::{DocKind, Family};
use crate::syntax::SpecDoc;

/// A calendar date, supplied by the caller: the core never reads a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The civil date of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What a rule may consult besides the document.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub config: &'a Config,
    pub index: &'a WorkspaceIndex,
    pub today: Option<Date>,
    /// The document's path relative to the configuration's folder, when it has one.
    pub path: Option<&'a str>,
    pub kind: DocKind,
    pub family: Family,
}

/// A rule's documentation: one text for `explain`, hover and the generated page.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    pub what: &'static str,
    pub why: &'static str,
    /// Markdown that triggers the rule.
    pub example: &'static str,
    /// How to resolve it; usually the example, fixed.
    pub fix: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable kebab-case id; never changes once released.
    pub id: &'static str,
    /// One line.
    pub summary: &'static str,
    pub default_severity: Severity,
    pub doc: RuleDoc,
}

impl RuleMeta {
    /// The rule's page in Markdown: `specwright explain`, hover, `docs/rules/<id>.md`.
    pub fn markdown(&self) -> String {
        let d = &self.doc;
        format!(
            "# {id}\n\n{summary}\n\nDefault severity: `{sev}`. Configure in `specwright.toml`:\n\n```toml\n[rules]\n{id} = \"{sev}\"\n```\n\n## What it does\n\n{what}\n\n## Why is this bad?\n\n{why}\n\n## Example\n\n```markdown\n{example}\n```\n\n## Use instead\n\n```markdown\n{fix}\n```\n\nSuppress one occurrence with `<!-- specwright-disable-next-line {id} -->` on the line before it.\n",
            id = self.id,
            summary = self.summary,
            sev = self.default_severity,
            what = d.what.trim(),
            why = d.why.trim(),
            example = d.example.trim(),
            fix = d.fix.trim(),
        )
    }
}

/// Whether the words around `span` talk *about* markers or placeholders ("No
/// [NEEDS CLARIFICATION] markers remain", "placeholders such as [DATE]") rather than use one.
pub(crate) fn is_mention(prose: &str, span: crate::span::Span) -> bool {
    let before = &prose[prose.floor_char_boundary(span.start.saturating_sub(48))..span.start];
    let after = &prose[span.end..prose.ceil_char_boundary((span.end + 32).min(prose.len()))];
    let talks_about = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric()).any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "placeholder" | "placeholders" | "marker" | "markers" | "comment" | "comments"
            )
        })
    };
    // The word right after (`… markers remain`) or anywhere in the clause before
    // (`placeholders such as …`, `detect markers like …`).
    let next_word = after.split_whitespace().next().unwrap_or("");
    talks_about(next_word) || talks_about(before.rsplit(['.', ';', '\n']).next().unwrap_or(""))
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Findings in `doc`; severities are applied by the engine from the configuration.
    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic>;
}

static REGISTRY: &[&dyn Rule] = &[
    &incomplete_marker::IncompleteMarker,
    &template_placeholder::TemplatePlaceholder,
];

/// Every rule, in id order.
pub fn registry() -> &'static [&'static dyn Rule] {
    REGISTRY
}

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|r| r.meta().id == id)
}

/// The registry as JSON: what `specwright rules --format json` prints and editors read to build
/// their settings.
pub fn catalogue() -> serde_json::Value {
    serde_json::Value::Array(
        REGISTRY
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({
                    "id": m.id,
                    "summary": m.summary,
                    "defaultSeverity": m.default_severity.as_str(),
                    "doc": m.markdown(),
                })
            })
            .collect(),
    )
}

/// Every rule id, for configuration validation.
pub fn ids() -> Vec<&'static str> {
    REGISTRY.iter().map(|r| r.meta().id).collect()
}
