//! Reading the effective policy out of a repository: `.handoff.toml` at the work tree's root (or
//! a given text, such as the base commit's), git config `handoff.*`, and flags.

use super::{Layer, Policy, KEYS};
use crate::error::UserError;
use crate::repo::Repo;

const HINT: &str = "fix it (docs/policy.md lists every key, its type and default); until then every command that reads the policy stops here";

/// Loads the effective policy: defaults < `.handoff.toml` (work tree root) < git config.
pub fn load(repo: &Repo) -> anyhow::Result<Policy> {
    let file = repo.workdir().map(|root| root.join(".handoff.toml"));
    let text = match &file {
        Some(path) if path.exists() => Some(
            std::fs::read_to_string(path)
                .map_err(|e| UserError::new(format!("cannot read {}: {e}", path.display())))?,
        ),
        _ => None,
    };
    resolve_with(repo, text.as_deref(), &Layer::default())
}

/// Resolves the policy from a `.handoff.toml` text, git config and flags.
pub fn resolve_with(repo: &Repo, file: Option<&str>, flags: &Layer) -> anyhow::Result<Policy> {
    let file = file
        .map(Layer::from_file)
        .transpose()
        .map_err(|e| UserError::new(e).hint(HINT))?;
    refuse_unknown_settings(repo)?;
    let config = Layer::from_config(|key| repo.config_strings(key))
        .map_err(|e| UserError::new(e).hint(HINT))?;
    Ok(Policy::resolve(&file.unwrap_or_default(), &config, flags))
}

/// Settings that are not policy: they say who is at this keyboard, not what the team requires.
pub const PERSONAL: [&str; 2] = [
    // The acting agent when neither --as nor GIT_HANDOFF_AGENT names one.
    "handoff.agent",
    // The lane whose unowned work `inbox` shows when --lane is not given.
    "handoff.lane",
];

/// A misspelt `handoff.*` setting is refused by name rather than silently ignored.
fn refuse_unknown_settings(repo: &Repo) -> anyhow::Result<()> {
    for name in repo.config_names("handoff") {
        let renamed = super::RENAMED.iter().map(|(_, config, _)| *config);
        let known = KEYS
            .iter()
            .map(|k| k.config)
            .chain(PERSONAL)
            .chain(renamed)
            .any(|k| {
                k.strip_prefix("handoff.")
                    .is_some_and(|k| k.eq_ignore_ascii_case(&name))
            });
        if !known {
            let near = KEYS
                .iter()
                .map(|k| k.config)
                .find(|k| similar(k.trim_start_matches("handoff."), &name));
            let advice = match near {
                Some(key) => format!("did you mean {key}? "),
                None => String::new(),
            };
            return Err(
                UserError::new(format!("git config handoff.{name}: unknown setting"))
                    .hint(format!(
                        "{advice}remove it with git config --unset-all handoff.{name}; docs/policy.md lists the settings"
                    ))
                    .into(),
            );
        }
    }
    Ok(())
}

/// Returns true when two setting names differ only in case, dashes, or one letter.
fn similar(known: &str, given: &str) -> bool {
    let fold = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (a, b) = (fold(known), fold(given));
    if a == b {
        return true;
    }
    let (long, short) = if a.len() >= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    // One letter added, dropped or changed.
    let start = long
        .iter()
        .zip(short.iter())
        .take_while(|(x, y)| x == y)
        .count();
    let skip = usize::from(long.len() == short.len());
    long[start + 1..] == short[start + skip..]
}
