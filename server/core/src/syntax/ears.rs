//! EARS (Easy Approach to Requirements Syntax, Mavin et al.) clause structure.
//!
//! Recognises the five patterns and their combination: ubiquitous (`The <system> shall …`),
//! event-driven (`When …`), state-driven (`While …`), unwanted behaviour (`If … then …`),
//! optional feature (`Where …`), and complex (more than one leading clause). Kiro writes the
//! keywords in capitals with `THEN` before the system (`WHEN x THEN the system SHALL y`).

use crate::span::Span;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EarsPattern {
    Ubiquitous,
    EventDriven,
    StateDriven,
    Unwanted,
    Optional,
    Complex,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ears {
    pub pattern: EarsPattern,
    /// The leading `When`/`While`/`If`/`Where`, when there is one.
    pub keyword: Option<Span>,
    /// The precondition, trigger or feature after the leading keyword.
    pub condition: Option<Span>,
    /// Whether the clause and the system are separated by `then` (required after `If`).
    pub has_then: bool,
    /// The system name before `shall`.
    pub system: Option<Span>,
    pub shall: Span,
    pub response: Span,
}

static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[A-Z]+-?\d+(?:\.\d+)*\s*[:.\-–—]?\s*|\d+(?:\.\d+)*[.)]?\s+)?(while|when|if|where)\b")
        .expect("static regex")
});
static UBIQUITOUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[A-Z]+-?\d+(?:\.\d+)*\s*[:.\-–—]?\s*)?(the\s+[^,;]+?)\s+(?:shall|must)\b")
        .expect("static regex")
});
/// The response keyword: EARS says `shall`; many teams write `MUST`, which reads the same.
static SHALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:shall|must)(?:\s+not)?\b").expect("static regex"));
static THEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:,\s*|\s)then\b").expect("static regex"));
static INNER_CLAUSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i),\s*(while|when|if|where)\b").expect("static regex"));

/// Parses `text` (the prose of one statement, starting at document offset `base`).
pub fn parse(text: &str, base: usize) -> Option<Ears> {
    let lead_ws = text.len() - text.trim_start().len();
    let body = text.trim_start();
    let at = |s: usize, e: usize| Span::new(base + lead_ws + s, base + lead_ws + e);
    let shall = SHALL.find(body)?;
    let response = trim_span(body, shall.end(), body.len(), &['.', ';']);
    if response.0 >= response.1 {
        return None;
    }
    if let Some(caps) = LEADING.captures(body)
        && let Some(kw) = caps.get(1)
        && kw.end() < shall.start()
    {
        let clause = &body[kw.end()..shall.start()];
        let (cond_end, sys_start, has_then) = match THEN.find_iter(clause).last() {
            Some(t) => (kw.end() + t.start(), kw.end() + t.end(), true),
            None => match clause.rfind(',') {
                Some(c) => (kw.end() + c, kw.end() + c + 1, false),
                None => return None,
            },
        };
        let condition = trim_span(body, kw.end(), cond_end, &[',']);
        let system = trim_span(body, sys_start, shall.start(), &[',']);
        let complex = INNER_CLAUSE.is_match(&body[kw.end()..cond_end]);
        let pattern = if complex {
            EarsPattern::Complex
        } else {
            match kw.as_str().to_ascii_lowercase().as_str() {
                "while" => EarsPattern::StateDriven,
                "when" => EarsPattern::EventDriven,
                "if" => EarsPattern::Unwanted,
                _ => EarsPattern::Optional,
            }
        };
        return Some(Ears {
            pattern,
            keyword: Some(at(kw.start(), kw.end())),
            condition: (condition.0 < condition.1).then(|| at(condition.0, condition.1)),
            has_then,
            system: (system.0 < system.1).then(|| at(system.0, system.1)),
            shall: at(shall.start(), shall.end()),
            response: at(response.0, response.1),
        });
    }
    let caps = UBIQUITOUS.captures(body)?;
    let system = caps.get(1)?;
    Some(Ears {
        pattern: EarsPattern::Ubiquitous,
        keyword: None,
        condition: None,
        has_then: false,
        system: Some(at(system.start(), system.end())),
        shall: at(shall.start(), shall.end()),
        response: at(response.0, response.1),
    })
}

fn trim_span(text: &str, start: usize, end: usize, extra: &[char]) -> (usize, usize) {
    let slice = &text[start..end];
    let trimmed_start = slice.trim_start_matches(|c: char| c.is_whitespace() || extra.contains(&c));
    let s = start + (slice.len() - trimmed_start.len());
    let trimmed = trimmed_start.trim_end_matches(|c: char| c.is_whitespace() || extra.contains(&c));
    (s, s + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        let Some(e) = parse(text, 0) else {
            return "none".into();
        };
        let part = |s: Option<Span>| s.map_or("-".to_string(), |s| text[s.range()].to_string());
        format!(
            "{:?} | cond: {} | then: {} | system: {} | response: {}",
            e.pattern,
            part(e.condition),
            e.has_then,
            part(e.system),
            part(Some(e.response))
        )
    }

    #[test]
    fn recognises_each_pattern() {
        assert_eq!(
            show("The export service shall write a CSV file."),
            "Ubiquitous | cond: - | then: false | system: The export service | response: write a CSV file"
        );
        assert_eq!(
            show("When the user presses Save, the editor shall persist the draft."),
            "EventDriven | cond: the user presses Save | then: false | system: the editor | response: persist the draft"
        );
        assert_eq!(
            show("1. WHEN a build fails THEN the system SHALL notify the owner"),
            "EventDriven | cond: a build fails | then: true | system: the system | response: notify the owner"
        );
        assert_eq!(
            show("While offline, the app shall queue writes."),
            "StateDriven | cond: offline | then: false | system: the app | response: queue writes"
        );
        assert_eq!(
            show("If the token expires, then the client shall re-authenticate."),
            "Unwanted | cond: the token expires | then: true | system: the client | response: re-authenticate"
        );
        assert_eq!(
            show("Where SSO is enabled, the login page shall show a provider button."),
            "Optional | cond: SSO is enabled | then: false | system: the login page | response: show a provider button"
        );
        assert_eq!(
            show("While armed, when motion is seen, the alarm shall sound."),
            "Complex | cond: armed, when motion is seen | then: false | system: the alarm | response: sound"
        );
    }

    #[test]
    fn needs_shall_and_a_response() {
        assert_eq!(show("When possible, we cache."), "none");
        assert_eq!(show("The system shall."), "none");
    }
}
