//! `git handoff take`: claim the branch's work, or resume it, without a hop.

use clap::Args;
use serde::Serialize;

use super::act::{one_line, Acting, AsArg, Done};
use crate::handoff::{self, lane_name, Taken};
use crate::output::Output;
use crate::packet::Lane;

#[derive(Debug, Args)]
pub struct TakeArgs {
    /// The lane to take it in (refused when the work is in another lane: that is a pass)
    #[arg(long, value_enum, value_name = "LANE")]
    pub lane: Option<Lane>,
    /// Take it although someone else holds it (recorded as a takeover)
    #[arg(long)]
    pub force: bool,
    /// Why (recorded with a takeover)
    #[arg(long, value_name = "TEXT")]
    pub why: Option<String>,
    #[command(flatten)]
    pub actor: AsArg,
}

/// What `take` did, for `--format json`.
#[derive(Serialize)]
struct Claim<'a> {
    owner: &'a str,
    lane: &'static str,
    /// The previous owner, when this was a takeover.
    #[serde(skip_serializing_if = "Option::is_none")]
    took_over_from: Option<String>,
    already_held: bool,
}

pub fn cmd_take(args: &TakeArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let acting = Acting::open(&repo, &args.actor)?;
    let mut taken = Taken::AlreadyHeld;
    let revision = acting.write(out, |packet, _, act| {
        taken = handoff::take(packet, args.lane, args.force, args.why.as_deref(), act)?;
        let lane = lane_name(packet.control.lane);
        Ok(match &taken {
            Taken::AlreadyHeld => None,
            Taken::Claimed { from: None } => Some(format!("take {lane} by {}", act.actor)),
            Taken::Claimed { from: Some(from) } => {
                let why = args
                    .why
                    .as_deref()
                    .map_or(String::new(), |w| format!(": {}", one_line(w)));
                Some(format!("takeover {lane} from {from} by {}{why}", act.actor))
            }
        })
    })?;
    let actor = &acting.writer.get()?.actor;
    let lane = match &revision {
        Some(r) => r.packet.control.lane,
        None => acting.latest()?.packet.control.lane,
    };
    match (&revision, &taken) {
        (Some(r), Taken::Claimed { from }) => out.status(&format!(
            "{actor} holds {} in the {} lane{} (r{} on {})",
            r.packet.id,
            lane_name(lane),
            from.as_deref()
                .map_or(String::new(), |f| format!(", taken over from {f}")),
            r.packet.revision,
            r.packet.branch
        )),
        _ => out.status(&format!(
            "{actor} already holds it in the {} lane; nothing written",
            lane_name(lane)
        )),
    }
    if format == crate::cli::Format::Json {
        out.json(&Done::new(
            revision.as_ref(),
            Claim {
                owner: actor,
                lane: lane_name(lane),
                took_over_from: match &taken {
                    Taken::Claimed { from } => from.clone(),
                    Taken::AlreadyHeld => None,
                },
                already_held: taken == Taken::AlreadyHeld,
            },
        ))?;
    }
    Ok(())
}
