//! `git handoff policy`: the effective policy and where each value came from.

use std::fmt::Write;

use clap::Args;
use serde_json::{json, Map, Value};

use crate::cli::Format;
use crate::output::Output;
use crate::policy::KEYS;

#[derive(Debug, Args)]
pub struct PolicyArgs {}

pub fn cmd_policy(_args: &PolicyArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format(Format::Human, &[Format::Human, Format::Json])?;
    let repo = super::open()?;
    let policy = super::load_policy(&repo)?;
    let values = serde_json::to_value(&policy)?;
    let mut rows = Map::new();
    for (key, config_key) in KEYS {
        let value = values
            .get(key.replace('-', "_"))
            .cloned()
            .unwrap_or(Value::Null);
        rows.insert(
            key.to_string(),
            json!({ "value": value, "source": policy.source(key), "git_config": config_key }),
        );
    }
    if format == Format::Json {
        return out.json(&Value::Object(rows));
    }
    let mut text = String::new();
    for (key, row) in &rows {
        let value = match &row["value"] {
            Value::Array(items) if items.is_empty() => "-".to_string(),
            Value::Array(items) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map_or_else(|| i.to_string(), ToString::to_string)
                })
                .collect::<Vec<_>>()
                .join(", "),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let source = row["source"].as_str().unwrap_or("default");
        let _ = writeln!(text, "{key:<17} {value:<44} ({source})");
    }
    out.data(&text)
}
