//! Edits a runtime's JSON settings file in place, as text: an entry is added by inserting its
//! text after the last sibling (in the file's own indentation) and removed by cutting exactly
//! that span again, so everything else (order, spacing, comments where the runtime allows them)
//! keeps its bytes, and install-then-remove gives the original file back.
//!
//! The parser reads JSON plus what the runtimes' own readers tolerate: `//` and `/* */`
//! comments and trailing commas. Pure.

use std::ops::Range;

use serde_json::Value;

/// A parsed value with the byte span it covers in the text.
#[derive(Debug, Clone)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: Kind,
}

/// What a node holds.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Members in file order: the key, the span from the key's quote to the value's end, the value.
    Object(Vec<Member>),
    Array(Vec<Node>),
    /// A string, number, boolean or null, as its JSON value.
    Scalar(Value),
}

/// One `"key": value` of an object.
#[derive(Debug, Clone)]
pub struct Member {
    pub key: String,
    /// From the key's opening quote to the end of the value.
    pub span: Range<usize>,
    pub value: Node,
}

impl Node {
    /// Returns the member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    /// Returns the items of an array (none for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Array(items) => items,
            _ => &[],
        }
    }

    /// Returns the members of an object (none for anything else).
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            Kind::Object(members) => members,
            _ => &[],
        }
    }

    /// Returns the node as a JSON value (duplicate keys: the last wins, as in most readers).
    pub fn value(&self) -> Value {
        match &self.kind {
            Kind::Scalar(v) => v.clone(),
            Kind::Array(items) => Value::Array(items.iter().map(Node::value).collect()),
            Kind::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.value()))
                    .collect(),
            ),
        }
    }

    fn is_empty(&self) -> bool {
        match &self.kind {
            Kind::Object(m) => m.is_empty(),
            Kind::Array(i) => i.is_empty(),
            Kind::Scalar(_) => false,
        }
    }
}

/// Parses `text` (JSON with comments and trailing commas allowed); the error names the line.
pub fn parse(text: &str) -> Result<Node, String> {
    let mut p = Parser {
        text: text.as_bytes(),
        at: 0,
    };
    p.skip();
    let node = p.value(0)?;
    p.skip();
    if p.at < p.text.len() {
        return Err(p.error("text after the end of the document"));
    }
    Ok(node)
}

struct Parser<'t> {
    text: &'t [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = before.split(|b| *b == b'\n').count();
        format!("line {line}: {what}")
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Skips whitespace and comments.
    fn skip(&mut self) {
        loop {
            match (self.peek(), self.text.get(self.at + 1)) {
                (Some(b' ' | b'\t' | b'\n' | b'\r'), _) => self.at += 1,
                (Some(b'/'), Some(b'/')) => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.at += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.at += 2;
                    while self.at < self.text.len() && !self.text[self.at..].starts_with(b"*/") {
                        self.at += 1;
                    }
                    self.at = (self.at + 2).min(self.text.len());
                }
                _ => return,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, String> {
        if depth > 64 {
            return Err(self.error("nested more than 64 levels deep"));
        }
        let start = self.at;
        let kind = match self.peek() {
            Some(b'{') => Kind::Object(self.object(depth)?),
            Some(b'[') => Kind::Array(self.array(depth)?),
            Some(b'"') => Kind::Scalar(Value::String(self.string()?)),
            Some(_) => Kind::Scalar(self.scalar()?),
            None => return Err(self.error("the document ends where a value was expected")),
        };
        Ok(Node {
            span: start..self.at,
            kind,
        })
    }

    fn object(&mut self, depth: usize) -> Result<Vec<Member>, String> {
        self.at += 1;
        let mut members = Vec::new();
        loop {
            self.skip();
            match self.peek() {
                Some(b'}') => {
                    self.at += 1;
                    return Ok(members);
                }
                Some(b'"') => {}
                _ => return Err(self.error("expected a \"key\" or `}` in an object")),
            }
            let start = self.at;
            let key = self.string()?;
            self.skip();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:` after a key"));
            }
            self.at += 1;
            self.skip();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                span: start..self.at,
                value,
            });
            if !self.separator(b'}')? {
                self.at += 1;
                return Ok(members);
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Vec<Node>, String> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip();
            if self.peek() == Some(b']') {
                self.at += 1;
                return Ok(items);
            }
            items.push(self.value(depth + 1)?);
            if !self.separator(b']')? {
                self.at += 1;
                return Ok(items);
            }
        }
    }

    /// After a member or item: `true` at a comma (consumed), `false` at `close` (not consumed).
    fn separator(&mut self, close: u8) -> Result<bool, String> {
        self.skip();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(b) if b == close => Ok(false),
            _ => Err(self.error(&format!("expected `,` or `{}`", close as char))),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.error("a string is not closed")),
                Some(b'\\') => self.at += 2,
                Some(b'"') => {
                    self.at += 1;
                    break;
                }
                Some(_) => self.at += 1,
            }
        }
        let raw = std::str::from_utf8(&self.text[start..self.at])
            .map_err(|_| self.error("a string is not UTF-8"))?;
        serde_json::from_str(raw).map_err(|e| self.error(&format!("bad string: {e}")))
    }

    fn scalar(&mut self) -> Result<Value, String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            self.at += 1;
        }
        let raw = std::str::from_utf8(&self.text[start..self.at]).unwrap_or_default();
        match serde_json::from_str::<Value>(raw) {
            Ok(v) if !raw.is_empty() && !v.is_object() && !v.is_array() && !v.is_string() => Ok(v),
            _ => {
                self.at = start;
                Err(self.error("expected a value"))
            }
        }
    }
}

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
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(text: &str) -> Doc {
        Doc::new(text.to_string()).expect("test documents parse")
    }

    #[test]
    fn comments_and_trailing_commas_are_read() {
        let node = parse("// settings\n{\n  /* a */ \"a\": [1, 2,],\n  \"b\": {\"c\": null},\n}\n")
            .expect("parses");
        assert_eq!(node.value(), json!({"a": [1, 2], "b": {"c": null}}));
    }

    #[test]
    fn broken_documents_name_the_line() {
        for (text, needle) in [
            ("{\n\"a\": }", "line 2"),
            ("{\"a\": 1", "line 1"),
            ("[1] x", "after the end"),
            ("{\"a\": tru}", "expected a value"),
        ] {
            let e = parse(text).expect_err(text);
            assert!(e.contains(needle), "{text:?}: {e}");
        }
    }

    #[test]
    fn an_item_added_then_removed_gives_the_original_bytes_back() {
        let original = "{\n    \"hooks\": {\n        \"Stop\": [\n            {\"x\": 1}\n        ]\n    },\n    \"other\": true\n}\n";
        let mut d = doc(original);
        let path = [Step::Key("hooks"), Step::Key("Stop")];
        d.push(&path, &json!({"y": [1]})).expect("pushes");
        assert!(
            d.text
                .contains("            {\n                \"y\": [\n                    1\n"),
            "inserted in the file's own four-space indent:\n{}",
            d.text
        );
        assert_eq!(
            d.root().expect("valid").value()["hooks"]["Stop"][1],
            json!({"y": [1]})
        );
        d.remove_item(&path, 1).expect("removes");
        assert_eq!(d.text, original);
    }

    #[test]
    fn members_added_to_new_containers_are_pruned_back_to_the_original() {
        for original in ["{\n\t\"model\": \"x\"\n}", "{}\n", "{\"a\": 1}"] {
            let mut d = doc(original);
            d.add_member(&[], "hooks", &json!({})).expect("adds");
            d.add_member(&[Step::Key("hooks")], "SessionStart", &json!([]))
                .expect("adds");
            let path = [Step::Key("hooks"), Step::Key("SessionStart")];
            d.push(&path, &json!({"command": "c"})).expect("pushes");
            assert_eq!(
                d.root().expect("valid").value()["hooks"]["SessionStart"][0]["command"],
                json!("c")
            );
            d.remove_item(&path, 0).expect("removes");
            d.prune(&path).expect("prunes");
            let expected = if original == "{}\n" { "{}\n" } else { original };
            assert_eq!(d.text, expected, "from {original:?}");
        }
    }

    #[test]
    fn a_file_with_crlf_line_ends_keeps_them() {
        let original = "{\r\n  \"a\": [\r\n    1\r\n  ]\r\n}\r\n";
        let mut d = doc(original);
        d.push(&[Step::Key("a")], &json!({"b": 2})).expect("pushes");
        assert!(!d.text.replace("\r\n", "").contains('\n'), "{:?}", d.text);
        d.remove_item(&[Step::Key("a")], 1).expect("removes");
        assert_eq!(d.text, original);
    }

    #[test]
    fn removing_the_first_of_several_keeps_the_rest_as_written() {
        let mut d = doc("[\n  1,\n  2,\n  3\n]");
        d.remove_item(&[], 0).expect("removes");
        assert_eq!(d.text, "[\n  2,\n  3\n]");
        let mut d = doc("[1, 2]");
        d.push(&[], &json!({"a": [1]})).expect("pushes");
        assert_eq!(d.text, "[1, 2, {\"a\":[1]}]");
    }
}
