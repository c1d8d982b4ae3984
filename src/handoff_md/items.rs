//! The lines of one HANDOFF.md section as items: list entries with their continuation lines,
//! checkboxes and `  - key: value` sub-fields, paragraphs, fenced code blocks.

/// One list item: text, sub-fields, checkbox, where it starts.
#[derive(Debug, Default)]
pub(super) struct Item {
    pub text: String,
    pub subs: Vec<(String, String)>,
    pub checked: Option<bool>,
    pub line: usize,
    /// True for a paragraph rather than a list entry.
    pub prose: bool,
}

/// Drops the backslash `escape_line` adds.
pub(super) fn unescape(line: &str) -> &str {
    line.strip_prefix('\\').unwrap_or(line)
}

/// Reads a list marker (`- `, `* `, `+ `, `1. `, `1) `) at the start of `line`.
fn list_marker(line: &str) -> Option<&str> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(m) {
            return Some(rest);
        }
    }
    if line == "-" || line == "*" {
        return Some("");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &line[digits..];
        for m in [". ", ") "] {
            if let Some(rest) = rest.strip_prefix(m) {
                return Some(rest);
            }
        }
    }
    None
}

/// Reads `key: value` where key is a field name (`exit_code`), for sub-fields and scalars.
pub(super) fn key_value(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text
        .split_once(": ")
        .or_else(|| text.strip_suffix(':').map(|k| (k, "")))?;
    let name = !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    name.then_some((key, value))
}

/// Parses the lines of one section into items.
pub(super) fn items(lines: &[(usize, &str)]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    // Where continuation lines go: the item text (0) or the last sub-field (1).
    let mut target = 0;
    let mut blank = true;
    // A fenced code block is one item, its lines as they are.
    let mut fence: Option<usize> = None;
    for &(n, raw) in lines {
        let line = raw.trim_end_matches('\r');
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if let Some(at) = fence {
            out[at].text.push('\n');
            out[at].text.push_str(body);
            if body.starts_with("```") {
                fence = None;
            }
            continue;
        }
        if indent <= 3 && body.starts_with("```") {
            out.push(Item {
                text: body.to_string(),
                line: n,
                prose: true,
                ..Item::default()
            });
            fence = Some(out.len() - 1);
            blank = true;
            continue;
        }
        if line.trim().is_empty() {
            blank = true;
            continue;
        }
        if indent <= 1 {
            if let Some(rest) = list_marker(body) {
                let (checked, rest) = match rest.get(..4) {
                    Some("[ ] ") => (Some(false), &rest[4..]),
                    Some("[x] " | "[X] ") => (Some(true), &rest[4..]),
                    _ => (None, rest),
                };
                out.push(Item {
                    text: unescape(rest).to_string(),
                    checked,
                    line: n,
                    ..Item::default()
                });
                target = 0;
                blank = false;
                continue;
            }
        }
        let Some(last) = out.last_mut().filter(|_| indent >= 2 || !blank) else {
            out.push(Item {
                text: body.to_string(),
                line: n,
                prose: true,
                ..Item::default()
            });
            blank = false;
            continue;
        };
        blank = false;
        if indent == 2 {
            if let Some((key, value)) = list_marker(body).and_then(key_value) {
                if !last.prose {
                    last.subs
                        .push((key.to_string(), unescape(value).to_string()));
                    target = 1;
                    continue;
                }
            }
        }
        let text = if last.prose && indent < 2 {
            body
        } else {
            unescape(&line[indent.min(if target == 1 { 4 } else { 2 })..])
        };
        // A line that is not indented continues a paragraph or a hand-written item lazily.
        let joiner = if last.prose || indent < 2 { " " } else { "\n" };
        if let (1, Some((_, value))) = (target, last.subs.last_mut()) {
            value.push('\n');
            value.push_str(text);
        } else {
            last.text.push_str(joiner);
            last.text.push_str(text);
        }
    }
    out
}
