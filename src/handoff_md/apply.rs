//! Laying what a HANDOFF.md says over a packet's JSON.

use serde_json::{Map, Value};

use super::Imported;

impl Imported {
    /// Lays the file's values over a packet's JSON: sections the file has replace the fields
    /// they hold, scalars it names replace theirs, the rest stays. Items for a list (`+`) and
    /// checked items (`done`) are added after.
    pub fn apply_to(&self, base: &Value) -> Value {
        let mut out = base.clone();
        let (adds, sets): (Vec<_>, Vec<_>) = self
            .values
            .iter()
            .partition(|(path, _)| path.last() == Some(&"+"));
        // A section given twice (or under two of its names) adds up; a scalar's last word wins.
        let mut merged: Vec<(&Vec<&str>, Value)> = Vec::new();
        for (path, value) in sets {
            match merged.iter_mut().find(|(p, _)| *p == path) {
                Some((_, Value::Array(known))) if value.is_array() => {
                    known.extend(value.as_array().into_iter().flatten().cloned());
                }
                Some((_, known)) => *known = value.clone(),
                None => merged.push((path, value.clone())),
            }
        }
        for (path, value) in merged {
            set(&mut out, path, value);
        }
        for (path, value) in adds {
            push(&mut out, &path[..path.len() - 1], value.clone());
        }
        for item in &self.done {
            push(&mut out, &["state", "done"], Value::String(item.clone()));
        }
        out
    }
}

fn set(root: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = root;
    for key in parents {
        if !at[*key].is_object() {
            at[*key] = Value::Object(Map::new());
        }
        at = &mut at[*key];
    }
    if let Value::Object(map) = at {
        if value.is_null() {
            map.remove(*last);
        } else {
            map.insert((*last).to_string(), value);
        }
    }
}

fn push(root: &mut Value, path: &[&str], value: Value) {
    let mut list = path.iter().fold(&*root, |v, k| &v[*k]).clone();
    if !list.is_array() {
        list = Value::Array(Vec::new());
    }
    if let Value::Array(items) = &mut list {
        if !items.contains(&value) {
            items.push(value);
        }
    }
    set(root, path, list);
}
