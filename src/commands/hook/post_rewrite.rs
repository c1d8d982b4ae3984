//! post-rewrite: carry notes across `commit --amend` and `rebase`. A squash or fixup (several
//! old commits, one new) carries the newest revision among them: one packet, never a blend.

use std::collections::HashMap;

use crate::carried::{self, Candidate};
use crate::output::Output;
use crate::repo::{Head, Oid, Repo};
use crate::store;

pub fn run(repo: &Repo, out: &Output, input: &str) -> anyhow::Result<()> {
    let mut olds_of: Vec<(Oid, Vec<Oid>)> = Vec::new();
    for line in input.lines() {
        let mut words = line.split_whitespace();
        let (Some(old), Some(new)) = (words.next(), words.next()) else {
            continue;
        };
        let (Ok(old), Ok(new)) = (Oid::from_hex(old.as_bytes()), Oid::from_hex(new.as_bytes()))
        else {
            continue;
        };
        match olds_of.iter_mut().find(|(n, _)| *n == new) {
            Some((_, olds)) => olds.push(old),
            None => olds_of.push((new, vec![old])),
        }
    }
    if olds_of.is_empty() {
        // Hook managers that do not forward git's input (the pre-commit framework): rebuild
        // what the rewrite dropped from the trailers of the recent commits instead.
        return repair_recent(repo, out);
    }
    let all_olds: Vec<Oid> = olds_of
        .iter()
        .flat_map(|(_, o)| o.iter().copied())
        .collect();
    let old_notes = store::notes_of(repo, &all_olds)?;
    let mut packets: HashMap<Oid, Candidate> = HashMap::new();
    let mut plan = Vec::new();
    let mut index = None;
    let branch = current_branch(repo);
    for (new, olds) in &olds_of {
        let message = repo.message_of(*new)?;
        let (mut candidates, _ambiguous) =
            carried::from_trailers(repo, &message, branch.as_deref(), &mut index)?;
        let blobs = olds
            .iter()
            .filter_map(|o| old_notes.get(o).copied())
            .filter(|b| !packets.contains_key(b));
        for c in carried::from_notes(repo, blobs.collect::<Vec<_>>()) {
            packets.insert(c.blob, c);
        }
        for old in olds {
            if let Some(c) = old_notes.get(old).and_then(|b| packets.get(b)) {
                candidates.push(Candidate {
                    blob: c.blob,
                    packet: c.packet.clone(),
                });
            }
        }
        if let Some(best) = carried::newest(candidates) {
            plan.push((*new, best.blob));
        }
    }
    let message = format!(
        "handoff: carry notes across {} rewritten commits",
        plan.len()
    );
    if let Err(err) = store::set_notes(repo, &plan, &message) {
        out.warn(&format!(
            "could not carry the handoff notes: {err:#} (run git handoff repair)"
        ));
    }
    Ok(())
}

/// The branch being rewritten, whose chain resolves old trailers first.
fn current_branch(repo: &Repo) -> Option<String> {
    match repo.head() {
        Ok(Head::Branch { name, .. }) => Some(name),
        _ => None,
    }
}

/// How far back a rewrite without input is repaired from trailers.
const RECENT: usize = 100;

fn repair_recent(repo: &Repo, out: &Output) -> anyhow::Result<()> {
    let Some(head) = repo.resolve_commit("HEAD") else {
        return Ok(());
    };
    let commits: Vec<Oid> = repo.commits_limited(&head.to_string(), RECENT)?;
    let notes = store::notes_of(repo, &commits)?;
    let mut plan = Vec::new();
    let mut index = None;
    let branch = current_branch(repo);
    for commit in commits.into_iter().filter(|c| !notes.contains_key(c)) {
        let message = repo.message_of(commit)?;
        if let Some(found) = carried::newest(
            carried::from_trailers(repo, &message, branch.as_deref(), &mut index)?.0,
        ) {
            plan.push((commit, found.blob));
        }
    }
    if let Err(err) = store::set_notes(repo, &plan, "handoff: notes from trailers after a rewrite")
    {
        out.warn(&format!(
            "could not repair the handoff notes: {err:#} (run git handoff repair)"
        ));
    }
    Ok(())
}
