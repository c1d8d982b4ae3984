//! How a runtime's setup looks from its files: our entries exactly once and current in the
//! scope that holds them, not in two scopes at once (each session would get the brief twice), and
//! the managed block current where it is read. Pure: the caller reads the files.

use super::{block, settings, Runtime, Scope};

/// A file as read: its name as shown and its text (`None` when missing).
pub struct Seen {
    pub shown: String,
    pub text: Option<String>,
}

/// The runtime's files in one scope.
pub struct ScopeFiles {
    pub scope: Scope,
    /// The hooks file we write, then any other settings file the runtime also reads hooks from.
    pub hooks: Vec<Seen>,
    pub instructions: Option<Seen>,
}

/// What the files say about the runtime's setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// The scopes our entries are in.
    pub installed: Vec<Scope>,
    /// Each problem, with the command that fixes it.
    pub problems: Vec<(String, String)>,
}

fn flag(scope: Scope) -> &'static str {
    match scope {
        Scope::Project => "",
        Scope::User => " --user",
    }
}

/// A settings file's text as JSON: TOML (Codex's config.toml) is converted, JSON kept.
fn as_json(shown: &str, text: &str) -> Result<String, String> {
    let toml = std::path::Path::new(shown)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if !toml {
        return Ok(text.to_string());
    }
    let value: serde_json::Value = toml::from_str(text).map_err(|e| e.message().to_string())?;
    Ok(value.to_string())
}

/// Reads the runtime's setup from its files in every scope.
pub fn health(runtime: Runtime, scopes: &[ScopeFiles]) -> Health {
    let name = runtime.name();
    let mut health = Health {
        installed: Vec::new(),
        problems: Vec::new(),
    };
    for files in scopes {
        let setup = format!("git handoff setup {name}{}", flag(files.scope));
        let mut ours = 0;
        for (k, seen) in files.hooks.iter().enumerate() {
            let Some(text) = &seen.text else { continue };
            let read = as_json(&seen.shown, text).and_then(|json| settings::count(runtime, &json));
            let counts = match read {
                Ok(counts) => counts,
                Err(e) => {
                    health.problems.push((
                        format!("{} cannot be read: {e}", seen.shown),
                        format!("fix the file, then run {setup}"),
                    ));
                    continue;
                }
            };
            let total: usize = counts.iter().map(|(_, n)| n).sum();
            ours += total;
            if total == 0 {
                continue;
            }
            if k > 0 {
                health.problems.push((
                    format!(
                        "{} holds git-handoff hooks as well: the runtime runs both",
                        seen.shown
                    ),
                    format!(
                        "delete the entries running git-handoff from {}; {setup} keeps one set",
                        seen.shown
                    ),
                ));
            } else if !settings::is_current(runtime, text) {
                let detail: Vec<String> = counts
                    .iter()
                    .filter(|(_, n)| *n != 1)
                    .map(|(event, n)| format!("{event} ×{n}"))
                    .collect();
                let detail = if detail.is_empty() {
                    "entries differ from this version's".to_string()
                } else {
                    detail.join(", ")
                };
                health.problems.push((
                    format!(
                        "{}: git-handoff hooks not as setup writes them ({detail})",
                        seen.shown
                    ),
                    setup.clone(),
                ));
            }
        }
        if ours == 0 {
            continue;
        }
        health.installed.push(files.scope);
        if let Some(seen) = &files.instructions {
            let current = seen.text.as_deref().is_some_and(block::is_current);
            if !current {
                let what = match &seen.text {
                    None => "is missing".to_string(),
                    Some(t) if block::is_present(t) => {
                        "has an outdated or repeated managed block".into()
                    }
                    Some(_) => "has no managed block".into(),
                };
                health
                    .problems
                    .push((format!("{} {what}", seen.shown), setup.clone()));
            }
        }
    }
    if health.installed.len() > 1 {
        health.problems.push((
            format!(
                "{} is set up for this project and for the user: every session would get the brief twice",
                runtime.title()
            ),
            format!("git handoff setup {name} --user --remove (or remove the project's)"),
        ));
    }
    health
}
