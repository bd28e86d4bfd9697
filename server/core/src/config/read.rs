//! Reading a configuration from TOML (with spans) or JSON (editor settings) into a
//! [`ConfigFile`], one diagnostic per bad key or value, the rest kept.

use super::{
    AdrConfig, AdrTemplate, ConfigDiagnostic, ConfigFile, DecomposeConfig, IdsConfig, KEYS,
    KindOverride, ProfileConfig, RuleSetting, RuleTable, SectionsConfig, compile_glob,
};
use crate::diagnostic::Severity;
use crate::kind::{DocKind, Family};
use crate::span::Span;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod run;

/// One node of a configuration source, TOML or JSON, with the operations reading needs.
trait Node: Sized {
    fn span(&self) -> Option<Span>;
    fn entries(&self) -> Option<Vec<(String, Option<Span>, Self)>>;
    fn items(&self) -> Option<Vec<Self>>;
    fn string(&self) -> Option<String>;
    fn type_name(&self) -> &'static str;
    fn decode<T: DeserializeOwned>(&self) -> Result<T, String>;
}

struct TomlNode<'a>(&'a Spanned<DeValue<'a>>);

impl<'a> Node for TomlNode<'a> {
    fn span(&self) -> Option<Span> {
        Some(self.0.span().into())
    }
    fn entries(&self) -> Option<Vec<(String, Option<Span>, Self)>> {
        let table = self.0.get_ref().as_table()?;
        Some(
            table
                .iter()
                .map(|(k, v)| (k.get_ref().to_string(), Some(k.span().into()), TomlNode(v)))
                .collect(),
        )
    }
    fn items(&self) -> Option<Vec<Self>> {
        Some(self.0.get_ref().as_array()?.iter().map(TomlNode).collect())
    }
    fn string(&self) -> Option<String> {
        self.0.get_ref().as_str().map(str::to_string)
    }
    fn type_name(&self) -> &'static str {
        self.0.get_ref().type_str()
    }
    fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        T::deserialize(toml::de::ValueDeserializer::from(self.0.clone()))
            .map_err(|e| e.message().to_string())
    }
}

struct JsonNode<'a>(&'a serde_json::Value);

impl<'a> Node for JsonNode<'a> {
    fn span(&self) -> Option<Span> {
        None
    }
    fn entries(&self) -> Option<Vec<(String, Option<Span>, Self)>> {
        Some(
            self.0
                .as_object()?
                .iter()
                .map(|(k, v)| (k.clone(), None, JsonNode(v)))
                .collect(),
        )
    }
    fn items(&self) -> Option<Vec<Self>> {
        Some(self.0.as_array()?.iter().map(JsonNode).collect())
    }
    fn string(&self) -> Option<String> {
        self.0.as_str().map(str::to_string)
    }
    fn type_name(&self) -> &'static str {
        match self.0 {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "boolean",
            serde_json::Value::Number(_) => "number",
            serde_json::Value::String(_) => "string",
            serde_json::Value::Array(_) => "array",
            serde_json::Value::Object(_) => "table",
        }
    }
    fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_value(self.0.clone()).map_err(|e| e.to_string())
    }
}

/// Reads a `specwright.toml`. Syntax errors are reported and the parser's recovery keeps what
/// it can; `known_rules` are the rule ids a `[rules]` key may name.
pub fn parse_toml(text: &str, known_rules: &[&str]) -> (ConfigFile, Vec<ConfigDiagnostic>) {
    let (root, errors) = DeTable::parse_recoverable(text);
    let mut reader = Reader {
        known_rules,
        diagnostics: errors
            .into_iter()
            .map(|e| ConfigDiagnostic {
                span: e.span().map(Span::from),
                message: format!("invalid TOML: {}", e.message().trim_end()),
                severity: Severity::Error,
            })
            .collect(),
    };
    let span = root.span();
    let root = Spanned::new(span, DeValue::Table(root.into_inner()));
    let file = reader.root(TomlNode(&root));
    let mut diagnostics = reader.diagnostics;
    diagnostics.sort_by_key(|d| d.span.map(|s| s.start));
    (file, diagnostics)
}

/// Reads editor settings (LSP `initializationOptions` / `workspace/configuration`), which use
/// the same keys as `specwright.toml`.
pub fn parse_json(
    value: &serde_json::Value,
    known_rules: &[&str],
) -> (ConfigFile, Vec<ConfigDiagnostic>) {
    let mut reader = Reader {
        known_rules,
        diagnostics: Vec::new(),
    };
    let file = if value.is_null() {
        ConfigFile::default()
    } else {
        reader.root(JsonNode(value))
    };
    (file, reader.diagnostics)
}

struct Reader<'r> {
    known_rules: &'r [&'r str],
    diagnostics: Vec<ConfigDiagnostic>,
}

impl Reader<'_> {
    fn report(&mut self, span: Option<Span>, severity: Severity, message: String) {
        self.diagnostics.push(ConfigDiagnostic {
            span,
            message,
            severity,
        });
    }

    fn expect_entries<N: Node>(&mut self, node: &N, what: &str) -> Vec<(String, Option<Span>, N)> {
        match node.entries() {
            Some(e) => e,
            None => {
                self.report(
                    node.span(),
                    Severity::Error,
                    format!("`{what}` must be a table, found {}", node.type_name()),
                );
                Vec::new()
            }
        }
    }

    fn root<N: Node>(&mut self, root: N) -> ConfigFile {
        let mut file = ConfigFile::default();
        for (key, key_span, value) in self.expect_entries(&root, "configuration") {
            match key.as_str() {
                "include" => file.include = self.globs(&value, "include"),
                "exclude" => file.exclude = self.globs(&value, "exclude"),
                "rule-set" => {
                    file.rule_set = self.decoded(&value, "rule-set", "\"earned\" or \"all\"")
                }
                "rules" => file.rules = Some(self.rules(&value)),
                "ids" => file.ids = Some(self.ids(&value)),
                "sections" => file.sections = Some(self.sections(&value)),
                "kinds" => file.kinds = Some(self.kinds(&value)),
                "profiles" => file.profiles = Some(self.profiles(&value)),
                "docs-url" => file.docs_url = self.string(&value, "docs-url"),
                "adr" => file.adr = Some(self.adr(&value)),
                "decompose" => file.decompose = Some(self.decompose(&value)),
                "boundaries" => file.boundaries = Some(self.boundaries(&value)),
                "dispatch" => file.dispatch = Some(self.dispatch(&value)),
                "agents" => file.agents = Some(self.agents(&value)),
                "verify" => file.verify = Some(self.verify(&value)),
                other => {
                    let hint = suggest(other, KEYS);
                    self.report(
                        key_span,
                        Severity::Warning,
                        format!(
                            "unknown key `{other}`{hint}; known keys: {}",
                            KEYS.join(", ")
                        ),
                    );
                }
            }
        }
        file
    }

    fn string<N: Node>(&mut self, node: &N, what: &str) -> Option<String> {
        let s = node.string();
        if s.is_none() {
            self.report(
                node.span(),
                Severity::Error,
                format!("`{what}` must be a string, found {}", node.type_name()),
            );
        }
        s
    }

    fn strings<N: Node>(&mut self, node: &N, what: &str) -> Option<Vec<(String, Option<Span>)>> {
        let Some(items) = node.items() else {
            self.report(
                node.span(),
                Severity::Error,
                format!(
                    "`{what}` must be an array of strings, found {}",
                    node.type_name()
                ),
            );
            return None;
        };
        Some(
            items
                .iter()
                .filter_map(|item| Some((self.string(item, what)?, item.span())))
                .collect(),
        )
    }

    /// An array of strings, without their spans.
    fn string_list<N: Node>(&mut self, node: &N, what: &str) -> Option<Vec<String>> {
        self.strings(node, what)
            .map(|t| t.into_iter().map(|(s, _)| s).collect())
    }

    fn globs<N: Node>(&mut self, node: &N, what: &str) -> Option<Vec<String>> {
        let globs = self.strings(node, what)?;
        Some(
            globs
                .into_iter()
                .filter_map(|(g, span)| match compile_glob(&g) {
                    Ok(_) => Some(g),
                    Err(e) => {
                        self.report(
                            span,
                            Severity::Error,
                            format!("invalid glob `{g}` in `{what}`: {e}"),
                        );
                        None
                    }
                })
                .collect(),
        )
    }

    fn sections<N: Node>(&mut self, node: &N) -> SectionsConfig {
        let mut sections = SectionsConfig::default();
        for (key, key_span, value) in self.expect_entries(node, "sections") {
            match key.as_str() {
                "narrative" => {
                    sections.narrative = self
                        .strings(&value, "sections.narrative")
                        .map(|v| v.into_iter().map(|(s, _)| s).collect())
                }
                "requirements" => {
                    sections.requirements = self
                        .strings(&value, "sections.requirements")
                        .map(|v| v.into_iter().map(|(s, _)| s).collect())
                }
                other => self.report(
                    key_span,
                    Severity::Warning,
                    format!("unknown key `sections.{other}`; known: narrative, requirements"),
                ),
            }
        }
        sections
    }

    fn severity_of<N: Node>(&mut self, rule: &str, value: &N) -> Option<Severity> {
        let sev = value.string().as_deref().and_then(Severity::parse);
        if sev.is_none() {
            self.report(
                value.span(),
                Severity::Error,
                format!(
                    "severity of `{rule}` must be one of \"error\", \"warning\", \"info\", \"hint\", \"off\"; found {}",
                    value.string().map_or_else(|| value.type_name().to_string(), |s| format!("\"{s}\""))
                ),
            );
        }
        sev
    }

    fn rules<N: Node>(&mut self, node: &N) -> BTreeMap<String, RuleSetting> {
        let mut rules = BTreeMap::new();
        for (rule, key_span, value) in self.expect_entries(node, "rules") {
            if !self.known_rules.contains(&rule.as_str()) {
                let hint = suggest(&rule, self.known_rules);
                self.report(
                    key_span,
                    Severity::Warning,
                    format!("unknown rule `{rule}`{hint}; `specwright rules` lists them"),
                );
                continue;
            }
            if value.entries().is_none() {
                if let Some(sev) = self.severity_of(&rule, &value) {
                    rules.insert(rule, RuleSetting::Severity(sev));
                }
                continue;
            }
            let mut table = RuleTable::default();
            for (key, key_span, v) in self.expect_entries(&value, &rule) {
                match key.as_str() {
                    "severity" => table.severity = self.severity_of(&rule, &v),
                    "add" => table.add = self.strings(&v, "add").map(|w| w.into_iter().map(|(s, _)| s).collect()),
                    "remove" => table.remove = self.strings(&v, "remove").map(|w| w.into_iter().map(|(s, _)| s).collect()),
                    "threshold" => match v.decode::<f64>() {
                        Ok(t) if (0.0..=1.0).contains(&t) => table.threshold = Some(t),
                        _ => self.report(v.span(), Severity::Error, format!("`threshold` of `{rule}` must be a number from 0 to 1")),
                    },
                    other => self.report(
                        key_span,
                        Severity::Warning,
                        format!("unknown key `{other}` for rule `{rule}`; known: severity, add, remove, threshold"),
                    ),
                }
            }
            rules.insert(rule, RuleSetting::Table(table));
        }
        rules
    }

    fn ids<N: Node>(&mut self, node: &N) -> IdsConfig {
        let mut ids = IdsConfig::default();
        for (key, key_span, value) in self.expect_entries(node, "ids") {
            if key != "patterns" {
                self.report(
                    key_span,
                    Severity::Warning,
                    format!("unknown key `ids.{key}`; known: patterns"),
                );
                continue;
            }
            let Some(patterns) = self.strings(&value, "ids.patterns") else {
                continue;
            };
            let valid: Vec<String> = patterns
                .into_iter()
                .filter_map(|(p, span)| match regex::Regex::new(&p) {
                    Ok(_) => Some(p),
                    Err(e) => {
                        let first = e
                            .to_string()
                            .lines()
                            .last()
                            .unwrap_or("")
                            .trim()
                            .trim_start_matches("error: ")
                            .to_string();
                        self.report(
                            span,
                            Severity::Error,
                            format!("invalid id pattern `{p}`: {first}"),
                        );
                        None
                    }
                })
                .collect();
            if valid.is_empty() {
                self.report(
                    value.span(),
                    Severity::Warning,
                    "`ids.patterns` has no valid pattern; the built-in patterns stay in use".into(),
                );
            } else {
                ids.patterns = Some(valid);
            }
        }
        ids
    }

    fn profiles<N: Node>(&mut self, node: &N) -> BTreeMap<String, ProfileConfig> {
        let mut profiles = BTreeMap::new();
        for (kind, key_span, value) in self.expect_entries(node, "profiles") {
            if DocKind::parse(&kind).is_none() {
                self.report(
                    key_span,
                    Severity::Error,
                    format!(
                        "unknown kind `{kind}` in `profiles`; one of: {}",
                        DocKind::ALL.map(|k| k.as_str()).join(", ")
                    ),
                );
                continue;
            }
            let mut profile = ProfileConfig::default();
            for (key, key_span, v) in self.expect_entries(&value, &format!("profiles.{kind}")) {
                if key == "required" {
                    profile.required = self.string_list(&v, "required");
                } else {
                    self.report(
                        key_span,
                        Severity::Warning,
                        format!("unknown key `{key}` in `profiles.{kind}`; known: required"),
                    );
                }
            }
            profiles.insert(kind, profile);
        }
        profiles
    }

    fn decompose<N: Node>(&mut self, node: &N) -> DecomposeConfig {
        let mut d = DecomposeConfig::default();
        for (key, key_span, v) in self.expect_entries(node, "decompose") {
            match key.as_str() {
                "default-boundary" | "default_boundary" => {
                    d.default_boundary = self.string_list(&v, "decompose.default-boundary")
                }
                "check" => d.check = self.string(&v, "decompose.check"),
                other => {
                    let hint = suggest(other, &["default-boundary", "check"]);
                    self.report(
                        key_span,
                        Severity::Warning,
                        format!("unknown key `{other}` in `decompose`{hint}; known: default-boundary, check"),
                    )
                }
            }
        }
        d
    }

    fn decoded<N: Node, T: DeserializeOwned>(
        &mut self,
        node: &N,
        what: &str,
        expected: &str,
    ) -> Option<T> {
        match node.decode::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.report(
                    node.span(),
                    Severity::Error,
                    format!("`{what}` must be {expected}, found {}", node.type_name()),
                );
                None
            }
        }
    }

    fn boundaries<N: Node>(&mut self, node: &N) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for (name, _, v) in self.expect_entries(node, "boundaries") {
            if let Some(globs) = self.strings(&v, &format!("boundaries.{name}")) {
                out.insert(name, globs.into_iter().map(|(s, _)| s).collect());
            }
        }
        out
    }

    fn adr<N: Node>(&mut self, node: &N) -> AdrConfig {
        let mut adr = AdrConfig::default();
        for (key, key_span, v) in self.expect_entries(node, "adr") {
            match key.as_str() {
                "dirs" => adr.dirs = self.string_list(&v, "adr.dirs"),
                "template" => match v.decode::<AdrTemplate>() {
                    Ok(t) => adr.template = Some(t),
                    Err(_) => self.report(
                        v.span(),
                        Severity::Error,
                        "`adr.template` must be \"madr\" or \"nygard\"".into(),
                    ),
                },
                "lifecycle" => {
                    let statuses: Option<Vec<String>> = self.string_list(&v, "adr.lifecycle");
                    match statuses {
                        Some(s) if s.iter().all(|x| x.trim().is_empty()) => self.report(
                            v.span(),
                            Severity::Error,
                            "`adr.lifecycle` is empty; the default lifecycle stays in use".into(),
                        ),
                        other => adr.lifecycle = other,
                    }
                }
                other => {
                    let hint = suggest(other, &["dirs", "template", "lifecycle"]);
                    self.report(
                        key_span,
                        Severity::Warning,
                        format!(
                            "unknown key `{other}` in `adr`{hint}; known: dirs, template, lifecycle"
                        ),
                    )
                }
            }
        }
        adr
    }

    fn kinds<N: Node>(&mut self, node: &N) -> BTreeMap<String, KindOverride> {
        let mut kinds = BTreeMap::new();
        for (glob, key_span, value) in self.expect_entries(node, "kinds") {
            if let Err(e) = compile_glob(&glob) {
                self.report(
                    key_span,
                    Severity::Error,
                    format!("invalid glob `{glob}` in `kinds`: {e}"),
                );
                continue;
            }
            let mut o = KindOverride::default();
            for (key, key_span, v) in self.expect_entries(&value, &format!("kinds.\"{glob}\"")) {
                match key.as_str() {
                    "kind" => match v.decode::<DocKind>() {
                        Ok(k) => o.kind = Some(k),
                        Err(_) => self.report(
                            v.span(),
                            Severity::Error,
                            format!(
                                "unknown kind; one of: {}",
                                DocKind::ALL.map(|k| k.as_str()).join(", ")
                            ),
                        ),
                    },
                    "family" => match v.decode::<Family>() {
                        Ok(f) => o.family = Some(f),
                        Err(_) => self.report(
                            v.span(),
                            Severity::Error,
                            format!(
                                "unknown family; one of: {}",
                                Family::ALL.map(|f| f.as_str()).join(", ")
                            ),
                        ),
                    },
                    other => self.report(
                        key_span,
                        Severity::Warning,
                        format!("unknown key `{other}` in a kinds entry; known: kind, family"),
                    ),
                }
            }
            kinds.insert(glob, o);
        }
        kinds
    }
}

/// ` (did you mean `x`?)` for the closest candidate within a small edit distance.
fn suggest(word: &str, candidates: &[&str]) -> String {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Reads a duration such as "30m", "90s", "1h30m" or "2 hours".
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text.trim()).map_err(|e| {
        format!("`{text}` is not a duration ({e}); write e.g. \"30m\", \"90s\" or \"2h\"")
    })
}
