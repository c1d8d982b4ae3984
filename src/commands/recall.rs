//! `git handoff recall`: search the decisions, rejected approaches, findings and state items of
//! every revision of every packet, local and fetched, and of the notes whose chains are gone.

use std::borrow::Cow;
use std::cmp::Reverse;
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
    let mut warn = |w: String| out.warn(&w);
    // The cache is read while the refs are listed.
    let path = cache_path(&repo);
    let (cached, listed) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| read_cache(&path).unwrap_or_default());
        let listed = list_sources(&repo);
        (reading.join().unwrap_or_default(), listed)
    });
    let found = search(
        &sections(&repo, listed?, &cached, &mut warn)?,
        &terms,
        args,
        &filter,
    );
    let (mut ranked, more) = if let Ok(found) = found {
        found
    } else {
        // A damaged line: the whole cache is rebuilt from the chains.
        let sources = list_sources(&repo)?;
        let rebuilt = sections(&repo, sources, "", &mut warn)?;
        search(&rebuilt, &terms, args, &filter).unwrap_or_default()
    };
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

/// A cache line that does not read back: the cache is damaged.
struct Damaged;

/// Scores the cached lines that hold a term in their search text, then decodes the best ones
/// only, folding the copies of one item (a chain and its fetched copy) into one hit; returns the
/// hits and whether the limit left some out.
fn search(
    sections: &[(Source, Cow<'_, str>)],
    terms: &[String],
    args: &RecallArgs,
    filter: &Filter<'_>,
) -> Result<(Vec<Hit>, bool), Damaged> {
    let wanted = |h: &Hit| (args.kind == Kind::All || h.kind == args.kind) && filter.admits(h);
    let mut scored = find_lines(sections, terms)?;
    scored.sort_unstable_by_key(rough_order);
    let mut hits = Vec::new();
    let mut keys = HashSet::new();
    let mut stop = scored.len();
    // Lines come best first, so an item is chosen at its best copy's score.
    for at in 0..scored.len() {
        settle_ties(&mut scored, at);
        let (score, _, line) = scored[at];
        if args.limit > 0 && keys.len() == args.limit && !keys.contains(&key(line)) {
            stop = at;
            break;
        }
        let mut hit = cache::decode(line).ok_or(Damaged)?;
        if wanted(&hit) {
            keys.insert(key(line));
            hit.score = Some(score);
            hits.push(hit);
        }
    }
    // Copies of a chosen item further down (an older fetched copy, the notes) widen its
    // revision range and may hold its newest description.
    let mut more = false;
    let ids: HashSet<&str> = keys.iter().map(|(_, id, _)| *id).collect();
    for &(score, _, line) in &scored[stop..] {
        let id = line.split('\t').nth(3).unwrap_or_default();
        if ids.contains(id) && keys.contains(&key(line)) {
            let mut copy = cache::decode(line).ok_or(Damaged)?;
            if wanted(&copy) {
                copy.score = Some(score);
                hits.push(copy);
            }
        } else if !more {
            more = wanted(&cache::decode(line).ok_or(Damaged)?);
        }
    }
    Ok((recall::fold(hits), more))
}

/// What tells the copies of one item apart from other items, as recall's index and fold tell
/// them: kind, packet id, and the text with its spaces normalized, in lower case.
fn key(line: &str) -> (&str, &str, String) {
    let mut fields = line.split('\t').skip(2);
    let (kind, id) = (fields.next(), fields.next());
    let text = cache::unesc(fields.nth(4).unwrap_or_default());
    (
        kind.unwrap_or_default(),
        id.unwrap_or_default(),
        crate::packet::normalize(&text).to_lowercase(),
    )
}

/// Scores lines on their search text, best first: more terms, then closer together, then newer.
fn score_lines<'l>(
    lines: impl Iterator<Item = &'l str>,
    terms: &[String],
) -> Result<Vec<(recall::Score, i64, &'l str)>, Damaged> {
    let mut scored: Vec<(recall::Score, i64, &str)> = Vec::new();
    for line in lines {
        let mut fields = line.splitn(3, '\t');
        let Some(score) = recall::score_text(terms, fields.next().unwrap_or_default()) else {
            continue;
        };
        let seconds = fields.next().and_then(|s| s.parse().ok()).ok_or(Damaged)?;
        scored.push((score, seconds, line));
    }
    Ok(scored)
}

/// The order of scored lines before ties: more terms, closer together, newer.
fn rough_order(
    &(score, seconds, _): &(recall::Score, i64, &str),
) -> (Reverse<usize>, usize, Reverse<i64>) {
    (Reverse(score.matched), score.spread, Reverse(seconds))
}

/// Puts the lines tied with the one `at` in the final ranking's order (packet id, then text as
/// escaped), when `at` starts a run of ties: only the runs a search reaches are ordered.
fn settle_ties(scored: &mut [(recall::Score, i64, &str)], at: usize) {
    let rough = rough_order(&scored[at]);
    if at > 0 && rough_order(&scored[at - 1]) == rough {
        return;
    }
    let run = scored[at..]
        .iter()
        .take_while(|l| rough_order(l) == rough)
        .count();
    scored[at..at + run].sort_by_cached_key(|(_, _, line)| {
        let mut fields = line.split('\t');
        (fields.nth(3), fields.nth(4))
    });
}

/// The lines of every section that hold a term, scored: the sections shared between two threads.
fn find_lines<'l>(
    sections: &'l [(Source, Cow<'_, str>)],
    terms: &[String],
) -> Result<Vec<(recall::Score, i64, &'l str)>, Damaged> {
    let look = |part: &'l [(Source, Cow<'_, str>)]| {
        let lines = part.iter().flat_map(|(_, l)| lines_with_terms(l, terms));
        score_lines(lines, terms)
    };
    let (first, second) = sections.split_at(sections.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| look(second));
        let mut found = look(first)?;
        found.extend(other.join().unwrap_or_else(|_| look(second))?);
        Ok(found)
    })
}

/// The lines of a section whose search text (the first field) holds a term, each once, in order:
/// found by looking for each term through the whole text, not line by line.
fn lines_with_terms<'l>(lines: &'l str, terms: &[String]) -> Vec<&'l str> {
    let mut starts = Vec::new();
    for term in terms {
        let mut from = 0;
        while let Some(found) = lines[from..].find(term.as_str()) {
            let at = from + found;
            let start = lines[..at].rfind('\n').map_or(0, |n| n + 1);
            let end = lines[at..].find('\n').map_or(lines.len(), |n| at + n);
            // The first match of a line is in its search text, or the search text has none.
            if !lines[start..at].contains('\t') {
                starts.push((start, end));
            }
            from = end;
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts.into_iter().map(|(s, e)| &lines[s..e]).collect()
}

/// Reads the cache file, its two halves at once (the copy from the page cache is most of a warm
/// run's time).
fn read_cache(path: &std::path::Path) -> std::io::Result<String> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(path)?;
    let size = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    let mut bytes = vec![0u8; size];
    let (first, second) = bytes.split_at_mut(size / 2);
    let offset = first.len() as u64;
    std::thread::scope(|scope| {
        let other = scope.spawn(|| file.read_exact_at(second, offset));
        file.read_exact_at(first, 0)?;
        other
            .join()
            .unwrap_or_else(|_| Err(std::io::ErrorKind::Other.into()))
    })?;
    String::from_utf8(bytes).map_err(|_| std::io::ErrorKind::InvalidData.into())
}

fn cache_path(repo: &Repo) -> std::path::PathBuf {
    repo.common_dir().join("handoff-recall-cache")
}

/// Every source's items as cache lines: from the cache where the source's tip is the one cached,
/// read afresh otherwise; the cache is rewritten when anything changed (a failure to write it
/// costs only speed).
fn sections<'c>(
    repo: &Repo,
    sources: Vec<(Source, Oid)>,
    cached: &'c str,
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<Vec<(Source, Cow<'c, str>)>> {
    let mut known: HashMap<(&str, String), (String, &'c str)> = cache::parse(cached)
        .into_iter()
        .map(|(s, lines)| ((s.kind, s.refname), (s.tip, lines)))
        .collect();
    let mut out = Vec::new();
    let mut tips = Vec::new();
    let mut fresh = Vec::new();
    for (source, tip) in sources {
        let reuse = known
            .remove(&(source.kind, source.refname.clone()))
            .filter(|(cached_tip, _)| *cached_tip == source.tip);
        if let Some((_, lines)) = reuse {
            out.push((source, Cow::Borrowed(lines)));
        } else {
            fresh.push(out.len());
            out.push((source, Cow::Borrowed("")));
            tips.push(tip);
        }
    }
    let changed = !fresh.is_empty();
    let indexes = read_sources(repo, &out, &fresh, &tips, warn)?;
    for (at, index) in fresh.iter().zip(indexes) {
        out[*at].1 = Cow::Owned(cache::lines(&index.into_hits()));
    }
    if changed || !known.is_empty() {
        let _ = crate::atomic::write(&cache_path(repo), &cache::render(&out));
    }
    Ok(out)
}

/// Every chain and notes ref recall reads, with its tip.
fn list_sources(repo: &Repo) -> anyhow::Result<Vec<(Source, Oid)>> {
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
    Ok(sources)
}

fn source(kind: &'static str, refname: String, tip: Oid) -> Source {
    Source {
        kind,
        refname,
        tip: tip.to_string(),
    }
}

/// Reads the sources at `fresh` (their tips in `tips`) afresh: every revision of a chain, every
/// packet a notes ref holds (so that items of chains deleted since are still found); each blob is
/// read once, however many sources hold it.
fn read_sources(
    repo: &Repo,
    sources: &[(Source, Cow<'_, str>)],
    fresh: &[usize],
    tips: &[Oid],
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<Vec<Index>> {
    let mut owners: HashMap<Oid, Vec<usize>> = HashMap::new();
    let (chains, notes): (Vec<usize>, Vec<usize>) =
        (0..fresh.len()).partition(|&n| sources[fresh[n]].0.kind == "chain");
    let chain_tips: Vec<Oid> = chains.iter().map(|&n| tips[n]).collect();
    for (&n, revisions) in chains.iter().zip(store::chain_blobs(repo, &chain_tips)?) {
        for (commit, blob) in revisions {
            match blob {
                Ok(blob) => owners.entry(blob).or_default().push(n),
                Err(err) => warn(format!(
                    "{}: passing over revision {commit}: {err:#}",
                    sources[fresh[n]].0.refname
                )),
            }
        }
    }
    for &n in &notes {
        for blob in store::notes_map_at(repo, tips[n])?.into_values() {
            let holders = owners.entry(blob).or_default();
            if !holders.contains(&n) {
                holders.push(n);
            }
        }
    }
    let blobs: Vec<Oid> = owners.keys().copied().collect();
    let start = || (HashMap::<usize, Index>::new(), Vec::<String>::new());
    let states = store::fold_blobs(repo, &blobs, start, |(indexes, warnings), blob, bytes| {
        let holders = &owners[&blob];
        let packet = bytes.and_then(|b| {
            crate::packet::read_stored(b)
                .map_err(|e| anyhow::anyhow!("packet {blob} is not a valid packet: {e}"))
        });
        match packet {
            Ok(p) => holders
                .iter()
                .for_each(|&n| indexes.entry(n).or_default().add(&p)),
            // A notes ref may point to anything; only a chain's bad revision is worth a word.
            Err(err) => warnings.extend(
                holders
                    .iter()
                    .filter(|&&n| sources[fresh[n]].0.kind == "chain")
                    .map(|&n| format!("{}: passing over {err:#}", sources[fresh[n]].0.refname)),
            ),
        }
    })?;
    let mut out: Vec<Index> = fresh.iter().map(|_| Index::default()).collect();
    for (indexes, warnings) in states {
        warnings.into_iter().for_each(&mut *warn);
        for (n, index) in indexes {
            out[n].merge(index);
        }
    }
    Ok(out)
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
