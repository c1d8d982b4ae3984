//! Field edits as `start` and `update` express them, applied to a packet body. Pure.

use super::fields::{ListField, PairField};
use super::{normalize, Lane, Outcome, Packet, Status};

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
            Change::Command(c) => {
                let c = c.trim().to_string();
                if packet.validation.command.as_ref() != Some(&c) {
                    // A result belongs to the command that produced it.
                    packet.validation = super::Validation {
                        command: Some(c),
                        ..super::Validation::default()
                    };
                }
            }
            Change::Result(outcome, tree) => {
                let v = &mut packet.validation;
                v.result = *outcome;
                v.tree.clone_from(tree);
                // Said, not seen: `git handoff validate` records what it runs as `run`.
                v.source = Some(super::Provenance::Reported);
                (v.exit_code, v.duration_ms) = (None, None);
            }
            Change::Add(field, item) => {
                add(field.get_mut(packet), item);
                let moved_from: &[ListField] = match field {
                    ListField::Done => &[ListField::InProgress, ListField::Next],
                    ListField::InProgress => &[ListField::Next],
                    _ => &[],
                };
                for other in moved_from {
                    let key = normalize(item);
                    other.get_mut(packet).retain(|i| normalize(i) != key);
                }
            }
            Change::Remove(field, item) => {
                let list = field.get_mut(packet);
                let key = normalize(item);
                let before = list.len();
                list.retain(|i| normalize(i) != key);
                if list.len() == before {
                    return Err(format!("{} has no item {item:?}", field.name()));
                }
            }
            Change::AddPair(field, first, second) => {
                let (first, second) = (first.trim().to_string(), second.trim().to_string());
                let mut items = field.owned(packet);
                let key = (normalize(&first), normalize(&second));
                if !items
                    .iter()
                    .any(|(a, b)| (normalize(a), normalize(b)) == key)
                {
                    items.push((first, second));
                    field.set(packet, items);
                }
            }
            Change::RemovePair(field, first) => {
                let key = normalize(first);
                let mut items = field.owned(packet);
                let before = items.len();
                items.retain(|(a, _)| normalize(a) != key);
                if items.len() == before {
                    return Err(format!("{} has no item {first:?}", field.name()));
                }
                field.set(packet, items);
            }
        }
        Ok(())
    }
}

/// Keeps `state.done` within the list bound by retiring its oldest items, so a long task is never
/// stopped by its own bookkeeping (the items stay in the earlier revisions); returns how many.
pub fn retire_done(p: &mut Packet) -> usize {
    let over = p
        .state
        .done
        .len()
        .saturating_sub(super::validate::MAX_LIST_ITEMS);
    p.state.done.drain(..over);
    over
}

fn add(list: &mut Vec<String>, item: &str) {
    let key = normalize(item);
    if !list.iter().any(|i| normalize(i) == key) {
        list.push(item.trim().to_string());
    }
}
