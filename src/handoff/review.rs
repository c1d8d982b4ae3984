//! `review` (a verdict on the tip, with findings) and `resolve` (the executor's answer to them).

use super::pass::kill_conditions;
use super::{lane_name, Act, ParsedFinding, Refusal};
use crate::packet::{
    Finding, Handover, HandoverKind, Lane, Packet, Severity, Status, Verdict, VerdictKind,
};
use crate::policy::Policy;

/// What `review` asks for.
#[derive(Debug, Clone)]
pub struct ReviewRequest<'a> {
    pub verdict: VerdictKind,
    pub findings: Vec<ParsedFinding>,
    pub note: Option<&'a str>,
}

/// Records a verdict on the tip (its commit and tree). `revise` needs a finding and returns the
/// work to its last executor (one hop, one cycle); `approve` is refused while a blocker or major
/// finding is open, and to the last executor unless policy allows self-approval. Returns the ids
/// of the findings added.
pub fn review(
    p: &mut Packet,
    policy: &Policy,
    req: ReviewRequest<'_>,
    act: &Act<'_>,
) -> Result<Vec<String>, Refusal> {
    let (Some(commit), Some(tree)) = (act.head, act.tree) else {
        return Err(Refusal::new(
            "nothing to review: the branch has no commit yet",
            "review once there is work committed",
        ));
    };
    if !matches!(p.control.lane, Some(Lane::Audit | Lane::Supervise)) {
        return Err(Refusal::new(
            format!(
                "the work is in the {} lane; reviews happen in the audit lane",
                lane_name(p.control.lane)
            ),
            "the executor passes it for review: git handoff pass --to audit",
        ));
    }
    if p.control.lane == Some(Lane::Supervise) && p.control.owner.as_deref() != Some(act.actor) {
        return Err(Refusal::new(
            "the work is escalated to the supervise lane; only its holder gives a verdict there",
            "the supervisor takes it first: git handoff take",
        ));
    }
    if let Some(holder) = p.control.owner.as_deref().filter(|h| *h != act.actor) {
        return Err(Refusal::new(
            format!("{holder} holds the review; only the holder gives the verdict"),
            format!(
                "{holder} reviews it, or take the review over first: git handoff take --force --why \"…\""
            ),
        ));
    }
    let (findings, added) = add_findings(&p.findings, req.findings, act.actor, commit);
    let note = req.note.map(str::trim).filter(|n| !n.is_empty());
    match req.verdict {
        VerdictKind::Revise => {
            if added.is_empty() {
                return Err(Refusal::new(
                    "a revise verdict needs at least one new finding",
                    "say what to change: git handoff review --revise --finding \"major: src/x.rs:12: what is wrong\"",
                ));
            }
            kill_conditions(p, policy, true)?;
            p.findings = findings;
            let (from_lane, from_owner) = (p.control.lane, p.control.owner.clone());
            let to = p.control.executor.clone();
            p.control.hops += 1;
            p.control.cycles += 1;
            p.control.lane = Some(Lane::Execute);
            p.control.owner.clone_from(&to);
            p.state.status = Status::ChangesRequested;
            p.control.handover = Some(Handover {
                kind: HandoverKind::Return,
                by: act.actor.to_string(),
                at: act.at,
                from_lane,
                to_lane: Some(Lane::Execute),
                from_owner,
                to_owner: to,
                why: Some(note.map_or_else(
                    || format!("{} finding(s) to fix", added.len()),
                    str::to_string,
                )),
                reset_budget: false,
            });
        }
        VerdictKind::Approve => {
            let open: Vec<String> = findings
                .iter()
                .filter(|f| !f.resolved && f.severity <= Severity::Major)
                .map(describe)
                .collect();
            if !open.is_empty() {
                return Err(Refusal::new(
                    format!("cannot approve while findings are open: {}", open.join("; ")),
                    "the executor resolves them (git handoff resolve ID), or send the work back: git handoff review --revise --finding \"…\"",
                ));
            }
            if p.control.executor.as_deref() == Some(act.actor) && !policy.allow_self_approval {
                return Err(Refusal::new(
                    format!("{} executed this work and cannot approve it", act.actor),
                    "another reviewer approves: git handoff update --reviewer NAME, then NAME runs git handoff take --force and git handoff review --approve (policy allow-self-approval = true permits it)",
                ));
            }
            p.findings = findings;
            p.state.status = Status::Approved;
        }
    }
    p.verdicts.push(Verdict {
        verdict: req.verdict,
        reviewer: act.actor.to_string(),
        commit: commit.to_string(),
        tree: tree.to_string(),
        at: act.at,
        note: note.map(str::to_string),
    });
    Ok(added)
}

/// The findings after a review adds `parsed` (a finding raised again after it was resolved on
/// the same commit opens again), and the ids it added or reopened.
fn add_findings(
    existing: &[Finding],
    parsed: Vec<ParsedFinding>,
    reviewer: &str,
    commit: &str,
) -> (Vec<Finding>, Vec<String>) {
    let mut added = Vec::new();
    let mut findings = existing.to_vec();
    for parsed in parsed {
        let finding = parsed.into_finding(reviewer, commit, &findings);
        let id = finding.id.clone().unwrap_or_default();
        match findings.iter_mut().find(|f| f.id == finding.id) {
            Some(existing) if existing.resolved => {
                *existing = finding;
                added.push(id);
            }
            Some(_) => {}
            None => {
                findings.push(finding);
                added.push(id);
            }
        }
    }
    (findings, added)
}

/// Names a finding for a message: `f1a2b3c4 major src/x.rs:12: text`.
fn describe(f: &Finding) -> String {
    let at = f.location().map_or(String::new(), |l| format!(" {l}:"));
    format!(
        "{} {}{at} {}",
        f.id.as_deref().unwrap_or("(no id)"),
        f.severity.as_str(),
        f.message
    )
}

/// Marks findings resolved (by id, or every open one for `None`), recording who, at which commit
/// and the note; returns the ids resolved.
pub fn resolve(
    p: &mut Packet,
    ids: Option<&[String]>,
    note: Option<&str>,
    act: &Act<'_>,
) -> Result<Vec<String>, Refusal> {
    let open_ids = || -> String {
        let open: Vec<&str> = p
            .findings
            .iter()
            .filter(|f| !f.resolved)
            .filter_map(|f| f.id.as_deref())
            .collect();
        if open.is_empty() {
            "no finding is open".to_string()
        } else {
            format!("open: {}", open.join(", "))
        }
    };
    let targets: Vec<usize> = match ids {
        None => (0..p.findings.len())
            .filter(|i| !p.findings[*i].resolved)
            .collect(),
        Some(ids) => {
            let mut out = Vec::new();
            for id in ids {
                let found = p.findings.iter().position(|f| {
                    f.id.as_deref()
                        .is_some_and(|x| x.eq_ignore_ascii_case(id.trim()))
                });
                match found {
                    None => {
                        return Err(Refusal::new(
                            format!("the packet has no finding {id:?}"),
                            format!("{}; git handoff show lists them", open_ids()),
                        ))
                    }
                    Some(i) if p.findings[i].resolved => {
                        return Err(Refusal::new(
                            format!("finding {id} is already resolved"),
                            open_ids(),
                        ))
                    }
                    Some(i) => out.push(i),
                }
            }
            out
        }
    };
    if targets.is_empty() {
        return Err(Refusal::new(
            "no finding is open",
            "nothing to resolve; git handoff show lists the findings",
        ));
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let mut done = Vec::new();
    for i in targets {
        let f = &mut p.findings[i];
        f.resolved = true;
        f.resolved_by = Some(act.actor.to_string());
        f.resolved_commit = act.head.map(str::to_string);
        f.resolution = note.map(str::to_string);
        done.push(f.id.clone().unwrap_or_else(|| f.message.clone()));
    }
    Ok(done)
}
