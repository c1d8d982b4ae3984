//! `git handoff inbox`: what waits for the actor across every packet, local and fetched.

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::error::UserError;
use crate::output::{align, Output};
use crate::packet::Lane;
use crate::repo::Repo;
use crate::views::inbox::{self, Asker, Facts, Flag, Reason};
use crate::views::{self, Seen};

#[derive(Debug, Args)]
pub struct InboxArgs {
    #[command(flatten)]
    pub actor: super::act::AsArg,
    /// Also what sits in this lane with no owner (default: git config handoff.lane)
    #[arg(long, value_enum, value_name = "LANE")]
    pub lane: Option<Lane>,
    /// Every open packet, whoever it waits for
    #[arg(long)]
    pub all: bool,
}

/// One line of the inbox.
#[derive(Serialize)]
struct Entry {
    branch: String,
    id: String,
    revision: u64,
    status: &'static str,
    goal: String,
    lane: Option<&'static str>,
    owner: Option<String>,
    reviewer: Option<String>,
    reason: Reason,
    flags: Vec<Flag>,
    updated: String,
    age_seconds: i64,
    /// `local` and the remotes a copy was read from.
    sources: Vec<String>,
    #[serde(rename = "ref")]
    refname: String,
    #[serde(skip)]
    rank: u8,
}

pub fn cmd_inbox(args: &InboxArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let author = repo.identity().unwrap_or_default();
    let actor = crate::clock::actor(&repo, args.actor.name.as_deref(), &author)?;
    let lane = match args.lane {
        Some(lane) => Some(lane),
        None => configured_lane(&repo)?,
    };
    let policy = crate::policy::load(&repo)?;
    let now = crate::clock::now()?.seconds();
    let asker = Asker {
        actor: &actor,
        lane,
    };
    let mut entries = Vec::new();
    for seen in views::gather(&repo, &mut |w| out.warn(&w))? {
        let facts = seen.facts(&repo, &policy, now);
        // An approval the tip has moved past waits for its reviewer again.
        let reapprove = seen.packet.state.status == crate::packet::Status::Approved
            && inbox::flags(&seen.packet, &facts).contains(&Flag::ApprovalStale);
        let reason = match inbox::reason(&seen.packet, asker) {
            Some(reason) => reason,
            None if reapprove
                && seen.packet.control.reviewer.as_deref() == Some(actor.as_str()) =>
            {
                Reason::Review
            }
            None if args.all && (reapprove || !inbox::is_finished(&seen.packet)) => Reason::Other,
            None => continue,
        };
        entries.push(entry(seen, reason, &facts));
    }
    entries.sort_by(|a, b| (a.rank, b.age_seconds).cmp(&(b.rank, a.age_seconds)));
    if format == Format::Json {
        return out.json(&entries);
    }
    if entries.is_empty() {
        out.status(&format!("nothing waits for {actor}"));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = entries.iter().map(cells).collect();
    out.data(&align(&rows))
}

fn entry(seen: Seen, reason: Reason, facts: &Facts) -> Entry {
    let p = seen.packet;
    let flags = inbox::flags(&p, facts);
    Entry {
        branch: seen.branch,
        rank: inbox::rank(p.state.status),
        status: p.state.status.as_str(),
        goal: p.task.goal,
        lane: p.control.lane.map(Lane::as_str),
        owner: p.control.owner,
        reviewer: p.control.reviewer,
        reason,
        flags,
        updated: p.updated.to_string(),
        age_seconds: facts.now - p.updated.seconds(),
        id: p.id,
        revision: p.revision,
        sources: seen.sources,
        refname: seen.chain.refname,
    }
}

fn configured_lane(repo: &Repo) -> anyhow::Result<Option<Lane>> {
    let Some(text) = repo.config_string("handoff.lane") else {
        return Ok(None);
    };
    clap::ValueEnum::from_str(text.trim(), true)
        .map(Some)
        .map_err(|_| {
            UserError::new(format!(
                "git config handoff.lane: {:?} is not a lane",
                crate::escape::terminal(&text)
            ))
            .hint("set one of plan, execute, audit, supervise: git config handoff.lane execute")
            .into()
        })
}

const GOAL_CHARS: usize = 60;

fn cells(e: &Entry) -> Vec<String> {
    let goal = views::headline(&e.goal, GOAL_CHARS);
    let holder = format!(
        "{}/{}",
        e.lane.unwrap_or("-"),
        e.owner.as_deref().unwrap_or("-")
    );
    let mut notes: Vec<String> = e.flags.iter().map(|f| f.as_str().to_string()).collect();
    if e.sources.iter().any(|s| s != views::LOCAL) {
        notes.push(format!("from {}", e.sources.join("+")));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("[{}]", notes.join(", "))
    };
    vec![
        e.status.to_string(),
        e.branch.clone(),
        holder,
        inbox::age(e.age_seconds),
        e.reason.as_str().to_string(),
        goal,
        notes,
    ]
}
