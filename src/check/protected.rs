//! The check named `protected`, made by a server: a push into a protected branch (`main`,
//! `release/*`…) takes in only commits whose packets are ready to merge. Work in progress on
//! other branches is shared freely. Pure.

use super::Problem;
use crate::packet::Status;
use crate::policy::Policy;

/// A packet some incoming commit was made under, with the status its branch's chain holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The branch the packet belongs to.
    pub branch: String,
    pub id: String,
    pub revision: u64,
    /// `None` when a commit's trailer names a packet this repository does not hold.
    pub status: Option<Status>,
}

/// One error per incoming packet whose status policy's `protected-statuses` does not list.
pub fn check(policy: &Policy, target: &str, incoming: &[Incoming]) -> Vec<Problem> {
    let allowed: Vec<&str> = policy
        .protected_statuses
        .iter()
        .map(|s| s.as_str())
        .collect();
    incoming
        .iter()
        .filter(|p| p.status.is_none_or(|s| !policy.protected_statuses.contains(&s)))
        .map(|p| {
            let Some(status) = p.status else {
                return Problem::error(
                    "protected",
                    format!(
                        "{target} is protected: it would take in commits made under {} r{}, a packet this repository does not hold",
                        p.id, p.revision
                    ),
                    "push the packet with its branch first (git handoff push), then push again",
                );
            };
            Problem::error(
                "protected",
                format!(
                    "{target} is protected: it would take in commits of {} ({} r{}), whose status is {} (allowed: {})",
                    p.branch,
                    p.id,
                    p.revision,
                    status.as_str(),
                    allowed.join(", ")
                ),
                format!(
                    "finish the review of {0}: git switch {0} && git handoff update --status {1} && git handoff push; then push again",
                    p.branch,
                    allowed.first().copied().unwrap_or("approved")
                ),
            )
        })
        .collect()
}
