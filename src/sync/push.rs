//! Pushing packet chains and notes without force: a rejected push fetches, merges and tries
//! again, so two clones writing at once both land.

use std::time::Duration;

use serde::Serialize;

use super::guard::refuse_outgoing_secrets;
use super::{pull, Mapping, Remote};
use crate::clock::WriterCell;
use crate::error::UserError;
use crate::output::Notice;
use crate::repo::Repo;
use crate::store;
use crate::transport::{self, RefPush};

/// How often a rejected push is retried after fetching and merging.
const PUSH_ATTEMPTS: u32 = 100;
/// How often a push whose chains all landed is retried for the notes alone: notes that lose
/// every race go with the next push.
const NOTES_ATTEMPTS: u32 = 10;

/// What a push achieved.
#[derive(Debug, Default)]
pub struct Pushed {
    /// One row per ref pushed in the last attempt.
    pub refs: Vec<RefPushed>,
    pub retries: u32,
    pub notes_ok: bool,
}

/// How the remote took one ref.
#[derive(Debug, Clone, Serialize)]
pub struct RefPushed {
    #[serde(rename = "ref")]
    pub refname: String,
    pub ok: bool,
    pub summary: String,
}

/// Pushes the chains of `branches` and the notes, without force; on rejection fetches, merges
/// and retries. Fails when a chain still cannot be pushed; notes that cannot wait for next time.
pub fn push(
    repo: &Repo,
    remote: &Remote,
    branches: &[Mapping],
    allow: &[String],
    writer: &WriterCell<'_>,
    notices: &mut Vec<Notice>,
) -> anyhow::Result<Pushed> {
    refuse_outgoing_secrets(repo, remote, branches, allow)?;
    let mut pushed = Pushed {
        notes_ok: true,
        ..Pushed::default()
    };
    loop {
        let specs = refspecs(repo, branches)?;
        if specs.is_empty() {
            return Ok(pushed);
        }
        let (results, said) = transport::push(&repo.run_dir(), &remote.name, &specs)?;
        if let Some(err) = refused_by_remote(&results, &said, remote) {
            return Err(err);
        }
        let rejected: Vec<Mapping> = results
            .iter()
            .filter(|r| !r.ok)
            .filter_map(|r| store::branch_of(&r.refname))
            .filter_map(|theirs| branches.iter().find(|m| m.remote == theirs).cloned())
            .collect();
        let notes_rejected = results
            .iter()
            .any(|r| !r.ok && r.refname == store::NOTES_REF);
        let notes_wait = rejected.is_empty() && pushed.retries + 1 >= NOTES_ATTEMPTS;
        if rejected.is_empty() && !notes_rejected
            || notes_wait
            || pushed.retries + 1 >= PUSH_ATTEMPTS
        {
            if !rejected.is_empty() {
                return Err(gave_up(&rejected, remote, pushed.retries + 1));
            }
            if notes_rejected {
                notices.push(Notice::Warning(format!(
                    "the notes were not pushed to {} (they go with the next push)",
                    remote.name
                )));
            }
            pushed.refs = results
                .into_iter()
                .map(|r| RefPushed {
                    refname: r.refname,
                    ok: r.ok,
                    summary: r.summary,
                })
                .collect();
            pushed.notes_ok = !notes_rejected;
            return Ok(pushed);
        }
        pushed.retries += 1;
        let what = if rejected.is_empty() {
            "notes"
        } else {
            "packet revisions"
        };
        notices.push(Notice::Status(format!(
            "{} has {what} this clone lacks; merging them and pushing again",
            remote.name
        )));
        // Back off before fetching, not after merging: the merge should reach the remote at once.
        // A random delay growing with the attempt, up to about two and a half seconds.
        let cap = 10u64 << pushed.retries.min(8);
        std::thread::sleep(Duration::from_millis(crate::clock::jitter(cap)));
        let pulled = pull(repo, remote, Some(&rejected), allow, writer, notices)?;
        if rejected.is_empty() && pulled.notes_left_aside {
            notices.push(Notice::Warning(format!(
                "the notes were not pushed to {}: its notes do not merge with ours",
                remote.name
            )));
            pushed.notes_ok = false;
            return Ok(pushed);
        }
        if let Some(stuck) = rejected
            .iter()
            .find(|m| pulled.left_aside.contains(&m.local))
        {
            // Retrying cannot help: the remote's copy does not merge into ours.
            let why = (pulled.branches.iter())
                .find(|b| b.branch == stuck.local)
                .and_then(|b| b.error.clone())
                .unwrap_or_default();
            return Err(UserError::refused(format!(
                "the packet of {} cannot go to {}: the remote's copy does not merge with it: {why}",
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

/// The refspecs of one attempt: each existing chain to its branch's name there, and the notes.
fn refspecs(repo: &Repo, branches: &[Mapping]) -> anyhow::Result<Vec<String>> {
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
    Ok(specs)
}

/// The remote's own hook said no (other rejections, a lock another push held, are races a
/// retry wins): no race a retry could win. The refusal carries what the hook said.
fn refused_by_remote(
    results: &[RefPush],
    said: &[String],
    remote: &Remote,
) -> Option<anyhow::Error> {
    let refused = results
        .iter()
        .find(|r| !r.ok && r.summary.contains("hook declined"))?;
    let reasons: Vec<&str> = said
        .iter()
        .map(|l| l.trim())
        .filter(|l| l.starts_with("error") || l.starts_with("refused"))
        .collect();
    let why = if reasons.is_empty() {
        refused.summary.clone()
    } else {
        reasons.join("; ")
    };
    Some(
        UserError::refused(format!(
            "{} refused {}: {why}",
            remote.name, refused.refname
        ))
        .hint("fix what the remote's check names, then push again")
        .into(),
    )
}

/// The push lost every race it ran: says which packets stayed behind.
fn gave_up(rejected: &[Mapping], remote: &Remote, attempts: u32) -> anyhow::Error {
    let names: Vec<&str> = rejected.iter().map(|m| m.local.as_str()).collect();
    UserError::new(format!(
        "could not push the packet of {} to {} after {attempts} attempts",
        names.join(", "),
        remote.name
    ))
    .hint(format!(
        "run git handoff sync {} and push again",
        remote.name
    ))
    .into()
}
