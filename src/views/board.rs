//! The operator's board: every packet as a card in a column by status. Pure model; the page is
//! made in `views::html`.

use serde::Serialize;

use super::inbox::{self, Facts, Flag};
use super::Seen;
use crate::packet::{Outcome, Packet, Provenance, Status};

/// The columns, left to right, and the statuses each holds.
pub const COLUMNS: [(&str, &str, &[Status]); 6] = [
    ("todo", "Draft / ready", &[Status::Draft, Status::Ready]),
    ("in-progress", "In progress", &[Status::InProgress]),
    ("blocked", "Blocked", &[Status::Blocked]),
    ("in-review", "In review", &[Status::InReview]),
    (
        "changes-requested",
        "Changes requested",
        &[Status::ChangesRequested],
    ),
    (
        "finished",
        "Approved / done",
        &[Status::Approved, Status::Done],
    ),
];

/// One column of cards.
#[derive(Debug, Serialize)]
pub struct Column {
    pub key: &'static str,
    pub title: &'static str,
    pub cards: Vec<Card>,
}

/// One packet on the board.
#[derive(Debug, Serialize)]
pub struct Card {
    pub branch: String,
    pub id: String,
    pub revision: u64,
    pub status: &'static str,
    pub goal: String,
    pub lane: Option<&'static str>,
    pub owner: Option<String>,
    pub reviewer: Option<String>,
    pub hops: u32,
    pub max_hops: u32,
    pub cycles: u32,
    pub updated: String,
    pub age_seconds: i64,
    pub validation: &'static str,
    pub flags: Vec<Flag>,
    pub sources: Vec<String>,
}

/// Says where the validation stands: `none`, `unknown`, `pass`/`fail` (run by the tool on the
/// tip's tree), `reported pass`/`reported fail`, or `pass elsewhere`/`fail elsewhere` (another tree).
pub fn validation(p: &Packet, tip_tree: Option<&str>) -> &'static str {
    let v = &p.validation;
    if v.command.is_none() {
        return "none";
    }
    let pass = match v.result {
        Outcome::Unknown => return "unknown",
        Outcome::Pass => true,
        Outcome::Fail => false,
    };
    let elsewhere = tip_tree.is_some_and(|t| v.tree.as_deref() != Some(t));
    match (v.source == Some(Provenance::Run), elsewhere, pass) {
        (_, true, true) => "pass elsewhere",
        (_, true, false) => "fail elsewhere",
        (false, _, true) => "reported pass",
        (false, _, false) => "reported fail",
        (true, _, true) => "pass",
        (true, _, false) => "fail",
    }
}

/// Builds the card of a packet.
pub fn card(seen: Seen, facts: &Facts) -> Card {
    let p = seen.packet;
    Card {
        validation: validation(&p, facts.tip_tree.as_deref()),
        flags: inbox::flags(&p, facts),
        age_seconds: facts.now - p.updated.seconds(),
        branch: seen.branch,
        sources: seen.sources,
        status: p.state.status.as_str(),
        lane: p.control.lane.map(crate::packet::Lane::as_str),
        hops: p.control.hops,
        max_hops: p.control.max_hops.min(facts.max_hops),
        cycles: p.control.cycles,
        updated: p.updated.to_string(),
        goal: p.task.goal,
        owner: p.control.owner,
        reviewer: p.control.reviewer,
        id: p.id,
        revision: p.revision,
    }
}

/// Sorts cards into the columns: within one, the longest untouched first.
pub fn columns(cards: Vec<Card>) -> Vec<Column> {
    let mut columns: Vec<Column> = COLUMNS
        .iter()
        .map(|(key, title, _)| Column {
            key,
            title,
            cards: Vec::new(),
        })
        .collect();
    for card in cards {
        let at = COLUMNS
            .iter()
            .position(|(_, _, statuses)| statuses.iter().any(|s| s.as_str() == card.status))
            .unwrap_or(0);
        columns[at].cards.push(card);
    }
    for column in &mut columns {
        column.cards.sort_by(|a, b| {
            b.age_seconds
                .cmp(&a.age_seconds)
                .then(a.branch.cmp(&b.branch))
        });
    }
    columns
}
