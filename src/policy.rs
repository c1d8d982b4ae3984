//! Team policy from `.handoff.toml` and personal settings from `git config handoff.*`.
//!
//! Precedence: defaults < `.handoff.toml` < git config < flags. Each source is a [`Layer`] of
//! optional values; the effective [`Policy`] remembers where every value came from. Pure.

use serde::{Deserialize, Serialize};

use crate::packet::Status;

/// Branches that need no packet unless policy says otherwise.
pub const DEFAULT_EXEMPT: [&str; 5] = ["main", "master", "trunk", "develop", "release/*"];

/// Which commits of a branch must carry intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntentScope {
    /// Every commit in base..tip.
    Every,
    /// Only the tip.
    Tip,
}

/// Where a value of the effective policy came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Default,
    File,
    GitConfig,
    Flag,
}

/// One source's settings; `None` leaves the value to a lower layer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Layer {
    pub exempt: Option<Vec<String>>,
    pub required: Option<Vec<String>>,
    pub intent: Option<IntentScope>,
    pub merge_statuses: Option<Vec<Status>>,
    pub max_hops: Option<u32>,
    pub max_packet_bytes: Option<usize>,
    pub brief_tokens: Option<usize>,
    pub require_pass: Option<bool>,
    pub gate_merges: Option<bool>,
    pub trailer: Option<bool>,
    pub allow_secrets: Option<Vec<String>>,
}

/// The effective policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Globs of branches that need no packet.
    pub exempt: Vec<String>,
    /// Dotted packet fields that must be present and non-empty.
    pub required: Vec<String>,
    /// Whether every commit or only the tip must carry intent.
    pub intent: IntentScope,
    /// Statuses a branch may be merged in.
    pub merge_statuses: Vec<Status>,
    /// Upper bound on hops (the packet's own `max_hops` applies too).
    pub max_hops: u32,
    /// Largest packet, as TOML, in bytes.
    pub max_packet_bytes: usize,
    /// Budget of the Markdown brief, in tokens (about characters / 4).
    pub brief_tokens: usize,
    /// Whether a passing validation result on the tip's tree is required.
    pub require_pass: bool,
    /// Whether merge commits are gated too.
    pub gate_merges: bool,
    /// Whether commits get the `Handoff:` trailer.
    pub trailer: bool,
    /// Fingerprints of strings the secret scan found but that are known not to be secrets.
    pub allow_secrets: Vec<String>,
    /// Where each value came from, by key.
    #[serde(skip)]
    pub sources: Vec<(&'static str, Source)>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            exempt: DEFAULT_EXEMPT.iter().map(ToString::to_string).collect(),
            required: Vec::new(),
            intent: IntentScope::Every,
            merge_statuses: vec![Status::InReview, Status::Approved, Status::Done],
            max_hops: 8,
            max_packet_bytes: crate::packet::MAX_PACKET_BYTES,
            brief_tokens: 4000,
            require_pass: false,
            gate_merges: false,
            trailer: true,
            allow_secrets: Vec::new(),
            sources: Vec::new(),
        }
    }
}

/// The keys, as `.handoff.toml` spells them, with their git config names.
pub const KEYS: [(&str, &str); 11] = [
    ("exempt", "handoff.exempt"),
    ("required", "handoff.required"),
    ("intent", "handoff.intent"),
    ("merge-statuses", "handoff.mergeStatuses"),
    ("max-hops", "handoff.maxHops"),
    ("max-packet-bytes", "handoff.maxPacketBytes"),
    ("brief-tokens", "handoff.briefTokens"),
    ("require-pass", "handoff.requirePass"),
    ("gate-merges", "handoff.gateMerges"),
    ("trailer", "handoff.trailer"),
    ("allow-secrets", "handoff.allowSecrets"),
];

impl Layer {
    /// Parses `.handoff.toml`; an unknown key is refused by name.
    pub fn from_file(text: &str) -> Result<Layer, String> {
        let layer: Layer =
            toml::from_str(text).map_err(|e| format!(".handoff.toml: {}", e.message().trim()))?;
        layer.check()?;
        Ok(layer)
    }

    /// Builds the git config layer from a lookup returning every value of a key.
    pub fn from_config(get: impl Fn(&str) -> Vec<String>) -> Result<Layer, String> {
        let list = |key: &str| {
            let values: Vec<String> = get(key)
                .iter()
                .flat_map(|v| v.split(','))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            (!values.is_empty()).then_some(values)
        };
        let final_value = |key: &str| get(key).last().cloned();
        let parse = |key: &str, text: String| -> Result<toml::Value, String> {
            text.parse::<i64>().map(toml::Value::Integer).or_else(|_| {
                parse_bool(&text)
                    .map(toml::Value::Boolean)
                    .ok_or_else(|| format!("git config {key}: {text:?} is not a number or boolean"))
            })
        };
        let mut table = toml::Table::new();
        for (file_key, config_key) in KEYS {
            let value = match file_key {
                "exempt" | "required" | "merge-statuses" | "allow-secrets" => list(config_key)
                    .map(|v| toml::Value::Array(v.into_iter().map(toml::Value::String).collect())),
                "intent" => final_value(config_key).map(toml::Value::String),
                _ => final_value(config_key)
                    .map(|t| parse(config_key, t))
                    .transpose()?,
            };
            if let Some(v) = value {
                table.insert(file_key.to_string(), v);
            }
        }
        let layer: Layer = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| {
                format!("git config handoff.*: {}", e.message().trim())
            })?;
        layer.check()?;
        Ok(layer)
    }

    fn check(&self) -> Result<(), String> {
        for field in self.required.iter().flatten() {
            if !crate::packet::requirable().any(|f| f == field) {
                return Err(format!(
                    "required: unknown field {field:?} (one of {})",
                    crate::packet::requirable().collect::<Vec<_>>().join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// Reads a git boolean (`true`/`yes`/`on`/`1` and their opposites).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Some(true),
        "false" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

impl Policy {
    /// Applies the layers lowest first: file, git config, flags.
    pub fn resolve(file: &Layer, config: &Layer, flags: &Layer) -> Policy {
        let mut p = Policy::default();
        let mut sources: Vec<(&'static str, Source)> =
            KEYS.iter().map(|(k, _)| (*k, Source::Default)).collect();
        for (layer, source) in [
            (file, Source::File),
            (config, Source::GitConfig),
            (flags, Source::Flag),
        ] {
            let mut set = |key: &'static str| {
                if let Some(entry) = sources.iter_mut().find(|(k, _)| *k == key) {
                    entry.1 = source;
                }
            };
            macro_rules! apply {
                ($field:ident, $key:literal) => {
                    if let Some(v) = &layer.$field {
                        p.$field = v.clone();
                        set($key);
                    }
                };
            }
            apply!(exempt, "exempt");
            apply!(required, "required");
            apply!(intent, "intent");
            apply!(merge_statuses, "merge-statuses");
            apply!(max_hops, "max-hops");
            apply!(max_packet_bytes, "max-packet-bytes");
            apply!(brief_tokens, "brief-tokens");
            apply!(require_pass, "require-pass");
            apply!(gate_merges, "gate-merges");
            apply!(trailer, "trailer");
            apply!(allow_secrets, "allow-secrets");
        }
        p.sources = sources;
        p
    }

    /// Returns true when `branch` needs no packet.
    pub fn is_exempt(&self, branch: &str) -> bool {
        self.exempt
            .iter()
            .flat_map(|g| g.split(','))
            .map(str::trim)
            .any(|glob| !glob.is_empty() && glob_match(glob, branch))
    }

    /// Returns where the value of `key` came from.
    pub fn source(&self, key: &str) -> Source {
        self.sources
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(Source::Default, |(_, s)| *s)
    }
}

/// Matches a ref glob: `*` any run without `/`, `**` any run, `?` one character but `/`.
/// Linear in the glob times the text (a tracked file must never stall a commit).
pub fn glob_match(glob: &str, text: &str) -> bool {
    enum Token {
        Char(char),
        Any,
        Star,
        DoubleStar,
    }
    let mut tokens = Vec::new();
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '*' if chars.peek() == Some(&'*') => {
                while chars.peek() == Some(&'*') {
                    chars.next();
                }
                Token::DoubleStar
            }
            '*' => Token::Star,
            '?' => Token::Any,
            c => Token::Char(c),
        });
    }
    let t: Vec<char> = text.chars().collect();
    // matched[j]: the tokens so far match the first j characters.
    let mut matched = vec![false; t.len() + 1];
    matched[0] = true;
    for token in &tokens {
        let mut next = vec![false; t.len() + 1];
        for j in 0..=t.len() {
            next[j] = match token {
                Token::Char(c) => j > 0 && matched[j - 1] && t[j - 1] == *c,
                Token::Any => j > 0 && matched[j - 1] && t[j - 1] != '/',
                Token::Star => matched[j] || (j > 0 && next[j - 1] && t[j - 1] != '/'),
                Token::DoubleStar => matched[j] || (j > 0 && next[j - 1]),
            };
        }
        matched = next;
    }
    matched[t.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Vec<String> {
        move |key| {
            pairs
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_string())
                .collect()
        }
    }

    #[test]
    fn globs_match_like_ref_patterns() {
        assert!(glob_match("release/*", "release/1.0"));
        assert!(!glob_match("release/*", "release/1.0/hotfix"));
        assert!(glob_match("release/**", "release/1.0/hotfix"));
        assert!(glob_match("main", "main"));
        assert!(!glob_match("main", "main2"));
        assert!(glob_match("v?", "v1"));
        assert!(glob_match("**", "a/b/c") && glob_match("*", "") && !glob_match("*", "a/b"));
        assert!(glob_match("a/**/z", "a/b/c/z") && glob_match("fix-*-*", "fix-1-2"));
        let hostile = "**a**a**a**a**a**a**a**a**b";
        assert!(
            !glob_match(hostile, &"a".repeat(4000)),
            "answers at once, and correctly"
        );
    }

    #[test]
    fn flags_beat_git_config_which_beats_the_file_which_beats_defaults() {
        let none = Layer::default();
        let p = Policy::resolve(&none, &none, &none);
        assert!(p.is_exempt("main") && p.is_exempt("release/2") && !p.is_exempt("feature/x"));
        assert_eq!(p.source("exempt"), Source::Default);
        let file = Layer::from_file("exempt = [\"docs/*\"]\ngate-merges = true\nmax-hops = 4\n")
            .expect("file");
        let p = Policy::resolve(&file, &none, &none);
        assert!(p.is_exempt("docs/a") && !p.is_exempt("main") && p.gate_merges);
        assert_eq!((p.max_hops, p.source("max-hops")), (4, Source::File));
        let git = Layer::from_config(config(&[
            ("handoff.exempt", "hotfix/*,main"),
            ("handoff.maxHops", "3"),
            ("handoff.trailer", "off"),
        ]))
        .expect("config");
        let flags = Layer {
            max_hops: Some(2),
            ..Layer::default()
        };
        let p = Policy::resolve(&file, &git, &flags);
        assert!(p.is_exempt("hotfix/a") && p.is_exempt("main") && !p.is_exempt("docs/a"));
        assert!(!p.trailer && p.gate_merges);
        assert_eq!((p.max_hops, p.source("max-hops")), (2, Source::Flag));
        assert_eq!(p.source("trailer"), Source::GitConfig);
    }

    #[test]
    fn unknown_keys_and_fields_are_refused_by_name() {
        assert!(Layer::from_file("colour = 1\n")
            .unwrap_err()
            .contains("colour"));
        assert!(Layer::from_file("required = [\"task.colour\"]\n")
            .unwrap_err()
            .contains("task.colour"));
        assert!(Layer::from_config(config(&[("handoff.maxHops", "many")]))
            .unwrap_err()
            .contains("handoff.maxHops"));
        assert!(Layer::from_file("merge-statuses = [\"shipped\"]\n")
            .unwrap_err()
            .contains("shipped"));
        let ok = Layer::from_config(config(&[
            ("handoff.mergeStatuses", "approved, done"),
            ("handoff.intent", "tip"),
        ]))
        .expect("ok");
        assert_eq!(
            ok.merge_statuses,
            Some(vec![Status::Approved, Status::Done])
        );
        assert_eq!(ok.intent, Some(IntentScope::Tip));
    }
}
