//! Views across branches: every packet, local and fetched, seen once (inbox, board, recall).

pub mod board;
pub mod html;
pub mod inbox;
pub mod recall;

use crate::packet::Packet;
use crate::repo::Repo;
use crate::store::{self, Chain};

/// A text's first line cut to `max` characters, with `…` when anything was left out: a goal on
/// one line of a view.
pub fn headline(text: &str, max: usize) -> String {
    let mut line: String = text
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(max)
        .collect();
    if line.chars().count() < text.chars().count() {
        line.push('…');
    }
    line
}

/// Where a copy of a packet was read: this clone, or a remote's fetched copy.
pub const LOCAL: &str = "local";

/// One packet as the views see it: its newest revision among every copy, and where copies are.
#[derive(Debug, Clone)]
pub struct Seen {
    pub packet: Packet,
    /// The branch, without a remote's name.
    pub branch: String,
    /// The chain the newest revision was read from.
    pub chain: Chain,
    /// Every place a copy was read: `local` and remote names, in list order.
    pub sources: Vec<String>,
}

impl Seen {
    /// The commit the branch's code stands at where the newest copy came from: the local
    /// branch, or the remote-tracking branch of a fetched copy.
    pub fn code_tip(&self, repo: &Repo) -> Option<crate::repo::Oid> {
        let name = match &self.chain.remote {
            Some(remote) => format!("refs/remotes/{remote}/{}", self.branch),
            None => format!("refs/heads/{}", self.branch),
        };
        repo.resolve_commit(&name)
    }
}

impl Seen {
    /// What the flags of this packet are judged against: the policy's limits, now, and the
    /// branch tip's tree where a flag needs it.
    pub fn facts(&self, repo: &Repo, policy: &crate::policy::Policy, now: i64) -> inbox::Facts {
        let tip_tree = inbox::needs_tip(&self.packet)
            .then(|| self.code_tip(repo))
            .flatten()
            .and_then(|tip| repo.tree_of(tip).ok())
            .map(|t| t.to_string());
        inbox::Facts {
            now,
            stale_after_days: policy.stale_after,
            max_hops: policy.max_hops,
            max_cycles: policy.max_cycles,
            tip_tree,
        }
    }
}

/// Reads the tip of every chain, local and fetched, and folds the copies of one packet (the
/// same id) into one: the highest revision wins, then the latest write, then the local copy.
/// A chain whose tip does not read is skipped with a warning, never fatal.
pub fn gather(repo: &Repo, warn: &mut dyn FnMut(String)) -> anyhow::Result<Vec<Seen>> {
    let mut seen: Vec<Seen> = Vec::new();
    let mut by_id = std::collections::HashMap::new();
    let chains = store::list_chain_tips(repo)?;
    let local: std::collections::HashMap<&str, crate::repo::Oid> = chains
        .iter()
        .filter(|(c, _)| c.remote.is_none())
        .map(|(c, tip)| (c.branch.as_str(), *tip))
        .collect();
    let mut local_ids: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let tips: Vec<crate::repo::Oid> = chains.iter().map(|(_, tip)| *tip).collect();
    let revisions = store::read_revisions(repo, &tips);
    for ((chain, tip), revision) in chains.iter().zip(revisions) {
        let (chain, tip) = (chain.clone(), *tip);
        let packet = match revision {
            Ok(r) => r.packet,
            Err(err) => {
                warn(format!("skipping {}: {err:#}", chain.refname));
                continue;
            }
        };
        let source = chain.remote.clone().unwrap_or_else(|| LOCAL.to_string());
        let branch = match &chain.remote {
            Some(remote) => chain.branch[remote.len() + 1..].to_string(),
            None => chain.branch.clone(),
        };
        if chain.remote.is_none() {
            local_ids.insert(branch.clone(), packet.id.clone());
        } else {
            // A fetched copy of another packet that the local chain already holds (replaced
            // since by start --new, say) is history, not open work.
            let replaced = local_ids.get(&branch).is_some_and(|id| *id != packet.id)
                && local
                    .get(branch.as_str())
                    .is_some_and(|mine| repo.is_ancestor(tip, *mine).unwrap_or(false));
            if replaced {
                continue;
            }
        }
        let Some(&at) = by_id.get(&packet.id) else {
            by_id.insert(packet.id.clone(), seen.len());
            seen.push(Seen {
                packet,
                branch,
                chain,
                sources: vec![source],
            });
            continue;
        };
        let known: &mut Seen = &mut seen[at];
        if !known.sources.contains(&source) {
            known.sources.push(source);
        }
        let newer =
            (packet.revision, packet.updated) > (known.packet.revision, known.packet.updated);
        if newer {
            known.packet = packet;
            known.branch = branch;
            known.chain = chain;
        }
    }
    Ok(seen)
}
