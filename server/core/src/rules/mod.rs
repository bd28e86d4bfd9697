//! The rules engine: the [`Rule`] trait, the registry, and each rule's documentation.
//!
//! One rule per file. The registry is the single source of rule ids, default severities and
//! docs: the CLI's `rules` and `explain`, the generated `docs/rules/*.md`, hover text and the
//! editors' settings all read it.

mod adr;
mod ambiguous_reference;
mod and_or;
mod bcp14_usage;
mod boundaries;
mod comparative_without_baseline;
mod conflicting_value;
mod duplicate_requirement;
mod ears_form;
mod incomplete_marker;
pub mod measured;
mod missing_normative_keyword;
mod non_singular;
mod open_ended_list;
mod passive_without_agent;
mod range_gap;
mod range_overlap;
mod superlative;
mod template_placeholder;
mod unitless_quantity;
mod universal_quantifier;
mod vague_term;
mod weak_modal;
mod weak_phrase;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::WorkspaceIndex;
use crate::kind::{DocKind, Family};
use crate::lexicon::{self, Lexicon};
use crate::scope::Scope;
use crate::span::Span;
use crate::syntax::SpecDoc;
use regex::Regex;
use std::sync::{Arc, LazyLock};

/// A calendar date, supplied by the caller: the core never reads a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The civil date of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What a rule may consult besides the document.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub config: &'a Config,
    /// The normative units of the document: what requirement-quality rules examine.
    pub scope: &'a Scope,
    /// What the index keeps of this document, computed once from the current text (the
    /// index's copy may be older).
    pub facts: &'a crate::index::DocumentFacts,
    pub index: &'a WorkspaceIndex,
    pub today: Option<Date>,
    /// The document's path relative to the configuration's folder, when it has one.
    pub path: Option<&'a str>,
    /// The document's location in the workspace index (see `AnalysisInput::location`).
    pub location: Option<&'a str>,
    pub kind: DocKind,
    pub family: Family,
}

impl<'a> Context<'a> {
    /// The folder of the document, as the index knows folders.
    pub fn folder(&self) -> Option<String> {
        self.location.map(crate::index::folder_of)
    }

    /// The facts of the other documents in the document's folder.
    pub fn siblings(&self) -> Vec<(&'a str, &'a crate::index::DocumentFacts)> {
        match self.location {
            Some(loc) => self
                .index
                .in_folder(&crate::index::folder_of(loc), Some(loc))
                .collect(),
            None => Vec::new(),
        }
    }
}

/// A rule's documentation: one text for `explain`, hover and the generated page.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    pub what: &'static str,
    pub why: &'static str,
    /// Markdown that triggers the rule.
    pub example: &'static str,
    /// How to resolve it; usually the example, fixed.
    pub fix: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable kebab-case id; never changes once released.
    pub id: &'static str,
    /// One line.
    pub summary: &'static str,
    /// What a right finding of this rule deserves (`Error` for structural breakage, `Hint`
    /// for suggestions); what its measured precision earns is [`RuleMeta::earned_severity`].
    pub severity: Severity,
    pub doc: RuleDoc,
}

impl RuleMeta {
    /// The severity on by default: the one its measured precision earned
    /// ([`RuleMeta::earned_severity`]), so that what users see unasked has been shown right on
    /// documents nobody here wrote. A project turns any rule on in `specwright.toml`.
    pub fn default_severity(&self) -> Severity {
        self.earned_severity()
    }

    /// The severity the rule's measured precision on documents nobody here wrote earns it
    /// ([`measured`]): the intended one from precision 0.85, at most a note from 0.6, off below.
    pub fn earned_severity(&self) -> Severity {
        measured::of(self.id).map_or(self.severity.min(Severity::Info), |m| {
            m.earned(self.severity)
        })
    }

    /// The rule's page in Markdown: `specwright explain`, hover, `docs/rules/<id>.md`.
    pub fn markdown(&self) -> String {
        let d = &self.doc;
        format!(
            "# {id}\n\n{summary}\n\nDefault severity: `{sev}`{intended}. Configure in `specwright.toml`:\n\n```toml\n[rules]\n{id} = \"{sev}\"\n```\n\n## What it does\n\n{what}\n\n## Why is this bad?\n\n{why}\n\n## Example\n\n```markdown\n{example}\n```\n\n## Use instead\n\n```markdown\n{fix}\n```\n\n## Measured\n\n{measured}\n\nSuppress one occurrence with `<!-- specwright-disable-next-line {id} -->` on the line before it.\n",
            measured = measured::markdown(self.id),
            intended = if self.default_severity() == self.severity {
                String::new()
            } else {
                format!(
                    " (earned by its measured precision, below; a right finding deserves `{}`)",
                    self.severity
                )
            },
            id = self.id,
            summary = self.summary,
            sev = self.default_severity(),
            what = d.what.trim(),
            why = d.why.trim(),
            example = d.example.trim(),
            fix = d.fix.trim(),
        )
    }
}

/// Whether the words around `span` talk *about* markers or placeholders ("No
/// [NEEDS CLARIFICATION] markers remain", "placeholders such as [DATE]") rather than use one.
pub(crate) fn is_mention(prose: &str, span: crate::span::Span) -> bool {
    let before = &prose[prose.floor_char_boundary(span.start.saturating_sub(48))..span.start];
    let after = &prose[span.end..prose.ceil_char_boundary((span.end + 32).min(prose.len()))];
    let talks_about = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric()).any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "placeholder" | "placeholders" | "marker" | "markers" | "comment" | "comments"
            )
        })
    };
    // The word right after (`… markers remain`) or anywhere in the clause before
    // (`placeholders such as …`, `detect markers like …`).
    let next_word = after.split_whitespace().next().unwrap_or("");
    talks_about(next_word) || talks_about(before.rsplit(['.', ';', '\n']).next().unwrap_or(""))
}

/// The word list of `rule` for this configuration: the compiled built-in list, or one
/// compiled for the configuration's additions and removals.
pub(crate) fn word_list(ctx: &Context<'_>, rule: &'static str, data: &'static str) -> Arc<Lexicon> {
    if ctx.config.customises_words(rule) {
        let builtin = Lexicon::parse_list(data);
        ctx.config
            .lexicon(rule, || Lexicon::new(ctx.config.word_list(rule, &builtin)))
    } else {
        lexicon::builtin(rule, data)
    }
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d").expect("static regex"));

/// Whether `span` states a number that is not part of an id (`FR-001`, `1.2`): the sign of a
/// measurable bound.
pub(crate) fn has_number(doc: &SpecDoc, span: Span) -> bool {
    let text = doc.prose_slice(span);
    NUMBER.find_iter(text).any(|m| {
        let at = span.start + m.start();
        !doc.ids.iter().any(|o| o.span.contains(at))
    })
}

/// How far from a word its clause is looked for, each way (bytes).
const CLAUSE_REACH: usize = 600;

/// The text of the unit starting at `unit_start` before `at`, at most twice CLAUSE_REACH of
/// it: what the word-level guards read. Reading from the unit's start for every hit would
/// cost a paragraph without breaks the square of its length.
pub(crate) fn window_before(doc: &SpecDoc, unit_start: usize, at: usize) -> &str {
    let from = doc
        .prose
        .ceil_char_boundary(at.saturating_sub(2 * CLAUSE_REACH).max(unit_start));
    doc.prose_slice(Span::new(from.min(at), at))
}

/// The clause of `unit` around `at`: bounded by `,`, `;`, `:`, parentheses, ` and `, ` but `,
/// ` or `, or the unit's edges. Parentheses stay with the clause they annotate.
pub(crate) fn clause_around(doc: &SpecDoc, unit: Span, at: usize) -> Span {
    let text = doc.prose_slice(unit);
    let rel = at.saturating_sub(unit.start).min(text.len());
    let is_break = |s: &str, i: usize| -> Option<usize> {
        let rest = &s[i..];
        if rest.starts_with([',', ';', ':']) {
            return Some(1);
        }
        for w in [" and ", " but ", " or ", " so that ", " while "] {
            if rest.starts_with(w) {
                return Some(w.len());
            }
        }
        None
    };
    // A clause is looked for within CLAUSE_REACH bytes of `at`: a paragraph with no break at
    // all (a pasted log, a 2 MB line) would otherwise make every hit scan it whole, and a
    // document's findings cost the square of its length.
    let floor = text.floor_char_boundary(rel.saturating_sub(CLAUSE_REACH));
    let ceiling = text.floor_char_boundary((rel + CLAUSE_REACH).min(text.len()));
    let mut start = floor;
    let mut i = floor;
    while i < rel {
        match is_break(text, i) {
            Some(n) => {
                i += n;
                start = i;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    let mut end = ceiling;
    let mut j = rel;
    while j < ceiling {
        if is_break(text, j).is_some() && j > rel {
            end = j;
            break;
        }
        j += text[j..].chars().next().map_or(1, char::len_utf8);
    }
    Span::new(unit.start + start, unit.start + end)
}

/// Findings of a word-list rule: each hit in a normative unit that `keep` accepts, described
/// by `describe` (message, question) from the matched text.
pub(crate) fn word_findings(
    doc: &SpecDoc,
    ctx: &Context<'_>,
    rule: &'static str,
    data: &'static str,
    keep: impl Fn(Span, &crate::scope::NormativeUnit) -> bool,
    describe: impl Fn(&str) -> (String, String),
) -> Vec<Diagnostic> {
    let lexicon = word_list(ctx, rule, data);
    let mut out = Vec::new();
    for unit in &ctx.scope.units {
        for hit in lexicon.find(&doc.prose, unit.span.start, unit.span.end) {
            let span = Span::new(hit.start, hit.end);
            if in_quotes(window_before(doc, unit.span.start, span.start))
                || is_name(doc, unit.span, span)
                || rationale(doc, unit.span, span)
                || !keep(span, unit)
            {
                continue;
            }
            let (message, question) = describe(doc.slice(span));
            out.push(Diagnostic::new(rule, span, message).with_question(question));
        }
    }
    out
}

/// Whether `span` stands in a clause that gives a reason or a purpose rather than the
/// obligation: "for better feedback", "to minimize API calls", "since … usually carried by
/// headers", "The design aims to be simple". The obligation in the same sentence is what a
/// tester checks; the reason around it is not a requirement.
pub(crate) fn rationale(doc: &SpecDoc, unit: Span, span: Span) -> bool {
    let before = window_before(doc, unit.start, span.start);
    // The clause so far: from the last boundary before the word.
    let clause_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, ',' | ';' | '(' | ':' | '.' | '—' | '–'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let clause = before[clause_start..].to_ascii_lowercase();
    let words: Vec<&str> = clause.split_whitespace().collect();
    // A purpose: `for` right before the word or one word before it ("for better feedback",
    // "for a smooth experience"), or `to` right before a verb ("to minimize API calls") that
    // no obligation governs ("needs to minimize" is one).
    let last = |i: usize| words.len().checked_sub(i).map(|j| words[j]);
    // `for all members`, `for every user`: a quantifier after `for` scopes the obligation.
    let flagged = doc.prose_slice(span).to_ascii_lowercase();
    let quantifier = matches!(
        flagged.as_str(),
        "all" | "every" | "each" | "any" | "always" | "never" | "none" | "no"
    );
    let purpose = !quantifier
        && (last(1) == Some("for")
            || (last(2) == Some("for")
                && last(1).is_some_and(|w| matches!(w, "a" | "an" | "the")))
            || (last(1) == Some("to")
                && (flagged.ends_with("ize")
                    || flagged.ends_with("ise")
                    || matches!(
                        flagged.as_str(),
                        "reduce" | "improve" | "increase" | "enhance"
                    ))
                && !last(2).is_some_and(|w| {
                    matches!(
                        w,
                        "need"
                            | "needs"
                            | "has"
                            | "have"
                            | "is"
                            | "are"
                            | "ought"
                            | "able"
                            | "want"
                            | "wants"
                            | "required"
                            | "expected"
                            | "going"
                            | "attempt"
                            | "try"
                            | "tries"
                            | "used"
                            | "designed"
                    )
                })));
    // A reason or an aim stated before it in the clause.
    let reason = words.iter().any(|w| {
        matches!(
            *w,
            "since" | "because" | "aims" | "aim" | "intended" | "rationale" | "goal"
        )
    }) || clause.contains("so that")
        || clause.contains("in order to");
    purpose || reason
}

/// Whether a position after `before` is inside a quotation (straight or curly quotes).
pub(crate) fn in_quotes(before: &str) -> bool {
    before.matches('"').count() % 2 == 1
        || before.matches('“').count() > before.matches('”').count()
}

/// A capitalised word inside a sentence is a name or a title (`the Quick Start guide`), not
/// the adjective.
fn is_name(doc: &SpecDoc, unit: Span, span: Span) -> bool {
    let starts_upper = doc.prose[span.start..].starts_with(|c: char| c.is_uppercase());
    if !starts_upper {
        return false;
    }
    let before = doc.prose[unit.start..span.start].trim_end();
    !(before.is_empty()
        || before.ends_with(['.', '!', '?', ':', '*', '(', '-', '—', '|'])
        || before.chars().all(|c| !c.is_alphanumeric()))
}

/// Whether `unit` is the statement of a requirement that has scenarios of its own (OpenSpec's
/// `### Requirement:` over `#### Scenario:` sections). The scenarios are where its words are made
/// checkable, so a quality word in the statement is refined there, not left open.
pub(crate) fn refined_by_scenarios(doc: &SpecDoc, unit: &crate::scope::NormativeUnit) -> bool {
    let starts =
        |title: &str, word: &str| title.trim_start().to_ascii_lowercase().starts_with(word);
    unit.kind != crate::scope::UnitKind::Scenario
        && doc.section_at(unit.span.start).is_some_and(|i| {
            let s = &doc.sections[i];
            starts(&s.title, "requirement")
                && s.children
                    .iter()
                    .any(|&c| starts(&doc.sections[c].title, "scenario"))
        })
}

/// Whether the author explains the flagged term right away: "reasonable defaults (default copy
/// rules: …)", "appropriate commands (e.g., …)", "a minimal skeleton:", "handle X gracefully by
/// retrying …".
pub(crate) fn explained(doc: &SpecDoc, span: Span, unit: Span) -> bool {
    // What explains a term follows it closely; the rest of a long unit is not read.
    let end = doc
        .prose
        .floor_char_boundary((span.end + CLAUSE_REACH).min(unit.end));
    let rest = doc
        .prose_slice(Span::new(span.end, end.max(span.end)))
        .to_ascii_lowercase();
    let next_words: Vec<&str> = rest.split_whitespace().take(4).collect();
    let opens_detail = next_words
        .iter()
        .any(|w| w.starts_with('(') || w.ends_with(':'));
    let by_means = rest
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| w[0] == "by" && w[1].ends_with("ing"));
    // `a clear error naming the file`, `… that lists the missing fields`, `… with the path`:
    // what the thing must contain follows.
    let words: Vec<&str> = rest
        .split_whitespace()
        .take(8)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let states_content = words.iter().any(|w| {
        matches!(
            *w,
            "indicating"
                | "identifying"
                | "naming"
                | "explaining"
                | "instructing"
                | "listing"
                | "stating"
                | "telling"
                | "showing"
                | "describing"
                | "specifying"
                | "containing"
                | "citing"
                | "quoting"
        )
    }) || words.windows(2).any(|p| {
        (p[0] == "that"
            && matches!(
                p[1],
                "names"
                    | "lists"
                    | "says"
                    | "explains"
                    | "identifies"
                    | "includes"
                    | "shows"
                    | "states"
                    | "tells"
                    | "contains"
                    | "specifies"
                    | "cites"
            ))
            || (p[0] == "with" && matches!(p[1], "the" | "its" | "their"))
    });
    // `fail gracefully when tools are missing: exit code is non-zero`, `gracefully — skipping
    // what it cannot parse`: an explanation opened later in the same sentence still explains it
    // (on the wild set's labels: 19 of 21 such findings were judged wrong).
    let sentence = rest
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | ';' | '!' | '?')
                && rest[i + 1..].chars().next().is_none_or(char::is_whitespace)
        })
        .map_or(rest.as_str(), |(i, _)| &rest[..i]);
    let elaborated = sentence.contains([':', '(', '—', '–']) || sentence.contains(" - ");
    opens_detail
        || elaborated
        || by_means
        || states_content
        || rest.contains("e.g.")
        || rest.contains(" such as ")
        || rest.contains("i.e.")
        || rest.contains("for example")
        || rest.contains("(default")
}

/// Whether `span` is in the outcome of a scenario (after its `Then`): Given and When set the
/// scene and oblige no one.
pub(crate) fn after_then(doc: &SpecDoc, unit: Span, span: Span) -> bool {
    let before = window_before(doc, unit.start, span.start);
    before
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "Then" || w == "THEN")
}

/// Whether the text right before `span` (in the same unit) ends with one of `words`.
pub(crate) fn preceded_by(doc: &SpecDoc, span: Span, words: &[&str]) -> bool {
    // Only the words just before matter: a bounded window, not the whole prefix.
    let from = doc.prose.floor_char_boundary(span.start.saturating_sub(64));
    let before = doc.prose[from..span.start].trim_end().to_ascii_lowercase();
    words.iter().any(|w| {
        before.ends_with(w)
            && before[..before.len() - w.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The next word after `span`, lowercased.
pub(crate) fn next_word(doc: &SpecDoc, span: Span) -> String {
    doc.prose[span.end..]
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase()
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Findings in `doc`; severities are applied by the engine from the configuration.
    fn check(&self, doc: &SpecDoc, ctx: &Context<'_>) -> Vec<Diagnostic>;
    /// Whether the rule's findings in a part of a document (from a top-level `#` or `##`
    /// heading to the next) depend only on that part read under its level-1 heading: then an
    /// edit re-runs the rule on the edited part alone ([`crate::incremental`]). A test over
    /// the corpus holds every local rule to it.
    fn local(&self) -> bool {
        false
    }
}

static REGISTRY: &[&dyn Rule] = &[
    &adr::AdrDate,
    &adr::AdrMissingSection,
    &adr::AdrNumber,
    &adr::AdrOptions,
    &adr::AdrStatus,
    &adr::AdrSupersedeLink,
    &ambiguous_reference::AmbiguousReference,
    &and_or::AndOr,
    &bcp14_usage::Bcp14Usage,
    &adr::CitesInactiveAdr,
    &comparative_without_baseline::ComparativeWithoutBaseline,
    &conflicting_value::ConflictingValue,
    &boundaries::CoverageUnchecked,
    &boundaries::DanglingReference,
    &boundaries::DuplicateId,
    &duplicate_requirement::DuplicateRequirement,
    &ears_form::EarsForm,
    &boundaries::EmptySection,
    &boundaries::IdSequence,
    &incomplete_marker::IncompleteMarker,
    &boundaries::MissingFailureBehaviour,
    &missing_normative_keyword::MissingNormativeKeyword,
    &boundaries::MissingScopeBoundary,
    &boundaries::MissingSection,
    &non_singular::NonSingular,
    &open_ended_list::OpenEndedList,
    &boundaries::OrphanTask,
    &passive_without_agent::PassiveWithoutAgent,
    &range_gap::RangeGap,
    &range_overlap::RangeOverlap,
    &boundaries::RequirementWithoutScenario,
    &boundaries::StoryWithoutAcceptance,
    &superlative::Superlative,
    &boundaries::TaskBoundary,
    &template_placeholder::TemplatePlaceholder,
    &boundaries::UncoveredRequirement,
    &unitless_quantity::UnitlessQuantity,
    &universal_quantifier::UniversalQuantifier,
    &boundaries::UnmeasurableSuccessCriterion,
    &vague_term::VagueTerm,
    &weak_modal::WeakModal,
    &weak_phrase::WeakPhrase,
];

/// Every rule, in id order.
pub fn registry() -> &'static [&'static dyn Rule] {
    REGISTRY
}

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|r| r.meta().id == id)
}

/// The registry as JSON: what `specwright rules --format json` prints and editors read to build
/// their settings.
pub fn catalogue() -> serde_json::Value {
    serde_json::Value::Array(
        REGISTRY
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({
                    "id": m.id,
                    "summary": m.summary,
                    "defaultSeverity": m.default_severity().as_str(),
                    "doc": m.markdown(),
                })
            })
            .collect(),
    )
}

/// Every rule id, for configuration validation.
pub fn ids() -> Vec<&'static str> {
    REGISTRY.iter().map(|r| r.meta().id).collect()
}
