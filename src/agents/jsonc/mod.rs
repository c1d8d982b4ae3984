//! Edits a runtime's JSON settings file in place, as text: an entry is added by inserting its
//! text after the last sibling (in the file's own indentation) and removed by cutting exactly
//! that span again, so everything else (order, spacing, comments where the runtime allows them)
//! keeps its bytes, and install-then-remove gives the original file back.
//!
//! The parser reads JSON plus what the runtimes' own readers tolerate: `//` and `/* */`
//! comments and trailing commas. Pure.

mod parse;

use std::ops::Range;

use serde_json::Value;

pub use parse::{parse, Kind, Member, Node};

/// A document and the indentation its author uses.
pub struct Doc {
    pub text: String,
    unit: String,
    /// The file's line ending: `\r\n` when it uses them, else `\n`.
    nl: &'static str,
}

/// One step of a path into the document.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Doc {
    /// Opens `text` for editing (it must parse).
    pub fn new(text: String) -> Result<Doc, String> {
        parse(&text)?;
        let unit = indent_unit(&text);
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Ok(Doc { text, unit, nl })
    }

    /// Returns the parsed root.
    pub fn root(&self) -> Result<Node, String> {
        parse(&self.text)
    }

    /// Returns the node at `path`.
    pub fn at(&self, path: &[Step<'_>]) -> Option<Node> {
        let mut node = self.root().ok()?;
        for step in path {
            node = match step {
                Step::Key(k) => node.get(k)?.clone(),
                Step::Index(i) => node.items().get(*i)?.clone(),
            };
        }
        Some(node)
    }

    /// Appends `value` to the array at `path`.
    pub fn push(&mut self, path: &[Step<'_>], value: &Value) -> Result<(), String> {
        let array = self.at(path).ok_or_else(missing)?;
        let last = array.items().last().map(|n| n.span.clone());
        let flat = value.to_string();
        self.insert(&array, last, &render(value, &self.unit), &flat)
    }

    /// Adds `"key": value` at the end of the object at `path`.
    pub fn add_member(
        &mut self,
        path: &[Step<'_>],
        key: &str,
        value: &Value,
    ) -> Result<(), String> {
        let object = self.at(path).ok_or_else(missing)?;
        let last = object.members().last().map(|m| m.span.clone());
        let key = Value::from(key).to_string();
        let pretty = format!("{key}: {}", render(value, &self.unit));
        self.insert(&object, last, &pretty, &format!("{key}: {value}"))
    }

    /// Inserts `item` (rendered at indent 0; `flat` on one line) into `container` after the span
    /// `last` (its last member or item), or as its only content.
    fn insert(
        &mut self,
        container: &Node,
        last: Option<Range<usize>>,
        item: &str,
        flat: &str,
    ) -> Result<(), String> {
        let open = container.span.start;
        let close = container.span.end - 1;
        let base = line_indent(&self.text, open);
        let multi_line = self.text[open..close].contains('\n');
        let nl = self.nl;
        let (at, text) = match last {
            Some(last) if multi_line => {
                let indent = line_indent(&self.text, last.start);
                let item = reindent(item, nl, &indent);
                (last.end, format!(",{nl}{indent}{item}"))
            }
            Some(last) => (last.end, format!(", {flat}")),
            None => {
                let indent = format!("{base}{}", self.unit);
                self.text.replace_range(open + 1..close, "");
                let item = reindent(item, nl, &indent);
                (open + 1, format!("{nl}{indent}{item}{nl}{base}"))
            }
        };
        self.text.insert_str(at, &text);
        self.still_valid()
    }

    /// Removes item `index` of the array at `path` (with the separator before it, or after it
    /// when it is the first); an array left empty becomes `[]`.
    pub fn remove_item(&mut self, path: &[Step<'_>], index: usize) -> Result<(), String> {
        let array = self.at(path).ok_or_else(missing)?;
        let spans: Vec<Range<usize>> = array.items().iter().map(|n| n.span.clone()).collect();
        self.cut(&array, &spans, index)
    }

    /// Removes the member `key` of the object at `path`, as [`Doc::remove_item`] does.
    pub fn remove_member(&mut self, path: &[Step<'_>], key: &str) -> Result<(), String> {
        let object = self.at(path).ok_or_else(missing)?;
        let spans: Vec<Range<usize>> = object.members().iter().map(|m| m.span.clone()).collect();
        match object.members().iter().rposition(|m| m.key == key) {
            Some(index) => self.cut(&object, &spans, index),
            None => Ok(()),
        }
    }

    fn cut(
        &mut self,
        container: &Node,
        spans: &[Range<usize>],
        index: usize,
    ) -> Result<(), String> {
        if index >= spans.len() {
            return Err(missing());
        }
        let range = if spans.len() == 1 {
            container.span.start + 1..container.span.end - 1
        } else if index > 0 {
            spans[index - 1].end..spans[index].end
        } else {
            spans[0].start..spans[1].start
        };
        self.text.replace_range(range, "");
        self.still_valid()
    }

    /// Checks that an edit left a document that parses (it always should; a file is never
    /// written otherwise).
    fn still_valid(&self) -> Result<(), String> {
        parse(&self.text)
            .map(|_| ())
            .map_err(|e| format!("an edit would break the file ({e}); edit it by hand"))
    }

    /// Removes the containers along `path` that are left empty, deepest first, up to the root.
    pub fn prune(&mut self, path: &[Step<'_>]) -> Result<(), String> {
        for depth in (1..=path.len()).rev() {
            let Some(node) = self.at(&path[..depth]) else {
                continue;
            };
            if !node.is_empty() {
                break;
            }
            match path[depth - 1] {
                Step::Key(k) => self.remove_member(&path[..depth - 1], k)?,
                Step::Index(i) => self.remove_item(&path[..depth - 1], i)?,
            }
        }
        Ok(())
    }
}

/// Renders `value` as pretty JSON with `unit` as one level of indentation.
pub fn render(value: &Value, unit: &str) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    // A JSON value always serializes, and to UTF-8.
    let _ = value.serialize(&mut ser);
    String::from_utf8(out).unwrap_or_default()
}

/// The error of an edit at a path that is not there (the callers look first).
fn missing() -> String {
    "the entry to edit is not where it was read".to_string()
}

/// The document's indentation unit: the first indented line's leading whitespace (a tab, or
/// spaces), two spaces for a document with none.
fn indent_unit(text: &str) -> String {
    text.lines()
        .skip(1)
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .find(|w| !w.is_empty())
        .map_or_else(
            || "  ".to_string(),
            |w| {
                if w.starts_with('\t') {
                    "\t".into()
                } else {
                    w.to_string()
                }
            },
        )
}

/// The leading whitespace of the line holding byte `at`.
fn line_indent(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    line[..line.len() - line.trim_start_matches([' ', '\t']).len()].to_string()
}

/// Ends `text`'s lines with `nl` and puts `indent` at the start of every line after the first.
fn reindent(text: &str, nl: &str, indent: &str) -> String {
    text.replace('\n', &format!("{nl}{indent}"))
}

#[cfg(test)]
mod tests;
