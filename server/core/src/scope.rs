//! Which text is normative: the units the requirement-quality rules examine.
//!
//! A unit is a requirement list item or a requirement sentence. It is normative when it is not
//! in a narrative section and it is one of: a requirement statement (a requirement id label, a
//! BCP 14 keyword in capitals, `shall`/`must` in a specification, an EARS clause); a list item
//! or table row in a requirements section; a Given/When/Then scenario. User stories ("As a …,
//! I want …") are never normative: they state a wish, not an obligation.

use crate::config::Config;
use crate::kind::DocKind;
use crate::span::Span;
use crate::syntax::{BlockKind, IdKind, IdRole, KeywordStrength, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A requirement statement (id label, keyword or EARS clause).
    Statement,
    /// A list item or table row in a requirements section without a keyword.
    SectionItem,
    /// A Given/When/Then or WHEN/THEN scenario.
    Scenario,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormativeUnit {
    pub span: Span,
    pub block: usize,
    pub kind: UnitKind,
    /// Index into `SpecDoc::statements`, when the unit is one.
    pub statement: Option<usize>,
    /// Whether the unit carries a binding keyword (MUST, SHALL, …; `shall`/`must`).
    pub binding: bool,
    /// In a section whose items are requirements (`Functional Requirements`, …).
    pub in_requirement_section: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub units: Vec<NormativeUnit>,
    /// Per section: narrative or not.
    narrative: Vec<bool>,
}

static USER_STORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:user story[^a-z]*)?as an?\s[^,]{1,80},?\s+i\s+(?:want|need|would like)\b",
    )
    .expect("static regex")
});
static SCENARIO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Given|GIVEN)\b.*\b(?:Then|THEN)\b|^\W*(?:WHEN|THEN|AND|GIVEN)\b")
        .expect("static regex")
});

fn normalized_title(title: &str) -> String {
    title
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ' || c == ')')
        .to_lowercase()
}

/// Narrative titles match at the start of a word run ("Context and Problem Statement",
/// "Risks and Mitigations").
fn starts_with_title(title: &str, list: &[String]) -> bool {
    let t = normalized_title(title);
    list.iter().any(|l| {
        t.starts_with(l.as_str())
            && t[l.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Requirement titles match whole, optionally with a parenthetical or a colon after them
/// ("Requirements *(mandatory)*"), so "Requirements Generation Workflow" is not one.
fn is_title(title: &str, list: &[String]) -> bool {
    let t = normalized_title(title);
    list.iter().any(|l| {
        t.starts_with(l.as_str()) && {
            let rest = t[l.len()..].trim_start();
            rest.is_empty() || rest.starts_with(['(', ':', '-', '—', '–'])
        }
    })
}

impl Scope {
    pub fn compute(doc: &SpecDoc, kind: DocKind, config: &Config) -> Scope {
        let narrative_titles = config.narrative_sections();
        let requirement_titles = config.requirement_sections();
        let own_narrative: Vec<bool> = doc
            .sections
            .iter()
            .map(|s| starts_with_title(&s.title, &narrative_titles))
            .collect();
        let own_requirements: Vec<bool> = doc
            .sections
            .iter()
            .map(|s| is_title(&s.title, &requirement_titles))
            .collect();
        let inherited =
            |flags: &[bool], i: usize| doc.section_path_indices(i).into_iter().any(|j| flags[j]);
        let narrative: Vec<bool> = (0..doc.sections.len())
            .map(|i| inherited(&own_narrative, i))
            .collect();
        // A requirements section's sub-sections (`Key Entities` under `Requirements`) are not
        // requirement lists themselves: only a section's own title counts.
        let requirement = own_requirements;
        let specification = matches!(kind, DocKind::Spec | DocKind::Requirements);

        let mut labelled_narrative = vec![false; doc.blocks.len()];
        for unit in &doc.units {
            if is_narrative_label(doc, unit.span) {
                labelled_narrative[unit.block] = true;
            }
        }
        let mut units = Vec::new();
        let mut covered: Vec<Span> = Vec::new();
        for (si, st) in doc.statements.iter().enumerate() {
            let section = doc.blocks[st.block].section;
            if section.is_some_and(|s| narrative[s])
                || is_user_story(doc, st.span)
                || labelled_narrative[st.block]
            {
                continue;
            }
            let labelled = st.ids.iter().map(|&i| &doc.ids[i]).any(|o| {
                o.role == IdRole::Definition
                    && !matches!(
                        o.kind,
                        IdKind::Task | IdKind::Story | IdKind::Adr | IdKind::Other
                    )
            });
            let capital = st
                .keywords
                .iter()
                .any(|k| k.uppercase && k.strength == KeywordStrength::Normative);
            let lower_binding = st
                .keywords
                .iter()
                .any(|k| k.strength == KeywordStrength::Normative);
            let in_req = section.is_some_and(|s| requirement[s]);
            // Outside specifications (proposals, designs, ADRs) prose says "must" all the time;
            // there only capitals, requirement labels and requirement sections make a statement.
            let normative = labelled
                || capital
                || (lower_binding && (specification || in_req))
                || (st.ears.is_some() && (specification || in_req));
            if !normative {
                continue;
            }
            covered.push(st.span);
            let scenario = SCENARIO.is_match(doc.prose_slice(st.span).trim_start());
            units.push(NormativeUnit {
                span: st.span,
                block: st.block,
                kind: if scenario {
                    UnitKind::Scenario
                } else {
                    UnitKind::Statement
                },
                statement: Some(si),
                binding: lower_binding,
                in_requirement_section: in_req,
            });
        }
        for unit in &doc.units {
            let block = &doc.blocks[unit.block];
            let Some(section) = block.section else {
                continue;
            };
            if narrative[section] {
                continue;
            }
            let span = doc.trimmed(unit.span);
            // Statements come in document order: only the first one ending after `span` starts
            // can overlap it.
            let next = covered.partition_point(|c| c.end <= span.start);
            if span.is_empty() || covered.get(next).is_some_and(|c| c.start < span.end) {
                continue;
            }
            // Top-level items only: nested bullets are details of the item above them.
            let is_item = match &block.kind {
                BlockKind::ListItem { depth: 0, .. }
                | BlockKind::TableCell { header: false, .. } => true,
                BlockKind::Paragraph => block.parent.is_some_and(|p| {
                    matches!(doc.blocks[p].kind, BlockKind::ListItem { depth: 0, .. })
                }),
                _ => false,
            };
            if !is_item || is_user_story(doc, span) {
                continue;
            }
            let text = doc.prose_slice(span);
            let kind = if SCENARIO.is_match(text) {
                UnitKind::Scenario
            } else if requirement[section]
                && !text.trim_end().ends_with(':')
                && !is_term_definition(doc, span)
            {
                UnitKind::SectionItem
            } else {
                continue;
            };
            units.push(NormativeUnit {
                span,
                block: unit.block,
                kind,
                statement: None,
                binding: false,
                in_requirement_section: requirement[section],
            });
        }
        units.sort_by_key(|u| u.span);
        Scope { units, narrative }
    }

    pub fn is_narrative(&self, section: Option<usize>) -> bool {
        section.is_some_and(|s| self.narrative.get(s).copied().unwrap_or(false))
    }
}

/// `**Changelog**: what it holds` — a glossary-style entry, not a requirement.
fn is_term_definition(doc: &SpecDoc, span: Span) -> bool {
    let source = doc.slice(span);
    let starts_bold = source.starts_with("**") || source.starts_with("__");
    let labelled = doc
        .ids
        .iter()
        .any(|o| o.span.start >= span.start && o.span.start < span.start + 4);
    starts_bold && !labelled
}

/// Paragraphs that open with a narrative label (spec-kit's `**Why this priority**:`,
/// `**Rationale**:`) explain; they do not oblige.
static NARRATIVE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:why this priority|independent test|rationale|background|context|note|notes|example|examples|motivation|history|alternatives?)\W*:").expect("static regex")
});

fn is_narrative_label(doc: &SpecDoc, span: Span) -> bool {
    NARRATIVE_LABEL.is_match(doc.prose_slice(span))
}

fn is_user_story(doc: &SpecDoc, span: Span) -> bool {
    USER_STORY.is_match(
        doc.prose_slice(span)
            .trim_start_matches(|c: char| !c.is_alphanumeric()),
    )
}
