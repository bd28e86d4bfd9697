//! `specwright.toml`: the schema (one set of types, also exported as JSON Schema), reading it
//! from TOML or from editor settings (JSON) with a diagnostic per bad key or value, and layering
//! (the file wins; editor settings fill only what it leaves unset).
//!
//! Reading never fails: a bad entry is reported and skipped, and everything valid still applies.

mod read;

pub(crate) use read::edit_distance;
pub use read::{parse_duration, parse_json, parse_toml};

use crate::diagnostic::Severity;
use crate::kind::{DocKind, Family};
use crate::lexicon::Lexicon;
use crate::span::Span;
use crate::syntax::IdPatterns;
use globset::{Glob, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// The file name the CLI and the server look for, walking up from a document.
pub const FILE_NAME: &str = "specwright.toml";

/// The contents of a `specwright.toml`, every key optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[schemars(
    title = "specwright.toml",
    description = "Configuration of Specwright, the language server and linter for specifications."
)]
pub struct ConfigFile {
    /// Globs (relative to this file) of the Markdown files a directory walk checks and the
    /// workspace index reads. Default: every Markdown file.
    pub include: Option<Vec<String>>,
    /// Globs of files never checked or indexed, even when `include` matches them.
    pub exclude: Option<Vec<String>>,
    /// Which rules are on before `rules` applies: "earned" (default) turns on only the rules
    /// whose measured precision on real spec folders earned it, at the severity it earned;
    /// "all" turns every rule on at the severity a right finding deserves (a strict review).
    pub rule_set: Option<RuleSet>,
    /// Per rule id: a severity ("error", "warning", "info", "hint" or "off"), or a table with
    /// `severity` and, for rules with word lists, `add` and `remove`.
    pub rules: Option<BTreeMap<String, RuleSetting>>,
    /// Which sections are narrative (only `incomplete-marker` and `template-placeholder` apply)
    /// and which hold requirements (every list item is normative).
    pub sections: Option<SectionsConfig>,
    /// How requirement, story, criterion, task and ADR ids are written.
    pub ids: Option<IdsConfig>,
    /// Document kind and family per glob, overriding detection.
    pub kinds: Option<BTreeMap<String, KindOverride>>,
    /// Required sections per document kind (`spec`, `plan`, `requirements`, `design`, …),
    /// replacing the built-in profile of that kind.
    pub profiles: Option<BTreeMap<String, ProfileConfig>>,
    /// Base URL of the rule pages; a rule's page is `<docs-url>/<rule-id>.md`. Unset: no links.
    pub docs_url: Option<String>,
    /// Architecture Decision Records: where they live, the template new ones use, and the
    /// statuses a record may have.
    pub adr: Option<AdrConfig>,
    /// Decomposition into tasks: the boundary of a task that states none, a check command.
    pub decompose: Option<DecomposeConfig>,
    /// Component names (cc-sdd's `_Boundary: AuthService_`) and the globs they stand for.
    pub boundaries: Option<BTreeMap<String, Vec<String>>>,
    /// Dispatching tasks to coding agents: concurrency, timeout, where worktrees go.
    pub dispatch: Option<DispatchConfig>,
    /// Coding agents by name, each with its kind (`acp`, `claude`, `codex`, `gemini`, `command`).
    pub agents: Option<BTreeMap<String, AgentConfig>>,
    /// What `specwright verify` checks beyond checks and boundaries.
    pub verify: Option<VerifyConfig>,
}

/// `[verify]`.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct VerifyConfig {
    /// Globs (repository-relative) of the test files: each requirement a done task covers must
    /// be named (its id) in at least one of them, else `untested-requirement`.
    pub tests: Option<Vec<String>>,
}

/// The rules on by default; see [`ConfigFile::rule_set`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleSet {
    Earned,
    All,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DispatchConfig {
    /// How many agents run at once. Default 3.
    pub jobs: Option<u32>,
    /// Longest a task may run, e.g. "30m", "90s", "2h". Default "30m".
    pub timeout: Option<String>,
    /// Where task worktrees go, relative to the repository root. Default
    /// "../.specwright-worktrees/<repository name>".
    #[serde(alias = "worktree_root")]
    pub worktree_root: Option<String>,
    /// The agent a dispatch uses when none is named. Default: the only one configured.
    pub agent: Option<String>,
    /// The commit or branch tasks without dependencies start from. Default: HEAD.
    pub base: Option<String>,
    /// A prompt template (MiniJinja) replacing the built-in one, relative to the repository root.
    pub prompt: Option<String>,
    /// How an ACP agent's permission requests are answered: "allow" (the narrowest allow
    /// option; writes stay confined to the worktree) or "deny". Default "allow".
    pub permissions: Option<PermissionPolicy>,
    /// Run agents under a Linux Landlock ruleset: writes only in the task's worktree, the
    /// temporary folder and the agent's own state folders. Default true (where the kernel
    /// supports Landlock; elsewhere a warning says the sandbox is off).
    pub sandbox: Option<bool>,
    /// More folders agents may write under the sandbox (absolute, or starting with `~/`).
    pub writable: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PermissionPolicy {
    Allow,
    Deny,
}

/// The kinds of agent Specwright can drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AgentKind {
    /// Any Agent Client Protocol agent over stdio; `argv` starts it.
    Acp,
    /// Claude Code headless (`claude -p --output-format stream-json`).
    Claude,
    /// `codex exec --json`.
    Codex,
    /// Gemini CLI headless (`gemini --output-format stream-json`).
    Gemini,
    /// Any program; `argv` with `{prompt_file}`, `{worktree}`, `{task_id}`, `{branch}`.
    Command,
}

#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AgentConfig {
    pub kind: AgentKind,
    /// The program and its arguments. Required for `acp` and `command`; for the others it
    /// replaces the program name (e.g. ["npx", "@openai/codex"]).
    pub argv: Option<Vec<String>>,
    /// Extra arguments after the ones Specwright passes (e.g. ["--permission-mode", "acceptEdits"]).
    pub args: Option<Vec<String>>,
    /// Environment variables set for the agent.
    pub env: Option<BTreeMap<String, String>>,
    /// The model, where the agent takes one (`--model`).
    pub model: Option<String>,
    /// Claude Code's `--max-turns`.
    #[serde(alias = "max_turns")]
    pub max_turns: Option<u32>,
    /// Claude Code's `--max-budget-usd`.
    #[serde(alias = "max_budget_usd")]
    pub max_budget_usd: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DecomposeConfig {
    /// Globs a task may touch when the spec and plan give it no boundary.
    #[serde(alias = "default_boundary")]
    pub default_boundary: Option<Vec<String>>,
    /// The check command every generated task carries (`Check:`), e.g. "cargo test".
    pub check: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AdrConfig {
    /// Folders (relative to this file) that hold ADRs. Unset: the conventional folders
    /// (`docs/adr`, `docs/decisions`, `adr`, …) and any record detected by its headings.
    pub dirs: Option<Vec<String>>,
    /// The template `adr new` writes: "madr" (MADR 4) or "nygard" (adr-tools). Unset: the
    /// format of the folder's existing records, else MADR.
    pub template: Option<AdrTemplate>,
    /// The statuses a record may have, lowercase (`superseded` also admits
    /// `superseded by ADR-NNNN`). Unset: proposed, accepted, rejected, deprecated, superseded.
    pub lifecycle: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AdrTemplate {
    Madr,
    Nygard,
}

/// The default ADR lifecycle.
pub const DEFAULT_LIFECYCLE: &[&str] = &[
    "proposed",
    "accepted",
    "rejected",
    "deprecated",
    "superseded",
];

/// A rule's configuration: a bare severity, or a table.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RuleSetting {
    Severity(Severity),
    Table(RuleTable),
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleTable {
    pub severity: Option<Severity>,
    /// Words or phrases added to the rule's built-in list.
    pub add: Option<Vec<String>>,
    /// Words or phrases removed from the rule's built-in list.
    pub remove: Option<Vec<String>>,
    /// Similarity (0 to 1) from which `duplicate-requirement` reports a pair.
    pub threshold: Option<f64>,
}

impl RuleSetting {
    pub fn severity(&self) -> Option<Severity> {
        match self {
            RuleSetting::Severity(s) => Some(*s),
            RuleSetting::Table(t) => t.severity,
        }
    }

    fn merged_over(self, lower: &RuleSetting) -> RuleSetting {
        match (self, lower) {
            (RuleSetting::Table(mine), RuleSetting::Table(theirs)) => {
                RuleSetting::Table(RuleTable {
                    severity: mine.severity.or(theirs.severity),
                    add: mine.add.or_else(|| theirs.add.clone()),
                    remove: mine.remove.or_else(|| theirs.remove.clone()),
                    threshold: mine.threshold.or(theirs.threshold),
                })
            }
            (RuleSetting::Table(mine), RuleSetting::Severity(s)) => RuleSetting::Table(RuleTable {
                severity: mine.severity.or(Some(*s)),
                ..mine
            }),
            (RuleSetting::Severity(s), RuleSetting::Table(theirs)) => {
                RuleSetting::Table(RuleTable {
                    severity: Some(s),
                    ..theirs.clone()
                })
            }
            (mine, _) => mine,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SectionsConfig {
    /// Section titles (case-insensitive, matched at the start of the title) treated as
    /// narrative; replace the built-in list when set.
    pub narrative: Option<Vec<String>>,
    /// Section titles whose list items are all requirements; replace the built-in list when set.
    pub requirements: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct IdsConfig {
    /// Regular expressions (Rust `regex` syntax) of ids; replace the built-in patterns when set.
    pub patterns: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ProfileConfig {
    /// Section titles that must be present (matched case-insensitively at the start of a
    /// heading, numbering ignored).
    pub required: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct KindOverride {
    pub kind: Option<DocKind>,
    pub family: Option<Family>,
}

/// Sections whose prose is explanation, not obligation (matched at the start of the title).
pub const DEFAULT_NARRATIVE: &[&str] = &[
    "summary",
    "motivation",
    "background",
    "context",
    "alternatives",
    "rationale",
    "drawbacks",
    "history",
    "implementation history",
    "clarifications",
    "introduction",
    "overview",
    "prior art",
    "unresolved questions",
    "open questions",
    "future possibilities",
    "future work",
    "references",
    "glossary",
    "notes",
    "discussion",
    "goals",
    "non-goals",
    "risks",
    "considered options",
    "pros and cons",
    "more information",
    "decision drivers",
    "consequences",
    "user stories",
    "research",
    "problem statement",
    "guide-level explanation",
];

/// Sections whose list items are requirements even without a keyword.
pub const DEFAULT_REQUIREMENT_SECTIONS: &[&str] = &[
    "requirements",
    "functional requirements",
    "non-functional requirements",
    "nonfunctional requirements",
    "acceptance criteria",
    "acceptance scenarios",
    "success criteria",
    "measurable outcomes",
];

/// The top-level keys of [`ConfigFile`], as written in the file.
pub const KEYS: &[&str] = &[
    "include",
    "exclude",
    "rule-set",
    "rules",
    "sections",
    "ids",
    "kinds",
    "profiles",
    "docs-url",
    "adr",
    "decompose",
    "boundaries",
    "dispatch",
    "agents",
    "verify",
];

/// A problem in a configuration source, located in the `specwright.toml` text when it came
/// from one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigDiagnostic {
    pub span: Option<Span>,
    pub message: String,
    pub severity: Severity,
}

impl ConfigFile {
    /// `self` with every key it leaves unset taken from `lower`; rule severities merge per rule.
    pub fn layered_over(self, lower: &ConfigFile) -> ConfigFile {
        let rules = match (self.rules, &lower.rules) {
            (Some(mine), Some(theirs)) => {
                let mut merged = theirs.clone();
                for (rule, setting) in mine {
                    let setting = match theirs.get(&rule) {
                        Some(lower) => setting.merged_over(lower),
                        None => setting,
                    };
                    merged.insert(rule, setting);
                }
                Some(merged)
            }
            (mine, theirs) => mine.or_else(|| theirs.clone()),
        };
        ConfigFile {
            include: self.include.or_else(|| lower.include.clone()),
            exclude: self.exclude.or_else(|| lower.exclude.clone()),
            rule_set: self.rule_set.or(lower.rule_set),
            rules,
            ids: match (self.ids, &lower.ids) {
                (Some(IdsConfig { patterns: None }), Some(theirs)) => Some(theirs.clone()),
                (mine, theirs) => mine.or_else(|| theirs.clone()),
            },
            sections: match (self.sections, &lower.sections) {
                (Some(mine), Some(theirs)) => Some(SectionsConfig {
                    narrative: mine.narrative.or_else(|| theirs.narrative.clone()),
                    requirements: mine.requirements.or_else(|| theirs.requirements.clone()),
                }),
                (mine, theirs) => mine.or_else(|| theirs.clone()),
            },
            kinds: self.kinds.or_else(|| lower.kinds.clone()),
            profiles: self.profiles.or_else(|| lower.profiles.clone()),
            docs_url: self.docs_url.or_else(|| lower.docs_url.clone()),
            adr: match (self.adr, &lower.adr) {
                (Some(mine), Some(theirs)) => Some(AdrConfig {
                    dirs: mine.dirs.or_else(|| theirs.dirs.clone()),
                    template: mine.template.or(theirs.template),
                    lifecycle: mine.lifecycle.or_else(|| theirs.lifecycle.clone()),
                }),
                (mine, theirs) => mine.or_else(|| theirs.clone()),
            },
            decompose: self.decompose.or_else(|| lower.decompose.clone()),
            boundaries: self.boundaries.or_else(|| lower.boundaries.clone()),
            dispatch: self.dispatch.or_else(|| lower.dispatch.clone()),
            verify: self.verify.or_else(|| lower.verify.clone()),
            agents: match (self.agents, &lower.agents) {
                (Some(mine), Some(theirs)) => {
                    let mut merged = theirs.clone();
                    merged.extend(mine);
                    Some(merged)
                }
                (mine, theirs) => mine.or_else(|| theirs.clone()),
            },
        }
    }
}

/// A resolved configuration: the file's values plus what was compiled from them.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: ConfigFile,
    id_patterns: Option<IdPatterns>,
    kinds: Vec<(GlobSet, KindOverride)>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// Word lists compiled for this configuration's additions and removals, by rule.
    lexicons: Arc<Mutex<HashMap<&'static str, Arc<Lexicon>>>>,
}

impl Default for Config {
    fn default() -> Self {
        Config::new(ConfigFile::default())
    }
}

impl Config {
    /// Compiles a file that went through [`parse_toml`] / [`parse_json`], which already reported
    /// and dropped whatever does not compile.
    pub fn new(file: ConfigFile) -> Config {
        let id_patterns = file
            .ids
            .as_ref()
            .and_then(|ids| ids.patterns.clone())
            .and_then(|p| IdPatterns::new(p).ok());
        let kinds = file
            .kinds
            .iter()
            .flatten()
            .filter_map(|(glob, o)| Some((globset_of(std::slice::from_ref(glob))?, o.clone())))
            .collect();
        let include = file.include.as_deref().and_then(globset_of);
        let exclude = file.exclude.as_deref().and_then(globset_of);
        Config {
            file,
            id_patterns,
            kinds,
            include,
            exclude,
            lexicons: Arc::default(),
        }
    }

    /// The lexicon cached for `rule`, built by `build` the first time.
    pub fn lexicon(&self, rule: &'static str, build: impl FnOnce() -> Lexicon) -> Arc<Lexicon> {
        let mut cache = match self.lexicons.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        cache
            .entry(rule)
            .or_insert_with(|| Arc::new(build()))
            .clone()
    }

    pub fn id_patterns(&self) -> &IdPatterns {
        self.id_patterns
            .as_ref()
            .unwrap_or_else(|| IdPatterns::builtin())
    }

    /// The configured severity of a rule, else `default`.
    /// Rule `meta`'s severity here: the rule's own setting, else what the rule set gives it.
    pub fn rule_severity(&self, meta: &crate::rules::RuleMeta) -> Severity {
        let base = match self.file.rule_set {
            Some(RuleSet::All) => meta.severity,
            _ => meta.default_severity(),
        };
        self.severity(meta.id, base)
    }

    pub fn severity(&self, rule: &str, default: Severity) -> Severity {
        self.rule_setting(rule)
            .and_then(RuleSetting::severity)
            .unwrap_or(default)
    }

    pub fn rule_setting(&self, rule: &str) -> Option<&RuleSetting> {
        self.file.rules.as_ref().and_then(|r| r.get(rule))
    }

    /// A rule's word list: `builtin` with the configured `add` and `remove` applied.
    pub fn word_list(&self, rule: &str, builtin: &[&str]) -> Vec<String> {
        let mut words: Vec<String> = builtin.iter().map(|w| w.to_string()).collect();
        if let Some(RuleSetting::Table(t)) = self.rule_setting(rule) {
            if let Some(remove) = &t.remove {
                words.retain(|w| !remove.iter().any(|r| r.eq_ignore_ascii_case(w)));
            }
            words.extend(t.add.iter().flatten().cloned());
        }
        words
    }

    /// Whether a rule's word list differs from its built-in one.
    pub fn customises_words(&self, rule: &str) -> bool {
        matches!(self.rule_setting(rule), Some(RuleSetting::Table(t)) if t.add.is_some() || t.remove.is_some())
    }

    /// The configured required sections of `kind`, replacing its built-in profile.
    pub fn required_sections(&self, kind: DocKind) -> Option<&[String]> {
        self.file
            .profiles
            .as_ref()?
            .get(kind.as_str())?
            .required
            .as_deref()
    }

    /// Narrative section titles, lowercased.
    pub fn narrative_sections(&self) -> Vec<String> {
        self.file
            .sections
            .as_ref()
            .and_then(|s| s.narrative.clone())
            .map(|v| v.into_iter().map(|t| t.to_lowercase()).collect())
            .unwrap_or_else(|| DEFAULT_NARRATIVE.iter().map(|s| s.to_string()).collect())
    }

    /// Requirement section titles, lowercased.
    pub fn requirement_sections(&self) -> Vec<String> {
        self.file
            .sections
            .as_ref()
            .and_then(|s| s.requirements.clone())
            .map(|v| v.into_iter().map(|t| t.to_lowercase()).collect())
            .unwrap_or_else(|| {
                DEFAULT_REQUIREMENT_SECTIONS
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            })
    }

    /// The `[kinds]` override for a path relative to the configuration's folder.
    pub fn kind_override(&self, path: &str) -> Option<&KindOverride> {
        self.kinds
            .iter()
            .find(|(g, _)| g.is_match(path))
            .map(|(_, o)| o)
    }

    /// Whether a directory walk includes this path (relative to the configuration's folder).
    pub fn includes(&self, path: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(path))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// The configured ADR lifecycle, lowercased, when one is configured.
    pub fn adr_lifecycle(&self) -> Option<Vec<String>> {
        let lifecycle = self.file.adr.as_ref()?.lifecycle.as_ref()?;
        Some(lifecycle.iter().map(|s| s.trim().to_lowercase()).collect())
    }

    /// The configured ADR folders, relative to the configuration's folder, `/`-separated.
    pub fn adr_dirs(&self) -> Option<Vec<String>> {
        let dirs = self.file.adr.as_ref()?.dirs.as_ref()?;
        Some(
            dirs.iter()
                .map(|d| d.replace('\\', "/").trim_matches('/').to_string())
                .collect(),
        )
    }

    /// The globs `[boundaries]` maps a component name to (case-insensitive).
    pub fn boundary_component(&self, name: &str) -> Option<Vec<String>> {
        self.file
            .boundaries
            .as_ref()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// `[decompose].default-boundary`.
    pub fn default_boundary(&self) -> Vec<String> {
        self.file
            .decompose
            .as_ref()
            .and_then(|d| d.default_boundary.clone())
            .unwrap_or_default()
    }

    /// `[decompose].check`.
    pub fn decompose_check(&self) -> Option<String> {
        self.file
            .decompose
            .as_ref()
            .and_then(|d| d.check.clone())
            .filter(|c| !c.trim().is_empty())
    }

    pub fn adr_template(&self) -> Option<AdrTemplate> {
        self.file.adr.as_ref()?.template
    }

    pub fn docs_url(&self) -> Option<&str> {
        self.file
            .docs_url
            .as_deref()
            .filter(|s| !s.trim().is_empty())
    }
}

pub(crate) fn compile_glob(glob: &str) -> Result<Glob, String> {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

fn globset_of(globs: &[String]) -> Option<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        builder.add(compile_glob(g).ok()?);
    }
    builder.build().ok()
}

/// The JSON Schema of `specwright.toml`, for taplo / Even Better TOML and editor settings.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ConfigFile)).unwrap_or_default()
}

/// The commented `specwright.toml` that `specwright init` writes.
pub fn template(families: &[Family]) -> String {
    let detected = if families.is_empty() {
        "# No known spec layout was found; Specwright detects kinds from headings.\n".to_string()
    } else {
        let names: Vec<&str> = families.iter().map(|f| f.as_str()).collect();
        format!("# Detected conventions: {}.\n", names.join(", "))
    };
    let mut includes = vec![
        "\"specs/**\"",
        "\".kiro/**\"",
        "\"openspec/**\"",
        "\"docs/**\"",
    ];
    includes.dedup();
    format!(
        r#"# Specwright configuration: https://github.com/specwright — schema: docs/specwright.schema.json
{detected}
# Markdown files that `specwright check DIR` and the workspace index read (relative to this file).
include = [{includes}]
exclude = ["**/node_modules/**", "**/target/**"]

# Severity per rule: "error", "warning", "info", "hint" or "off", or a table that also edits
# the rule's word list. `specwright rules` lists the rules, `specwright explain RULE` explains one.
[rules]
# incomplete-marker = "error"
# universal-quantifier = "off"
# vague-term = {{ severity = "warning", add = ["snappy"], remove = ["simple"] }}

# Narrative sections get only incomplete-marker and template-placeholder; list items in
# requirement sections are requirements. Titles match case-insensitively at their start.
[sections]
# narrative = ["summary", "motivation", "background", "context", "alternatives"]
# requirements = ["requirements", "acceptance criteria", "success criteria"]

# Id patterns (regular expressions). Setting them replaces the built-in ones
# (FR-001, NFR-3, SC-002, REQ-12, TR-1, US-2, US1, UC-4, AC-7, ADR-0007, T001).
[ids]
# patterns = ['FR-\d{{3}}', 'SC-\d{{3}}', 'T\d{{3}}']

# Document kind and family per glob, when detection guesses wrong.
# kind: spec, plan, tasks, requirements, design, adr, proposal, generic
# family: spec-kit, kiro, openspec, cc-sdd, kep-rfc, madr, nygard, generic
[kinds]
# "docs/proposals/**" = {{ kind = "spec", family = "generic" }}

# Required sections per kind (spec, plan, requirements, design, proposal, …), replacing the
# built-in profile (spec-kit, Kiro, OpenSpec, KEP/RFC).
[profiles]
# spec = {{ required = ["Scope", "Requirements", "Acceptance Criteria", "Interfaces"] }}

# Architecture Decision Records: their folders, the template of `specwright adr new`
# ("madr" or "nygard"), and the statuses a record may have.
[adr]
# dirs = ["docs/adr"]
# template = "madr"
# lifecycle = ["proposed", "accepted", "rejected", "deprecated", "superseded"]

# Decomposition into tasks (`specwright tasks`, "Decompose into tasks"): the boundary of a task
# whose requirement and plan name no files, and the command that checks every task.
[decompose]
# default-boundary = ["src/**", "tests/**"]
# check = "cargo test"

# Component names used in `_Boundary: AuthService_` task lines, and the globs they stand for.
[boundaries]
# AuthService = ["src/auth/**"]

# `specwright verify`: the test files each requirement a done task covers must be named in
# (by its id, in any spelling: FR-001, fr001, FR_1), else untested-requirement.
[verify]
# tests = ["tests/**", "**/*_test.go"]
"#,
        includes = includes.join(", ")
    )
}
