//! Reading HANDOFF.md: the export's block exactly, or a hand-written file's sections by name.

use serde_json::{Map, Value};

use super::items::{items, key_value, unescape, Item};
use super::sections::{self, Section, Shape};
use super::{BEGIN_PREFIX, END, PACKET_MARK};

/// Fields whose text is a number or a boolean in the packet.
const NUMBERS: &[&str] = &[
    "hops",
    "max_hops",
    "cycles",
    "resets",
    "exit_code",
    "duration_ms",
    "line",
];
const BOOLS: &[&str] = &["resolved", "reset_budget"];
/// The reason recorded for a hand-written decision or rejected approach that gives none.
pub const NO_REASON: &str = "not given in HANDOFF.md";

/// Something in the file that has no place in a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number in the file.
    pub line: usize,
    pub what: String,
}

/// What a file says, as packet JSON for the sections it has.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Values to set, each at its JSON path (a section's list, a record table, or a scalar).
    pub values: Vec<(Vec<&'static str>, Value)>,
    /// Items checked `[x]` in lists other than Completed: they are done.
    pub done: Vec<String>,
    /// Packet id and revision of the export the file holds, when it is one.
    pub id: Option<String>,
    pub revision: Option<u64>,
    /// Sections and lines that fit no field.
    pub unknown: Vec<Problem>,
}

/// Reads a heading line: its level and text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    let text = line[level..].strip_prefix(' ')?;
    (1..=6)
        .contains(&level)
        .then(|| (level, text.trim().trim_end_matches('#').trim()))
}

/// The lines to read: inside the export's block when there is one, else the whole file.
fn body_lines(text: &str) -> Vec<(usize, &str)> {
    let all: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let begin = all
        .iter()
        .position(|(_, l)| l.trim_end().starts_with(BEGIN_PREFIX));
    let Some(begin) = begin else {
        return all;
    };
    let end = (begin..all.len())
        .find(|&i| all[i].1.trim_end() == END)
        .unwrap_or(all.len());
    all[begin + 1..end].to_vec()
}

/// Reads a HANDOFF.md: the sections it has, as packet values, and what fits nowhere.
pub fn import(text: &str) -> Imported {
    let mut imported = Imported::default();
    let lines = body_lines(text);
    let mut current: Option<(&'static Section, Vec<(usize, &str)>)> = None;
    let mut in_fence = false;
    // The lines of a section that fits nowhere go with it (reported once, by its heading).
    let mut unknown_section = false;
    for &(n, line) in &lines {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if let Some(rest) = line.trim().strip_prefix(PACKET_MARK) {
            let mut words = rest.split_whitespace();
            imported.id = words.next().map(ToString::to_string);
            imported.revision = words.next().and_then(|r| r.strip_prefix('r')?.parse().ok());
            continue;
        }
        if line.trim_start().starts_with("<!--") && line.trim_end().ends_with("-->") {
            continue;
        }
        match heading(line).filter(|_| !in_fence) {
            Some((1, _)) => {
                // A top-level heading ends the section above: what follows is in none.
                if let Some((section, body)) = current.take() {
                    convert(section, &body, &mut imported);
                }
                unknown_section = false;
            }
            Some((_, title)) => {
                if let Some((section, body)) = current.take() {
                    convert(section, &body, &mut imported);
                }
                current = sections::find(title).map(|section| (section, Vec::new()));
                unknown_section = current.is_none();
                if unknown_section {
                    imported.unknown.push(Problem {
                        line: n,
                        what: format!("section {title:?} fits no packet field"),
                    });
                }
            }
            None => match current.as_mut() {
                Some((_, body)) => body.push((n, line)),
                None if !line.trim().is_empty() && !unknown_section => {
                    imported.unknown.push(Problem {
                        line: n,
                        what: "text outside any section fits no packet field".into(),
                    });
                }
                None => {}
            },
        }
    }
    if let Some((section, body)) = current.take() {
        convert(section, &body, &mut imported);
    }
    imported
}

/// Turns one section's lines into the values it sets.
fn convert(section: &'static Section, lines: &[(usize, &str)], imported: &mut Imported) {
    let path: Vec<&'static str> = section.path.to_vec();
    let items = items(lines);
    match section.shape {
        Shape::Text => {
            let text: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
            imported.values.push((path, Value::String(text.join("\n"))));
        }
        Shape::List(marker) => {
            let mut list = Vec::new();
            for item in items {
                let done_here = marker == "- [x]";
                match item.checked {
                    Some(true) if !done_here => imported.done.push(item.text),
                    Some(false) if done_here => imported
                        .values
                        .push((vec!["state", "in_progress", "+"], Value::String(item.text))),
                    _ => list.push(Value::String(item.text)),
                }
            }
            imported.values.push((path, Value::Array(list)));
        }
        Shape::Scalars(keys) => {
            // Current State takes the status and control keys too, as hand-written files put
            // them there.
            let mut tables = vec![(path.clone(), keys)];
            if section.path == ["task"] {
                tables.push((vec!["state"], sections::STATE_KEYS));
                tables.push((vec!["control"], sections::CONTROL_KEYS));
            }
            for item in items {
                let known = key_value(&item.text)
                    .filter(|_| !item.prose)
                    .and_then(|(k, v)| {
                        tables.iter().find_map(|(table, keys)| {
                            let key = keys.iter().find(|key| **key == k)?;
                            Some((table, *key, v))
                        })
                    });
                match known {
                    Some((table, key, value)) => match checked_scalar(key, unescape(value)) {
                        Ok(value) => {
                            let mut at = table.clone();
                            at.push(key);
                            imported.values.push((at, value));
                        }
                        Err(problem) => imported.unknown.push(Problem {
                            line: item.line,
                            what: problem,
                        }),
                    },
                    None => unkeyed(section, item, imported),
                }
            }
        }
        Shape::Records(title) => {
            let records: Vec<Value> = items.into_iter().map(|item| record(title, item)).collect();
            let value = if section.path == ["control", "handover"] {
                records.into_iter().next().unwrap_or(Value::Null)
            } else {
                Value::Array(records)
            };
            imported.values.push((path, value));
        }
    }
}

/// A scalar's text as its field takes it; what the field cannot hold is named.
fn checked_scalar(key: &str, text: &str) -> Result<Value, String> {
    use crate::packet::{Lane, Outcome, Provenance, Status};
    let value = typed(key, text);
    let fits = match key {
        "status" => serde_json::from_value::<Status>(value.clone()).is_ok(),
        "lane" => serde_json::from_value::<Lane>(value.clone()).is_ok(),
        "result" => serde_json::from_value::<Outcome>(value.clone()).is_ok(),
        "source" => serde_json::from_value::<Provenance>(value.clone()).is_ok(),
        "exit_code" => value.as_i64().is_some(),
        k if NUMBERS.contains(&k) => value.as_u64().is_some(),
        _ => true,
    };
    if fits {
        Ok(value)
    } else {
        Err(format!("{key}: {text:?} is not a value this field takes"))
    }
}

/// A value's text as the JSON the packet field takes.
fn typed(key: &str, text: &str) -> Value {
    if NUMBERS.contains(&key) {
        if let Ok(n) = text.trim().parse::<i64>() {
            return Value::from(n);
        }
    }
    if BOOLS.contains(&key) {
        if let Ok(b) = text.trim().parse::<bool>() {
            return Value::Bool(b);
        }
    }
    Value::String(text.to_string())
}

/// A record from an item: the title field, then the sub-fields; a hand-written item without
/// them is split at ` — `, ` -- ` or `: ` into the record's two texts.
fn record(title: &str, item: Item) -> Value {
    let mut map = Map::new();
    let second = match title {
        "what" | "path" => Some("why"),
        _ => None,
    };
    if item.subs.is_empty() {
        if let Some(second) = second {
            let text = item.text.trim();
            let split = [" — ", " – ", " -- ", ": "]
                .iter()
                .find_map(|sep| text.split_once(sep));
            let (head, why) = match split {
                Some((head, why)) if !head.trim().is_empty() && !why.trim().is_empty() => {
                    (head.trim(), why.trim().to_string())
                }
                _ => (text, NO_REASON.to_string()),
            };
            let head = head.trim_matches('*').trim_matches('`').trim();
            map.insert(title.into(), Value::String(head.to_string()));
            map.insert(second.into(), Value::String(why));
            return Value::Object(map);
        }
        if title == "message" {
            map.insert("severity".into(), Value::String("minor".into()));
        }
    }
    map.insert(title.into(), Value::String(item.text));
    for (key, value) in item.subs {
        let v = typed(&key, &value);
        map.insert(key, v);
    }
    Value::Object(map)
}

/// An item of a scalar section that names no key: work under way (Current State), the command
/// (Validation, from a `code` span), else something that fits no field.
fn unkeyed(section: &Section, item: Item, imported: &mut Imported) {
    if section.path == ["validation"] && item.text.starts_with("```") {
        let lines: Vec<&str> = item
            .text
            .lines()
            .filter(|l| !l.starts_with("```") && !l.trim().is_empty() && !l.starts_with('#'))
            .collect();
        if !lines.is_empty() {
            let command = Value::String(lines.join(" && "));
            imported
                .values
                .push((vec!["validation", "command"], command));
            return;
        }
    }
    if section.path == ["validation"] {
        if let Some(command) = item.text.split('`').nth(1).filter(|c| !c.is_empty()) {
            let command = Value::String(command.to_string());
            imported
                .values
                .push((vec!["validation", "command"], command));
            return;
        }
    }
    if section.path == ["task"] || section.path == ["state"] {
        imported
            .done
            .extend(item.checked.filter(|c| *c).map(|_| item.text.clone()));
        if item.checked != Some(true) {
            imported
                .values
                .push((vec!["state", "in_progress", "+"], Value::String(item.text)));
        }
        return;
    }
    imported.unknown.push(Problem {
        line: item.line,
        what: format!(
            "{:?} under {} fits no packet field",
            item.text, section.title
        ),
    });
}
