//! `ambiguous-reference`: a pronoun with more than one candidate antecedent.

use super::{Context, Rule, RuleDoc, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::scope::UnitKind;
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::LazyLock;

pub struct AmbiguousReference;

static META: RuleMeta = RuleMeta {
    id: "ambiguous-reference",
    summary: "A pronoun (it, they, them) could refer to more than one thing.",
    severity: Severity::Warning,
    doc: RuleDoc {
        what: "Flags *it*, *they* and *them* in a requirement when the same sentence names two or more different \
things the pronoun could stand for, matched in number (\"the client … the server … it\"; \"the files … the \
folders … they\") (INCOSE R24). The system under specification (`the system`, `the service`, a Kiro glossary \
actor such as `Kiro_Worker`) is not counted as a candidate, and neither are possessives (*its*, *their*), \
which nearly always point at the subject. An expletive \"it is required/possible …\" is not flagged.",
        why: "\"The client sends the request to the server before it times out\": whose timeout — the client's, \
the request's or the server's? Each reading is a different implementation.",
        example: "- **FR-019**: The client MUST send the request to the server before it times out.",
        fix: "- **FR-019**: The client MUST send the request to the server before the client's 5 s timeout expires.",
    },
};

static PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:it|[Tt]hey|them)\b").expect("static regex"));
static NOUN_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|a|an|each|every)\s+([a-z][a-z0-9_-]*)(?:\s+([a-z][a-z0-9_-]*))?")
        .expect("static regex")
});
static EXPLETIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^it\s+(?:is|was|will\s+be|must\s+be|should\s+be|may\s+be|becomes?)\s+(?:not\s+)?(?:possible|necessary|required|recommended|important|expected|likely|unlikely|advisable|desirable|acceptable|sufficient|mandatory|optional|clear|true|false|the\s+case)\b").expect("static regex")
});

const PEOPLE: &[&str] = &[
    "user",
    "developer",
    "admin",
    "administrator",
    "owner",
    "customer",
    "person",
    "visitor",
    "member",
    "reviewer",
    "operator",
    "author",
    "maintainer",
    "contributor",
    "writer",
    "reader",
    "editor",
    "manager",
    "engineer",
    "client's",
];

/// The thing being specified: the actor of most requirements, rarely what a pronoun means.
const SYSTEMS: &[&str] = &[
    "system",
    "service",
    "server",
    "application",
    "app",
    "platform",
    "tool",
    "cli",
    "api",
    "product",
    "software",
    "plugin",
];

/// Words that follow a determiner without being the thing (`the same`, `the following`).
const NOT_NOUNS: &[&str] = &[
    "same",
    "following",
    "other",
    "first",
    "last",
    "next",
    "previous",
    "new",
    "old",
    "current",
    "only",
    "most",
    "least",
    "user's",
    "system's",
    "one",
    "two",
    "three",
    "time",
    "way",
    "case",
    "number",
    "end",
    "rest",
    "whole",
    "entire",
];

impl Rule for AmbiguousReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn local(&self) -> bool {
        true
    }

    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        // Scenarios name their actor in the Given step; `they` there is that actor.
        for unit in ctx
            .scope
            .units
            .iter()
            .filter(|u| u.kind != UnitKind::Scenario)
        {
            for sentence in doc.sentences_in(unit.span) {
                let span = Span::new(
                    sentence.span.start.max(unit.span.start),
                    sentence.span.end.min(unit.span.end),
                );
                let text = doc.prose_slice(span);
                for m in PRONOUN.find_iter(text) {
                    if m.start() == 0 || EXPLETIVE.is_match(&text[m.start()..]) {
                        continue;
                    }
                    let plural = matches!(
                        m.as_str().to_ascii_lowercase().as_str(),
                        "they" | "them" | "their"
                    );
                    let candidates = candidates(&text[..m.start()], plural);
                    if candidates.len() < 2 {
                        continue;
                    }
                    let at = Span::new(span.start + m.start(), span.start + m.end());
                    let listed = candidates
                        .iter()
                        .map(|c| format!("the {c}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    out.push(
                        Diagnostic::new(
                            META.id,
                            at,
                            format!("`{}` could refer to {listed}", m.as_str()),
                        )
                        .with_question(format!(
                            "In '{}', which one is meant: {listed}?",
                            m.as_str()
                        )),
                    );
                    break;
                }
            }
        }
        out
    }
}

/// Distinct nouns before the pronoun that agree with it in number.
fn candidates(before: &str, plural: bool) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for caps in NOUN_PHRASE.captures_iter(before) {
        // The word after the determiner stands for the phrase: `the upload service` and
        // `the upload queue` share it, which only makes the count cautious.
        let Some(first) = caps.get(1) else { continue };
        let head = first.as_str().to_ascii_lowercase();
        // People are never `it`.
        if !plural && PEOPLE.contains(&head.as_str()) {
            continue;
        }
        if NOT_NOUNS.contains(&head.as_str())
            || !is_nounish(&head)
            || head.len() < 3
            || head.contains('_')
            || SYSTEMS.contains(&head.as_str())
        {
            continue;
        }
        let is_plural = head.ends_with('s')
            && !head.ends_with("ss")
            && !head.ends_with("us")
            && !head.ends_with("is");
        if is_plural == plural && !found.contains(&head) {
            found.push(head);
        }
    }
    found
}

/// A crude test that the second word of a phrase continues the noun (`upload service`) rather
/// than starting the predicate (`request times`, `file is`).
fn is_nounish(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    const VERBS: &[&str] = &[
        "is", "are", "was", "were", "be", "has", "have", "had", "must", "shall", "should", "will",
        "may", "can", "does", "do", "to", "of", "in", "on", "at", "for", "from", "with", "by",
        "and", "or", "that", "which", "when", "if", "before", "after", "not", "but", "so", "then",
        "than", "as", "it", "they", "its", "their", "no", "any", "all",
    ];
    !VERBS.contains(&w.as_str()) && !w.ends_with("ed") && !w.ends_with("ly")
}
