//! `git handoff sync`: pull, then push.

use serde::Serialize;

use super::push::{branches, TravelArgs};
use crate::cli::Format;
use crate::output::Output;
use crate::sync;

/// What `sync --format json` reports.
#[derive(Serialize)]
struct SyncView<'a> {
    remote: &'a str,
    pulled: &'a [sync::BranchPulled],
    pushed: &'a [sync::RefPushed],
    retries: u32,
}

pub fn cmd_sync(args: &TravelArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let remote = sync::remote(&repo, args.remote.as_deref())?;
    let selected = branches(&repo, &args.branches, args.all)?;
    let selection = if args.all {
        None
    } else {
        Some(selected.as_slice())
    };
    let writer = crate::clock::WriterCell::new(&repo);
    let mut notices = Vec::new();
    let pulled = sync::pull(
        &repo,
        &remote,
        selection,
        &args.allow_secret,
        &writer,
        &mut notices,
    );
    out.tell(&notices);
    let pulled = pulled?;
    let selected = branches(&repo, &args.branches, args.all)?; // --all: include what pull created
    let mut notices = Vec::new();
    let pushed = sync::push(
        &repo,
        &remote,
        &selected,
        &args.allow_secret,
        &writer,
        &mut notices,
    );
    out.tell(&notices);
    let pushed = pushed?;
    if format == Format::Json {
        out.json(&SyncView {
            remote: &remote.name,
            pulled: &pulled.branches,
            pushed: &pushed.refs,
            retries: pushed.retries,
        })?;
    }
    sync::refuse_left_aside(&pulled, &remote)?;
    if !pushed.notes_ok {
        return Err(crate::error::UserError::refused(format!(
            "the notes were not pushed to {}: its notes were left aside (the warning above says why)",
            remote.name
        ))
        .hint(format!(
            "the packets went; the notes follow once {0}'s notes pass the checks: have them repaired there, then git handoff sync {0}",
            remote.name
        ))
        .into());
    }
    Ok(())
}
