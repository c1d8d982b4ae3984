//! `git handoff pull`: fetch packet chains and notes and merge them into the local ones.

use serde_json::json;

use super::push::TravelArgs;
use super::travel;
use crate::cli::Format;
use crate::output::Output;

pub fn cmd_pull(args: &TravelArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format(Format::Human, &[Format::Human, Format::Json])?;
    let repo = super::open()?;
    let remote = travel::remote(&repo, args.remote.as_deref())?;
    let selection = if args.all {
        None
    } else {
        Some(travel::branches(&repo, &args.branches, false)?)
    };
    let pulled = travel::pull(&repo, out, &remote, selection.as_deref())?;
    if format == Format::Json {
        out.json(&json!({
            "remote": remote.name,
            "branches": pulled.rows,
            "notes_left_aside": pulled.notes_left_aside,
        }))?;
    }
    travel::refuse_left_aside(&pulled, &remote)
}
