//! The VS Code extension, end to end: its settings match the rule registry, its grammar
//! snapshot holds, it type-checks, it packages into a .vsix (with the server binary inside),
//! and the .vsix runs in a real VS Code — code-server from npm, driven by Playwright in
//! Debian's Chromium (`editors/vscode/test/e2e.js`).
//!
//! Needs Node.js and npm, Debian's `chromium`, and what code-server's native modules build with
//! (`build-essential`, `libkrb5-dev`, `libxkbfile-dev`, `ripgrep`); `.ci/run` installs them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn run(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &str)]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(envs.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{program} {args:?} failed in {}:\n{text}",
        dir.display()
    );
    text
}

#[test]
fn vscode_extension_end_to_end() {
    let root = root();
    let ext = root.join("editors/vscode");
    let bin = env!("CARGO_BIN_EXE_specwright");
    if !ext.join("node_modules/.package-lock.json").is_file() {
        run(&ext, "npm", &["ci", "--no-audit", "--no-fund"], &[]);
    }
    println!(
        "{}",
        run(
            &ext,
            "node",
            &["test/settings.test.js"],
            &[("SPECWRIGHT_BIN", bin)]
        )
    );
    println!("{}", run(&ext, "node", &["test/grammar.test.js"], &[]));
    run(&ext, "npx", &["tsc", "--noEmit"], &[]);

    let work = root.join("target/vscode-e2e");
    std::fs::create_dir_all(&work).unwrap();
    let vsix = work.join("specwright.vsix");
    run(&ext, "npm", &["run", "build"], &[("SPECWRIGHT_BIN", bin)]);
    run(
        &ext,
        "npx",
        &[
            "vsce",
            "package",
            "--no-dependencies",
            "--skip-license",
            "-o",
            vsix.to_str().unwrap(),
        ],
        &[],
    );
    run(
        &root,
        "sh",
        &[
            "editors/vscode/test/install-code-server.sh",
            work.to_str().unwrap(),
        ],
        &[],
    );
    let chromium = Path::new("/usr/bin/chromium");
    assert!(
        chromium.is_file(),
        "the VS Code end-to-end test drives Debian's chromium: apt-get install chromium (.ci/run does)"
    );

    let scratch = tempfile::tempdir().unwrap();
    let workspace = scratch.path().join("workspace");
    common::copy_dir(&root.join("examples/spec-kit"), &workspace);
    // A git repository with a fake agent inside the workspace, for the dispatch steps.
    common::dispatch_repo(&workspace, "1.5");
    let state = scratch.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let code_server = work.join("node_modules/.bin/code-server");
    let playwright = work.join("node_modules/playwright-core");
    let out = Command::new("node")
        .arg("test/e2e.js")
        .current_dir(&ext)
        .env("CODE_SERVER", &code_server)
        .env("VSIX", &vsix)
        .env("WORKSPACE", &workspace)
        .env("STATE", &state)
        .env("PLAYWRIGHT", &playwright)
        .env("CHROMIUM", chromium)
        .env("SCREENSHOTS", work.join("screenshots"))
        .env("SPECWRIGHT_TODAY", "2026-01-15")
        .env("SPECWRIGHT_CONFIG_DIR", scratch.path().join("trust"))
        .output()
        .expect("run the VS Code end-to-end script");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    assert!(
        out.status.success(),
        "the VS Code end-to-end test failed:\n{report}"
    );
    assert!(
        report.contains("vscode e2e:") && report.contains(" 0 failed"),
        "{report}"
    );
}
