//! Requirement units and what a spec (and its plan) says about each: a title in the
//! imperative, the ids it covers, its story, its boundary, its acceptance and what it comes
//! after.
//!
//! Boundary notation read from specs and plans (documented in docs/decompose.md):
//! `Touches:` / `Files:` / `Boundary:` lines (globs, comma-separated; `!glob` must not be
//! touched), `Out of bounds:` lines (every glob must not be touched), a fenced block with
//! info string `boundary` (one glob per line), cc-sdd's `## Boundary Context` with In scope /
//! Out of scope bullets, component names mapped by `[boundaries]`, paths in backticks in the
//! requirement, directories of plan.md's Project Structure named by the requirement, and
//! `[decompose].default-boundary`.

use super::boundary::{self, boundary_context, project_structure};
use super::title::{imperative, lower_first};
use crate::config::Config;
use crate::kind::Family;
use crate::openspec::DeltaOp;
use crate::span::Span;
use crate::syntax::{BlockKind, IdKind, IdRole, SpecDoc, normalize};
use regex::Regex;
use std::sync::LazyLock;

/// One requirement unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Stable key: the normalised id (`FR3`, `US1`), `R3` for Kiro's Requirement 3, or a slug
    /// of an OpenSpec requirement's title.
    pub key: String,
    pub covers: Vec<String>,
    pub title: String,
    pub story: Option<String>,
    pub acceptance: Vec<String>,
    pub boundary: Vec<String>,
    pub components: Vec<String>,
    /// The boundary entries the requirement itself names: only these order tasks.
    pub evidence: Vec<String>,
    /// Ids it comes after ("after FR-002", "depends on T012").
    pub after: Vec<String>,
    /// Where it stands in the spec.
    pub span: Span,
}

static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:after|depends\s+on|requires\s+task|blocked\s+by)\s+((?:[A-Z]+-?\d+(?:\.\d+)*)(?:\s*(?:,|and)\s*[A-Z]+-?\d+(?:\.\d+)*)*)")
        .expect("static regex")
});
static ID_IN_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Z]+-?\d+(?:\.\d+)*").expect("static regex"));
static KIRO_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^requirement\s+(\d+)\s*(?:[:.\-–—]\s*(.*))?$").expect("static regex")
});
static I_WANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bI want(?: to)?\s+(.+?)(?:,?\s+so that\b|$)").expect("static regex")
});
static STORY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^user story\s+(\d+)\s*(?:[-–—:]\s*)?(.*?)\s*(?:\(priority[^)]*\))?\s*$")
        .expect("static regex")
});

/// Every unit of `spec`, in document order.
pub fn units(spec: &SpecDoc, family: Family, plan: Option<&SpecDoc>, config: &Config) -> Vec<Unit> {
    let structure = plan.map(project_structure).unwrap_or_default();
    let doc_boundary = boundary_context(spec);
    let stories = story_sections(spec);
    let mut out: Vec<Unit> = Vec::new();

    // Kiro: `### Requirement N` sections, their EARS criteria as acceptance.
    for (i, s) in spec.sections.iter().enumerate() {
        let Some(c) = KIRO_HEADING.captures(&s.title) else {
            continue;
        };
        let n = c[1].to_string();
        let body = Span::new(s.heading_span.end, s.body_span.end);
        let criteria: Vec<(String, String)> = spec
            .ids
            .iter()
            .filter(|o| {
                body.covers(o.span)
                    && o.role == IdRole::Definition
                    && o.id.starts_with(&format!("{n}."))
            })
            .map(|o| {
                (
                    o.id.clone(),
                    o.block
                        .map(|b| item_text(spec, spec.blocks[b].span, &o.id))
                        .unwrap_or_default(),
                )
            })
            .collect();
        let from_title = c
            .get(2)
            .map(|m| m.as_str().trim().to_string())
            .filter(|t| !t.is_empty());
        let title = from_title
            .or_else(|| {
                I_WANT
                    .captures(&collapse(spec.prose_slice(body)))
                    .map(|c| c[1].trim_end_matches('.').to_string())
            })
            .map(|t| imperative(&t))
            .unwrap_or_else(|| format!("Implement requirement {n}"));
        out.push(unit(
            spec,
            format!("R{n}"),
            criteria.iter().map(|(id, _)| id.clone()).collect(),
            title,
            None,
            criteria
                .into_iter()
                .map(|(_, t)| t)
                .filter(|t| !t.is_empty())
                .collect(),
            Span::new(s.heading_span.start, s.body_span.end),
            i,
            &structure,
            &doc_boundary,
            config,
        ));
    }
    // OpenSpec: `### Requirement: Title` sections, their scenarios as acceptance. A delta's
    // removed or renamed requirement is no work to build.
    for r in crate::openspec::requirements(spec)
        .into_iter()
        .filter(|r| !matches!(r.op, Some(DeltaOp::Removed | DeltaOp::Renamed)))
    {
        let (i, name) = (r.section, r.name.as_str());
        let s = &spec.sections[i];
        let acceptance: Vec<String> = s
            .children
            .iter()
            .map(|&c| &spec.sections[c])
            .filter(|c| c.title.starts_with("Scenario"))
            .map(|c| {
                let body = collapse(&readable(
                    spec,
                    Span::new(c.heading_span.end, c.body_span.end),
                ));
                format!("{}: {body}", c.title)
            })
            .collect();
        out.push(unit(
            spec,
            slug(name),
            Vec::new(),
            // A name that is a sentence ("Broker refuses tokens without an audience": a verb in
            // the third person after its first word) is a property to ensure; a noun phrase
            // ("Session timeout", "Host SDK Package Layout") a feature to implement.
            imperative(&if name
                .split_whitespace()
                .any(|w| matches!(w, "MUST" | "SHALL" | "SHOULD" | "must" | "shall"))
            {
                // "Host SDK Assemblies MUST be Shared" is a requirement sentence already.
                name.to_string()
            } else if is_sentence(name) {
                format!("Ensure {}", lower_first(name))
            } else {
                format!("Implement {}", lower_first(name))
            }),
            None,
            acceptance,
            Span::new(s.heading_span.start, s.body_span.end),
            i,
            &structure,
            &doc_boundary,
            config,
        ));
    }
    // Requirement ids (`FR-003`) defined in list items, paragraphs or headings.
    if family != Family::Kiro || out.is_empty() {
        for o in &spec.ids {
            if o.role != IdRole::Definition
                || o.kind != IdKind::Requirement
                || !o.id.starts_with(|c: char| c.is_ascii_alphabetic())
            {
                continue;
            }
            let Some(b) = o.block else { continue };
            let block = &spec.blocks[b];
            let span = match block.kind {
                BlockKind::Heading { .. } => spec
                    .section_at(block.span.start)
                    .map(|s| {
                        Span::new(
                            spec.sections[s].heading_span.start,
                            spec.sections[s].body_span.end,
                        )
                    })
                    .unwrap_or(block.span),
                _ => block.span,
            };
            let text = item_text(spec, block.span, &o.id);
            let key = normalize(&o.id);
            let story = stories
                .iter()
                .find(|(_, range, _)| {
                    spec.ids
                        .iter()
                        .any(|r| range.covers(r.span) && normalize(&r.id) == key)
                })
                .map(|(id, _, _)| id.clone());
            // Success criteria that name the requirement.
            let acceptance: Vec<String> = spec
                .ids
                .iter()
                .filter(|sc| sc.kind == IdKind::SuccessCriterion && sc.role == IdRole::Definition)
                .filter_map(|sc| {
                    let b = sc.block?;
                    let t = item_text(spec, spec.blocks[b].span, &sc.id);
                    spec.ids
                        .iter()
                        .any(|r| spec.blocks[b].span.covers(r.span) && normalize(&r.id) == key)
                        .then(|| format!("{}: {t}", sc.id))
                })
                .collect();
            let section = spec.section_at(block.span.start).unwrap_or(0);
            out.push(unit(
                spec,
                key,
                vec![o.id.clone()],
                imperative(&text),
                story,
                acceptance,
                span,
                section,
                &structure,
                &doc_boundary,
                config,
            ));
        }
    }
    // User stories that no requirement names: one task each, its scenarios as acceptance —
    // unless the spec's numbered requirements already state what the story is about (most of
    // the words of its title are in them): then the story groups them, and a task of its own
    // would build the same thing twice. A story about something no requirement mentions
    // ("Print a draft" beside export requirements) keeps its task.
    let requirement_words: std::collections::HashSet<String> = out
        .iter()
        .filter(|u| !u.covers.is_empty())
        .flat_map(|u| content_words(&readable(spec, u.span)))
        .collect();
    for (id, range, title) in &stories {
        let words = content_words(title);
        let stated = words
            .iter()
            .filter(|w| requirement_words.contains(*w))
            .count();
        if !words.is_empty() && stated * 2 > words.len() {
            continue;
        }
        if out
            .iter()
            .any(|u| u.story.as_deref() == Some(id.as_str()) || range.covers(u.span))
        {
            continue;
        }
        let acceptance: Vec<String> = spec
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::ListItem { .. }) && range.covers(b.span))
            .map(|b| collapse(&readable(spec, b.span)))
            .filter(|t| t.contains("Given") || t.contains("When") || t.contains("WHEN"))
            .collect();
        let section = spec.section_at(range.start).unwrap_or(0);
        out.push(unit(
            spec,
            normalize(id),
            Vec::new(),
            imperative(title),
            Some(id.clone()),
            acceptance,
            *range,
            section,
            &structure,
            &doc_boundary,
            config,
        ));
    }
    // A spec without ids: each list item with a normative keyword is a requirement.
    if out.is_empty() {
        let mut seen: Vec<usize> = Vec::new();
        for st in &spec.statements {
            let block = &spec.blocks[st.block];
            if !matches!(block.kind, BlockKind::ListItem { .. })
                || seen.contains(&st.block)
                || !st
                    .keywords
                    .iter()
                    .any(|k| k.strength == crate::syntax::KeywordStrength::Normative)
            {
                continue;
            }
            seen.push(st.block);
            let text = item_text(spec, block.span, "");
            let key: String = slug(&text).split('-').take(6).collect::<Vec<_>>().join("-");
            let section = spec.section_at(block.span.start).unwrap_or(0);
            out.push(unit(
                spec,
                format!("item-{key}"),
                Vec::new(),
                imperative(&text),
                None,
                Vec::new(),
                block.span,
                section,
                &structure,
                &doc_boundary,
                config,
            ));
        }
    }
    out.sort_by_key(|u| u.span.start);
    out
}

#[allow(clippy::too_many_arguments)]
fn unit(
    spec: &SpecDoc,
    key: String,
    covers: Vec<String>,
    title: String,
    story: Option<String>,
    acceptance: Vec<String>,
    span: Span,
    section: usize,
    structure: &[String],
    doc_boundary: &[String],
    config: &Config,
) -> Unit {
    let fence = boundary::of(spec, span, section, structure, doc_boundary, config);
    let mut after = Vec::new();
    for c in AFTER.captures_iter(spec.prose_slice(span)) {
        for m in ID_IN_LIST.find_iter(&c[1]) {
            after.push(m.as_str().to_string());
        }
    }
    Unit {
        key,
        covers,
        title,
        story,
        acceptance,
        boundary: fence.boundary,
        components: fence.components,
        evidence: fence.evidence,
        after,
        span,
    }
}

/// Story sections (`### User Story 1 - Title`): id, range, title.
fn story_sections(spec: &SpecDoc) -> Vec<(String, Span, String)> {
    spec.sections
        .iter()
        .filter_map(|s| {
            let c = STORY_HEADING.captures(&s.title)?;
            Some((
                format!("US{}", &c[1]),
                Span::new(s.heading_span.start, s.body_span.end),
                c[2].trim().to_string(),
            ))
        })
        .collect()
}

/// The item's first paragraph of prose (hard-wrapped lines joined, inline code kept, markup
/// dropped, nested items left out), without its id label.
fn item_text(spec: &SpecDoc, span: Span, id: &str) -> String {
    let prose = readable(spec, span);
    let lines: Vec<&str> = prose
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .collect();
    let mut paragraph: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let nested_item = i > 0 && line.starts_with(['-', '*', '+']) && line[1..].starts_with(' ');
        if line.is_empty() || nested_item {
            break;
        }
        paragraph.push(line);
    }
    let text = collapse(&paragraph.join(" "));
    let text = text
        .strip_prefix(id)
        .map(|r| {
            r.trim_start_matches([' ', ':', '.', '-', '–', '—', ')'])
                .to_string()
        })
        .unwrap_or(text);
    text.trim().to_string()
}

/// The text of `span` as a reader sees it: the prose, with the contents of inline code spans
/// put back (`through src/export/pdf.rs`, not `through `).
fn readable(spec: &SpecDoc, span: Span) -> String {
    let text = spec.slice(span);
    let prose = spec.prose_slice(span);
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for ((_, t), p) in text.char_indices().zip(prose.chars()) {
        if t == '`' {
            in_code = !in_code;
            out.push(' ');
        } else if in_code && t != '\n' {
            out.push(t);
        } else {
            out.push(p);
        }
    }
    out
}

/// Whether an OpenSpec requirement's name reads as a sentence: a lower-case word ending in `s`
/// after the first word (`refuses`, `honors`, `are`).
fn is_sentence(name: &str) -> bool {
    name.split_whitespace().skip(1).any(|w| {
        w.starts_with(|c: char| c.is_lowercase())
            && (w.ends_with('s') && w.len() > 3 || matches!(w, "is" | "are" | "has" | "must"))
    })
}

/// The words of `text` that carry content: four letters or more, lower-cased, a plural `s`
/// dropped.
fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(|w| {
            let w = w.to_lowercase();
            w.strip_suffix('s')
                .filter(|r| r.len() >= 4)
                .map_or(w.clone(), str::to_string)
        })
        .collect()
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
