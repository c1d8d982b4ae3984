//! The warm-run cache of recall: each chain's folded items as lines, keyed by the chain's tip.
//! Never the source of truth: a missing, old or damaged cache is rebuilt from the chains.

use super::{Hit, Kind};

/// The first line of a cache file of this format.
pub const HEADER: &str = "git-handoff recall cache v2";

/// One source of items: a chain (`chain`) or a notes ref (`notes`), with the tip it was read at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub kind: &'static str,
    pub refname: String,
    pub tip: String,
}

fn esc(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn unesc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The text a query's words are looked for in, lower case: the first field of a line.
pub fn search_text(hit: &Hit) -> String {
    let mut text = hit.text.to_lowercase();
    if let Some(why) = &hit.why {
        text.push(' ');
        text.push_str(&why.to_lowercase());
    }
    text
}

/// One hit as one line (no newline): the search text first, for a quick look before decoding.
pub fn encode(hit: &Hit) -> String {
    // The search text is looked in as it is: line breaks and tabs become spaces, nothing escaped.
    let search = search_text(hit).replace(['\n', '\t', '\r'], " ");
    let fields = [
        search,
        hit.kind.as_str().to_string(),
        esc(&hit.id),
        esc(&hit.branch),
        hit.first_revision.to_string(),
        hit.last_revision.to_string(),
        hit.seconds.to_string(),
        esc(&hit.date),
        esc(&hit.author),
        esc(&hit.text),
        hit.why.as_deref().map_or_else(|| "\\0".to_string(), esc),
    ];
    fields.join("\t")
}

/// Reads a line back; `None` for a damaged one.
pub fn decode(line: &str) -> Option<Hit> {
    let f: Vec<&str> = line.split('\t').collect();
    let [_, kind, id, branch, first, last, seconds, date, author, text, why] = f[..] else {
        return None;
    };
    let kind = [
        Kind::Decision,
        Kind::Rejected,
        Kind::Finding,
        Kind::Blocker,
        Kind::Question,
        Kind::Done,
    ]
    .into_iter()
    .find(|k| k.as_str() == kind)?;
    let last_revision = last.parse().ok()?;
    Some(Hit {
        kind,
        text: unesc(text),
        why: (why != "\\0").then(|| unesc(why)),
        branch: unesc(branch),
        id: unesc(id),
        revision: last_revision,
        first_revision: first.parse().ok()?,
        last_revision,
        date: unesc(date),
        author: unesc(author),
        seconds: seconds.parse().ok()?,
    })
}

/// A cache file read: each source with its lines.
pub fn parse(text: &str) -> Vec<(Source, Vec<&str>)> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Vec::new();
    }
    let mut out = Vec::new();
    while let Some(head) = lines.next() {
        let words: Vec<&str> = head.split(' ').collect();
        let [kind @ ("chain" | "notes"), refname, tip, count] = words[..] else {
            return Vec::new();
        };
        let Ok(count) = count.parse::<usize>() else {
            return Vec::new();
        };
        let body: Vec<&str> = lines.by_ref().take(count).collect();
        // Every line has its eleven fields, or the whole cache is rebuilt.
        if body.len() != count
            || body
                .iter()
                .any(|l| l.bytes().filter(|b| *b == b'\t').count() != 10)
        {
            return Vec::new();
        }
        let kind = if kind == "chain" { "chain" } else { "notes" };
        out.push((
            Source {
                kind,
                refname: refname.to_string(),
                tip: tip.to_string(),
            },
            body,
        ));
    }
    out
}

/// Writes a cache file's text.
pub fn render(sections: &[(Source, Vec<String>)]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for (source, lines) in sections {
        out.push_str(&format!(
            "{} {} {} {}\n",
            source.kind,
            source.refname,
            source.tip,
            lines.len()
        ));
        for line in lines {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
