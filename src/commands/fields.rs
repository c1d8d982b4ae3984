//! The field flags `start` and `update` share, turned into packet changes.

use clap::{ArgAction, ArgMatches, Args, FromArgMatches};

use crate::error::UserError;
use crate::packet::{split_pair, Change, Lane, ListField, ListSpec, PairField, Status};

/// Flags that set or add packet fields.
#[derive(Debug, Args, Default)]
pub struct FieldArgs {
    /// Write a string the secret scan flags, by the fingerprint its refusal names
    #[arg(long, value_name = "FINGERPRINT")]
    pub allow_secret: Vec<String>,
    /// Set the exact current unit of work
    #[arg(long, value_name = "TEXT")]
    pub goal: Option<String>,
    /// Set the original request, carried unchanged across hops
    #[arg(long, value_name = "TEXT")]
    pub intent: Option<String>,
    /// Set the status
    #[arg(long, value_enum)]
    pub status: Option<Status>,
    /// Set the lane that holds the work
    #[arg(long, value_enum)]
    pub lane: Option<Lane>,
    /// Set who holds the work now
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Set the review owner
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Set the hop limit
    #[arg(long, value_name = "N")]
    pub max_hops: Option<u32>,
    /// Set the validation command
    #[arg(long = "validate", value_name = "CMD")]
    pub validate: Option<String>,
    /// The list flags, one per list field of the registry.
    #[command(flatten)]
    pub items: Items<false>,
    #[command(flatten)]
    pub actor: super::act::AsArg,
}

impl FieldArgs {
    /// Returns the changes the flags ask for, in a stable order.
    pub fn changes(&self) -> anyhow::Result<Vec<Change>> {
        let mut out = Vec::new();
        if let Some(goal) = &self.goal {
            out.push(Change::Goal(goal.clone()));
        }
        if let Some(intent) = &self.intent {
            out.push(Change::Intent(intent.clone()));
        }
        // Items under way are added just before finished ones: an item given as both ends in
        // done, and one given as done and next stays next.
        let mut items: Vec<_> = self.items.values.iter().collect();
        items.sort_by_key(|(item, _)| match item {
            Item::List(ListField::Done) => 1,
            Item::List(ListField::Next | ListField::Blockers | ListField::Questions) => 2,
            Item::Pair(_) => 3,
            Item::List(_) => 0,
        });
        for (item, text) in items {
            out.push(item.add(text)?);
        }
        if let Some(status) = self.status {
            out.push(Change::Status(status));
        }
        if let Some(lane) = self.lane {
            out.push(Change::Lane(lane));
        }
        for (value, make) in [
            (&self.owner, Change::Owner as fn(String) -> Change),
            (&self.reviewer, Change::Reviewer),
            (&self.validate, Change::Command),
        ] {
            if let Some(v) = value {
                out.push(make(v.clone()));
            }
        }
        if let Some(n) = self.max_hops {
            out.push(Change::MaxHops(n));
        }
        Ok(out)
    }
}

/// A list field, of either kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    List(ListField),
    Pair(PairField),
}

impl Item {
    /// Every list field, in packet order.
    fn all() -> impl Iterator<Item = Item> {
        let lists = ListField::ALL.into_iter().map(Item::List);
        lists.chain(PairField::ALL.into_iter().map(Item::Pair))
    }

    fn spec(self) -> &'static ListSpec {
        match self {
            Item::List(f) => f.spec(),
            Item::Pair(f) => f.spec(),
        }
    }

    /// The change `--<flag> TEXT` asks for.
    fn add(self, text: &str) -> anyhow::Result<Change> {
        match self {
            Item::List(field) if text.trim().is_empty() => Err(UserError::new(format!(
                "{} items must not be empty",
                field.name()
            ))
            .hint("give the item's text")
            .into()),
            Item::List(field) => Ok(Change::Add(field, text.to_string())),
            Item::Pair(field) => {
                let flag = format!("--{}", field.spec().flag);
                let (first, second) = split_pair(text).ok_or_else(|| {
                    UserError::new(format!(
                        "{flag} {text:?} needs two parts separated by \"::\""
                    ))
                    .hint(format!("{flag} \"{}\"", field.spec().value.to_lowercase()))
                })?;
                Ok(Change::AddPair(field, first, second))
            }
        }
    }

    /// The change `--remove-<flag> TEXT` asks for.
    pub fn remove(self, text: &str) -> Change {
        match self {
            Item::List(field) => Change::Remove(field, text.to_string()),
            Item::Pair(field) => Change::RemovePair(field, text.to_string()),
        }
    }
}

/// The repeatable flags of every list field: adding items (`--non-goal`) or, with `REMOVE`,
/// taking them off (`--remove-non-goal`). Built from the field registry.
#[derive(Debug, Default)]
pub struct Items<const REMOVE: bool> {
    /// The items given, grouped by field in packet order.
    pub values: Vec<(Item, String)>,
}

impl<const REMOVE: bool> Items<REMOVE> {
    fn flag(spec: &ListSpec) -> &'static str {
        if REMOVE {
            spec.remove_flag
        } else {
            spec.flag
        }
    }
}

impl<const REMOVE: bool> FromArgMatches for Items<REMOVE> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut items = Items::default();
        items.update_from_arg_matches(matches)?;
        Ok(items)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for item in Item::all() {
            let flag = Self::flag(item.spec());
            if let Some(values) = matches.get_many::<String>(flag) {
                self.values.extend(values.map(|v| (item, v.clone())));
            }
        }
        Ok(())
    }
}

impl<const REMOVE: bool> Args for Items<REMOVE> {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for item in Item::all() {
            let spec = item.spec();
            // Removal names an item by its text, or a pair by its first part.
            let (help, value) = if REMOVE {
                let first = spec.value.split(" :: ").next().unwrap_or(spec.value);
                (spec.remove_help, first)
            } else {
                (spec.help, spec.value)
            };
            cmd = cmd.arg(
                clap::Arg::new(Self::flag(spec))
                    .long(Self::flag(spec))
                    .value_name(value)
                    .help(help)
                    .action(ArgAction::Append)
                    .value_parser(clap::value_parser!(String)),
            );
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}
