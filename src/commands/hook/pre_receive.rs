//! pre-receive (on the server): run the branch review check on every pushed branch tip and
//! reject the push with the findings. Packet chains and notes pushed in the same push count,
//! and are themselves guarded: never deleted, never rewritten, always valid.

use crate::repo::short;
use std::collections::HashMap;

use crate::check::{self, render};
use crate::check::{default_base, evaluate, incoming_packets, Subject};
use crate::error::UserError;
use crate::packet::Status;
use crate::policy::Layer;
use crate::repo::{Oid, Repo};
use crate::store;
use clap::ValueEnum;

pub fn run(repo: &Repo, input: &str) -> anyhow::Result<()> {
    let mut updates: Vec<(Option<Oid>, Oid, String)> = Vec::new();
    let mut pushed: HashMap<String, Option<Oid>> = HashMap::new();
    let mut report = String::new();
    for line in input.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [old, new, name] = fields[..] else {
            continue;
        };
        let (Ok(old), Ok(new)) = (Oid::from_hex(old.as_bytes()), Oid::from_hex(new.as_bytes()))
        else {
            continue;
        };
        let old = (!old.is_null()).then_some(old);
        let new = (!new.is_null()).then_some(new);
        if let Some(problem) = guard(repo, name, old, new)? {
            report.push_str(&format!("error   {name}: {problem}\n"));
        }
        pushed.insert(name.to_string(), new);
        if let (Some(branch), Some(tip)) = (name.strip_prefix("refs/heads/"), new) {
            updates.push((old, tip, branch.to_string()));
        }
    }
    // The policy is the default branch's, not the pusher's: a push cannot exempt itself.
    let policy_text = match repo.resolve_commit("HEAD") {
        Some(head) => repo.read_path(head, ".handoff.toml")?,
        None => None,
    };
    let policy = crate::policy::resolve_with(repo, policy_text.as_deref(), &Layer::default())?;
    let current = |name: &str| -> anyhow::Result<Option<Oid>> {
        match pushed.get(name) {
            Some(value) => Ok(*value),
            None => store::tip(repo, name),
        }
    };
    for (old, tip, branch) in updates {
        if policy.is_protected(&branch) {
            let incoming = incoming_packets(repo, old, tip, current(store::NOTES_REF)?, current)?;
            let problems = check::protected::check(&policy, &branch, &incoming);
            if !problems.is_empty() {
                report.push_str(&render::human(&branch, &problems));
            }
        }
        if policy.is_exempt(&branch) {
            continue;
        }
        // Lanes share a branch while the work is under way: only a protected branch asks for a
        // status that merges.
        let mut policy = policy.clone();
        if !policy.is_protected(&branch) {
            policy.merge_statuses = Status::value_variants().to_vec();
        }
        let subject = Subject {
            chain: current(&store::chain_ref(&branch))?,
            notes: current(store::NOTES_REF)?,
            fetched_notes: Vec::new(),
            base: match old {
                Some(old) => repo.merge_base(tip, old)?,
                None => default_base(repo, &branch, tip)?,
            },
            branch: branch.clone(),
            tip,
        };
        let findings = evaluate(repo, &policy, &subject)?;
        if !check::passes(&findings) {
            report.push_str(&render::human(&branch, &findings));
        }
    }
    if report.is_empty() {
        return Ok(());
    }
    crate::output::to_stderr(&crate::escape::terminal(&report));
    Err(UserError::refused("push rejected by the handoff check")
        .hint("fix the findings, push the packet with the branch (git handoff init sets that up), and push again")
        .into())
}

/// Packet chains and notes are append-only: refuses deletions, rewrites and invalid content.
fn guard(
    repo: &Repo,
    name: &str,
    old: Option<Oid>,
    new: Option<Oid>,
) -> anyhow::Result<Option<String>> {
    let chain_branch = store::branch_of(name);
    let is_notes = name == store::NOTES_REF;
    if !is_notes && chain_branch.is_none() {
        return Ok(name
            .starts_with(store::HANDOFF_NAMESPACE)
            .then(|| format!("only packet chains live under {}", store::chain_ref(""))));
    }
    let Some(new) = new else {
        return Ok(Some(
            "packet chains and handoff notes are never deleted".into(),
        ));
    };
    if let Some(old) = old {
        if !repo.is_ancestor(old, new)? {
            return Ok(Some(format!(
                "{} would be rewritten; only additions are accepted (pull and merge, then push)",
                short(old)
            )));
        }
    }
    if is_notes {
        let kept = match old {
            Some(old) => store::notes_map_at(repo, old)?,
            None => std::collections::HashMap::new(),
        };
        let known: std::collections::HashSet<_> = kept.values().copied().collect();
        let pushed = match store::verify_notes(repo, new, &known) {
            Ok(notes) => notes,
            Err(e) => return Ok(Some(format!("{e:#}"))),
        };
        return Ok(kept
            .keys()
            .find(|commit| !pushed.contains_key(*commit))
            .map(|commit| {
                format!("the push removes the note of {commit}; notes are only added or replaced")
            }));
    }
    // The same whole-chain check a clone makes before it integrates a fetched chain.
    if let Err(e) = store::verify_chain(repo, new, old) {
        return Ok(Some(format!("{e:#}")));
    }
    let incoming = store::revisions_since(repo, new, old)?;
    let policy = crate::policy::load(repo)?;
    Ok(crate::secrets::refuse(
        repo,
        &policy,
        &[],
        incoming.iter().map(|r| &r.packet),
        |p| format!("r{}", p.revision),
        "the push is refused",
    )
    .err()
    .map(|e| format!("{e:#}")))
}
