//! Agent runtimes: `setup` writes each runtime's files in place and takes them back byte for
//! byte; `agent` answers each runtime's documented payload with exactly what that runtime reads
//! (golden files in tests/agents/; `GIT_HANDOFF_BLESS=1` rewrites them after a deliberate change).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{bin, with_input, Run, TestRepo};

const RUNTIMES: [&str; 5] = ["claude", "codex", "gemini", "cursor", "copilot"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/agents")
}

/// Sets a file's modification time to `secs` after the epoch.
fn touch(path: &Path, secs: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open to touch");
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
        .expect("set mtime");
}

/// Far after the pinned clock: a file touched then changed after every revision.
const LATER: u64 = 1_900_000_000;

/// A branch `feature` with a packet held by `ada` and one tracked file changed after it; a
/// branch `fix/login` whose packet `runtime` holds.
fn scenario(runtime: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.git(&["switch", "-q", "-c", "fix/login"]);
    repo.handoff(&[
        "start",
        "--goal",
        "Fix the login redirect loop",
        "--accept",
        "login works",
        "--lane",
        "execute",
        "--owner",
        runtime,
        "--as",
        runtime,
    ])
    .ok();
    repo.git(&["switch", "-q", "feature"]);
    repo.handoff(&[
        "start",
        "--goal",
        "Retry OAuth callbacks",
        "--accept",
        "tests pass",
        "--non-goal",
        "no new dependencies",
        "--next",
        "write the retry loop",
        "--rejected",
        "retry in the browser :: tokens expire",
        "--validate",
        "true",
        "--lane",
        "execute",
        "--owner",
        "ada",
    ])
    .ok();
    let file = repo.path.join("base.txt");
    std::fs::write(&file, "changed").expect("write");
    touch(&file, LATER);
    repo
}

/// Runs `git handoff agent <event> --runtime <runtime>` with the documented payload.
fn agent(repo: &TestRepo, runtime: &str, event: &str, payload: &str) -> Run {
    let mut cmd = repo.command(bin(), &repo.path);
    cmd.args(["agent", event, "--runtime", runtime]);
    with_input(cmd, payload)
}

fn payload(repo: &TestRepo, runtime: &str, event: &str) -> Option<String> {
    let path = fixtures().join(format!("input/{runtime}-{event}.json"));
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.replace("@CWD@", &repo.path.display().to_string()))
}

#[test]
fn each_runtime_gets_its_own_answer_to_each_documented_payload() {
    let bless = std::env::var_os("GIT_HANDOFF_BLESS").is_some();
    let mut compared = 0;
    for runtime in RUNTIMES {
        let repo = scenario(runtime);
        for event in ["session-start", "stop", "pre-compact"] {
            let Some(input) = payload(&repo, runtime, event) else {
                continue;
            };
            let run = agent(&repo, runtime, event, &input);
            assert_eq!(
                (run.code, run.stderr.as_str()),
                (0, ""),
                "{runtime} {event}: {run:#?}"
            );
            if !run.stdout.is_empty() {
                let _: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
                    panic!("{runtime} {event}: stdout is not JSON ({e}): {run:#?}")
                });
            }
            let golden = fixtures().join(format!("golden/{runtime}-{event}.out"));
            if bless {
                std::fs::create_dir_all(golden.parent().expect("dir")).expect("mkdir");
                std::fs::write(&golden, &run.stdout).expect("bless");
            }
            let expected = std::fs::read_to_string(&golden)
                .unwrap_or_else(|_| panic!("no golden file {}", golden.display()));
            assert_eq!(
                run.stdout,
                expected,
                "{runtime} {event} differs from {}",
                golden.display()
            );
            compared += 1;
        }
    }
    assert_eq!(
        compared, 13,
        "every runtime's events have a payload and a golden answer"
    );
}

#[test]
fn the_stop_hook_blocks_once_per_state_and_never_on_reentry() {
    let repo = scenario("claude");
    let input = payload(&repo, "claude", "stop").expect("payload");
    let first = agent(&repo, "claude", "stop", &input);
    assert!(
        first.stdout.contains("\"decision\": \"block\""),
        "{first:#?}"
    );
    assert!(
        first
            .stdout
            .contains("git handoff update --as claude --done"),
        "the reason names the exact command: {first:#?}"
    );
    let again = agent(&repo, "claude", "stop", &input);
    assert_eq!(
        again.stdout, "",
        "the same state is not blocked twice: {again:#?}"
    );
    // A new change is a new state; but a stop that the hook already blocked goes through.
    let file = repo.path.join("base.txt");
    std::fs::write(&file, "changed again").expect("write");
    touch(&file, LATER + 60);
    let reentry = input.replace("\"stop_hook_active\":false", "\"stop_hook_active\":true");
    assert_eq!(agent(&repo, "claude", "stop", &reentry).stdout, "");
    assert!(agent(&repo, "claude", "stop", &input)
        .stdout
        .contains("block"));
    // Once the packet is updated (and the work committed under it), the stop goes through.
    repo.handoff(&["update", "--done", "retry loop", "--as", "claude"])
        .ok();
    repo.git(&["commit", "-qam", "retry", "--no-verify"]);
    repo.handoff(&["note", "HEAD"]).ok();
    let after = agent(&repo, "claude", "stop", &input);
    assert_eq!(after.stdout, "", "{after:#?}");
}

#[test]
fn outside_a_repository_the_handler_says_nothing_and_its_own_failures_exit_zero() {
    let repo = TestRepo::empty();
    for runtime in RUNTIMES {
        let mut cmd = repo.command(bin(), &repo.root);
        cmd.args(["agent", "session-start", "--runtime", runtime]);
        let run = with_input(cmd, "{\"cwd\": \"/\"}");
        // Gemini reads stderr when stdout is empty: it gets an empty JSON object.
        let stdout = if runtime == "gemini" { "{}\n" } else { "" };
        assert_eq!(
            run,
            Run {
                code: 0,
                stdout: stdout.into(),
                stderr: String::new()
            }
        );
    }
    // A repository whose policy cannot be read: one line on stderr, exit 0.
    let repo = scenario("claude");
    std::fs::write(repo.path.join(".handoff.toml"), "max-hops = \"many\"\n").expect("write");
    let run = agent(&repo, "claude", "session-start", "not json");
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
    assert!(
        run.stderr
            .starts_with("warning: git-handoff agent session-start:"),
        "{run:#?}"
    );
}

#[test]
fn claude_sessions_get_the_agent_name_through_claude_env_file() {
    let repo = scenario("claude");
    let env_file = repo.root.join("tmp/claude-env");
    for _ in 0..2 {
        let mut cmd = repo.command(bin(), &repo.path);
        cmd.env("CLAUDE_ENV_FILE", &env_file).args([
            "agent",
            "session-start",
            "--runtime",
            "claude",
        ]);
        with_input(cmd, "{}").ok();
    }
    assert_eq!(
        std::fs::read_to_string(&env_file).expect("written"),
        "export GIT_HANDOFF_AGENT=claude\n",
        "written once, for the agent's own git handoff commands"
    );
}

#[test]
fn a_branch_without_a_packet_gets_one_line_on_how_to_start_one() {
    let repo = TestRepo::new();
    repo.commit("base");
    let run = agent(&repo, "claude", "session-start", "{}");
    let v: serde_json::Value = serde_json::from_str(run.ok()).expect("JSON");
    let context = v["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .expect("context");
    assert_eq!(context.lines().count(), 1, "{context}");
    assert!(context.contains("git handoff start --goal"), "{context}");
}

/// Reads every file under `dir` (relative path → bytes), skipping `.git`.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("under dir")
                    .display()
                    .to_string();
                out.push((rel, std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn setup_twice_changes_no_byte_and_remove_gives_the_tree_back() {
    for scope in [None, Some("--user")] {
        let repo = TestRepo::new();
        repo.commit("base");
        let base = match scope {
            None => repo.path.clone(),
            Some(_) => repo.root.join("home"),
        };
        let before = tree(&base);
        let mut args = vec!["setup"];
        args.extend(RUNTIMES);
        args.extend(scope);
        repo.handoff(&args).ok();
        let once = tree(&base);
        assert!(once.len() > before.len(), "setup wrote files: {once:?}");
        repo.handoff(&args).ok();
        assert_eq!(tree(&base), once, "a second setup changes no byte");
        args.push("--remove");
        repo.handoff(&args).ok();
        assert_eq!(
            tree(&base),
            before,
            "remove gives the tree back ({scope:?})"
        );
    }
}

#[test]
fn a_users_files_keep_their_bytes_through_setup_and_remove() {
    let repo = TestRepo::new();
    repo.commit("base");
    let settings = "{\n    // the team's model\n    \"model\": \"opus\",\n    \"hooks\": {\n        \"Stop\": [\n            {\"hooks\": [{\"type\": \"command\", \"command\": \"say done\"}]}\n        ]\n    },\n    \"zeta\": [1, 2, 3]\n}\n";
    let claude_md = "# Project\n\nUse tabs.\n";
    std::fs::create_dir_all(repo.path.join(".claude")).expect("mkdir");
    std::fs::write(repo.path.join(".claude/settings.json"), settings).expect("write");
    std::fs::write(repo.path.join("CLAUDE.md"), claude_md).expect("write");
    let dry = repo.handoff(&["setup", "claude", "--dry-run"]);
    assert!(dry.ok().contains("+++ b/.claude/settings.json"), "{dry:#?}");
    assert_eq!(
        std::fs::read_to_string(repo.path.join(".claude/settings.json")).expect("read"),
        settings,
        "a dry run writes nothing"
    );
    repo.handoff(&["setup", "claude"]).ok();
    let installed = std::fs::read_to_string(repo.path.join(".claude/settings.json")).expect("read");
    assert!(
        installed.starts_with("{\n    // the team's model\n    \"model\": \"opus\","),
        "{installed}"
    );
    assert!(
        installed.contains("\"command\": \"say done\""),
        "{installed}"
    );
    assert!(
        installed.ends_with("    \"zeta\": [1, 2, 3]\n}\n"),
        "{installed}"
    );
    repo.handoff(&["setup", "claude", "--remove"]).ok();
    assert_eq!(
        std::fs::read_to_string(repo.path.join(".claude/settings.json")).expect("read"),
        settings
    );
    assert_eq!(
        std::fs::read_to_string(repo.path.join("CLAUDE.md")).expect("read"),
        claude_md
    );
}

#[test]
fn a_broken_settings_file_is_refused_and_nothing_is_written() {
    let repo = TestRepo::new();
    repo.commit("base");
    std::fs::create_dir_all(repo.path.join(".gemini")).expect("mkdir");
    std::fs::write(repo.path.join(".gemini/settings.json"), "{\n  \"a\": \n}\n").expect("write");
    let before = tree(&repo.path);
    repo.handoff(&["setup", "codex", "gemini"])
        .fails(2, ".gemini/settings.json: line 3");
    assert_eq!(
        tree(&repo.path),
        before,
        "nothing was written, codex's files neither"
    );
}

#[test]
fn doctor_names_each_problem_with_its_fix() {
    let repo = TestRepo::new();
    repo.commit("base");
    let run = repo.handoff(&["doctor"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.contains("problem  git hooks"), "{run:#?}");
    assert!(run.stdout.contains("fix: git handoff init"), "{run:#?}");
    repo.handoff(&["init"]).ok();
    repo.handoff(&["setup", "claude"]).ok();
    repo.handoff(&["setup", "claude", "--user"]).ok();
    let run = repo.handoff(&["doctor", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:#?}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let problems: Vec<&str> = v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["ok"] == false)
        .filter_map(|c| c["detail"].as_str())
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("brief twice"), "{problems:?}");
    repo.handoff(&["setup", "claude", "--user", "--remove"])
        .ok();
    let run = repo.handoff(&["doctor"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains("no remote yet"),
        "no remote is not every remote: {run:#?}"
    );
}

#[test]
fn doctor_finds_our_hooks_in_codex_config_toml_and_leaves_the_file_alone() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.handoff(&["init"]).ok();
    let config = "# the team's Codex settings\nmodel = \"gpt-5-codex\"\n\n[[hooks.Stop]]\n[[hooks.Stop.hooks]]\ntype = \"command\"\ncommand = \"git-handoff agent stop --runtime codex\"\n";
    std::fs::create_dir_all(repo.path.join(".codex")).expect("mkdir");
    std::fs::write(repo.path.join(".codex/config.toml"), config).expect("write");
    repo.handoff(&["setup", "codex"]).ok();
    let run = repo.handoff(&["doctor"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stdout
            .contains("problem  codex: .codex/config.toml holds git-handoff hooks as well"),
        "{run:#?}"
    );
    repo.handoff(&["setup", "codex", "--remove"]).ok();
    assert_eq!(
        std::fs::read_to_string(repo.path.join(".codex/config.toml")).expect("read"),
        config
    );
}

#[test]
fn a_command_run_by_claude_code_or_gemini_acts_under_the_runtimes_name() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.start();
    let actor_after = |env: &[(&str, &str)]| {
        let mut cmd = repo.command(bin(), &repo.path);
        cmd.envs(env.iter().copied())
            .args(["update", "--next", &format!("step {}", env.len())]);
        Run::from(&cmd.output().expect("run")).ok();
        repo.packet_json()["actor"].as_str().map(str::to_string)
    };
    assert_eq!(
        actor_after(&[("CLAUDECODE", "1")]).as_deref(),
        Some("claude")
    );
    assert_eq!(
        actor_after(&[("GEMINI_CLI", "1"), ("X", "1")]).as_deref(),
        Some("gemini")
    );
    assert_eq!(
        actor_after(&[
            ("CLAUDECODE", "1"),
            ("GIT_HANDOFF_AGENT", "planner"),
            ("Y", "1")
        ])
        .as_deref(),
        Some("planner"),
        "GIT_HANDOFF_AGENT names the agent over the runtime"
    );
    assert_eq!(
        actor_after(&[("COPILOT_CLI", "1"), ("X", "1"), ("Y", "1"), ("Z", "1")]).as_deref(),
        Some("copilot")
    );
    assert_eq!(actor_after(&[]).as_deref(), Some("Ada Lovelace"));
}

#[test]
fn a_large_brief_budget_still_fits_the_runtimes_context_in_one_piece() {
    let repo = scenario("codex");
    std::fs::write(repo.path.join(".handoff.toml"), "brief-tokens = 100000\n").expect("write");
    for i in 0..60 {
        repo.handoff(&[
            "update",
            "--next",
            &format!("step {i}: {}", "keep the tests green ".repeat(12)),
        ])
        .ok();
    }
    for (runtime, cap) in [("codex", 8_000), ("claude", 10_000)] {
        let run = agent(&repo, runtime, "session-start", "{}");
        let v: serde_json::Value = serde_json::from_str(run.ok()).expect("JSON");
        let context = v["hookSpecificOutput"]["additionalContext"]
            .as_str()
            .expect("context");
        assert!(context.len() <= cap, "{runtime}: {} bytes", context.len());
        assert!(context.contains(" more "), "the rest is counted: {context}");
    }
}

#[test]
fn a_claude_hook_run_by_cursor_or_copilot_stays_silent_where_their_own_hooks_answer() {
    let repo = scenario("claude");
    repo.handoff(&["setup", "claude"]).ok();
    let under = |var: &str, value: &str| {
        let mut cmd = repo.command(bin(), &repo.path);
        cmd.env(var, value)
            .args(["agent", "session-start", "--runtime", "claude"]);
        with_input(cmd, "{}")
    };
    // Only Claude Code's hooks set up: Cursor running them gets the brief from them.
    assert!(under("CURSOR_VERSION", "2.4.0")
        .ok()
        .contains("additionalContext"));
    repo.handoff(&["setup", "cursor", "copilot"]).ok();
    assert_eq!(
        under("CURSOR_VERSION", "2.4.0").ok(),
        "",
        "Cursor's own hook answers"
    );
    assert_eq!(
        under("COPILOT_CLI", "1").ok(),
        "",
        "Copilot's own hook answers"
    );
    let mut cmd = repo.command(bin(), &repo.path);
    cmd.env("CURSOR_VERSION", "2.4.0")
        .env("CLAUDECODE", "1")
        .args(["agent", "session-start", "--runtime", "claude"]);
    assert!(
        with_input(cmd, "{}").ok().contains("additionalContext"),
        "Claude Code in Cursor's terminal is Claude Code"
    );
    assert!(
        agent(&repo, "claude", "session-start", "{}")
            .ok()
            .contains("additionalContext"),
        "Claude Code itself still gets it"
    );
}

#[test]
fn commits_the_packet_does_not_describe_block_the_stop_once_too() {
    let repo = TestRepo::new();
    repo.commit("base");
    repo.start();
    repo.commit("unrecorded work");
    let input = "{\"stop_hook_active\":false}";
    assert!(agent(&repo, "claude", "stop", input).ok().contains("block"));
    for _ in 0..2 {
        assert_eq!(
            agent(&repo, "claude", "stop", input).ok(),
            "",
            "the same state blocks once"
        );
    }
}

#[test]
fn a_begin_marker_without_its_end_is_refused_and_the_users_text_kept() {
    let repo = TestRepo::new();
    repo.commit("base");
    let text = "# Project\n\n<!-- git-handoff:begin v1 -->\n\n## Build\n\nRun make.\n";
    std::fs::write(repo.path.join("CLAUDE.md"), text).expect("write");
    let before = tree(&repo.path);
    repo.handoff(&["setup", "claude"])
        .fails(2, "CLAUDE.md: line 3: a git-handoff:begin marker with no");
    repo.handoff(&["setup", "claude", "--remove"])
        .fails(2, "line 3");
    assert_eq!(
        tree(&repo.path),
        before,
        "nothing written, the user's sections kept"
    );
}
