//! Team policy from `.handoff.toml` and personal settings from `git config handoff.*`.
//!
//! Precedence: defaults < `.handoff.toml` < git config < flags. Pure: callers pass the file text
//! and the config values in.

use serde::Deserialize;

/// Branches that need no packet unless policy says otherwise.
pub const DEFAULT_EXEMPT: [&str; 5] = ["main", "master", "trunk", "develop", "release/*"];

/// The effective policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Globs of branches that need no packet.
    pub exempt: Vec<String>,
    /// Whether merge commits are gated too.
    pub gate_merges: bool,
    /// Whether commits get the `Handoff:` trailer.
    pub trailer: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            exempt: DEFAULT_EXEMPT.iter().map(ToString::to_string).collect(),
            gate_merges: false,
            trailer: true,
        }
    }
}

/// `.handoff.toml`, as tracked at the repository root.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PolicyFile {
    exempt: Option<Vec<String>>,
    gate_merges: Option<bool>,
    trailer: Option<bool>,
}

/// Settings read from `git config handoff.*`.
#[derive(Debug, Default, Clone)]
pub struct ConfigValues {
    pub exempt: Vec<String>,
    pub gate_merges: Option<bool>,
    pub trailer: Option<bool>,
}

impl Policy {
    /// Builds the effective policy from the file text (if any) and git config.
    pub fn resolve(file: Option<&str>, config: &ConfigValues) -> Result<Policy, String> {
        let mut policy = Policy::default();
        if let Some(text) = file {
            let parsed: PolicyFile = toml::from_str(text)
                .map_err(|e| format!(".handoff.toml: {}", e.message().trim()))?;
            if let Some(exempt) = parsed.exempt {
                policy.exempt = exempt;
            }
            policy.gate_merges = parsed.gate_merges.unwrap_or(policy.gate_merges);
            policy.trailer = parsed.trailer.unwrap_or(policy.trailer);
        }
        if !config.exempt.is_empty() {
            policy.exempt.clone_from(&config.exempt);
        }
        policy.gate_merges = config.gate_merges.unwrap_or(policy.gate_merges);
        policy.trailer = config.trailer.unwrap_or(policy.trailer);
        Ok(policy)
    }

    /// Returns true when `branch` needs no packet.
    pub fn is_exempt(&self, branch: &str) -> bool {
        self.exempt
            .iter()
            .flat_map(|g| g.split(','))
            .map(str::trim)
            .any(|glob| !glob.is_empty() && glob_match(glob, branch))
    }
}

/// Matches a ref glob: `*` any run without `/`, `**` any run, `?` one character.
pub fn glob_match(glob: &str, text: &str) -> bool {
    fn go(g: &[char], t: &[char]) -> bool {
        match g.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) if rest.first() == Some(&'*') => {
                let rest = &rest[1..];
                (0..=t.len()).any(|i| go(rest, &t[i..]))
            }
            Some(('*', rest)) => {
                let stop = t.iter().position(|c| *c == '/').unwrap_or(t.len());
                (0..=stop).any(|i| go(rest, &t[i..]))
            }
            Some(('?', rest)) => !t.is_empty() && t[0] != '/' && go(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    let g: Vec<char> = glob.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&g, &t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_ref_patterns() {
        assert!(glob_match("release/*", "release/1.0"));
        assert!(!glob_match("release/*", "release/1.0/hotfix"));
        assert!(glob_match("release/**", "release/1.0/hotfix"));
        assert!(glob_match("main", "main"));
        assert!(!glob_match("main", "main2"));
        assert!(glob_match("v?", "v1"));
    }

    #[test]
    fn config_overrides_the_file_which_overrides_defaults() {
        let none = ConfigValues::default();
        let p = Policy::resolve(None, &none).expect("defaults");
        assert!(p.is_exempt("main") && p.is_exempt("release/2") && !p.is_exempt("feature/x"));
        let file = "exempt = [\"docs/*\"]\ngate-merges = true\n";
        let p = Policy::resolve(Some(file), &none).expect("file");
        assert!(p.is_exempt("docs/a") && !p.is_exempt("main") && p.gate_merges);
        let config = ConfigValues {
            exempt: vec!["hotfix/*,main".into()],
            gate_merges: Some(false),
            trailer: Some(false),
        };
        let p = Policy::resolve(Some(file), &config).expect("config");
        assert!(p.is_exempt("hotfix/a") && p.is_exempt("main") && !p.is_exempt("docs/a"));
        assert!(!p.gate_merges && !p.trailer);
        assert!(Policy::resolve(Some("colour = 1\n"), &none)
            .unwrap_err()
            .contains("colour"));
    }
}
