//! What push, pull, sync and the pre-push hook share: naming the remote, fetching packet refs
//! into `refs/handoff-remotes/<remote>/`, integrating them, and pushing without force.

use std::time::Duration;

use serde_json::{json, Value};

use super::intent;
use crate::error::UserError;
use crate::output::Output;
use crate::packet::Header;
use crate::repo::{Head, Repo};
use crate::store::{self, Outcome};
use crate::transport;

/// How often a rejected push is retried after fetching and merging.
const PUSH_ATTEMPTS: u32 = 60;

/// A remote as git is told it, and the namespace its copies are fetched into.
pub(crate) struct Remote {
    pub name: String,
    pub slug: String,
}

/// Resolves the remote: the one named, else the branch's upstream remote, else `origin`.
pub(crate) fn remote(repo: &Repo, named: Option<&str>) -> anyhow::Result<Remote> {
    let known = repo.remote_names();
    let name = match named {
        Some(n) => n.to_string(),
        None => default_remote(repo, &known)?,
    };
    let slug = if known.contains(&name) && !name.contains(['/', ':', ' ']) {
        name.clone()
    } else {
        "_url".to_string()
    };
    Ok(Remote { name, slug })
}

fn default_remote(repo: &Repo, known: &[String]) -> anyhow::Result<String> {
    let upstream = if let Head::Branch { name, .. } = repo.head()? {
        repo.config_string(&format!("branch.{name}.remote"))
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
            .hint("name one: git handoff push <remote>, or add one: git remote add origin <url>")
            .into()),
    }
}

/// The refspecs that bring every packet chain and the notes of `remote` into its namespace.
pub(crate) fn fetch_refspecs(slug: &str) -> Vec<String> {
    vec![
        format!("+refs/handoff/*:refs/handoff-remotes/{slug}/*"),
        format!("+refs/notes/handoff*:refs/handoff-remotes/{slug}/notes/handoff*"),
    ]
}

/// Fetches packet refs and integrates the chains of `branches` (all fetched ones when `None`)
/// and the notes. Returns one JSON row per branch.
pub(crate) fn pull(
    repo: &Repo,
    out: &Output,
    remote: &Remote,
    branches: Option<&[String]>,
) -> anyhow::Result<Vec<Value>> {
    transport::fetch(&repo.run_dir(), &remote.name, &fetch_refspecs(&remote.slug))?;
    let prefix = format!("{}/", remote.slug);
    let fetched: Vec<String> = store::list_chains(repo)?
        .into_iter()
        .filter(|c| c.remote.as_deref() == Some(remote.slug.as_str()))
        .filter_map(|c| c.branch.strip_prefix(&prefix).map(ToString::to_string))
        .collect();
    let wanted: Vec<String> = match branches {
        Some(list) => list.to_vec(),
        None => fetched.clone(),
    };
    let header = Header {
        id: String::new(),
        revision: 0,
        branch: String::new(),
        base: String::new(),
        updated: super::now()?,
        author: repo.identity()?,
    };
    let mut rows = Vec::new();
    for branch in wanted {
        let refname = format!("refs/handoff-remotes/{}/heads/{branch}", remote.slug);
        let Some(tip) = store::tip(repo, &refname)? else {
            rows.push(json!({ "branch": branch, "outcome": "absent" }));
            continue;
        };
        match store::integrate_chain(repo, &branch, tip, &header) {
            Ok((outcome, merged)) => {
                let word = describe(&outcome);
                out.status(&format!("{branch}: {word}"));
                if let Some(m) = &merged {
                    for c in &m.conflicts {
                        out.warn(&format!(
                            "{branch}: both sides changed {c}; review with git handoff show"
                        ));
                    }
                }
                rows.push(json!({ "branch": branch, "outcome": word, "conflicts": merged.map(|m| m.conflicts).unwrap_or_default() }));
            }
            Err(err) => {
                out.warn(&format!("{branch}: fetched packet left aside: {err:#}"));
                rows.push(
                    json!({ "branch": branch, "outcome": "invalid", "error": format!("{err:#}") }),
                );
            }
        }
    }
    let notes_ref = format!("refs/handoff-remotes/{}/notes/handoff", remote.slug);
    if let Some(fetched_notes) = store::tip(repo, &notes_ref)? {
        let message = format!("handoff: merge notes from {}", remote.name);
        let outcome = store::integrate_notes(repo, fetched_notes, &message, |c, l, f| {
            intent::choose_note(repo, c, l, f)
        })?;
        if !matches!(outcome, Outcome::UpToDate | Outcome::Ahead) {
            out.status(&format!("notes: {}", describe(&outcome)));
        }
    }
    Ok(rows)
}

fn describe(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Created => "new from remote",
        Outcome::FastForward => "fast-forward",
        Outcome::UpToDate => "up to date",
        Outcome::Ahead => "ahead of remote",
        Outcome::Merged => "merged",
    }
}

/// What a push achieved.
pub(crate) struct Pushed {
    pub rows: Vec<Value>,
    pub retries: u32,
    pub notes_ok: bool,
}

/// Pushes the chains of `branches` and the notes, without force; on rejection fetches, merges
/// and retries. Fails when a chain still cannot be pushed; notes that cannot wait for next time.
pub(crate) fn push(
    repo: &Repo,
    out: &Output,
    remote: &Remote,
    branches: &[String],
) -> anyhow::Result<Pushed> {
    let mut retries = 0;
    loop {
        let mut specs: Vec<String> = Vec::new();
        for b in branches {
            let r = store::chain_ref(b);
            if store::tip(repo, &r)?.is_some() {
                specs.push(format!("{r}:{r}"));
            }
        }
        let has_notes = store::tip(repo, store::NOTES_REF)?.is_some();
        if has_notes {
            specs.push(format!("{0}:{0}", store::NOTES_REF));
        }
        if specs.is_empty() {
            return Ok(Pushed {
                rows: Vec::new(),
                retries,
                notes_ok: true,
            });
        }
        let results = transport::push(&repo.run_dir(), &remote.name, &specs)?;
        let rejected: Vec<&transport::RefPush> = results.iter().filter(|r| !r.ok).collect();
        let chains_rejected: Vec<String> = rejected
            .iter()
            .filter_map(|r| {
                r.refname
                    .strip_prefix("refs/handoff/heads/")
                    .map(ToString::to_string)
            })
            .collect();
        let notes_rejected = rejected.iter().any(|r| r.refname == store::NOTES_REF);
        if rejected.is_empty() || retries + 1 >= PUSH_ATTEMPTS {
            let rows = results
                .iter()
                .map(|r| json!({ "ref": r.refname, "ok": r.ok, "summary": r.summary }))
                .collect();
            if !chains_rejected.is_empty() {
                return Err(UserError::new(format!(
                    "could not push the packet of {} to {} after {} attempts",
                    chains_rejected.join(", "),
                    remote.name,
                    retries + 1
                ))
                .hint(format!(
                    "run git handoff sync {} and push again",
                    remote.name
                ))
                .into());
            }
            if notes_rejected {
                out.warn(&format!(
                    "the notes were not pushed to {} (they go with the next push)",
                    remote.name
                ));
            }
            return Ok(Pushed {
                rows,
                retries,
                notes_ok: !notes_rejected,
            });
        }
        retries += 1;
        out.status(&format!(
            "push to {} rejected; fetching, merging and retrying",
            remote.name
        ));
        // Back off before fetching, not after merging: the merge should reach the remote at once.
        std::thread::sleep(Duration::from_millis(jitter(retries)));
        pull(repo, out, remote, Some(&chains_rejected))?;
    }
}

/// A random delay in milliseconds, growing with the attempt up to about a second.
fn jitter(attempt: u32) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(attempt);
    h.write_u32(std::process::id());
    let cap = 10u64 << attempt.min(7);
    1 + h.finish() % cap
}

/// Returns the branches to act on: the ones named, all local chains with `--all`, or the current.
pub(crate) fn branches(repo: &Repo, named: &[String], all: bool) -> anyhow::Result<Vec<String>> {
    if all {
        return Ok(store::list_chains(repo)?
            .into_iter()
            .filter(|c| c.remote.is_none())
            .map(|c| c.branch)
            .collect());
    }
    if !named.is_empty() {
        return Ok(named.to_vec());
    }
    Ok(vec![super::current_branch(repo)?])
}
