//! What the handoff commands (`pass`, `take`, `review`, `resolve`, `validate`) share: who acts,
//! on which commit and tree, and one write of the next revision carrying the event the rule made.

use clap::Args;
use serde::Serialize;

use super::Target;
use crate::clock::WriterCell;
use crate::error::UserError;
use crate::handoff::Act;
use crate::output::Output;
use crate::packet::Packet;
use crate::policy::Policy;
use crate::repo::{Oid, Repo};
use crate::store::{self, Revision};

/// `--as NAME`: who is acting.
#[derive(Debug, Args, Default)]
pub struct AsArg {
    #[arg(
        long = "as",
        value_name = "NAME",
        help = "Act as NAME (else GIT_HANDOFF_AGENT, else the agent runtime's name, else git config handoff.agent, else user.name)"
    )]
    pub name: Option<String>,
}

/// One handoff command's view of the repository: the branch written, the writer, the policy,
/// and HEAD's commit and tree as text.
pub(crate) struct Acting<'r> {
    pub repo: &'r Repo,
    pub target: Target,
    pub writer: WriterCell<'r>,
    pub policy: Policy,
    pub head: Option<String>,
    pub tree: Option<String>,
}

impl<'r> Acting<'r> {
    /// Opens the branch for a write as `named` (or the default actor).
    pub fn open(repo: &'r Repo, named: &AsArg) -> anyhow::Result<Acting<'r>> {
        let target = super::write_target(repo)?;
        let tree = target.head.map(|h| repo.tree_of(h)).transpose()?;
        Ok(Acting {
            repo,
            head: target.head.map(|h| h.to_string()),
            tree: tree.map(|t| t.to_string()),
            target,
            writer: WriterCell::acting(repo, named.name.as_deref()),
            policy: crate::policy::load(repo)?,
        })
    }

    /// The act, as the rules see it.
    pub fn act(&self) -> anyhow::Result<Act<'_>> {
        let writer = self.writer.get()?;
        Ok(Act {
            actor: &writer.actor,
            at: writer.at,
            head: self.head.as_deref(),
            tree: self.tree.as_deref(),
        })
    }

    /// Writes the next revision: `apply` changes the current packet and returns the event, or
    /// `None` when there is nothing to write (then `None` is returned and nothing is written).
    pub fn write(
        &self,
        out: &Output,
        mut apply: impl FnMut(&mut Packet, &Revision, &Act<'_>) -> anyhow::Result<Option<String>>,
    ) -> anyhow::Result<Option<Revision>> {
        let branch = &self.target.branch;
        let adopted = super::adopt_fetched(self.repo, &self.writer, out, branch)?;
        let written = super::write_event_checked(self.repo, &[], branch, |current| {
            let cur = current_packet(branch, current)?;
            let header = super::next_header(
                self.writer.get()?,
                &self.target,
                cur.packet.id.clone(),
                current,
            )?;
            let mut packet = Packet::with_header(header, &cur.packet);
            let act = self.act()?;
            match apply(&mut packet, cur, &act)? {
                Some(event) => Ok((packet, event)),
                None => Err(Unchanged.into()),
            }
        });
        match written {
            Ok(revision) => {
                adopted.keep();
                Ok(Some(revision))
            }
            Err(e) if e.is::<Unchanged>() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes the next revision as [`Acting::write`] does, for an act that always changes the
    /// packet.
    pub fn write_always(
        &self,
        out: &Output,
        apply: impl FnMut(&mut Packet, &Revision, &Act<'_>) -> anyhow::Result<String>,
    ) -> anyhow::Result<Revision> {
        let mut apply = apply;
        self.write(out, |p, cur, act| apply(p, cur, act).map(Some))?
            .ok_or_else(|| anyhow::anyhow!("nothing was written"))
    }

    /// Whether HEAD was made under the latest revision that describes the work (see
    /// [`crate::gate::covers`]): written at HEAD, or HEAD carries it (note or trailer) and it was
    /// written at HEAD's parent. Revisions of handoff events (a pass, a validation…) say nothing
    /// about the commits, so they are looked through.
    pub fn tip_current(&self, latest: &Revision) -> anyhow::Result<bool> {
        // The revisions HEAD may carry: the latest, and back through handoff events and merges
        // of clones' revisions to the ones that describe the work.
        let mut since = vec![latest.clone()];
        let mut describing: Vec<Revision> = Vec::new();
        let mut i = 0;
        while i < since.len() && since.len() < 64 {
            let r = since[i].clone();
            i += 1;
            if is_handoff_event(&r.event) || r.event == "merge" {
                for parent in &r.parents {
                    if !since.iter().any(|s| s.commit == *parent) {
                        since.push(store::read_revision(self.repo, *parent)?);
                    }
                }
            } else {
                describing.push(r);
            }
        }
        if describing.is_empty() {
            describing.push(latest.clone());
        }
        let Some(head) = self.target.head else {
            return Ok(describing.iter().any(|r| r.packet.base.is_empty()));
        };
        let note = store::note_of(self.repo, head)?;
        let stamps = crate::trailer::stamps(&self.repo.message_of(head)?);
        let carries = since.iter().any(|r| {
            note == Some(r.blob)
                || stamps
                    .iter()
                    .any(|s| s.names(&r.packet.id, r.packet.revision, &r.blob.to_string()))
        });
        let mut parents: Vec<String> = (self.repo.parents_of(head)?)
            .iter()
            .map(Oid::to_string)
            .collect();
        if parents.is_empty() {
            parents.push(String::new());
        }
        let head = head.to_string();
        Ok(describing
            .iter()
            .any(|r| crate::gate::covers(&r.packet.base, Some(&head), &parents, carries)))
    }

    /// The latest revision of the branch's chain.
    pub fn latest(&self) -> anyhow::Result<Revision> {
        let refname = store::chain_ref(&self.target.branch);
        let tip = store::tip(self.repo, &refname)?;
        let current = tip.map(|t| store::read_tip(self.repo, t)).transpose()?;
        current_packet(&self.target.branch, current.as_ref().map(|c| c.as_ref())).cloned()
    }
}

/// Whether a chain event is a handoff (which describes who holds the work, not the work).
fn is_handoff_event(event: &str) -> bool {
    let verb = event.split(' ').next().unwrap_or_default();
    matches!(
        verb,
        "pass" | "take" | "takeover" | "review" | "resolve" | "validate"
    )
}

/// Nothing to write: the act changed nothing.
#[derive(Debug, thiserror::Error)]
#[error("nothing to write")]
struct Unchanged;

/// The current revision, or the error a handoff command gives without one.
pub(crate) fn current_packet<'a>(
    branch: &str,
    current: Option<Result<&'a Revision, &store::Broken>>,
) -> anyhow::Result<&'a Revision> {
    match current {
        None => Err(UserError::new(format!("branch {branch} has no packet"))
            .hint("start one: git handoff start --goal \"…\" --accept \"…\"")
            .into()),
        Some(Err(broken)) => Err(UserError::new(format!(
            "the packet of {branch} is invalid: {}",
            broken.problem
        ))
        .hint("git handoff edit repairs it (or git handoff start --new replaces it)")
        .into()),
        Some(Ok(cur)) => Ok(cur),
    }
}

/// What a handoff command prints with `--format json`: the revision written (absent when nothing
/// was) and what the command did.
#[derive(Serialize)]
pub(crate) struct Done<T: Serialize> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<super::show::Written>,
    #[serde(flatten)]
    pub what: T,
}

impl<T: Serialize> Done<T> {
    /// Builds the view of a write (or of none).
    pub fn new(revision: Option<&Revision>, what: T) -> Done<T> {
        Done {
            written: revision.map(super::show::revision_summary),
            what,
        }
    }
}

/// Cuts a reason to one short line for an event.
pub(crate) fn one_line(text: &str) -> String {
    let first = text.lines().next().unwrap_or_default().trim();
    if first.chars().count() > 72 {
        format!("{}…", first.chars().take(71).collect::<String>())
    } else {
        first.to_string()
    }
}
