//! Reading many packets at once, for the views that read every packet: work shared among
//! threads (each with its own handle on the repository), and blobs read in the order they lie in
//! their pack, so that each delta finds its base in the pack cache instead of resolving its whole
//! delta chain again.

use std::collections::HashSet;

use anyhow::Context;
use gix::odb::pack::Find as _;

use super::chain::{packet_blob_in, read_revision, Revision};
use crate::repo::{Oid, Repo};

/// Reader threads: one per core, at most four.
fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(4)
}

/// Splits `items` into one contiguous share per thread and runs `work` on each share with the
/// thread's own handle (`fresh`: a handle of its own even for a single share); returns each
/// share's result in order. Below `min` items, or where no other handle can see the objects (a
/// push's quarantine), everything runs here on `repo`.
fn shared<I: Sync, S: Send>(
    repo: &Repo,
    items: &[I],
    min: usize,
    work: impl Fn(&mut Repo, &[I]) -> anyhow::Result<S> + Sync,
) -> anyhow::Result<Vec<S>> {
    let workers = workers();
    let Some(seed) = repo.seed().filter(|_| items.len() >= min) else {
        let mut own = match repo.seed() {
            Some(seed) => seed.open()?,
            None => return Err(anyhow::anyhow!("no reader handle in a quarantine")),
        };
        return Ok(vec![work(&mut own, items)?]);
    };
    let chunk = items.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let (seed, work) = (&seed, &work);
                scope.spawn(move || work(&mut seed.open()?, part))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a reader thread failed")))
            })
            .collect()
    })
}

/// Reads many revisions at once, in order: for the views that read every packet.
pub fn read_revisions(repo: &Repo, commits: &[Oid]) -> Vec<anyhow::Result<Revision>> {
    if repo.seed().is_none() || commits.len() < 64 {
        return commits.iter().map(|c| read_revision(repo, *c)).collect();
    }
    let read = shared(repo, commits, 64, |handle, part| {
        Ok(part
            .iter()
            .map(|c| read_revision(handle, *c))
            .collect::<Vec<_>>())
    });
    match read {
        Ok(parts) => parts.into_iter().flatten().collect(),
        Err(err) => commits
            .iter()
            .map(|_| Err(anyhow::anyhow!("{err:#}")))
            .collect(),
    }
}

/// One revision of a chain as [`chain_blobs`] finds it: its commit and its packet blob, or why
/// the blob cannot be found.
pub type RevisionBlob = (Oid, anyhow::Result<Oid>);

/// The packet blob of every revision reachable from each tip (commits and trees only: no packet
/// is read), chains shared among threads.
pub fn chain_blobs(repo: &Repo, tips: &[Oid]) -> anyhow::Result<Vec<Vec<RevisionBlob>>> {
    let parts = shared(repo, tips, 16, |handle, part| {
        Ok(part
            .iter()
            .map(|tip| walk_blobs(handle, *tip))
            .collect::<Vec<_>>())
    })?;
    Ok(parts.into_iter().flatten().collect())
}

fn walk_blobs(repo: &Repo, tip: Oid) -> Vec<RevisionBlob> {
    let mut out = Vec::new();
    let mut seen = HashSet::from([tip]);
    let mut todo = vec![tip];
    while let Some(commit) = todo.pop() {
        // A revision that cannot be read (a shallow clone's missing parent) is passed over with
        // its reason; the rest of the chain is still read.
        let read = repo
            .git
            .find_commit(commit)
            .with_context(|| format!("cannot read packet revision {commit}"))
            .and_then(|object| {
                let decoded = object
                    .decode()
                    .with_context(|| format!("cannot decode commit {commit}"))?;
                todo.extend(decoded.parents().filter(|p| seen.insert(*p)));
                Ok(decoded.tree())
            });
        let blob = read.and_then(|tree| packet_blob_in(repo, commit, tree));
        out.push((commit, blob));
    }
    out
}

/// Reads every blob once, in pack order, shared among threads: each thread starts from
/// `start()` and folds its blobs into it with `fold` (a blob that cannot be read comes as an
/// error); returns every thread's state.
pub fn fold_blobs<S: Send>(
    repo: &Repo,
    blobs: &[Oid],
    start: impl Fn() -> S + Sync,
    fold: impl Fn(&mut S, Oid, anyhow::Result<&[u8]>) + Sync,
) -> anyhow::Result<Vec<S>> {
    // Where each blob lies: loose objects first, then by pack and offset (a base before its
    // deltas, so reading in this order resolves each delta once).
    let located = shared(repo, blobs, 256, |handle, part| {
        handle.git.objects.prevent_pack_unload();
        let mut buf = Vec::new();
        Ok(part
            .iter()
            .map(|id| {
                let at = handle
                    .git
                    .objects
                    .location_by_oid(id, &mut buf)
                    .ok()
                    .flatten();
                (at.map(|l| (l.pack_id, l.pack_offset)), *id)
            })
            .collect::<Vec<_>>())
    })?;
    let mut order: Vec<(Option<(u32, u64)>, Oid)> = located.into_iter().flatten().collect();
    order.sort_unstable();
    let order: Vec<Oid> = order.into_iter().map(|(_, id)| id).collect();
    shared(repo, &order, 256, |handle, part| {
        let mut state = start();
        for id in part {
            match handle.git.find_blob(*id) {
                Ok(blob) => fold(&mut state, *id, Ok(&blob.data)),
                Err(err) => fold(
                    &mut state,
                    *id,
                    Err(anyhow::Error::new(err).context(format!("cannot read blob {id}"))),
                ),
            }
        }
        Ok(state)
    })
}
