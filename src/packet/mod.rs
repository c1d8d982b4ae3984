//! The handoff packet: the task contract one lane hands to the next (schema 1, see docs/format.md).
//!
//! Pure data and rules: no git, no I/O. Field names are the public contract.

mod change;
mod diff;
mod fields;
mod handoff;
mod io;
mod markdown;
mod timestamp;
mod validate;

use serde::{Deserialize, Serialize};

pub use change::{retire_done, split_pair, Change};
pub use diff::{diff, FieldChange};
pub use fields::{blank_fields, rank, requirable, Field, ListField, ListSpec, PairField, FIELDS};
pub use handoff::{Handover, HandoverKind, Provenance, Verdict, VerdictKind};
pub use io::{
    parse_draft, parse_toml, plain_json, read_stored, to_json, to_toml, Draft, ParseError,
};
pub use markdown::to_markdown;
pub use timestamp::Timestamp;
pub use validate::{
    check_displayable, strings, validate, Invalid, MAX_LIST_ITEMS, MAX_PACKET_BYTES, MAX_REVISION,
};

/// The packet schema this build reads and writes.
pub const SCHEMA: u32 = 1;

/// One revision of a branch's handoff packet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Packet {
    pub schema: u32,
    pub id: String,
    pub revision: u64,
    pub branch: String,
    pub base: String,
    pub updated: Timestamp,
    pub author: String,
    /// The agent or person acting (`--as`, `GIT_HANDOFF_AGENT`, `handoff.agent`, `user.name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub task: Task,
    #[serde(default)]
    pub control: Control,
    #[serde(default)]
    pub state: State,
    #[serde(default, skip_serializing_if = "Validation::is_empty")]
    pub validation: Validation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Reason>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Reason>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdicts: Vec<Verdict>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

/// The unit of work and its acceptance gate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    #[serde(default)]
    pub goal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    #[serde(default)]
    pub acceptance: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub non_goals: Vec<String>,
}

/// Who holds the work and how often it changed hands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane: Option<Lane>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    #[serde(default)]
    pub hops: u32,
    #[serde(default = "default_max_hops")]
    pub max_hops: u32,
    /// Review returns (audit → execute) so far.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cycles: u32,
    /// Budget resets by a supervisor so far: a merge keeps the counts of the side with more.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub resets: u32,
    /// Who last held the execute lane: a revise returns the work to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor: Option<String>,
    /// The last change of hands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<Handover>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn default_max_hops() -> u32 {
    8
}

impl Default for Control {
    fn default() -> Self {
        Control {
            lane: None,
            owner: None,
            reviewer: None,
            hops: 0,
            max_hops: default_max_hops(),
            cycles: 0,
            resets: 0,
            executor: None,
            handover: None,
        }
    }
}

/// The four lanes work moves between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Lane {
    Plan,
    Execute,
    Audit,
    Supervise,
}

/// Where the work stands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_progress: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blockers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
}

/// The lifecycle of a unit of work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Draft,
    Ready,
    InProgress,
    Blocked,
    InReview,
    ChangesRequested,
    Approved,
    Done,
}

impl Status {
    /// Returns the name used in the packet.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Ready => "ready",
            Status::InProgress => "in-progress",
            Status::Blocked => "blocked",
            Status::InReview => "in-review",
            Status::ChangesRequested => "changes-requested",
            Status::Approved => "approved",
            Status::Done => "done",
        }
    }
}

impl Lane {
    /// Returns the name used in the packet.
    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Plan => "plan",
            Lane::Execute => "execute",
            Lane::Audit => "audit",
            Lane::Supervise => "supervise",
        }
    }
}

/// The validation target and the last result obtained.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default)]
    pub result: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree: Option<String>,
    /// Whether the tool ran the command (`run`) or someone reported the result (`reported`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Provenance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// When the result was obtained or reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// The actor who ran or reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Validation {
    fn is_empty(&self) -> bool {
        self == &Validation::default()
    }
}

/// A validation result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Pass,
    Fail,
    #[default]
    Unknown,
}

/// A path the next lane must look at, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    pub path: String,
    pub why: String,
}

/// A decision taken or an approach rejected, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub what: String,
    pub why: String,
}

/// A concrete review finding from the audit lane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Short and unique in the packet (`f` and 7 hex digits); absent on findings of earlier builds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub severity: Severity,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// The commit reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default)]
    pub resolved: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    /// HEAD when the finding was marked resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

impl Finding {
    /// Returns where it points: `path:line`, `path`, or nothing.
    pub fn location(&self) -> Option<String> {
        match (&self.path, self.line) {
            (Some(path), Some(line)) => Some(format!("{path}:{line}")),
            (Some(path), None) => Some(path.clone()),
            _ => None,
        }
    }

    /// A finding with nothing but its severity and message.
    pub fn new(severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            id: None,
            severity,
            message: message.into(),
            path: None,
            line: None,
            reviewer: None,
            commit: None,
            resolved: false,
            resolved_by: None,
            resolved_commit: None,
            resolution: None,
        }
    }
}

/// How bad a review finding is, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Blocker,
    Major,
    Minor,
}

impl Severity {
    /// Returns the name used in the packet.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Major => "major",
            Severity::Minor => "minor",
        }
    }

    /// Every severity, worst first.
    pub const ALL: [Severity; 3] = [Severity::Blocker, Severity::Major, Severity::Minor];

    /// Reads a severity name, in any case.
    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Who writes a revision and when: fixed once per command, so a write retried after losing a
/// race carries the same author and time.
#[derive(Debug, Clone, PartialEq)]
pub struct Writer {
    pub author: String,
    /// The acting agent or person.
    pub actor: String,
    pub at: Timestamp,
}

/// The fields a packet's writer does not choose: they describe the write itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub id: String,
    pub revision: u64,
    pub branch: String,
    pub base: String,
    pub updated: Timestamp,
    pub author: String,
    pub actor: Option<String>,
}

impl Packet {
    /// Builds a packet from a header and the body of another packet (or of a draft).
    pub fn with_header(header: Header, body: &Packet) -> Packet {
        Packet {
            schema: SCHEMA,
            id: header.id,
            revision: header.revision,
            branch: header.branch,
            base: header.base,
            updated: header.updated,
            author: header.author,
            actor: header.actor,
            ..body.clone()
        }
    }

    /// Returns true when both packets carry the same body (everything but the header).
    pub fn same_body(&self, other: &Packet) -> bool {
        self.task == other.task
            && self.control == other.control
            && self.state == other.state
            && self.validation == other.validation
            && self.artifacts == other.artifacts
            && self.decisions == other.decisions
            && self.rejected == other.rejected
            && self.verdicts == other.verdicts
            && self.findings == other.findings
    }
}

/// Normalizes a list item for identity: surrounding whitespace trimmed, inner runs collapsed.
pub fn normalize(item: &str) -> String {
    item.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod roundtrip_tests;
#[cfg(test)]
pub(crate) use roundtrip_tests::random_packets;
