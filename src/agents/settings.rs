//! Our entries in a runtime's JSON hooks file: added once, recognised by their command, removed
//! without a trace. The file is edited as text ([`super::jsonc`]), so the user's own keys, order,
//! spacing and comments keep their bytes. Pure.

use serde_json::{json, Map, Value};

use super::jsonc::{Doc, Kind, Node, Step};
use super::{Hook, Layout, Runtime};

/// Whether `command` runs our handler: `git-handoff agent …` (any path to the binary) or
/// `git handoff agent …`.
pub fn is_ours(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    let binary = words.first().map(|w| w.trim_matches(['"', '\'']));
    let named = binary.is_some_and(|b| b == "git-handoff" || b.ends_with("/git-handoff"));
    (named && words.get(1) == Some(&"agent"))
        || words.get(..3) == Some(&["git", "handoff", "agent"][..])
}

/// The commands of one entry in an event's list: a matcher group's hooks, or the entry itself.
fn commands(entry: &Value) -> Vec<&str> {
    let mut out = own_commands(entry);
    if let Some(hooks) = entry.get("hooks").and_then(Value::as_array) {
        out.extend(hooks.iter().flat_map(own_commands));
    }
    out
}

/// The commands an entry names itself.
fn own_commands(h: &Value) -> Vec<&str> {
    ["command", "bash", "powershell"]
        .iter()
        .filter_map(|k| h.get(*k).and_then(Value::as_str))
        .collect()
}

/// The entry we write for `hook`, in the runtime's shape.
pub fn entry(runtime: Runtime, hook: &Hook) -> Value {
    let command = hook.command(runtime);
    let timeout = runtime.timeout();
    match runtime.layout() {
        Layout::Nested => {
            let mut handler = Map::new();
            if runtime == Runtime::Gemini {
                handler.insert(
                    "name".into(),
                    json!(format!("git-handoff {}", hook.handler)),
                );
            }
            handler.insert("type".into(), json!("command"));
            handler.insert("command".into(), json!(command));
            handler.insert("timeout".into(), json!(timeout));
            let mut group = Map::new();
            if let Some(matcher) = hook.matcher {
                group.insert("matcher".into(), json!(matcher));
            }
            group.insert("hooks".into(), json!([handler]));
            Value::Object(group)
        }
        Layout::Flat => json!({"command": command, "timeout": timeout}),
        Layout::FlatBash => json!({"type": "command", "bash": command, "timeoutSec": timeout}),
    }
}

/// Where our entries are in one event's list: `(entry, Some(inner))` for a handler of ours in
/// someone else's matcher group, `(entry, None)` for a whole entry of ours.
fn ours_in(list: &Node) -> Vec<(usize, Option<usize>)> {
    let mut out = Vec::new();
    for (i, item) in list.items().iter().enumerate() {
        let value = item.value();
        let mine = commands(&value);
        if mine.is_empty() || !mine.iter().any(|c| is_ours(c)) {
            continue;
        }
        if mine.iter().all(|c| is_ours(c)) {
            out.push((i, None));
        } else if let Some(hooks) = item.get("hooks") {
            for (k, h) in hooks.items().iter().enumerate() {
                if commands(&h.value()).iter().any(|c| is_ours(c)) {
                    out.push((i, Some(k)));
                }
            }
        }
    }
    out
}

/// A file that is not what the runtime reads.
fn shape_error(what: &str) -> String {
    format!("{what}; the runtime would not read it either")
}

/// Returns the file's text with our entries in place, exactly once each (`text` is `None` when
/// the file does not exist). The same text comes back when they already are.
pub fn install(runtime: Runtime, text: Option<&str>) -> Result<String, String> {
    // An empty file holds no settings, as a missing one.
    let text = text.filter(|t| !t.trim().is_empty());
    let created = text.is_none();
    let mut doc = Doc::new(text.map_or_else(|| "{}\n".to_string(), str::to_string))?;
    if !matches!(doc.root()?.kind, Kind::Object(_)) {
        return Err(shape_error("the file is not a JSON object"));
    }
    if created && runtime.layout() != Layout::Nested {
        doc.add_member(&[], "version", &json!(1))?;
    }
    match doc.root()?.get("hooks").map(|n| &n.kind) {
        None => doc.add_member(&[], "hooks", &json!({}))?,
        Some(Kind::Object(_)) => {}
        Some(_) => return Err(shape_error("\"hooks\" is not an object")),
    }
    for hook in runtime.hooks() {
        let event = hook.event(runtime);
        let wanted = entry(runtime, hook);
        let list_path = [Step::Key("hooks"), Step::Key(event)];
        let Some(list) = doc.at(&list_path) else {
            doc.add_member(&[Step::Key("hooks")], event, &json!([wanted]))?;
            continue;
        };
        if !matches!(list.kind, Kind::Array(_)) {
            return Err(shape_error(&format!("\"hooks\".\"{event}\" is not a list")));
        }
        let found = ours_in(&list);
        if let [(i, None)] = found[..] {
            if list.items()[i].value() == wanted {
                continue;
            }
        }
        remove_found(&mut doc, &list_path, &found)?;
        doc.push(&list_path, &wanted)?;
    }
    Ok(doc.text)
}

/// Removes the entries `found` in the list at `list_path`, last first.
fn remove_found(
    doc: &mut Doc,
    list_path: &[Step<'_>],
    found: &[(usize, Option<usize>)],
) -> Result<(), String> {
    for (i, inner) in found.iter().rev() {
        match inner {
            None => doc.remove_item(list_path, *i)?,
            Some(k) => {
                let mut path = list_path.to_vec();
                path.extend([Step::Index(*i), Step::Key("hooks")]);
                doc.remove_item(&path, *k)?;
            }
        }
    }
    Ok(())
}

/// Returns the file's text without our entries (and without any list or object they leave
/// empty); `None` when nothing of the user's is left and the file is to be deleted.
pub fn remove(runtime: Runtime, text: &str) -> Result<Option<String>, String> {
    if text.trim().is_empty() {
        return Ok(Some(text.to_string()));
    }
    let mut doc = Doc::new(text.to_string())?;
    let mut removed = false;
    let events: Vec<String> = doc
        .root()?
        .get("hooks")
        .map(|h| h.members().iter().map(|m| m.key.clone()).collect())
        .unwrap_or_default();
    for event in &events {
        let list_path = [Step::Key("hooks"), Step::Key(event)];
        let Some(list) = doc.at(&list_path) else {
            continue;
        };
        let found = ours_in(&list);
        if found.is_empty() {
            continue;
        }
        remove_found(&mut doc, &list_path, &found)?;
        doc.prune(&list_path)?;
        removed = true;
    }
    if !removed {
        return Ok(Some(doc.text));
    }
    let root = doc.root()?;
    let skeleton = runtime.layout() != Layout::Nested;
    let left = root
        .members()
        .iter()
        .filter(|m| !(skeleton && m.key == "version"))
        .count();
    Ok((left > 0).then_some(doc.text))
}

/// How many entries of ours each of the runtime's events holds (for `doctor`).
pub fn count(runtime: Runtime, text: &str) -> Result<Vec<(&'static str, usize)>, String> {
    let root = super::jsonc::parse(if text.trim().is_empty() { "{}" } else { text })?;
    Ok(runtime
        .hooks()
        .iter()
        .map(|hook| {
            let event = hook.event(runtime);
            let n = root
                .get("hooks")
                .and_then(|h| h.get(event))
                .map_or(0, |list| ours_in(list).len());
            (event, n)
        })
        .collect())
}

/// Whether the file holds our entries exactly as [`install`] writes them.
pub fn is_current(runtime: Runtime, text: &str) -> bool {
    install(runtime, Some(text)).is_ok_and(|t| t == text)
}
