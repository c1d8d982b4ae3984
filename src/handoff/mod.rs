//! The handoff rules: passing control between lanes, taking it, reviewing, resolving findings,
//! recording validation, and the original intent. Pure: each rule takes the current packet, the
//! policy and the act (who, when, at which commit) and either changes the packet or refuses with
//! what is wrong and the command that fixes it.

mod finding;
mod pass;
mod review;

pub use finding::{parse_finding, ParsedFinding};
pub use pass::{pass, take, PassRequest, Taken};
pub use review::{resolve, review, ReviewRequest};

use crate::packet::{Lane, Packet, Reason, Timestamp};

/// A declined request: exit 1, the message and its `hint:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

impl Refusal {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl From<Refusal> for anyhow::Error {
    fn from(r: Refusal) -> anyhow::Error {
        crate::error::UserError::refused(r.message)
            .hint(r.hint)
            .into()
    }
}

/// Who acts, when, and on what: HEAD's commit and tree (`None` on an unborn branch).
#[derive(Debug, Clone, Copy)]
pub struct Act<'a> {
    pub actor: &'a str,
    pub at: crate::packet::Timestamp,
    pub head: Option<&'a str>,
    pub tree: Option<&'a str>,
}

/// The escalation every kill condition points at.
pub const ESCALATE: &str = "git handoff pass --to supervise --why \"…\"";

/// Returns the lane's name, or `-` when the packet names none.
pub fn lane_name(lane: Option<Lane>) -> &'static str {
    lane.map_or("-", Lane::as_str)
}

/// The original request is fixed at `start`: recording one where there was none is allowed;
/// changing or dropping it takes the supervise lane's holder and a reason, which is returned as
/// the decision to record.
pub fn intent_change(
    current: &Packet,
    next: &Packet,
    actor: &str,
    why: Option<&str>,
    at: Timestamp,
) -> Result<Option<Reason>, Refusal> {
    let (Some(old), new) = (&current.task.intent, &next.task.intent) else {
        return Ok(None);
    };
    if Some(old) == new.as_ref() {
        return Ok(None);
    }
    let supervising = current.control.lane == Some(Lane::Supervise)
        && current.control.owner.as_deref() == Some(actor);
    if !supervising {
        return Err(Refusal::new(
            "task.intent is the original request: it stays as it was at start",
            "put the change in the goal (--goal \"…\"); only whoever holds the supervise lane may restate the intent, with --why (git handoff pass --to supervise --why \"…\", then git handoff take)",
        ));
    }
    let Some(why) = why.map(str::trim).filter(|w| !w.is_empty()) else {
        return Err(Refusal::new(
            "changing task.intent needs a reason",
            "say why: git handoff update --intent \"…\" --why \"…\"",
        ));
    };
    let what = match new {
        Some(new) => format!("intent restated: {new}"),
        None => "intent dropped".to_string(),
    };
    Ok(Some(Reason {
        what,
        why: format!("{why} ({actor}, {at})"),
    }))
}

/// Clears the handoff records a body brought from elsewhere (`start --from`, `import --start`):
/// a new packet has changed hands no times and nobody has reviewed it, whatever its source says.
pub fn fresh_record(p: &mut Packet) {
    let c = &mut p.control;
    c.hops = 0;
    c.cycles = 0;
    c.resets = 0;
    c.executor = None;
    c.handover = None;
    p.verdicts.clear();
}

/// Fills in the handoff records a file given to `update --from` leaves out (a body written from
/// scratch rarely carries them): they stay as the current packet has them.
pub fn carry_records(current: &Packet, next: &mut Packet) {
    if next.control.lane.is_none() && next.control.owner.is_none() {
        next.control.lane = current.control.lane;
        next.control.owner.clone_from(&current.control.owner);
    }
    let n = &next.control;
    if n.hops == 0 && n.cycles == 0 && n.executor.is_none() && n.handover.is_none() {
        let c = &current.control;
        next.control.hops = c.hops;
        next.control.cycles = c.cycles;
        next.control.resets = c.resets;
        next.control.executor.clone_from(&c.executor);
        next.control.handover.clone_from(&c.handover);
    }
    if next.verdicts.is_empty() {
        next.verdicts.clone_from(&current.verdicts);
    }
    for f in current.findings.iter().filter(|f| f.id.is_some()) {
        if !next.findings.iter().any(|x| x.id == f.id) {
            next.findings.push(f.clone());
        }
    }
}

/// The handoff records (hops, cycles, executor, the last change of hands, verdicts, findings with
/// ids) change only through the handoff commands: `update --from` and `edit` may not rewrite
/// them, or the kill conditions and the review record would be a text edit away.
pub fn records_kept(current: &Packet, next: &Packet, actor: &str) -> Result<(), Refusal> {
    let (c, n) = (&current.control, &next.control);
    // While someone holds the work, it changes hands only by pass and take.
    if let Some(holder) = c.owner.as_deref() {
        if (c.lane, c.owner.as_deref()) != (n.lane, n.owner.as_deref()) {
            let hint = if holder == actor {
                "hand it on with git handoff pass --to LANE [--owner WHO]".to_string()
            } else {
                format!("{holder} passes it (git handoff pass), or take it over: git handoff take --force --why \"…\"")
            };
            return Err(Refusal::new(
                format!("{holder} holds the work: its lane and owner change by pass and take"),
                hint,
            ));
        }
    }
    let differs = [
        ("control.hops", c.hops != n.hops),
        ("control.cycles", c.cycles != n.cycles),
        ("control.resets", c.resets != n.resets),
        ("control.executor", c.executor != n.executor),
        ("control.handover", c.handover != n.handover),
        ("verdicts", current.verdicts != next.verdicts),
    ];
    let mut changed: Vec<&str> = differs
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect();
    let kept = current
        .findings
        .iter()
        .filter(|f| f.id.is_some())
        .all(|f| next.findings.contains(f));
    let invented = next
        .findings
        .iter()
        .filter(|f| f.id.is_some())
        .any(|f| !current.findings.iter().any(|c| c.id == f.id));
    if !kept || invented {
        changed.push("findings");
    }
    if changed.is_empty() {
        return Ok(());
    }
    Err(Refusal::new(
        format!(
            "{} change only through pass, take, review and resolve",
            changed.join(", ")
        ),
        "leave them as they are in the file; git handoff pass, review and resolve record those changes",
    ))
}

#[cfg(test)]
mod tests;
