//! `git handoff pull`: fetch packet chains and notes and merge them into the local ones.

use serde_json::json;

use super::push::{branches, TravelArgs};
use crate::cli::Format;
use crate::output::Output;
use crate::sync;

pub fn cmd_pull(args: &TravelArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format(Format::Human, &[Format::Human, Format::Json])?;
    let repo = super::open()?;
    let remote = sync::remote(&repo, args.remote.as_deref())?;
    let selection = if args.all {
        None
    } else {
        Some(branches(&repo, &args.branches, false)?)
    };
    let pulled = sync::pull(&repo, &remote, selection.as_deref())?;
    out.tell(&pulled.notices);
    if format == Format::Json {
        out.json(&json!({
            "remote": remote.name,
            "branches": pulled.branches,
            "notes_left_aside": pulled.notes_left_aside,
        }))?;
    }
    sync::refuse_left_aside(&pulled, &remote)
}
