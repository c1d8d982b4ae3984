//! Team policy from `.handoff.toml` and personal settings from `git config handoff.*`.
//!
//! Precedence: defaults < `.handoff.toml` < git config < flags. Each source is a [`Layer`] of
//! optional values; the effective [`Policy`] remembers where every value came from. Pure.

#[macro_use]
pub mod keys;
mod glob;
mod load;

use serde::{Deserialize, Serialize};

use crate::packet::{Lane, Status};
pub use glob::glob_match;
pub use keys::{markdown_table, Key, Kind};
pub use load::{load, resolve_with};

/// Branches that need no packet unless policy says otherwise.
pub const DEFAULT_EXEMPT: [&str; 5] = ["main", "master", "trunk", "develop", "release/*"];
/// Branches a server guards: work lands on them only through packets ready to merge.
pub const DEFAULT_PROTECTED: [&str; 4] = ["main", "master", "trunk", "release/*"];

/// Which commits of a branch must carry a packet revision (policy key `intent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CarryScope {
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

keys! {
    /// Globs of branches that need no packet.
    exempt: Vec<String> = DEFAULT_EXEMPT.iter().map(ToString::to_string).collect(),
        "exempt", "handoff.exempt", List;
    /// Dotted packet fields that must be present and non-empty.
    required: Vec<String> = Vec::new(), "required", "handoff.required", List;
    /// Whether every commit of a branch (every) or only its tip (tip) must carry a revision.
    intent: CarryScope = CarryScope::Every, "intent", "handoff.intent", Word;
    /// Statuses a branch may be merged in (what `check` asks of a branch under review).
    merge_statuses: Vec<Status> = vec![Status::InReview, Status::Approved, Status::Done],
        "merge-statuses", "handoff.mergeStatuses", List;
    /// Globs of branches a server guards: a push that updates one brings in only packets ready.
    protected: Vec<String> = DEFAULT_PROTECTED.iter().map(ToString::to_string).collect(),
        "protected", "handoff.protected", List;
    /// Statuses the packets of commits pushed into a protected branch must be in.
    protected_statuses: Vec<Status> = vec![Status::Approved, Status::Done],
        "protected-statuses", "handoff.protectedStatuses", List;
    /// Upper bound on hops (the packet's own `max_hops` applies too).
    max_hops: u32 = 8, "max-hops", "handoff.maxHops", Number;
    /// Largest packet, as TOML, in bytes.
    max_packet_bytes: usize = crate::packet::MAX_PACKET_BYTES,
        "max-packet-bytes", "handoff.maxPacketBytes", Number;
    /// Upper bound on review returns (audit → execute cycles) before a supervisor must decide.
    max_cycles: u32 = 3, "max-cycles", "handoff.maxCycles", Number;
    /// Whether the last executor may approve their own work.
    allow_self_approval: bool = false, "allow-self-approval", "handoff.allowSelfApproval", Bool;
    /// Fields a pass to the plan lane needs besides the built-in ones.
    plan_requires: Vec<String> = Vec::new(), "plan-requires", "handoff.planRequires", List;
    /// Fields a pass to the execute lane needs besides goal, acceptance and an artifact or next step.
    execute_requires: Vec<String> = Vec::new(),
        "execute-requires", "handoff.executeRequires", List;
    /// Fields a pass to the audit lane needs besides a validation command, something done and a reviewer.
    audit_requires: Vec<String> = Vec::new(), "audit-requires", "handoff.auditRequires", List;
    /// Fields a pass to the supervise lane needs (none by default: escalation is always open).
    supervise_requires: Vec<String> = Vec::new(),
        "supervise-requires", "handoff.superviseRequires", List;
    /// Budget of `git handoff brief`, in tokens (bytes / 4, rounded up).
    brief_tokens: usize = 500, "brief-tokens", "handoff.briefTokens", Number;
    /// Whether a pass the tool itself ran (`git handoff validate`) on the tip's tree is required.
    require_validation: bool = false, "require-validation", "handoff.requireValidation", Bool;
    /// Whether merge commits are gated too.
    gate_merges: bool = false, "gate-merges", "handoff.gateMerges", Bool;
    /// Whether commits get the `Handoff:` trailer.
    trailer: bool = true, "trailer", "handoff.trailer", Bool;
    /// Fingerprints of strings the secret scan found but that are known not to be secrets.
    allow_secrets: Vec<String> = Vec::new(), "allow-secrets", "handoff.allowSecrets", List;
    /// Days without a revision after which open work shows as stale (inbox, board).
    stale_after: u32 = 3, "stale-after", "handoff.staleAfter", Number;
}

/// Keys renamed before the first release, still read under their old names: the old name in
/// `.handoff.toml`, in git config, and the key that replaced it.
pub const RENAMED: [(&str, &str, &str); 1] =
    [("require-pass", "handoff.requirePass", "require-validation")];

impl Layer {
    /// Parses `.handoff.toml`; an unknown key is refused by name.
    pub fn from_file(text: &str) -> Result<Layer, String> {
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| format!(".handoff.toml: {}", e.message().trim()))?;
        for (old, _, new) in RENAMED {
            if let Some(value) = table.remove(old) {
                table.entry(new).or_insert(value);
            }
        }
        let layer: Layer = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| format!(".handoff.toml: {}", e.message().trim()))?;
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
        let final_value = |key: &str| {
            let renamed = RENAMED
                .iter()
                .find(|(_, _, new)| KEYS.iter().any(|k| k.name == *new && k.config == key));
            get(key)
                .last()
                .cloned()
                .or_else(|| renamed.and_then(|(_, old, _)| get(old).last().cloned()))
        };
        let parse = |key: &str, text: String| -> Result<toml::Value, String> {
            text.parse::<i64>().map(toml::Value::Integer).or_else(|_| {
                parse_bool(&text)
                    .map(toml::Value::Boolean)
                    .ok_or_else(|| format!("git config {key}: {text:?} is not a number or boolean"))
            })
        };
        let mut table = toml::Table::new();
        for key in KEYS {
            let value = match key.kind {
                Kind::List => list(key.config)
                    .map(|v| toml::Value::Array(v.into_iter().map(toml::Value::String).collect())),
                Kind::Word => final_value(key.config).map(toml::Value::String),
                Kind::Number | Kind::Bool => final_value(key.config)
                    .map(|t| parse(key.config, t))
                    .transpose()?,
            };
            if let Some(v) = value {
                table.insert(key.name.to_string(), v);
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
        let lists = [
            ("required", &self.required),
            ("plan-requires", &self.plan_requires),
            ("execute-requires", &self.execute_requires),
            ("audit-requires", &self.audit_requires),
            ("supervise-requires", &self.supervise_requires),
        ];
        for (key, fields) in lists {
            for field in fields.iter().flatten() {
                if !crate::packet::requirable().any(|f| f == field) {
                    return Err(format!(
                        "{key}: unknown field {field:?} (one of {})",
                        crate::packet::requirable().collect::<Vec<_>>().join(", ")
                    ));
                }
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
        let mut p = Policy {
            sources: KEYS.iter().map(|k| (k.name, Source::Default)).collect(),
            ..Policy::default()
        };
        for (layer, source) in [
            (file, Source::File),
            (config, Source::GitConfig),
            (flags, Source::Flag),
        ] {
            p.apply(layer, source);
        }
        p
    }

    fn set_source(&mut self, key: &'static str, source: Source) {
        if let Some(entry) = self.sources.iter_mut().find(|(k, _)| *k == key) {
            entry.1 = source;
        }
    }

    /// Returns true when `branch` needs no packet.
    pub fn is_exempt(&self, branch: &str) -> bool {
        matches_any(&self.exempt, branch)
    }

    /// Returns true when a server lets only ready packets into `branch`.
    pub fn is_protected(&self, branch: &str) -> bool {
        matches_any(&self.protected, branch)
    }

    /// Returns the fields policy adds to what a pass to `lane` needs.
    pub fn pass_requires(&self, lane: Lane) -> &[String] {
        match lane {
            Lane::Plan => &self.plan_requires,
            Lane::Execute => &self.execute_requires,
            Lane::Audit => &self.audit_requires,
            Lane::Supervise => &self.supervise_requires,
        }
    }

    /// Returns the hop limit: the packet's own or the policy's, whichever is lower.
    pub fn hop_limit(&self, packet_max: u32) -> u32 {
        packet_max.min(self.max_hops)
    }

    /// Returns where the value of `key` came from.
    pub fn source(&self, key: &str) -> Source {
        self.sources
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(Source::Default, |(_, s)| *s)
    }
}

/// Returns true when one of `globs` (each possibly a comma-separated list) matches `branch`.
fn matches_any(globs: &[String], branch: &str) -> bool {
    globs
        .iter()
        .flat_map(|g| g.split(','))
        .map(str::trim)
        .any(|glob| !glob.is_empty() && glob_match(glob, branch))
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
    fn a_renamed_key_still_reads_under_its_old_name() {
        let file = Layer::from_file("require-pass = true\n").expect("old name");
        assert_eq!(file.require_validation, Some(true));
        let git = Layer::from_config(config(&[("handoff.requirePass", "yes")])).expect("old name");
        assert_eq!(git.require_validation, Some(true));
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
        assert_eq!(ok.intent, Some(CarryScope::Tip));
    }
}

#[cfg(test)]
mod docs_tests {
    /// docs/policy.md carries the table `keys!` generates; a key added without it fails here.
    #[test]
    fn the_documented_table_is_the_generated_one() {
        let docs = include_str!("../../docs/policy.md");
        let table = super::markdown_table();
        assert!(
            docs.contains(&table),
            "docs/policy.md must contain this table:\n{table}"
        );
        for field in crate::packet::requirable() {
            assert!(
                docs.contains(&format!("`{field}`")),
                "{field} is not listed"
            );
        }
    }
}
