//! The independent conformance suite (`tests/lsp-conformance/`, pytest-lsp on pygls and
//! lsprotocol): four client profiles against the real server binary, every message typed and
//! every range checked. The client comes from PyPI, pinned in its `requirements.txt`, installed
//! on first use into `target/lsp-conformance-venv`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn python() -> PathBuf {
    let requirements = root().join("tests/lsp-conformance/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).unwrap();
    let r = requirements.to_string_lossy().into_owned();
    common::venv("lsp-conformance-venv", &["-r", &r], &wanted).join("bin/python")
}

#[test]
fn an_independent_client_finds_the_server_conformant_in_four_profiles() {
    let python = python();
    let mut child = Command::new(&python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "--color=no"])
        .current_dir(root().join("tests/lsp-conformance"))
        .env("SPECWRIGHT_BIN", env!("CARGO_BIN_EXE_specwright"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pytest");
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let (out, err) = (read(Box::new(out)), read(Box::new(err)));
    let deadline = Instant::now() + Duration::from_secs(600);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the conformance suite did not finish in 600 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    println!("{out}");
    assert!(status.success(), "conformance suite failed:\n{out}\n{err}");
    let passed: usize = out
        .lines()
        .filter_map(|l| l.split(" passed").next()?.rsplit(' ').next()?.parse().ok())
        .next()
        .unwrap_or(0);
    assert!(
        passed >= 20,
        "only {passed} conformance tests passed:\n{out}"
    );
    assert!(
        !out.contains("skipped"),
        "a conformance test skipped:\n{out}"
    );
}
