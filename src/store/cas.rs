//! Compare-and-swap of one ref, with bounded retries for concurrent writers.
//!
//! The comparison is made the way git makes it: under the ref's lock, against the loose ref if
//! there is one, else against `packed-refs` read afresh. A view of `packed-refs` taken before the
//! lock may predate a `git pack-refs` that moved newer values into it and removed the loose ref,
//! and comparing against that view would overwrite revisions other writers had already stored.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use gix::lock::acquire::Fail;
use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};
use gix::refs::Target;

use super::transient::{describe, is_transient, lock_was_held, vanished_directory};
use crate::error::UserError;
use crate::repo::{Oid, Repo, Role};

/// How long a writer keeps retrying before it gives up and reports the contention.
const RETRY_FOR: Duration = Duration::from_secs(60);
/// How long a ref's lock file may sit unchanged before it is taken for one left by a crashed
/// process (a live writer holds it for milliseconds).
const STALE_LOCK_AFTER: Duration = Duration::from_secs(3);
/// The same for `packed-refs.lock`, which `git pack-refs` and `git gc` hold while they list
/// every loose ref: much longer in a big repository.
const STALE_PACKED_LOCK_AFTER: Duration = Duration::from_secs(30);

/// Reads where `name` points now (`None` when it does not exist): the loose ref, else the value
/// in `packed-refs` as it is on disk at this moment.
pub fn read_ref(repo: &Repo, name: &str) -> anyhow::Result<Option<Oid>> {
    if gix::refs::FullName::try_from(name).is_err() {
        return Ok(None); // "refs/handoff/heads/HEAD~1" names no ref; callers try other readings
    }
    let store = &repo.git.refs;
    let cannot = || format!("cannot read {name}");
    let loose = store
        .try_find_loose(name)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(cannot)?;
    let reference = if let Some(loose) = loose {
        Some(gix::refs::Reference::from(loose))
    } else {
        let packed = store
            .open_packed_buffer()
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(cannot)?;
        store
            .try_find_packed(name, packed.as_ref())
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(cannot)?
    };
    Ok(reference.and_then(|r| r.target.try_id().map(ToOwned::to_owned)))
}

/// Moves `name` from `old` to `new`; returns false when another writer moved it first or holds
/// its lock (the caller re-reads and tries again).
pub fn swap(
    repo: &Repo,
    name: &str,
    old: Option<Oid>,
    new: Oid,
    log: &str,
) -> anyhow::Result<bool> {
    let expected = match old {
        Some(id) => PreviousValue::MustExistAndMatch(Target::Object(id)),
        None => PreviousValue::MustNotExist,
    };
    let edit = RefEdit {
        change: Change::Update {
            log: LogChange {
                mode: RefLog::AndReference,
                force_create_reflog: true,
                message: log.into(),
            },
            expected,
            new: Target::Object(new),
        },
        name: name
            .try_into()
            .with_context(|| format!("{name} is not a valid ref name"))?,
        deref: false,
    };
    // The reflog names the committer; without one (or with an unreadable pinned date) gix writes
    // the update without a reflog entry, as before.
    let committer = repo.signature(Role::Committer).ok();
    let mut time = gix::date::parse::TimeBuf::default();
    let committer = committer.as_ref().map(|sig| sig.to_ref(&mut time));
    // gix compares against its own view of packed-refs before it locks, and reloads that view
    // only when the file's mtime grows: start from what is on disk now.
    if repo.git.refs.packed_refs_path().exists() {
        let _ = repo.git.refs.force_refresh_packed_buffer();
    }
    let prepared =
        match repo
            .git
            .refs
            .transaction()
            .prepare([edit], Fail::Immediately, Fail::Immediately)
        {
            Ok(prepared) => prepared,
            Err(err) => return not_prepared(repo, name, old, &err),
        };
    // The ref is locked now: nobody can move it, and git's pack-refs cannot prune its loose
    // file. Compare once more against what is on disk; dropping `prepared` releases the lock.
    if read_ref(repo, name)? != old {
        return Ok(false);
    }
    prepared.commit(committer).map_err(|e| {
        UserError::new(format!("cannot update {name}: {}", describe(&e)))
            .hint("check the repository with git status and git fsck, then run the command again")
    })?;
    Ok(true)
}

/// Decides what a failed preparation means: a lost race or a held lock (retry), or an error.
fn not_prepared(
    repo: &Repo,
    name: &str,
    old: Option<Oid>,
    err: &gix::Error,
) -> anyhow::Result<bool> {
    let now = read_ref(repo, name)?;
    if let (None, Some(blocker)) = (now, blocking_ref(repo, name)) {
        return Err(UserError::new(format!("cannot create {name}: {blocker} is in the way"))
            .hint(format!(
                "a ref cannot also be a directory; keep the old one under another name: git update-ref {} {blocker} && git update-ref -d {blocker}",
                super::layout::archive_ref(blocker.rsplit('/').next().unwrap_or("old"))
            ))
            .into());
    }
    if err.is_permission_denied() {
        return Err(
            UserError::new(format!("cannot update {name}: permission denied"))
                .hint(format!(
                    "the repository at {} must be writable by you",
                    repo.common_dir().display()
                ))
                .into(),
        );
    }
    if now != old
        || err.is_conflict()
        || err.is_not_found()
        || err.is_retryable()
        || vanished_directory(err)
        || lock_was_held(err)
        || !held_locks(repo, name).is_empty()
    {
        return Ok(false);
    }
    Err(UserError::new(format!("cannot update {name}: {}", describe(err)))
        .hint("nothing was changed; check the repository with git status and git fsck, then run the command again")
        .into())
}

/// Moves `name` back from `now` to `before`, only if it is still at `now` (another writer's
/// later move stays).
pub fn restore_ref(repo: &Repo, name: &str, now: Oid, before: Oid) -> anyhow::Result<()> {
    retry(repo, name, || {
        if read_ref(repo, name)? != Some(now) {
            return Ok(Some(()));
        }
        Ok(swap(
            repo,
            name,
            Some(now),
            before,
            "handoff: set aside for a refused write",
        )?
        .then_some(()))
    })
}

/// Lists every ref under `prefix` and where it points.
///
/// Deleting them is left to `git update-ref` (see `transport::delete_refs`): a deletion may
/// rewrite `packed-refs`, and gix 0.90 rewrites it from a view read before taking its lock, which
/// could put back old values of other refs that `git pack-refs` had just packed.
pub fn refs_under(repo: &Repo, prefix: &str) -> anyhow::Result<Vec<(String, Oid)>> {
    let platform = repo.git.references().context("cannot list refs")?;
    let mut out = Vec::new();
    for reference in platform
        .prefixed(prefix)
        .with_context(|| format!("cannot list {prefix}"))?
    {
        let Ok(reference) = reference else { continue };
        if let Some(id) = reference.target().try_id() {
            out.push((reference.name().as_bstr().to_string(), id.to_owned()));
        }
    }
    Ok(out)
}

/// Finds an existing ref that is a path prefix of `name` (`refs/handoff/heads/a` blocks
/// `refs/handoff/heads/a/b`).
fn blocking_ref(repo: &Repo, name: &str) -> Option<String> {
    let parts: Vec<&str> = name.split('/').collect();
    for end in 3..parts.len() {
        let prefix = parts[..end].join("/");
        // A directory that pack-refs removes while we look is no ref in the way either.
        if read_ref(repo, &prefix).ok().flatten().is_some() {
            return Some(prefix);
        }
    }
    None
}

/// The lock files that keep `name` from being written, as they are now.
fn held_locks(repo: &Repo, name: &str) -> Vec<(PathBuf, LockSeen)> {
    let dir = repo.common_dir();
    [
        dir.join(format!("{name}.lock")),
        dir.join("packed-refs.lock"),
    ]
    .into_iter()
    .filter_map(|path| LockSeen::of(&path).map(|seen| (path, seen)))
    .collect()
}

/// What identifies one lock file among the many that concurrent writers create and remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LockSeen {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

impl LockSeen {
    fn of(path: &Path) -> Option<LockSeen> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(LockSeen {
            modified: meta.modified().ok(),
            len: meta.len(),
            inode,
        })
    }
}

/// Watches the lock files in the way of a write: one that stays the same file for
/// [`STALE_LOCK_AFTER`] was left by a process that is gone (or is hung).
#[derive(Default)]
struct LockWatch {
    seen: Vec<(PathBuf, LockSeen, Instant)>,
}

impl LockWatch {
    /// Records the locks held now; returns the path of one that has not changed for too long.
    fn stale(&mut self, held: Vec<(PathBuf, LockSeen)>) -> Option<PathBuf> {
        let now = Instant::now();
        let mut next = Vec::with_capacity(held.len());
        for (path, seen) in held {
            let since = self
                .seen
                .iter()
                .find(|(p, s, _)| *p == path && *s == seen)
                .map_or(now, |(_, _, since)| *since);
            next.push((path, seen, since));
        }
        self.seen = next;
        self.seen
            .iter()
            .find(|(path, _, since)| {
                let limit = if path.ends_with("packed-refs.lock") {
                    STALE_PACKED_LOCK_AFTER
                } else {
                    STALE_LOCK_AFTER
                };
                now.duration_since(*since) >= limit
            })
            .map(|(path, _, _)| path.clone())
    }
}

/// Runs `attempt` until it reports success, sleeping a growing, jittered delay between tries.
/// A lock file that does not change while we wait ends the wait with git's own advice.
pub fn retry<T>(
    repo: &Repo,
    refname: &str,
    mut attempt: impl FnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let start = Instant::now();
    let mut delay_ms = 1u64;
    let mut watch = LockWatch::default();
    loop {
        match attempt() {
            Ok(Some(done)) => return Ok(done),
            Ok(None) => {}
            Err(err) if is_transient(&err) && start.elapsed() < RETRY_FOR => {}
            Err(err) => return Err(err),
        }
        if let Some(lock) = watch.stale(held_locks(repo, refname)) {
            // Absolute, so the advice holds wherever it is run from (`-C`, a subdirectory).
            let path = std::path::absolute(&lock)
                .unwrap_or(lock)
                .display()
                .to_string();
            return Err(UserError::new(format!(
                "cannot update {refname}: unable to create '{path}': file exists"
            ))
            .hint(format!(
                "another git process seems to be running in this repository; if none is (check with ps), it crashed and left the lock: rm {}",
                crate::escape::shell(&path)
            ))
            .into());
        }
        if start.elapsed() > RETRY_FOR {
            return Err(UserError::new(format!(
                "gave up updating {refname} after {}s of contention",
                RETRY_FOR.as_secs()
            ))
            .hint("many writers hold this ref in turn; run the command again")
            .into());
        }
        std::thread::sleep(Duration::from_millis(crate::clock::jitter(delay_ms)));
        delay_ms = (delay_ms * 2).min(64);
    }
}
