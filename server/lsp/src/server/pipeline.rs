//! The analysis pipeline of open documents: analyse the latest text off the executor (latest
//! edit wins), publish or answer pulls, re-check the documents an edit reaches, index the
//! workspace at start.

use super::*;

impl Backend {
    /// Analyses the current version of `uri` off the executor; the result is stored only if
    /// no newer edit arrived meanwhile (latest edit wins) and returned either way.
    pub(super) async fn analyse(&self, uri: &Uri) -> Option<Arc<DocResult>> {
        let generation = self.inner.generation.load(Ordering::SeqCst);
        let (rope, version, revision, doc_type, slot) = {
            let doc = self.inner.docs.get(uri)?;
            if let Some(r) = &doc.result
                && r.version == doc.version
                && r.revision == doc.revision
                && r.generation == generation
            {
                return Some(r.clone());
            }
            (
                doc.rope.clone(),
                doc.version,
                doc.revision,
                doc.doc_type,
                doc.parts.clone(),
            )
        };
        let this = self.clone();
        let uri_owned = uri.clone();
        let job = tokio::task::spawn_blocking(move || {
            this.compute(&uri_owned, rope, (version, revision), doc_type, generation)
        });
        let result = match job.await {
            Ok(r) => Arc::new(r),
            Err(e) => {
                self.inner
                    .client
                    .log_message(
                        MessageType::ERROR,
                        format!("specwright: analysis of {} failed: {e}", uri.as_str()),
                    )
                    .await;
                return None;
            }
        };
        if let Some(a) = &result.analysis {
            for f in &a.failures {
                self.inner
                    .client
                    .log_message(
                        MessageType::ERROR,
                        format!(
                            "specwright: rule `{}` failed on {} and was skipped: {}",
                            f.rule,
                            uri.as_str(),
                            f.message
                        ),
                    )
                    .await;
            }
        }
        {
            let mut doc = self.inner.docs.get_mut(uri)?;
            if doc.version == version && doc.revision == result.revision {
                doc.result = Some(result.clone());
            }
        }
        // A large document keeps its findings by part, for the next edits to update. The lock
        // is taken here so that an edit arriving meanwhile waits for the parts.
        if result.analysis.is_some() && result.rope.len_bytes() >= incremental::MIN_SIZE {
            let mut kept = slot.lock_owned().await;
            let result = result.clone();
            tokio::task::spawn_blocking(move || {
                if let Some(a) = &result.analysis {
                    *kept = Parts::split(&result.rope.to_string(), a).map(|parts| KeptParts {
                        parts,
                        generation,
                        revision,
                    });
                }
            });
        }
        if let Some(reach) = &result.facts_changed_in {
            self.recheck(reach, uri).await;
        }
        Some(result)
    }

    pub(super) fn compute(
        &self,
        uri: &Uri,
        rope: Rope,
        (version, revision): (i32, u64),
        doc_type: DocType,
        generation: u64,
    ) -> DocResult {
        let enc = self.encoding();
        let text = rope.to_string();
        let path = uri.to_file_path().map(|p| p.into_owned());
        let mut diagnostics = Vec::new();
        let mut analysis = None;
        let mut facts_changed_in = None;
        match (doc_type, path) {
            (DocType::Config, Some(path)) => {
                let loaded = LoadedConfig::from_text(path, text);
                diagnostics = config_diagnostics(&rope, &loaded.diagnostics, enc);
            }
            (DocType::Markdown, path) => {
                let loaded = match &path {
                    Some(p) => self.config_for(p),
                    None => Arc::new(LoadedConfig::defaults(PathBuf::from("."))),
                };
                let config = loaded.resolve(&self.editor_settings());
                if path.as_deref().is_none_or(|p| loaded.covers(&config, p)) {
                    let a = {
                        let index = self.inner.index.read();
                        loaded.analyze(&config, path.as_deref(), &text, &index)
                    };
                    if let Some(p) = &path {
                        let location = location_of(p);
                        facts_changed_in = self.inner.index.update(location, a.facts.clone());
                    }
                    let docs_url = config
                        .docs_url()
                        .map(|u| u.trim_end_matches('/').to_string());
                    let open = |u: &Uri| self.inner.docs.get(u).map(|d| d.rope.clone());
                    let to = RelatedTo { uri, open: &open };
                    let related = self.offers().related_information.then_some(&to);
                    diagnostics = a
                        .diagnostics
                        .iter()
                        .filter_map(|d| {
                            to_lsp_diagnostic(&rope, d, enc, version, docs_url.as_deref(), related)
                        })
                        .collect();
                    // Pull clients get dispatch outcomes pushed on their own (see
                    // `refresh_tasks_file`): they may not re-pull when a run ends.
                    if let Some(p) = &path
                        && !self.pull()
                        && a.classification.kind == specwright_core::DocKind::Tasks
                    {
                        diagnostics.extend(self.dispatch_diagnostics(p, &rope, enc));
                    }
                    if let Some(p) = &path {
                        match a.classification.kind {
                            specwright_core::DocKind::Tasks => {
                                diagnostics.extend(self.drift_diagnostics(p, &rope, enc))
                            }
                            specwright_core::DocKind::Spec
                            | specwright_core::DocKind::Requirements
                            | specwright_core::DocKind::Proposal => {
                                diagnostics.extend(self.requirement_hints(p, &rope, enc))
                            }
                            _ => {}
                        }
                    }
                    analysis = Some(a);
                }
            }
            _ => {}
        }
        DocResult {
            version,
            revision,
            generation,
            rope,
            analysis,
            facts_changed_in,
            diagnostics,
        }
    }

    /// The diagnostics of the current version of a large document, from the parts kept for an
    /// earlier one: only the part the edits touched is analysed again. `scheduled` is the
    /// version the caller was started for: when a newer one has arrived by the time the parts
    /// are free, this one is [`Quick::Superseded`]. The document-wide rules' findings are the
    /// last whole analysis's until [`Backend::settle`].
    pub(super) async fn quick(&self, uri: &Uri, scheduled: Option<i32>) -> Quick {
        let Some(slot) = self.inner.docs.get(uri).map(|d| d.parts.clone()) else {
            return Quick::Whole;
        };
        // Held while updating: edits arriving meanwhile wait and then build on this one.
        let mut kept = slot.lock_owned().await;
        let generation = self.inner.generation.load(Ordering::SeqCst);
        let Some((rope, version, revision)) = ({
            let Some(doc) = self.inner.docs.get(uri) else {
                return Quick::Whole;
            };
            // A flood of edits: while this one waited, a newer one arrived and is answered on
            // its own.
            if scheduled.is_some_and(|v| v != doc.version) {
                return Quick::Superseded;
            }
            let current = doc.result.as_ref().is_some_and(|r| {
                r.version == doc.version && r.revision == doc.revision && r.generation == generation
            });
            (!current
                && doc.doc_type == DocType::Markdown
                && doc.rope.len_bytes() >= incremental::MIN_SIZE)
                .then(|| (doc.rope.clone(), doc.version, doc.revision))
        }) else {
            return Quick::Whole;
        };
        let this = self.clone();
        let uri = uri.clone();
        let job = tokio::task::spawn_blocking(move || {
            let k = kept.as_mut()?;
            if k.generation != generation
                || k.revision != revision
                || k.parts.classification().kind == specwright_core::DocKind::Tasks
            {
                *kept = None;
                return None;
            }
            let path = uri.to_file_path().map(|p| p.into_owned());
            let loaded = match &path {
                Some(p) => this.config_for(p),
                None => Arc::new(LoadedConfig::defaults(PathBuf::from("."))),
            };
            let config = loaded.resolve(&this.editor_settings());
            let text = rope.to_string();
            let updated = {
                let index = this.inner.index.read();
                loaded.update_parts(&mut k.parts, &config, path.as_deref(), &text, &index)
            };
            if !updated {
                *kept = None;
                return None;
            }
            let enc = this.encoding();
            let docs_url = config
                .docs_url()
                .map(|u| u.trim_end_matches('/').to_string());
            let diagnostics = k
                .parts
                .diagnostics()
                .iter()
                .filter_map(|d| {
                    let open = |u: &Uri| this.inner.docs.get(u).map(|d| d.rope.clone());
                    let to = RelatedTo {
                        uri: &uri,
                        open: &open,
                    };
                    let related = this.offers().related_information.then_some(&to);
                    to_lsp_diagnostic(&rope, d, enc, version, docs_url.as_deref(), related)
                })
                .collect();
            Some((version, diagnostics))
        });
        match job.await {
            Ok(Some((version, diagnostics))) => Quick::Answer(version, diagnostics),
            _ => Quick::Whole,
        }
    }

    /// After an edit answered by [`Backend::quick`]: once typing has paused, analyses the
    /// whole document and publishes (push) or asks the client to pull again, so the
    /// document-wide findings catch up. A newer edit makes this one moot.
    pub(super) fn settle(&self, uri: Uri, version: i32) {
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SETTLE).await;
            if this.inner.docs.get(&uri).map(|d| d.version) != Some(version) {
                return;
            }
            if this.pull() {
                if this.analyse(&uri).await.is_some() && this.refresh_support() {
                    let _ = this.inner.client.workspace_diagnostic_refresh().await;
                }
            } else {
                this.publish_whole(uri).await;
            }
        });
    }

    /// Push mode: publish the diagnostics of the current version, unless a newer version
    /// arrived meanwhile.
    pub(super) async fn publish(&self, uri: Uri) {
        let scheduled = self.inner.docs.get(&uri).map(|d| d.version);
        match self.quick(&uri, scheduled).await {
            Quick::Answer(version, diagnostics) => {
                if self.inner.docs.get(&uri).map(|d| d.version) == Some(version) {
                    self.inner
                        .client
                        .publish_diagnostics(uri.clone(), diagnostics, Some(version))
                        .await;
                }
                self.settle(uri, version);
            }
            Quick::Superseded => {}
            Quick::Whole => {
                let Some(turn) = self.inner.docs.get(&uri).map(|d| d.turn.clone()) else {
                    return;
                };
                let _turn = turn.lock().await;
                // Latest edit wins: an edit already followed by another is not analysed.
                if self.inner.docs.get(&uri).map(|d| d.version) == scheduled {
                    self.publish_whole(uri).await;
                }
            }
        }
    }

    pub(super) async fn publish_whole(&self, uri: Uri) {
        let Some(result) = self.analyse(&uri).await else {
            return;
        };
        let current = self.inner.docs.get(&uri).map(|d| (d.version, d.revision));
        if current != Some((result.version, result.revision)) {
            return;
        }
        self.inner
            .client
            .publish_diagnostics(uri, result.diagnostics.clone(), Some(result.version))
            .await;
    }

    pub(super) fn schedule(&self, uri: Uri) {
        if self.pull() {
            // The client pulls what it shows; the index must not wait for that. Once typing
            // pauses the document is analysed, so that the documents its facts reach (a spec
            // whose task was deleted from an unshown tasks file) answer their next pull anew.
            if let Some(version) = self.inner.docs.get(&uri).map(|d| d.version) {
                self.settle(uri, version);
            }
            return;
        }
        let this = self.clone();
        tokio::spawn(async move { this.publish(uri).await });
    }

    /// The facts of a document changed: the open documents it reaches (its folder's, or all
    /// of them for an ADR) may have new cross-file findings.
    pub(super) async fn recheck(&self, reach: &Reach, except: &Uri) {
        let siblings: Vec<Uri> = self
            .inner
            .docs
            .iter()
            .filter(|e| e.key() != except && e.value().doc_type == DocType::Markdown)
            .filter(|e| match reach {
                Reach::Workspace => true,
                Reach::Folder(folder) => e
                    .key()
                    .to_file_path()
                    .is_some_and(|p| &folder_of(&location_of(&p)) == folder),
            })
            .map(|e| e.key().clone())
            .collect();
        for uri in &siblings {
            if let Some(mut doc) = self.inner.docs.get_mut(uri) {
                doc.revision += 1;
                doc.result = None;
            }
        }
        if self.pull() {
            let refresh = self.refresh_support();
            if refresh && !siblings.is_empty() {
                let _ = self.inner.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        for uri in siblings {
            self.schedule(uri);
        }
    }

    /// Indexes every Markdown file of the workspace folders, reporting progress, then
    /// re-checks the open documents against the complete index.
    pub(super) async fn index_workspace(&self) {
        let (roots, editor, progress_ok) = match self.inner.session.read() {
            Ok(s) => (s.roots.clone(), s.editor.clone(), s.work_done_progress),
            Err(_) => return,
        };
        if roots.is_empty() {
            return;
        }
        let progress = if progress_ok {
            self.begin_progress(
                "specwright/index".into(),
                "Indexing specifications".into(),
                None,
            )
            .await
        } else {
            None
        };
        let files = tokio::task::spawn_blocking(move || index::files(&roots))
            .await
            .unwrap_or_default();
        let total = files.len();
        let mut done = 0;
        for chunk in files.chunks(200) {
            let batch = chunk.to_vec();
            let editor = editor.clone();
            let facts = tokio::task::spawn_blocking(move || index::facts_of_files(&batch, &editor))
                .await
                .unwrap_or_default();
            for (location, facts) in facts {
                // An open document's facts are fresher than the disk's.
                let open = Uri::from_file_path(&location)
                    .is_some_and(|u| self.inner.docs.contains_key(&u));
                if !open {
                    let _ = self.inner.index.update(location, facts);
                }
            }
            done += chunk.len();
            if let Some(p) = &progress {
                let percent = (done * 100 / total.max(1)) as u32;
                p.report_with_message(format!("{done}/{total} files"), percent)
                    .await;
            }
        }
        if let Some(p) = progress {
            p.finish_with_message(format!("{total} files indexed"))
                .await;
        }
        self.recheck_all().await;
    }

    /// A fact outside the edited document changed: re-check every open document.
    pub(super) async fn recheck_all(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
        self.inner.configs.clear();
        if self.pull() {
            let refresh = self.refresh_support();
            if refresh {
                let _ = self.inner.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        let uris: Vec<Uri> = self.inner.docs.iter().map(|e| e.key().clone()).collect();
        for uri in uris {
            self.schedule(uri);
        }
    }
}
