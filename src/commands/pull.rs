//! `git handoff pull`: fetch packet chains and notes and merge them into the local ones.

use serde::Serialize;

use super::push::{branches, TravelArgs};
use crate::cli::Format;
use crate::output::Output;
use crate::sync;

/// What `pull --format json` reports.
#[derive(Serialize)]
struct PullView<'a> {
    remote: &'a str,
    branches: &'a [sync::BranchPulled],
    notes_left_aside: bool,
}

pub fn cmd_pull(args: &TravelArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let remote = sync::remote(&repo, args.remote.as_deref())?;
    let selection = if args.all {
        None
    } else {
        Some(branches(&repo, &args.branches, false)?)
    };
    let mut notices = Vec::new();
    let writer = crate::clock::WriterCell::new(&repo);
    let pulled = sync::pull(
        &repo,
        &remote,
        selection.as_deref(),
        &args.allow_secret,
        &writer,
        &mut notices,
    );
    out.tell(&notices);
    let pulled = pulled?;
    if format == Format::Json {
        out.json(&PullView {
            remote: &remote.name,
            branches: &pulled.branches,
            notes_left_aside: pulled.notes_left_aside,
        })?;
    }
    sync::refuse_left_aside(&pulled, &remote)
}
