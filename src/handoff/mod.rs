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

#[cfg(test)]
mod tests;
