//! `specwright.taskAt` (the task on a position) and `specwright.tasks` (every task of a
//! document), read by core's task model, so that the editors never parse task lines themselves.

use super::Backend;
use crate::convert;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

impl Backend {
    /// `{"uri": …}` → every task of the document, in order.
    pub(super) fn tasks_command(&self, arg: Value) -> Result<Option<Value>> {
        let uri = arg
            .get("uri")
            .and_then(Value::as_str)
            .and_then(|u| u.parse::<Uri>().ok())
            .ok_or_else(|| Error::invalid_params("expected {\"uri\": \"<document uri>\"}"))?;
        let rope = self.open_rope(&uri)?;
        let all = specwright_core::ide::tasks_in(&rope.to_string());
        Ok(serde_json::to_value(all).ok())
    }

    fn open_rope(&self, uri: &Uri) -> Result<ropey::Rope> {
        self.inner
            .docs
            .get(uri)
            .map(|d| d.rope.clone())
            .ok_or_else(|| {
                Error::invalid_params(format!("{} is not open in this editor", uri.as_str()))
            })
    }

    /// `{"uri": …, "position": {"line": …, "character": …}}` → the task there, or `null`.
    pub(super) fn task_at_command(&self, arg: Value) -> Result<Option<Value>> {
        let expected = || {
            Error::invalid_params(
                "expected {\"uri\": \"<document uri>\", \"position\": {\"line\": 0, \"character\": 0}}",
            )
        };
        let uri = arg
            .get("uri")
            .and_then(Value::as_str)
            .and_then(|u| u.parse::<Uri>().ok())
            .ok_or_else(expected)?;
        let position: Position = arg
            .get("position")
            .cloned()
            .and_then(|p| serde_json::from_value(p).ok())
            .ok_or_else(expected)?;
        let rope = self.open_rope(&uri)?;
        let text = rope.to_string();
        let offset = convert::offset(&rope, position, self.encoding());
        Ok(specwright_core::ide::task_at(&text, offset).and_then(|t| serde_json::to_value(t).ok()))
    }
}
