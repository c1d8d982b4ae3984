//! `git handoff log`: one line per revision of a branch's packet, newest first.

use std::collections::HashMap;
use std::fmt::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::output::Output;
use crate::packet;
use crate::store::{self, Revision};

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The branch (or remote/branch); the current branch by default
    #[arg(value_name = "BRANCH")]
    pub branch: Option<String>,
}

/// One revision in the log.
#[derive(Serialize)]
struct Entry<'a> {
    revision: u64,
    /// `N@<content id>`: names the revision even where two clones wrote the same number.
    name: String,
    id: &'a str,
    updated: String,
    author: &'a str,
    event: &'a str,
    changed: &'a [String],
    conflicts: &'a [String],
    commit: String,
    parents: Vec<String>,
}

pub fn cmd_log(args: &LogArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let (_, chain) = super::chain_of(
        &repo,
        out,
        args.branch.as_deref(),
        "git handoff log <branch>",
    )?;
    let revisions = store::history(&repo, &chain.refname)?;
    let by_commit: HashMap<_, &Revision> = revisions.iter().map(|r| (r.commit, r)).collect();
    let rows: Vec<(&Revision, Vec<String>)> = revisions
        .iter()
        .map(|r| {
            let fields = match r.parents.first().and_then(|p| by_commit.get(p)) {
                Some(parent) => changed_fields(&parent.packet, &r.packet),
                None => Vec::new(),
            };
            (r, fields)
        })
        .collect();
    if format == Format::Json {
        let entries: Vec<Entry> = rows
            .iter()
            .map(|(r, fields)| Entry {
                revision: r.packet.revision,
                name: super::revision_name(r),
                id: &r.packet.id,
                updated: r.packet.updated.to_string(),
                author: &r.packet.author,
                event: &r.event,
                changed: fields,
                conflicts: &r.conflicts,
                commit: r.commit.to_string(),
                parents: r.parents.iter().map(ToString::to_string).collect(),
            })
            .collect();
        return out.json(&entries);
    }
    let mut text = String::new();
    let shared = |n: u64| revisions.iter().filter(|r| r.packet.revision == n).count() > 1;
    for (r, fields) in &rows {
        let p = &r.packet;
        // Two clones both wrote this number: show the content id that tells them apart.
        let name = if shared(p.revision) {
            super::revision_name(r)
        } else {
            p.revision.to_string()
        };
        let mut fields = fields.clone();
        fields.extend(
            r.conflicts
                .iter()
                .map(|c| format!("conflict {}", c.split(':').next().unwrap_or(c))),
        );
        let changed = if fields.is_empty() {
            String::new()
        } else {
            format!("  {}", fields.join(", "))
        };
        let _ = writeln!(
            text,
            "r{name}  {}  {}  {}{changed}",
            p.updated, p.author, r.event
        );
    }
    out.data(&text)
}

/// Returns the distinct dotted names of the fields that differ, in field order (a record such as
/// `control.handover` counts once, whichever of its keys changed).
fn changed_fields(old: &packet::Packet, new: &packet::Packet) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for change in packet::diff(old, new) {
        let name: String = change
            .field()
            .split('.')
            .take(2)
            .collect::<Vec<_>>()
            .join(".");
        if !fields.contains(&name) {
            fields.push(name);
        }
    }
    fields
}
