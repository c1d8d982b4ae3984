//! `git handoff diff`: field-level changes between two revisions of a branch's packet.

use std::fmt::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::packet::{self, FieldChange};
use crate::repo::Repo;
use crate::store::{self, Chain, Revision};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older revision (`N`, `rN` or `N@CONTENT`); the one before `REV_B` by default
    #[arg(value_name = "REV_A")]
    pub rev_a: Option<String>,
    /// The newer revision; the latest by default
    #[arg(value_name = "REV_B")]
    pub rev_b: Option<String>,
    /// The branch whose packet to compare; the current branch by default
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
}

/// What changed between two revisions.
#[derive(Serialize)]
struct Diff<'a> {
    from: u64,
    to: u64,
    /// `N@<content id>`: names each revision even where two clones wrote the same number.
    from_name: String,
    to_name: String,
    changes: &'a [FieldChange],
}

pub fn cmd_diff(args: &DiffArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let (branch, chain) = super::chain_of(
        &repo,
        out,
        args.branch.as_deref(),
        "git handoff diff --branch <branch>",
    )?;
    let newer = match &args.rev_b {
        Some(rev) => revision(&repo, &chain, rev)?,
        None => latest(&repo, &chain)?,
    };
    let older = match &args.rev_a {
        Some(rev) => revision(&repo, &chain, rev)?,
        None => match newer.parents.first() {
            Some(parent) => store::read_revision(&repo, *parent)?,
            None => {
                return Err(UserError::refused(format!(
                    "{branch} has only revision {}; nothing to compare",
                    newer.packet.revision
                ))
                .hint("git handoff show prints it")
                .into())
            }
        },
    };
    let changes = packet::diff(&older.packet, &newer.packet);
    let (a, b) = (older.packet.revision, newer.packet.revision);
    if format == Format::Json {
        return out.json(&Diff {
            from: a,
            to: b,
            from_name: super::revision_name(&older),
            to_name: super::revision_name(&newer),
            changes: &changes,
        });
    }
    // A number two clones both wrote is shown with the content id that tells them apart.
    let numbers: Vec<u64> = (store::history(&repo, &chain.refname)?.iter())
        .map(|r| r.packet.revision)
        .collect();
    let name = |r: &Revision| {
        if numbers.iter().filter(|n| **n == r.packet.revision).count() > 1 {
            format!("r{}", super::revision_name(r))
        } else {
            format!("r{}", r.packet.revision)
        }
    };
    let mut text = format!("{}..{}\n", name(&older), name(&newer));
    for change in &changes {
        let _ = match change {
            FieldChange::Changed { field, old, new } => writeln!(text, "~ {field}: {old} -> {new}"),
            FieldChange::Added { field, item } => writeln!(text, "+ {field}: {item}"),
            FieldChange::Removed { field, item } => writeln!(text, "- {field}: {item}"),
        };
    }
    out.data(&text)
}

fn latest(repo: &Repo, chain: &Chain) -> anyhow::Result<Revision> {
    let tip = store::tip(repo, &chain.refname)?
        .ok_or_else(|| UserError::new(format!("{} has no packet", chain.branch)))?;
    store::read_revision(repo, tip)
}

fn revision(repo: &Repo, chain: &Chain, text: &str) -> anyhow::Result<Revision> {
    let selector = super::parse_selector(text)?;
    super::pick_revision(repo, chain, &selector, |name| {
        format!(
            "git handoff diff --branch {} with {name} in place of {text}",
            chain.branch
        )
    })
}
