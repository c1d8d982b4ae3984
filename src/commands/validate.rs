//! `git handoff validate`: run the packet's validation command and record what it did, bound to
//! the tree it ran on.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use super::act::{Acting, AsArg, Done};
use crate::error::UserError;
use crate::output::Output;
use crate::packet::{Outcome, Provenance};

/// Lines of output kept for the report of a failure.
const TAIL_LINES: usize = 20;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Stop the command after SECS seconds (recorded as a failure)
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    #[command(flatten)]
    pub actor: AsArg,
}

/// What `validate` saw, for `--format json`.
#[derive(Serialize)]
struct Report {
    command: String,
    result: &'static str,
    exit_code: Option<i32>,
    duration_ms: u64,
    tree: String,
    timed_out: bool,
    /// The last lines of output, on failure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tail: Vec<String>,
}

/// How the command ended.
struct Ran {
    exit_code: Option<i32>,
    duration: Duration,
    timed_out: bool,
    tail: Vec<String>,
}

pub fn cmd_validate(args: &ValidateArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let acting = Acting::open(&repo, &args.actor)?;
    let latest = acting.latest()?;
    let Some(command) = latest.packet.validation.command.clone() else {
        return Err(UserError::refused("the packet names no validation command")
            .hint("name it: git handoff update --validate \"CMD\"")
            .into());
    };
    // The tree is taken before the command runs: what it validated, not what it left behind.
    let tree = repo.worktree_tree()?.to_string();
    let workdir = std::fs::canonicalize(repo.workdir().unwrap_or_default())?;
    let head_tree = acting.tree.clone();
    out.status(&format!("running `{command}` in {}", workdir.display()));
    let ran = run(&command, &workdir, args.timeout.map(Duration::from_secs))?;
    let outcome = if ran.exit_code == Some(0) && !ran.timed_out {
        Outcome::Pass
    } else {
        Outcome::Fail
    };
    let duration_ms = u64::try_from(ran.duration.as_millis()).unwrap_or(u64::MAX);
    let revision = acting.write_always(out, |packet, _, act| {
        let v = &mut packet.validation;
        if v.command.as_deref() != Some(command.as_str()) {
            return Err(UserError::new(
                "the validation command changed while it ran; nothing recorded",
            )
            .hint("run git handoff validate again")
            .into());
        }
        v.result = outcome;
        v.tree = Some(tree.clone());
        v.source = Some(Provenance::Run);
        v.exit_code = ran.exit_code;
        v.duration_ms = Some(duration_ms);
        v.at = Some(act.at);
        v.by = Some(act.actor.to_string());
        let word = if outcome == Outcome::Pass {
            "pass"
        } else {
            "fail"
        };
        Ok(format!("validate {word} by {}", act.actor))
    })?;
    let word = if outcome == Outcome::Pass {
        "passed"
    } else {
        "failed"
    };
    let how = match (ran.timed_out, ran.exit_code) {
        (true, _) => "timed out".to_string(),
        (false, Some(code)) => format!("exit {code}"),
        (false, None) => "killed by a signal".to_string(),
    };
    let on = if head_tree.as_deref() == Some(tree.as_str()) {
        format!("HEAD's tree {}", crate::repo::short(&tree))
    } else {
        format!(
            "the work tree as it is, uncommitted changes included (tree {}: commit exactly this with git add --all to match)",
            crate::repo::short(&tree)
        )
    };
    out.status(&format!(
        "`{command}` {word} ({how}, {:.1} s) on {on}; recorded in r{} of {}",
        ran.duration.as_secs_f64(),
        revision.packet.revision,
        revision.packet.id
    ));
    if format == crate::cli::Format::Json {
        out.json(&Done::new(
            Some(&revision),
            Report {
                command: command.clone(),
                result: if outcome == Outcome::Pass {
                    "pass"
                } else {
                    "fail"
                },
                exit_code: ran.exit_code,
                duration_ms,
                tree,
                timed_out: ran.timed_out,
                tail: if outcome == Outcome::Pass {
                    Vec::new()
                } else {
                    ran.tail.clone()
                },
            },
        ))?;
    }
    if outcome == Outcome::Fail {
        return Err(UserError::refused(format!("validation failed ({how})"))
            .hint("fix what it reports and run git handoff validate again")
            .into());
    }
    Ok(())
}

/// Runs `sh -c command` in `dir` with no input, its output copied to stderr, the last lines kept.
fn run(command: &str, dir: &std::path::Path, timeout: Option<Duration>) -> anyhow::Result<Ran> {
    use std::os::unix::process::CommandExt;
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| UserError::new(format!("cannot run sh: {e}")).hint("is /bin/sh installed?"))?;
    let tail = std::sync::Arc::new(std::sync::Mutex::new(std::collections::VecDeque::new()));
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| {
        let tail = std::sync::Arc::clone(&tail);
        std::thread::spawn(move || copy_lines(stream, &tail))
    })
    .collect();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if timeout.is_some_and(|t| started.elapsed() >= t) {
            timed_out = true;
            kill_group(child.id());
            let _ = child.kill();
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // What the command left running in the background may hold its output open: give it a
    // moment to finish, then stop it, so the report never waits on it.
    let grace = Instant::now() + Duration::from_secs(2);
    while readers.iter().any(|r| !r.is_finished()) && Instant::now() < grace {
        std::thread::sleep(Duration::from_millis(20));
    }
    if readers.iter().any(|r| !r.is_finished()) {
        kill_group(child.id());
        let settle = Instant::now() + Duration::from_secs(1);
        while readers.iter().any(|r| !r.is_finished()) && Instant::now() < settle {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    for reader in readers
        .into_iter()
        .filter(std::thread::JoinHandle::is_finished)
    {
        let _ = reader.join();
    }
    let tail = tail
        .lock()
        .map(|t| t.iter().cloned().collect())
        .unwrap_or_default();
    Ok(Ran {
        exit_code: status.code(),
        duration: started.elapsed(),
        timed_out,
        tail,
    })
}

/// Stops every process of the command's group (it runs in a group of its own).
fn kill_group(leader: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{leader}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Copies a stream to stderr line by line, keeping the last lines (escaped for a terminal).
fn copy_lines(
    stream: Box<dyn Read + Send>,
    tail: &std::sync::Mutex<std::collections::VecDeque<String>>,
) {
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
        let _ = std::io::stderr().write_all(&line);
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        if let Ok(mut t) = tail.lock() {
            t.push_back(crate::escape::terminal(&text).into_owned());
            if t.len() > TAIL_LINES {
                t.pop_front();
            }
        }
        line.clear();
    }
}
