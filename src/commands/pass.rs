//! `git handoff pass`: hand control of the branch's work to another lane or owner.

use clap::Args;
use serde::Serialize;

use super::act::{one_line, Acting, AsArg, Done};
use crate::handoff::{self, lane_name, PassRequest};
use crate::output::Output;
use crate::packet::Lane;

#[derive(Debug, Args)]
pub struct PassArgs {
    /// The lane that receives the work
    #[arg(long, value_enum, value_name = "LANE")]
    pub to: Lane,
    /// Who receives it (default: the reviewer for audit, the last executor for execute)
    #[arg(long, value_name = "WHO")]
    pub owner: Option<String>,
    /// Why the work changes hands (needed for a new owner within the same lane)
    #[arg(long, value_name = "TEXT")]
    pub why: Option<String>,
    /// Reset the hop and cycle budgets (only by the holder of the supervise lane)
    #[arg(long)]
    pub reset_budget: bool,
    #[command(flatten)]
    pub actor: AsArg,
}

/// What `pass` did, for `--format json`.
#[derive(Serialize)]
struct Passed<'a> {
    from: &'static str,
    to: &'static str,
    owner: Option<&'a str>,
    hops: u32,
    max_hops: u32,
    cycles: u32,
    status: &'static str,
}

pub fn cmd_pass(args: &PassArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let acting = Acting::open(&repo, &args.actor)?;
    let revision = acting.write_always(out, |packet, cur, act| {
        let from = packet.control.lane;
        // Judged on the revision the pass builds on, after revisions fetched are taken in.
        let request = PassRequest {
            to: args.to,
            owner: args.owner.as_deref(),
            why: args.why.as_deref(),
            reset_budget: args.reset_budget,
            tip_current: args.to != Lane::Audit || acting.tip_current(cur)?,
            has_commit: acting.head.is_some(),
        };
        handoff::pass(packet, &acting.policy, &request, act)?;
        let why = args
            .why
            .as_deref()
            .map_or(String::new(), |w| format!(": {}", one_line(w)));
        Ok(format!(
            "pass {}→{} by {}{why}",
            lane_name(from),
            args.to.as_str(),
            act.actor
        ))
    })?;
    let p = &revision.packet;
    let h = p.control.handover.as_ref();
    out.status(&format!(
        "passed {} from {} to {} ({}), r{} on {}: hop {}/{}, status {}",
        p.id,
        lane_name(h.and_then(|h| h.from_lane)),
        args.to.as_str(),
        p.control.owner.as_deref().unwrap_or("anyone may take it"),
        p.revision,
        p.branch,
        p.control.hops,
        p.control.max_hops,
        p.state.status.as_str()
    ));
    if args.to == Lane::Audit {
        if let Some(doubt) = proof_doubt(&p.validation, acting.tree.as_deref()) {
            out.warn(&format!(
                "{doubt}; the reviewer will see it (git handoff validate runs it on the tip)"
            ));
        }
    }
    if format == crate::cli::Format::Json {
        out.json(&Done::new(
            Some(&revision),
            Passed {
                from: lane_name(h.and_then(|h| h.from_lane)),
                to: args.to.as_str(),
                owner: p.control.owner.as_deref(),
                hops: p.control.hops,
                max_hops: p.control.max_hops,
                cycles: p.control.cycles,
                status: p.state.status.as_str(),
            },
        ))?;
    }
    Ok(())
}

/// What is doubtful about the proof a pass to audit carries, if anything.
fn proof_doubt(v: &crate::packet::Validation, tip_tree: Option<&str>) -> Option<String> {
    use crate::packet::{Outcome, Provenance};
    let command = v.command.as_deref().unwrap_or("the validation");
    match (v.result, v.source, v.tree.as_deref()) {
        (Outcome::Unknown, ..) => Some(format!("`{command}` has not been run")),
        (Outcome::Fail, ..) => Some(format!("`{command}` failed when last run")),
        (_, Some(Provenance::Run), tree) if tree != tip_tree => {
            Some(format!("`{command}` passed on another tree than the tip's"))
        }
        (_, Some(Provenance::Run), _) => None,
        _ => Some(format!(
            "`{command}` was reported to pass, not run by git handoff validate"
        )),
    }
}
