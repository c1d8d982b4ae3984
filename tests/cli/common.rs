//! A hermetic test environment: a temp dir with HOME and TMPDIR, no global or system git config,
//! pinned git dates, a clock that advances one second per command and packet ids drawn from a
//! seed, so a test can assert whole invocations; and helpers that read as a vocabulary.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub const NOW: &str = "2026-11-21T22:10:00Z";
const GIT_DATE: &str = "1763763000 +0000";

/// The outcome of one invocation.
#[derive(Debug, PartialEq, Eq)]
#[must_use]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(output: &Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "expected success, got {self:#?}");
        &self.stdout
    }

    /// Asserts the exit code, an empty stdout, and a one-line error followed by a hint.
    #[track_caller]
    pub fn fails(&self, code: i32, needle: &str) -> &Self {
        assert_eq!(self.code, code, "wrong exit code: {self:#?}");
        assert_eq!(self.stdout, "", "a failure prints no data: {self:#?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert!(
            lines.len() >= 2
                && (lines[0].starts_with("error: ") || lines[0].starts_with("refused: ")),
            "expected an error line: {self:#?}"
        );
        assert!(
            lines[1].starts_with("hint: "),
            "expected a hint line: {self:#?}"
        );
        assert!(
            self.stderr.contains(needle),
            "stderr should mention {needle:?}: {self:#?}"
        );
        assert!(
            !self.stderr.contains("panicked"),
            "must never panic: {self:#?}"
        );
        self
    }
}

/// A repository in a temp dir, on branch `feature`, with an identity.
pub struct TestRepo {
    _dir: TempDir,
    pub root: PathBuf,
    pub path: PathBuf,
    /// Who works here: seeds packet ids, so two clones never mint the same one.
    pub label: String,
    /// Commands run so far: the clock reads `NOW` plus this many seconds.
    ticks: AtomicI64,
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let repo = TestRepo::empty();
        repo.git(&["init", "-q", "-b", "feature", "work"]);
        repo.configure_identity();
        repo
    }

    /// A temp dir with HOME but no repository yet; `path` is `<root>/work`.
    pub fn empty() -> TestRepo {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("home")).expect("home");
        std::fs::create_dir_all(root.join("tmp")).expect("tmp");
        let path = root.join("work");
        TestRepo {
            _dir: dir,
            root,
            path,
            label: "local".into(),
            ticks: AtomicI64::new(0),
        }
    }

    pub fn configure_identity(&self) {
        self.git(&["config", "user.name", "Ada Lovelace"]);
        self.git(&["config", "user.email", "ada@example.com"]);
    }

    /// Returns the time the next command will see, and advances the clock.
    fn tick(&self) -> (i64, String) {
        let tick = self.ticks.fetch_add(1, Ordering::SeqCst);
        let base = chrono::DateTime::parse_from_rfc3339(NOW).expect("NOW");
        let at = base + chrono::Duration::seconds(tick);
        (tick, at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }

    /// Builds a command with the hermetic environment, run in `dir`.
    pub fn command(&self, program: &str, dir: &Path) -> Command {
        let (tick, now) = self.tick();
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .current_dir(if dir.exists() { dir } else { &self.root })
            .env("PATH", path_with_binary())
            .env("HOME", self.root.join("home"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", GIT_DATE)
            .env("GIT_COMMITTER_DATE", GIT_DATE)
            .env("GIT_HANDOFF_NOW", now)
            .env("GIT_HANDOFF_ID_SEED", format!("{}-{tick}", self.label))
            .env("TMPDIR", self.root.join("tmp"))
            .env("LANG", "C")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs git in the work dir, asserting success; returns trimmed stdout.
    #[track_caller]
    pub fn git(&self, args: &[&str]) -> String {
        let run = self.git_run(args);
        assert_eq!(run.code, 0, "git {args:?} failed: {run:#?}");
        run.stdout.trim_end().to_string()
    }

    /// Runs git with `input` on stdin, asserting success; returns trimmed stdout.
    #[track_caller]
    pub fn git_stdin(&self, args: &[&str], input: &str) -> String {
        let mut cmd = self.command("git", &self.path);
        cmd.args(args);
        let run = with_input(cmd, input);
        assert_eq!(run.code, 0, "git {args:?} failed: {run:#?}");
        run.stdout.trim_end().to_string()
    }

    /// Runs git with extra environment variables, asserting success.
    #[track_caller]
    pub fn git_env(&self, env: &[(&str, &str)], args: &[&str]) -> String {
        let mut cmd = self.command("git", &self.path);
        let run = Run::from(
            &cmd.envs(env.iter().copied())
                .args(args)
                .output()
                .expect("run git"),
        );
        assert_eq!(run.code, 0, "git {args:?} failed: {run:#?}");
        run.stdout.trim_end().to_string()
    }

    pub fn git_run(&self, args: &[&str]) -> Run {
        Run::from(
            &self
                .command("git", &self.path)
                .args(args)
                .output()
                .expect("run git"),
        )
    }

    /// Runs git-handoff in the work dir.
    pub fn handoff(&self, args: &[&str]) -> Run {
        self.handoff_in(&self.path, args)
    }

    pub fn handoff_in(&self, dir: &Path, args: &[&str]) -> Run {
        let output = self
            .command(bin(), dir)
            .args(args)
            .output()
            .expect("run git-handoff");
        Run::from(&output)
    }

    /// Runs git-handoff with `input` on stdin.
    pub fn handoff_stdin(&self, args: &[&str], input: &str) -> Run {
        let mut cmd = self.command(bin(), &self.path);
        cmd.args(args);
        with_input(cmd, input)
    }

    /// Writes a file and commits it; returns the new commit id.
    pub fn commit(&self, message: &str) -> String {
        let name = format!(
            "{}.txt",
            message.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        );
        std::fs::write(self.path.join(&name), message).expect("write file");
        self.git(&["add", &name]);
        self.git(&["commit", "-q", "--no-verify", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Installs the hooks.
    pub fn init_hooks(&self) {
        self.handoff(&["init"]).ok();
    }

    /// Commits a change with the hooks running (no --no-verify); returns the run.
    pub fn try_commit(&self, message: &str) -> Run {
        let name = format!(
            "{}.txt",
            message.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        );
        std::fs::write(self.path.join(&name), message).expect("write file");
        self.git(&["add", &name]);
        self.git_run(&["commit", "-q", "-m", message])
    }

    /// Commits with the hooks, asserting success; returns the new commit id.
    #[track_caller]
    pub fn hook_commit(&self, message: &str) -> String {
        let run = self.try_commit(message);
        assert_eq!(run.code, 0, "commit {message:?} failed: {run:#?}");
        self.git(&["rev-parse", "HEAD"])
    }

    /// Returns the packet revision the note of `commit` holds, via git itself (None: no note).
    pub fn note_revision(&self, commit: &str) -> Option<u64> {
        let run = self.git_run(&["notes", "--ref=handoff", "show", commit]);
        if run.code != 0 {
            return None;
        }
        let packet: toml::Value = toml::from_str(&run.stdout).expect("the note is a valid packet");
        packet
            .get("revision")
            .and_then(toml::Value::as_integer)
            .and_then(|n| u64::try_from(n).ok())
    }

    /// Starts a packet with a goal and one acceptance criterion.
    pub fn start(&self) {
        self.handoff(&[
            "start",
            "--goal",
            "Ship the retry",
            "--accept",
            "tests pass",
        ])
        .ok();
    }

    /// Returns where a ref points, or None.
    pub fn ref_target(&self, name: &str) -> Option<String> {
        let run = self.git_run(&["rev-parse", "--verify", "-q", name]);
        (run.code == 0).then(|| run.stdout.trim().to_string())
    }

    /// Asserts `git fsck --strict` finds nothing wrong.
    #[track_caller]
    pub fn fsck(&self) {
        let run = self.git_run(&["fsck", "--strict", "--no-progress"]);
        assert_eq!(run.code, 0, "git fsck --strict failed: {run:#?}");
        assert!(
            !run.stderr.contains("error"),
            "fsck reported errors: {run:#?}"
        );
    }

    /// Returns every ref and its target, to prove a failed command changed nothing.
    pub fn refs_snapshot(&self) -> String {
        self.git_run(&["for-each-ref", "--format=%(refname) %(objectname)"])
            .stdout
    }

    /// Writes a chain commit holding `packet` (TOML) with message `subject` on top of the local
    /// chain of `feature`, as a hostile clone would, and pushes it to origin without hooks.
    pub fn push_forged_revision(&self, packet: &str, subject: &str) {
        let tip = self.git(&["rev-parse", "refs/handoff/heads/feature"]);
        let blob = self.git_stdin(&["hash-object", "-w", "--stdin"], packet);
        let tree = self.git_stdin(&["mktree"], &format!("100644 blob {blob}\tpacket.toml\n"));
        let commit = self.git(&["commit-tree", &tree, "-p", &tip, "-m", subject]);
        self.git(&[
            "push",
            "-q",
            "--no-verify",
            "origin",
            &format!("{commit}:refs/handoff/heads/feature"),
        ]);
    }

    /// Returns the packet refs of `refs_snapshot()` output: the local chains and the notes, which
    /// nothing a remote sends may change without being checked.
    pub fn local_packet_refs(snapshot: &str) -> String {
        snapshot
            .lines()
            .filter(|l| l.starts_with("refs/handoff/") || l.starts_with("refs/notes/"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Commits with `message` and no hooks at all (not even post-commit), as another tool would.
    pub fn commit_without_hooks(&self, message: &str) -> String {
        self.git(&[
            "-c",
            "core.hooksPath=/dev/null",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
        ]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Parses `show --format json` of the current branch.
    pub fn packet_json(&self) -> serde_json::Value {
        let run = self.handoff(&["show", "--format", "json"]);
        serde_json::from_str(run.ok()).expect("show --format json prints JSON")
    }
}

/// The path of the binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_git-handoff")
}

/// Copies the binary under test to `to`, ready to run. A test running beside this one may fork
/// while the copy is open for writing; its child holds that descriptor until it execs, and
/// until then Linux refuses to run the copy ("text file busy"): wait that out here.
pub fn copy_binary(to: &Path) {
    std::fs::copy(bin(), to).expect("copy the binary");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Command::new(to).arg("--version").output() {
            Ok(_) => return,
            Err(e) if e.raw_os_error() == Some(26) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("cannot run {}: {e}", to.display()),
        }
    }
}

/// Runs a command with `input` on its stdin.
pub fn with_input(mut cmd: Command, input: &str) -> Run {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    Run::from(&child.wait_with_output().expect("wait"))
}

/// PATH with the binary under test first, so git finds `git-handoff` (and the hooks run it).
pub fn path_with_binary() -> std::ffi::OsString {
    let dir = Path::new(bin()).parent().expect("binary dir").to_path_buf();
    let mut paths = vec![dir];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("PATH")
}

/// A bare repository `remote.git` in its own temp dir, optionally served by `git daemon`.
pub struct Server {
    pub env: TestRepo,
    daemon: Option<Child>,
    pub url: String,
}

impl Server {
    pub fn file() -> Server {
        let env = TestRepo::empty();
        env.git(&["init", "-q", "--bare", "-b", "main", "remote.git"]);
        let url = format!("file://{}", env.root.join("remote.git").display());
        Server {
            env,
            daemon: None,
            url,
        }
    }

    pub fn daemon() -> Server {
        let mut server = Server::file();
        let root = server.env.root.display().to_string();
        // git-daemon itself, not `git daemon`: the git wrapper waits on it as a child, so
        // killing the wrapper would leave the daemon running after the test.
        let exec_path = server.env.git(&["--exec-path"]);
        let daemon = Path::new(&exec_path).join("git-daemon");
        // A free port can be taken by a test running beside this one before the daemon binds
        // it; the daemon then exits at once, and the port answers for the other test's daemon.
        // So the daemon must answer and still be running: else another port.
        for _ in 0..20 {
            let port = TcpListener::bind("127.0.0.1:0")
                .expect("bind")
                .local_addr()
                .expect("addr")
                .port();
            let mut child = server
                .env
                .command(daemon.to_str().expect("utf-8 exec path"), &server.env.root)
                .args([
                    "--reuseaddr",
                    "--listen=127.0.0.1",
                    &format!("--port={port}"),
                ])
                .args([
                    format!("--base-path={root}"),
                    "--export-all".into(),
                    "--enable=receive-pack".into(),
                    root.clone(),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start git daemon");
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut answered = false;
            while Instant::now() < deadline && child.try_wait().ok().flatten().is_none() {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    answered = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(50));
            if answered && child.try_wait().ok().flatten().is_none() {
                server.daemon = Some(child);
                server.url = format!("git://127.0.0.1:{port}/remote.git");
                return server;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("git daemon did not start");
    }

    /// Clones the remote into a fresh hermetic environment with its own identity.
    pub fn clone(&self, who: &str) -> TestRepo {
        let mut repo = TestRepo::empty();
        repo.label = who.to_lowercase();
        repo.git(&["clone", "-q", &self.url, "work"]);
        repo.git(&["config", "user.name", who]);
        repo.git(&[
            "config",
            "user.email",
            &format!("{}@example.com", who.to_lowercase()),
        ]);
        repo
    }

    pub fn remote_ref(&self, name: &str) -> Option<String> {
        let out = self.env.git(&[
            "--git-dir",
            "remote.git",
            "for-each-ref",
            "--format=%(objectname)",
            name,
        ]);
        (!out.is_empty()).then_some(out)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.daemon {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
