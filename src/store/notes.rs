//! Notes at `refs/notes/handoff`: the note of a commit is the packet blob current when it was made.
//! Trees use git's own fanout, so `git notes` and `git log --notes` read them.

use std::collections::HashMap;

use anyhow::Context;
use gix::note::plumbing::State;

use super::layout::NOTES_REF;
use super::transient::gix_error;
use super::{cas, chain::read_packet_blob};
use crate::packet::Packet;
use crate::repo::{Oid, Repo, Role};

fn root_tree(repo: &Repo, notes_commit: Option<Oid>) -> anyhow::Result<Oid> {
    match notes_commit {
        Some(id) => repo
            .tree_of(id)
            .with_context(|| format!("{NOTES_REF} does not point to a commit")),
        None => Ok(Oid::empty_tree(repo.git.object_hash())),
    }
}

/// Runs `work` on the notes tree of `notes_commit` (none: an empty tree). A tree git reads but
/// gix's notes editor refuses (two entries for one commit, say, after a hand edit) is rebuilt
/// once from a tolerant full read, so it stays usable and the next write normalizes it.
pub(super) fn with_state<T>(
    repo: &Repo,
    notes_commit: Option<Oid>,
    mut work: impl FnMut(&mut State) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let fast = State::new(root_tree(repo, notes_commit)?, &repo.git)
        .map_err(|e| anyhow::anyhow!("cannot read {NOTES_REF}: {e}"))
        .and_then(|mut state| work(&mut state));
    let Err(first) = fast else { return fast };
    let Some(commit) = notes_commit else {
        return Err(first);
    };
    let mut state = State::new(Oid::empty_tree(repo.git.object_hash()), &repo.git)
        .map_err(|e| anyhow::anyhow!("cannot start a notes tree: {e}"))?;
    for (annotated, blob) in notes_map_at(repo, commit)? {
        state
            .edit(annotated, Some(blob), &repo.git)
            .map_err(|e| anyhow::anyhow!("cannot rebuild {NOTES_REF} ({first:#}): {e}"))?;
    }
    work(&mut state).map_err(|e| e.context(format!("{first:#}")))
}

/// Returns the note blob of `commit`, looked up along its fanout path only.
pub fn note_of(repo: &Repo, commit: Oid) -> anyhow::Result<Option<Oid>> {
    match cas::read_ref(repo, NOTES_REF)? {
        Some(notes_commit) => note_in(repo, notes_commit, commit),
        None => Ok(None),
    }
}

fn note_in(repo: &Repo, notes_commit: Oid, commit: Oid) -> anyhow::Result<Option<Oid>> {
    with_state(repo, Some(notes_commit), |state| {
        state
            .get(&commit, &repo.git)
            .map_err(|e| anyhow::anyhow!("cannot read the note of {commit}: {e}"))
    })
}

/// The notes fetched from each configured remote and not pulled yet: (remote, notes commit).
pub fn fetched_notes(repo: &Repo) -> anyhow::Result<Vec<(String, Oid)>> {
    let mut out = Vec::new();
    for remote in repo.remote_names() {
        if let Some(tip) = cas::read_ref(repo, &super::layout::remote_notes_ref(&remote))? {
            out.push((remote, tip));
        }
    }
    Ok(out)
}

/// The note of `commit` in the local notes, else in the notes fetched from a remote (named).
pub fn note_anywhere(repo: &Repo, commit: Oid) -> anyhow::Result<Option<(Oid, Option<String>)>> {
    if let Some(blob) = note_of(repo, commit)? {
        return Ok(Some((blob, None)));
    }
    for (remote, notes_commit) in fetched_notes(repo)? {
        if let Some(blob) = note_in(repo, notes_commit, commit)? {
            return Ok(Some((blob, Some(remote))));
        }
    }
    Ok(None)
}

/// Reads a note blob as a packet; a note that is not a packet is an error naming the blob.
pub fn read_note(repo: &Repo, blob: Oid) -> anyhow::Result<Packet> {
    read_packet_blob(repo, blob)
}

/// Loads every note into a map from annotated commit to note blob, in one pass over the tree.
pub fn notes_map(repo: &Repo) -> anyhow::Result<HashMap<Oid, Oid>> {
    match cas::read_ref(repo, NOTES_REF)? {
        Some(notes_commit) => notes_map_at(repo, notes_commit),
        None => Ok(HashMap::new()),
    }
}

/// Loads the notes of one notes commit into a map.
pub fn notes_map_at(repo: &Repo, notes_commit: Oid) -> anyhow::Result<HashMap<Oid, Oid>> {
    let mut map = HashMap::new();
    let root = root_tree(repo, Some(notes_commit))?;
    let hex_len = repo.git.object_hash().len_in_hex();
    collect(repo, root, &mut String::new(), hex_len, &mut map)?;
    Ok(map)
}

fn collect(
    repo: &Repo,
    tree: Oid,
    prefix: &mut String,
    hex_len: usize,
    map: &mut HashMap<Oid, Oid>,
) -> anyhow::Result<()> {
    let tree = repo
        .git
        .find_tree(tree)
        .context("cannot read the notes tree")?;
    let decoded = tree.decode().context("cannot decode the notes tree")?;
    for entry in &decoded.entries {
        let Ok(name) = std::str::from_utf8(entry.filename) else {
            continue;
        };
        if !name.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let before = prefix.len();
        prefix.push_str(name);
        if entry.mode.is_tree() && name.len() == 2 && prefix.len() < hex_len {
            collect(repo, entry.oid.to_owned(), prefix, hex_len, map)?;
        } else if entry.mode.is_blob() && prefix.len() == hex_len {
            if let Ok(commit) = Oid::from_hex(prefix.as_bytes()) {
                map.insert(commit, entry.oid.to_owned());
            }
        }
        prefix.truncate(before);
    }
    Ok(())
}

/// Attaches `blob` (the packet `packet` stored) as the note of `commit`, with the notes commit
/// message every attachment uses; returns false when the note was already there.
pub fn attach_note(repo: &Repo, commit: Oid, blob: Oid, packet: &Packet) -> anyhow::Result<bool> {
    let message = format!(
        "handoff: note {} r{} on {}",
        packet.id,
        packet.revision,
        crate::repo::short(commit)
    );
    set_note(repo, commit, blob, &message)
}

/// Makes `blob` the note of `commit`; returns false when it already was.
pub fn set_note(repo: &Repo, commit: Oid, blob: Oid, message: &str) -> anyhow::Result<bool> {
    Ok(set_notes(repo, &[(commit, blob)], message)? > 0)
}

/// Sets many notes in one notes commit; returns how many changed (0 writes nothing).
pub fn set_notes(repo: &Repo, notes: &[(Oid, Oid)], message: &str) -> anyhow::Result<usize> {
    cas::retry(repo, NOTES_REF, || {
        let old = cas::read_ref(repo, NOTES_REF)?;
        let (changed, tree) = with_state(repo, old, |state| {
            let mut changed = 0;
            for (commit, blob) in notes {
                if state.get(commit, &repo.git).ok().flatten() == Some(*blob) {
                    continue;
                }
                state
                    .edit(*commit, Some(*blob), &repo.git)
                    .map_err(|e| gix_error(&e, format!("cannot write the note of {commit}")))?;
                changed += 1;
            }
            if changed == 0 {
                return Ok((0, None));
            }
            let tree = state
                .write(&repo.git)
                .map_err(|e| gix_error(&e, "cannot write the notes tree"))?;
            Ok((changed, Some(tree)))
        })?;
        let Some(tree) = tree else {
            return Ok(Some(0));
        };
        let parents: Vec<Oid> = old.into_iter().collect();
        let notes_commit = write_notes_commit(repo, tree, &parents, message)?;
        let swapped = cas::swap(
            repo,
            NOTES_REF,
            old,
            notes_commit,
            &format!("notes: {message}"),
        )?;
        Ok(swapped.then_some(changed))
    })
}

/// Writes a notes commit (not the ref) as the configured identity.
pub(super) fn write_notes_commit(
    repo: &Repo,
    tree: Oid,
    parents: &[Oid],
    message: &str,
) -> anyhow::Result<Oid> {
    let commit = gix::objs::Commit {
        tree,
        parents: parents.iter().copied().collect(),
        author: repo.signature(Role::Author)?,
        committer: repo.signature(Role::Committer)?,
        encoding: None,
        message: format!("{message}\n").into(),
        extra_headers: Vec::new(),
    };
    Ok(repo
        .git
        .write_object(&commit)
        .map_err(|e| gix_error(&e, "cannot write the notes commit"))?
        .detach())
}

/// Looks up the notes of a few commits through one lazily opened notes tree.
pub fn notes_of(repo: &Repo, commits: &[Oid]) -> anyhow::Result<HashMap<Oid, Oid>> {
    let mut out = HashMap::new();
    let Some(notes_commit) = cas::read_ref(repo, NOTES_REF)? else {
        return Ok(out);
    };
    with_state(repo, Some(notes_commit), |state| {
        out.clear();
        for commit in commits {
            if let Some(blob) = state
                .get(commit, &repo.git)
                .map_err(|e| anyhow::anyhow!("cannot read the note of {commit}: {e}"))?
            {
                out.insert(*commit, blob);
            }
        }
        Ok(())
    })?;
    Ok(out)
}
