//! `git handoff start`: mint a packet for the current branch and write its first revision.

use std::path::PathBuf;

use clap::Args;

use super::fields::FieldArgs;
use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::packet::{self, Status};

#[derive(Debug, Args)]
pub struct StartArgs {
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Take the packet body from a TOML or JSON file (- for stdin); flags apply on top
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Replace an open packet on this branch with a new one
    #[arg(long)]
    pub new: bool,
}

pub fn cmd_start(args: &StartArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let target = super::write_target(&repo)?;
    let writer = crate::clock::WriterCell::acting(&repo, args.fields.actor.name.as_deref());
    // An open packet fetched for this branch is continued, not started again beside it; the
    // refusal comes before anything is written.
    if let Some((remote, p)) = super::fetched_packet(&repo, &target.branch)? {
        if p.state.status != Status::Done && !args.new {
            return Err(UserError::refused(format!(
                "branch {} already has an open packet {} (r{}, {}), fetched from {remote}",
                target.branch,
                p.id,
                p.revision,
                p.state.status.as_str()
            ))
            .hint(format!(
                "git handoff pull {remote} takes it in; then continue it with git handoff update …"
            ))
            .into());
        }
    }
    let adopted = super::adopt_fetched(&repo, &writer, out, &target.branch)?;
    let draft = args
        .from
        .as_deref()
        .map(|p| super::read_draft(p, true))
        .transpose()?
        .unwrap_or_default();
    let changes = args.fields.changes()?;
    let id = crate::clock::mint_id();
    let revision = super::write_checked(
        &repo,
        &args.fields.allow_secret,
        &target.branch,
        "start",
        |current| {
            if let Some(Ok(cur)) = current {
                if cur.packet.state.status != Status::Done && !args.new {
                    return Err(UserError::refused(format!(
                    "branch {} already has an open packet {} (r{}, {})",
                    target.branch,
                    cur.packet.id,
                    cur.packet.revision,
                    cur.packet.state.status.as_str()
                ))
                .hint("continue it with git handoff update …, or replace it with git handoff start --new …")
                .into());
                }
            }
            let header = super::next_header(writer.get()?, &target, id.clone(), current)?;
            let mut packet = draft.clone().into_packet(header);
            crate::handoff::fresh_record(&mut packet);
            for change in &changes {
                change.apply(&mut packet).map_err(UserError::new)?;
            }
            packet::validate(&packet).map_err(|e| {
                UserError::new(format!("cannot start: {e}"))
                    .hint("git handoff start --goal \"…\" --accept \"…\" (or --from FILE)")
            })?;
            Ok(packet)
        },
    )?;
    adopted.keep();
    let p = &revision.packet;
    out.status(&format!("started {} r{} on {}", p.id, p.revision, p.branch));
    if crate::policy::load(&repo)?.is_exempt(&p.branch) {
        out.warn(&format!(
            "{} is exempt by policy: its commits are not gated and the review check skips it; work usually goes on a branch of its own (git switch -c <branch>)",
            p.branch
        ));
    }
    if format == Format::Json {
        out.json(&super::show::revision_summary(&revision))?;
    }
    Ok(())
}
