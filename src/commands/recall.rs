//! `git handoff recall`: search the decisions, rejected approaches, findings and state items of
//! every revision of every packet, local and fetched, and of the notes whose chains are gone.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use clap::Args;

use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::packet::Timestamp;
use crate::policy::glob_match;
use crate::repo::{Oid, Repo};
use crate::store;
use crate::views::recall::cache::{self, Source};
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
    /// Only items seen in a revision written on or after DATE (YYYY-MM-DD or a full timestamp)
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
    /// An item of a matching branch, seen in a revision written on or after `since`.
    fn admits(&self, hit: &Hit) -> bool {
        self.branch.is_none_or(|g| glob_match(g, &hit.branch))
            && self.since.is_none_or(|s| hit.seconds >= s)
    }
}

pub fn cmd_recall(args: &RecallArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let query = args.query.join(" ");
    let terms = recall::words(&query);
    if terms.is_empty() {
        return Err(UserError::new("the query has no word to look for")
            .hint("give words: git handoff recall global lock")
            .into());
    }
    let filter = Filter {
        branch: args.branch.as_deref(),
        since: args.since.as_deref().map(since).transpose()?,
    };
    let repo = super::open()?;
    let cached = std::fs::read_to_string(cache_path(&repo)).unwrap_or_default();
    let sections = sections(&repo, &cached, &mut |w| out.warn(&w))?;
    let (mut ranked, more) = search(&sections, &terms, args, &filter);
    ranked = recall::rank(&query, ranked)
        .into_iter()
        .map(|(_, hit)| hit)
        .collect();
    if more {
        out.status("more hits: --limit 0 shows all");
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

/// Scores every cached line on its search text, then decodes the best ones only, folding the
/// copies of one item (a chain and its fetched copy) into one hit; returns the hits and whether
/// the limit left some out.
fn search<'l>(
    sections: &'l [(Source, Vec<Cow<'_, str>>)],
    terms: &[String],
    args: &RecallArgs,
    filter: &Filter<'_>,
) -> (Vec<Hit>, bool) {
    fn field(line: &str, n: usize) -> &str {
        line.split('\t').nth(n).unwrap_or_default()
    }
    let mut scored: Vec<(recall::Score, i64, &str)> = sections
        .iter()
        .flat_map(|(_, lines)| lines.iter())
        .filter_map(|line| {
            let text = line.split('\t').next().unwrap_or_default();
            if !terms.iter().any(|t| text.contains(t.as_str())) {
                return None;
            }
            let score = recall::score_text(terms, text)?;
            let seconds = field(line, 6).parse().unwrap_or(0);
            Some((score, seconds, line.as_ref()))
        })
        .collect();
    scored.sort_by(|a, b| {
        (b.0.matched.cmp(&a.0.matched))
            .then(a.0.spread.cmp(&b.0.spread))
            .then(b.1.cmp(&a.1))
    });
    let wanted = |h: &Hit| (args.kind == Kind::All || h.kind == args.kind) && filter.admits(h);
    let key = |line: &'l str| (field(line, 1), field(line, 2), field(line, 9));
    let mut hits = Vec::new();
    let mut keys = HashSet::new();
    let mut stop = scored.len();
    for (at, (_, _, line)) in scored.iter().enumerate() {
        if args.limit > 0 && keys.len() == args.limit && !keys.contains(&key(line)) {
            stop = at;
            break;
        }
        if let Some(hit) = cache::decode(line).filter(|h| wanted(h)) {
            keys.insert(key(line));
            hits.push(hit);
        }
    }
    // Copies of a chosen item further down (an older fetched copy) widen its revision range.
    let rest = &scored[stop..];
    let mut more = false;
    for (_, _, line) in rest {
        if keys.contains(&key(line)) {
            hits.extend(cache::decode(line));
        } else if !more {
            more = cache::decode(line).is_some_and(|h| wanted(&h));
        }
    }
    (recall::fold(hits), more)
}

fn cache_path(repo: &Repo) -> std::path::PathBuf {
    repo.common_dir().join("handoff-recall-cache")
}

/// Every source's items as cache lines: from the cache where the source's tip is the one cached,
/// read afresh otherwise; the cache is rewritten when anything changed (a failure to write it
/// costs only speed).
fn sections<'c>(
    repo: &Repo,
    cached: &'c str,
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<Vec<(Source, Vec<Cow<'c, str>>)>> {
    let mut known: HashMap<(&str, String), (String, Vec<&'c str>)> = cache::parse(cached)
        .into_iter()
        .map(|(s, lines)| ((s.kind, s.refname), (s.tip, lines)))
        .collect();
    let mut out = Vec::new();
    let mut changed = false;
    let mut sources: Vec<(Source, Oid)> = store::list_chain_tips(repo)?
        .into_iter()
        .map(|(chain, tip)| (source("chain", chain.refname, tip), tip))
        .collect();
    if let Some(tip) = store::tip(repo, store::NOTES_REF)? {
        sources.push((source("notes", store::NOTES_REF.to_string(), tip), tip));
    }
    for (remote, tip) in store::fetched_notes(repo)? {
        sources.push((source("notes", store::remote_notes_ref(&remote), tip), tip));
    }
    for (source, tip) in sources {
        let reuse = known
            .remove(&(source.kind, source.refname.clone()))
            .filter(|(cached_tip, _)| *cached_tip == source.tip);
        let lines: Vec<Cow<'c, str>> = if let Some((_, lines)) = reuse {
            lines.into_iter().map(Cow::Borrowed).collect()
        } else {
            changed = true;
            let index = if source.kind == "chain" {
                chain_items(repo, &source.refname, tip, warn)?
            } else {
                note_items(repo, tip)?
            };
            let hits = index.into_hits();
            hits.iter().map(|h| Cow::Owned(cache::encode(h))).collect()
        };
        out.push((source, lines));
    }
    if changed || !known.is_empty() {
        let owned: Vec<(Source, Vec<String>)> = out
            .iter()
            .map(|(s, lines)| (s.clone(), lines.iter().map(ToString::to_string).collect()))
            .collect();
        let _ = crate::atomic::write(&cache_path(repo), &cache::render(&owned));
    }
    Ok(out)
}

fn source(kind: &'static str, refname: String, tip: Oid) -> Source {
    Source {
        kind,
        refname,
        tip: tip.to_string(),
    }
}

/// Folds every revision of one chain.
fn chain_items(
    repo: &Repo,
    refname: &str,
    tip: Oid,
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<Index> {
    let mut index = Index::default();
    for revision in store::revisions(repo, tip)? {
        match revision {
            Ok(r) => index.add(&r.packet),
            Err(err) => warn(format!("{refname}: passing over {err:#}")),
        }
    }
    Ok(index)
}

/// Folds every packet a notes ref holds (each distinct note once), so that items of chains
/// deleted since are still found.
fn note_items(repo: &Repo, notes_commit: Oid) -> anyhow::Result<Index> {
    let mut index = Index::default();
    let mut blobs: HashSet<Oid> = HashSet::new();
    for blob in store::notes_map_at(repo, notes_commit)?.into_values() {
        if blobs.insert(blob) {
            if let Ok(p) = store::read_note(repo, blob) {
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
        .map_or(String::new(), |w| format!(" — {}", w.replace('\n', " ")));
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
