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

mod guard;

pub(crate) use guard::refuse_left_aside;
use guard::{invalid_name, name_problem, refuse_outgoing_secrets};

/// How often a rejected push is retried after fetching and merging.
const PUSH_ATTEMPTS: u32 = 60;

/// A remote as git is told it, and the namespace its copies are fetched into.
pub(crate) struct Remote {
    pub name: String,
    pub slug: String,
    /// A URL rather than a configured remote: its copies are dropped after use.
    pub temporary: bool,
}

/// A local branch and the branch of the same work on the remote (they differ for `git push
/// origin feature:review`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapping {
    pub local: String,
    pub remote: String,
}

impl Mapping {
    /// The same name on both sides.
    pub(crate) fn same(branch: &str) -> Mapping {
        Mapping {
            local: branch.to_string(),
            remote: branch.to_string(),
        }
    }
}

/// What a pull did.
pub(crate) struct Pulled {
    pub rows: Vec<Value>,
    /// Local branches whose fetched copy could not be integrated.
    pub left_aside: Vec<String>,
    /// True when the fetched notes could not be integrated.
    pub notes_left_aside: bool,
}

/// Resolves the remote: the one named, else the branch's upstream remote, else `origin`.
pub(crate) fn remote(repo: &Repo, named: Option<&str>) -> anyhow::Result<Remote> {
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

/// Fetches packet refs and integrates the chains of `selection` (every fetched one when `None`)
/// and the notes. A fetched copy that cannot be integrated is left aside with a warning.
pub(crate) fn pull(
    repo: &Repo,
    out: &Output,
    remote: &Remote,
    selection: Option<&[Mapping]>,
) -> anyhow::Result<Pulled> {
    transport::fetch(
        &repo.run_dir(),
        &remote.name,
        &store::fetch_refspecs(&remote.slug),
    )?;
    let result = integrate(repo, out, remote, selection);
    if remote.temporary {
        let copies = store::refs_under(repo, &store::fetched_namespace(&remote.slug))?;
        transport::delete_refs(&repo.run_dir(), &copies)?;
    }
    result
}

fn integrate(
    repo: &Repo,
    out: &Output,
    remote: &Remote,
    selection: Option<&[Mapping]>,
) -> anyhow::Result<Pulled> {
    let prefix = format!("{}/", remote.slug);
    let wanted: Vec<Mapping> = match selection {
        Some(list) => list.to_vec(),
        None => store::list_chains(repo)?
            .into_iter()
            .filter(|c| c.remote.as_deref() == Some(remote.slug.as_str()))
            .filter_map(|c| c.branch.strip_prefix(&prefix).map(Mapping::same))
            .collect(),
    };
    let header = Header {
        id: String::new(),
        revision: 0,
        branch: String::new(),
        base: String::new(),
        updated: super::now()?,
        author: repo.identity()?,
    };
    let mut pulled = Pulled {
        rows: Vec::new(),
        left_aside: Vec::new(),
        notes_left_aside: false,
    };
    let remotes = repo.remote_names();
    for Mapping {
        local,
        remote: theirs,
    } in wanted
    {
        // Names found by `--all` that no local chain holds yet come from the remote alone: a
        // name git refuses, or one that would hide a remote's copy, is reported and skipped.
        let discovered =
            selection.is_none() && store::tip(repo, &store::chain_ref(&local))?.is_none();
        if let Some(problem) = discovered.then(|| name_problem(&local, &remotes)).flatten() {
            out.warn(&format!(
                "skipped the packet named {local} fetched from {}: {problem}",
                remote.name
            ));
            pulled
                .rows
                .push(json!({ "branch": local, "outcome": "skipped-name", "error": problem }));
            continue;
        }
        // A name given on the command line must still be one git accepts for a branch.
        if let Some(problem) = invalid_name(&local) {
            out.warn(&format!("{local} is not integrated: {problem}"));
            pulled
                .rows
                .push(json!({ "branch": local, "outcome": "refused-name", "error": problem }));
            pulled.left_aside.push(local);
            continue;
        }
        let refname = store::remote_chain_ref(&remote.slug, &theirs);
        let Some(tip) = store::tip(repo, &refname)? else {
            pulled
                .rows
                .push(json!({ "branch": local, "outcome": "absent" }));
            continue;
        };
        match store::integrate_chain(repo, &local, tip, &header) {
            Ok((outcome, merged)) => {
                let word = describe(&outcome);
                out.status(&format!("{local}: {word}"));
                for c in merged.iter().flat_map(|m| &m.conflicts) {
                    out.warn(&format!(
                        "{local}: both sides changed {c}; review with git handoff show"
                    ));
                }
                let conflicts = merged.map(|m| m.conflicts).unwrap_or_default();
                pulled
                    .rows
                    .push(json!({ "branch": local, "outcome": word, "conflicts": conflicts }));
            }
            Err(err) => {
                out.warn(&format!(
                    "{local}: the packet fetched from {} ({tip}) is left aside: {err:#}",
                    remote.name
                ));
                pulled.rows.push(json!({ "branch": local, "outcome": "left-aside", "error": format!("{err:#}") }));
                pulled.left_aside.push(local);
            }
        }
    }
    let notes_ref = store::remote_notes_ref(&remote.slug);
    if let Some(fetched_notes) = store::tip(repo, &notes_ref)? {
        let message = format!("handoff: merge notes from {}", remote.name);
        match store::integrate_notes(repo, fetched_notes, &message, |c, l, f| {
            intent::choose_note(repo, c, l, f)
        }) {
            Ok(Outcome::UpToDate | Outcome::Ahead) => {}
            Ok(outcome) => out.status(&format!("notes: {}", describe(&outcome))),
            // Broken notes on a remote must not block anyone's work: the local notes stay.
            Err(err) => {
                out.warn(&format!(
                    "the notes fetched from {} are left aside: {err:#}",
                    remote.name
                ));
                pulled.notes_left_aside = true;
            }
        }
    }
    Ok(pulled)
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
    branches: &[Mapping],
    allow: &[String],
) -> anyhow::Result<Pushed> {
    refuse_outgoing_secrets(repo, remote, branches, allow)?;
    let mut retries = 0;
    loop {
        let mut specs: Vec<String> = Vec::new();
        for m in branches {
            let local = store::chain_ref(&m.local);
            if store::tip(repo, &local)?.is_some() {
                specs.push(format!("{local}:{}", store::chain_ref(&m.remote)));
            }
        }
        if store::tip(repo, store::NOTES_REF)?.is_some() {
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
        let rejected: Vec<Mapping> = results
            .iter()
            .filter(|r| !r.ok)
            .filter_map(|r| store::branch_of(&r.refname))
            .filter_map(|theirs| branches.iter().find(|m| m.remote == theirs).cloned())
            .collect();
        let notes_rejected = results
            .iter()
            .any(|r| !r.ok && r.refname == store::NOTES_REF);
        if rejected.is_empty() && !notes_rejected || retries + 1 >= PUSH_ATTEMPTS {
            if !rejected.is_empty() {
                let names: Vec<&str> = rejected.iter().map(|m| m.local.as_str()).collect();
                return Err(UserError::new(format!(
                    "could not push the packet of {} to {} after {} attempts",
                    names.join(", "),
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
            let rows = results
                .iter()
                .map(|r| json!({ "ref": r.refname, "ok": r.ok, "summary": r.summary }))
                .collect();
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
        let pulled = pull(repo, out, remote, Some(&rejected))?;
        if rejected.is_empty() && pulled.notes_left_aside {
            out.warn(&format!(
                "the notes were not pushed to {}: its notes do not merge with ours",
                remote.name
            ));
            return Ok(Pushed {
                rows: Vec::new(),
                retries,
                notes_ok: false,
            });
        }
        if let Some(stuck) = rejected
            .iter()
            .find(|m| pulled.left_aside.contains(&m.local))
        {
            // Retrying cannot help: the remote's copy does not merge into ours.
            return Err(UserError::new(format!(
                "the packet of {} cannot go to {}: the remote's copy does not merge with it (see the warning above)",
                stuck.local, remote.name
            ))
            .hint(format!(
                "look at theirs with git handoff show {0}/{1} after git handoff pull {0}; fix or replace one side, then push again",
                remote.name, stuck.remote
            ))
            .into());
        }
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
pub(crate) fn branches(repo: &Repo, named: &[String], all: bool) -> anyhow::Result<Vec<Mapping>> {
    let selected: Vec<String> = if all {
        store::list_chains(repo)?
            .into_iter()
            .filter(|c| c.remote.is_none())
            .map(|c| c.branch)
            .collect()
    } else if !named.is_empty() {
        named.to_vec()
    } else {
        vec![super::current_branch(repo)?]
    };
    Ok(selected.iter().map(|n| Mapping::same(n)).collect())
}
