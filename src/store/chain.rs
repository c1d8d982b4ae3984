//! Packet chains: `refs/handoff/heads/<branch>`, one commit per revision holding `packet.toml`.

use anyhow::Context;
use gix::bstr::ByteSlice;

use std::collections::HashMap;

use super::cas;
use super::transient::gix_error;
use crate::error::UserError;
use crate::packet::{self, Packet};
use crate::repo::{Oid, Repo};
use crate::trailer::{Selector, Stamp};

pub(super) const PACKET_FILE: &str = "packet.toml";
const LOCAL_PREFIX: &str = "refs/handoff/heads/";
const REMOTE_PREFIX: &str = "refs/handoff-remotes/";
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

/// Returns the chain ref of a local branch.
pub fn chain_ref(branch: &str) -> String {
    format!("{LOCAL_PREFIX}{branch}")
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
        let refname = format!("{REMOTE_PREFIX}{remote}/heads/{branch}");
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

/// Finds a branch's chain: local, else a fetched copy (the upstream remote's first), so that a
/// packet only fetched so far still reads.
pub fn find_branch_chain(
    repo: &Repo,
    branch: &str,
    upstream: Option<&str>,
) -> anyhow::Result<Option<Chain>> {
    if let Some(chain) = find_chain(repo, branch)? {
        return Ok(Some(chain));
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
    let platform = repo.git.references().context("cannot list refs")?;
    let mut out = Vec::new();
    for prefix in [LOCAL_PREFIX, REMOTE_PREFIX] {
        let iter = platform
            .prefixed(prefix)
            .with_context(|| format!("cannot list {prefix}"))?;
        for reference in iter {
            let Ok(reference) = reference else { continue };
            let refname = reference.name().as_bstr().to_string();
            let rest = &refname[prefix.len()..];
            let chain = if prefix == LOCAL_PREFIX {
                Chain {
                    branch: rest.to_string(),
                    remote: None,
                    refname: refname.clone(),
                }
            } else {
                let Some((remote, branch)) = rest.split_once("/heads/") else {
                    continue;
                };
                Chain {
                    branch: format!("{remote}/{branch}"),
                    remote: Some(remote.to_string()),
                    refname: refname.clone(),
                }
            };
            out.push(chain);
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
    let conflicts = message
        .lines()
        .filter_map(|l| l.strip_prefix(CONFLICT_PREFIX))
        .map(ToString::to_string)
        .collect();
    let parents: Vec<Oid> = decoded.parents().collect();
    let tree = repo
        .git
        .find_tree(decoded.tree())
        .with_context(|| format!("cannot read the tree of packet revision {commit}"))?;
    let entry = tree.find_entry(PACKET_FILE).ok_or_else(|| {
        UserError::new(format!("packet revision {commit} has no {PACKET_FILE}"))
            .hint("the chain was written by something else; inspect it with git show")
    })?;
    let blob = entry.object_id();
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
    let text = std::str::from_utf8(&object.data)
        .map_err(|_| UserError::new(format!("packet {blob} is not UTF-8 text")))?;
    packet::parse_toml(text).map_err(|e| {
        UserError::new(format!("packet {blob} is not a valid packet: {e}"))
            .hint(format!("inspect it with: git cat-file -p {blob}"))
            .into()
    })
}

/// Returns the revision number a chain commit's message declares, without reading its packet.
pub fn revision_number(repo: &Repo, commit: Oid) -> anyhow::Result<Option<u64>> {
    let object = repo
        .git
        .find_commit(commit)
        .context("cannot read packet revision")?;
    Ok(subject_stamp(object.message_raw_sloppy()).map(|(_, n)| n))
}

/// Lists the commits of a chain, from its tip back (empty when the chain does not exist).
fn chain_commits(repo: &Repo, refname: &str) -> anyhow::Result<Vec<Oid>> {
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

fn event_of(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    first
        .split_once(": ")
        .map_or_else(|| first.to_string(), |(_, e)| e.trim().to_string())
}

/// Writes the next revision of `branch`'s chain.
///
/// `make` receives the current tip (re-read after every lost race) and returns the packet to
/// store, or an error that aborts without writing anything.
pub fn write(
    repo: &Repo,
    branch: &str,
    event: &str,
    mut make: impl FnMut(Option<Result<&Revision, &Broken>>) -> anyhow::Result<Packet>,
) -> anyhow::Result<Revision> {
    let refname = chain_ref(branch);
    cas::retry(repo, &refname, || {
        let old = tip(repo, &refname)?;
        let current = old.map(|id| read_tip(repo, id)).transpose()?;
        let packet = make(current.as_ref().map(|c| c.as_ref()))?;
        packet::validate(&packet)
            .map_err(|e| UserError::new(format!("the packet would be invalid: {e}")))?;
        let message = format!("handoff {} r{}: {event}\n", packet.id, packet.revision);
        let (commit, blob) = commit_packet(repo, &packet, old.into_iter().collect(), &message)?;
        if !cas::swap(repo, &refname, old, commit, message.trim_end())? {
            return Ok(None);
        }
        Ok(Some(Revision {
            commit,
            blob,
            packet,
            event: event.to_string(),
            parents: old.into_iter().collect(),
            conflicts: Vec::new(),
        }))
    })
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

/// Writes a revision's blob, tree and commit (not the ref); returns the commit and the blob.
pub(super) fn commit_packet(
    repo: &Repo,
    packet: &Packet,
    parents: Vec<Oid>,
    message: &str,
) -> anyhow::Result<(Oid, Oid)> {
    let text = packet::to_toml(packet);
    // Never store what would not read back as this very packet.
    if packet::parse_toml(&text).ok().as_ref() != Some(packet) {
        anyhow::bail!("the packet does not survive its own TOML rendering; nothing was written");
    }
    let blob = repo
        .git
        .write_blob(text.as_bytes())
        .map_err(|e| gix_error(&e, "cannot write packet blob"))?
        .detach();
    let tree = gix::objs::Tree {
        entries: vec![gix::objs::tree::Entry {
            mode: gix::objs::tree::EntryKind::Blob.into(),
            filename: PACKET_FILE.into(),
            oid: blob,
        }],
    };
    let tree = repo
        .git
        .write_object(&tree)
        .map_err(|e| gix_error(&e, "cannot write packet tree"))?
        .detach();
    let signature = signature(packet)?;
    let commit = gix::objs::Commit {
        tree,
        parents: parents.into_iter().collect(),
        author: signature.clone(),
        committer: signature,
        encoding: None,
        message: message.into(),
        extra_headers: Vec::new(),
    };
    let commit = repo
        .git
        .write_object(&commit)
        .map_err(|e| gix_error(&e, "cannot write packet commit"))?
        .detach();
    Ok((commit, blob))
}

fn signature(packet: &Packet) -> anyhow::Result<gix::actor::Signature> {
    let (name, email) = packet
        .author
        .trim()
        .trim_end_matches('>')
        .split_once('<')
        .ok_or_else(|| anyhow::anyhow!("author {:?} is not \"Name <email>\"", packet.author))?;
    Ok(gix::actor::Signature {
        name: name.trim().into(),
        email: email.trim().into(),
        time: gix::date::Time {
            seconds: packet.updated.seconds(),
            offset: 0,
        },
    })
}

/// What looking up a revision by its number (and content id) found.
#[derive(Debug)]
pub enum Lookup {
    /// Exactly one revision.
    Found(Box<Revision>),
    /// Several distinct revisions carry that number (two clones both wrote it); never guessed.
    Ambiguous(Vec<Revision>),
    /// None.
    Missing,
}

impl Lookup {
    /// Reads the revisions of `commits` that `selector` names (for packet `id` when given),
    /// one per distinct packet blob.
    fn of(
        repo: &Repo,
        commits: &[Oid],
        id: Option<&str>,
        selector: &Selector,
    ) -> anyhow::Result<Lookup> {
        let mut found: Vec<Revision> = Vec::new();
        for commit in commits {
            let revision = read_revision(repo, *commit)?;
            let p = &revision.packet;
            if p.revision != selector.number
                || id.is_some_and(|id| p.id != id)
                || !selector.matches_blob(&revision.blob.to_string())
                || found.iter().any(|f| f.blob == revision.blob)
            {
                continue;
            }
            found.push(revision);
        }
        Ok(match found.len() {
            0 => Lookup::Missing,
            1 => Lookup::Found(Box::new(found.remove(0))),
            _ => Lookup::Ambiguous(found),
        })
    }
}

/// Finds the revision `selector` names among the ancestors of the chain's tip, reading only
/// the packets whose commit subject carries that number.
pub fn find_revision(repo: &Repo, refname: &str, selector: &Selector) -> anyhow::Result<Lookup> {
    let mut commits = Vec::new();
    for id in chain_commits(repo, refname)? {
        if revision_number(repo, id)? == Some(selector.number) {
            commits.push(id);
        }
    }
    Lookup::of(repo, &commits, None, selector)
}

/// Reads `handoff <id> r<N>: <event>` from a revision commit's subject.
fn subject_stamp(message: &[u8]) -> Option<(String, u64)> {
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

/// Every revision commit of every chain (local and fetched), by packet id and revision number.
#[derive(Debug, Default)]
pub struct StampIndex {
    commits: HashMap<(String, u64), Vec<Oid>>,
}

impl StampIndex {
    /// Resolves a trailer's stamp: by its content id when it has one, else by number alone
    /// (which two clones may both have written).
    pub fn resolve(&self, repo: &Repo, stamp: &Stamp) -> anyhow::Result<Lookup> {
        let Some(commits) = self.commits.get(&(stamp.id.clone(), stamp.revision)) else {
            return Ok(Lookup::Missing);
        };
        let selector = Selector {
            number: stamp.revision,
            content: stamp.content.clone(),
        };
        Lookup::of(repo, commits, Some(&stamp.id), &selector)
    }
}

/// Indexes the subject of every revision commit of every chain, in one pass.
pub fn stamp_index(repo: &Repo) -> anyhow::Result<StampIndex> {
    let mut index = StampIndex::default();
    let mut seen = std::collections::HashSet::new();
    for chain in list_chains(repo)? {
        for id in chain_commits(repo, &chain.refname)? {
            if !seen.insert(id) {
                continue; // a fetched copy shares most of its commits with the local chain
            }
            let commit = repo
                .git
                .find_commit(id)
                .context("cannot read packet revision")?;
            if let Some(key) = subject_stamp(commit.message_raw_sloppy()) {
                index.commits.entry(key).or_default().push(id);
            }
        }
    }
    Ok(index)
}

/// Finds the packet blobs a trailer's content id names: blobs whose id starts with it and whose
/// packet is revision `stamp.revision` of packet `stamp.id`. It reads the object database, not
/// the chains, so it is one lookup and also finds revisions whose chain is gone.
pub fn packets_by_content(repo: &Repo, stamp: &Stamp) -> anyhow::Result<Vec<(Oid, Packet)>> {
    let Some(content) = stamp.content.as_deref() else {
        return Ok(Vec::new());
    };
    let Ok(prefix) = gix::hash::Prefix::from_hex(content) else {
        return Ok(Vec::new());
    };
    let mut ids = std::collections::HashSet::new();
    repo.git
        .objects
        .lookup_prefix(prefix, Some(&mut ids))
        .map_err(|e| anyhow::anyhow!("cannot look up {content}: {e}"))?;
    let mut out = Vec::new();
    for id in ids {
        let is_blob = repo
            .git
            .find_header(id)
            .is_ok_and(|h| h.kind() == gix::object::Kind::Blob);
        if !is_blob {
            continue;
        }
        if let Ok(packet) = read_packet_blob(repo, id) {
            if packet.id == stamp.id && packet.revision == stamp.revision {
                out.push((id, packet));
            }
        }
    }
    Ok(out)
}
