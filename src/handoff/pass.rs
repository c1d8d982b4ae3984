//! `pass` (a transfer of control, one hop) and `take` (claiming or resuming, no hop).

use super::{lane_name, Act, Refusal, ESCALATE};
use crate::packet::{
    blank_fields, Handover, HandoverKind, Lane, Packet, Severity, Status, VerdictKind,
};
use crate::policy::Policy;

/// What `pass` asks for.
#[derive(Debug, Clone, Copy)]
pub struct PassRequest<'a> {
    pub to: Lane,
    pub owner: Option<&'a str>,
    pub why: Option<&'a str>,
    pub reset_budget: bool,
    /// Whether the branch tip was made under the latest revision (see `gate::covers`).
    pub tip_current: bool,
    /// Whether the branch has a commit (an unborn branch has nothing to review).
    pub has_commit: bool,
}

/// Passes control to `req.to`: one hop (one cycle too when audit returns work to execute),
/// after the kill conditions and the receiving lane's needs are checked.
pub fn pass(
    p: &mut Packet,
    policy: &Policy,
    req: &PassRequest<'_>,
    act: &Act<'_>,
) -> Result<(), Refusal> {
    let (from_lane, from_owner) = (p.control.lane, p.control.owner.clone());
    if req.owner.is_some_and(|o| o.trim().is_empty()) {
        return Err(Refusal::new(
            "--owner is blank",
            "name who receives the work, or leave --owner out for the lane's default",
        ));
    }
    let owner = req
        .owner
        .map(|o| o.trim().to_string())
        .or_else(|| default_owner(p, req.to));
    let why = req.why.map(str::trim).filter(|w| !w.is_empty());
    refuse_early(p, req, act, owner.as_deref(), why)?;
    let returning = from_lane == Some(Lane::Audit) && req.to == Lane::Execute;
    if req.to != Lane::Supervise && !req.reset_budget {
        kill_conditions(p, policy, returning)?;
    }
    let missing = needs(p, policy, req, act.actor);
    if !missing.is_empty() {
        return Err(Refusal::new(
            format!(
                "the packet is not ready for the {} lane: {}",
                req.to.as_str(),
                missing
                    .iter()
                    .map(|(what, _)| what.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            missing
                .iter()
                .map(|(_, fix)| fix.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    if req.reset_budget {
        (p.control.hops, p.control.cycles) = (0, 0);
        p.control.resets += 1;
    }
    // Escalation is always open: at the limit it does not count past it.
    let limit = policy.hop_limit(p.control.max_hops);
    if p.control.hops < limit {
        p.control.hops += 1;
    }
    if returning {
        p.control.cycles += 1;
    }
    if from_lane == Some(Lane::Execute) {
        // Whoever held the execute lane did the work; without an owner, the one passing it on.
        p.control.executor = from_owner.clone().or_else(|| Some(act.actor.to_string()));
    }
    if req.to == Lane::Execute && owner.is_some() {
        p.control.executor.clone_from(&owner);
    }
    p.state.status = status_on_arrival(p, policy, req.to);
    p.control.lane = Some(req.to);
    p.control.owner.clone_from(&owner);
    p.control.handover = Some(Handover {
        kind: HandoverKind::Pass,
        by: act.actor.to_string(),
        at: act.at,
        from_lane,
        to_lane: Some(req.to),
        from_owner,
        to_owner: owner,
        why: why.map(str::to_string),
        reset_budget: req.reset_budget,
    });
    Ok(())
}

/// The refusals that need no look at the packet's contents: nothing changing hands, a sideways
/// switch without a reason, a reset from outside the supervise lane, a pass by someone who does
/// not hold the work.
fn refuse_early(
    p: &Packet,
    req: &PassRequest<'_>,
    act: &Act<'_>,
    owner: Option<&str>,
    why: Option<&str>,
) -> Result<(), Refusal> {
    let (from_lane, from_owner) = (p.control.lane, p.control.owner.as_deref());
    if from_lane == Some(req.to) && owner == from_owner {
        return Err(Refusal::new(
            format!(
                "nothing changes hands: the work is already in the {} lane with {}",
                req.to.as_str(),
                from_owner.unwrap_or("no owner")
            ),
            "name another lane (--to) or owner (--owner); to resume your own work, git handoff take",
        ));
    }
    if from_lane == Some(req.to) && why.is_none() {
        return Err(Refusal::new(
            format!(
                "a change of owner within the {} lane needs a reason",
                req.to.as_str()
            ),
            format!(
                "say why the switch is justified: git handoff pass --to {} --owner {} --why \"…\"",
                req.to.as_str(),
                owner.unwrap_or("NAME")
            ),
        ));
    }
    if req.reset_budget && (from_lane != Some(Lane::Supervise) || from_owner != Some(act.actor)) {
        return Err(Refusal::new(
            format!(
                "only the holder of the supervise lane may reset the hop and cycle budgets (the work is in the {} lane, held by {})",
                lane_name(from_lane),
                from_owner.unwrap_or("nobody")
            ),
            format!("escalate first ({ESCALATE}); the supervisor takes it (git handoff take) and passes it on with --reset-budget"),
        ));
    }
    // Only the holder passes the work on; escalation is open to anyone.
    if let Some(holder) = from_owner.filter(|h| *h != act.actor) {
        if req.to != Lane::Supervise {
            return Err(Refusal::new(
                format!(
                    "{holder} holds the work (in the {} lane); only the holder passes it on",
                    lane_name(from_lane)
                ),
                format!(
                    "ask {holder} to pass it, take it over first (git handoff take --force --why \"…\"), or escalate: {ESCALATE}"
                ),
            ));
        }
    }
    Ok(())
}

/// Who receives the work when `--owner` does not say: the reviewer for audit, the last executor
/// for execute, nobody (anyone may take it) elsewhere.
fn default_owner(p: &Packet, to: Lane) -> Option<String> {
    match to {
        Lane::Audit => p.control.reviewer.clone(),
        Lane::Execute => p.control.executor.clone(),
        Lane::Plan | Lane::Supervise => None,
    }
}

/// Refuses a pass past the hop limit, or a return past the cycle limit.
pub(super) fn kill_conditions(p: &Packet, policy: &Policy, returning: bool) -> Result<(), Refusal> {
    // The cap on returns is the more specific of the two: it speaks first.
    if returning && p.control.cycles + 1 > policy.max_cycles {
        return Err(Refusal::new(
            format!(
                "the work has gone back from review {} times; another return would exceed max-cycles = {}",
                p.control.cycles, policy.max_cycles
            ),
            format!("a supervisor decides whether to re-plan or accept: {ESCALATE}"),
        ));
    }
    let limit = policy.hop_limit(p.control.max_hops);
    if p.control.hops + 1 > limit {
        return Err(Refusal::new(
            format!(
                "the work has changed hands {} times; another pass would exceed the hop limit of {limit}",
                p.control.hops
            ),
            format!("a supervisor decides what happens next: {ESCALATE}"),
        ));
    }
    Ok(())
}

/// What the receiving lane needs and the packet lacks, each with the command that fills it.
fn needs(p: &Packet, policy: &Policy, req: &PassRequest<'_>, actor: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut need = |what: &str, fix: &str| out.push((what.to_string(), fix.to_string()));
    match req.to {
        Lane::Execute => {
            if p.artifacts.is_empty() && p.state.next.is_empty() {
                need(
                    "no artifact and no next step",
                    "git handoff update --next \"…\" (or --artifact \"PATH :: why\")",
                );
            }
        }
        Lane::Audit => {
            if p.validation.command.is_none() {
                need(
                    "no validation command",
                    "git handoff update --validate \"CMD\"",
                );
            }
            if p.state.done.is_empty() {
                need("nothing done", "git handoff update --done \"…\"");
            }
            match p.control.reviewer.as_deref() {
                None => need("no reviewer", "git handoff update --reviewer NAME"),
                Some(r) if r == actor || req.owner == Some(actor) => need(
                    "the reviewer is the passer",
                    "name someone else: git handoff update --reviewer NAME",
                ),
                Some(_) => {}
            }
            if !req.has_commit {
                need(
                    "no commit to review",
                    "commit the work first, then git handoff update --done \"…\"",
                );
            } else if !req.tip_current {
                need(
                    "the tip was made after the latest revision",
                    "git handoff update --done \"…\" --next \"…\" on the tip",
                );
            }
        }
        Lane::Plan | Lane::Supervise => {}
    }
    for field in blank_fields(p, policy.pass_requires(req.to)) {
        let fix = match crate::packet::Field::named(field).and_then(crate::packet::Field::flag) {
            Some(flag) => format!("git handoff update --{flag} …"),
            None => "git handoff edit".to_string(),
        };
        out.push((format!("{field} is empty (policy)"), fix));
    }
    out
}

/// The status a lane receives work in.
fn status_on_arrival(p: &Packet, policy: &Policy, to: Lane) -> Status {
    match to {
        Lane::Audit => Status::InReview,
        Lane::Execute => {
            let revised = p
                .verdicts
                .last()
                .is_some_and(|v| v.verdict == VerdictKind::Revise);
            if revised {
                Status::ChangesRequested
            } else {
                Status::InProgress
            }
        }
        Lane::Plan | Lane::Supervise => {
            let open_blocker = p
                .findings
                .iter()
                .any(|f| !f.resolved && f.severity == Severity::Blocker);
            let spent = p.control.hops >= policy.hop_limit(p.control.max_hops)
                || p.control.cycles >= policy.max_cycles;
            if !p.state.blockers.is_empty() || open_blocker || (to == Lane::Supervise && spent) {
                Status::Blocked
            } else {
                Status::Ready
            }
        }
    }
}

/// What `take` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The actor already held the work: nothing to write.
    AlreadyHeld,
    /// The actor now holds it; `from` is the previous owner of a takeover.
    Claimed { from: Option<String> },
}

/// Claims the work (or resumes it) for the actor, without a hop: refused when someone else holds
/// it unless `force`, which records a takeover naming the previous owner.
pub fn take(
    p: &mut Packet,
    lane: Option<Lane>,
    force: bool,
    why: Option<&str>,
    act: &Act<'_>,
) -> Result<Taken, Refusal> {
    let current = p.control.lane;
    if let (Some(want), Some(have)) = (lane, current) {
        if want != have {
            return Err(Refusal::new(
                format!(
                    "the work is in the {} lane; taking it in the {} lane is a switch, not a resume",
                    have.as_str(),
                    want.as_str()
                ),
                format!(
                    "pass it: git handoff pass --to {} --owner {} --why \"…\"",
                    want.as_str(),
                    act.actor
                ),
            ));
        }
    }
    let owner = p.control.owner.clone();
    let mine = owner.as_deref() == Some(act.actor);
    if mine && (lane.is_none() || current.is_some()) {
        return Ok(Taken::AlreadyHeld);
    }
    let takeover = owner.is_some() && !mine;
    if let (Some(holder), false, false) = (&owner, mine, force) {
        return Err(Refusal::new(
            format!(
                "{holder} holds the work (in the {} lane)",
                lane_name(current)
            ),
            format!(
                "ask {holder} to pass it (git handoff pass --to {} --owner {} --why \"…\"), or take it over: git handoff take --force --why \"…\"",
                lane_name(current.or(lane)),
                act.actor
            ),
        ));
    }
    let to = lane.or(current);
    if to == Some(Lane::Execute) {
        p.control.executor = Some(act.actor.to_string());
    }
    if matches!(p.state.status, Status::Draft | Status::Ready) && to != Some(Lane::Audit) {
        p.state.status = Status::InProgress;
    }
    p.control.lane = to;
    p.control.owner = Some(act.actor.to_string());
    p.control.handover = Some(Handover {
        kind: if takeover {
            HandoverKind::Takeover
        } else {
            HandoverKind::Take
        },
        by: act.actor.to_string(),
        at: act.at,
        from_lane: current,
        to_lane: to,
        from_owner: owner.clone(),
        to_owner: Some(act.actor.to_string()),
        why: why
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string),
        reset_budget: false,
    });
    Ok(Taken::Claimed {
        from: owner.filter(|_| takeover),
    })
}
