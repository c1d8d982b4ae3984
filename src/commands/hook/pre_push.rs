//! pre-push: the packet chains of the branches being pushed, and the notes, go with them.

use crate::output::Output;
use crate::repo::Repo;
use crate::sync::{self, Mapping};
use crate::transport::PUSHING_ENV;

pub fn run(
    repo: &Repo,
    out: &Output,
    args: &[std::ffi::OsString],
    input: &str,
) -> anyhow::Result<()> {
    if std::env::var_os(PUSHING_ENV).is_some() {
        return Ok(()); // our own push of packet refs
    }
    if dry_run() {
        return Ok(()); // `git push --dry-run` must not push anything, packets included
    }
    let Some(remote) = args.first().map(|r| r.to_string_lossy().into_owned()) else {
        return Ok(());
    };
    let policy = crate::policy::load(repo)?;
    let mut branches = Vec::new();
    for line in input.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [local_ref, local_sha, remote_ref, _] = fields[..] else {
            continue;
        };
        let deleting = local_sha.bytes().all(|b| b == b'0');
        let (Some(local), Some(theirs)) = (
            local_ref.strip_prefix("refs/heads/"),
            remote_ref.strip_prefix("refs/heads/"),
        ) else {
            continue;
        };
        if !deleting {
            // Work pushed into a branch without packets of its own (main, a release) keeps its
            // packet under its own name: a chain never takes a protected branch's name.
            let theirs = if policy.is_exempt(theirs) || policy.is_protected(theirs) {
                local
            } else {
                theirs
            };
            branches.push(Mapping {
                local: local.to_string(),
                remote: theirs.to_string(),
            });
        }
    }
    if branches.is_empty() {
        return Ok(()); // tags, deletions: a branch deleted remotely keeps its packet chain
    }
    let remote = sync::remote(repo, Some(&remote))?;
    let mut notices = Vec::new();
    let writer = crate::clock::WriterCell::new(repo);
    let pushed = sync::push(repo, &remote, &branches, &[], &writer, &mut notices);
    out.tell(&notices);
    pushed?;
    Ok(())
}

/// Returns true when the `git push` running this hook is a dry run (from its arguments).
fn dry_run() -> bool {
    super::ancestry::git_was_given("dry-run", 2, Some('n'))
}
