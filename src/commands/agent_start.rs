//! What `git handoff agent session-start` injects: the brief of the current branch for the
//! acting agent's lane and one line per packet waiting for the agent elsewhere, in one piece
//! within the runtime's context budget.

use crate::agents::io::Reply;
use crate::agents::Runtime;
use crate::brief::{self, Style};
use crate::packet::{Lane, Status};
use crate::repo::Repo;
use crate::store;
use crate::waiting;

/// The most lines about other branches.
const MAX_WAITING: usize = 8;
/// Room kept for the lines around the brief, in bytes.
const FRAME: usize = 600;

pub(crate) fn session_start(
    repo: &Repo,
    runtime: Runtime,
    branch: &str,
    actor: &str,
) -> anyhow::Result<Reply> {
    let policy = crate::policy::load(repo)?;
    let cap = runtime.context_budget();
    let waiting = waiting_elsewhere(repo, branch, actor)?;
    let start = format!("git handoff start --goal \"…\" --accept \"…\" --as {actor}");
    let chain = if policy.is_exempt(branch) {
        None
    } else {
        store::resolve_chain(repo, branch)?
    };
    let mut head = Vec::new();
    let mut body = String::new();
    match chain {
        _ if policy.is_exempt(branch) => head.push(format!(
            "git-handoff: {branch} needs no handoff packet (the policy exempts it); on a work branch start one: {start}"
        )),
        None => head.push(format!(
            "git-handoff: {branch} has no handoff packet yet; start one: {start}"
        )),
        Some(chain) => {
            let tokens = policy
                .brief_tokens
                .min(cap.saturating_sub(FRAME) / 4)
                .max(brief::MIN_TOKENS);
            let p = store::tip(repo, &chain.refname)?
                .map(|t| store::read_revision(repo, t))
                .transpose()?;
            let lane = p.as_ref().and_then(|r| {
                let reviews = r.packet.control.reviewer.as_deref() == Some(actor);
                (reviews && r.packet.state.status == Status::InReview).then_some(Lane::Audit)
            });
            let made = super::brief::brief_of(repo, &policy, branch, &chain, lane, tokens, Style::Text)?;
            let Some((revision, b)) = made else {
                return Ok(Reply::Nothing);
            };
            head.push(format!(
                "git-handoff: the handoff packet of {branch} (r{}). You act as {actor}: give --as {actor} to every git handoff command that writes.",
                revision.packet.revision
            ));
            if let Some(remote) = chain.remote.as_ref().filter(|_| chain.branch != branch) {
                head.push(format!(
                    "It was fetched from {remote}: git handoff pull makes it yours before you write."
                ));
            }
            body = brief::render(&b, Style::Text);
        }
    }
    let mut text = format!("{}\n", head.join("\n"));
    if !body.is_empty() {
        text.push('\n');
        text.push_str(body.trim_end());
        text.push('\n');
    }
    if !waiting.is_empty() {
        let mut lines = vec!["\nWaiting for you elsewhere:".to_string()];
        lines.extend(waiting);
        for line in lines {
            if text.len() + line.len() + 1 > cap {
                break;
            }
            text.push_str(&line);
            text.push('\n');
        }
    }
    Ok(Reply::Context(text.trim_end().to_string()))
}

/// One line per packet on another branch that waits for `actor`, local ones before fetched
/// copies of branches with no local packet; at most [`MAX_WAITING`] and a count of the rest.
fn waiting_elsewhere(repo: &Repo, branch: &str, actor: &str) -> anyhow::Result<Vec<String>> {
    let chains = store::list_chains(repo)?;
    let mut seen: Vec<String> = vec![branch.to_string()];
    let mut lines = Vec::new();
    let mut more = 0;
    for chain in chains
        .iter()
        .filter(|c| c.remote.is_none())
        .chain(chains.iter().filter(|c| c.remote.is_some()))
    {
        let name = match &chain.remote {
            Some(remote) => chain
                .branch
                .strip_prefix(&format!("{remote}/"))
                .unwrap_or(&chain.branch)
                .to_string(),
            None => chain.branch.clone(),
        };
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let Some(tip) = store::tip(repo, &chain.refname)? else {
            continue;
        };
        let Ok(revision) = store::read_revision(repo, tip) else {
            continue;
        };
        let p = &revision.packet;
        let Some(why) = waiting::waits_for(p, actor) else {
            continue;
        };
        if lines.len() == MAX_WAITING {
            more += 1;
            continue;
        }
        let goal: String = p.task.goal.chars().take(80).collect();
        let cut = if goal.len() < p.task.goal.len() {
            "…"
        } else {
            ""
        };
        lines.push(format!("- {} ({}): {goal}{cut}", chain.branch, why.words()));
    }
    if more > 0 {
        lines.push(format!("- +{more} more: git handoff list"));
    }
    Ok(lines)
}
