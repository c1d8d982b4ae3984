//! Recall: the decisions, rejected approaches, findings and state items of every revision ever
//! written, searched by words. Pure: the command feeds it packets.

use std::collections::HashMap;

use serde::Serialize;

use crate::packet::{normalize, Packet};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Decision,
    Rejected,
    Finding,
    Blocker,
    Question,
    Done,
    /// Every kind (a filter only).
    All,
}

impl Kind {
    /// The name a hit shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Decision => "decision",
            Kind::Rejected => "rejected",
            Kind::Finding => "finding",
            Kind::Blocker => "blocker",
            Kind::Question => "question",
            Kind::Done => "done",
            Kind::All => "all",
        }
    }
}

/// One item of a revision: its kind, its text, and the reason given with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'p> {
    pub kind: Kind,
    pub text: &'p str,
    pub why: Option<&'p str>,
}

/// Every item of a packet recall searches.
pub fn items(p: &Packet) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    let reasons = [
        (Kind::Decision, &p.decisions),
        (Kind::Rejected, &p.rejected),
    ];
    for (kind, list) in reasons {
        out.extend(list.iter().map(|r| Item {
            kind,
            text: &r.what,
            why: Some(&r.why),
        }));
    }
    out.extend(p.findings.iter().map(|f| Item {
        kind: Kind::Finding,
        text: &f.message,
        why: f.resolution.as_deref(),
    }));
    let lists = [
        (Kind::Blocker, &p.state.blockers),
        (Kind::Question, &p.state.questions),
        (Kind::Done, &p.state.done),
    ];
    for (kind, list) in lists {
        out.extend(list.iter().map(|text| Item {
            kind,
            text,
            why: None,
        }));
    }
    out
}

/// One item across the revisions it appears in.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub text: String,
    pub why: Option<String>,
    pub branch: String,
    pub id: String,
    /// The newest revision it appears in (the one `date` and `author` describe).
    pub revision: u64,
    pub first_revision: u64,
    pub last_revision: u64,
    pub date: String,
    pub author: String,
    #[serde(skip)]
    pub seconds: i64,
    /// The best score a copy of the item got from the query (copies of one item read from a
    /// chain, its fetched copy and the notes may say different things).
    #[serde(skip)]
    pub score: Option<Score>,
}

/// Items folded by identity (packet id, kind, text): one entry per item, whatever number of
/// revisions, chains and notes it was read from.
#[derive(Debug, Default)]
pub struct Index {
    hits: Vec<Hit>,
    by_key: HashMap<(String, Kind, String), usize>,
}

impl Index {
    /// Adds every item of one revision.
    pub fn add(&mut self, p: &Packet) {
        for item in items(p) {
            let key = (p.id.clone(), item.kind, normalize(item.text).to_lowercase());
            if let Some(&at) = self.by_key.get(&key) {
                let hit = &mut self.hits[at];
                hit.first_revision = hit.first_revision.min(p.revision);
                if p.revision >= hit.last_revision {
                    hit.last_revision = p.revision;
                    describe(hit, p, &item);
                }
                continue;
            }
            let mut hit = Hit {
                kind: item.kind,
                text: String::new(),
                why: None,
                branch: String::new(),
                id: p.id.clone(),
                revision: 0,
                first_revision: p.revision,
                last_revision: p.revision,
                date: String::new(),
                author: String::new(),
                seconds: 0,
                score: None,
            };
            describe(&mut hit, p, &item);
            self.by_key.insert(key, self.hits.len());
            self.hits.push(hit);
        }
    }

    /// Folds in the items another index gathered (the same items read on another thread).
    pub fn merge(&mut self, other: Index) {
        let mut keys: Vec<_> = other.by_key.into_iter().collect();
        keys.sort_unstable_by_key(|(_, at)| *at);
        for (key, at) in keys {
            let hit = &other.hits[at];
            let Some(&mine) = self.by_key.get(&key) else {
                self.by_key.insert(key, self.hits.len());
                self.hits.push(hit.clone());
                continue;
            };
            let known = &mut self.hits[mine];
            let first = known.first_revision.min(hit.first_revision);
            if hit.last_revision >= known.last_revision {
                *known = hit.clone();
            }
            known.first_revision = first;
        }
    }

    /// Every item folded so far.
    pub fn into_hits(self) -> Vec<Hit> {
        self.hits
    }
}

fn describe(hit: &mut Hit, p: &Packet, item: &Item<'_>) {
    hit.text = item.text.to_string();
    hit.why = item.why.map(ToString::to_string);
    hit.branch.clone_from(&p.branch);
    hit.revision = p.revision;
    hit.date = p.updated.to_string();
    hit.seconds = p.updated.seconds();
    hit.author = p
        .actor
        .clone()
        .unwrap_or_else(|| p.author.split(" <").next().unwrap_or(&p.author).to_string());
}

/// Splits text into lowercase words: runs of letters and digits, in any script.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How well an item answers a query: more terms first, then terms closer together, then newer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score {
    /// Query terms found (as a word or the start of one).
    pub matched: usize,
    /// Words between the first and last matched term, at the closest (0: one term, or a phrase).
    pub spread: usize,
}

/// Scores an item against the query's terms; `None` when no term is in it.
pub fn score(terms: &[String], hit: &Hit) -> Option<Score> {
    score_text(terms, &cache::search_text(hit))
}

/// Scores a search text (an item's words, lowercased, one space apart: [`cache::search_text`])
/// against the query's terms.
pub fn score_text(terms: &[String], text: &str) -> Option<Score> {
    let mut positions: Vec<Vec<usize>> = vec![Vec::new(); terms.len()];
    let words = text.split(' ').filter(|w| !w.is_empty());
    for (i, word) in words.enumerate() {
        for (t, term) in terms.iter().enumerate() {
            if word.starts_with(term.as_str()) {
                positions[t].push(i);
            }
        }
    }
    positions.retain(|p| !p.is_empty());
    if positions.is_empty() {
        return None;
    }
    Some(Score {
        matched: positions.len(),
        spread: closest_window(&positions),
    })
}

/// The narrowest stretch of words that holds one position of every list, minus the words the
/// terms themselves take: 0 when the terms stand side by side.
fn closest_window(positions: &[Vec<usize>]) -> usize {
    let mut all: Vec<(usize, usize)> = positions
        .iter()
        .enumerate()
        .flat_map(|(term, ps)| ps.iter().map(move |&p| (p, term)))
        .collect();
    all.sort_unstable();
    let need = positions.len();
    let mut count = vec![0usize; need];
    let (mut have, mut left, mut best) = (0, 0, usize::MAX);
    for right in 0..all.len() {
        if count[all[right].1] == 0 {
            have += 1;
        }
        count[all[right].1] += 1;
        while have == need {
            let width = all[right].0 - all[left].0 + 1;
            best = best.min(width.saturating_sub(need));
            count[all[left].1] -= 1;
            if count[all[left].1] == 0 {
                have -= 1;
            }
            left += 1;
        }
    }
    best
}

/// The better of two scores: more terms, then closer together.
pub fn better(a: Option<Score>, b: Option<Score>) -> Option<Score> {
    match (a, b) {
        (Some(a), Some(b)) => Some(
            if (b.matched, std::cmp::Reverse(b.spread)) > (a.matched, std::cmp::Reverse(a.spread)) {
                b
            } else {
                a
            },
        ),
        (a, b) => a.or(b),
    }
}

/// Ranks the hits for a query: every term in one item first, then the terms closest together,
/// then the newest. An item counts with the best score any copy of it got; hits with no term
/// are dropped.
pub fn rank(query: &str, hits: Vec<Hit>) -> Vec<(Score, Hit)> {
    let terms = words(query);
    let mut scored: Vec<(Score, Hit)> = hits
        .into_iter()
        .filter_map(|h| better(score(&terms, &h), h.score).map(|s| (s, h)))
        .collect();
    scored.sort_by(|(a, ha), (b, hb)| {
        b.matched
            .cmp(&a.matched)
            .then(a.spread.cmp(&b.spread))
            .then(hb.seconds.cmp(&ha.seconds))
            .then(ha.id.cmp(&hb.id))
            // As the cache orders its lines: by the text as a cache line holds it.
            .then_with(|| cache::esc(&ha.text).cmp(&cache::esc(&hb.text)))
    });
    scored
}

/// Folds hits read from several sources (a chain and its fetched copy, the notes) into one per
/// item: the widest revision range, the newest description.
pub fn fold(hits: Vec<Hit>) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::new();
    let mut by_key: HashMap<(String, Kind, String), usize> = HashMap::new();
    for hit in hits {
        let key = (
            hit.id.clone(),
            hit.kind,
            normalize(&hit.text).to_lowercase(),
        );
        let Some(&at) = by_key.get(&key) else {
            by_key.insert(key, out.len());
            out.push(hit);
            continue;
        };
        let known = &mut out[at];
        let first = known.first_revision.min(hit.first_revision);
        let best = better(known.score, hit.score);
        if hit.last_revision > known.last_revision {
            *known = hit;
        }
        known.first_revision = first;
        known.score = best;
    }
    out
}

pub mod cache;

#[cfg(test)]
mod tests;
