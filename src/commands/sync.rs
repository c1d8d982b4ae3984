//! `git handoff sync`: pull, then push.

use serde_json::json;

use super::push::TravelArgs;
use super::travel;
use crate::cli::Format;
use crate::output::Output;

pub fn cmd_sync(args: &TravelArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format(Format::Human, &[Format::Human, Format::Json])?;
    let repo = super::open()?;
    let remote = travel::remote(&repo, args.remote.as_deref())?;
    let branches = travel::branches(&repo, &args.branches, args.all)?;
    let selection = if args.all {
        None
    } else {
        Some(branches.as_slice())
    };
    let pulled = travel::pull(&repo, out, &remote, selection)?;
    let branches = travel::branches(&repo, &args.branches, args.all)?; // --all: include what pull created
    let pushed = travel::push(&repo, out, &remote, &branches, &args.allow_secret)?;
    if format == Format::Json {
        out.json(&json!({ "remote": remote.name, "pulled": pulled.rows, "pushed": pushed.rows, "retries": pushed.retries }))?;
    }
    travel::refuse_left_aside(&pulled, &remote)
}
