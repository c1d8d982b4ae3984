//! What travel refuses: names a remote cannot give a local packet, a pull that left something
//! aside, and revisions that would carry a credential out.

use super::{Mapping, Pulled, Remote};
use crate::error::UserError;
use crate::repo::Repo;
use crate::store;

/// Says why `name` cannot name a local packet at all, if it cannot.
pub(super) fn invalid_name(name: &str) -> Option<String> {
    if !crate::repo::is_branch_name(name) {
        return Some("it is not a branch name git accepts".into());
    }
    name.chars()
        .any(crate::escape::is_direction_control)
        .then(|| "it holds an invisible direction control".into())
}

/// Says why a branch name from a remote cannot name a local packet, if it cannot.
pub(super) fn name_problem(name: &str, remotes: &[String]) -> Option<String> {
    if let Some(problem) = invalid_name(name) {
        return Some(problem);
    }
    let first = name.split('/').next().unwrap_or(name);
    remotes
        .iter()
        .any(|r| r == first)
        .then(|| format!("it would shadow the fetched copy {name} of remote {first}"))
}

/// Fails (exit 1) when anything fetched was not integrated, naming it and how to look at it:
/// a pull that leaves work aside must not look like one that brought everything in.
pub fn refuse_left_aside(pulled: &Pulled, remote: &Remote) -> anyhow::Result<()> {
    let mut parts = Vec::new();
    if !pulled.left_aside.is_empty() {
        parts.push(format!(
            "the packet of {} fetched from {} was not integrated",
            pulled.left_aside.join(", "),
            remote.name
        ));
    }
    if pulled.notes_left_aside {
        parts.push(format!(
            "the notes fetched from {} were not integrated",
            remote.name
        ));
    }
    if parts.is_empty() {
        return Ok(());
    }
    let hint = match pulled.left_aside.first() {
        Some(_) if remote.temporary => format!(
            "your packets are unchanged; read the warning above; to look at theirs, name the remote (git remote add <name> {}) and run git handoff pull <name>",
            remote.name
        ),
        Some(branch) => format!(
            "your packets are unchanged; read the warning above, look at theirs with git handoff show {}/{branch}, fix or replace one side, then run git handoff pull again",
            remote.slug
        ),
        None if remote.temporary => format!(
            "your notes are unchanged; read the warning above; to look at theirs, name the remote (git remote add <name> {}) and run git handoff pull <name>",
            remote.name
        ),
        None => format!(
            "your notes are unchanged; read the warning above, look at theirs with git log {}, then run git handoff pull again",
            store::remote_notes_ref(&remote.slug)
        ),
    };
    Err(UserError::refused(parts.join("; ")).hint(hint).into())
}

/// Scans every revision a push would carry that the remote's fetched copy does not hold.
pub(super) fn refuse_outgoing_secrets(
    repo: &Repo,
    remote: &Remote,
    branches: &[Mapping],
    allow: &[String],
) -> anyhow::Result<()> {
    let policy = crate::policy::load(repo)?;
    for m in branches {
        let Some(tip) = store::tip(repo, &store::chain_ref(&m.local))? else {
            continue;
        };
        let known = store::tip(repo, &store::remote_chain_ref(&remote.slug, &m.remote))?;
        let outgoing = store::revisions_since(repo, tip, known)?;
        crate::secrets::refuse(
            repo,
            &policy,
            allow,
            outgoing.iter().map(|r| &r.packet),
            |p| format!("{} r{}", m.local, p.revision),
            &format!("nothing was pushed to {}", remote.name),
        )?;
    }
    Ok(())
}
