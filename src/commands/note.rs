//! `git handoff note`: attach the current packet revision to a commit as its note.

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::error::user_error;
use crate::output::Output;
use crate::store;

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// The commit to annotate; HEAD by default
    #[arg(value_name = "COMMIT", default_value = "HEAD")]
    pub commit: String,
    /// Take the packet of this branch instead of the current one
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
}

/// The note attached.
#[derive(Serialize)]
struct Attached<'a> {
    commit: String,
    id: &'a str,
    revision: u64,
    blob: String,
    /// False when the commit already carried this note.
    changed: bool,
}

pub fn cmd_note(args: &NoteArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let branch = match &args.branch {
        Some(b) => b.clone(),
        None => super::write_target(&repo)?.branch,
    };
    let Some(tip) = store::tip(&repo, &store::chain_ref(&branch))? else {
        if let Some((remote, _)) = super::fetched_packet(&repo, &branch)? {
            return user_error(
                format!("branch {branch} has no packet of its own to attach; one was fetched from {remote}"),
                format!("git handoff pull {remote} takes it in; then run this again"),
            );
        }
        return user_error(
            format!("branch {branch} has no packet to attach"),
            "start one on the branch the work belongs to: git handoff start --goal \"…\" --accept \"…\"; or name it: --branch <branch>",
        );
    };
    let Some(commit) = repo.resolve_commit(&args.commit) else {
        return user_error(
            format!("{} does not name a commit", args.commit),
            "give a commit: git handoff note <commit> (HEAD by default; an unborn branch has none yet)",
        );
    };
    let revision = store::read_revision(&repo, tip)?;
    let p = &revision.packet;
    let changed = store::attach_note(&repo, commit, revision.blob, p)?;
    let verb = if changed {
        "attached"
    } else {
        "already attached"
    };
    out.status(&format!(
        "{verb} {} r{} to {}",
        p.id,
        p.revision,
        crate::repo::short(commit)
    ));
    if format == Format::Json {
        out.json(&Attached {
            commit: commit.to_string(),
            id: &p.id,
            revision: p.revision,
            blob: revision.blob.to_string(),
            changed,
        })?;
    }
    Ok(())
}
