//! Packets travelling between clones, as push, pull, sync and the pre-push hook do it: naming
//! the remote, fetching packet refs into its namespace of `refs/handoff-remotes/`, checking and
//! integrating them, and pushing without force. Each step returns a report; the commands print.

use crate::error::UserError;
use crate::repo::{Head, Repo};

mod guard;
mod pull;
mod push;

pub use guard::refuse_left_aside;
pub use pull::{pull, refuse_incoming_secrets, BranchPulled, Pulled};
pub use push::{push, Pushed, RefPushed};

/// A remote as git is told it, and the namespace its copies are fetched into.
pub struct Remote {
    pub name: String,
    pub slug: String,
    /// A URL rather than a configured remote: its copies are dropped after use.
    pub temporary: bool,
}

/// A local branch and the branch of the same work on the remote (they differ for `git push
/// origin feature:review`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub local: String,
    pub remote: String,
}

impl Mapping {
    /// The same name on both sides.
    pub fn same(branch: &str) -> Mapping {
        Mapping {
            local: branch.to_string(),
            remote: branch.to_string(),
        }
    }
}

/// Resolves the remote: the one named, else the branch's upstream remote, else `origin`.
pub fn remote(repo: &Repo, named: Option<&str>) -> anyhow::Result<Remote> {
    let known = repo.remote_names();
    let name = match named {
        Some(n) => n.to_string(),
        None => default_remote(repo, &known)?,
    };
    if known.contains(&name) && !name.contains(['/', ':', ' ']) {
        return Ok(Remote {
            slug: name.clone(),
            name,
            temporary: false,
        });
    }
    // A URL: fetch into a namespace of this run's own, so two URLs never mix their copies.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let slug = format!("_url-{}-{nanos}", std::process::id());
    Ok(Remote {
        name,
        slug,
        temporary: true,
    })
}

fn default_remote(repo: &Repo, known: &[String]) -> anyhow::Result<String> {
    let upstream = if let Head::Branch { name, .. } = repo.head()? {
        repo.upstream_remote(&name)
    } else {
        None
    };
    if let Some(r) = upstream.filter(|r| known.contains(r)) {
        return Ok(r);
    }
    if known.iter().any(|r| r == "origin") {
        return Ok("origin".to_string());
    }
    match known {
        [only] => Ok(only.clone()),
        _ => Err(UserError::new("no remote to use")
            .hint("name one: git handoff push|pull|sync <remote>, or add one: git remote add origin <url>")
            .into()),
    }
}
