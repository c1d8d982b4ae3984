//! The warm-run cache of recall: each chain's folded items as lines, keyed by the chain's tip.
//! Never the source of truth: a missing, old or damaged cache is rebuilt from the chains.

use super::{Hit, Kind};
use crate::packet::Timestamp;

/// The first line of a cache file of this format.
pub const HEADER: &str = "git-handoff recall cache v4";

/// One source of items: a chain (`chain`) or a notes ref (`notes`), with the tip it was read at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub kind: &'static str,
    pub refname: String,
    pub tip: String,
}

/// A text as a cache line holds it: backslashes, tabs and line breaks escaped.
pub fn esc(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// A field's text as it was before [`encode`] escaped it.
pub fn unesc(text: &str) -> String {
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
/// Its words, split as a query's are and then lowercased, so that a word whose lowercase form
/// holds a combining mark (`İ`) reads the same in both.
pub fn search_text(hit: &Hit) -> String {
    let mut all = super::words(&hit.text);
    if let Some(why) = &hit.why {
        all.extend(super::words(why));
    }
    all.join(" ")
}

/// One hit as one line (no newline): the search text first, for a quick look before decoding,
/// then the seconds of its date, for ranking before decoding.
pub fn encode(hit: &Hit) -> String {
    // The search text is words and spaces only: nothing to escape.
    let search = search_text(hit);
    let fields = [
        search,
        hit.seconds.to_string(),
        hit.kind.as_str().to_string(),
        esc(&hit.id),
        esc(&hit.branch),
        hit.first_revision.to_string(),
        hit.last_revision.to_string(),
        esc(&hit.author),
        esc(&hit.text),
        hit.why.as_deref().map_or_else(|| "\\0".to_string(), esc),
    ];
    fields.join("\t")
}

/// Reads a line back; `None` for a damaged one.
pub fn decode(line: &str) -> Option<Hit> {
    let f: Vec<&str> = line.split('\t').collect();
    let [_, seconds, kind, id, branch, first, last, author, text, why] = f[..] else {
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
    let seconds = seconds.parse().ok()?;
    // Dates are whole seconds in UTC: the seconds give the date back as written.
    let date = Timestamp::from_seconds(seconds)?.to_string();
    Some(Hit {
        kind,
        text: unesc(text),
        why: (why != "\\0").then(|| unesc(why)),
        branch: unesc(branch),
        id: unesc(id),
        revision: last_revision,
        first_revision: first.parse().ok()?,
        last_revision,
        date,
        author: unesc(author),
        seconds,
        score: None,
    })
}

/// A cache file read: each source with its lines (one hit per line, each ending in a newline),
/// as one text. Lines are checked when a search decodes them; a file cut short or a section whose
/// length does not add up gives nothing, so that the whole cache is rebuilt.
pub fn parse(text: &str) -> Vec<(Source, &str)> {
    let Some(mut rest) = text.strip_prefix(HEADER).and_then(|t| t.strip_prefix('\n')) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while !rest.is_empty() {
        let Some((head, body)) = rest.split_once('\n') else {
            return Vec::new();
        };
        let words: Vec<&str> = head.split(' ').collect();
        let [kind @ ("chain" | "notes"), refname, tip, bytes] = words[..] else {
            return Vec::new();
        };
        let Some(lines) = bytes.parse::<usize>().ok().and_then(|n| body.get(..n)) else {
            return Vec::new();
        };
        if !lines.is_empty() && !lines.ends_with('\n') {
            return Vec::new();
        }
        rest = &body[lines.len()..];
        let kind = if kind == "chain" { "chain" } else { "notes" };
        out.push((
            Source {
                kind,
                refname: refname.to_string(),
                tip: tip.to_string(),
            },
            lines,
        ));
    }
    out
}

/// A source's hits as lines, each ending in a newline.
pub fn lines(hits: &[Hit]) -> String {
    let mut out = String::new();
    for hit in hits {
        out.push_str(&encode(hit));
        out.push('\n');
    }
    out
}

/// Writes a cache file's text: each source's header (with the length of its lines in bytes) and
/// its lines.
pub fn render<S: AsRef<str>>(sections: &[(Source, S)]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for (source, lines) in sections {
        let lines = lines.as_ref();
        out.push_str(&format!(
            "{} {} {} {}\n",
            source.kind,
            source.refname,
            source.tip,
            lines.len()
        ));
        out.push_str(lines);
    }
    out
}
