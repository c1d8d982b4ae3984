//! The records a handoff leaves in the packet: the last change of hands, review verdicts, and
//! where a validation result came from. Pure data; the rules live in `crate::handoff`.

use serde::{Deserialize, Serialize};

use super::{Lane, Timestamp};

/// How control last changed hands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandoverKind {
    /// `pass`: a transfer of control to another lane or owner (one hop).
    Pass,
    /// `review --revise`: the auditor returned the work to its executor (one hop, one cycle).
    Return,
    /// `take`: the actor claimed work nobody held, or resumed their own (no hop).
    Take,
    /// `take --force`: the actor took work someone else held (no hop; the previous owner is kept).
    Takeover,
}

impl HandoverKind {
    /// Returns the name used in the packet and in chain events.
    pub fn as_str(self) -> &'static str {
        match self {
            HandoverKind::Pass => "pass",
            HandoverKind::Return => "return",
            HandoverKind::Take => "take",
            HandoverKind::Takeover => "takeover",
        }
    }
}

/// The last change of hands: who moved the work, from which lane and owner to which, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handover {
    pub kind: HandoverKind,
    /// The actor who made the change.
    pub by: String,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_lane: Option<Lane>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_lane: Option<Lane>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Whether a supervisor reset the hop and cycle budgets with this pass.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reset_budget: bool,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(b: &bool) -> bool {
    !*b
}

/// What a review decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictKind {
    Approve,
    Revise,
}

impl VerdictKind {
    /// Returns the name used in the packet.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Approve => "approve",
            VerdictKind::Revise => "revise",
        }
    }
}

/// One review verdict: for exactly the commit and tree reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub verdict: VerdictKind,
    pub reviewer: String,
    /// The tip commit reviewed.
    pub commit: String,
    /// Its tree: an approval holds for this tree only.
    pub tree: String,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a validation result came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// `git handoff validate` ran the command and recorded what it saw.
    Run,
    /// Someone said so (`update --result`); kept, but not proof.
    Reported,
}

impl Provenance {
    /// Returns the name used in the packet.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Run => "run",
            Provenance::Reported => "reported",
        }
    }
}
