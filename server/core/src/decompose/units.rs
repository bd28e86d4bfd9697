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
    /// Ids it comes after ("after FR-002", "depends on T012").
    pub after: Vec<String>,
    /// Where it stands in the spec.
    pub span: Span,
}

static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|_)?(touches|files|boundary|out of bounds)(?:\*\*|_)?[ \t]*:(?:\*\*)?[ \t]*(.+?)[ \t]*_?\r?$")
        .expect("static regex")
});
static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:after|depends\s+on|requires\s+task|blocked\s+by)\s+((?:[A-Z]+-?\d+(?:\.\d+)*)(?:\s*(?:,|and)\s*[A-Z]+-?\d+(?:\.\d+)*)*)")
        .expect("static regex")
});
static ID_IN_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Z]+-?\d+(?:\.\d+)*").expect("static regex"));
static AFTER_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),?\s*\b(?:after|depends\s+on|blocked\s+by)\s+[A-Z]+-?\d+(?:\.\d+)*(?:\s*(?:,|and)\s*[A-Z]+-?\d+(?:\.\d+)*)*")
        .expect("static regex")
});
static OPEN_QUESTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[NEEDS CLARIFICATION[^\]]*\]").expect("static regex"));
static MODAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(MUST|SHALL|SHOULD|MAY|WILL|must|shall|should|will)(\s+(?:NOT|not))?\s+")
        .expect("static regex")
});
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
                let body =
                    collapse(spec.prose_slice(Span::new(c.heading_span.end, c.body_span.end)));
                format!("{}: {body}", c.title)
            })
            .collect();
        out.push(unit(
            spec,
            slug(name),
            Vec::new(),
            imperative(&format!("Implement {}", lower_first(name))),
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
    // User stories that no requirement names: one task each, its scenarios as acceptance.
    for (id, range, title) in &stories {
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
            .map(|b| collapse(spec.prose_slice(b.span)))
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
    let text = spec.slice(span);
    let mut fence = Fence {
        boundary: Vec::new(),
        components: Vec::new(),
        config,
    };
    // Annotations in the unit, else in the sections that hold it (nearest first).
    let mut regions = vec![span];
    let mut cur = Some(section);
    while let Some(i) = cur {
        let s = &spec.sections[i];
        let own_end = s
            .children
            .first()
            .map_or(s.body_span.end, |&c| spec.sections[c].heading_span.start);
        regions.push(Span::new(s.heading_span.end, own_end));
        cur = s.parent;
    }
    // Items that define a requirement own the annotations under them: a section-level
    // annotation is one outside every such item.
    let owned: Vec<Span> = spec
        .ids
        .iter()
        .filter(|o| o.role == IdRole::Definition)
        .filter_map(|o| o.block)
        .map(|b| spec.blocks[b].span)
        .filter(|s| !span.covers(*s) && !s.covers(span))
        .collect();
    for (n, region) in regions.into_iter().enumerate() {
        let found: Vec<(String, bool)> = annotations(spec, region)
            .into_iter()
            .filter(|(_, _, at)| n == 0 || !owned.iter().any(|o| o.contains(*at)))
            .map(|(item, deny, _)| (item, deny))
            .collect();
        if !found.is_empty() {
            for (item, deny) in found {
                fence.add(&item, deny);
            }
            break;
        }
    }
    // Paths in backticks in the requirement itself.
    for code in inline_code(text) {
        if looks_like_path(code) {
            let g = if code.ends_with('/') {
                format!("{code}**")
            } else {
                code.to_string()
            };
            fence.add(&g, false);
        }
    }
    // Directories of the plan's project structure that the requirement names.
    if fence.boundary.is_empty() {
        let words = words_of(&spec.prose_slice(span).to_lowercase());
        for dir in structure {
            let name = dir
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_lowercase();
            if name.len() >= 4 && !GENERIC_DIRS.contains(&name.as_str()) {
                let singular = name.trim_end_matches('s');
                if words
                    .iter()
                    .any(|w| w == &name || w.trim_end_matches('s') == singular)
                {
                    fence.add(&format!("{}/**", dir.trim_end_matches('/')), false);
                }
            }
        }
    }
    for g in doc_boundary {
        fence.add(g, false);
    }
    if fence.boundary.is_empty() && fence.components.is_empty() {
        for g in config.default_boundary() {
            fence.add(&g, false);
        }
    }
    let Fence {
        boundary,
        components,
        ..
    } = fence;
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
        boundary,
        components,
        after,
        span,
    }
}

/// A boundary being collected: globs, and component names `[boundaries]` does not map.
struct Fence<'c> {
    boundary: Vec<String>,
    components: Vec<String>,
    config: &'c Config,
}

impl Fence<'_> {
    fn add(&mut self, item: &str, deny: bool) {
        let item = item.trim().trim_matches('`').trim();
        if item.is_empty() {
            return;
        }
        // `server/search/` is the folder: every file under it.
        let owned;
        let item = if item.ends_with('/') {
            owned = format!("{item}**");
            owned.as_str()
        } else {
            item
        };
        let globs = if crate::tasks::looks_like_glob(item) {
            vec![item.trim_start_matches('!').to_string()]
        } else {
            match self.config.boundary_component(item) {
                Some(globs) => globs,
                None => {
                    if !self.components.iter().any(|c| c == item) {
                        self.components.push(item.to_string());
                    }
                    return;
                }
            }
        };
        let deny = deny || item.starts_with('!');
        for g in globs {
            let g = if deny { format!("!{g}") } else { g };
            if !self.boundary.contains(&g) {
                self.boundary.push(g);
            }
        }
    }
}

const GENERIC_DIRS: &[&str] = &[
    "src",
    "lib",
    "libs",
    "test",
    "tests",
    "spec",
    "specs",
    "docs",
    "app",
    "apps",
    "main",
    "core",
    "common",
    "shared",
    "utils",
    "util",
    "internal",
    "pkg",
    "cmd",
    "bin",
    "build",
    "dist",
    "public",
    "assets",
    "scripts",
    "config",
    "contract",
    "contracts",
    "integration",
    "unit",
    "models",
    "services",
    "components",
    "pages",
    "api",
];

/// Boundary annotations written in `region`: (glob or component, must-not, where).
fn annotations(spec: &SpecDoc, region: Span) -> Vec<(String, bool, usize)> {
    let text = spec.slice(region);
    let mut out = Vec::new();
    for c in ANNOTATION.captures_iter(text) {
        // The keyword must be prose: not in a code block or a comment.
        let Some(kw) = c.get(1) else { continue };
        if !spec.is_prose(Span::new(
            region.start + kw.start(),
            region.start + kw.end(),
        )) {
            continue;
        }
        let deny_all = c[1].eq_ignore_ascii_case("out of bounds");
        let at = region.start + kw.start();
        for item in c[2].trim_end_matches('_').split(',') {
            let item = item.trim().trim_matches('`').trim_end_matches('.').trim();
            if !item.is_empty() {
                out.push((item.to_string(), deny_all || item.starts_with('!'), at));
            }
        }
    }
    for b in &spec.blocks {
        if let BlockKind::CodeBlock { lang: Some(lang) } = &b.kind
            && lang == "boundary"
            && region.covers(b.span)
        {
            for line in spec.slice(b.span).lines().skip(1) {
                let l = line.trim();
                if l.is_empty()
                    || l.starts_with("```")
                    || l.starts_with("~~~")
                    || l.starts_with('#')
                {
                    continue;
                }
                out.push((l.to_string(), l.starts_with('!'), b.span.start));
            }
        }
    }
    out
}

/// cc-sdd's `## Boundary Context`: paths in backticks under In scope (allowed) and Out of
/// scope (must not).
fn boundary_context(spec: &SpecDoc) -> Vec<String> {
    let Some(s) = spec
        .sections
        .iter()
        .find(|s| s.title.eq_ignore_ascii_case("boundary context"))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut deny = false;
    for line in spec
        .slice(Span::new(s.heading_span.end, s.body_span.end))
        .lines()
    {
        let lower = line.to_lowercase();
        if lower.contains("out of scope") {
            deny = true;
        } else if lower.contains("in scope") {
            deny = false;
        }
        for code in inline_code(line) {
            if looks_like_path(code) {
                let g = if code.ends_with('/') {
                    format!("{code}**")
                } else {
                    code.to_string()
                };
                out.push(if deny { format!("!{g}") } else { g });
            }
        }
    }
    out
}

/// The directories of plan.md's project structure (code blocks under a heading that says
/// "structure" or "source code"), as `/`-separated paths.
fn project_structure(plan: &SpecDoc) -> Vec<String> {
    let mut out = Vec::new();
    for s in &plan.sections {
        let t = s.title.to_lowercase();
        if !(t.contains("structure") || t.contains("source code")) {
            continue;
        }
        for b in &plan.blocks {
            if !matches!(b.kind, BlockKind::CodeBlock { .. }) || !s.body_span.covers(b.span) {
                continue;
            }
            let mut stack: Vec<(usize, String)> = Vec::new();
            for line in plan.slice(b.span).lines().skip(1) {
                if line.trim_start().starts_with("```") {
                    continue;
                }
                let content = line.split('#').next().unwrap_or("");
                let depth = content
                    .chars()
                    .take_while(|c| {
                        matches!(c, ' ' | '│' | '├' | '└' | '─' | '|' | '`' | '-' | '\t')
                    })
                    .count();
                let name = content
                    .trim_start_matches([' ', '│', '├', '└', '─', '|', '`', '-', '\t'])
                    .trim();
                if name.is_empty() || name.contains(' ') {
                    continue;
                }
                while stack.last().is_some_and(|(d, _)| *d >= depth) {
                    stack.pop();
                }
                let parent = stack.last().map(|(_, p)| p.clone());
                let path = match parent {
                    Some(p) => {
                        format!("{}/{}", p.trim_end_matches('/'), name.trim_end_matches('/'))
                    }
                    None => name.trim_end_matches('/').to_string(),
                };
                if name.ends_with('/') {
                    out.push(path.clone());
                    stack.push((depth, path));
                }
            }
        }
    }
    out
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

/// The item's first line of prose (inline code kept, markup dropped), without its id label.
fn item_text(spec: &SpecDoc, span: Span, id: &str) -> String {
    let prose = readable(spec, span);
    let prose = prose.as_str();
    let first = prose
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let text = collapse(first);
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

/// A requirement's text as a task title: the action after the modal verb, capitalised, its
/// first sentence, at most 90 characters.
pub(crate) fn imperative(text: &str) -> String {
    // "…, after FR-001" orders the task; it is not part of its name. An open question stays
    // visible, short.
    let text = AFTER_CLAUSE.replace_all(text, "");
    let text = collapse(&OPEN_QUESTION.replace_all(&text, "(needs clarification)"));
    let mut title = match MODAL.captures(&text) {
        Some(c) => {
            let at = c.get(0).map_or(0, |m| m.start());
            let subject = text[..at].trim();
            let rest = &text[c.get(0).map_or(0, |m| m.end())..];
            let rest = rest
                .strip_prefix("be able to ")
                .or_else(|| rest.strip_prefix("provide the ability to "))
                .unwrap_or(rest);
            let negative = c.get(2).is_some();
            if subject.is_empty() || is_actor(subject) {
                if negative {
                    format!("Never {rest}")
                } else {
                    rest.to_string()
                }
            } else {
                // "Shared drafts MUST be encrypted" → "Ensure shared drafts are encrypted".
                let plural = subject.ends_with('s') && !subject.ends_with("ss");
                let (verb, tail) = rest.split_once(' ').unwrap_or((rest, ""));
                let verb = match (verb, plural, negative) {
                    ("be", true, false) => "are".to_string(),
                    ("be", false, false) => "is".to_string(),
                    ("be", true, true) => "are not".to_string(),
                    ("be", false, true) => "is not".to_string(),
                    ("have", false, false) => "has".to_string(),
                    (v, true, true) => format!("do not {v}"),
                    (v, false, true) => format!("does not {v}"),
                    (v, true, false) => v.to_string(),
                    (v, false, false)
                        if v.ends_with(['s', 'x', 'z', 'o'])
                            || v.ends_with("sh")
                            || v.ends_with("ch") =>
                    {
                        format!("{v}es")
                    }
                    (v, false, false) => format!("{v}s"),
                };
                format!("Ensure {} {verb} {tail}", lower_first(subject))
                    .trim_end()
                    .to_string()
            }
        }
        None => text.clone(),
    };
    if let Some(end) = title.find(". ") {
        title.truncate(end);
    }
    let title = title
        .trim()
        .trim_end_matches(['.', ';', ':'])
        .trim()
        .to_string();
    let mut out: String = title.chars().take(90).collect();
    if title.chars().count() > 90 {
        if let Some(cut) = out.rfind(' ') {
            out.truncate(cut);
        }
        out.push('…');
    }
    let mut c = out.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "Implement the requirement".into(),
    }
}

/// A subject that acts (the system, the editor, users) rather than one acted upon.
fn is_actor(subject: &str) -> bool {
    let last = subject
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.trim_end_matches('s'),
        "system"
            | "editor"
            | "app"
            | "application"
            | "service"
            | "server"
            | "api"
            | "client"
            | "cli"
            | "tool"
            | "platform"
            | "user"
            | "writer"
            | "admin"
            | "administrator"
            | "owner"
            | "operator"
            | "member"
            | "customer"
            | "author"
            | "reader"
            | "module"
            | "component"
            | "backend"
            | "frontend"
            | "worker"
            | "gateway"
            | "plugin"
            | "extension"
    ) || last.ends_with("_service")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().chain(c).collect()
        }
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
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

fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The contents of single-backtick code spans in `text`.
fn inline_code(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(a) = rest.find('`') {
        let after = &rest[a + 1..];
        let Some(b) = after.find('`') else { break };
        let code = &after[..b];
        if !code.is_empty() && !code.contains('\n') {
            out.push(code);
        }
        rest = &after[b + 1..];
    }
    out
}

/// `src/export/pdf.rs`, `src/export/`, `web/app.tsx`: a relative path (no spaces, a slash or a
/// known source extension), not a command, URL or id.
fn looks_like_path(s: &str) -> bool {
    if s.contains(char::is_whitespace)
        || s.contains("://")
        || s.starts_with('-')
        || s.starts_with('$')
    {
        return false;
    }
    let ext = s.rsplit_once('.').map(|(_, e)| e);
    let source_ext = ext.is_some_and(|e| {
        matches!(
            e,
            "rs" | "ts"
                | "tsx"
                | "js"
                | "jsx"
                | "py"
                | "go"
                | "java"
                | "kt"
                | "swift"
                | "rb"
                | "cs"
                | "cpp"
                | "c"
                | "h"
                | "toml"
                | "yaml"
                | "yml"
                | "json"
                | "sql"
                | "md"
                | "lua"
                | "vue"
        )
    });
    (s.contains('/')
        && !s.starts_with('/')
        && s.chars()
            .all(|c| c.is_alphanumeric() || "/._-*".contains(c)))
        || (source_ext && s.chars().all(|c| c.is_alphanumeric() || "/._-".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_imperative() {
        assert_eq!(
            imperative("The editor MUST export drafts as PDF."),
            "Export drafts as PDF"
        );
        assert_eq!(
            imperative("Users MUST be able to share a draft with a team. Extra."),
            "Share a draft with a team"
        );
        assert_eq!(
            imperative("The system MUST NOT store plaintext passwords"),
            "Never store plaintext passwords"
        );
        assert_eq!(
            imperative("WHEN a member opens a draft THE editor SHALL show the latest version"),
            "Show the latest version"
        );
        assert_eq!(imperative("Export drafts"), "Export drafts");
        assert_eq!(
            imperative("Shared drafts MUST be encrypted at rest"),
            "Ensure shared drafts are encrypted at rest"
        );
        assert_eq!(
            imperative("Edits MUST reach other members within 2 s"),
            "Ensure edits reach other members within 2 s"
        );
        assert_eq!(
            imperative("The export MUST complete within 5 s"),
            "Ensure the export completes within 5 s"
        );
        assert_eq!(
            imperative("Each session MUST NOT outlive 30 minutes"),
            "Ensure each session does not outlive 30 minutes"
        );
    }

    #[test]
    fn paths_are_recognised() {
        assert!(looks_like_path("src/export/pdf.rs"));
        assert!(looks_like_path("src/export/"));
        assert!(looks_like_path("Cargo.toml"));
        assert!(!looks_like_path("cargo test"));
        assert!(!looks_like_path("https://x.org/a"));
        assert!(!looks_like_path("FR-001"));
        assert!(!looks_like_path("e.g"));
    }
}
