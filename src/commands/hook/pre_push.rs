//! pre-push: the packet chains of the branches being pushed, and the notes, go with them.

use super::super::travel;
use crate::output::Output;
use crate::repo::Repo;
use crate::transport::PUSHING_ENV;

pub fn run(repo: &Repo, out: &Output, args: &[String], input: &str) -> anyhow::Result<()> {
    if std::env::var_os(PUSHING_ENV).is_some() {
        return Ok(()); // our own push of packet refs
    }
    let Some(remote) = args.first() else {
        return Ok(());
    };
    let mut branches = Vec::new();
    for line in input.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [local_ref, local_sha, _, _] = fields[..] else {
            continue;
        };
        let deleting = local_sha.bytes().all(|b| b == b'0');
        if let (Some(branch), false) = (local_ref.strip_prefix("refs/heads/"), deleting) {
            branches.push(branch.to_string());
        }
    }
    if branches.is_empty() {
        return Ok(()); // tags, deletions: a branch deleted remotely keeps its packet chain
    }
    let remote = travel::remote(repo, Some(remote))?;
    travel::push(repo, out, &remote, &branches)?;
    Ok(())
}
