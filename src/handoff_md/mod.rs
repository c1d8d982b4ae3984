//! HANDOFF.md both ways: a packet written as Markdown in fixed sections inside a managed block
//! (`export`), and Markdown read back into packet fields (`import`): the tool's own export
//! exactly, and the hand-written shapes agents already use. Pure.
//!
//! An item is a list entry; its text continues on lines indented two spaces; a record's other
//! fields follow as `  - key: value` lines. A text line that could read as Markdown syntax (or
//! starts with a space, or is empty) is written with a leading backslash, which import drops,
//! so every string comes back exactly.

mod apply;
mod import;
mod items;
mod sections;

pub use import::{import, Imported, Problem};
pub use sections::{Section, SECTIONS};

use std::fmt::Write;

use crate::packet::{plain_json, Packet};

/// The first line of the managed block (`export v1`), and its last.
pub const BEGIN: &str = "<!-- git-handoff:begin export v1 -->";
pub const END: &str = "<!-- git-handoff:end -->";
/// What any version's first line starts with.
pub const BEGIN_PREFIX: &str = "<!-- git-handoff:begin export";
/// The comment naming the packet and revision exported.
const PACKET_MARK: &str = "<!-- git-handoff packet ";

/// Escapes one line of text so that it reads back as text, never as Markdown structure.
fn escape_line(line: &str) -> String {
    let first = line.chars().next();
    let numbered = {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'))
    };
    let needs = match first {
        None => true,
        Some(c) => c.is_whitespace() || "\\-*+#><[|`~=_!".contains(c) || numbered,
    };
    if needs {
        format!("\\{line}")
    } else {
        line.to_string()
    }
}

/// Writes `text` after `lead`, its further lines indented by `indent` spaces.
fn push_text(out: &mut String, lead: &str, text: &str, indent: usize) {
    let mut lines = text.split('\n');
    let _ = writeln!(
        out,
        "{lead}{}",
        escape_line(lines.next().unwrap_or_default())
    );
    for line in lines {
        let _ = writeln!(out, "{:indent$}{}", "", escape_line(line));
    }
}

/// Writes a scalar or record value as the text after `key: `.
fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Writes one record (a JSON object): its `title` field as the item, the rest as sub-fields.
fn push_record(out: &mut String, record: &serde_json::Value, title: &str, marker: &str) {
    let Some(map) = record.as_object() else {
        return;
    };
    let head = map.get(title).map(value_text).unwrap_or_default();
    push_text(out, &format!("{marker} "), &head, 2);
    for (key, value) in map.iter().filter(|(k, _)| *k != title) {
        push_text(out, &format!("  - {key}: "), &value_text(value), 4);
    }
}

/// Renders the managed block for a packet: the fixed sections, every body field, in order.
pub fn export(p: &Packet) -> String {
    let json = plain_json(p);
    let mut out = String::new();
    let _ = writeln!(out, "{BEGIN}");
    let _ = writeln!(out, "{PACKET_MARK}{} r{} -->", p.id, p.revision);
    for section in &SECTIONS[..sections::EXPORTED] {
        let _ = writeln!(out, "\n{} {}", "#".repeat(section.level), section.title);
        let mut body = String::new();
        section.write(&mut body, &json);
        if !body.is_empty() {
            let _ = write!(out, "\n{body}");
        }
    }
    let _ = writeln!(out, "\n{END}");
    out
}

impl Section {
    /// Writes the section's items from the packet's JSON.
    fn write(&self, out: &mut String, json: &serde_json::Value) {
        let value = self.path.iter().fold(json, |v, key| &v[*key]);
        match self.shape {
            sections::Shape::Scalars(keys) => {
                for key in keys {
                    let v = &value[*key];
                    if !v.is_null() {
                        push_text(out, &format!("- {key}: "), &value_text(v), 2);
                    }
                }
            }
            sections::Shape::List(marker) => {
                for (n, item) in value.as_array().into_iter().flatten().enumerate() {
                    let marker = if marker == "1." {
                        format!("{}.", n + 1)
                    } else {
                        marker.to_string()
                    };
                    push_text(out, &format!("{marker} "), &value_text(item), 2);
                }
            }
            sections::Shape::Records(title) => match value {
                serde_json::Value::Array(items) => {
                    for item in items {
                        push_record(out, item, title, "-");
                    }
                }
                serde_json::Value::Object(_) => push_record(out, value, title, "-"),
                _ => {}
            },
            sections::Shape::Text => {}
        }
    }
}

/// Returns true for a file to read as Markdown: named `*.md` or `*.markdown`, or holding an
/// exported block (TOML and JSON packets hold neither).
pub fn is_markdown(path: &std::path::Path, text: &str) -> bool {
    let named = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    named || text.lines().any(|l| l.trim_end().starts_with(BEGIN_PREFIX))
}

/// The sections a file may hold, for a hint.
pub fn section_titles() -> String {
    SECTIONS
        .iter()
        .map(|s| s.title)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Puts `block` into a file's text: in place of an earlier exported block, else at the end after
/// a blank line; everything outside the block stays as it was.
pub fn place(existing: &str, block: &str) -> String {
    let lines: Vec<&str> = existing.split_inclusive('\n').collect();
    let begin = lines
        .iter()
        .position(|l| l.trim_end().starts_with(BEGIN_PREFIX));
    let end = begin.and_then(|b| (b..lines.len()).find(|&i| lines[i].trim_end() == END));
    if let (Some(b), Some(e)) = (begin, end) {
        let mut out: String = lines[..b].concat();
        out.push_str(block);
        out.push_str(&lines[e + 1..].concat());
        return out;
    }
    if existing.is_empty() {
        return format!("# HANDOFF\n\n{block}");
    }
    let mut out = existing.to_string();
    if !out.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(block);
    out
}

#[cfg(test)]
mod tests;
