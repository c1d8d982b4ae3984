//! `git handoff agent <event> --runtime R`: the handler an agent runtime's hooks call. It reads
//! the runtime's JSON on stdin and answers in the runtime's shape: the brief at session start, a
//! single block at stop when the work moved past the packet, a reminder before compaction.
//!
//! A hook must never break the session it serves: every failure of its own is one line on
//! stderr and exit 0, nothing is fetched, and nothing at all is said outside a repository.

use std::io::{IsTerminal, Read};
use std::time::Duration;

use clap::Args;

use super::act::{Acting, AsArg};
use crate::agents::io::{self, Input, Reply};
use crate::agents::{Event, Runtime, Scope};
use crate::output::Output;
use crate::packet::{Lane, Packet};
use crate::repo::{short, Head, Repo};
use crate::store::{self, Revision};

#[derive(Debug, Args)]
pub struct AgentArgs {
    /// The event the runtime reports
    #[arg(value_enum)]
    pub event: Event,
    /// The runtime calling: it decides what stdin holds and what stdout must say
    #[arg(long, value_enum, value_name = "RUNTIME")]
    pub runtime: Runtime,
}

/// The most of stdin a payload may take.
const MAX_INPUT: u64 = 1 << 20;
/// How long to wait for a runtime to close stdin.
const INPUT_WAIT: Duration = Duration::from_secs(2);

pub fn cmd_agent(args: &AgentArgs, out: &Output) -> anyhow::Result<()> {
    let input = io::parse(args.runtime, &read_input());
    let reply = answer(args, &input).unwrap_or_else(|e| {
        let line = format!("{e:#}");
        let line = line.lines().next().unwrap_or_default();
        out.warn(&format!("git-handoff agent {}: {line}", args.event));
        Reply::Nothing
    });
    if let Some(value) = io::render(args.runtime, args.event, &reply) {
        // A runtime that closed its end has what it wanted.
        let _ = out.json(&value);
    }
    Ok(())
}

/// Reads the runtime's payload: nothing from a terminal, at most [`MAX_INPUT`] bytes, and no
/// more than [`INPUT_WAIT`] of waiting for a writer that never closes.
fn read_input() -> String {
    if std::io::stdin().is_terminal() {
        return String::new();
    }
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::stdin().take(MAX_INPUT).read_to_string(&mut text);
        let _ = send.send(text);
    });
    receive.recv_timeout(INPUT_WAIT).unwrap_or_default()
}

/// The acting agent's name: `GIT_HANDOFF_AGENT`, else the runtime's.
fn actor(runtime: Runtime) -> String {
    std::env::var(crate::clock::AGENT_ENV)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| runtime.name().to_string())
}

fn answer(args: &AgentArgs, input: &Input) -> anyhow::Result<Reply> {
    if let Some(cwd) = &input.cwd {
        let _ = std::env::set_current_dir(cwd);
    }
    let repo = match Repo::discover() {
        Ok(repo) if !repo.is_bare() => repo,
        Ok(_) => return Ok(Reply::Nothing),
        Err(e) if format!("{e:#}").contains("not a git repository") => return Ok(Reply::Nothing),
        Err(e) => return Err(e),
    };
    if args.runtime == Runtime::Claude && hosted_elsewhere(&repo) {
        return Ok(Reply::Nothing);
    }
    let actor = actor(args.runtime);
    let Head::Branch { name: branch, .. } = repo.head()? else {
        return Ok(match args.event {
            Event::SessionStart => Reply::Context(
                "git-handoff: HEAD is detached; packets belong to branches (switch to one to see its brief).".into(),
            ),
            _ => Reply::Nothing,
        });
    };
    match args.event {
        Event::SessionStart => {
            if args.runtime == Runtime::Claude {
                persist_name(&actor);
            }
            super::agent_start::session_start(&repo, args.runtime, &branch, &actor)
        }
        Event::Stop if input.reentry => Ok(Reply::Nothing),
        Event::Stop | Event::PreCompact => {
            let Some((latest, moved)) = moved_past(&repo, &branch, &actor)? else {
                return Ok(Reply::Nothing);
            };
            let advice = advice(&branch, &latest.packet, &actor, &moved.what);
            if args.event == Event::PreCompact {
                return Ok(Reply::Remind(format!(
                    "Before the context is compacted, keep the packet current. {advice}"
                )));
            }
            if remember_block(&repo, &moved.state)? {
                Ok(Reply::Block(advice))
            } else {
                Ok(Reply::Nothing)
            }
        }
    }
}

/// Whether a Claude Code hook of ours is being run by Cursor or Copilot CLI (both read
/// `.claude/settings.json`) where that runtime's own hooks of ours are set up: they answer, so
/// the agent gets the brief once.
fn hosted_elsewhere(repo: &Repo) -> bool {
    let Some(host) = Runtime::host_of_claude_hooks(|v| std::env::var(v).ok()) else {
        return false;
    };
    let root = repo.workdir().map(|w| std::path::absolute(&w).unwrap_or(w));
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    [(Scope::Project, root), (Scope::User, home)]
        .into_iter()
        .filter_map(|(scope, base)| Some(base?.join(host.hooks_file(scope))))
        .filter_map(|path| super::setup::read(&path).ok().flatten())
        .any(|text| {
            crate::agents::settings::count(host, &text)
                .is_ok_and(|counts| counts.iter().any(|(_, n)| *n > 0))
        })
}

/// Claude Code hands session-start hooks a file of `export` lines that its later shell commands
/// source (`CLAUDE_ENV_FILE`): the agent's name goes there, so the agent's own `git handoff`
/// writes carry it without `--as`.
fn persist_name(actor: &str) {
    use std::io::Write;
    if std::env::var_os(crate::clock::AGENT_ENV).is_some() {
        return;
    }
    let Some(file) = std::env::var_os("CLAUDE_ENV_FILE").filter(|f| !f.is_empty()) else {
        return;
    };
    let line = format!("export {}={actor}\n", crate::clock::AGENT_ENV);
    if std::fs::read_to_string(&file).is_ok_and(|text| text.contains(&line)) {
        return;
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

/// How the work moved past the packet's latest revision.
struct Moved {
    /// For the agent: what moved.
    what: String,
    /// The state, to block only once for it.
    state: String,
}

/// Returns the branch's latest revision and how the work moved past it; `None` when the packet
/// describes the work (or there is no packet to keep).
fn moved_past(repo: &Repo, branch: &str, actor: &str) -> anyhow::Result<Option<(Revision, Moved)>> {
    let policy = crate::policy::load(repo)?;
    if policy.is_exempt(branch) || store::tip(repo, &store::chain_ref(branch))?.is_none() {
        return Ok(None);
    }
    let acting = Acting::open(
        repo,
        &AsArg {
            name: Some(actor.to_string()),
        },
    )?;
    let latest = acting.latest()?;
    let covered = acting.tip_current(&latest)?;
    let touched = repo.touched_since(latest.packet.updated.0.timestamp())?;
    if covered && touched.is_empty() {
        return Ok(None);
    }
    let head = acting.head.as_deref().map(|h| short(h).clone());
    let mut what = Vec::new();
    if !covered {
        what.push(format!(
            "HEAD {} holds commits made after r{}",
            head.as_deref().unwrap_or("?"),
            latest.packet.revision
        ));
    }
    if !touched.is_empty() {
        let names: Vec<&str> = touched.iter().take(3).map(|t| t.path.as_str()).collect();
        let more = touched.len().saturating_sub(3);
        what.push(format!(
            "{} file(s) changed since r{} ({}{})",
            touched.len(),
            latest.packet.revision,
            names.join(", "),
            if more > 0 {
                format!(", +{more} more")
            } else {
                String::new()
            }
        ));
    }
    // One line without trailing blanks: it is compared with the file's line, trimmed.
    let state = format!(
        "{} {} [{}]",
        head.unwrap_or_default(),
        latest.commit,
        touched
            .iter()
            .map(|t| format!("{}:{}:{}", t.path, t.at, t.size))
            .collect::<Vec<_>>()
            .join(",")
    );
    Ok(Some((
        latest,
        Moved {
            what: what.join("; "),
            state,
        },
    )))
}

/// What to tell an agent whose work moved past the packet: what moved and the exact commands.
fn advice(branch: &str, p: &Packet, actor: &str, what: &str) -> String {
    let mut hand_on = match p.control.lane {
        Some(Lane::Plan) => format!("git handoff pass --to execute --as {actor}"),
        Some(Lane::Execute) => format!("git handoff pass --to audit --as {actor}"),
        Some(Lane::Audit) => format!(
            "git handoff review --approve --as {actor} (or --revise --finding \"major: …\")"
        ),
        _ => format!("git handoff pass --to <lane> --as {actor}"),
    };
    if let Some(owner) = p.control.owner.as_deref().filter(|o| *o != actor) {
        hand_on = format!(
            "{hand_on} (the work is held by {owner}: git handoff take --force --why \"…\" --as {actor} first)"
        );
    }
    format!(
        "The handoff packet of {branch} (r{}) does not describe the latest work: {what}. Record it: \
         git handoff update --as {actor} --done \"…\" --next \"…\" (decisions: --decision \"what :: why\"; \
         dead ends: --rejected \"what :: why\"). When your part is done: {hand_on}.",
        p.revision
    )
}

/// Records that a stop was blocked for `state`; false when the last block was for the same
/// state (never block twice in a row for it).
fn remember_block(repo: &Repo, state: &str) -> anyhow::Result<bool> {
    let file = repo.git_dir().join("handoff-agent-stop");
    if std::fs::read_to_string(&file).is_ok_and(|last| last.trim_end() == state) {
        return Ok(false);
    }
    std::fs::write(&file, format!("{state}\n"))?;
    Ok(true)
}
