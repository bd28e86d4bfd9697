//! `specwright init`: detect the spec conventions a repository uses and write a commented
//! `specwright.toml`.

use anyhow::{Context, bail};
use specwright_core::config::{self, FILE_NAME};
use specwright_core::kind::Family;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, force: bool) -> anyhow::Result<PathBuf> {
    let target = dir.join(FILE_NAME);
    if target.exists() && !force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            target.display()
        );
    }
    let text = config::template(&detect(dir));
    std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
    Ok(target)
}

fn detect(dir: &Path) -> Vec<Family> {
    let mut found = Vec::new();
    let has_numbered_subdir = |p: PathBuf| {
        std::fs::read_dir(p)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                e.path().is_dir()
                    && name.len() > 4
                    && name[..3].bytes().all(|b| b.is_ascii_digit())
                    && name.as_bytes()[3] == b'-'
            })
    };
    if has_numbered_subdir(dir.join("specs")) {
        found.push(Family::SpecKit);
    }
    if dir.join(".kiro/specs").is_dir() {
        found.push(Family::Kiro);
    }
    if dir.join("openspec").is_dir() {
        found.push(Family::OpenSpec);
    }
    let adr_dirs = ["docs/adr", "doc/adr", "docs/decisions", "adr", "decisions"];
    if adr_dirs.iter().any(|d| dir.join(d).is_dir()) {
        found.push(Family::Madr);
    }
    if dir.join("keps").is_dir() || dir.join("rfcs").is_dir() {
        found.push(Family::KepRfc);
    }
    found
}
