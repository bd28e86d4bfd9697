//! Decomposition: a section of a spec (or the whole spec) into tasks an agent can finish alone,
//! each with a context boundary, deterministically and idempotently.
//!
//! [`units`] finds the requirement units (ids like `FR-003`, Kiro's `### Requirement N`,
//! OpenSpec's `### Requirement:`, user stories, normative list items) and what each says about
//! its boundary, acceptance and dependencies; [`plan`] numbers them against the existing tasks
//! file (the model in [`crate::tasks`]) and returns the edits that bring the file up to date: new tasks appended,
//! generated tasks whose source changed rewritten in place (checkbox and a person's lines
//! kept), everything else untouched.

mod boundary;
mod title;
mod units;

use crate::tasks;
pub use crate::tasks::{FileTask, Status, TaskFormat, TaskValue, TasksFile};
pub use units::{Unit, units};

use crate::config::Config;
use crate::diagnostic::TextEdit;
use crate::kind::Family;
use crate::span::Span;
use crate::syntax::{SpecDoc, normalize};

/// What a decomposition reads.
pub struct DecomposeInput<'a> {
    pub spec: &'a SpecDoc,
    pub family: Family,
    /// The section to decompose (an index into `spec.sections`); `None`: the whole spec.
    pub section: Option<usize>,
    /// The feature's plan or design, for its project structure and boundary annotations.
    pub plan: Option<&'a SpecDoc>,
    /// The current tasks file, when there is one.
    pub tasks: Option<&'a str>,
    /// The unit keys of the other specs that write to the same tasks file (an OpenSpec
    /// change's other delta specs): their tasks are not gone.
    pub others: &'a [String],
    pub config: &'a Config,
}

/// The outcome: the tasks file's new text as edits, and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decomposition {
    pub format: TaskFormat,
    /// Edits to the tasks file (empty when nothing changes). When there was no tasks file,
    /// one edit inserts the whole file at 0.
    pub edits: Vec<TextEdit>,
    /// The tasks the decomposition stands for, in order, as they will be in the file.
    pub tasks: Vec<TaskValue>,
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Generated tasks whose requirement is gone (only judged for a whole-spec run): kept,
    /// and named here.
    pub stale: Vec<String>,
}

/// Decomposes `input` against its tasks file.
pub fn plan(input: &DecomposeInput<'_>) -> Decomposition {
    let all = units(input.spec, input.family, input.plan, input.config);
    let selected: Vec<&Unit> = match input.section {
        Some(i) => {
            let s = &input.spec.sections[i];
            let range = Span::new(
                s.heading_span.start,
                s.body_span.end.max(s.heading_span.end),
            );
            all.iter()
                .filter(|u| range.covers(u.span) || u.span.covers(range))
                .collect()
        }
        None => all.iter().collect(),
    };
    let fallback = match input.family {
        Family::Kiro | Family::CcSdd | Family::OpenSpec => TaskFormat::Kiro,
        _ => TaskFormat::SpecKit,
    };
    let existing = input
        .tasks
        .map(|t| tasks::parse(t, fallback))
        .unwrap_or(TasksFile {
            format: fallback,
            tasks: Vec::new(),
            steps: Vec::new(),
        });
    let format = existing.format;

    // Which existing task each unit maps to: the generated task of that key (one each), else a
    // task a person wrote that covers the unit's id (one such task may cover several units).
    let mut taken = vec![false; existing.tasks.len()];
    let mut matched: Vec<Option<usize>> = Vec::new();
    for u in &selected {
        let by_source = existing.tasks.iter().enumerate().position(|(i, t)| {
            !taken[i]
                && t.value
                    .source
                    .as_deref()
                    .is_some_and(|s| s.split('#').next() == Some(u.key.as_str()))
        });
        let by_cover = || {
            existing.tasks.iter().position(|t| {
                t.value.source.is_none()
                    && (t.value.covers.iter().any(|c| {
                        normalize(c) == u.key || u.covers.iter().any(|id| cover_includes(c, id))
                    }) || (u.covers.is_empty()
                        && u.story.as_deref().map(normalize).as_deref() == Some(u.key.as_str())
                        && t.value.story.as_deref().map(normalize)
                            == u.story.as_deref().map(normalize)))
            })
        };
        if let Some(i) = by_source {
            taken[i] = true;
        }
        matched.push(by_source.or_else(by_cover));
    }

    // Ids: kept for matched tasks, the next free ones (never reused) for new tasks.
    let mut next = next_id(&existing, format);
    let ids: Vec<String> = matched
        .iter()
        .map(|m| match m {
            Some(i) => existing.tasks[*i].value.id.clone(),
            None => {
                let id = format_id(next, format);
                next += 1;
                id
            }
        })
        .collect();
    let id_of_key = |key: &str| -> Option<String> {
        selected
            .iter()
            .position(|u| u.key == key || u.covers.iter().any(|c| normalize(c) == key))
            .map(|i| ids[i].clone())
    };

    // Dependencies: explicit ones, then an order between tasks whose requirements name the
    // same file or folder. A boundary from the folder or the default orders nothing.
    let mut depends: Vec<Vec<String>> = Vec::new();
    let mut dep_keys: Vec<Vec<String>> = Vec::new();
    for (i, u) in selected.iter().enumerate() {
        let mut d: Vec<String> = Vec::new();
        let mut k: Vec<String> = Vec::new();
        for after in &u.after {
            let key = normalize(after);
            if key == u.key {
                continue;
            }
            if let Some(id) = id_of_key(&key) {
                if !d.contains(&id) {
                    d.push(id);
                    k.push(key);
                }
            } else if after.starts_with('T') && !d.contains(after) {
                d.push(after.clone());
                k.push(after.clone());
            }
        }
        if d.is_empty()
            && let Some(j) = (0..i)
                .rev()
                .find(|&j| overlaps(&selected[j].evidence, &u.evidence))
        {
            d.push(ids[j].clone());
            k.push(selected[j].key.clone());
        }
        depends.push(d);
        dep_keys.push(k);
    }
    // Tasks of the file this decomposition does not stand for (other sections, a person's,
    // stale ones) still run: a task is parallel only if it is disjoint from them too.
    let others: Vec<&Vec<String>> = existing
        .tasks
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched.contains(&Some(*i)))
        .map(|(_, t)| &t.value.boundary)
        .collect();
    let parallel: Vec<bool> = (0..selected.len())
        .map(|i| {
            let u = selected[i];
            allows(&u.boundary)
                && depends[i].is_empty()
                && (0..selected.len()).filter(|&j| j != i).all(|j| {
                    !overlaps(&selected[j].boundary, &u.boundary) && !depends[j].contains(&ids[i])
                })
                && others.iter().all(|b| !overlaps(b, &u.boundary))
        })
        .collect();

    let mut planned: Vec<TaskValue> = Vec::new();
    for (i, u) in selected.iter().enumerate() {
        let mut v = TaskValue {
            id: ids[i].clone(),
            title: u.title.clone(),
            status: Status::Todo,
            optional: false,
            parallel: parallel[i],
            story: if format == TaskFormat::SpecKit {
                u.story.clone()
            } else {
                None
            },
            covers: u.covers.clone(),
            boundary: u.boundary.clone(),
            components: u.components.clone(),
            acceptance: u.acceptance.clone(),
            check: input.config.decompose_check(),
            depends: depends[i].clone(),
            source: None,
        };
        v.source = Some(format!("{}#{}", u.key, fingerprint(&v, &dep_keys[i])));
        if let Some(m) = matched[i] {
            let t = &existing.tasks[m].value;
            v.status = t.status;
            v.optional = t.optional;
        }
        planned.push(v);
    }

    let text = input.tasks.unwrap_or("");
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edits = Vec::new();
    let (mut created, mut updated, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
    let mut new_lines: Vec<String> = Vec::new();
    for (i, v) in planned.iter().enumerate() {
        match matched[i] {
            Some(m) => {
                let t = &existing.tasks[m];
                if t.value.source.is_none() || t.value.source == v.source {
                    unchanged.push(v.id.clone());
                    continue;
                }
                let mut lines = tasks::render(v, format, &t.indent, t.upper_done);
                lines.extend(t.extra.iter().cloned());
                let ends_with_newline = text[..t.end].ends_with('\n');
                let mut new_text = lines.join(nl);
                if ends_with_newline {
                    new_text.push_str(nl);
                }
                edits.push(TextEdit {
                    span: Span::new(t.start, t.end),
                    new_text,
                });
                updated.push(v.id.clone());
            }
            None => {
                new_lines.extend(tasks::render(v, format, "", false));
                created.push(v.id.clone());
            }
        }
    }
    let section_title = input
        .section
        .map(|i| input.spec.sections[i].title.clone())
        .unwrap_or_else(|| spec_title(input.spec));
    if !new_lines.is_empty() {
        let body = new_lines.join(nl);
        if input.tasks.is_none() || text.trim().is_empty() {
            let header = match format {
                TaskFormat::SpecKit => format!(
                    "# Tasks: {}{nl}{nl}## Phase 1: {section_title}{nl}{nl}",
                    spec_title(input.spec)
                ),
                TaskFormat::Kiro => format!("# Implementation Plan{nl}{nl}"),
            };
            edits.push(TextEdit {
                span: Span::new(0, text.len()),
                new_text: format!("{header}{body}{nl}"),
            });
        } else {
            let phases = text
                .lines()
                .filter(|l| l.trim_start().starts_with("## Phase"))
                .count();
            let heading = if phases > 0 {
                format!("## Phase {}: {section_title}{nl}{nl}", phases + 1)
            } else {
                String::new()
            };
            let end = text.trim_end().len();
            edits.push(TextEdit {
                span: Span::new(end, text.len()),
                new_text: format!("{nl}{nl}{heading}{body}{nl}"),
            });
        }
    }
    let stale = if input.section.is_none() {
        existing
            .tasks
            .iter()
            .filter(|t| {
                t.value.source.as_deref().is_some_and(|s| {
                    let key = s.split('#').next().unwrap_or("");
                    !all.iter().any(|u| u.key == key) && !input.others.iter().any(|k| k == key)
                })
            })
            .map(|t| t.value.id.clone())
            .collect()
    } else {
        Vec::new()
    };
    Decomposition {
        format,
        edits,
        tasks: planned,
        created,
        updated,
        unchanged,
        stale,
    }
}

/// Whether a task's cover notation (`FR-003`, Kiro `1.2`, `1`, `1.1-1.7`, `All`) includes `id`.
fn cover_includes(cover: &str, id: &str) -> bool {
    let (c, i) = (normalize(cover), normalize(id));
    if c == i || (c.eq_ignore_ascii_case("all") && i.starts_with(|ch: char| ch.is_ascii_digit())) {
        return true;
    }
    if let Some((from, to)) = c.split_once(['-', '–']) {
        let parse = |s: &str| {
            s.split_once('.')
                .and_then(|(r, n)| Some((r.to_string(), n.parse::<u32>().ok()?)))
        };
        if let (Some((r, a)), Some((r2, b)), Some((ri, n))) = (parse(from), parse(to), parse(&i)) {
            return r == r2 && r == ri && (a..=b).contains(&n);
        }
        return false;
    }
    // `_Requirements: 2_`: every criterion of requirement 2.
    !c.contains('.') && c.chars().all(|ch| ch.is_ascii_digit()) && i.starts_with(&format!("{c}."))
}

/// The spec's title: its first heading without a `Feature Specification:` prefix.
fn spec_title(doc: &SpecDoc) -> String {
    let t = doc
        .sections
        .first()
        .map(|s| s.title.clone())
        .unwrap_or_else(|| "Specification".into());
    t.split_once(':')
        .filter(|(head, _)| {
            head.to_lowercase().contains("specification")
                || head.to_lowercase().contains("requirements")
        })
        .map(|(_, rest)| rest.trim().to_string())
        .unwrap_or(t)
}

/// One past the highest id of the file's format (ids are never reused).
fn next_id(file: &TasksFile, format: TaskFormat) -> u32 {
    file.tasks
        .iter()
        .filter_map(|t| match format {
            TaskFormat::SpecKit => t.value.id.strip_prefix('T')?.parse::<u32>().ok(),
            TaskFormat::Kiro => t.value.id.split('.').next()?.parse::<u32>().ok(),
        })
        .max()
        .map_or(1, |n| n + 1)
}

fn format_id(n: u32, format: TaskFormat) -> String {
    match format {
        TaskFormat::SpecKit => format!("T{n:03}"),
        TaskFormat::Kiro => n.to_string(),
    }
}

/// Whether a boundary allows anything (has a glob without `!`).
fn allows(boundary: &[String]) -> bool {
    boundary.iter().any(|g| !g.starts_with('!'))
}

/// Whether two boundaries may touch a common file: some pair of allowed globs whose literal
/// directory prefixes nest. Conservative: unknown means overlapping only when both allow.
pub fn overlaps(a: &[String], b: &[String]) -> bool {
    let prefix = |g: &str| -> Vec<String> {
        g.split('/')
            .take_while(|c| !c.contains(['*', '?', '[', '{']))
            .map(str::to_string)
            .collect()
    };
    a.iter().filter(|g| !g.starts_with('!')).any(|x| {
        b.iter().filter(|g| !g.starts_with('!')).any(|y| {
            let (px, py) = (prefix(x), prefix(y));
            let n = px.len().min(py.len());
            // `src/a.rs` and `src/a.rs/**` share; `src/a/**` and `src/b/**` do not.
            px[..n] == py[..n]
        })
    })
}

/// A short, stable digest of what a task was generated from (FNV-1a, 64 bits, 8 hex digits).
fn fingerprint(v: &TaskValue, dep_keys: &[String]) -> String {
    let mut text = String::new();
    for part in [
        v.title.as_str(),
        &v.covers.join(","),
        v.story.as_deref().unwrap_or(""),
        &v.boundary.join(","),
        &v.components.join(","),
        &v.acceptance.join("\u{1f}"),
        v.check.as_deref().unwrap_or(""),
        &dep_keys.join(","),
        if v.parallel { "P" } else { "" },
    ] {
        text.push_str(part);
        text.push('\u{1e}');
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", (hash >> 32) as u32 ^ hash as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_is_by_directory_prefix() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(overlaps(&v(&["src/a/**"]), &v(&["src/a/b.rs"])));
        assert!(overlaps(&v(&["src/**"]), &v(&["src/a/**"])));
        assert!(!overlaps(&v(&["src/a/**"]), &v(&["src/b/**"])));
        assert!(!overlaps(&v(&["src/a/**"]), &v(&["!src/a/**"])));
        assert!(!overlaps(&v(&[]), &v(&["src/a/**"])));
    }
}
