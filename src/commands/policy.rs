//! `git handoff policy`: the effective policy and where each value came from.

use std::fmt::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::output::Output;
use crate::policy::{keys::human_value, Source, KEYS};

#[derive(Debug, Args)]
pub struct PolicyArgs {}

/// One key of the effective policy.
#[derive(Serialize)]
struct Row {
    value: serde_json::Value,
    source: Source,
    git_config: &'static str,
}

pub fn cmd_policy(_args: &PolicyArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let policy = crate::policy::load(&repo)?;
    let values = serde_json::to_value(&policy)?;
    let rows: Vec<(&str, Row)> = KEYS
        .iter()
        .map(|key| {
            let row = Row {
                value: values[key.name].clone(),
                source: policy.source(key.name),
                git_config: key.config,
            };
            (key.name, row)
        })
        .collect();
    if format == Format::Json {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, row)| Ok(((*k).to_string(), serde_json::to_value(row)?)))
            .collect::<anyhow::Result<_>>()?;
        return out.json(&serde_json::Value::Object(map));
    }
    let mut text = String::new();
    for (key, row) in &rows {
        let source = serde_json::to_value(row.source)?;
        let source = source.as_str().unwrap_or("default");
        let value = human_value(&row.value);
        let _ = writeln!(text, "{key:<17} {value:<44} ({source})");
    }
    out.data(&text)
}
