//! The branch review check: small pure functions, each turning facts about a branch into
//! findings. `check/gather.rs` gathers the facts; `check/render.rs` prints the findings.

mod carried;
mod gather;
mod handoff;
mod packet;
pub mod protected;
pub mod render;

use serde::Serialize;

pub use gather::{default_base, evaluate, incoming_packets, Subject};

use crate::packet::Packet;
use crate::policy::Policy;

/// Every check, in the order they run and are reported.
pub const CHECKS: [&str; 16] = [
    "packet-exists",
    "packet-valid",
    "required-fields",
    "current",
    "intent",
    "intent-changed",
    "artifacts",
    "validation",
    "hops",
    "cycles",
    "blockers",
    "findings",
    "approval",
    "status",
    "size",
    "brief",
];

/// Checks only a server makes (pre-receive), reported after the others.
pub const SERVER_CHECKS: [&str; 1] = ["protected"];

/// How bad a finding is: errors fail the check, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// One thing wrong with a branch, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub check: &'static str,
    pub severity: Level,
    pub message: String,
    pub hint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

impl Problem {
    fn error(check: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            check,
            severity: Level::Error,
            message: message.into(),
            hint: hint.into(),
            commit: None,
        }
    }

    fn warning(
        check: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Problem {
        Problem {
            severity: Level::Warning,
            ..Problem::error(check, message, hint)
        }
    }
}

/// What one commit of the range carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub id: String,
    /// The note: `None` when absent, `Some(Err)` when it is not a valid packet.
    pub note: Option<Result<(), String>>,
    /// Whether the message has a `Handoff:` trailer.
    pub trailer: bool,
}

/// Everything the checks look at.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub branch: &'a str,
    /// The commit under review.
    pub tip: String,
    /// The tip's tree.
    pub tip_tree: String,
    /// The commit "current" is judged on: the tip, or below ungated merge commits that carry the
    /// latest revision, the commit they merged into.
    pub judged: String,
    /// Its parents ("" for a root commit, as for an unborn branch).
    pub tip_parents: Vec<String>,
    /// Whether it carries the latest revision (or one only merges separate from it).
    pub tip_carries_latest: bool,
    /// The latest revision: `None` when there is no chain, `Some(Err)` when it does not parse.
    pub packet: Option<Result<&'a Packet, String>>,
    /// Commits of the range under review that lack a valid note (the rest carry a revision).
    pub commits: Vec<Carried>,
    /// Artifact paths absent from the tip's tree.
    pub missing_artifacts: Vec<String>,
    /// The intent the packet started with (its first revision's).
    pub original_intent: Option<String>,
    /// When the latest verdict approves a tree other than the tip's: how far behind it is.
    pub stale_approval: Option<Stale>,
}

/// How far an approval is behind the tip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// The approved commit is below the tip, this many commits back.
    Since(usize),
    /// The approved commit is not below the tip (a rewrite, or another history).
    Elsewhere,
}

/// Runs every check; an exempt branch has no findings.
pub fn run(policy: &Policy, facts: &Facts<'_>) -> Vec<Problem> {
    if policy.is_exempt(facts.branch) {
        return Vec::new();
    }
    let packet = match &facts.packet {
        None => {
            return vec![Problem::error(
                "packet-exists",
                format!("branch {} has no handoff packet", facts.branch),
                "git handoff start --goal \"…\" --accept \"…\", then push it (git handoff push)",
            )]
        }
        Some(Err(problem)) => {
            return vec![Problem::error(
                "packet-valid",
                format!(
                    "the handoff packet of {} is invalid: {problem}",
                    facts.branch
                ),
                "git handoff edit",
            )]
        }
        Some(Ok(p)) => *p,
    };
    let mut out = Vec::new();
    if packet.branch != facts.branch {
        // A branch pushed under another name (`git push origin feature:review`) keeps its packet.
        out.push(Problem::warning(
            "packet-valid",
            format!(
                "the packet was written on branch {}, and is checked for {}",
                packet.branch, facts.branch
            ),
            "if this is other work, start its own packet: git handoff start --new …",
        ));
    }
    out.extend(packet::required_fields(policy, packet));
    out.extend(packet::current(
        packet,
        &facts.judged,
        &facts.tip_parents,
        facts.tip_carries_latest,
    ));
    out.extend(carried::check(&facts.commits));
    out.extend(handoff::intent_changed(
        packet,
        facts.original_intent.as_deref(),
    ));
    out.extend(packet::artifacts(packet, &facts.missing_artifacts));
    out.extend(packet::validation(policy, packet, &facts.tip_tree));
    out.extend(packet::hops(policy, packet));
    out.extend(handoff::cycles(policy, packet));
    out.extend(packet::blockers(packet));
    out.extend(handoff::findings(packet));
    out.extend(handoff::approval(policy, packet, facts.stale_approval));
    out.extend(packet::status(policy, packet));
    out.extend(packet::size(policy, packet));
    out.extend(packet::brief(policy, packet));
    out
}

/// Returns true when no finding is an error.
pub fn passes(findings: &[Problem]) -> bool {
    findings.iter().all(|f| f.severity != Level::Error)
}
