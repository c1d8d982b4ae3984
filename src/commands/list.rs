//! `git handoff list`: every packet, local chains and fetched copies.

use clap::Args;
use serde_json::json;

use crate::cli::Format;
use crate::output::Output;
use crate::store;

#[derive(Debug, Args)]
pub struct ListArgs {}

pub fn cmd_list(_args: &ListArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format(Format::Human, &[Format::Human, Format::Json])?;
    let repo = super::open()?;
    let mut rows = Vec::new();
    for chain in store::list_chains(&repo)? {
        let Some(tip) = store::tip(&repo, &chain.refname)? else {
            continue;
        };
        match store::read_revision(&repo, tip) {
            Ok(r) => {
                let p = &r.packet;
                rows.push(json!({
                    "branch": chain.branch,
                    "remote": chain.remote,
                    "id": p.id,
                    "revision": p.revision,
                    "status": p.state.status.as_str(),
                    "lane": p.control.lane.map(crate::packet::Lane::as_str),
                    "owner": p.control.owner,
                    "updated": p.updated.to_string(),
                    "ref": chain.refname,
                }));
            }
            Err(err) => out.warn(&format!("skipping {}: {err:#}", chain.refname)),
        }
    }
    if format == Format::Json {
        return out.json(&serde_json::Value::Array(rows));
    }
    let cell = |row: &serde_json::Value, key: &str| match &row[key] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "-".to_string(),
        other => other.to_string(),
    };
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            vec![
                cell(row, "branch"),
                cell(row, "id"),
                format!("r{}", cell(row, "revision")),
                cell(row, "status"),
                cell(row, "lane"),
                cell(row, "owner"),
                cell(row, "updated"),
            ]
        })
        .collect();
    out.data(&align(&table))
}

/// Pads columns to a common width, two spaces apart.
fn align(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}
