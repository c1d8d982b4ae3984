//! The revision a commit carries: what its trailers name, what its old notes said, and the
//! branch's current revision as the fallback. Shared by the hooks, `repair` and pull.

use crate::packet::Packet;
use crate::repo::{Oid, Repo};
use crate::store::{self, Lookup, Revision, StampIndex};
use crate::trailer::{self, Stamp};

/// A candidate intent: a packet blob and its parsed packet.
pub(crate) struct Candidate {
    pub blob: Oid,
    pub packet: Packet,
}

impl From<Revision> for Candidate {
    fn from(r: Revision) -> Self {
        Candidate {
            blob: r.blob,
            packet: r.packet,
        }
    }
}

/// A trailer whose revision number two clones both wrote, with no content id to tell them apart.
pub(crate) struct Ambiguity {
    pub stamp: Stamp,
    pub candidates: Vec<Revision>,
}

/// Resolves the stamps in a commit message to revisions; unknown stamps are skipped and
/// ambiguous ones are returned apart, never guessed. A stamp with a content id is one object
/// lookup; one without (earlier builds) is looked up in the `prefer`red branch's chain, then in
/// `index`, built on first use.
pub(crate) fn from_trailers(
    repo: &Repo,
    message: &str,
    prefer: Option<&str>,
    index: &mut Option<StampIndex>,
) -> anyhow::Result<(Vec<Candidate>, Vec<Ambiguity>)> {
    let mut found = Vec::new();
    let mut ambiguous = Vec::new();
    for stamp in trailer::stamps(message) {
        if stamp.content.is_some() {
            let mut packets = store::packets_by_content(repo, &stamp)?;
            if packets.len() == 1 {
                let (blob, packet) = packets.remove(0);
                found.push(Candidate { blob, packet });
                continue;
            }
        }
        let mut lookup = match prefer {
            Some(branch) => store::find_stamp_in(repo, &store::chain_ref(branch), &stamp)?,
            None => Lookup::Missing,
        };
        if matches!(lookup, Lookup::Missing) {
            let index = match index {
                Some(index) => index,
                None => index.insert(store::stamp_index(repo)?),
            };
            lookup = index.resolve(repo, &stamp);
        }
        match lookup {
            Lookup::Found(revision) => found.push(Candidate::from(*revision)),
            Lookup::Ambiguous(candidates) => ambiguous.push(Ambiguity { stamp, candidates }),
            Lookup::Missing => {}
        }
    }
    Ok((found, ambiguous))
}

/// Reads note blobs as candidates; a note that is not a packet is skipped, never copied on.
pub(crate) fn from_notes(repo: &Repo, blobs: impl IntoIterator<Item = Oid>) -> Vec<Candidate> {
    blobs
        .into_iter()
        .filter_map(|blob| {
            store::read_note(repo, blob)
                .ok()
                .map(|packet| Candidate { blob, packet })
        })
        .collect()
}

/// Picks the newest candidate: for the same packet the highest revision (clocks may be skewed),
/// across packets the latest `updated`.
pub(crate) fn newest(candidates: Vec<Candidate>) -> Option<Candidate> {
    candidates.into_iter().reduce(|best, c| {
        let (a, b) = (&best.packet, &c.packet);
        let newer = if a.id == b.id {
            (b.revision, b.updated) > (a.revision, a.updated)
        } else {
            (b.updated, b.revision) > (a.updated, a.revision)
        };
        if newer {
            c
        } else {
            best
        }
    })
}

/// The intent a fresh commit carries: the newest revision its trailers name (those of the
/// branch's own packet first: a squash message quotes other packets' trailers too), else the
/// branch's latest revision.
pub(crate) fn for_new_commit(
    repo: &Repo,
    commit: Oid,
    branch: Option<&str>,
) -> anyhow::Result<Option<Candidate>> {
    let latest = match branch {
        Some(b) => match store::tip(repo, &store::chain_ref(b))? {
            Some(tip) => store::read_revision(repo, tip).ok().map(Candidate::from),
            None => None,
        },
        None => None,
    };
    let message = repo.message_of(commit)?;
    let stamps = trailer::stamps(&message);
    if stamps.is_empty() {
        return Ok(latest);
    }
    if let Some(own) = &latest {
        // The common case: commit-msg stamped the branch's latest revision. No lookup needed.
        let p = &own.packet;
        let blob = own.blob.to_string();
        let names_latest = stamps.iter().any(|s| {
            s.id == p.id
                && s.revision == p.revision
                && s.content.as_deref().is_none_or(|c| blob.starts_with(c))
        });
        if names_latest
            && !stamps
                .iter()
                .any(|s| s.id == p.id && s.revision > p.revision)
        {
            return Ok(latest);
        }
    }
    let (mut named, _ambiguous) = from_trailers(repo, &message, branch, &mut None)?;
    if let Some(own) = &latest {
        if named.iter().any(|c| c.packet.id == own.packet.id) {
            named.retain(|c| c.packet.id == own.packet.id);
        }
    }
    Ok(newest(named).or(latest))
}

/// Picks the note of a commit annotated differently here and on a remote. A remote never gets
/// to replace a valid local note with a packet of its own making: the fetched note wins only
/// when the local one is not a packet, when the commit's trailer names the fetched blob (by
/// content id, or by id and number in an earlier build's trailer), or when it is a later revision
/// of the same packet that a local chain holds (chains are checked whole when they come in).
pub(crate) fn choose_note(repo: &Repo, commit: Oid, local: Oid, fetched: Oid) -> Oid {
    let (mine, theirs) = (
        store::read_note(repo, local).ok(),
        store::read_note(repo, fetched).ok(),
    );
    let (mine, theirs) = match (mine, theirs) {
        (Some(m), Some(t)) => (m, t),
        (None, Some(_)) => return fetched,
        _ => return local,
    };
    let stamped = repo
        .message_of(commit)
        .map(|m| trailer::stamps(&m))
        .unwrap_or_default();
    let names = |blob: Oid, p: &Packet| {
        let hex = blob.to_string();
        stamped.iter().any(|s| match s.content.as_deref() {
            Some(c) => hex.starts_with(c),
            None => s.id == p.id && s.revision == p.revision,
        })
    };
    match (names(local, &mine), names(fetched, &theirs)) {
        (true, false) => return local,
        (false, true) => return fetched,
        _ => {}
    }
    let held_locally = || {
        let selector = trailer::Selector {
            number: theirs.revision,
            content: Some(fetched.to_string()),
        };
        matches!(
            store::find_revision(repo, &store::chain_ref(&theirs.branch), &selector),
            Ok(Lookup::Found(_))
        )
    };
    if mine.id == theirs.id && theirs.revision > mine.revision && held_locally() {
        fetched
    } else {
        local
    }
}
