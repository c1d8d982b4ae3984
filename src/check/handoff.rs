//! Checks on the handoff records: review cycles, open findings, an approval for another tree,
//! an original intent that changed.

use super::{Problem, Stale};
use crate::packet::{Packet, Severity, Status, VerdictKind};
use crate::policy::Policy;
use crate::repo::short;

/// Review returns stay within policy's `max-cycles`.
pub fn cycles(policy: &Policy, p: &Packet) -> Option<Problem> {
    (p.control.cycles > policy.max_cycles).then(|| {
        Problem::error(
            "cycles",
            format!(
                "the work went back from review {} times, over max-cycles = {}",
                p.control.cycles, policy.max_cycles
            ),
            format!("a supervisor decides: {}", crate::handoff::ESCALATE),
        )
    })
}

/// Open findings other than blockers (which `blockers` reports): major ones fail, minor ones warn.
pub fn findings(p: &Packet) -> Vec<Problem> {
    p.findings
        .iter()
        .filter(|f| !f.resolved && f.severity != Severity::Blocker)
        .map(|f| {
            let id = f.id.as_deref().unwrap_or("(no id)");
            let at = f
                .path
                .as_deref()
                .map_or(String::new(), |p| format!(" ({p})"));
            let message = format!(
                "open {} finding {id}: {}{at}",
                f.severity.as_str(),
                f.message
            );
            let hint = format!("fix it, then git handoff resolve {id}");
            if f.severity == Severity::Major {
                Problem::error("findings", message, hint)
            } else {
                Problem::warning("findings", message, hint)
            }
        })
        .collect()
}

/// An approval is for the tree reviewed: once the tip moves on, it is stale. An error where
/// policy lets branches merge only approved (no `in-review` among the merge statuses), else a
/// warning.
pub fn approval(policy: &Policy, p: &Packet, stale: Option<Stale>) -> Option<Problem> {
    let approved = p
        .verdicts
        .last()
        .filter(|v| v.verdict == VerdictKind::Approve);
    let Some(verdict) = approved else {
        return (p.state.status == Status::Approved).then(|| {
            Problem::warning(
                "approval",
                "the status says approved, but no review verdict approves the work",
                "the reviewer records it: git handoff review --approve",
            )
        });
    };
    let count = match stale? {
        Stale::Since(n) => format!("{n} commit{} since", if n == 1 { "" } else { "s" }),
        Stale::Elsewhere => "the tip is not below it".to_string(),
    };
    let message = format!(
        "approved at {} by {}, {count}: the approval is not for the tip's tree",
        short(&verdict.commit),
        verdict.reviewer
    );
    let hint = if p.control.lane == Some(crate::packet::Lane::Audit) {
        "the reviewer reviews the tip again: git handoff review --approve (or --revise --finding \"…\")"
    } else {
        "send the tip for review: git handoff pass --to audit, then git handoff review --approve"
    };
    if policy.merge_statuses.contains(&Status::InReview) {
        Some(Problem::warning("approval", message, hint))
    } else {
        Some(Problem::error("approval", message, hint))
    }
}

/// The original intent stays as started: a change the supervise lane recorded warns, any other
/// fails.
pub fn intent_changed(p: &Packet, original: Option<&str>) -> Option<Problem> {
    let original = original?;
    if p.task.intent.as_deref() == Some(original) {
        return None;
    }
    let recorded =
        p.decisions.iter().rev().find(|d| {
            d.what.starts_with("intent restated") || d.what.starts_with("intent dropped")
        });
    let message = format!("the original intent changed since start (was: {original})");
    Some(match recorded {
        Some(d) => Problem::warning(
            "intent-changed",
            format!("{message}; recorded: {}", d.why),
            "nothing to do if the change was meant",
        ),
        None => Problem::error(
            "intent-changed",
            message,
            "restore it with git handoff update --intent \"…\", or have the supervise lane restate it with --why",
        ),
    })
}
