//! The policy keys, declared once: each key's field, type, default, `.handoff.toml` name, git
//! config name, kind and one line of documentation. `keys!` turns the table into the [`Layer`]
//! a source gives, the effective [`Policy`], its defaults, and [`KEYS`], from which the `policy`
//! command, git config parsing and docs/policy.md's table are made.
//!
//! [`Layer`]: super::Layer
//! [`Policy`]: super::Policy
//! [`KEYS`]: super::KEYS

/// How a key's value is written in git config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Repeatable, or comma-separated.
    List,
    /// One word.
    Word,
    /// An integer.
    Number,
    /// A git boolean.
    Bool,
}

/// One policy key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// As `.handoff.toml` spells it (`max-hops`).
    pub name: &'static str,
    /// As git config spells it (`handoff.maxHops`).
    pub config: &'static str,
    pub kind: Kind,
    /// What it means, in one line.
    pub doc: &'static str,
}

macro_rules! keys {
    ($(
        #[doc = $doc:literal]
        $field:ident : $ty:ty = $default:expr, $key:literal, $config:literal, $kind:ident;
    )*) => {
        /// One source's settings; `None` leaves the value to a lower layer.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub struct Layer {
            $( pub $field: Option<$ty>, )*
        }

        /// The effective policy.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub struct Policy {
            $( #[doc = $doc] pub $field: $ty, )*
            /// Where each value came from, by key.
            #[serde(skip)]
            pub sources: Vec<(&'static str, Source)>,
        }

        impl Default for Policy {
            fn default() -> Self {
                Policy {
                    $( $field: $default, )*
                    sources: Vec::new(),
                }
            }
        }

        /// Every key, in the order `policy` lists them.
        pub const KEYS: &[Key] = &[
            $( Key { name: $key, config: $config, kind: Kind::$kind, doc: $doc.trim_ascii() }, )*
        ];

        impl Policy {
            /// Takes every value `layer` sets, noting `source` as where it came from.
            fn apply(&mut self, layer: &Layer, source: Source) {
                $(
                    if let Some(value) = &layer.$field {
                        self.$field = value.clone();
                        self.set_source($key, source);
                    }
                )*
            }
        }
    };
}

/// Renders a value of the effective policy for people: lists joined, `-` for an empty one.
pub fn human_value(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
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
    }
}

/// The table of keys in docs/policy.md: key, git config name, default, meaning.
pub fn markdown_table() -> String {
    let defaults = serde_json::to_value(super::Policy::default()).unwrap_or_default();
    let mut out = String::from("| key | git config | default | meaning |\n|---|---|---|---|\n");
    for key in super::KEYS {
        let default = human_value(&defaults[key.name]);
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | {} |\n",
            key.name, key.config, default, key.doc
        ));
    }
    out
}
