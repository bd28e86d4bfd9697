//! `specwright dispatch` with the real agent CLIs from npm (Claude Code, Codex, Gemini CLI,
//! claude-code-acp, Gemini CLI over ACP), at the versions `tests/agents/clis/package-lock.json`
//! pins, each pointed at a scripted stand-in of its model API on 127.0.0.1
//! (`tests/agents/model_api.py`) that answers with one file-writing tool call and then a final
//! text. Each agent runs with no `args` at all: the defaults must let it write, inside its
//! worktree and nowhere else, under the Landlock sandbox.

mod common;

use common::{clis, git};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The scripted model API, stopped by its PID when dropped.
struct ModelApi {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl ModelApi {
    fn start(dir: &Path, stray: &Path) -> ModelApi {
        let port_file = dir.join("model-api.port");
        let log = dir.join("model-api.jsonl");
        let child = Command::new("python3")
            .arg(repo_root().join("tests/agents/model_api.py"))
            .arg("--port-file")
            .arg(&port_file)
            .arg("--log")
            .arg(&log)
            .arg("--stray")
            .arg(stray)
            .stdout(Stdio::null())
            .spawn()
            .expect("start model_api.py");
        let deadline = Instant::now() + Duration::from_secs(10);
        let port = loop {
            if let Some(p) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                break p;
            }
            assert!(Instant::now() < deadline, "the model API did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        ModelApi { child, port, log }
    }
}

impl Drop for ModelApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const SPEC: &str =
    "# Feature: Sessions\n\n## Requirements\n\n- **FR-001**: The system MUST store sessions.\n";

/// One task per agent, each with its own boundary and a check that its file exists; and a task
/// whose model asks to write into the user's spec.
fn tasks(agents: &[&str]) -> String {
    let mut t = String::from("# Tasks: Sessions\n\n");
    for (i, a) in agents.iter().enumerate() {
        let n = i + 1;
        t += &format!(
            "- [ ] T00{n} Store sessions with {a} (FR-001)\n  - Boundary: src/{a}/**\n  - Check: test -f src/{a}/T00{n}.txt\n"
        );
    }
    t += "- [ ] T009 Write a stray line (FR-001)\n  - Boundary: src/stray/**\n";
    t
}

fn config(bin: &Path, port: u16) -> String {
    let b = bin.display();
    let anthropic = format!(
        "ANTHROPIC_BASE_URL = \"http://127.0.0.1:{port}\", ANTHROPIC_API_KEY = \"sk-scripted\", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = \"1\", IS_SANDBOX = \"1\""
    );
    let google = format!(
        "GOOGLE_GEMINI_BASE_URL = \"http://127.0.0.1:{port}\", GEMINI_API_KEY = \"scripted\""
    );
    format!(
        "[dispatch]\ntimeout = \"150s\"\njobs = 1\n\n\
         [agents.claude]\nkind = \"claude\"\nargv = [\"{b}/claude\"]\nenv = {{ {anthropic} }}\n\n\
         [agents.codex]\nkind = \"codex\"\nargv = [\"{b}/codex\"]\nenv = {{ SCRIPTED_API_KEY = \"scripted\" }}\n\n\
         [agents.gemini]\nkind = \"gemini\"\nargv = [\"{b}/gemini\"]\nenv = {{ {google} }}\n\n\
         [agents.acp]\nkind = \"acp\"\nargv = [\"{b}/claude-code-acp\"]\nenv = {{ {anthropic} }}\n\n\
         [agents.gemini-acp]\nkind = \"acp\"\nargv = [\"{b}/gemini\", \"--acp\", \"--skip-trust\", \"--approval-mode\", \"auto_edit\"]\nenv = {{ {google} }}\n"
    )
}

/// The home folder the CLIs see: Codex's provider entry pointing at the stand-in, and Gemini
/// told to use an API key.
fn home(dir: &Path, port: u16) -> PathBuf {
    let home = dir.join("home");
    std::fs::create_dir_all(home.join(".codex")).expect("mkdir");
    std::fs::create_dir_all(home.join(".gemini")).expect("mkdir");
    std::fs::write(
        home.join(".codex/config.toml"),
        format!(
            "model = \"gpt-scripted\"\nmodel_provider = \"scripted\"\n\n[model_providers.scripted]\nname = \"scripted\"\nbase_url = \"http://127.0.0.1:{port}/v1\"\nwire_api = \"responses\"\nenv_key = \"SCRIPTED_API_KEY\"\n"
        ),
    )
    .expect("write");
    std::fs::write(
        home.join(".gemini/settings.json"),
        r#"{"security":{"auth":{"selectedType":"gemini-api-key"}}}"#,
    )
    .expect("write");
    home
}

fn dispatch(root: &Path, home: &Path, agent: &str, task: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args([
            "dispatch",
            "specs/001-sessions/tasks.md",
            "--trust",
            "--agent",
            agent,
        ])
        .args(["--task", task])
        .current_dir(root)
        .env("HOME", home)
        .env("SPECWRIGHT_CONFIG_DIR", home.join(".config/specwright"))
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@t")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@t")
        .env("NO_COLOR", "1")
        .output()
        .expect("specwright dispatch");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn every_real_agent_writes_its_task_inside_its_worktree_with_no_extra_args() {
    assert!(
        specwright_agents::confine::kernel_abi() > 0,
        "this test runs the agents under Landlock; every CI machine here has ABI 7"
    );
    let bin = clis();
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir");
    let root = tmp.path().join("repo");
    let feature = root.join("specs/001-sessions");
    std::fs::create_dir_all(&feature).expect("mkdir");
    let spec = feature.join("spec.md");
    let api = ModelApi::start(tmp.path(), &spec);
    let home = home(tmp.path(), api.port);
    let agents = ["claude", "codex", "gemini", "acp", "gemini-acp"];
    std::fs::write(root.join("specwright.toml"), config(&bin, api.port)).expect("write");
    std::fs::write(&spec, SPEC).expect("write");
    std::fs::write(feature.join("tasks.md"), tasks(&agents)).expect("write");
    git(&root, &["init", "--quiet", "-b", "main"]);
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "start"]);

    for (i, agent) in agents.iter().enumerate() {
        let task = format!("T00{}", i + 1);
        let (ok, out) = dispatch(&root, &home, agent, &task);
        assert!(ok, "{agent}: {out}");
        assert!(out.contains(&format!("✓ {task} passed")), "{agent}: {out}");
    }
    let text = std::fs::read_to_string(feature.join("tasks.md")).expect("tasks");
    assert_eq!(text.matches("- [x]").count(), agents.len(), "{text}");

    // Codex (its own sandbox replaced by Specwright's) is asked to write the user's spec: the
    // write is refused, nothing changes in the checkout, and the task is not passed.
    let (ok, out) = dispatch(&root, &home, "codex", "T009");
    assert!(!ok, "{out}");
    assert!(
        out.contains("no-change") || out.contains("changed nothing"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&spec).expect("spec"), SPEC);
    let log = std::fs::read_to_string(&api.log).expect("model API log");
    assert!(
        log.contains("Permission denied"),
        "the stray write was tried and refused"
    );
}

/// `specwright init --agent claude`, then the real Claude Code: after the agent writes a spec,
/// the hook's findings are what the model reads next; asked to check a spec, the model calls
/// Specwright's MCP check tool and reads its findings.
#[test]
fn claude_code_feeds_the_hooks_and_the_mcp_servers_findings_to_the_model() {
    let bin = clis();
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir");
    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join(".claude")).expect("mkdir");
    let api = ModelApi::start(tmp.path(), &tmp.path().join("unused"));
    let home = home(tmp.path(), api.port);
    git(&project, &["init", "--quiet", "-b", "main"]);
    // What `specwright init --agent claude` writes.
    let init = Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args(["init", "--agent", "claude"])
        .current_dir(&project)
        .output()
        .expect("init");
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let settings =
        std::fs::read_to_string(project.join(".claude/settings.json")).expect("settings");
    assert!(settings.contains("hook claude"), "{settings}");
    // The hook command names the binary under test.
    let settings = settings.replace(
        "\"specwright hook claude\"",
        &format!("\"{} hook claude\"", env!("CARGO_BIN_EXE_specwright")),
    );
    std::fs::write(project.join(".claude/settings.json"), settings).expect("write");
    let mcp = std::fs::read_to_string(project.join(".mcp.json")).expect(".mcp.json");
    let mcp = mcp.replace(
        "\"command\": \"specwright\"",
        &format!("\"command\": \"{}\"", env!("CARGO_BIN_EXE_specwright")),
    );
    std::fs::write(project.join(".mcp.json"), mcp).expect("write");
    claude_run(
        &bin,
        &project,
        &home,
        api.port,
        "Write the spec to specs/001-search/spec.md",
    );
    assert!(project.join("specs/001-search/spec.md").is_file());
    let log = std::fs::read_to_string(&api.log).expect("model API log");
    assert!(
        log.contains("Specwright checked spec.md") && log.contains("incomplete-marker"),
        "the model never saw the hook's findings"
    );
    // And through MCP: the model calls Specwright's check tool (after loading it with Claude
    // Code's tool search) and reads its findings.
    std::fs::write(&api.log, "").expect("clear the log");
    claude_run(
        &bin,
        &project,
        &home,
        api.port,
        "Check specs/001-search/spec.md with Specwright",
    );
    let log = std::fs::read_to_string(&api.log).expect("model API log");
    assert!(
        log.contains("mcp__specwright__check"),
        "the check tool was never offered"
    );
    assert!(
        log.contains("filesChecked") && log.contains("incomplete-marker"),
        "the model never read the check tool's findings"
    );
}

/// Runs the real Claude Code on `prompt` in `project`, bounded in time.
fn claude_run(bin: &Path, project: &Path, home: &Path, port: u16, prompt: &str) {
    let child = Command::new(bin.join("claude"))
        .args([
            "-p",
            "--output-format",
            "stream-json",
            "--verbose",
            "--permission-mode",
            "acceptEdits",
        ])
        .current_dir(project)
        .env("HOME", home)
        .env("ANTHROPIC_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("ANTHROPIC_API_KEY", "sk-scripted")
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        .env("IS_SANDBOX", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("claude");
    prompt_and_wait(child, prompt, "claude");
}

/// Writes `prompt` to the CLI's stdin and waits for it, at most 90 s (then ends it by its PID);
/// it must succeed.
fn prompt_and_wait(mut child: Child, prompt: &str, what: &str) {
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(prompt.as_bytes()).expect("prompt");
    }
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{what}: {status:?}");
}

/// `specwright init --agent gemini`, then the real Gemini CLI in the project (which the user
/// trusts: Gemini applies a project's hooks only in a trusted folder): after the agent writes
/// a spec, the AfterTool hook's findings are in its next model request.
#[test]
fn gemini_cli_feeds_the_hooks_findings_to_the_model() {
    let bin = clis();
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir");
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&project).expect("mkdir");
    let api = ModelApi::start(tmp.path(), &tmp.path().join("unused"));
    let home = home(tmp.path(), api.port);
    git(&project, &["init", "--quiet", "-b", "main"]);
    let init = Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args(["init", "--agent", "gemini"])
        .current_dir(&project)
        .output()
        .expect("init");
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let settings = project.join(".gemini/settings.json");
    let text = std::fs::read_to_string(&settings).expect("settings");
    assert!(
        text.contains("hook gemini") && text.contains("AfterTool"),
        "{text}"
    );
    // The commands name the binary under test.
    let bin_path = env!("CARGO_BIN_EXE_specwright");
    let text = text
        .replace(
            "\"specwright hook gemini\"",
            &format!("\"{bin_path} hook gemini\""),
        )
        .replace(
            "\"command\": \"specwright\"",
            &format!("\"command\": \"{bin_path}\""),
        );
    std::fs::write(&settings, text).expect("write");
    let child = Command::new(bin.join("gemini"))
        .args([
            "--output-format",
            "stream-json",
            "--approval-mode",
            "auto_edit",
        ])
        .current_dir(&project)
        .env("HOME", &home)
        .env(
            "GOOGLE_GEMINI_BASE_URL",
            format!("http://127.0.0.1:{}", api.port),
        )
        .env("GEMINI_API_KEY", "scripted")
        .env("GEMINI_CLI_TRUST_WORKSPACE", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gemini");
    prompt_and_wait(
        child,
        "Write the spec to specs/001-search/spec.md",
        "gemini",
    );
    assert!(project.join("specs/001-search/spec.md").is_file());
    let log = std::fs::read_to_string(&api.log).expect("model API log");
    assert!(
        log.contains("Specwright checked spec.md") && log.contains("incomplete-marker"),
        "the model never saw the hook's findings"
    );
}
