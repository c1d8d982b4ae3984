//! Fetching packet refs and integrating them: each fetched chain is checked whole and merged
//! into the local one, or left aside with the reason; the notes likewise.

use serde::Serialize;

use super::guard::{invalid_name, name_problem};
use super::{Mapping, Remote};
use crate::clock::WriterCell;
use crate::output::Notice;
use crate::repo::Repo;
use crate::store::{self, Integrated};
use crate::transport;

/// What a pull did.
#[derive(Debug, Default)]
pub struct Pulled {
    /// One row per branch considered.
    pub branches: Vec<BranchPulled>,
    /// Local branches whose fetched copy could not be integrated.
    pub left_aside: Vec<String>,
    /// True when the fetched notes could not be integrated.
    pub notes_left_aside: bool,
}

/// What became of one branch's fetched chain.
#[derive(Debug, Clone, Serialize)]
pub struct BranchPulled {
    pub branch: String,
    /// `new from remote`, `fast-forward`, `up to date`, `ahead of remote`, `merged`, `absent`,
    /// `left-aside`, `skipped-name` or `refused-name`.
    pub outcome: &'static str,
    /// Scalars both sides changed, when the chains merged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<String>>,
    /// Why the chain was not integrated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl BranchPulled {
    fn new(branch: &str, outcome: &'static str, error: Option<String>) -> BranchPulled {
        BranchPulled {
            branch: branch.to_string(),
            outcome,
            conflicts: None,
            error,
        }
    }
}

/// Fetches packet refs and integrates the chains of `selection` (every fetched one when `None`)
/// and the notes. A fetched copy that cannot be integrated is left aside with a warning.
pub fn pull(
    repo: &Repo,
    remote: &Remote,
    selection: Option<&[Mapping]>,
    allow: &[String],
    writer: &WriterCell<'_>,
    notices: &mut Vec<Notice>,
) -> anyhow::Result<Pulled> {
    transport::fetch(
        &repo.run_dir(),
        &remote.name,
        &store::fetch_refspecs(&remote.slug),
    )?;
    let result = integrate(repo, remote, selection, allow, writer, notices);
    if remote.temporary {
        let copies = store::refs_under(repo, &store::fetched_namespace(&remote.slug))?;
        transport::delete_refs(&repo.run_dir(), &copies)?;
    }
    result
}

fn integrate(
    repo: &Repo,
    remote: &Remote,
    selection: Option<&[Mapping]>,
    allow: &[String],
    writer: &WriterCell<'_>,
    notices: &mut Vec<Notice>,
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
    let mut pulled = Pulled::default();
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
            notices.push(Notice::Warning(format!(
                "skipped the packet named {local} fetched from {}: {problem}",
                remote.name
            )));
            pulled
                .branches
                .push(BranchPulled::new(&local, "skipped-name", Some(problem)));
            continue;
        }
        // A name given on the command line must still be one git accepts for a branch.
        if let Some(problem) = invalid_name(&local) {
            notices.push(Notice::Warning(format!(
                "{local} is not integrated: {problem}"
            )));
            pulled
                .branches
                .push(BranchPulled::new(&local, "refused-name", Some(problem)));
            pulled.left_aside.push(local);
            continue;
        }
        let refname = store::remote_chain_ref(&remote.slug, &theirs);
        let Some(tip) = store::tip(repo, &refname)? else {
            pulled
                .branches
                .push(BranchPulled::new(&local, "absent", None));
            continue;
        };
        let integrated = refuse_incoming_secrets(repo, &local, tip, allow)
            .and_then(|()| store::integrate_chain(repo, &local, tip, writer.get()?));
        match integrated {
            Ok((outcome, merged)) => {
                let word = describe(&outcome);
                notices.push(Notice::Status(format!("{local}: {word}")));
                for c in merged.iter().flat_map(|m| &m.conflicts) {
                    notices.push(Notice::Warning(format!(
                        "{local}: both sides changed {c}; review with git handoff show"
                    )));
                }
                let mut row = BranchPulled::new(&local, word, None);
                row.conflicts = Some(merged.map(|m| m.conflicts).unwrap_or_default());
                pulled.branches.push(row);
            }
            Err(err) => {
                // What would let it in (a secret's fingerprint, say) goes with the reason.
                let advice = crate::error::advice_of(&err);
                notices.push(Notice::Warning(format!(
                    "{local}: the packet fetched from {} ({tip}) is left aside: {err:#}{advice}",
                    remote.name
                )));
                pulled.branches.push(BranchPulled::new(
                    &local,
                    "left-aside",
                    Some(format!("{err:#}")),
                ));
                pulled.left_aside.push(local);
            }
        }
    }
    integrate_notes(repo, remote, &mut pulled, notices)?;
    Ok(pulled)
}

/// Refuses a fetched chain whose new revisions carry a credential: integrating it would write it
/// into the local chain (and a merge revision), from where every push would refuse to go.
pub fn refuse_incoming_secrets(
    repo: &Repo,
    branch: &str,
    fetched: crate::repo::Oid,
    allow: &[String],
) -> anyhow::Result<()> {
    let local = store::tip(repo, &store::chain_ref(branch))?;
    let incoming = store::revisions_since(repo, fetched, local)?;
    let policy = crate::policy::load(repo)?;
    crate::secrets::refuse(
        repo,
        &policy,
        allow,
        incoming.iter().map(|r| &r.packet),
        |p| format!("r{}", p.revision),
        "the chain was not integrated",
    )
}

/// Integrates the fetched notes; notes that do not pass their checks are left aside, since
/// broken notes on a remote must not block anyone's work.
fn integrate_notes(
    repo: &Repo,
    remote: &Remote,
    pulled: &mut Pulled,
    notices: &mut Vec<Notice>,
) -> anyhow::Result<()> {
    let notes_ref = store::remote_notes_ref(&remote.slug);
    if let Some(fetched_notes) = store::tip(repo, &notes_ref)? {
        let message = format!("handoff: merge notes from {}", remote.name);
        match store::integrate_notes(repo, fetched_notes, &message, |c, l, f| {
            crate::carried::choose_note(repo, c, l, f)
        }) {
            Ok(Integrated::UpToDate | Integrated::Ahead) => {}
            Ok(outcome) => notices.push(Notice::Status(format!("notes: {}", describe(&outcome)))),
            Err(err) => {
                notices.push(Notice::Warning(format!(
                    "the notes fetched from {} are left aside: {err:#}",
                    remote.name
                )));
                pulled.notes_left_aside = true;
            }
        }
    }
    Ok(())
}

fn describe(outcome: &Integrated) -> &'static str {
    match outcome {
        Integrated::Created => "new from remote",
        Integrated::FastForward => "fast-forward",
        Integrated::UpToDate => "up to date",
        Integrated::Ahead => "ahead of remote",
        Integrated::Merged => "merged",
    }
}
