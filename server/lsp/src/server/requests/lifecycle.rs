//! The session: `initialize` (what the client offers, what the server advertises) and `initialized` (registrations, first indexing).

use super::super::capabilities;
use super::super::*;

impl Backend {
    pub(crate) async fn on_initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        // The rules' expressions compile on first use: have them ready for the first document.
        tokio::task::spawn_blocking(specwright_core::analysis::warm_up);
        let offered = capabilities::read(&params.capabilities);
        let (encoding, pull) = (offered.encoding, offered.pull);
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)] // rootUri is what older clients send.
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
        {
            roots.push(root.into_owned());
        }
        if let Ok(mut s) = self.inner.session.write() {
            s.offers = offered.offers;
            s.encoding = encoding;
            s.pull = pull;
            s.refresh_support = offered.refresh_support;
            s.roots = roots;
            s.work_done_progress = offered.work_done_progress;
            s.resource_create = offered.resource_create;
        }
        if let Some(opts) = &params.initialization_options {
            self.apply_settings(opts).await;
        }
        Ok(InitializeResult {
            capabilities: capabilities::advertised(encoding, pull),
            server_info: Some(ServerInfo {
                name: "specwright".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    pub(crate) async fn on_initialized(&self, _p0: InitializedParams) {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: [
                format!("**/{FILE_NAME}"),
                "**/*.md".to_string(),
                "**/*.markdown".to_string(),
            ]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            })
            .collect(),
        };
        let registration = Registration {
            id: "specwright-config-watcher".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        // Only clients that offer dynamic registration are asked; without it, config changes
        // still arrive through didSave / didChange of an open specwright.toml. The answer is
        // not awaited here: a handler still waiting for the client when `exit` arrives would
        // keep the server from ending (its input is no longer read, so the answer never comes).
        if self.offers().watch_registration {
            let client = self.inner.client.clone();
            tokio::spawn(async move {
                let _ = client.register_capability(vec![registration]).await;
            });
        }
        // Runs whose owner died are interrupted, and their leftover agents ended.
        let roots = self
            .inner
            .session
            .read()
            .map(|s| s.roots.clone())
            .unwrap_or_default();
        tokio::task::spawn_blocking(move || {
            for root in roots {
                if root.join(specwright_agents::record::DIR).is_dir() {
                    specwright_agents::record::sweep_interrupted(&root);
                }
            }
        });
        let this = self.clone();
        tokio::spawn(async move { this.index_workspace().await });
    }
}
