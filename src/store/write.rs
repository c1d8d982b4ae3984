//! Writing revisions: the blob, tree and commit of a packet, then the chain ref moved by
//! compare-and-swap (objects before refs).

use super::cas;
use super::chain::{read_tip, tip, Broken, Revision, PACKET_FILE};
use super::layout::chain_ref;
use super::transient::gix_error;
use crate::error::UserError;
use crate::packet::{self, Packet};
use crate::repo::{Oid, Repo};

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
    write_event(repo, branch, |current| {
        Ok((make(current)?, event.to_string()))
    })
}

/// Writes the next revision of `branch`'s chain as [`write`] does, where `make` also says what
/// happened (the event of the chain commit's message, one line).
pub fn write_event(
    repo: &Repo,
    branch: &str,
    mut make: impl FnMut(Option<Result<&Revision, &Broken>>) -> anyhow::Result<(Packet, String)>,
) -> anyhow::Result<Revision> {
    let refname = chain_ref(branch);
    cas::retry(repo, &refname, || {
        let old = tip(repo, &refname)?;
        let current = old.map(|id| read_tip(repo, id)).transpose()?;
        let (packet, event) = make(current.as_ref().map(|c| c.as_ref()))?;
        let event: String = event
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
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
            event,
            parents: old.into_iter().collect(),
            conflicts: Vec::new(),
        }))
    })
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
