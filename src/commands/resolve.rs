//! `git handoff resolve`: mark review findings resolved, recording who and at which commit.

use clap::Args;
use serde::Serialize;

use super::act::{Acting, AsArg, Done};
use crate::handoff;
use crate::output::Output;

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true))]
pub struct ResolveArgs {
    /// The ids of the findings (git handoff show lists them)
    #[arg(value_name = "ID", group = "which")]
    pub ids: Vec<String>,
    /// Resolve every open finding
    #[arg(long, group = "which")]
    pub all: bool,
    /// What was done about them
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub actor: AsArg,
}

/// What `resolve` did, for `--format json`.
#[derive(Serialize)]
struct Resolved {
    resolved: Vec<String>,
    open: usize,
}

pub fn cmd_resolve(args: &ResolveArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let acting = Acting::open(&repo, &args.actor)?;
    let mut done = Vec::new();
    let ids = (!args.all).then_some(args.ids.as_slice());
    let revision = acting.write_always(out, |packet, _, act| {
        done = handoff::resolve(packet, ids, args.note.as_deref(), act)?;
        Ok(format!("resolve {} by {}", done.join(" "), act.actor))
    })?;
    let p = &revision.packet;
    let open = p.findings.iter().filter(|f| !f.resolved).count();
    out.status(&format!(
        "resolved {} in {} (r{} on {}); {open} still open",
        done.join(", "),
        p.id,
        p.revision,
        p.branch
    ));
    if format == crate::cli::Format::Json {
        out.json(&Done::new(
            Some(&revision),
            Resolved {
                resolved: done.clone(),
                open,
            },
        ))?;
    }
    Ok(())
}
