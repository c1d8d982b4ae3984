//! Git configuration as git itself resolves it, `git -c` settings included.

use super::Repo;
use crate::error::UserError;

impl Repo {
    /// Reads a string from git configuration.
    pub fn config_string(&self, key: &str) -> Option<String> {
        self.override_of(key).last().cloned().or_else(|| {
            self.git
                .config_snapshot()
                .string(key)
                .map(|v| v.to_string())
        })
    }

    fn override_of(&self, key: &str) -> Vec<String> {
        self.overrides
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Lists the variable names set in a configuration section (`handoff` → `exempt`, `maxhops` …).
    pub fn config_names(&self, section: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .git
            .config_snapshot()
            .plumbing()
            .sections_by_name(section)
            .into_iter()
            .flatten()
            .flat_map(|s| s.body().value_names().collect::<Vec<_>>())
            .collect();
        let prefix = format!("{section}.");
        for (key, _) in &self.overrides {
            // `get` and not slicing: a key may hold multi-byte characters anywhere.
            if let (Some(head), Some(rest)) = (key.get(..prefix.len()), key.get(prefix.len()..)) {
                if head.eq_ignore_ascii_case(&prefix) && !rest.is_empty() {
                    names.push(rest.to_string());
                }
            }
        }
        names
    }

    /// Reads a boolean from git configuration; a value git would reject is an error.
    pub fn config_bool(&self, key: &str) -> anyhow::Result<Option<bool>> {
        if let Some(value) = self.override_of(key).last() {
            return crate::policy::parse_bool(value).map(Some).ok_or_else(|| {
                UserError::new(format!("git config {key}: {value:?} is not a boolean"))
                    .hint(format!("set it to true or false: git -c {key}=false …"))
                    .into()
            });
        }
        self.git.config_snapshot().try_boolean(key).map_err(|e| {
            UserError::new(format!("git config {key}: {e}"))
                .hint(format!("set it to true or false: git config {key} false"))
                .into()
        })
    }

    /// Reads every value of a multi-valued git configuration key.
    pub fn config_strings(&self, key: &str) -> Vec<String> {
        let overrides = self.override_of(key);
        if !overrides.is_empty() {
            return overrides;
        }
        self.git
            .config_snapshot()
            .plumbing()
            .strings(key)
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Returns the remote a branch tracks (`branch.<name>.remote`), if any.
    pub fn upstream_remote(&self, branch: &str) -> Option<String> {
        self.config_string(&format!("branch.{branch}.remote"))
    }

    /// Lists the configured remotes.
    pub fn remote_names(&self) -> Vec<String> {
        self.git
            .remote_names()
            .into_iter()
            .map(|n| n.to_string())
            .collect()
    }
}

/// Parses `GIT_CONFIG_PARAMETERS`: `'key'='value'` (or older `'key=value'`) entries, single-quoted
/// with `'\''` for a quote, separated by spaces.
pub(super) fn command_line_config() -> Vec<(String, String)> {
    let Ok(text) = std::env::var("GIT_CONFIG_PARAMETERS") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut current, mut key, mut quoted) = (String::new(), None::<String>, false);
    let mut flush = |current: &mut String, key: &mut Option<String>| {
        let entry = std::mem::take(current);
        match key.take() {
            Some(k) => out.push((k, entry)),
            None if !entry.is_empty() => {
                let (k, v) = entry.split_once('=').unwrap_or((entry.as_str(), "true"));
                out.push((k.to_string(), v.to_string()));
            }
            None => {}
        }
    };
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => quoted = !quoted,
            '\\' if !quoted => current.extend(chars.next()),
            '=' if !quoted && key.is_none() => key = Some(std::mem::take(&mut current)),
            ' ' if !quoted => flush(&mut current, &mut key),
            c => current.push(c),
        }
    }
    flush(&mut current, &mut key);
    out
}
