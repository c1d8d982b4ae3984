//! Packet chains: `refs/handoff/heads/<branch>`, one commit per revision holding `packet.toml`.

use anyhow::Context;
use gix::bstr::ByteSlice;

use super::cas;
use super::layout::{self, chain_ref, CHAIN_PREFIX, FETCHED_PREFIX};
use crate::error::UserError;
use crate::packet::{self, Packet};
use crate::repo::{Oid, Repo};

pub(super) const PACKET_FILE: &str = "packet.toml";
/// How a merge commit message lists a conflict: `conflict <field>: kept <json>, other <json>`.
pub(super) const CONFLICT_PREFIX: &str = "conflict ";

/// One stored revision.
#[derive(Debug, Clone)]
pub struct Revision {
    /// The chain commit holding this revision.
    pub commit: Oid,
    /// The `packet.toml` blob (the same object the notes point to).
    pub blob: Oid,
    /// The parsed packet.
    pub packet: Packet,
    /// The event from the commit message ("start", "update", …).
    pub event: String,
    /// Parent revision commits (two for a merge).
    pub parents: Vec<Oid>,
    /// Scalars a merge found changed on both sides, as recorded in the merge commit message.
    pub conflicts: Vec<String>,
}

/// A chain tip whose packet does not read: what a writer needs to replace it.
#[derive(Debug, Clone)]
pub struct Broken {
    pub commit: Oid,
    /// The revision number its commit message declares (0 when it declares none).
    pub number: u64,
    /// Why it does not read.
    pub problem: String,
    /// The raw `packet.toml` text, when there is one, for editing.
    pub text: Option<String>,
}

/// A packet chain ref and the branch it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub refname: String,
    /// The branch, prefixed with the remote for fetched copies ("origin/feature").
    pub branch: String,
    /// The remote a fetched copy came from.
    pub remote: Option<String>,
}

/// Returns the tip commit of a chain, if the chain exists.
pub fn tip(repo: &Repo, refname: &str) -> anyhow::Result<Option<Oid>> {
    cas::read_ref(repo, refname)
}

/// Finds the chain for a branch name: local first, then a fetched copy ("origin/feature").
pub fn find_chain(repo: &Repo, name: &str) -> anyhow::Result<Option<Chain>> {
    let local = chain_ref(name);
    if tip(repo, &local)?.is_some() {
        return Ok(Some(Chain {
            refname: local,
            branch: name.to_string(),
            remote: None,
        }));
    }
    if let Some((remote, branch)) = name.split_once('/') {
        let refname = layout::remote_chain_ref(remote, branch);
        if tip(repo, &refname)?.is_some() {
            return Ok(Some(Chain {
                refname,
                branch: name.to_string(),
                remote: Some(remote.to_string()),
            }));
        }
    }
    Ok(None)
}

/// Finds a branch's chain: local, else a fetched copy (the branch's upstream remote's first),
/// so that a packet only fetched so far still reads. Every command reads a branch's chain so.
pub fn resolve_chain(repo: &Repo, branch: &str) -> anyhow::Result<Option<Chain>> {
    if let Some(chain) = find_chain(repo, branch)? {
        return Ok(Some(chain));
    }
    let upstream = repo.upstream_remote(branch);
    let upstream = upstream.as_deref();
    // A fetched copy stands in only for a real branch name: a remote's `HEAD` or a name that
    // spells a commit id must not take over what those words mean here.
    if !crate::repo::is_branch_name(branch)
        || repo.resolve_commit(branch).is_some_and(|c| {
            c.to_string().starts_with(&branch.to_ascii_lowercase()) && branch.len() >= 4
        })
    {
        return Ok(None);
    }
    let mut copies: Vec<Chain> = list_chains(repo)?
        .into_iter()
        .filter(|c| {
            c.remote
                .as_deref()
                .is_some_and(|r| c.branch == format!("{r}/{branch}"))
        })
        .collect();
    copies.sort_by_key(|c| c.remote.as_deref() != upstream);
    Ok(copies.into_iter().next())
}

/// Lists every chain, local ones first, then fetched copies.
pub fn list_chains(repo: &Repo) -> anyhow::Result<Vec<Chain>> {
    Ok(list_chain_tips(repo)?.into_iter().map(|(c, _)| c).collect())
}

/// Lists every chain with its tip as the listing read it (one pass over the refs, for readers
/// of many chains; a writer reads the tip afresh with [`tip`]).
pub fn list_chain_tips(repo: &Repo) -> anyhow::Result<Vec<(Chain, Oid)>> {
    let platform = repo.git.references().context("cannot list refs")?;
    let mut out = Vec::new();
    for prefix in [CHAIN_PREFIX, FETCHED_PREFIX] {
        let iter = platform
            .prefixed(prefix)
            .with_context(|| format!("cannot list {prefix}"))?;
        for reference in iter {
            let Ok(reference) = reference else { continue };
            let Some(tip) = reference.target().try_id().map(ToOwned::to_owned) else {
                continue;
            };
            let refname = reference.name().as_bstr().to_string();
            let chain = if let Some(branch) = layout::branch_of(&refname) {
                Chain {
                    branch: branch.to_string(),
                    remote: None,
                    refname: refname.clone(),
                }
            } else {
                let Some((remote, branch)) = layout::parse_remote_chain_ref(&refname) else {
                    continue;
                };
                Chain {
                    branch: format!("{remote}/{branch}"),
                    remote: Some(remote.to_string()),
                    refname: refname.clone(),
                }
            };
            out.push((chain, tip));
        }
    }
    Ok(out)
}

/// Reads the revision stored in a chain commit.
pub fn read_revision(repo: &Repo, commit: Oid) -> anyhow::Result<Revision> {
    let object = repo
        .git
        .find_commit(commit)
        .with_context(|| format!("cannot read packet revision {commit}"))?;
    let decoded = object
        .decode()
        .with_context(|| format!("cannot decode commit {commit}"))?;
    let message = decoded.message.to_str_lossy();
    let event = event_of(message.as_ref());
    let parents: Vec<Oid> = decoded.parents().collect();
    // Only a merge records conflicts: such lines on any other commit are someone's text.
    let conflicts = message
        .lines()
        .filter(|_| parents.len() > 1)
        .filter_map(|l| l.strip_prefix(CONFLICT_PREFIX))
        .map(ToString::to_string)
        .collect();
    let blob = packet_blob_in(repo, commit, decoded.tree())?;
    let packet =
        read_packet_blob(repo, blob).with_context(|| format!("in packet revision {commit}"))?;
    Ok(Revision {
        commit,
        blob,
        packet,
        event,
        parents,
        conflicts,
    })
}

/// The `packet.toml` blob of a revision's tree.
pub(super) fn packet_blob_in(repo: &Repo, commit: Oid, tree: Oid) -> anyhow::Result<Oid> {
    let tree = repo
        .git
        .find_tree(tree)
        .with_context(|| format!("cannot read the tree of packet revision {commit}"))?;
    let entry = tree.find_entry(PACKET_FILE).ok_or_else(|| {
        UserError::new(format!("packet revision {commit} has no {PACKET_FILE}"))
            .hint("the chain was written by something else; inspect it with git show")
    })?;
    if entry.mode().kind() != gix::object::tree::EntryKind::Blob {
        return Err(UserError::new(format!(
            "packet revision {commit} holds {PACKET_FILE} as a link or a directory, not a file"
        ))
        .hint(format!("inspect it with: git ls-tree {commit}"))
        .into());
    }
    Ok(entry.object_id())
}

/// Reads and parses a packet blob.
pub(super) fn read_packet_blob(repo: &Repo, blob: Oid) -> anyhow::Result<Packet> {
    let size = repo
        .git
        .find_header(blob)
        .with_context(|| format!("cannot read blob {blob}"))?
        .size();
    if size > packet::MAX_PACKET_BYTES as u64 {
        return Err(UserError::new(format!(
            "packet {blob} is {size} bytes, over the {} byte limit",
            packet::MAX_PACKET_BYTES
        ))
        .hint(format!("inspect it with: git cat-file -p {blob}"))
        .into());
    }
    let object = repo
        .git
        .find_blob(blob)
        .with_context(|| format!("cannot read blob {blob}"))?;
    packet::read_stored(&object.data).map_err(|e| {
        UserError::new(format!("packet {blob} is not a valid packet: {e}"))
            .hint(format!("inspect it with: git cat-file -p {blob}"))
            .into()
    })
}

/// Returns the revision number a chain commit's message declares, without reading its packet.
pub fn revision_number(repo: &Repo, commit: Oid) -> anyhow::Result<Option<u64>> {
    Ok(subject_of(repo, commit)?.map(|(_, n)| n))
}

/// Returns the packet id and revision number a chain commit's subject declares.
pub(super) fn subject_of(repo: &Repo, commit: Oid) -> anyhow::Result<Option<(String, u64)>> {
    let object = repo
        .git
        .find_commit(commit)
        .context("cannot read packet revision")?;
    Ok(subject_stamp(object.message_raw_sloppy()))
}

/// Lists the commits of a chain, from its tip back (empty when the chain does not exist).
pub(super) fn chain_commits(repo: &Repo, refname: &str) -> anyhow::Result<Vec<Oid>> {
    let Some(tip) = tip(repo, refname)? else {
        return Ok(Vec::new());
    };
    let walk = repo
        .git
        .rev_walk([tip])
        .all()
        .context("cannot walk the packet chain")?;
    walk.map(|info| info.map(|i| i.id).context("cannot walk the packet chain"))
        .collect()
}

/// Returns every revision reachable from the chain's tip, newest revision first.
pub fn history(repo: &Repo, refname: &str) -> anyhow::Result<Vec<Revision>> {
    let mut out = chain_commits(repo, refname)?
        .into_iter()
        .map(|id| read_revision(repo, id))
        .collect::<anyhow::Result<Vec<_>>>()?;
    out.sort_by_key(|r| std::cmp::Reverse(r.packet.revision));
    Ok(out)
}

/// Returns the revisions reachable from `tip` but not from `known` (what a push would carry to
/// a remote whose copy is `known`); a commit whose packet does not read is skipped.
pub fn revisions_since(repo: &Repo, tip: Oid, known: Option<Oid>) -> anyhow::Result<Vec<Revision>> {
    let walk = repo
        .git
        .rev_walk([tip])
        .with_hidden(known)
        .all()
        .context("cannot walk the packet chain")?;
    let mut out = Vec::new();
    for info in walk {
        let id = info.context("cannot walk the packet chain")?.id;
        if let Ok(revision) = read_revision(repo, id) {
            out.push(revision);
        }
    }
    Ok(out)
}

fn event_of(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    first
        .split_once(": ")
        .map_or_else(|| first.to_string(), |(_, e)| e.trim().to_string())
}

/// Reads a chain tip; a packet that does not read comes back as [`Broken`] so it can be replaced.
pub fn read_tip(repo: &Repo, commit: Oid) -> anyhow::Result<Result<Revision, Broken>> {
    match read_revision(repo, commit) {
        Ok(revision) => Ok(Ok(revision)),
        Err(err) => {
            let text = repo
                .git
                .find_commit(commit)
                .ok()
                .and_then(|c| c.tree().ok())
                .and_then(|t| t.find_entry(PACKET_FILE).map(|e| e.object_id()))
                .and_then(|blob| repo.git.find_blob(blob).ok())
                .filter(|b| b.data.len() <= packet::MAX_PACKET_BYTES)
                .and_then(|b| String::from_utf8(b.data.clone()).ok());
            Ok(Err(Broken {
                commit,
                number: revision_number(repo, commit)?.unwrap_or(0),
                problem: format!("{err:#}"),
                text,
            }))
        }
    }
}

/// Reads `handoff <id> r<N>: <event>` from a revision commit's subject.
pub(super) fn subject_stamp(message: &[u8]) -> Option<(String, u64)> {
    let message = std::str::from_utf8(message).ok()?;
    let mut words = message.split_whitespace();
    if words.next() != Some("handoff") {
        return None;
    }
    let id = words.next()?;
    let revision = words
        .next()?
        .strip_suffix(':')?
        .strip_prefix('r')?
        .parse()
        .ok()?;
    Some((id.to_string(), revision))
}
