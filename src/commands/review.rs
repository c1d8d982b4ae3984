//! `git handoff review`: record a verdict on the branch tip, approving it or sending it back
//! with findings.

use clap::Args;
use serde::Serialize;

use super::act::{Acting, AsArg, Done};
use crate::error::UserError;
use crate::handoff::{self, ReviewRequest};
use crate::output::Output;
use crate::packet::VerdictKind;

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("verdict").required(true))]
pub struct ReviewArgs {
    /// Approve the tip (its commit and tree)
    #[arg(long, group = "verdict")]
    pub approve: bool,
    /// Send the work back to its executor with findings
    #[arg(long, group = "verdict")]
    pub revise: bool,
    /// A finding: "SEVERITY: [PATH[:LINE]:] MESSAGE" (blocker, major or minor); repeatable
    #[arg(long, value_name = "FINDING")]
    pub finding: Vec<String>,
    /// A note recorded with the verdict
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub actor: AsArg,
}

/// What `review` did, for `--format json`.
#[derive(Serialize)]
struct Reviewed<'a> {
    verdict: &'static str,
    reviewer: &'a str,
    commit: &'a str,
    tree: &'a str,
    findings: Vec<String>,
    status: &'static str,
    owner: Option<&'a str>,
    cycles: u32,
}

pub fn cmd_review(args: &ReviewArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let findings = args
        .finding
        .iter()
        .map(|f| handoff::parse_finding(f))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            UserError::new(format!("--finding: {e}"))
                .hint("git handoff review --revise --finding \"major: src/x.rs:12: what is wrong\"")
        })?;
    let verdict = if args.approve {
        VerdictKind::Approve
    } else {
        VerdictKind::Revise
    };
    let repo = super::open()?;
    let acting = Acting::open(&repo, &args.actor)?;
    let mut added = Vec::new();
    let revision = acting.write_always(out, |packet, _, act| {
        let request = ReviewRequest {
            verdict,
            findings: findings.clone(),
            note: args.note.as_deref(),
        };
        added = handoff::review(packet, &acting.policy, request, act)?;
        Ok(match verdict {
            VerdictKind::Approve => format!("review approve by {}", act.actor),
            VerdictKind::Revise => format!(
                "review revise by {}: {} finding(s) {}",
                act.actor,
                added.len(),
                added.join(" ")
            ),
        })
    })?;
    let p = &revision.packet;
    let Some(v) = p.verdicts.last() else {
        anyhow::bail!("the verdict was not recorded");
    };
    match verdict {
        VerdictKind::Approve => out.status(&format!(
            "{} approved {} at {} (r{} on {})",
            v.reviewer,
            p.id,
            crate::repo::short(&v.commit),
            p.revision,
            p.branch
        )),
        VerdictKind::Revise => out.status(&format!(
            "{} sent {} back to {} with {} finding(s) ({}): cycle {}, hop {}/{} (r{} on {})",
            v.reviewer,
            p.id,
            p.control.owner.as_deref().unwrap_or("the execute lane"),
            added.len(),
            added.join(", "),
            p.control.cycles,
            p.control.hops,
            p.control.max_hops,
            p.revision,
            p.branch
        )),
    }
    if format == crate::cli::Format::Json {
        out.json(&Done::new(
            Some(&revision),
            Reviewed {
                verdict: verdict.as_str(),
                reviewer: &v.reviewer,
                commit: &v.commit,
                tree: &v.tree,
                findings: added.clone(),
                status: p.state.status.as_str(),
                owner: p.control.owner.as_deref(),
                cycles: p.control.cycles,
            },
        ))?;
    }
    Ok(())
}
