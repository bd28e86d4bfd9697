//! `specwright adr …`: the ADR actions from a terminal, planned by the same code the language
//! server's actions use and written to disk.

use anyhow::{Context, bail};
use specwright_core::Config;
use specwright_core::adr::AdrFormat;
use specwright_workspace::adr::{self, Plan, Record};
use specwright_workspace::{LoadedConfig, config_for, today};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum AdrCommand {
    /// Create the next record from the template (MADR or Nygard).
    New {
        /// The decision, as a title: "Use PostgreSQL for orders".
        title: Vec<String>,
        /// The ADR folder [default: `[adr].dirs`, else docs/adr or another conventional folder].
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, value_enum)]
        template: Option<Template>,
    },
    /// Create a record that supersedes RECORD and mark RECORD superseded, with links both ways.
    Supersede {
        /// The record: its file, or its number in the ADR folder.
        record: String,
        /// The new record's title [default: the old record's].
        title: Vec<String>,
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, value_enum)]
        template: Option<Template>,
    },
    /// Set a record's status (proposed, accepted, rejected, deprecated, or the configured
    /// lifecycle) and date it today.
    Status {
        record: String,
        status: String,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Write the folder's index table into its README.md (or index.md) between
    /// `<!-- specwright:adr-index:start -->` and `<!-- specwright:adr-index:end -->`.
    Index {
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// List the records: number, status, date, title.
    List {
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Template {
    Madr,
    Nygard,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

impl Template {
    fn format(self) -> AdrFormat {
        match self {
            Template::Madr => AdrFormat::Madr,
            Template::Nygard => AdrFormat::Nygard,
        }
    }
}

struct Folder {
    dir: PathBuf,
    loaded: LoadedConfig,
    config: Config,
    records: Vec<Record>,
}

/// One record as `adr list --format json` (and the MCP `adr_list` tool) give it.
fn row(r: &Record) -> serde_json::Value {
    serde_json::json!({
        "number": r.record.number(),
        "title": r.record.title,
        "status": r.record.status.as_ref().map(|s| s.value.clone()),
        "date": r.record.date.as_ref().map(|d| d.value.clone()),
        "format": r.record.format.as_str(),
        "path": r.path.display().to_string(),
    })
}

/// The records of the ADR folder found from the current directory, in number order.
pub(crate) fn list() -> anyhow::Result<Vec<serde_json::Value>> {
    let folder = open_folder(None)?;
    Ok(adr::listed(&folder.records).into_iter().map(row).collect())
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn open_folder(dir: Option<PathBuf>) -> anyhow::Result<Folder> {
    let cwd = std::env::current_dir()?;
    let start = dir.clone().unwrap_or_else(|| cwd.clone());
    let loaded = config_for(&start).context("reading the configuration")?;
    let config = loaded.resolve(&Default::default());
    let dir = match dir {
        Some(d) => d,
        None => adr::folder(&loaded, &config, &cwd),
    };
    let records = adr::records(&dir, &loaded, &config, &read);
    Ok(Folder {
        dir,
        loaded,
        config,
        records,
    })
}

/// A record named by path or by number.
fn find(folder: &Folder, record: &str) -> anyhow::Result<PathBuf> {
    if let Ok(n) = record
        .trim_start_matches(['A', 'D', 'R', '-'])
        .parse::<u32>()
    {
        let found: Vec<&Record> = folder
            .records
            .iter()
            .filter(|r| !r.record.template && r.record.number() == Some(n))
            .collect();
        return match found.as_slice() {
            [one] => Ok(one.path.clone()),
            [] => bail!("no ADR numbered {n} in {}", folder.dir.display()),
            _ => bail!("several ADRs are numbered {n} in {}", folder.dir.display()),
        };
    }
    let path = PathBuf::from(record);
    if !path.is_file() {
        bail!("{record}: no such file");
    }
    Ok(path)
}

fn write(plan: &Plan) -> anyhow::Result<()> {
    adr::apply(plan).map_err(anyhow::Error::msg)?;
    for change in &plan.changes {
        match change {
            adr::Change::Create { path, .. } => println!("created {}", path.display()),
            adr::Change::Edit { path, .. } => println!("updated {}", path.display()),
        }
    }
    if plan.changes.is_empty() {
        println!("up to date");
    }
    Ok(())
}

pub fn run(command: AdrCommand) -> anyhow::Result<()> {
    match command {
        AdrCommand::New {
            title,
            dir,
            template,
        } => {
            let folder = open_folder(dir)?;
            let format = adr::format_for(
                &folder.config,
                &folder.records,
                template.map(Template::format),
            );
            let plan = adr::plan_new(
                &folder.dir,
                &folder.records,
                &title.join(" "),
                format,
                today(),
            )
            .map_err(anyhow::Error::msg)?;
            write(&plan)
        }
        AdrCommand::Supersede {
            record,
            title,
            dir,
            template,
        } => {
            let dir = match dir {
                Some(d) => Some(d),
                None if Path::new(&record).is_file() => {
                    Path::new(&record).parent().map(Path::to_path_buf)
                }
                None => None,
            };
            let folder = open_folder(dir)?;
            let old = find(&folder, &record)?;
            let format = adr::format_for(
                &folder.config,
                &folder.records,
                template.map(Template::format),
            );
            let title = title.join(" ");
            let plan = adr::plan_supersede(
                &folder.dir,
                &folder.records,
                &old,
                (!title.trim().is_empty()).then_some(title.as_str()),
                format,
                today(),
            )
            .map_err(anyhow::Error::msg)?;
            write(&plan)
        }
        AdrCommand::Status {
            record,
            status,
            dir,
        } => {
            let dir = dir.or_else(|| {
                Path::new(&record)
                    .is_file()
                    .then(|| Path::new(&record).parent().map(Path::to_path_buf))
                    .flatten()
            });
            let folder = open_folder(dir)?;
            let path = find(&folder, &record)?;
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let Some(rec) = folder.loaded.facts(&folder.config, &path, &text).adr else {
                bail!("{} is not an ADR", path.display());
            };
            let plan = adr::plan_status(&folder.config, &path, &text, &rec, &status, today())
                .map_err(anyhow::Error::msg)?;
            write(&plan)
        }
        AdrCommand::Index { dir } => {
            let folder = open_folder(dir)?;
            if folder.records.is_empty() {
                bail!("no ADRs in {}", folder.dir.display());
            }
            write(&adr::plan_index(&folder.dir, &folder.records, &read))
        }
        AdrCommand::List { dir, format } => {
            let folder = open_folder(dir)?;
            let rows = adr::listed(&folder.records);
            match format {
                ListFormat::Json => {
                    let list: Vec<serde_json::Value> = rows.iter().map(|r| row(r)).collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                }
                ListFormat::Table => {
                    for r in rows {
                        let number = r
                            .record
                            .number()
                            .map_or_else(|| "—".to_string(), |n| format!("{n:04}"));
                        let status = r.record.status.as_ref().map_or("", |s| s.value.as_str());
                        let date = r.record.date.as_ref().map_or("", |d| d.value.as_str());
                        println!("{number}  {status:<12}  {date:<10}  {}", r.record.title);
                    }
                }
            }
            Ok(())
        }
    }
}
