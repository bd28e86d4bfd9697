//! What a dispatch works from, read once from the files: the tasks of a tasks file as jobs
//! (with the full text of the requirements they cover, their boundary, checks and
//! dependencies), the accepted ADRs the spec, plan or tasks cite (their decision and
//! machine-checkable confirmation), and the project's agent instructions.

use specwright_core::Config;
use specwright_core::ConfigFile;
use specwright_core::adr;
use specwright_core::decompose::{self, Status, TaskFormat};
use specwright_core::kind::{Family, classify};
use specwright_core::syntax::{ParseOptions, SpecDoc};
use specwright_workspace::{LoadedConfig, config_for};
use std::path::{Path, PathBuf};

/// One task to run, as the agent will see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Job {
    pub id: String,
    pub title: String,
    /// 0-based line of the task in the tasks file.
    pub line: usize,
    pub status: JobStatus,
    pub covers: Vec<String>,
    /// `(id, full text)` of each covered requirement found in the spec.
    pub requirements: Vec<(String, String)>,
    /// Globs (repository-relative) the task may touch; empty: no boundary.
    pub may: Vec<String>,
    /// Globs it must not touch.
    pub must_not: Vec<String>,
    pub acceptance: Vec<String>,
    /// Shell commands that check the work, run in the worktree.
    pub checks: Vec<String>,
    pub depends: Vec<String>,
    pub parallel: bool,
    /// The commit `specwright verify --stamp` saw it verified at (`<!-- sw:verified C -->`).
    pub verified: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Todo,
    Running,
    Done,
}

/// An accepted decision the spec cites.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Decision {
    pub number: u32,
    pub title: String,
    /// Repository-relative path of the record.
    pub path: String,
    /// The text of its Decision / Decision Outcome section.
    pub decision: String,
    pub confirmations: Vec<Confirmation>,
}

/// A machine-checkable confirmation of a decision.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Confirmation {
    /// A shell snippet that exits 0 when the decision holds.
    Command { command: String },
    /// Lines matching `pattern` must not be added to files matching `files`; with no pattern,
    /// no file matching `files` may be added or changed.
    Forbid {
        files: String,
        pattern: Option<String>,
        message: Option<String>,
    },
    /// A `specwright` block that does not read: a dispatch refuses to start until it is fixed.
    Invalid { error: String },
}

/// Everything a dispatch of one tasks file needs.
#[derive(Debug, Clone)]
pub struct Project {
    /// The git work tree's top folder.
    pub root: PathBuf,
    pub tasks_path: PathBuf,
    /// Repository-relative.
    pub tasks_rel: String,
    pub tasks_text: String,
    pub format: TaskFormat,
    pub spec_rel: Option<String>,
    pub jobs: Vec<Job>,
    pub decisions: Vec<Decision>,
    /// `(relative path, text)` of AGENTS.md, CLAUDE.md or the spec-kit constitution.
    pub instructions: Vec<(String, String)>,
    pub config: Config,
    pub loaded: LoadedConfig,
    /// Problems found while reading (bad boundaries, unknown dependencies): the jobs they name
    /// cannot be dispatched.
    pub problems: Vec<(String, String)>,
}

impl Project {
    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }
}

const INSTRUCTION_FILES: &[&str] = &["AGENTS.md", "CLAUDE.md", ".specify/memory/constitution.md"];

/// Reads the tasks file at `tasks_path` of the repository at `root`, with the spec and plan
/// beside it, through `read` (the server passes its open buffers).
pub fn load(
    root: &Path,
    tasks_path: &Path,
    editor: &ConfigFile,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Result<Project, String> {
    let loaded = config_for(tasks_path).map_err(|e| format!("reading the configuration: {e}"))?;
    let config = loaded.resolve(editor);
    let tasks_text = read(tasks_path)
        .ok_or_else(|| format!("{}: cannot read the tasks file", tasks_path.display()))?;
    let tasks_rel = relative(root, tasks_path)?;
    let file = specwright_core::tasks::parse(&tasks_text, TaskFormat::SpecKit);
    let options = ParseOptions {
        id_patterns: config.id_patterns(),
    };
    let dir = tasks_path.parent().unwrap_or(Path::new("."));
    let sibling = |names: &[&str]| {
        names
            .iter()
            .map(|n| dir.join(n))
            .find_map(|p| read(&p).map(|t| (p, t)))
    };
    let spec = sibling(&["spec.md", "requirements.md", "proposal.md"]);
    let plan = sibling(&["plan.md", "design.md"]);
    let spec_doc = spec.as_ref().map(|(_, t)| SpecDoc::parse(t, options));
    let plan_doc = plan.as_ref().map(|(_, t)| SpecDoc::parse(t, options));
    let family = match (&spec, &spec_doc) {
        (Some((p, _)), Some(doc)) => classify(loaded.relative(p).as_deref(), doc, &config).family,
        _ => Family::Generic,
    };
    let units = spec_doc
        .as_ref()
        .map(|d| decompose::units(d, family, plan_doc.as_ref(), &config))
        .unwrap_or_default();

    // Kiro parents (`1.` with `1.1`, `1.2` under it) group work; their leaves are the jobs.
    let ids: Vec<&str> = file.tasks.iter().map(|t| t.value.id.as_str()).collect();
    let is_parent = |id: &str| {
        let prefix = format!("{id}.");
        ids.iter().any(|o| o.starts_with(&prefix))
    };
    let mut problems = Vec::new();
    let mut jobs = Vec::new();
    for task in &file.tasks {
        let v = &task.value;
        if is_parent(&v.id) {
            continue;
        }
        let mut globs = v.boundary.clone();
        for component in &v.components {
            match config.boundary_component(component) {
                Some(g) => globs.extend(g),
                None => problems.push((
                    v.id.clone(),
                    format!("boundary component `{component}` is not in [boundaries]"),
                )),
            }
        }
        let (mut may, mut must_not) = (Vec::new(), Vec::new());
        for g in globs {
            let (neg, glob) = match g.strip_prefix('!') {
                Some(rest) => (true, rest.trim().to_string()),
                None => (false, g.trim().to_string()),
            };
            if let Err(e) = check_glob(&glob) {
                problems.push((v.id.clone(), e));
                continue;
            }
            if neg {
                must_not.push(glob);
            } else {
                may.push(glob);
            }
        }
        let requirements = v
            .covers
            .iter()
            .filter_map(|id| {
                let unit = units.iter().find(|u| u.covers.iter().any(|c| c == id))?;
                let text = spec.as_ref()?.1.get(unit.span.start..unit.span.end)?;
                let text = text.trim();
                let text = ["- ", "* ", "+ "]
                    .iter()
                    .find_map(|m| text.strip_prefix(m))
                    .unwrap_or(text);
                Some((id.clone(), text.to_string()))
            })
            .collect();
        let line = tasks_text[..task.start].matches('\n').count();
        jobs.push(Job {
            id: v.id.clone(),
            title: v.title.clone(),
            line,
            status: match v.status {
                Status::Todo => JobStatus::Todo,
                Status::Running => JobStatus::Running,
                Status::Done => JobStatus::Done,
            },
            covers: v.covers.clone(),
            requirements,
            may,
            must_not,
            acceptance: v.acceptance.clone(),
            checks: v.check.iter().cloned().collect(),
            depends: v.depends.clone(),
            parallel: v.parallel,
            verified: task.verified().map(str::to_string),
        });
    }
    for job in &jobs {
        for dep in &job.depends {
            if !file.tasks.iter().any(|t| &t.value.id == dep) {
                problems.push((
                    job.id.clone(),
                    format!("depends on {dep}, which is not a task of this file"),
                ));
            }
        }
    }
    if let Some(cycle) = cycle(&jobs) {
        for id in &cycle {
            problems.push((
                id.clone(),
                format!("dependency cycle: {}", cycle.join(" → ")),
            ));
        }
    }

    let cited: Vec<&str> = [
        Some(tasks_text.as_str()),
        spec.as_ref().map(|(_, t)| t.as_str()),
        plan.as_ref().map(|(_, t)| t.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let decisions = decisions(root, &loaded, &config, &cited, read);
    let instructions = INSTRUCTION_FILES
        .iter()
        .filter_map(|n| read(&root.join(n)).map(|t| (n.to_string(), t)))
        .collect();
    Ok(Project {
        root: root.to_path_buf(),
        tasks_path: tasks_path.to_path_buf(),
        tasks_rel,
        format: file.format,
        spec_rel: spec.as_ref().and_then(|(p, _)| relative(root, p).ok()),
        tasks_text,
        jobs,
        decisions,
        instructions,
        config,
        loaded,
        problems,
    })
}

/// Boundaries are repository-relative: one that could escape it is refused.
fn check_glob(glob: &str) -> Result<(), String> {
    if glob.starts_with('/') || glob.starts_with('\\') || glob.contains(':') {
        return Err(format!(
            "boundary `{glob}` is absolute; boundaries are relative to the repository root"
        ));
    }
    if glob.split(['/', '\\']).any(|part| part == "..") {
        return Err(format!(
            "boundary `{glob}` leaves the repository (`..`); boundaries stay inside it"
        ));
    }
    globset::Glob::new(glob)
        .map(|_| ())
        .map_err(|e| format!("boundary `{glob}` is not a glob: {e}"))
}

fn relative(root: &Path, path: &Path) -> Result<String, String> {
    specwright_workspace::relative_path(root, path).ok_or_else(|| {
        format!(
            "{} is outside the repository {}",
            path.display(),
            root.display()
        )
    })
}

/// A dependency cycle among `jobs`, if there is one.
fn cycle(jobs: &[Job]) -> Option<Vec<String>> {
    fn visit(
        id: &str,
        jobs: &[Job],
        stack: &mut Vec<String>,
        done: &mut std::collections::HashSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| s == id) {
            let mut c = stack[at..].to_vec();
            c.push(id.to_string());
            return Some(c);
        }
        if done.contains(id) {
            return None;
        }
        stack.push(id.to_string());
        if let Some(job) = jobs.iter().find(|j| j.id == id) {
            for dep in &job.depends {
                if let Some(c) = visit(dep, jobs, stack, done) {
                    return Some(c);
                }
            }
        }
        stack.pop();
        done.insert(id.to_string());
        None
    }
    let mut done = std::collections::HashSet::new();
    jobs.iter()
        .find_map(|j| visit(&j.id, jobs, &mut Vec::new(), &mut done))
}

/// The accepted records among those `texts` cite (by `ADR-N` or a link to the record).
fn decisions(
    root: &Path,
    loaded: &LoadedConfig,
    config: &Config,
    texts: &[&str],
    read: &dyn Fn(&Path) -> Option<String>,
) -> Vec<Decision> {
    let folder = specwright_workspace::adr::folder(loaded, config, root);
    let records = specwright_workspace::adr::records(&folder, loaded, config, read);
    let mut numbers: Vec<u32> = texts
        .iter()
        .flat_map(|t| adr::citations(t).map(|(n, _)| n))
        .collect();
    for text in texts {
        for r in &records {
            if text.contains(r.file_name())
                && let Some(n) = r.record.number()
            {
                numbers.push(n);
            }
        }
    }
    numbers.sort_unstable();
    numbers.dedup();
    records
        .iter()
        .filter(|r| {
            r.record.number().is_some_and(|n| numbers.contains(&n))
                && r.record.status_word().as_deref() == Some("accepted")
        })
        .filter_map(|r| {
            Some(Decision {
                number: r.record.number()?,
                title: r.record.title.clone(),
                path: relative(root, &r.path).ok()?,
                decision: section_text(&r.text, &["decision outcome", "decision"])
                    .unwrap_or_default(),
                confirmations: confirmations(&r.text),
            })
        })
        .collect()
}

/// The body of the first level-2/3 section whose title is one of `titles` (case-insensitive).
pub fn section_text(text: &str, titles: &[&str]) -> Option<String> {
    let doc = SpecDoc::parse(text, ParseOptions::default());
    let s = doc.sections.iter().find(|s| {
        s.level > 1
            && titles
                .iter()
                .any(|t| s.title.trim().eq_ignore_ascii_case(t))
    })?;
    Some(
        text.get(s.body_span.start..s.body_span.end)?
            .trim()
            .to_string(),
    )
}

/// The confirmations of a record: the fenced `sh` / `bash` / `shell` blocks and `specwright`
/// blocks of its `## Confirmation` section.
///
/// A `specwright` block is TOML:
/// ```toml
/// run = "test ! -d src/legacy"              # a command, like a sh block
/// [[forbid]]
/// files = "**/Cargo.toml"
/// pattern = '^\s*diesel\s*='                 # a regex no added line may match
/// message = "ADR-0003 chose sqlx"
/// ```
pub fn confirmations(text: &str) -> Vec<Confirmation> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let Some(body) = section_text(text, &["confirmation"]) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut lang: Option<String> = None;
    let mut code = String::new();
    for event in Parser::new(&body) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                lang = Some(info.split_whitespace().next().unwrap_or("").to_lowercase());
                code.clear();
            }
            Event::Text(t) if lang.is_some() => code.push_str(&t),
            Event::End(TagEnd::CodeBlock) => match lang.take().as_deref() {
                Some("sh" | "bash" | "shell") if !code.trim().is_empty() => {
                    out.push(Confirmation::Command {
                        command: code.trim().to_string(),
                    })
                }
                Some("specwright") => out.extend(specwright_block(&code)),
                _ => {}
            },
            _ => {}
        }
    }
    out
}

fn specwright_block(code: &str) -> Vec<Confirmation> {
    #[derive(serde::Deserialize)]
    struct Block {
        run: Option<String>,
        #[serde(default)]
        forbid: Vec<Forbid>,
    }
    #[derive(serde::Deserialize)]
    struct Forbid {
        files: String,
        pattern: Option<String>,
        message: Option<String>,
    }
    let block = match toml::from_str::<Block>(code) {
        Ok(b) => b,
        Err(e) => {
            return vec![Confirmation::Invalid {
                error: format!(
                    "its `specwright` confirmation block does not read: {}",
                    e.message()
                ),
            }];
        }
    };
    let mut bad = Vec::new();
    for f in &block.forbid {
        if let Err(e) = globset::Glob::new(&f.files) {
            bad.push(format!("`files = \"{}\"` is not a glob: {e}", f.files));
        }
        if let Some(p) = &f.pattern
            && let Err(e) = regex::Regex::new(p)
        {
            bad.push(format!("`pattern = '{p}'` is not a regex: {e}"));
        }
    }
    if !bad.is_empty() {
        return bad
            .into_iter()
            .map(|error| Confirmation::Invalid { error })
            .collect();
    }
    let mut out: Vec<Confirmation> = block
        .run
        .into_iter()
        .map(|command| Confirmation::Command { command })
        .collect();
    out.extend(block.forbid.into_iter().map(|f| Confirmation::Forbid {
        files: f.files,
        pattern: f.pattern,
        message: f.message,
    }));
    out
}
