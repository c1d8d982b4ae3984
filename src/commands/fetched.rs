//! What writes and hints share about fetched packets: a copy fetched for a branch with no local
//! chain, revisions fetched that the local chain lacks, and taking them in before a write in a
//! way a refusal undoes.

use crate::output::{Notice, Output};
use crate::packet;
use crate::repo::{Oid, Repo};
use crate::store::{self, Chain};

/// The copies of `branch`'s chain fetched from remotes, the upstream remote's first: the remote
/// and the fetched tip.
fn fetched_copies(repo: &Repo, branch: &str) -> anyhow::Result<Vec<(String, Oid)>> {
    let mut remotes: Vec<String> = repo.upstream_remote(branch).into_iter().collect();
    remotes.extend(repo.remote_names());
    let mut seen = std::collections::HashSet::new();
    remotes.retain(|r| seen.insert(r.clone()));
    let mut out = Vec::new();
    for remote in remotes {
        if let Some(tip) = store::tip(repo, &store::remote_chain_ref(&remote, branch))? {
            out.push((remote, tip));
        }
    }
    Ok(out)
}

/// The packet fetched for `branch` when there is no local chain: the remote it came from and
/// its latest revision (the upstream remote's copy first).
pub(crate) fn fetched_packet(
    repo: &Repo,
    branch: &str,
) -> anyhow::Result<Option<(String, packet::Packet)>> {
    if store::tip(repo, &store::chain_ref(branch))?.is_some() {
        return Ok(None);
    }
    for (remote, tip) in fetched_copies(repo, branch)? {
        if let Ok(revision) = store::read_revision(repo, tip) {
            return Ok(Some((remote, revision.packet)));
        }
    }
    Ok(None)
}

/// The copy of `branch`'s chain fetched from its upstream remote (else `origin`) when it holds
/// revisions the local chain lacks: the remote and the fetched tip.
pub(crate) fn fetched_ahead(repo: &Repo, branch: &str) -> anyhow::Result<Option<(String, Oid)>> {
    let Some(local) = store::tip(repo, &store::chain_ref(branch))? else {
        return Ok(None);
    };
    let remote = repo
        .upstream_remote(branch)
        .unwrap_or_else(|| "origin".to_string());
    let Some(fetched) = store::tip(repo, &store::remote_chain_ref(&remote, branch))? else {
        return Ok(None);
    };
    if fetched == local || repo.is_ancestor(fetched, local)? {
        return Ok(None);
    }
    Ok(Some((remote, fetched)))
}

/// What [`adopt_fetched`] moved: unless the write it prepared is [`kept`](Adopted::keep), the
/// chain goes back to where it was when this is dropped, so a refused write leaves every ref as
/// it was.
pub(crate) struct Adopted<'r> {
    repo: &'r Repo,
    refname: String,
    before: Option<Oid>,
    after: Option<Oid>,
    out: &'r Output,
    /// What the merge has to say, told once the write went through.
    notices: Vec<Notice>,
    kept: bool,
}

impl Adopted<'_> {
    /// The write went through: what was merged in stays, and is told.
    pub(crate) fn keep(mut self) {
        self.out.tell(&self.notices);
        self.kept = true;
    }
}

impl Drop for Adopted<'_> {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        // The write was refused: what was left aside still counts; the merge is undone quietly.
        let warnings: Vec<Notice> = (self.notices.iter())
            .filter(|n| matches!(n, Notice::Warning(_)))
            .cloned()
            .collect();
        self.out.tell(&warnings);
        let Some(after) = self.after.filter(|a| Some(*a) != self.before) else {
            return; // nothing was merged
        };
        let undone = match self.before {
            Some(before) => store::restore_ref(self.repo, &self.refname, after, before),
            None => crate::transport::delete_refs(
                &self.repo.run_dir(),
                &[(self.refname.clone(), after)],
            ),
        };
        if let Err(err) = undone {
            self.out.warn(&format!(
                "could not set aside the fetched revisions merged for this write: {err:#}"
            ));
        }
    }
}

/// Takes in what was fetched for `branch` before a write: a fetched copy when there is no local
/// chain yet (so a plain `git fetch` is enough to continue a packet another clone started), or
/// the revisions a fetched copy holds that the local chain lacks.
pub(crate) fn adopt_fetched<'r>(
    repo: &'r Repo,
    writer: &crate::clock::WriterCell<'_>,
    out: &'r Output,
    branch: &str,
) -> anyhow::Result<Adopted<'r>> {
    let refname = store::chain_ref(branch);
    let before = store::tip(repo, &refname)?;
    let mut notices = Vec::new();
    merge_fetched(repo, writer, &mut notices, branch)?;
    let after = store::tip(repo, &refname)?;
    Ok(Adopted {
        repo,
        refname,
        before,
        after,
        out,
        notices,
        kept: false,
    })
}

/// Integrates a fetched chain as a pull does: refused when its new revisions carry a credential.
fn integrate_checked(
    repo: &Repo,
    branch: &str,
    fetched: crate::repo::Oid,
    writer: &crate::clock::WriterCell<'_>,
) -> anyhow::Result<(store::Integrated, Option<store::Revision>)> {
    crate::sync::refuse_incoming_secrets(repo, branch, fetched, &[])?;
    store::integrate_chain(repo, branch, fetched, writer.get()?)
}

/// Merges what [`adopt_fetched`] takes in.
fn merge_fetched(
    repo: &Repo,
    writer: &crate::clock::WriterCell<'_>,
    notices: &mut Vec<Notice>,
    branch: &str,
) -> anyhow::Result<()> {
    if store::tip(repo, &store::chain_ref(branch))?.is_some() {
        // A plain `git pull` may have fetched revisions this clone lacks: merge them first, so
        // the write continues the packet instead of forking it.
        if let Some((remote, fetched)) = fetched_ahead(repo, branch)? {
            match integrate_checked(repo, branch, fetched, writer) {
                Ok((_, merged)) => {
                    notices.push(Notice::Status(format!(
                        "{branch}: merged the revisions fetched from {remote} first"
                    )));
                    for c in merged.iter().flat_map(|m| &m.conflicts) {
                        notices.push(Notice::Warning(format!(
                            "{branch}: both sides changed {c}; review with git handoff show"
                        )));
                    }
                }
                Err(err) => notices.push(Notice::Warning(format!(
                    "{branch}: the packet fetched from {remote} is left aside: {err:#}{}",
                    crate::error::advice_of(&err)
                ))),
            }
        }
        return Ok(());
    }
    for (remote, tip) in fetched_copies(repo, branch)? {
        // A fetched copy that does not pass its checks is left aside: the write goes on.
        if let Err(err) = integrate_checked(repo, branch, tip, writer) {
            notices.push(Notice::Warning(format!(
                "{branch}: the packet fetched from {remote} is left aside: {err:#}{}",
                crate::error::advice_of(&err)
            )));
            continue;
        }
        notices.push(Notice::Status(format!(
            "{branch}: continuing the packet fetched from {remote}"
        )));
        return Ok(());
    }
    Ok(())
}

/// A fetched copy whose name is a directory of the name asked for, or the other way round
/// (a remote turned `a/b` into `a/b/c`): git cannot hold both, so a plain `git fetch` failed to
/// bring the new one. Returns the advice that fixes it.
pub(crate) fn fetched_in_the_way(repo: &Repo, branch: &str) -> anyhow::Result<Option<String>> {
    for chain in store::list_chains(repo)? {
        let Some(remote) = chain.remote.as_deref() else {
            continue;
        };
        let copy = &chain.branch[remote.len() + 1..];
        // Only a name that spells a remote's copy (`origin/a/b/c`) can be one a fetch failed on.
        let Some(wanted) = branch
            .strip_prefix(remote)
            .and_then(|b| b.strip_prefix('/'))
        else {
            continue;
        };
        let nested = |outer: &str, inner: &str| {
            inner.len() > outer.len()
                && inner.starts_with(outer)
                && inner[outer.len()..].starts_with('/')
        };
        if nested(copy, wanted) || nested(wanted, copy) {
            return Ok(Some(format!(
                "the fetched copy {} is in the way of {remote}/{wanted}, so a plain git fetch cannot bring it; drop the copies {remote} no longer has: git fetch --prune {remote} (or git handoff pull {remote}, which prunes them)",
                chain.branch
            )));
        }
    }
    Ok(None)
}

/// Says on stderr when a command reads a copy fetched from a remote in place of the local chain
/// asked for (naming the copy itself, `origin/feature`, needs no word), and when a fetched copy
/// read fails the checks a pull makes (a pull would leave it aside).
pub(crate) fn announce_fetched(repo: &Repo, out: &Output, branch: &str, chain: &Chain) {
    let Some(remote) = chain.remote.as_ref() else {
        return;
    };
    if chain.branch != branch {
        out.status(&format!(
            "{branch}: reading the packet fetched from {remote}; git handoff pull makes it yours"
        ));
    }
    if let Ok(Some(tip)) = store::tip(repo, &chain.refname) {
        // A tip that does not read says so itself; warn about what reads but fails.
        let verdict = store::read_revision(repo, tip).map(|_| store::verify_chain(repo, tip, None));
        if let Ok(Err(err)) = verdict {
            out.warn(&format!(
                "{} is a fetched copy that fails the checks a pull makes ({err:#}); read as it is",
                chain.branch
            ));
        }
    }
}
