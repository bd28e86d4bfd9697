//! A task's boundary from what the spec says, and only that: boundary annotations (`Touches:`,
//! `Files:`, `Boundary:`, `Out of bounds:`, a `boundary` code block), cc-sdd's `## Boundary
//! Context`, components mapped by `[boundaries]`, paths and file names the requirement names
//! (`src/export/`, `README.md`, `LICENSE`), directories of plan.md's project structure the
//! requirement names as paths, and `[decompose].default-boundary`. Nothing is guessed from
//! words: a requirement that names no file gets no boundary, and the task-boundary hint asks.

use crate::config::Config;
use crate::span::Span;
use crate::syntax::{BlockKind, IdRole, SpecDoc};
use regex::Regex;
use std::sync::LazyLock;

static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|_)?(touches|files|boundary|out of bounds)(?:\*\*|_)?[ \t]*:(?:\*\*)?[ \t]*(.+?)[ \t]*_?\r?$")
        .expect("static regex")
});

/// The boundary of the unit at `span` (in section `section`), with its evidence: the entries
/// the requirement itself names, which alone may order tasks.
pub(super) fn of<'c>(
    spec: &SpecDoc,
    span: Span,
    section: usize,
    structure: &[String],
    doc_boundary: &[String],
    config: &'c Config,
) -> Fence<'c> {
    let text = spec.slice(span);
    let mut fence = Fence {
        boundary: Vec::new(),
        components: Vec::new(),
        evidence: Vec::new(),
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
    // Paths and file names the requirement names: in backticks, or bare in its prose
    // (`web/src/sharing/api.ts`, `README.md`, `LICENSE`).
    let named = named_paths(text);
    for path in &named {
        let g = if path.ends_with('/') {
            format!("{path}**")
        } else {
            path.clone()
        };
        fence.add(&g, false);
    }
    // Directories of the plan's project structure that the requirement names as a path
    // (`sharing/`, `src/sharing`): the plan says where they are.
    for dir in structure {
        let dir = dir.trim_end_matches('/');
        let name = dir.rsplit('/').next().unwrap_or("");
        if name.len() < 3 || GENERIC_DIRS.contains(&name.to_lowercase().as_str()) {
            continue;
        }
        let names_it = named.iter().any(|p| {
            let p = p.trim_end_matches('/');
            p == name || p.ends_with(&format!("/{name}")) && dir.ends_with(p)
        });
        if names_it {
            fence.add(&format!("{dir}/**"), false);
        }
    }
    fence.evidence = fence.boundary.clone();
    for g in doc_boundary {
        fence.add(g, false);
    }
    if fence.boundary.is_empty() && fence.components.is_empty() {
        for g in config.default_boundary() {
            fence.add(&g, false);
        }
    }
    fence
}

/// Files a repository keeps at its root under a conventional name.
const ROOT_FILES: &[&str] = &[
    "README",
    "LICENSE",
    "LICENCE",
    "CONTRIBUTING",
    "SECURITY",
    "CHANGELOG",
    "CODE_OF_CONDUCT",
    "NOTICE",
    "AUTHORS",
    "CODEOWNERS",
    "Makefile",
    "Dockerfile",
];

/// The paths a requirement's text names: every path in backticks, and in its prose the
/// tokens that are unmistakably paths (a `/` and a known extension or a trailing `/`, or a
/// conventional root file such as `README.md` or `LICENSE`). Words are never paths: "the
/// workflow" names no `.github/workflows/`.
pub(super) fn named_paths(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |p: &str| {
        if !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    };
    for code in inline_code(text) {
        if looks_like_path(code) && plausible_path(code) {
            push(code);
        }
    }
    let mut prose = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
            prose.push(' ');
        } else {
            prose.push(if in_code { ' ' } else { c });
        }
    }
    for token in prose.split_whitespace() {
        let t = token
            .trim_start_matches(['(', '[', '"', '\'', '*', '_'])
            .trim_end_matches([')', ']', '"', '\'', ',', ';', ':', '.', '*', '_', '!', '?']);
        if t.contains("://") || t.starts_with('/') || t.contains("..") {
            continue;
        }
        let root_file = ROOT_FILES.iter().any(|f| {
            t == *f
                || t.strip_prefix(f)
                    .is_some_and(|ext| matches!(ext, ".md" | ".txt" | ".rst" | ".yml" | ".yaml"))
        });
        let path = t.contains('/') && looks_like_path(t) && (t.ends_with('/') || has_extension(t));
        if root_file || path {
            push(t);
        }
    }
    out
}

/// Branch names (`feat/login`, `fix/**`) and `owner/repo` look like paths too. A code span
/// is taken as a path when it names a file (an extension), a folder (a trailing `/`, a glob, a
/// dot folder) or starts at a usual source root.
fn plausible_path(code: &str) -> bool {
    const ROOTS: &[&str] = &[
        "src",
        "lib",
        "app",
        "apps",
        "web",
        "server",
        "client",
        "packages",
        "pkg",
        "cmd",
        "internal",
        "tests",
        "test",
        "docs",
        "scripts",
        "config",
        "crates",
        "api",
        "frontend",
        "backend",
        "examples",
        "assets",
        "public",
        "components",
        "modules",
        "services",
        "specs",
        "bin",
        "include",
        "tools",
    ];
    const BRANCHES: &[&str] = &[
        "feat", "feature", "fix", "bugfix", "hotfix", "chore", "release",
    ];
    let first = code
        .trim_start_matches("./")
        .split('/')
        .next()
        .unwrap_or("");
    if BRANCHES.contains(&first) {
        return false;
    }
    has_extension(code)
        || code.ends_with('/')
        || code.contains('*')
        || first.starts_with('.')
        || ROOTS.contains(&first)
}

/// `a/b.rs`, `docs/x.md`: the last segment has an extension of letters.
fn has_extension(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 5
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// A boundary being collected: globs, and component names `[boundaries]` does not map.
pub(super) struct Fence<'c> {
    pub boundary: Vec<String>,
    pub components: Vec<String>,
    /// The globs the requirement itself names (not the folder's or the default).
    pub evidence: Vec<String>,
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
pub(super) fn boundary_context(spec: &SpecDoc) -> Vec<String> {
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
pub(super) fn project_structure(plan: &SpecDoc) -> Vec<String> {
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
pub(super) fn looks_like_path(s: &str) -> bool {
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
    fn paths_are_recognised() {
        assert!(looks_like_path("src/export/pdf.rs"));
        assert!(looks_like_path("src/export/"));
        assert!(looks_like_path("Cargo.toml"));
        assert!(!looks_like_path("cargo test"));
        assert!(!looks_like_path("https://x.org/a"));
        assert!(!looks_like_path("FR-001"));
        assert!(!looks_like_path("e.g"));
    }

    #[test]
    fn named_paths_are_paths_and_root_files_never_words() {
        assert_eq!(
            named_paths(
                "Add badges to README.md and the LICENSE, see `docs/ci.md`; the CI workflow stays in web/src/ci/ (Node.js, e.g. v1.2)."
            ),
            ["docs/ci.md", "README.md", "LICENSE", "web/src/ci/"]
        );
        assert!(named_paths("The workflow MUST show a status badge").is_empty());
        assert!(
            named_paths("Push to `feat/health-check`, match `fix/**`, clone `owner/orphan-repo`")
                .is_empty()
        );
        assert_eq!(
            named_paths("Edit `src/export` and `.github/workflows/`"),
            ["src/export", ".github/workflows/"]
        );
    }
}
