//! A fetched notes commit is checked whole before any of it is integrated: its tree must be a
//! notes tree as git writes one (hex fanout directories, one blob per annotated commit, nothing
//! else) and every note must be a packet within the size bound.

use std::collections::{HashMap, HashSet};

use anyhow::Context;

use super::chain::read_packet_blob;
use crate::error::UserError;
use crate::packet;
use crate::repo::{Oid, Repo};

/// Returns the notes of a fetched notes commit, or an error naming the first problem. Notes
/// whose blob `known` holds already (the local notes) are not judged again.
pub fn verify_notes<S: std::hash::BuildHasher>(
    repo: &Repo,
    notes_commit: Oid,
    known: &HashSet<Oid, S>,
) -> anyhow::Result<HashMap<Oid, Oid>> {
    let refuse = |problem: String| -> anyhow::Result<HashMap<Oid, Oid>> {
        Err(UserError::new(format!(
            "the fetched notes commit {notes_commit} is refused: {problem}"
        ))
        .hint(format!("inspect it with: git ls-tree -r {notes_commit}"))
        .into())
    };
    let root = repo
        .tree_of(notes_commit)
        .with_context(|| format!("{notes_commit} is not a notes commit"))?;
    let mut notes = HashMap::new();
    let hex_len = repo.git.object_hash().len_in_hex();
    if let Err(problem) = walk(repo, root, &mut String::new(), hex_len, &mut notes)? {
        return refuse(problem);
    }
    let mut checked = HashSet::new();
    for (commit, blob) in &notes {
        if known.contains(blob) || !checked.insert(*blob) {
            continue; // held already, or shared by many commits and checked once
        }
        let size = repo
            .git
            .find_header(*blob)
            .with_context(|| format!("cannot read note {blob}"))?
            .size();
        if size > packet::MAX_PACKET_BYTES as u64 {
            return refuse(format!("the note of {commit} is {size} bytes"));
        }
        match read_packet_blob(repo, *blob) {
            Err(err) => return refuse(format!("the note of {commit} is not a packet: {err:#}")),
            Ok(p) => {
                if let Err(err) = packet::check_displayable(&p) {
                    return refuse(format!("the note of {commit}: {err}"));
                }
            }
        }
    }
    Ok(notes)
}

/// Walks one level of a notes tree; the inner `Err` is a problem with the tree's shape.
fn walk(
    repo: &Repo,
    tree: Oid,
    prefix: &mut String,
    hex_len: usize,
    notes: &mut HashMap<Oid, Oid>,
) -> anyhow::Result<Result<(), String>> {
    let tree = repo
        .git
        .find_tree(tree)
        .context("cannot read the fetched notes tree")?;
    let decoded = tree
        .decode()
        .context("cannot decode the fetched notes tree")?;
    let mut previous: Option<&[u8]> = None;
    for entry in &decoded.entries {
        let name: &[u8] = entry.filename;
        if previous == Some(name) {
            let at = if prefix.is_empty() {
                "the top"
            } else {
                prefix.as_str()
            };
            return Ok(Err(format!(
                "{at} of the tree has a duplicate entry {}",
                show(name)
            )));
        }
        previous = Some(name);
        let Some(name) = std::str::from_utf8(name)
            .ok()
            .filter(|n| !n.is_empty() && n.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        else {
            return Ok(Err(format!("{} is not a note name", show(name))));
        };
        let path_len = prefix.len() + name.len();
        let before = prefix.len();
        // Lower-case hex only, as git writes it: an upper-case twin could annotate a commit twice.
        prefix.push_str(name);
        let shape = if entry.mode.is_tree() && name.len() == 2 && path_len < hex_len {
            walk(repo, entry.oid.to_owned(), prefix, hex_len, notes)?
        } else if entry.mode.kind() == gix::object::tree::EntryKind::Blob && path_len == hex_len {
            let commit = Oid::from_hex(prefix.as_bytes()).map_err(|e| anyhow::anyhow!("{e}"))?;
            if notes.insert(commit, entry.oid.to_owned()).is_some() {
                Err(format!("{prefix} is annotated twice"))
            } else {
                Ok(())
            }
        } else {
            Err(format!(
                "{prefix} is neither a fanout directory nor a note blob"
            ))
        };
        prefix.truncate(before);
        if shape.is_err() {
            return Ok(shape);
        }
    }
    Ok(Ok(()))
}

fn show(name: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(name))
}
