//! Bringing fetched packet chains and notes into the local ones: create, fast-forward, or
//! merge (a commit with both parents), always by compare-and-swap. Nothing local is dropped.

use super::cas;
use anyhow::Context;

use super::chain::{
    read_revision, revision_number, subject_of, tip, Revision, CONFLICT_PREFIX, PACKET_FILE,
};
use super::layout::{chain_ref, NOTES_REF};
use super::notes::{notes_map_at, with_state};
use super::transient::gix_error;
use super::write::commit_packet;
use crate::error::UserError;
use crate::merge::{self, Merged, Side};
use crate::packet::{self, Writer};
use crate::repo::{Oid, Repo};

/// What integrating a fetched tip did to the local ref.
#[derive(Debug, Clone)]
pub enum Integrated {
    /// There was no local ref: it now points at the fetched tip.
    Created,
    /// The local ref was behind and moved forward.
    FastForward,
    /// Both were the same.
    UpToDate,
    /// The local ref already contains the fetched tip.
    Ahead,
    /// The two had diverged: a merge commit joins them.
    Merged,
}

fn merge_base(repo: &Repo, a: Oid, b: Oid) -> anyhow::Result<Option<Oid>> {
    repo.merge_base(a, b)
}

/// Brings a fetched chain tip into `branch`'s local chain.
///
/// `writer` is the author and time of a merge revision; its revision number is computed.
/// Returns the merge revision when one was written.
pub fn integrate_chain(
    repo: &Repo,
    branch: &str,
    fetched: Oid,
    writer: &Writer,
) -> anyhow::Result<(Integrated, Option<Revision>)> {
    let refname = chain_ref(branch);
    verify_chain(repo, fetched, tip(repo, &refname)?)?;
    let theirs = read_revision(repo, fetched)?;
    cas::retry(repo, &refname, || {
        let local = tip(repo, &refname)?;
        let Some(local) = local else {
            return Ok(
                cas::swap(repo, &refname, None, fetched, "handoff: from remote")?
                    .then_some((Integrated::Created, None)),
            );
        };
        if local == fetched {
            return Ok(Some((Integrated::UpToDate, None)));
        }
        // Decide ancestry by walking, not by the merge base: equal commit dates can make a
        // date-ordered merge-base search settle on an older common ancestor.
        if repo.is_ancestor(fetched, local)? {
            return Ok(Some((Integrated::Ahead, None)));
        }
        let base = merge_base(repo, local, fetched)?;
        if repo.is_ancestor(local, fetched)? {
            return Ok(cas::swap(
                repo,
                &refname,
                Some(local),
                fetched,
                "handoff: fast-forward",
            )?
            .then_some((Integrated::FastForward, None)));
        }
        let ours = read_revision(repo, local)?;
        if base.is_none() && ours.packet.id != theirs.packet.id {
            // Two packets started apart share no history: merging would blend two tasks.
            return Err(started_apart(branch, &ours.packet, &theirs.packet));
        }
        let base_packet = base
            .map(|b| read_revision(repo, b))
            .transpose()?
            .map(|r| r.packet);
        let (l, f) = (local.to_string(), fetched.to_string());
        let Merged {
            packet: mut merged,
            conflicts,
        } = merge::merge(
            base_packet.as_ref(),
            Side {
                packet: &ours.packet,
                commit: &l,
            },
            Side {
                packet: &theirs.packet,
                commit: &f,
            },
        );
        merged.revision = ours.packet.revision.max(theirs.packet.revision) + 1;
        merged.branch = branch.to_string();
        merged.updated = writer.at;
        merged.author.clone_from(&writer.author);
        merged.actor = Some(writer.actor.clone());
        packet::validate(&merged)
            .map_err(|e| anyhow::anyhow!("the merged packet would be invalid: {e}"))?;
        let mut message = format!("handoff {} r{}: merge\n", merged.id, merged.revision);
        if !conflicts.is_empty() {
            message.push('\n');
            for c in &conflicts {
                message.push_str(&format!(
                    "{CONFLICT_PREFIX}{}: kept {}, other {}\n",
                    c.field, c.kept, c.other
                ));
            }
        }
        let (commit, blob) = commit_packet(repo, &merged, vec![local, fetched], &message)?;
        if !cas::swap(
            repo,
            &refname,
            Some(local),
            commit,
            message.lines().next().unwrap_or("merge"),
        )? {
            return Ok(None);
        }
        Ok(Some((
            Integrated::Merged,
            Some(Revision {
                commit,
                blob,
                packet: merged,
                event: "merge".into(),
                parents: vec![local, fetched],
                conflicts: conflicts
                    .iter()
                    .map(|c| format!("{}: kept {}, other {}", c.field, c.kept, c.other))
                    .collect(),
            }),
        )))
    })
}

/// Checks, before anything is integrated, every commit a fetched chain would bring in: a tree of
/// exactly one `packet.toml` blob (mode 100644), a valid packet whose number matches its commit
/// subject, and parents that are revisions with lower numbers. One bad commit refuses the chain.
pub fn verify_chain(repo: &Repo, fetched: Oid, local: Option<Oid>) -> anyhow::Result<()> {
    let walk = repo
        .git
        .rev_walk([fetched])
        .with_hidden(local)
        .all()
        .context("cannot walk the fetched packet chain")?;
    let refuse = |commit: Oid, problem: String| -> anyhow::Result<()> {
        Err(UserError::new(format!(
            "the chain is refused at commit {commit}: {problem}"
        ))
        .hint(format!(
            "inspect it with: git log --format='%H %s' {commit}"
        ))
        .into())
    };
    for info in walk {
        let id = info.context("cannot walk the fetched packet chain")?.id;
        if let Some(problem) = tree_problem(repo, id)? {
            return refuse(id, problem);
        }
        let revision = match read_revision(repo, id) {
            Ok(r) => r,
            Err(err) => return refuse(id, format!("{err:#}")),
        };
        if let Err(err) = packet::check_displayable(&revision.packet) {
            return refuse(id, err.to_string());
        }
        let n = revision.packet.revision;
        if revision_number(repo, id)? != Some(n) {
            return refuse(
                id,
                format!("its subject does not name revision {n}, which its packet holds"),
            );
        }
        if revision.parents.len() > 2 {
            return refuse(
                id,
                format!(
                    "it has {} parents; a revision has at most two",
                    revision.parents.len()
                ),
            );
        }
        let mut highest = 0;
        for parent in &revision.parents {
            // A parent's subject says what it is; its packet was checked when it came in.
            let Some((parent_id, p)) = subject_of(repo, *parent)? else {
                return refuse(id, format!("parent {parent} is not a packet revision"));
            };
            highest = highest.max(p);
            // A new id starts only with `start` (a merge keeps one of its parents' ids).
            if parent_id != revision.packet.id
                && revision.event != "start"
                && revision.parents.len() == 1
            {
                return refuse(
                    id,
                    format!(
                        "its packet id {} follows {parent_id} without a start",
                        revision.packet.id
                    ),
                );
            }
        }
        if revision.parents.len() == 2 && revision.event != "start" {
            let ids: Vec<Option<String>> = revision
                .parents
                .iter()
                .map(|p| subject_of(repo, *p).ok().flatten().map(|(id, _)| id))
                .collect();
            if !ids.iter().flatten().any(|id| *id == revision.packet.id) {
                return refuse(
                    id,
                    format!(
                        "the merge's packet id {} is neither parent's",
                        revision.packet.id
                    ),
                );
            }
        }
        // Writers number each revision one past its parent (a merge: past the higher parent);
        // a jump would let one push exhaust the numbers of everyone who fetches it.
        let expected = if revision.parents.is_empty() {
            1
        } else {
            highest + 1
        };
        if n != expected {
            let after = if revision.parents.is_empty() {
                "a first revision".to_string()
            } else {
                format!("revision {highest}")
            };
            return refuse(
                id,
                format!("revision {n} follows {after}; the next one is {expected}"),
            );
        }
    }
    Ok(())
}

/// Says what is wrong with a chain commit's tree, if anything.
fn tree_problem(repo: &Repo, commit: Oid) -> anyhow::Result<Option<String>> {
    let tree = repo.tree_of(commit)?;
    let tree = repo
        .git
        .find_tree(tree)
        .context("cannot read a fetched packet tree")?;
    let decoded = tree
        .decode()
        .context("cannot decode a fetched packet tree")?;
    let [entry] = decoded.entries.as_slice() else {
        return Ok(Some(format!(
            "its tree holds {} entries, not just {PACKET_FILE}",
            decoded.entries.len()
        )));
    };
    if entry.filename != PACKET_FILE || entry.mode.kind() != gix::object::tree::EntryKind::Blob {
        return Ok(Some(format!(
            "its tree must hold {PACKET_FILE} as a plain file (mode 100644)"
        )));
    }
    Ok(None)
}

/// Brings a fetched notes commit into `refs/notes/handoff` as a union of both trees, after
/// checking it whole: a remote adds notes or replaces one with what `choose` prefers, never
/// removes one.
///
/// `choose(commit, local, fetched)` picks the note of a commit annotated differently on both sides.
pub fn integrate_notes(
    repo: &Repo,
    fetched: Oid,
    message: &str,
    choose: impl Fn(Oid, Oid, Oid) -> Oid,
) -> anyhow::Result<Integrated> {
    let known: std::collections::HashSet<Oid> = match cas::read_ref(repo, NOTES_REF)? {
        Some(local) => notes_map_at(repo, local)?.into_values().collect(),
        None => std::collections::HashSet::new(),
    };
    let theirs = super::notes_check::verify_notes(repo, fetched, &known)?;
    cas::retry(repo, NOTES_REF, || {
        let Some(local) = cas::read_ref(repo, NOTES_REF)? else {
            return Ok(
                cas::swap(repo, NOTES_REF, None, fetched, "notes: from remote")?
                    .then_some(Integrated::Created),
            );
        };
        if local == fetched {
            return Ok(Some(Integrated::UpToDate));
        }
        if repo.is_ancestor(fetched, local)? {
            return Ok(Some(Integrated::Ahead));
        }
        let ours = notes_map_at(repo, local)?;
        // A fast-forward may only add notes or move one to what `choose` prefers: a remote
        // never takes a local note away.
        let keeps_ours = ours.iter().all(|(commit, mine)| {
            theirs
                .get(commit)
                .is_some_and(|t| t == mine || choose(*commit, *mine, *t) == *t)
        });
        if keeps_ours && repo.is_ancestor(local, fetched)? {
            return Ok(
                cas::swap(repo, NOTES_REF, Some(local), fetched, "notes: fast-forward")?
                    .then_some(Integrated::FastForward),
            );
        }
        let tree = with_state(repo, Some(local), |state| {
            for (commit, blob) in &theirs {
                let pick = match ours.get(commit) {
                    None => *blob,
                    Some(mine) if mine == blob => continue,
                    Some(mine) => choose(*commit, *mine, *blob),
                };
                if ours.get(commit) != Some(&pick) {
                    state
                        .edit(*commit, Some(pick), &repo.git)
                        .map_err(|e| gix_error(&e, format!("cannot merge the note of {commit}")))?;
                }
            }
            state
                .write(&repo.git)
                .map_err(|e| gix_error(&e, "cannot write the merged notes tree"))
        })?;
        let commit = super::notes::write_notes_commit(repo, tree, &[local, fetched], message)?;
        Ok(cas::swap(
            repo,
            NOTES_REF,
            Some(local),
            commit,
            &format!("notes: {message}"),
        )?
        .then_some(Integrated::Merged))
    })
}

/// The refusal to blend two packets started apart on one branch, with the way to take theirs.
fn started_apart(branch: &str, ours: &packet::Packet, theirs: &packet::Packet) -> anyhow::Error {
    UserError::new(format!(
        "the remote holds another packet for {branch} ({} r{}, started apart from {} r{})",
        theirs.id, theirs.revision, ours.id, ours.revision
    ))
    .hint(format!(
        "to continue theirs, set yours aside and pull: git update-ref {archive} {chain} && git update-ref -d {chain} && git handoff pull",
        chain = chain_ref(branch),
        archive = super::layout::archive_ref(branch)
    ))
    .into()
}
