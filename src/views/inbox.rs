//! What waits for an actor across every packet, in the order it should be taken up. Pure.

use serde::Serialize;

use crate::packet::{Lane, Outcome, Packet, Status, VerdictKind};
use crate::waiting::{self, Why};

/// Why a packet is in an inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Work the actor holds came back from review with findings.
    ChangesRequested,
    /// A review assigned to the actor.
    Review,
    /// The actor holds the work.
    Owner,
    /// No one holds it, and it sits in the actor's lane.
    Lane,
    /// A blocker or question names the actor (`@name`).
    Mentioned,
    /// Shown by `--all`: it waits, but not for the actor.
    Other,
}

impl Reason {
    /// The word a line shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ChangesRequested => "changes-requested",
            Reason::Review => "review",
            Reason::Owner => "owner",
            Reason::Lane => "lane",
            Reason::Mentioned => "mentioned",
            Reason::Other => "other",
        }
    }
}

/// Marks on a line: what a reader should know before taking the work up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// No revision for longer than policy's `stale-after`.
    Stale,
    /// More hops than the packet's or the policy's limit.
    OverHops,
    /// More review returns than policy's `max-cycles`.
    OverCycles,
    /// The validation result recorded is for another tree than the branch tip's.
    ValidationNotTip,
    /// The approval recorded is for another tree than the branch tip's.
    ApprovalStale,
}

impl Flag {
    /// The word a line shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Stale => "stale",
            Flag::OverHops => "over-hops",
            Flag::OverCycles => "over-cycles",
            Flag::ValidationNotTip => "validation-not-tip",
            Flag::ApprovalStale => "approval-stale",
        }
    }
}

/// Who asks: the actor's name and, when known, their lane.
#[derive(Debug, Clone, Copy)]
pub struct Asker<'a> {
    pub actor: &'a str,
    pub lane: Option<Lane>,
}

/// Returns why `p` waits for the asker, if it does. Finished work (approved, done) waits for
/// no one.
pub fn reason(p: &Packet, asker: Asker<'_>) -> Option<Reason> {
    if let Some(why) = waiting::waits_for(p, asker.actor) {
        return Some(match why {
            Why::ChangesRequested => Reason::ChangesRequested,
            Why::Review => Reason::Review,
            Why::Holds => Reason::Owner,
        });
    }
    if is_finished(p) {
        return None;
    }
    if p.control.owner.is_none() && asker.lane.is_some() && p.control.lane == asker.lane {
        return Some(Reason::Lane);
    }
    let texts = p.state.blockers.iter().chain(&p.state.questions);
    texts
        .into_iter()
        .any(|t| mentions(t, asker.actor))
        .then_some(Reason::Mentioned)
}

/// Returns true for approved and done work.
pub fn is_finished(p: &Packet) -> bool {
    matches!(p.state.status, Status::Approved | Status::Done)
}

/// Returns true when `text` addresses `name` as `@name` (any case), not as the start of a
/// longer name.
pub fn mentions(text: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    let text = text.to_lowercase();
    let name_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let mut rest = text.as_str();
    while let Some(at) = rest.find('@') {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + 1..];
        let starts_word = before.is_none_or(|c| !name_char(c));
        if starts_word && after.starts_with(&name) {
            let next = after[name.len()..].chars().next();
            // A trailing dot ends a sentence, not the name.
            let ends = match next {
                None => true,
                Some('.') => after[name.len() + 1..]
                    .chars()
                    .next()
                    .is_none_or(|c| !name_char(c)),
                Some(c) => !name_char(c),
            };
            if ends {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// The order work is taken up in: changes requested, in review, blocked, ready, in progress,
/// then drafts and finished work.
pub fn rank(status: Status) -> u8 {
    match status {
        Status::ChangesRequested => 0,
        Status::InReview => 1,
        Status::Blocked => 2,
        Status::Ready => 3,
        Status::InProgress => 4,
        Status::Draft => 5,
        Status::Approved => 6,
        Status::Done => 7,
    }
}

/// What the flags are judged against.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Now, in seconds since the epoch.
    pub now: i64,
    /// Policy's `stale-after`, in days.
    pub stale_after_days: u32,
    /// Policy's `max-hops`.
    pub max_hops: u32,
    /// Policy's `max-cycles`.
    pub max_cycles: u32,
    /// The tree of the branch tip, when the branch is here.
    pub tip_tree: Option<String>,
}

/// Returns true when a flag depends on the branch tip's tree (a recorded validation result or an
/// approval): only then is the tip looked up.
pub fn needs_tip(p: &Packet) -> bool {
    p.validation.result != Outcome::Unknown
        || p.verdicts
            .last()
            .is_some_and(|v| v.verdict == VerdictKind::Approve)
}

/// Returns the flags of a packet.
pub fn flags(p: &Packet, facts: &Facts) -> Vec<Flag> {
    let mut out = Vec::new();
    let age = facts.now - p.updated.seconds();
    if !is_finished(p) && age > i64::from(facts.stale_after_days) * 86_400 {
        out.push(Flag::Stale);
    }
    if p.control.hops > p.control.max_hops.min(facts.max_hops) {
        out.push(Flag::OverHops);
    }
    if p.control.cycles > facts.max_cycles {
        out.push(Flag::OverCycles);
    }
    if let Some(tip) = facts.tip_tree.as_deref() {
        let v = &p.validation;
        if v.result != Outcome::Unknown && v.tree.as_deref() != Some(tip) {
            out.push(Flag::ValidationNotTip);
        }
        let approval = p
            .verdicts
            .last()
            .filter(|v| v.verdict == VerdictKind::Approve);
        if approval.is_some_and(|v| v.tree != tip) {
            out.push(Flag::ApprovalStale);
        }
    }
    out
}

/// An age for people: `45s`, `12m`, `5h`, `3d`, `7w`.
pub fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m", s / 60),
        3_600..86_400 => format!("{}h", s / 3_600),
        86_400..1_209_600 => format!("{}d", s / 86_400),
        _ => format!("{}w", s / 604_800),
    }
}

#[cfg(test)]
mod tests;
