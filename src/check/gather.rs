//! The facts a check needs, gathered from the repository: the packet at the chain's tip, the
//! commits of the range and their notes, the artifacts present at the tip.

use std::collections::HashMap;

use super::{Carried, Facts, Problem};
use crate::packet::Packet;
use crate::policy::{CarryScope, Policy};
use crate::repo::{Oid, Repo};
use crate::store;
use crate::trailer;

/// The refs a check reads, possibly as a push would leave them.
pub struct Subject {
    pub branch: String,
    pub tip: Oid,
    pub base: Option<Oid>,
    pub chain: Option<Oid>,
    pub notes: Option<Oid>,
    /// Notes fetched from remotes and not pulled yet: they count for commits without a local note.
    pub fetched_notes: Vec<Oid>,
}

/// The merge base with the default branch, as the remote (or a bare repository's HEAD) names it.
pub fn default_base(repo: &Repo, branch: &str, tip: Oid) -> anyhow::Result<Option<Oid>> {
    let mut candidates = vec!["refs/remotes/origin/HEAD".to_string()];
    if repo.is_bare() {
        candidates.push("HEAD".into());
    }
    for name in ["main", "master", "trunk", "develop"] {
        candidates.push(format!("refs/remotes/origin/{name}"));
        candidates.push(format!("refs/heads/{name}"));
    }
    for candidate in candidates {
        if candidate == format!("refs/heads/{branch}") {
            continue;
        }
        if let Some(commit) = repo.resolve_commit(&candidate) {
            if candidate == "HEAD"
                && repo.resolve_commit(&format!("refs/heads/{branch}")) == Some(commit)
            {
                continue;
            }
            return repo.merge_base(tip, commit);
        }
    }
    Ok(None)
}

/// Gathers the facts about `subject` and runs every check.
pub fn evaluate(repo: &Repo, policy: &Policy, subject: &Subject) -> anyhow::Result<Vec<Problem>> {
    let revision = subject
        .chain
        .map(|c| store::read_revision(repo, c).map_err(|e| format!("{e:#}")));
    let packet = revision
        .as_ref()
        .map(|r| r.as_ref().map(|r| &r.packet).map_err(Clone::clone));
    // Walk the range and load the notes tree at the same time: two cores, two halves.
    let (range, notes) = std::thread::scope(|scope| {
        let notes = subject.notes.map(|n| {
            let git_dir = repo.git_dir().to_path_buf();
            scope.spawn(move || store::notes_map_at(&Repo::open_git_dir(&git_dir)?, n))
        });
        let range = if policy.intent == CarryScope::Tip {
            Ok(vec![subject.tip])
        } else {
            match subject.base {
                Some(base) if base == subject.tip => Ok(Vec::new()),
                // Order does not matter here; the cheapest walk does.
                Some(base) => repo.commit_set(&format!("{base}..{}", subject.tip)),
                None => repo.commit_set(&subject.tip.to_string()),
            }
        };
        let notes = match notes {
            Some(handle) => handle
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the notes reader failed"))),
            None => Ok(HashMap::new()),
        };
        (range, notes)
    });
    let (range, mut notes) = (range?, notes?);
    for fetched in &subject.fetched_notes {
        for (commit, blob) in store::notes_map_at(repo, *fetched)? {
            notes.entry(commit).or_insert(blob);
        }
    }
    let commits = uncarried(repo, range, &notes)?;
    let missing_artifacts = match &packet {
        Some(Ok(p)) => missing_artifacts(repo, p, subject.tip)?,
        _ => Vec::new(),
    };
    let carries = |commit: Oid| -> anyhow::Result<bool> {
        let Some(Ok(latest)) = &revision else {
            return Ok(false);
        };
        let stamps = trailer::stamps(&repo.message_of(commit)?);
        // A merge of clones' revisions (what a push or pull writes) adds no work of its own:
        // a commit made under one of the revisions it merged is as current as the merge.
        merged_into(repo, latest, |r| {
            notes.get(&commit) == Some(&r.blob)
                || stamps
                    .iter()
                    .any(|s| s.names(&r.packet.id, r.packet.revision, &r.blob.to_string()))
        })
    };
    // A merge commit the gate let through without an update adds no work of its own either: the
    // commit it merged into (its first parent) is the one judged, so stale work below it shows.
    let mut judged = subject.tip;
    let mut judged_parents = repo.parents_of(judged)?;
    while !policy.gate_merges && judged_parents.len() > 1 && carries(judged)? {
        judged = judged_parents[0];
        judged_parents = repo.parents_of(judged)?;
    }
    let tip_carries_latest = carries(judged)?;
    let mut tip_parents: Vec<String> = judged_parents.iter().map(ToString::to_string).collect();
    if tip_parents.is_empty() {
        tip_parents.push(String::new());
    }
    let tip_tree = repo.tree_of(subject.tip)?.to_string();
    let (original_intent, stale_approval) = match &revision {
        Some(Ok(r)) => (
            original_intent(repo, r),
            stale_approval(repo, &r.packet, subject.tip, &tip_tree)?,
        ),
        _ => (None, None),
    };
    let facts = Facts {
        branch: &subject.branch,
        tip: subject.tip.to_string(),
        judged: judged.to_string(),
        tip_tree,
        tip_parents,
        tip_carries_latest,
        packet,
        commits,
        missing_artifacts,
        original_intent,
        stale_approval,
    };
    Ok(super::run(policy, &facts))
}

/// The commits of `range` without a valid note (the rest carry a revision): only those are facts
/// worth keeping, most commits are fine.
fn uncarried(
    repo: &Repo,
    range: Vec<Oid>,
    notes: &HashMap<Oid, Oid>,
) -> anyhow::Result<Vec<Carried>> {
    let mut parsed: HashMap<Oid, Result<(), String>> = HashMap::new();
    let mut commits = Vec::new();
    for commit in range {
        let note = notes.get(&commit).map(|blob| {
            parsed
                .entry(*blob)
                .or_insert_with(|| {
                    store::read_note(repo, *blob)
                        .map(|_| ())
                        .map_err(|e| format!("{e:#}"))
                })
                .clone()
        });
        if matches!(note, Some(Ok(()))) {
            continue;
        }
        let trailer = note.is_none() && !trailer::stamps(&repo.message_of(commit)?).is_empty();
        commits.push(Carried {
            id: commit.to_string(),
            note,
            trailer,
        });
    }
    Ok(commits)
}

/// The artifact paths absent from `tip`'s tree.
fn missing_artifacts(repo: &Repo, p: &Packet, tip: Oid) -> anyhow::Result<Vec<String>> {
    let mut missing = Vec::new();
    for artifact in &p.artifacts {
        if !repo.path_exists(tip, &artifact.path)? {
            missing.push(artifact.path.clone());
        }
    }
    Ok(missing)
}

/// When the latest verdict approves another tree than the tip's: the commits made since it.
fn stale_approval(
    repo: &Repo,
    p: &Packet,
    tip: Oid,
    tip_tree: &str,
) -> anyhow::Result<Option<super::Stale>> {
    let Some(v) = p.verdicts.last() else {
        return Ok(None);
    };
    if v.tree == tip_tree {
        return Ok(None);
    }
    let approved = Oid::from_hex(v.commit.as_bytes())
        .ok()
        .filter(|c| repo.resolve_commit(&c.to_string()).is_some());
    let Some(approved) = approved.filter(|c| repo.is_ancestor(*c, tip).unwrap_or(false)) else {
        return Ok(Some(super::Stale::Elsewhere));
    };
    let since = repo.commit_set(&format!("{approved}..{tip}"))?.len();
    Ok(Some(super::Stale::Since(since)))
}

/// The intent of the packet's first revision: its chain followed back (first parents) while it
/// holds the same packet.
fn original_intent(repo: &Repo, latest: &store::Revision) -> Option<String> {
    let mut oldest = latest.packet.task.intent.clone();
    let mut parent = latest.parents.first().copied();
    while let Some(commit) = parent {
        let Ok(r) = store::read_revision(repo, commit) else {
            break;
        };
        if r.packet.id != latest.packet.id {
            break;
        }
        if r.packet.task.intent.is_some() {
            oldest.clone_from(&r.packet.task.intent);
        }
        parent = r.parents.first().copied();
    }
    oldest
}

/// The packets the commits of `old..tip` (or of everything `tip` adds to the default branch)
/// were made under, each with the status its branch's chain holds now; `chain_tip` and `notes`
/// give the refs as the push would leave them. A commit without a note counts by its trailers;
/// one with neither (a merge made on the protected branch itself, for instance) brings in none.
pub fn incoming_packets(
    repo: &Repo,
    old: Option<Oid>,
    tip: Oid,
    notes: Option<Oid>,
    chain_tip: impl Fn(&str) -> anyhow::Result<Option<Oid>>,
) -> anyhow::Result<Vec<super::protected::Incoming>> {
    let range = match old {
        Some(old) => format!("{old}..{tip}"),
        None => match default_base(repo, "", tip)? {
            Some(base) => format!("{base}..{tip}"),
            None => tip.to_string(),
        },
    };
    let notes = match notes {
        Some(notes) => store::notes_map_at(repo, notes)?,
        None => HashMap::new(),
    };
    let mut packets: Vec<Packet> = Vec::new();
    let mut unknown = Vec::new();
    for commit in repo.commit_set(&range)? {
        if let Some(blob) = notes.get(&commit) {
            if let Ok(packet) = store::read_note(repo, *blob) {
                packets.push(packet); // a note that does not read is the intent check's
            }
            continue;
        }
        for stamp in trailer::stamps(&repo.message_of(commit)?) {
            let found = store::packets_by_content(repo, &stamp)?;
            if found.is_empty() {
                unknown.push(super::protected::Incoming {
                    branch: String::new(),
                    id: stamp.id.clone(),
                    revision: stamp.revision,
                    status: None,
                });
            }
            packets.extend(found.into_iter().map(|(_, p)| p));
        }
    }
    let mut out: Vec<super::protected::Incoming> = Vec::new();
    for under in packets {
        // The newest word on the packet counts: its branch's chain when that is at least as
        // new, else what the commit carries (a chain left behind, or one that moved on).
        let chain = match chain_tip(&store::chain_ref(&under.branch))? {
            Some(c) => store::read_revision(repo, c)
                .ok()
                .map(|r| r.packet)
                .filter(|p| p.id == under.id && p.revision >= under.revision),
            None => None,
        };
        let packet = chain.unwrap_or(under);
        match out.iter_mut().find(|i| i.id == packet.id) {
            Some(seen) if seen.revision >= packet.revision => continue,
            Some(seen) => {
                seen.revision = packet.revision;
                seen.status = Some(packet.state.status);
                continue;
            }
            None => {}
        }
        out.push(super::protected::Incoming {
            branch: packet.branch,
            id: packet.id,
            revision: packet.revision,
            status: Some(packet.state.status),
        });
    }
    // A trailer naming a packet the repository does not hold cannot be judged: it is refused.
    let unknown: Vec<_> = (unknown.into_iter())
        .filter(|u| !out.iter().any(|i| i.id == u.id))
        .collect();
    out.extend(unknown);
    Ok(out)
}

/// Returns true when `carried` holds for `latest`, or for a revision that only merge revisions
/// separate from it.
fn merged_into(
    repo: &Repo,
    latest: &store::Revision,
    carried: impl Fn(&store::Revision) -> bool,
) -> anyhow::Result<bool> {
    let mut queue = vec![latest.clone()];
    let mut seen = 0;
    while let Some(revision) = queue.pop() {
        if carried(&revision) {
            return Ok(true);
        }
        seen += 1;
        if revision.event == "merge" && seen < 64 {
            for parent in &revision.parents {
                queue.push(store::read_revision(repo, *parent)?);
            }
        }
    }
    Ok(false)
}
