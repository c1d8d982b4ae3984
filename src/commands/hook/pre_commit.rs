//! pre-commit and pre-merge-commit: block a commit on a branch whose packet is missing,
//! invalid, or not updated since the last commit. Hot path: one ref, one blob, no spawns.

use crate::error::UserError;
use crate::gate::{self, Attempt, Verdict};
use crate::repo::{Head, Repo};
use crate::store;

pub fn run(repo: &Repo, merge_commit: bool) -> anyhow::Result<()> {
    let policy = crate::policy::load(repo)?;
    if (merge_commit || repo.merge_in_progress()) && !policy.gate_merges {
        return Ok(());
    }
    let (branch, head) = match repo.head()? {
        Head::Branch { name, commit } => (Some(name), commit),
        Head::Detached(id) => (None, Some(id)),
    };
    let revision = match &branch {
        Some(b) if !policy.is_exempt(b) => store::tip(repo, &store::chain_ref(b))?
            .map(|tip| store::read_revision(repo, tip).map_err(|e| format!("{e:#}"))),
        _ => None,
    };
    let mut attempt = Attempt {
        branch: branch.as_deref(),
        head: head.map(|h| h.to_string()),
        also_current: Vec::new(),
        packet: revision
            .as_ref()
            .map(|r| r.as_ref().map(|r| &r.packet).map_err(Clone::clone)),
    };
    let mut verdict = gate::decide(&policy, &attempt);
    // Only a commit the gate would block asks whether it is an amend (which looks up the process
    // tree): an amended commit takes HEAD's parents, under which the packet may be current.
    if let (Verdict::Stale { .. }, Some(h)) = (&verdict, head) {
        if amending() {
            attempt.also_current = repo
                .parents_of(h)?
                .iter()
                .map(ToString::to_string)
                .collect();
            verdict = gate::decide(&policy, &attempt);
        }
    }
    match verdict {
        Verdict::Pass | Verdict::Exempt => Ok(()),
        Verdict::Missing { branch } => {
            if let Some((remote, p)) = crate::commands::fetched_packet(repo, &branch)? {
                return Err(UserError::refused(format!(
                    "commit blocked: branch {branch} has no handoff packet of its own; {} r{} was fetched from {remote}",
                    p.id, p.revision
                ))
                .hint(format!("git handoff pull {remote}, then git handoff update --done \"…\" and commit again"))
                .into());
            }
            Err(UserError::refused(format!(
                "commit blocked: branch {branch} has no handoff packet"
            ))
            .hint("git handoff start --goal \"…\" --accept \"…\"   (or commit with --no-verify to bypass)")
            .into())
        }
        Verdict::Invalid { branch, problem } => Err(UserError::refused(format!(
            "commit blocked: the handoff packet of {branch} is invalid: {problem}"
        ))
        .hint("git handoff edit   (fix the packet, then commit again)")
        .into()),
        Verdict::Stale {
            branch,
            id,
            revision,
        } => {
            let hint = match crate::commands::fetched_ahead(repo, &branch)? {
                Some((remote, _)) => format!("git handoff update --done \"…\" --next \"…\" merges the revisions fetched from {remote} and says what this commit does; then commit again"),
                None => "git handoff update --done \"…\" --next \"…\"   (say what this commit does, then commit again)".to_string(),
            };
            Err(UserError::refused(format!(
                "commit blocked: the handoff packet of {branch} ({id} r{revision}) was not updated since the last commit"
            ))
            .hint(hint)
            .into())
        }
    }
}

/// Returns true when the git process that runs this hook is a `commit --amend`, whatever hook
/// manager stands between them.
fn amending() -> bool {
    super::ancestry::git_was_given("amend", 2, None)
}
