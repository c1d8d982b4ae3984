//! The `Handoff: <id> r<N>@<content>` commit trailer: added as a real git trailer, read back for
//! repairs. `<content>` abbreviates the revision's packet blob, so a trailer names one revision
//! even when two clones both wrote an `r<N>`; trailers without it (earlier builds) still read.
//! Pure text functions.

/// The trailer key.
pub const KEY: &str = "Handoff";

/// How many hex digits of the packet blob a trailer carries.
pub const CONTENT_DIGITS: usize = 12;

/// A packet revision named by a trailer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub id: String,
    pub revision: u64,
    /// A hex prefix of the revision's packet blob; `None` in trailers of earlier builds.
    pub content: Option<String>,
}

impl Stamp {
    /// Returns the trailer value, `<id> r<N>@<content>` (or `<id> r<N>` without a content id).
    pub fn value(&self) -> String {
        format!("{} r{}", self.id, Selector::of(self))
    }

    /// Returns true when this stamp names revision `revision` of packet `id` stored as the blob
    /// `blob_hex` (a stamp without a content id names the number alone).
    pub fn names(&self, id: &str, revision: u64, blob_hex: &str) -> bool {
        self.id == id && self.revision == revision && Selector::of(self).matches_blob(blob_hex)
    }
}

/// A revision as people and trailers name it: `N`, `rN`, or `N@<hex prefix of the packet blob>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub number: u64,
    pub content: Option<String>,
}

impl Selector {
    fn of(stamp: &Stamp) -> Selector {
        Selector {
            number: stamp.revision,
            content: stamp.content.clone(),
        }
    }

    /// Parses `N`, `rN`, `N@abc123…` or `rN@abc123…` (4 to 64 hex digits, any case).
    pub fn parse(text: &str) -> Option<Selector> {
        let text = text.strip_prefix('r').unwrap_or(text);
        let (number, content) = match text.split_once('@') {
            Some((n, c)) => (n, Some(c)),
            None => (text, None),
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let content = match content {
            Some(c) if (4..=64).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(c.to_ascii_lowercase())
            }
            Some(_) => return None,
            None => None,
        };
        Some(Selector {
            number: number.parse().ok()?,
            content,
        })
    }

    /// Returns true when `blob` (a full hex id) is the one this selector's content names.
    pub fn matches_blob(&self, blob_hex: &str) -> bool {
        self.content
            .as_deref()
            .is_none_or(|c| blob_hex.starts_with(c))
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.content {
            Some(c) => write!(f, "{}@{c}", self.number),
            None => write!(f, "{}", self.number),
        }
    }
}

/// Abbreviates a packet blob id to the content id trailers carry.
pub fn content_id(blob_hex: &str) -> String {
    blob_hex.chars().take(CONTENT_DIGITS).collect()
}

/// Parses one line as a `Handoff:` trailer.
pub fn parse_line(line: &str) -> Option<Stamp> {
    let (key, value) = line.split_once(':')?;
    if !key.trim_end().eq_ignore_ascii_case(KEY) || key.starts_with(char::is_whitespace) {
        return None;
    }
    let mut parts = value.split_whitespace();
    let id = parts.next()?;
    let revision = parts.next()?;
    if !revision.starts_with('r') || parts.next().is_some() || id.is_empty() {
        return None;
    }
    let Selector { number, content } = Selector::parse(revision)?;
    Some(Stamp {
        id: id.to_string(),
        revision: number,
        content,
    })
}

/// Returns every `Handoff:` stamp in a commit message, in order. A squash carries several: a
/// forge's (GitHub, GitLab) lists each commit's trailers at the start of a line, git's own
/// (`git merge --squash`) indents each squashed message by four spaces, and a mail from
/// `git format-patch` keeps them as they were.
pub fn stamps(message: &str) -> Vec<Stamp> {
    message
        .lines()
        .filter_map(|line| parse_line(line.trim_start()))
        .collect()
}

fn is_comment(line: &str, comment: &str) -> bool {
    !comment.is_empty() && line.starts_with(comment)
}

fn is_trailer_line(line: &str) -> bool {
    if line.starts_with([' ', '\t']) {
        return true; // a continuation line
    }
    line.split_once(':').is_some_and(|(key, _)| {
        !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// Decides, as `git interpret-trailers` does, whether a last paragraph is a trailer block: all
/// trailers, or at least a quarter trailers with one that git (or git-handoff) generates.
fn is_trailer_block(lines: &[&str]) -> bool {
    let (mut trailers, mut others, mut generated) = (0usize, 0usize, false);
    for line in lines {
        if line.starts_with([' ', '\t']) {
            continue; // continues the line above
        }
        if line.starts_with("(cherry picked from commit ") {
            trailers += 1;
            generated = true;
        } else if is_trailer_line(line) {
            trailers += 1;
            generated |= line.starts_with("Signed-off-by:") || parse_line(line).is_some();
        } else {
            others += 1;
        }
    }
    trailers > 0 && (others == 0 || (generated && trailers * 3 >= others))
}

/// Adds (or replaces) the `Handoff:` trailer in a commit message being written.
///
/// The trailer joins an existing trailer block or starts one after a blank line. Comment lines
/// (starting with `comment`) and everything from a scissors line on stay after the message, as
/// `git interpret-trailers` does. An empty message stays empty, so git still aborts it.
pub fn add(message: &str, stamp: &Stamp, comment: &str) -> String {
    let lines: Vec<&str> = message.lines().collect();
    let scissors = lines
        .iter()
        .position(|l| is_comment(l, comment) && l.contains(" >8 "))
        .unwrap_or(lines.len());
    let end = lines[..scissors]
        .iter()
        .rposition(|l| !l.trim().is_empty() && !is_comment(l, comment))
        .map_or(0, |i| i + 1);
    let body_at: Vec<usize> = (0..end)
        .filter(|i| !is_comment(lines[*i], comment))
        .collect();
    let body: Vec<&str> = body_at.iter().map(|i| lines[*i]).collect();
    if body.is_empty() {
        return message.to_string();
    }
    let block_start = body
        .iter()
        .rposition(|l| l.trim().is_empty())
        .map_or(0, |i| i + 1);
    let in_trailer_block = block_start > 0 && is_trailer_block(&body[block_start..]);
    let mut kept: Vec<&str> = lines[..end].to_vec();
    let mut block_left = false;
    if in_trailer_block {
        // Drop an older Handoff trailer from the block (amend, reword): one trailer, current value.
        let first_body_line = body_at[block_start];
        let mut index = 0;
        kept.retain(|l| {
            let drop = index >= first_body_line && parse_line(l).is_some();
            index += 1;
            !drop
        });
        while kept.last().is_some_and(|l| l.trim().is_empty()) {
            kept.pop();
        }
        block_left = kept.len() > first_body_line;
    }
    let mut out = String::with_capacity(message.len() + 32);
    for line in &kept {
        out.push_str(line);
        out.push('\n');
    }
    if !block_left {
        out.push('\n');
    }
    out.push_str(&format!("{KEY}: {}\n", stamp.value()));
    for line in &lines[end..] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
