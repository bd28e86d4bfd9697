//! Drift on task lines as you type: a done task Specwright generated whose requirement changed
//! (or went) since is `stale-task`, as `specwright verify` reports it. Computed from the
//! documents alone (open buffers first, then the disk); nothing is run.

use super::Backend;
use crate::convert::Encoding;
use ropey::Rope;
use std::path::Path;
use tower_lsp_server::ls_types::*;

impl Backend {
    pub(super) fn drift_diagnostics(
        &self,
        path: &Path,
        rope: &Rope,
        enc: Encoding,
    ) -> Vec<Diagnostic> {
        let text = rope.to_string();
        let read = |p: &Path| {
            Uri::from_file_path(p)
                .and_then(|u| self.inner.docs.get(&u).map(|d| d.rope.to_string()))
                .or_else(|| std::fs::read_to_string(p).ok())
        };
        specwright_workspace::tasks::stale_tasks(path, &text, &read)
            .into_iter()
            .map(|s| {
                let start: usize = text.split_inclusive('\n').take(s.line).map(str::len).sum();
                let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                let span = specwright_core::Span::new(start, end);
                Diagnostic {
                    range: crate::navigation::range_of(rope, span, enc),
                    severity: Some(DiagnosticSeverity::WARNING),
                    code: Some(NumberOrString::String("stale-task".into())),
                    source: Some("specwright".into()),
                    message: format!("{} is marked done, but {}", s.id, s.why),
                    ..Default::default()
                }
            })
            .collect()
    }
}
