//! `git handoff notes`: the packet revision each commit of a range was made under.

use std::collections::HashMap;

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::output::Output;
use crate::packet::Packet;
use crate::repo::Oid;
use crate::store;

#[derive(Debug, Args)]
pub struct NotesArgs {
    /// A revision (all its ancestors) or a range A..B; HEAD by default
    #[arg(value_name = "RANGE", default_value = "HEAD")]
    pub range: String,
}

/// A commit and its note.
#[derive(Serialize)]
struct Row {
    commit: String,
    note: Option<Note>,
}

/// What a note holds.
#[derive(Serialize)]
#[serde(untagged)]
enum Note {
    Valid {
        id: String,
        revision: u64,
        status: &'static str,
        blob: String,
    },
    Invalid {
        error: String,
        blob: String,
    },
}

pub fn cmd_notes(args: &NotesArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let commits = repo.commits(&args.range)?;
    let mut notes = store::notes_map(&repo)?;
    // Notes fetched but not pulled yet count for commits without a local one.
    for (remote, fetched) in store::fetched_notes(&repo)? {
        let wanted: std::collections::HashSet<&Oid> = commits.iter().collect();
        let mut taken = 0;
        for (commit, blob) in store::notes_map_at(&repo, fetched)? {
            if wanted.contains(&commit) && !notes.contains_key(&commit) {
                notes.insert(commit, blob);
                taken += 1;
            }
        }
        if taken > 0 {
            out.status(&format!(
                "{taken} notes read from the notes fetched from {remote}; git handoff pull makes them yours"
            ));
        }
    }
    // Many commits share one revision: parse each distinct blob once.
    let mut packets: HashMap<Oid, Result<Packet, String>> = HashMap::new();
    let mut text = String::with_capacity(commits.len() * 64);
    let mut rows = Vec::new();
    for commit in commits {
        let note = notes.get(&commit).map(|blob| {
            let packet = packets
                .entry(*blob)
                .or_insert_with(|| store::read_note(&repo, *blob).map_err(|e| format!("{e:#}")));
            (blob, packet)
        });
        if format == Format::Json {
            let note = note.map(|(blob, packet)| match packet {
                Ok(p) => Note::Valid {
                    id: p.id.clone(),
                    revision: p.revision,
                    status: p.state.status.as_str(),
                    blob: blob.to_string(),
                },
                Err(e) => Note::Invalid {
                    error: e.clone(),
                    blob: blob.to_string(),
                },
            });
            rows.push(Row {
                commit: commit.to_string(),
                note,
            });
            continue;
        }
        let line = match note {
            None => format!("{commit} -\n"),
            // The content id tells apart two revisions two clones both numbered rN.
            Some((blob, Ok(p))) => format!(
                "{commit} {} r{}@{} {}\n",
                p.id,
                p.revision,
                crate::trailer::content_id(&blob.to_string()),
                p.state.status.as_str()
            ),
            Some((blob, Err(_))) => format!("{commit} invalid-note {blob}\n"),
        };
        text.push_str(&line);
    }
    if format == Format::Json {
        return out.json(&rows);
    }
    out.data(&text)
}
