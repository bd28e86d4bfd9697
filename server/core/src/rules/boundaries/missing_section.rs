//! `missing-section`: a required section of the document's profile is absent.

use super::super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};
use crate::profiles::{normalize_title, profile_for};
use crate::span::Span;
use crate::syntax::SpecDoc;

pub struct MissingSection;

/// A required section: its title, the title starts that count, and its skeleton.
struct Required {
    title: String,
    synonyms: Vec<String>,
    level: u8,
    hint: String,
}

static META: RuleMeta = RuleMeta {
    id: "missing-section",
    summary: "A section the document's profile requires is missing (e.g. Success Criteria in a spec-kit spec).",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Checks documents against the built-in profile of their kind and family — spec-kit spec (User \
Scenarios & Testing, Requirements, Success Criteria) and plan (Summary, Technical Context), Kiro \
requirements (Introduction, Requirements) and design (Overview, Architecture), OpenSpec spec (Purpose, \
Requirements) — matching the heading synonyms real documents use, numbering and `*(mandatory)*` ignored. \
One finding on the title lists every missing section; its quick fix appends skeletons in the profile's order.",
        why: "The required sections are where the boundaries live: without Success Criteria nobody can say when the \
work is done, without Requirements an agent works from the stories' prose.",
        example: "# Feature Specification: Share drafts\n\n## User Scenarios & Testing\n\n…\n\n## Requirements\n\n…",
        fix: "## Success Criteria\n\n- **SC-001**: 95% of shares reach every member within 5 seconds.",
    },
};

/// Whether a normalised heading title names the section `syn`: it starts with it
/// ("Requirements (mandatory)"), ends with it as a word ("Functional Requirements", "Cost
/// Tracker - Requirements"), or, for titles in scripts without spaces (要件, 概要), holds it.
fn title_names(title: &str, syn: &str) -> bool {
    let syn = syn.trim_end();
    title.starts_with(syn)
        || title
            .strip_suffix(syn)
            .is_some_and(|head| head.ends_with(|c: char| !c.is_alphanumeric()))
        || (!syn.is_ascii() && title.contains(syn))
}

impl Rule for MissingSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let Some(first) = doc.sections.first() else {
            return Vec::new();
        };
        // A configured profile replaces the built-in one.
        let (name, required): (String, Vec<Required>) = match ctx.config.required_sections(ctx.kind)
        {
            Some(titles) => (
                format!("the {} profile of specwright.toml", ctx.kind.as_str()),
                titles
                    .iter()
                    .map(|t| Required {
                        title: t.clone(),
                        synonyms: vec![normalize_title(t)],
                        level: 2,
                        hint: format!("What belongs under {t}?"),
                    })
                    .collect(),
            ),
            None => {
                let Some(profile) = profile_for(ctx.kind, ctx.family) else {
                    return Vec::new();
                };
                (
                    profile.name.to_string(),
                    profile
                        .required
                        .iter()
                        .map(|s| Required {
                            title: s.title.to_string(),
                            synonyms: s.synonyms.iter().map(|x| x.to_string()).collect(),
                            level: s.level,
                            hint: s.hint.to_string(),
                        })
                        .collect(),
                )
            }
        };
        // An OpenSpec change delta (`## ADDED Requirements` under `changes/<id>/specs/`) says
        // what changes in a capability; its Purpose lives in the main spec it patches.
        let delta = ctx.family == crate::kind::Family::OpenSpec
            && crate::kind::is_openspec_delta(ctx.location.or(ctx.path), doc);
        let missing: Vec<&Required> = required
            .iter()
            .filter(|r| !(delta && r.title == "Purpose"))
            .filter(|r| {
                !doc.sections.iter().any(|s| {
                    let t = normalize_title(&s.title);
                    r.synonyms.iter().any(|syn| title_names(&t, syn))
                })
            })
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        let names: Vec<&str> = missing.iter().map(|m| m.title.as_str()).collect();
        let newline = if doc.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let skeleton: String = missing
            .iter()
            .map(|m| {
                format!(
                    "{newline}{newline}{} {}{newline}{newline}<!-- {} -->",
                    "#".repeat(m.level as usize),
                    m.title,
                    m.hint
                )
            })
            .collect::<String>()
            + newline;
        let profile_name = name;
        let end = doc.text.trim_end().len();
        vec![
            Diagnostic::new(
                META.id,
                first.title_span,
                format!("{profile_name} is missing: {}", names.join(", ")),
            )
            .with_question(format!("What goes under {}?", names.join(" and ")))
            .with_fix(Fix {
                title: format!(
                    "Add {} skeleton{}",
                    names.join(", "),
                    if names.len() > 1 { "s" } else { "" }
                ),
                edits: vec![TextEdit {
                    span: Span::new(end, doc.text.len()),
                    new_text: skeleton,
                }],
            }),
        ]
    }
}
