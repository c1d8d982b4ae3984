//! Failures caused only by git's own maintenance running at the same moment, which a writer
//! redoes: `git pack-refs` and `git gc` remove directories they emptied (`refs/handoff/heads/`,
//! `objects/a9/`) between our creating them and our writing into them. Git retries these too.

use std::fmt;

/// A write that failed because a directory vanished under it; trying again succeeds.
#[derive(Debug)]
pub(super) struct Transient(String);

impl fmt::Display for Transient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Transient {}

/// Converts a gix error into one line prefixed by `what`, marked [`Transient`] when it is.
pub(super) fn gix_error(err: &gix::Error, what: impl fmt::Display) -> anyhow::Error {
    let message = format!("{what}: {}", describe(err));
    if vanished_directory(err) {
        Transient(message).into()
    } else {
        anyhow::anyhow!(message)
    }
}

/// Returns true when `err` (or anything it was caused by) is [`Transient`].
pub(super) fn is_transient(err: &anyhow::Error) -> bool {
    err.chain().any(<dyn std::error::Error>::is::<Transient>)
}

/// Returns true when a file could not be created because its directory was just removed.
pub(super) fn vanished_directory(err: &gix::Error) -> bool {
    err.iter_errors().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
    })
}

/// Returns true when a lock file could not be created because another writer held it at that
/// moment; it may already be gone again, so this is judged from the error, not from the disk.
pub(super) fn lock_was_held(err: &gix::Error) -> bool {
    err.iter_errors().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::AlreadyExists)
    })
}

/// Renders a gix error as one line: each distinct message of its chain, outermost first.
pub(super) fn describe(err: &gix::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.iter_errors() {
        let text = cause.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}
