//! Inline suppression comments in Markdown:
//! `<!-- specwright-disable-next-line RULE… -->`, `<!-- specwright-disable RULE… -->` …
//! `<!-- specwright-enable RULE… -->`. Without rule ids a comment applies to every rule.

use crate::diagnostic::Diagnostic;
use crate::syntax::SpecDoc;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Directive {
    NextLine(Vec<String>),
    Disable(Vec<String>),
    Enable(Vec<String>),
}

/// A suppressed stretch of the document: lines `from..to` (0-based, `to` exclusive) for `rules`
/// (empty: every rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub from_line: usize,
    pub to_line: usize,
    pub rules: Vec<String>,
}

impl Suppression {
    fn applies(&self, rule: &str, line: usize) -> bool {
        self.from_line <= line
            && line < self.to_line
            && (self.rules.is_empty() || self.rules.iter().any(|r| r == rule))
    }
}

fn parse_directive(comment: &str) -> Option<Directive> {
    let inner = comment
        .trim()
        .strip_prefix("<!--")?
        .trim_end()
        .strip_suffix("-->")
        .unwrap_or(comment)
        .trim();
    let mut words = inner
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    let head = words.next()?;
    let rules: Vec<String> = words
        .take_while(|w| *w != "--")
        .map(str::to_string)
        .collect();
    match head {
        "specwright-disable-next-line" => Some(Directive::NextLine(rules)),
        "specwright-disable" => Some(Directive::Disable(rules)),
        "specwright-enable" => Some(Directive::Enable(rules)),
        _ => None,
    }
}

/// Every suppression the document's comments declare.
pub fn suppressions(doc: &SpecDoc) -> Vec<Suppression> {
    let mut out = Vec::new();
    // Open `disable` regions: (rule or "" for all, start line).
    let mut open: Vec<(String, usize)> = Vec::new();
    for &span in &doc.comments {
        let Some(directive) = parse_directive(doc.slice(span)) else {
            continue;
        };
        let end_line = doc.line_of(span.end.saturating_sub(1));
        match directive {
            Directive::NextLine(rules) => {
                let target = (end_line + 1..doc.line_count())
                    .find(|&l| !doc.slice(doc.line_span(l)).trim().is_empty())
                    .unwrap_or(end_line + 1);
                out.push(Suppression {
                    from_line: target,
                    to_line: target + 1,
                    rules,
                });
            }
            Directive::Disable(rules) => {
                if rules.is_empty() {
                    open.push((String::new(), end_line + 1));
                } else {
                    open.extend(rules.into_iter().map(|r| (r, end_line + 1)));
                }
            }
            Directive::Enable(rules) => {
                let start_line = doc.line_of(span.start);
                open.retain(|(rule, from)| {
                    let closes = rules.is_empty() || rules.contains(rule);
                    if closes {
                        out.push(Suppression {
                            from_line: *from,
                            to_line: start_line,
                            rules: if rule.is_empty() {
                                vec![]
                            } else {
                                vec![rule.clone()]
                            },
                        });
                    }
                    !closes
                });
            }
        }
    }
    for (rule, from) in open {
        out.push(Suppression {
            from_line: from,
            to_line: usize::MAX,
            rules: if rule.is_empty() { vec![] } else { vec![rule] },
        });
    }
    out
}

/// Drops the diagnostics that a suppression covers (by the line the diagnostic starts on).
pub fn apply(doc: &SpecDoc, diagnostics: &mut Vec<Diagnostic>) {
    let suppressions = suppressions(doc);
    if suppressions.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let line = doc.line_of(d.span.start);
        !suppressions.iter().any(|s| s.applies(d.rule, line))
    });
}
