//! `git handoff show`: print a branch's packet, one of its revisions, or a commit's note.

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::error::{user_error, UserError};
use crate::output::Output;
use crate::packet::{self, Packet};
use crate::repo::Repo;
use crate::store::{self, Chain, Revision};

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A branch (or remote/branch), a commit, or a packet id; the current branch by default
    #[arg(value_name = "BRANCH|COMMIT|ID")]
    pub target: Option<String>,
    /// Show this revision of the branch's packet instead of the latest
    #[arg(long, value_name = "N|N@CONTENT")]
    pub revision: Option<String>,
}

/// What a writing command stored, for its `--format json`.
#[derive(Serialize)]
pub struct Written {
    id: String,
    revision: u64,
    branch: String,
    commit: String,
    blob: String,
}

/// Summarizes a stored revision.
pub fn revision_summary(revision: &Revision) -> Written {
    Written {
        id: revision.packet.id.clone(),
        revision: revision.packet.revision,
        branch: revision.packet.branch.clone(),
        commit: revision.commit.to_string(),
        blob: revision.blob.to_string(),
    }
}

pub fn cmd_show(args: &ShowArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let (packet, conflicts) = resolve(&repo, args, out)?;
    for conflict in &conflicts {
        out.warn(&format!(
            "unreviewed merge conflict: both sides changed {conflict}"
        ));
    }
    if let Some(first) = conflicts.first() {
        let field = first.split(':').next().unwrap_or_default();
        let set = match packet::Field::named(field).and_then(packet::Field::flag) {
            Some(flag) => format!("git handoff update --{flag} \"…\""),
            None => "git handoff edit".to_string(),
        };
        out.hint(&format!(
            "keep the merged value with any git handoff update (restating it is enough), or set the other one: {set}"
        ));
    }
    match format {
        Format::Json => out.json(&packet::to_json(&packet)),
        Format::Md => out.data(&packet::to_markdown(&packet)),
        _ => out.data(&packet::to_toml(&packet)),
    }
}

/// Finds the packet and, for a branch tip that is an unreviewed merge, its conflicts.
fn resolve(repo: &Repo, args: &ShowArgs, out: &Output) -> anyhow::Result<(Packet, Vec<String>)> {
    let name = match &args.target {
        Some(name) => name.clone(),
        None => super::current_branch(
            repo,
            "git handoff show <branch>, or git handoff show HEAD for the commit's note",
        )?,
    };
    if let Some(chain) = store::resolve_chain(repo, &name)? {
        super::announce_fetched(repo, out, &name, &chain);
        if chain.remote.is_none() && args.revision.is_none() {
            if let Some((remote, _)) = super::fetched_ahead(repo, &name)? {
                out.warn(&format!(
                    "{name}: {remote} holds revisions of this packet that yours lacks; git handoff pull {remote} merges them (so does your next update)"
                ));
            }
        }
        return chain_packet(repo, &chain, args.revision.as_deref());
    }
    if let Some(commit) = repo.resolve_commit(&name) {
        if args.revision.is_some() {
            return user_error(
                format!("{name} is a commit; --revision applies to a branch's packet"),
                "git handoff show <branch> --revision N",
            );
        }
        let short = crate::repo::short(commit);
        let Some((blob, remote)) = store::note_anywhere(repo, commit)? else {
            return user_error(
                format!("commit {short} has no handoff note"),
                format!("git handoff pull brings fetched notes in; git handoff note {name} --branch <branch> attaches the packet of the branch it was made on"),
            );
        };
        let packet = store::read_note(repo, blob)?;
        if let Some(remote) = remote {
            out.status(&format!(
                "{short}: reading the note fetched from {remote}; git handoff pull makes it yours"
            ));
        }
        if args.target.is_none() || repo.is_branch(&name) {
            out.warn(&format!(
                "{name} has no packet of its own; showing the note of its tip {short}: {} r{} of branch {}",
                packet.id, packet.revision, packet.branch
            ));
        }
        return Ok((packet, Vec::new()));
    }
    if let Some(chain) = chain_with_id(repo, &name)? {
        return chain_packet(repo, &chain, args.revision.as_deref());
    }
    if let Some(hint) = super::fetched_in_the_way(repo, &name)? {
        return user_error(format!("no packet for {name} here"), &hint);
    }
    let hint = if args.target.is_none() {
        "start one: git handoff start --goal \"…\" --accept \"…\""
    } else {
        "git handoff list shows every packet"
    };
    user_error(
        format!("no packet for {name}: not a branch with a packet, a commit or a packet id"),
        hint,
    )
}

/// Finds the chain whose latest revision carries packet id `id`, local chains first.
fn chain_with_id(repo: &Repo, id: &str) -> anyhow::Result<Option<Chain>> {
    for chain in store::list_chains(repo)? {
        let Some(tip) = store::tip(repo, &chain.refname)? else {
            continue;
        };
        if store::read_revision(repo, tip).is_ok_and(|r| r.packet.id == id) {
            return Ok(Some(chain));
        }
    }
    Ok(None)
}

fn chain_packet(
    repo: &Repo,
    chain: &Chain,
    revision: Option<&str>,
) -> anyhow::Result<(Packet, Vec<String>)> {
    if let Some(text) = revision {
        let selector = super::parse_selector(text)?;
        let found = super::pick_revision(repo, chain, &selector, |name| {
            format!("git handoff show {} --revision {name}", chain.branch)
        })?;
        return Ok((found.packet, Vec::new()));
    }
    let tip = store::tip(repo, &chain.refname)?.ok_or_else(|| {
        UserError::new(format!("{} has no packet", chain.branch))
            .hint("git handoff list shows every packet")
    })?;
    let latest = store::read_revision(repo, tip)?;
    Ok((latest.packet, latest.conflicts))
}
