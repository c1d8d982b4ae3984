//! `git handoff recall`: search the decisions, rejected approaches, findings and state items of
//! every revision of every packet, local and fetched, and of the notes whose chains are gone.

use std::collections::HashSet;

use clap::Args;

use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::packet::{Packet, Timestamp};
use crate::policy::glob_match;
use crate::repo::{Oid, Repo};
use crate::store;
use crate::views::recall::{self, Hit, Index, Kind};

#[derive(Debug, Args)]
pub struct RecallArgs {
    /// Words to look for (any case; a word matches itself and the words it starts)
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Only items of this kind
    #[arg(long, value_enum, default_value = "all")]
    pub kind: Kind,
    /// Only packets of branches matching this glob (`*` within a name part, `**` across)
    #[arg(long, value_name = "GLOB")]
    pub branch: Option<String>,
    /// Only revisions written on or after DATE (YYYY-MM-DD or a full timestamp)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Most hits shown (0: all)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
}

/// Which revisions take part.
struct Filter<'a> {
    branch: Option<&'a str>,
    since: Option<i64>,
}

impl Filter<'_> {
    fn admits(&self, p: &Packet) -> bool {
        self.branch.is_none_or(|g| glob_match(g, &p.branch))
            && self.since.is_none_or(|s| p.updated.seconds() >= s)
    }
}

pub fn cmd_recall(args: &RecallArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let query = args.query.join(" ");
    if recall::words(&query).is_empty() {
        return Err(UserError::new("the query has no word to look for")
            .hint("give words: git handoff recall global lock")
            .into());
    }
    let filter = Filter {
        branch: args.branch.as_deref(),
        since: args.since.as_deref().map(since).transpose()?,
    };
    let repo = super::open()?;
    let index = gather(&repo, &filter, &mut |w| out.warn(&w))?;
    let hits = index
        .into_hits()
        .into_iter()
        .filter(|h| args.kind == Kind::All || h.kind == args.kind);
    let mut ranked: Vec<Hit> = recall::rank(&query, hits.collect())
        .into_iter()
        .map(|(_, hit)| hit)
        .collect();
    if args.limit > 0 && ranked.len() > args.limit {
        out.status(&format!(
            "{} more: --limit 0 shows all",
            ranked.len() - args.limit
        ));
        ranked.truncate(args.limit);
    }
    if format == Format::Json {
        return out.json(&ranked);
    }
    if ranked.is_empty() {
        out.status(&format!("nothing recalls {query:?}"));
        return Ok(());
    }
    out.data(&ranked.iter().map(human).collect::<String>())
}

/// Folds every revision of every chain, then every note whose packet no chain holds.
fn gather(repo: &Repo, filter: &Filter<'_>, warn: &mut dyn FnMut(String)) -> anyhow::Result<Index> {
    let mut index = Index::default();
    let mut blobs: HashSet<Oid> = HashSet::new();
    for chain in store::list_chains(repo)? {
        for revision in store::revisions(repo, &chain.refname)? {
            match revision {
                Ok(r) => {
                    if blobs.insert(r.blob) && filter.admits(&r.packet) {
                        index.add(&r.packet);
                    }
                }
                Err(err) => warn(format!("{}: passing over {err:#}", chain.refname)),
            }
        }
    }
    let mut notes = vec![store::notes_map(repo)?];
    for (_, commit) in store::fetched_notes(repo)? {
        notes.push(store::notes_map_at(repo, commit)?);
    }
    for blob in notes.iter().flat_map(|m| m.values()) {
        if !blobs.insert(*blob) {
            continue;
        }
        if let Ok(p) = store::read_note(repo, *blob) {
            if filter.admits(&p) {
                index.add(&p);
            }
        }
    }
    Ok(index)
}

fn since(text: &str) -> anyhow::Result<i64> {
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_string()
    };
    Timestamp::parse(&full)
        .map(Timestamp::seconds)
        .map_err(|e| {
            UserError::new(format!("--since {:?}: {e}", crate::escape::terminal(text)))
                .hint("give a date as YYYY-MM-DD or a timestamp as 2026-11-21T22:10:00Z")
                .into()
        })
}

fn human(h: &Hit) -> String {
    let why = h
        .why
        .as_deref()
        .map_or(String::new(), |w| format!(" — {w}"));
    let revisions = if h.first_revision == h.last_revision {
        format!("r{}", h.last_revision)
    } else {
        format!("r{}–r{}", h.first_revision, h.last_revision)
    };
    let date = h.date.get(..10).unwrap_or(&h.date);
    format!(
        "{:<9} {}{why}\n{:<9} {} · {} {revisions} · {date} · {}\n",
        h.kind.as_str(),
        h.text.replace('\n', " "),
        "",
        h.branch,
        h.id,
        h.author
    )
}
