//! Task titles: a requirement's text as a short imperative ("The editor MUST export drafts as
//! PDF" → "Export drafts as PDF"), cut at a clause, never mid-sentence.

use regex::Regex;
use std::sync::LazyLock;

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

/// A requirement's text as a task title: the action after the modal verb, capitalised, its
/// first sentence, at most 90 characters.
pub fn imperative(text: &str) -> String {
    // "…, after FR-001" orders the task; it is not part of its name. An open question stays
    // visible, short.
    let text = AFTER_CLAUSE.replace_all(text, "");
    let text = collapse(&OPEN_QUESTION.replace_all(&text, "(needs clarification)"));
    let title = match MODAL.captures(&text) {
        Some(c) => {
            let at = c.get(0).map_or(0, |m| m.start());
            let before = text[..at].trim();
            // "For every endpoint marked captured, the audit MUST verify …": the subject is
            // after the leading clause, and the clause goes to the end of the title.
            let (subject, leading) = match before.rsplit_once(", ") {
                Some((clause, subject))
                    if subject.split_whitespace().count() <= 5
                        && !subject.is_empty()
                        // `A, B, and C MUST …`: a list, not a leading clause.
                        && !subject.starts_with("and ")
                        && !subject.starts_with("or ")
                        // A comma inside a parenthesis does not end a clause.
                        && subject.matches('(').count() >= subject.matches(')').count()
                        && !clause.contains(" MUST ") =>
                {
                    (subject, Some(clause))
                }
                _ => (before, None),
            };
            let rest = &text[c.get(0).map_or(0, |m| m.end())..];
            let rest = rest
                .strip_prefix("be able to ")
                .or_else(|| rest.strip_prefix("provide the ability to "))
                .unwrap_or(rest);
            let owned;
            let rest = match leading {
                Some(clause) => {
                    owned = format!("{}, {}", rest.trim_end_matches('.'), lower_first(clause));
                    owned.as_str()
                }
                None => rest,
            };
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
                // `MUST optionally include`: the adverb stays, the verb after it agrees.
                let (adverb, verb, tail) = match tail.split_once(' ') {
                    Some((next, after)) if verb.ends_with("ly") && verb.len() > 3 => {
                        (format!("{verb} "), next, after)
                    }
                    _ if verb.ends_with("ly") && verb.len() > 3 && !tail.is_empty() => {
                        (format!("{verb} "), tail, "")
                    }
                    _ => (String::new(), verb, tail),
                };
                // `MUST include: a, b`: the punctuation is not part of the verb.
                let bare = verb.trim_end_matches(|c: char| !c.is_alphanumeric());
                let punct = &verb[bare.len()..];
                if bare.eq_ignore_ascii_case("ensure") && !negative {
                    return finish(format!("Ensure {tail}"));
                }
                let verb = bare;
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
                    (v, false, false) if consonant_y(v) => {
                        format!("{}ies", &v[..v.len() - 1])
                    }
                    (v, false, false) => format!("{v}s"),
                };
                format!(
                    "Ensure {} {adverb}{verb}{punct} {tail}",
                    lower_first(subject)
                )
                .trim_end()
                .to_string()
            }
        }
        None => text.clone(),
    };
    finish(title)
}

/// The title's first sentence, trimmed, at most 80 characters, capitalised.
fn finish(mut title: String) -> String {
    if let Some(end) = title.find(". ") {
        title.truncate(end);
    }
    let title = title
        .trim()
        .trim_end_matches(['.', ';', ':'])
        .trim()
        .to_string();
    let out = short(&title);
    let mut c = out.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "Implement the requirement".into(),
    }
}

/// Whether the text after a comma continues a list (`edit, and archive surfaces`, `and layout
/// management`): a run of single words that ends in `and` / `or`. Cutting there would leave
/// half a list.
fn in_list(after: &str) -> bool {
    static LIST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[\w/.-]+,\s*)*(?:[\w/.-]+,?\s+)?(?:and|or)\s").expect("static regex")
    });
    LIST.is_match(after)
}

/// `verify`, `apply`: a verb whose third person ends in `-ies`.
fn consonant_y(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 2 && b[b.len() - 1] == b'y' && !b"aeiou".contains(&b[b.len() - 2])
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

pub(super) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().chain(c).collect()
        }
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most 80 characters, cut where the first clause ends (`, ` unless a list goes on, `; `,
/// ` — `, ` (`, ` so that `, ` when `), else where a phrase starts (` against `, ` in `, …);
/// only a title with neither is cut at a word, with `…`.
fn short(title: &str) -> String {
    const MAX: usize = 80;
    if title.chars().count() <= MAX {
        return title.to_string();
    }
    let head: String = title.chars().take(MAX).collect();
    // Clause ends first; else where a prepositional phrase starts.
    let clause = [
        ", ",
        "; ",
        " — ",
        " (",
        ": ",
        " so that ",
        " when ",
        " while ",
        " including ",
    ];
    let phrase = [
        " with ",
        " against ",
        " within ",
        " for ",
        " by ",
        " from ",
        " before ",
        " after ",
        " if ",
        " unless ",
        " using ",
        " via ",
        " through ",
        " in ",
        " on ",
        " to ",
    ];
    let first = |seps: &[&str], min: usize| {
        seps.iter()
            .filter_map(|sep| {
                head.match_indices(sep)
                    .map(|(at, _)| at)
                    .find(|&at| at >= min && !(sep.starts_with(',') && in_list(&title[at + 1..])))
            })
            .min()
    };
    let cut = first(&clause, 20).or_else(|| {
        // The last phrase start that still leaves most of the title.
        phrase
            .iter()
            .filter_map(|sep| head.rfind(sep))
            .filter(|&at| at >= 25)
            .max()
    });
    match cut {
        Some(at) => head[..at].trim_end().trim_end_matches(',').to_string(),
        None => {
            let cut = head.rfind(' ').unwrap_or(head.len());
            format!("{}…", &head[..cut])
        }
    }
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
    fn long_titles_end_at_a_clause() {
        let long = "The editor MUST let a writer export the current draft as a PDF file, keeping its headings, images and footnotes in place";
        assert_eq!(
            imperative(long),
            "Let a writer export the current draft as a PDF file"
        );
        assert!(!imperative(long).contains('…'));
        assert_eq!(
            imperative("Each mapping MUST optionally include a target path"),
            "Ensure each mapping optionally includes a target path"
        );
        assert_eq!(
            imperative("The header MUST include: the version"),
            "Ensure the header includes: the version"
        );
        assert_eq!(
            imperative("The sync MUST ensure no task is lost"),
            "Ensure no task is lost"
        );
        assert_eq!(
            imperative(
                "Venue staff with scheduling rights MUST be able to create, edit, and archive surfaces (name, type, capacity, notes, display order) from the venue admin UI"
            ),
            "Ensure venue staff with scheduling rights create, edit, and archive surfaces"
        );
        assert_eq!(
            imperative(
                "For every endpoint marked \"captured\" in FIXTURES.md, the audit MUST verify the fixture file exists in `tests/fixtures/` and is valid"
            ),
            "Ensure the audit verifies the fixture file exists"
        );
        assert_eq!(
            imperative("After corrections, the system MUST show the summary counts"),
            "Show the summary counts, after corrections"
        );
    }
}
