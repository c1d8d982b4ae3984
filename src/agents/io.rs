//! What a runtime hands a hook on stdin and what it reads back on stdout, per runtime. Pure.

use serde_json::{json, Value};

use super::{Event, Runtime};

/// The parts of a hook's stdin the handler uses (each runtime spells them its own way).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    /// The directory the session works in.
    pub cwd: Option<String>,
    /// Why a session starts: `startup`, `resume`, `clear`, `compact`, …
    pub source: Option<String>,
    /// The stop hook already blocked this stop once (`stop_hook_active`, a loop count above 0).
    pub reentry: bool,
}

/// Reads the runtime's JSON; anything unreadable counts as an empty payload (the handler still
/// answers from the current directory).
pub fn parse(runtime: Runtime, text: &str) -> Input {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let text_of = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let cwd = text_of(&["cwd"]).or_else(|| {
        // Cursor names the workspace roots instead.
        v.get("workspace_roots")
            .and_then(Value::as_array)
            .and_then(|roots| roots.first())
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let reentry = match runtime {
        Runtime::Cursor => v.get("loop_count").and_then(Value::as_u64).unwrap_or(0) > 0,
        _ => ["stop_hook_active", "stopHookActive"]
            .iter()
            .any(|k| v.get(*k).and_then(Value::as_bool).unwrap_or(false)),
    };
    Input {
        cwd,
        source: text_of(&["source", "trigger"]),
        reentry,
    }
}

/// What the handler has to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Nothing: the runtime goes on as if there were no hook.
    Nothing,
    /// Context for the agent at the start of a session.
    Context(String),
    /// The agent may not stop yet, for this reason.
    Block(String),
    /// A reminder shown before the context is compacted.
    Remind(String),
}

/// Renders `reply` to `event` as the JSON `runtime` reads from stdout (`None`: print nothing).
pub fn render(runtime: Runtime, event: Event, reply: &Reply) -> Option<Value> {
    let hook_event = super::HOOKS
        .iter()
        .find(|h| h.handler == event)
        .map_or("", |h| h.event(runtime));
    let value = match (runtime, reply) {
        // Gemini reads stderr when stdout is empty (a warning would become a message): always
        // JSON. Codex's stop hook answers in JSON too.
        (Runtime::Gemini, Reply::Nothing) => json!({}),
        (Runtime::Codex, Reply::Nothing) if event == Event::Stop => json!({}),
        (_, Reply::Nothing) => return None,
        (Runtime::Cursor, Reply::Context(text)) => {
            json!({"continue": true, "additional_context": text})
        }
        (Runtime::Copilot, Reply::Context(text)) => json!({"additionalContext": text}),
        (_, Reply::Context(text)) => json!({
            "hookSpecificOutput": {"hookEventName": hook_event, "additionalContext": text}
        }),
        (Runtime::Cursor, Reply::Block(reason)) => json!({"followup_message": reason}),
        (Runtime::Gemini, Reply::Block(reason)) => json!({"decision": "deny", "reason": reason}),
        (_, Reply::Block(reason)) => json!({"decision": "block", "reason": reason}),
        (_, Reply::Remind(text)) => json!({"systemMessage": text}),
    };
    Some(value)
}
