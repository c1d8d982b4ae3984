//! `git handoff export`: the packet as HANDOFF.md, in fixed sections inside a managed block.

use std::path::PathBuf;

use clap::Args;

use crate::error::UserError;
use crate::handoff_md;
use crate::output::Output;
use crate::store;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The branch (or remote/branch); the current branch by default
    #[arg(value_name = "BRANCH")]
    pub branch: Option<String>,
    /// Write into FILE (its text outside the block is kept) instead of printing the block
    #[arg(long, value_name = "FILE")]
    pub to: Option<PathBuf>,
}

pub fn cmd_export(args: &ExportArgs, out: &Output) -> anyhow::Result<()> {
    out.format()?;
    let repo = super::open()?;
    let (_, chain) = super::chain_of(
        &repo,
        out,
        args.branch.as_deref(),
        "git handoff export <branch> [--to HANDOFF.md]",
    )?;
    let tip = store::tip(&repo, &chain.refname)?.ok_or_else(|| {
        UserError::new(format!("{} has no packet", chain.branch))
            .hint("git handoff list shows every packet")
    })?;
    let revision = store::read_revision(&repo, tip)?;
    let block = handoff_md::export(&revision.packet);
    let Some(path) = &args.to else {
        return out.data(&block);
    };
    super::writable_place(path)?;
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(
                UserError::new(format!("cannot read {}: {e}", path.display()))
                    .hint("name a readable text file, or leave out --to to print the block")
                    .into(),
            )
        }
    };
    let unclosed = existing
        .lines()
        .position(|l| l.trim_end().starts_with(handoff_md::BEGIN_PREFIX))
        .is_some_and(|b| {
            !existing
                .lines()
                .skip(b)
                .any(|l| l.trim_end() == handoff_md::END)
        });
    if unclosed {
        return Err(UserError::new(format!(
            "{} holds the block's first line without its last ({})",
            path.display(),
            handoff_md::END
        ))
        .hint("put the end line back after the block, or delete what is left of the block, then export again")
        .into());
    }
    let text = handoff_md::place(&existing, &block);
    crate::atomic::write(path, &text).map_err(|e| {
        UserError::new(format!("cannot write {}: {e}", path.display()))
            .hint("name a file in a directory you can write to")
    })?;
    let p = &revision.packet;
    out.status(&format!(
        "exported {} r{} to {}",
        p.id,
        p.revision,
        path.display()
    ));
    Ok(())
}
