//! Compare-and-swap of one ref, with bounded retries for concurrent writers.

use std::time::{Duration, Instant};

use anyhow::Context;
use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};
use gix::refs::Target;

use crate::repo::{Oid, Repo};

/// How long a writer keeps retrying before it gives up and reports the contention.
const RETRY_FOR: Duration = Duration::from_secs(60);

/// Reads where `name` points now (`None` when it does not exist).
pub fn read_ref(repo: &Repo, name: &str) -> anyhow::Result<Option<Oid>> {
    if gix::refs::FullName::try_from(name).is_err() {
        return Ok(None); // "refs/handoff/heads/HEAD~1" names no ref; callers try other readings
    }
    let reference = repo
        .git
        .try_find_reference(name)
        .with_context(|| format!("cannot read {name}"))?;
    Ok(reference.and_then(|r| r.target().try_id().map(ToOwned::to_owned)))
}

/// Moves `name` from `old` to `new`; returns false when another writer moved it first.
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
    match repo.git.edit_reference(edit) {
        Ok(_) => Ok(true),
        Err(err) => {
            // A lost race leaves the ref elsewhere; a held lock leaves it where it was. Both retry.
            let now = read_ref(repo, name)?;
            if let (None, Some(blocker)) = (now, blocking_ref(repo, name)?) {
                return Err(crate::error::UserError::new(format!("cannot create {name}: {blocker} is in the way"))
                    .hint(format!(
                        "a ref cannot also be a directory; keep the old one under another name: git update-ref refs/handoff/archive/{0} {blocker} && git update-ref -d {blocker}",
                        blocker.rsplit('/').next().unwrap_or("old")
                    ))
                    .into());
            }
            let detail = format!("{err:?}").to_ascii_lowercase();
            if detail.contains("permission") || detail.contains("read-only") {
                return Err(anyhow::anyhow!("cannot update {name}: {err:#}"));
            }
            if now != old || is_locked(repo, name) || detail.contains("lock") {
                Ok(false)
            } else {
                Err(anyhow::anyhow!("cannot update {name}: {err:#}"))
            }
        }
    }
}

/// Deletes every ref under `prefix` (only ever a temporary namespace of fetched copies), each
/// only if it still points where it was read.
pub fn drop_refs(repo: &Repo, prefix: &str) -> anyhow::Result<()> {
    let platform = repo.git.references().context("cannot list refs")?;
    let mut edits = Vec::new();
    for reference in platform
        .prefixed(prefix)
        .with_context(|| format!("cannot list {prefix}"))?
    {
        let Ok(reference) = reference else { continue };
        let Some(id) = reference.target().try_id().map(ToOwned::to_owned) else {
            continue;
        };
        edits.push(RefEdit {
            change: Change::Delete {
                expected: PreviousValue::MustExistAndMatch(Target::Object(id)),
                log: RefLog::AndReference,
            },
            name: reference.name().to_owned(),
            deref: false,
        });
    }
    if !edits.is_empty() {
        repo.git
            .edit_references(edits)
            .with_context(|| format!("cannot remove {prefix}"))?;
    }
    Ok(())
}

/// Finds an existing ref that is a path prefix of `name` (`refs/handoff/heads/a` blocks
/// `refs/handoff/heads/a/b`).
fn blocking_ref(repo: &Repo, name: &str) -> anyhow::Result<Option<String>> {
    let parts: Vec<&str> = name.split('/').collect();
    for end in 3..parts.len() {
        let prefix = parts[..end].join("/");
        if read_ref(repo, &prefix)?.is_some() {
            return Ok(Some(prefix));
        }
    }
    Ok(None)
}

/// Returns true while another writer holds the ref's lock (or the packed-refs lock).
fn is_locked(repo: &Repo, name: &str) -> bool {
    let dir = repo.common_dir();
    dir.join(format!("{name}.lock")).exists() || dir.join("packed-refs.lock").exists()
}

/// Runs `attempt` until it reports success, sleeping a growing, jittered delay between tries.
pub fn retry<T>(
    what: &str,
    mut attempt: impl FnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let start = Instant::now();
    let mut delay_ms = 1u64;
    loop {
        if let Some(done) = attempt()? {
            return Ok(done);
        }
        if start.elapsed() > RETRY_FOR {
            anyhow::bail!(
                "gave up updating {what} after {}s of contention",
                RETRY_FOR.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(jitter(delay_ms)));
        delay_ms = (delay_ms * 2).min(64);
    }
}

fn jitter(max_ms: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    1 + h.finish() % max_ms.max(1)
}
