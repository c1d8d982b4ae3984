//! Field edits as `start` and `update` express them, applied to a packet body. Pure.

use super::{normalize, Artifact, Lane, Outcome, Packet, Reason, Status};

/// The list fields holding plain strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListField {
    Acceptance,
    Constraints,
    NonGoals,
    Done,
    InProgress,
    Next,
    Blockers,
    Questions,
}

/// The list fields holding "what :: why" pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairField {
    Artifacts,
    Decisions,
    Rejected,
}

/// One edit to a packet body.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Goal(String),
    Intent(String),
    Status(Status),
    Lane(Lane),
    Owner(String),
    Reviewer(String),
    MaxHops(u32),
    Command(String),
    /// A validation result and the tree it was obtained on.
    Result(Outcome, Option<String>),
    Add(ListField, String),
    Remove(ListField, String),
    AddPair(PairField, String, String),
    /// Removes every pair whose first part (path or what) matches.
    RemovePair(PairField, String),
}

impl ListField {
    /// Returns the field's dotted name in the packet.
    pub fn name(self) -> &'static str {
        match self {
            ListField::Acceptance => "task.acceptance",
            ListField::Constraints => "task.constraints",
            ListField::NonGoals => "task.non_goals",
            ListField::Done => "state.done",
            ListField::InProgress => "state.in_progress",
            ListField::Next => "state.next",
            ListField::Blockers => "state.blockers",
            ListField::Questions => "state.questions",
        }
    }

    fn of(self, p: &mut Packet) -> &mut Vec<String> {
        match self {
            ListField::Acceptance => &mut p.task.acceptance,
            ListField::Constraints => &mut p.task.constraints,
            ListField::NonGoals => &mut p.task.non_goals,
            ListField::Done => &mut p.state.done,
            ListField::InProgress => &mut p.state.in_progress,
            ListField::Next => &mut p.state.next,
            ListField::Blockers => &mut p.state.blockers,
            ListField::Questions => &mut p.state.questions,
        }
    }
}

impl PairField {
    /// Returns the field's name in the packet.
    pub fn name(self) -> &'static str {
        match self {
            PairField::Artifacts => "artifacts",
            PairField::Decisions => "decisions",
            PairField::Rejected => "rejected",
        }
    }
}

/// Splits "what :: why" into its two trimmed, non-empty halves.
pub fn split_pair(text: &str) -> Option<(String, String)> {
    let (what, why) = text.split_once("::")?;
    let (what, why) = (what.trim(), why.trim());
    (!what.is_empty() && !why.is_empty()).then(|| (what.to_string(), why.to_string()))
}

impl Change {
    /// Applies the edit to `packet`; an error names an item that is not there to remove.
    ///
    /// Marking an item done takes it off `in_progress` and `next`; starting one takes it off `next`.
    pub fn apply(&self, packet: &mut Packet) -> Result<(), String> {
        match self {
            Change::Goal(goal) => packet.task.goal = goal.trim().to_string(),
            Change::Intent(intent) => packet.task.intent = Some(intent.trim().to_string()),
            Change::Status(status) => packet.state.status = *status,
            Change::Lane(lane) => packet.control.lane = Some(*lane),
            Change::Owner(owner) => packet.control.owner = Some(owner.trim().to_string()),
            Change::Reviewer(r) => packet.control.reviewer = Some(r.trim().to_string()),
            Change::MaxHops(n) => packet.control.max_hops = *n,
            Change::Command(c) => packet.validation.command = Some(c.trim().to_string()),
            Change::Result(outcome, tree) => {
                packet.validation.result = *outcome;
                packet.validation.tree.clone_from(tree);
            }
            Change::Add(field, item) => {
                add(field.of(packet), item);
                let moved_from: &[ListField] = match field {
                    ListField::Done => &[ListField::InProgress, ListField::Next],
                    ListField::InProgress => &[ListField::Next],
                    _ => &[],
                };
                for other in moved_from {
                    let key = normalize(item);
                    other.of(packet).retain(|i| normalize(i) != key);
                }
            }
            Change::Remove(field, item) => {
                let list = field.of(packet);
                let key = normalize(item);
                let before = list.len();
                list.retain(|i| normalize(i) != key);
                if list.len() == before {
                    return Err(format!("{} has no item {item:?}", field.name()));
                }
            }
            Change::AddPair(field, first, second) => add_pair(packet, *field, first, second),
            Change::RemovePair(field, first) => {
                let key = normalize(first);
                let removed = match field {
                    PairField::Artifacts => {
                        retain(&mut packet.artifacts, |a| normalize(&a.path) != key)
                    }
                    PairField::Decisions => {
                        retain(&mut packet.decisions, |r| normalize(&r.what) != key)
                    }
                    PairField::Rejected => {
                        retain(&mut packet.rejected, |r| normalize(&r.what) != key)
                    }
                };
                if removed == 0 {
                    return Err(format!("{} has no item {first:?}", field.name()));
                }
            }
        }
        Ok(())
    }
}

fn add(list: &mut Vec<String>, item: &str) {
    let key = normalize(item);
    if !list.iter().any(|i| normalize(i) == key) {
        list.push(item.trim().to_string());
    }
}

fn add_pair(packet: &mut Packet, field: PairField, first: &str, second: &str) {
    let (first, second) = (first.trim().to_string(), second.trim().to_string());
    let same = |a: &str, b: &str| {
        normalize(a) == normalize(first.as_str()) && normalize(b) == normalize(second.as_str())
    };
    match field {
        PairField::Artifacts => {
            if !packet.artifacts.iter().any(|a| same(&a.path, &a.why)) {
                packet.artifacts.push(Artifact {
                    path: first,
                    why: second,
                });
            }
        }
        PairField::Decisions | PairField::Rejected => {
            let list = if field == PairField::Decisions {
                &mut packet.decisions
            } else {
                &mut packet.rejected
            };
            if !list.iter().any(|r| same(&r.what, &r.why)) {
                list.push(Reason {
                    what: first,
                    why: second,
                });
            }
        }
    }
}

fn retain<T>(list: &mut Vec<T>, keep: impl Fn(&T) -> bool) -> usize {
    let before = list.len();
    list.retain(keep);
    before - list.len()
}
