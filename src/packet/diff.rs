//! Field-level differences between two packet revisions. Pure.

use serde::Serialize;
use serde_json::Value;

use super::{rank, to_json, Packet};

/// Fields that describe the write rather than the work; every revision changes them.
const WRITE_FIELDS: [&str; 4] = ["revision", "updated", "author", "actor"];

/// One difference: a scalar that changed, or a list item added or removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "lowercase")]
pub enum FieldChange {
    Changed {
        field: String,
        old: Value,
        new: Value,
    },
    Added {
        field: String,
        item: Value,
    },
    Removed {
        field: String,
        item: Value,
    },
}

impl FieldChange {
    /// Returns the dotted field name.
    pub fn field(&self) -> &str {
        match self {
            FieldChange::Changed { field, .. }
            | FieldChange::Added { field, .. }
            | FieldChange::Removed { field, .. } => field,
        }
    }
}

/// Lists what changed from `old` to `new`, in field order; list fields compare as sets.
pub fn diff(old: &Packet, new: &Packet) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk("", &to_json(old), &to_json(new), &mut out);
    out
}

/// Returns the keys of both objects in packet order (unknown keys last).
fn merged_keys<'a>(
    prefix: &str,
    a: &'a serde_json::Map<String, Value>,
    b: &'a serde_json::Map<String, Value>,
) -> Vec<&'a String> {
    let mut keys: Vec<&String> = a.keys().collect();
    keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
    keys.sort_by_key(|k| rank(&dotted(prefix, k)));
    keys
}

fn dotted(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk(prefix: &str, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    let empty = serde_json::Map::new();
    match (old, new) {
        (Value::Object(_), _) | (_, Value::Object(_)) => {
            let (a, b) = (
                old.as_object().unwrap_or(&empty),
                new.as_object().unwrap_or(&empty),
            );
            for key in merged_keys(prefix, a, b) {
                if prefix.is_empty() && WRITE_FIELDS.contains(&key.as_str()) {
                    continue;
                }
                let field = dotted(prefix, key);
                walk(
                    &field,
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(_), _) | (_, Value::Array(_)) => {
            let none = Vec::new();
            let (a, b) = (
                old.as_array().unwrap_or(&none),
                new.as_array().unwrap_or(&none),
            );
            for item in a.iter().filter(|i| !b.contains(i)) {
                out.push(FieldChange::Removed {
                    field: prefix.to_string(),
                    item: item.clone(),
                });
            }
            for item in b.iter().filter(|i| !a.contains(i)) {
                out.push(FieldChange::Added {
                    field: prefix.to_string(),
                    item: item.clone(),
                });
            }
        }
        _ if old != new => out.push(FieldChange::Changed {
            field: prefix.to_string(),
            old: old.clone(),
            new: new.clone(),
        }),
        _ => {}
    }
}
