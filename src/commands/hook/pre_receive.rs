//! pre-receive (on the server): run the branch review check on every pushed branch tip and
//! reject the push with the findings. Packet chains and notes pushed in the same push count.

use std::collections::HashMap;

use super::super::check::{default_base, evaluate, Subject};
use crate::check::{self, render};
use crate::error::UserError;
use crate::policy::Layer;
use crate::repo::{Oid, Repo};
use crate::store;

pub fn run(repo: &Repo, input: &str) -> anyhow::Result<()> {
    let mut updates: Vec<(Option<Oid>, Oid, String)> = Vec::new();
    let mut pushed: HashMap<String, Oid> = HashMap::new();
    for line in input.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [old, new, name] = fields[..] else {
            continue;
        };
        let (Ok(old), Ok(new)) = (Oid::from_hex(old.as_bytes()), Oid::from_hex(new.as_bytes()))
        else {
            continue;
        };
        if new.is_null() {
            continue; // a deletion carries nothing to check
        }
        pushed.insert(name.to_string(), new);
        if let Some(branch) = name.strip_prefix("refs/heads/") {
            updates.push(((!old.is_null()).then_some(old), new, branch.to_string()));
        }
    }
    let mut report = String::new();
    for (old, tip, branch) in updates {
        let policy_text = repo.read_path(tip, ".handoff.toml")?;
        let policy = super::super::policy_from(repo, policy_text.as_deref(), &Layer::default())?;
        if policy.is_exempt(&branch) {
            continue;
        }
        let chain_ref = store::chain_ref(&branch);
        let subject = Subject {
            chain: match pushed.get(&chain_ref) {
                Some(id) => Some(*id),
                None => store::tip(repo, &chain_ref)?,
            },
            notes: match pushed.get(store::NOTES_REF) {
                Some(id) => Some(*id),
                None => store::tip(repo, store::NOTES_REF)?,
            },
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
    eprint!("{report}");
    Err(UserError::refused("push rejected by the handoff check")
        .hint("fix the findings, push the packet with the branch (git handoff init sets that up), and push again")
        .into())
}
