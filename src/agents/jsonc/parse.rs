//! The JSON (with comments and trailing commas) reader that keeps each value's byte span. Pure.

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

    pub(crate) fn is_empty(&self) -> bool {
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
