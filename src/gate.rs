//! The commit gate: does this commit have an up-to-date packet? Pure.

use crate::packet::Packet;
use crate::policy::Policy;

/// What the gate found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The packet was updated since the last commit.
    Pass,
    /// The branch needs no packet (policy), or there is no branch (detached HEAD).
    Exempt,
    /// The branch needs a packet and has none.
    Missing { branch: String },
    /// The packet does not parse or validate.
    Invalid { branch: String, problem: String },
    /// The latest revision was written before the last commit.
    Stale {
        branch: String,
        id: String,
        revision: u64,
    },
}

/// The commit about to be made: what the gate decides on.
pub struct Attempt<'a> {
    /// The branch being committed to; `None` on a detached HEAD.
    pub branch: Option<&'a str>,
    /// HEAD's commit id; `None` on an unborn branch.
    pub head: Option<String>,
    /// Commits whose id as `base` also counts as current (HEAD's parents when amending).
    pub also_current: Vec<String>,
    /// The latest revision: `None` when the chain does not exist, `Err` when it does not parse.
    pub packet: Option<Result<&'a Packet, String>>,
}

/// The one definition of a current packet, shared by the gate, `check` and pre-receive: the
/// latest revision (written at `base`) covers a commit when it was written at that very commit,
/// or when the commit was made under it: the commit carries it (note or trailer) and it was
/// written at one of the commit's parents (an unborn branch's first commit has the parent "").
/// The gate asks this of the commit about to be made, which will carry the latest revision.
pub fn covers(base: &str, commit: Option<&str>, parents: &[String], carries: bool) -> bool {
    commit.is_some_and(|c| c == base) || (carries && parents.iter().any(|p| p == base))
}

/// Decides whether a commit may be made.
pub fn decide(policy: &Policy, attempt: &Attempt<'_>) -> Verdict {
    let Some(branch) = attempt.branch else {
        return Verdict::Exempt;
    };
    if policy.is_exempt(branch) {
        return Verdict::Exempt;
    }
    let branch = branch.to_string();
    match &attempt.packet {
        None => Verdict::Missing { branch },
        Some(Err(problem)) => Verdict::Invalid {
            branch,
            problem: problem.clone(),
        },
        Some(Ok(packet)) => {
            // The new commit's parent is HEAD; an amended one takes HEAD's parents.
            let mut parents = vec![attempt.head.clone().unwrap_or_default()];
            parents.extend(attempt.also_current.iter().cloned());
            if covers(&packet.base, None, &parents, true) {
                Verdict::Pass
            } else {
                Verdict::Stale {
                    branch,
                    id: packet.id.clone(),
                    revision: packet.revision,
                }
            }
        }
    }
}
