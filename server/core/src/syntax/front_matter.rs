//! YAML front matter, parsed with yaml-rust2 into JSON-like values.

use crate::span::Span;
use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// The whole block, fences included.
    pub span: Span,
    /// The top-level mapping; empty when the YAML is not a mapping or does not parse.
    pub values: Map<String, Value>,
    /// Why the YAML did not parse, when it did not.
    pub error: Option<String>,
}

impl FrontMatter {
    pub(super) fn empty(span: Span) -> FrontMatter {
        FrontMatter {
            span,
            values: Map::new(),
            error: None,
        }
    }

    pub(super) fn parse_body(&mut self, text: &str, end_span: Span) {
        self.span = Span::new(self.span.start, self.span.end.max(end_span.end));
        let block = text.get(self.span.range()).unwrap_or("");
        // Between the opening fence line and the closing fence line.
        let body_start = block.find('\n').map_or(block.len(), |i| i + 1);
        let body_end = block
            .trim_end()
            .rfind('\n')
            .map_or(body_start, |i| i.max(body_start));
        let body = &block[body_start..body_end];
        match YamlLoader::load_from_str(body) {
            Ok(docs) => match docs.into_iter().next() {
                Some(Yaml::Hash(hash)) => {
                    for (k, v) in hash {
                        if let Some(key) = yaml_key(&k) {
                            self.values.insert(key, to_json(v));
                        }
                    }
                }
                Some(Yaml::Null) | None => {}
                Some(_) => {
                    self.error = Some("front matter is not a mapping of keys to values".into())
                }
            },
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// A string-valued key, e.g. `kind` or `status`.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }
}

fn yaml_key(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn to_json(y: Yaml) -> Value {
    match y {
        Yaml::String(s) => Value::String(s),
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Yaml::Hash(hash) => Value::Object(
            hash.into_iter()
                .filter_map(|(k, v)| Some((yaml_key(&k)?, to_json(v))))
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}
