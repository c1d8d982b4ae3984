//! Where packets and notes live: every ref name git-handoff reads or writes is spelled here.
//!
//! - `refs/handoff/heads/<branch>`: a branch's packet chain;
//! - `refs/notes/handoff`: the notes (a commit's packet revision);
//! - `refs/handoff-remotes/<remote>/heads/<branch>` and `…/<remote>/notes/handoff`: the copies
//!   fetched from a remote, kept apart until they are checked and integrated.

/// The namespace of local packet chains.
pub const CHAIN_PREFIX: &str = "refs/handoff/heads/";
/// The namespace packet refs live in; only chains belong under it.
pub const HANDOFF_NAMESPACE: &str = "refs/handoff/";
/// The namespace of copies fetched from remotes.
pub const FETCHED_PREFIX: &str = "refs/handoff-remotes/";
/// The notes ref.
pub const NOTES_REF: &str = "refs/notes/handoff";

/// Returns the chain ref of a local branch.
pub fn chain_ref(branch: &str) -> String {
    format!("{CHAIN_PREFIX}{branch}")
}

/// Returns where a chain set aside is kept (`refs/handoff/archive/<name>`): out of the way of a
/// chain that takes its place, never pushed.
pub fn archive_ref(name: &str) -> String {
    format!("{HANDOFF_NAMESPACE}archive/{name}")
}

/// Returns the branch a chain ref belongs to (`refs/handoff/heads/a/b` → `a/b`).
pub fn branch_of(refname: &str) -> Option<&str> {
    refname.strip_prefix(CHAIN_PREFIX)
}

/// Returns the namespace holding the copies fetched from `remote` (its slug), with a final '/'.
pub fn fetched_namespace(remote: &str) -> String {
    format!("{FETCHED_PREFIX}{remote}/")
}

/// Returns the ref holding the copy of `branch`'s chain fetched from `remote`.
pub fn remote_chain_ref(remote: &str, branch: &str) -> String {
    format!("{FETCHED_PREFIX}{remote}/heads/{branch}")
}

/// Returns the ref holding the notes fetched from `remote`.
pub fn remote_notes_ref(remote: &str) -> String {
    format!("{FETCHED_PREFIX}{remote}/notes/handoff")
}

/// Splits a fetched chain ref into its remote and branch (`…/origin/heads/a` → `origin`, `a`).
/// Remote slugs hold no '/', so a remote's wider notes refs are never taken for chains.
pub fn parse_remote_chain_ref(refname: &str) -> Option<(&str, &str)> {
    let rest = refname.strip_prefix(FETCHED_PREFIX)?;
    let (remote, after) = rest.split_once('/')?;
    Some((remote, after.strip_prefix("heads/")?))
}

/// The refspecs that bring every packet chain and the notes of a remote into its namespace.
pub fn fetch_refspecs(remote: &str) -> Vec<String> {
    vec![
        format!("+{CHAIN_PREFIX}*:{FETCHED_PREFIX}{remote}/heads/*"),
        format!("+{NOTES_REF}*:{FETCHED_PREFIX}{remote}/notes/handoff*"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_as_they_were_made() {
        assert_eq!(branch_of(&chain_ref("a/b")), Some("a/b"));
        assert_eq!(branch_of("refs/heads/a"), None);
        let fetched = remote_chain_ref("origin", "feature/x");
        assert_eq!(
            parse_remote_chain_ref(&fetched),
            Some(("origin", "feature/x"))
        );
        assert_eq!(parse_remote_chain_ref(&remote_notes_ref("origin")), None);
        assert!(fetched.starts_with(&fetched_namespace("origin")));
        assert_eq!(
            fetch_refspecs("o"),
            [
                "+refs/handoff/heads/*:refs/handoff-remotes/o/heads/*",
                "+refs/notes/handoff*:refs/handoff-remotes/o/notes/handoff*"
            ]
        );
    }
}
