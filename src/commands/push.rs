//! `git handoff push`: push packet chains and notes, merging and retrying on rejection.

use clap::Args;
use serde_json::json;

use super::travel;
use crate::cli::Format;
use crate::output::Output;

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
    /// Push a revision holding a string the secret scan flags, by its fingerprint
    #[arg(long, value_name = "FINGERPRINT")]
    pub allow_secret: Vec<String>,
}

pub fn cmd_push(args: &TravelArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format(Format::Human, &[Format::Human, Format::Json])?;
    let repo = super::open()?;
    let remote = travel::remote(&repo, args.remote.as_deref())?;
    let branches = travel::branches(&repo, &args.branches, args.all)?;
    let pushed = travel::push(&repo, out, &remote, &branches, &args.allow_secret)?;
    out.status(&format!(
        "pushed {} to {} ({} retries)",
        branches
            .iter()
            .map(|m| m.local.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        remote.name,
        pushed.retries
    ));
    if format == Format::Json {
        out.json(&json!({ "remote": remote.name, "pushed": pushed.rows, "retries": pushed.retries, "notes_ok": pushed.notes_ok }))?;
    }
    Ok(())
}
