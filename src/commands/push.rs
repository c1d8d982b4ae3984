//! `git handoff push`: push packet chains and notes, merging and retrying on rejection.

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::output::Output;
use crate::repo::Repo;
use crate::store;
use crate::sync::{self, Mapping};

#[derive(Debug, Args)]
pub struct TravelArgs {
    /// The remote (name or URL); the branch's upstream remote, else origin, by default
    #[arg(value_name = "REMOTE")]
    pub remote: Option<String>,
    /// Branches whose packets travel; the current branch by default
    #[arg(value_name = "BRANCH")]
    pub branches: Vec<String>,
    /// Every packet chain
    #[arg(long, conflicts_with = "branches")]
    pub all: bool,
    /// Let a revision holding a string the secret scan flags travel (out, or in from the remote), by
    /// its fingerprint
    #[arg(long, value_name = "FINGERPRINT")]
    pub allow_secret: Vec<String>,
}

/// What `push --format json` reports.
#[derive(Serialize)]
struct PushView<'a> {
    remote: &'a str,
    pushed: &'a [sync::RefPushed],
    retries: u32,
    notes_ok: bool,
}

pub fn cmd_push(args: &TravelArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let remote = sync::remote(&repo, args.remote.as_deref())?;
    let branches = branches(&repo, &args.branches, args.all)?;
    let mut notices = Vec::new();
    let writer = crate::clock::WriterCell::new(&repo);
    let pushed = sync::push(
        &repo,
        &remote,
        &branches,
        &args.allow_secret,
        &writer,
        &mut notices,
    );
    out.tell(&notices);
    let pushed = pushed?;
    out.status(&format!(
        "pushed {} to {} ({})",
        branches
            .iter()
            .map(|m| m.local.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        remote.name,
        crate::output::count(pushed.retries as usize, "retry", "retries")
    ));
    if format == Format::Json {
        out.json(&PushView {
            remote: &remote.name,
            pushed: &pushed.refs,
            retries: pushed.retries,
            notes_ok: pushed.notes_ok,
        })?;
    }
    if !pushed.notes_ok {
        return Err(crate::error::UserError::refused(format!(
            "the notes were not pushed to {}: its notes were left aside (the warning above says why)",
            remote.name
        ))
        .hint(format!(
            "the packets went; the notes follow once {0}'s notes pass the checks: have them repaired there, then git handoff push {0}",
            remote.name
        ))
        .into());
    }
    Ok(())
}

/// Returns the branches to act on: the ones named, all local chains with `--all`, or the current.
pub(super) fn branches(repo: &Repo, named: &[String], all: bool) -> anyhow::Result<Vec<Mapping>> {
    let selected: Vec<String> = if all {
        store::list_chains(repo)?
            .into_iter()
            .filter(|c| c.remote.is_none())
            .map(|c| c.branch)
            .collect()
    } else if !named.is_empty() {
        named.to_vec()
    } else {
        vec![super::current_branch(
            repo,
            "name the branches: git handoff push <remote> <branch>…, or --all",
        )?]
    };
    Ok(selected.iter().map(|n| Mapping::same(n)).collect())
}
