//! Finding a revision by what names it: a number in a chain (`show --revision 3`), a trailer's
//! `<id> r<N>@<content>`, or an earlier build's `<id> r<N>`. Two clones may both have written a
//! number; such a number is ambiguous and is never guessed.

use std::collections::{HashMap, HashSet};

use anyhow::Context;

use super::chain::{chain_commits, list_chains, read_packet_blob, read_revision, subject_of};
use super::Revision;
use crate::packet::Packet;
use crate::repo::{Oid, Repo};
use crate::trailer::{Selector, Stamp};

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
    /// Reads the revisions of `commits` that `selector` names (for packet `id` when given), one
    /// per distinct packet blob; a commit whose packet does not read is no candidate.
    fn of(repo: &Repo, commits: &[Oid], id: Option<&str>, selector: &Selector) -> Lookup {
        let mut found: Vec<Revision> = Vec::new();
        for commit in commits {
            let Ok(revision) = read_revision(repo, *commit) else {
                continue;
            };
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
        match found.len() {
            0 => Lookup::Missing,
            1 => Lookup::Found(Box::new(found.remove(0))),
            _ => Lookup::Ambiguous(found),
        }
    }
}

/// Finds the revision `selector` names among the ancestors of the chain's tip, reading only
/// the packets whose commit subject carries that number.
pub fn find_revision(repo: &Repo, refname: &str, selector: &Selector) -> anyhow::Result<Lookup> {
    Ok(Lookup::of(
        repo,
        &numbered(repo, refname, None, selector.number)?,
        None,
        selector,
    ))
}

/// The commits of a chain whose subject names revision `number` (of packet `id`, when given).
fn numbered(repo: &Repo, refname: &str, id: Option<&str>, number: u64) -> anyhow::Result<Vec<Oid>> {
    let mut commits = Vec::new();
    for commit in chain_commits(repo, refname)? {
        if let Some((subject_id, n)) = subject_of(repo, commit)? {
            if n == number && id.is_none_or(|id| id == subject_id) {
                commits.push(commit);
            }
        }
    }
    Ok(commits)
}

/// Resolves a stamp without a content id in one chain (the branch's own, the common case).
pub fn find_stamp_in(repo: &Repo, refname: &str, stamp: &Stamp) -> anyhow::Result<Lookup> {
    let selector = Selector {
        number: stamp.revision,
        content: stamp.content.clone(),
    };
    Ok(Lookup::of(
        repo,
        &numbered(repo, refname, Some(&stamp.id), stamp.revision)?,
        Some(&stamp.id),
        &selector,
    ))
}

/// Every revision commit of every chain, by packet id and revision number; local chains apart
/// from fetched copies, which only count when no local revision matches.
#[derive(Debug, Default)]
pub struct StampIndex {
    local: HashMap<(String, u64), Vec<Oid>>,
    fetched: HashMap<(String, u64), Vec<Oid>>,
}

impl StampIndex {
    /// Resolves a trailer's stamp: by its content id when it has one, else by number alone
    /// (which two clones may both have written).
    pub fn resolve(&self, repo: &Repo, stamp: &Stamp) -> Lookup {
        let key = (stamp.id.clone(), stamp.revision);
        let selector = Selector {
            number: stamp.revision,
            content: stamp.content.clone(),
        };
        for commits in [self.local.get(&key), self.fetched.get(&key)]
            .into_iter()
            .flatten()
        {
            match Lookup::of(repo, commits, Some(&stamp.id), &selector) {
                Lookup::Missing => {}
                found => return found,
            }
        }
        Lookup::Missing
    }
}

/// Indexes the subject of every revision commit of every chain, in one pass.
pub fn stamp_index(repo: &Repo) -> anyhow::Result<StampIndex> {
    let mut index = StampIndex::default();
    let mut seen = HashSet::new();
    for chain in list_chains(repo)? {
        for id in chain_commits(repo, &chain.refname)? {
            if !seen.insert(id) {
                continue; // a fetched copy shares most of its commits with the local chain
            }
            if let Some(key) = subject_of(repo, id)? {
                let map = if chain.remote.is_none() {
                    &mut index.local
                } else {
                    &mut index.fetched
                };
                map.entry(key).or_default().push(id);
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
    let hex_len = repo.git.object_hash().len_in_hex();
    if content.len() > hex_len {
        return Ok(Vec::new()); // longer than any id of this repository: it names nothing here
    }
    // The prefix must be of this repository's hash kind, whatever its length.
    let padded = format!("{content:0<hex_len$}");
    let Ok(full) = Oid::from_hex(padded.as_bytes()) else {
        return Ok(Vec::new());
    };
    let Ok(prefix) = gix::hash::Prefix::new(&full, content.len()) else {
        return Ok(Vec::new());
    };
    let mut ids = HashSet::new();
    repo.git
        .objects
        .lookup_prefix(prefix, Some(&mut ids))
        .map_err(|e| anyhow::anyhow!("cannot look up {content}: {e}"))
        .context("cannot resolve a Handoff trailer")?;
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
