//! post-commit (and post-merge for merge commits): attach the packet revision the new commit
//! was made under as its note. A cherry-picked commit gets the revision its trailer names.

use crate::output::Output;
use crate::repo::{Head, Repo};
use crate::store;

pub fn run(repo: &Repo, out: &Output, after_merge: bool) -> anyhow::Result<()> {
    let (branch, head) = match repo.head()? {
        Head::Branch {
            name,
            commit: Some(commit),
        } => (Some(name), commit),
        Head::Detached(commit) => (None, commit),
        Head::Branch { commit: None, .. } => return Ok(()),
    };
    if after_merge && repo.parents_of(head)?.len() < 2 {
        return Ok(()); // a fast-forward or a squash merge made no commit of its own
    }
    let Some(carried) = crate::carried::for_new_commit(repo, head, branch.as_deref())? else {
        return Ok(());
    };
    if let Err(err) = store::attach_note(repo, head, carried.blob, &carried.packet) {
        // The commit is made; a missing note is repaired later from the trailer.
        out.warn(&format!(
            "could not attach the handoff note: {err:#} (run git handoff repair)"
        ));
    }
    Ok(())
}
