//! `git handoff list`: every packet, local chains and fetched copies.

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::output::{align, Output};
use crate::store;

#[derive(Debug, Args)]
pub struct ListArgs {}

/// One packet in the list.
#[derive(Serialize)]
struct Row {
    branch: String,
    remote: Option<String>,
    id: String,
    revision: u64,
    status: &'static str,
    lane: Option<&'static str>,
    owner: Option<String>,
    updated: String,
    #[serde(rename = "ref")]
    refname: String,
}

impl Row {
    fn cells(&self) -> Vec<String> {
        let or_dash = |v: Option<&str>| v.unwrap_or("-").to_string();
        vec![
            self.branch.clone(),
            self.id.clone(),
            format!("r{}", self.revision),
            self.status.to_string(),
            or_dash(self.lane),
            or_dash(self.owner.as_deref()),
            self.updated.clone(),
        ]
    }
}

pub fn cmd_list(_args: &ListArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let mut rows = Vec::new();
    let chains = store::list_chain_tips(&repo)?;
    let tips: Vec<crate::repo::Oid> = chains.iter().map(|(_, tip)| *tip).collect();
    for ((chain, _), revision) in chains.into_iter().zip(store::read_revisions(&repo, &tips)) {
        match revision {
            Ok(r) => {
                let p = r.packet;
                rows.push(Row {
                    branch: chain.branch,
                    remote: chain.remote,
                    id: p.id,
                    revision: p.revision,
                    status: p.state.status.as_str(),
                    lane: p.control.lane.map(crate::packet::Lane::as_str),
                    owner: p.control.owner,
                    updated: p.updated.to_string(),
                    refname: chain.refname,
                });
            }
            Err(err) => out.warn(&format!("skipping {}: {err:#}", chain.refname)),
        }
    }
    if format == Format::Json {
        return out.json(&rows);
    }
    let table: Vec<Vec<String>> = rows.iter().map(Row::cells).collect();
    out.data(&align(&table))
}
