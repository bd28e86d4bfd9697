//! What a rule reports: [`Diagnostic`] with its [`Severity`] and machine-applicable [`Fix`]es.

use crate::span::Span;
use serde::{Deserialize, Serialize};

/// How loudly a finding is reported. `Off` disables a rule.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Hint,
        Severity::Off,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|sev| sev.as_str() == s)
    }

    /// SARIF 2.1.0 `level`.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "note",
            Severity::Off => "none",
        }
    }

    /// GitHub Actions workflow-command name.
    pub fn github_command(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            _ => "notice",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Replace the text at `span` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// A named, self-contained set of edits that resolves a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

/// Another place a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// The document, as the workspace index keys it; `None`: the finding's own document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub span: Span,
    pub message: String,
}

/// One finding of one rule in one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable rule id, e.g. `incomplete-marker`.
    pub rule: &'static str,
    pub span: Span,
    /// Names the offending words; says what is wrong, not only where.
    pub message: String,
    pub severity: Severity,
    /// A question to put to the spec's author that would resolve the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
    /// The other places the finding is about (the statement a value contradicts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// A weaker form of the rule's finding (a numbering gap, a date in the future): reported
    /// as a hint whatever severity the rule is configured at, unless the rule is off.
    #[serde(skip)]
    pub demoted: bool,
}

impl Diagnostic {
    /// A diagnostic at the rule's default severity; the engine applies configured severities.
    pub fn new(rule: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            span,
            message: message.into(),
            severity: Severity::Warning,
            question: None,
            fixes: Vec::new(),
            related: Vec::new(),
            demoted: false,
        }
    }

    pub fn with_question(mut self, question: impl Into<String>) -> Diagnostic {
        self.question = Some(question.into());
        self
    }

    /// Marks the finding as a hint (see [`Diagnostic::demoted`]).
    pub fn demoted(mut self) -> Diagnostic {
        self.demoted = true;
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }

    pub fn with_related(mut self, related: Related) -> Diagnostic {
        self.related.push(related);
        self
    }
}
