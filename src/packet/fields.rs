//! The registry of packet fields: every field's dotted name, the flag that fills it, its title,
//! and for list fields the way to reach them. Validation, merge, diff, Markdown, the policy's
//! required fields and the command-line flags all iterate over these tables, so a new field is
//! added to the model (mod.rs), here, and to docs/format.md. Pure.

use super::{Artifact, Packet, Reason};

/// The list fields holding plain strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListField {
    Acceptance,
    Constraints,
    NonGoals,
    Done,
    InProgress,
    Next,
    Blockers,
    Questions,
}

/// The list fields holding two-part items ("what :: why").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairField {
    Artifacts,
    Decisions,
    Rejected,
}

/// One field of a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Describes the write, not the work; the tool sets it.
    Header(&'static str),
    /// One value: its dotted name, the flag that sets it, and whether policy may require it.
    Scalar {
        name: &'static str,
        flag: Option<&'static str>,
        requirable: bool,
    },
    List(ListField),
    Pairs(PairField),
    /// Review verdicts (approve or revise, for a commit and its tree).
    Verdicts,
    /// Review findings (id, severity, message, path, resolution).
    Findings,
}

/// Every field, in the order a packet writes them.
pub const FIELDS: [Field; 41] = [
    Field::Header("schema"),
    Field::Header("id"),
    Field::Header("revision"),
    Field::Header("branch"),
    Field::Header("base"),
    Field::Header("updated"),
    Field::Header("author"),
    Field::Header("actor"),
    scalar("task.goal", Some("goal"), true),
    scalar("task.intent", Some("intent"), true),
    Field::List(ListField::Acceptance),
    Field::List(ListField::Constraints),
    Field::List(ListField::NonGoals),
    scalar("control.lane", Some("lane"), true),
    scalar("control.owner", Some("owner"), true),
    scalar("control.reviewer", Some("reviewer"), true),
    scalar("control.hops", None, false),
    scalar("control.max_hops", Some("max-hops"), false),
    scalar("control.cycles", None, false),
    scalar("control.resets", None, false),
    scalar("control.executor", None, false),
    scalar("control.handover", None, false),
    scalar("state.status", Some("status"), false),
    Field::List(ListField::Done),
    Field::List(ListField::InProgress),
    Field::List(ListField::Next),
    Field::List(ListField::Blockers),
    Field::List(ListField::Questions),
    scalar("validation.command", Some("validate"), true),
    scalar("validation.result", Some("result"), true),
    scalar("validation.tree", None, false),
    scalar("validation.source", None, false),
    scalar("validation.exit_code", None, false),
    scalar("validation.duration_ms", None, false),
    scalar("validation.at", None, false),
    scalar("validation.by", None, false),
    Field::Pairs(PairField::Artifacts),
    Field::Pairs(PairField::Decisions),
    Field::Pairs(PairField::Rejected),
    Field::Verdicts,
    Field::Findings,
];

const fn scalar(name: &'static str, flag: Option<&'static str>, requirable: bool) -> Field {
    Field::Scalar {
        name,
        flag,
        requirable,
    }
}

impl Field {
    /// Returns the dotted name (`task.non_goals`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Header(name) | Field::Scalar { name, .. } => name,
            Field::List(f) => f.name(),
            Field::Pairs(f) => f.name(),
            Field::Verdicts => "verdicts",
            Field::Findings => "findings",
        }
    }

    /// Returns the `update` flag that fills the field, without its dashes.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Field::Header(_) | Field::Verdicts | Field::Findings => None,
            Field::Scalar { flag, .. } => flag,
            Field::List(f) => Some(f.spec().flag),
            Field::Pairs(f) => Some(f.spec().flag),
        }
    }

    /// Returns true when policy's `required` may name the field.
    pub fn requirable(self) -> bool {
        match self {
            Field::Header(_) => false,
            Field::Scalar { requirable, .. } => requirable,
            Field::List(f) => f != ListField::Blockers,
            Field::Pairs(_) | Field::Verdicts | Field::Findings => true,
        }
    }

    /// Finds a field by its dotted name.
    pub fn named(name: &str) -> Option<Field> {
        FIELDS.into_iter().find(|f| f.name() == name)
    }
}

/// Returns where a key of the packet (or of one of its sections) sorts: the packet's own order,
/// a section just before its first field, unknown keys last.
pub fn rank(dotted: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| f.name() == dotted)
        .or_else(|| {
            let section = format!("{dotted}.");
            FIELDS.iter().position(|f| f.name().starts_with(&section))
        })
        .unwrap_or(usize::MAX)
}

/// Returns the fields of `names` that are absent or empty in `p` (an `unknown` result counts as
/// empty), in the order given.
pub fn blank_fields<'a>(p: &Packet, names: &'a [String]) -> Vec<&'a str> {
    let json = super::to_json(p);
    names
        .iter()
        .map(String::as_str)
        .filter(|field| {
            let value = field.split('.').try_fold(&json, |v, key| v.get(key));
            match value {
                None | Some(serde_json::Value::Null) => true,
                Some(serde_json::Value::String(s)) => {
                    s.trim().is_empty() || (*field == "validation.result" && s == "unknown")
                }
                Some(serde_json::Value::Array(a)) => a.is_empty(),
                Some(_) => false,
            }
        })
        .collect()
}

/// The names of the fields policy may require, in packet order.
pub fn requirable() -> impl Iterator<Item = &'static str> {
    FIELDS
        .into_iter()
        .filter(|f| f.requirable())
        .map(Field::name)
}

/// What the command line and the Markdown brief know of a list field.
#[derive(Debug)]
pub struct ListSpec {
    pub name: &'static str,
    pub title: &'static str,
    /// The flag that adds an item (`--non-goal`).
    pub flag: &'static str,
    pub help: &'static str,
    /// The flag that takes an item off (`--remove-non-goal`).
    pub remove_flag: &'static str,
    pub remove_help: &'static str,
    /// The value name in help (`TEXT`, `PATH :: WHY`).
    pub value: &'static str,
}

impl ListField {
    /// Every list field, in packet order.
    pub const ALL: [ListField; 8] = [
        ListField::Acceptance,
        ListField::Constraints,
        ListField::NonGoals,
        ListField::Done,
        ListField::InProgress,
        ListField::Next,
        ListField::Blockers,
        ListField::Questions,
    ];

    /// Returns the field's names, flags and help.
    pub fn spec(self) -> &'static ListSpec {
        const fn list(
            name: &'static str,
            title: &'static str,
            flag: &'static str,
            help: &'static str,
            remove_flag: &'static str,
            remove_help: &'static str,
        ) -> ListSpec {
            ListSpec {
                name,
                title,
                flag,
                help,
                remove_flag,
                remove_help,
                value: "TEXT",
            }
        }
        // One line per field: name, title, flag, help, removal flag, removal help.
        #[rustfmt::skip]
        const SPECS: [ListSpec; 8] = [
            list("task.acceptance", "Acceptance", "accept", "Add an acceptance criterion (repeatable)", "remove-accept", "Remove an acceptance criterion"),
            list("task.constraints", "Constraints", "constraint", "Add a constraint (repeatable)", "remove-constraint", "Remove a constraint"),
            list("task.non_goals", "Non-goals", "non-goal", "Add something that must not change (repeatable)", "remove-non-goal", "Remove a non-goal"),
            list("state.done", "Done", "done", "Add a finished item; it leaves in-progress and next (repeatable)", "remove-done", "Remove a done item"),
            list("state.in_progress", "In progress", "in-progress", "Add an item under way; it leaves next (repeatable)", "remove-in-progress", "Remove an item under way"),
            list("state.next", "Next", "next", "Add a next step (repeatable)", "remove-next", "Remove a next step"),
            list("state.blockers", "Blockers", "blocker", "Add a blocker (repeatable)", "remove-blocker", "Remove a blocker"),
            list("state.questions", "Questions", "question", "Add an open question (repeatable)", "remove-question", "Remove a question"),
        ];
        &SPECS[self as usize]
    }

    /// Returns the field's dotted name in the packet.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Returns the field's items.
    pub fn get(self, p: &Packet) -> &Vec<String> {
        match self {
            ListField::Acceptance => &p.task.acceptance,
            ListField::Constraints => &p.task.constraints,
            ListField::NonGoals => &p.task.non_goals,
            ListField::Done => &p.state.done,
            ListField::InProgress => &p.state.in_progress,
            ListField::Next => &p.state.next,
            ListField::Blockers => &p.state.blockers,
            ListField::Questions => &p.state.questions,
        }
    }

    /// Returns the field's items for changing.
    pub fn get_mut(self, p: &mut Packet) -> &mut Vec<String> {
        match self {
            ListField::Acceptance => &mut p.task.acceptance,
            ListField::Constraints => &mut p.task.constraints,
            ListField::NonGoals => &mut p.task.non_goals,
            ListField::Done => &mut p.state.done,
            ListField::InProgress => &mut p.state.in_progress,
            ListField::Next => &mut p.state.next,
            ListField::Blockers => &mut p.state.blockers,
            ListField::Questions => &mut p.state.questions,
        }
    }
}

impl PairField {
    /// Every pair field, in packet order.
    pub const ALL: [PairField; 3] = [
        PairField::Artifacts,
        PairField::Decisions,
        PairField::Rejected,
    ];

    /// Returns the field's names, flags and help.
    pub fn spec(self) -> &'static ListSpec {
        const SPECS: [ListSpec; 3] = [
            ListSpec {
                name: "artifacts",
                title: "Artifacts",
                flag: "artifact",
                help: "Add an artifact, \"PATH :: why\" (repeatable)",
                remove_flag: "remove-artifact",
                remove_help: "Remove the artifacts with this path",
                value: "PATH :: WHY",
            },
            ListSpec {
                name: "decisions",
                title: "Decisions",
                flag: "decision",
                help: "Add a decision, \"what :: why\" (repeatable)",
                remove_flag: "remove-decision",
                remove_help: "Remove the decisions with this \"what\"",
                value: "WHAT :: WHY",
            },
            ListSpec {
                name: "rejected",
                title: "Rejected",
                flag: "rejected",
                help: "Add a rejected approach, \"what :: why\" (repeatable)",
                remove_flag: "remove-rejected",
                remove_help: "Remove the rejected approaches with this \"what\"",
                value: "WHAT :: WHY",
            },
        ];
        &SPECS[self as usize]
    }

    /// Returns the field's name in the packet.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Returns the names of an item's two parts in the packet (`path`/`what`, `why`).
    pub fn parts(self) -> (&'static str, &'static str) {
        match self {
            PairField::Artifacts => ("path", "why"),
            PairField::Decisions | PairField::Rejected => ("what", "why"),
        }
    }

    /// Returns the field's items as (first part, why).
    pub fn get(self, p: &Packet) -> Vec<(&str, &str)> {
        fn reasons(list: &[Reason]) -> Vec<(&str, &str)> {
            list.iter()
                .map(|r| (r.what.as_str(), r.why.as_str()))
                .collect()
        }
        match self {
            PairField::Artifacts => p
                .artifacts
                .iter()
                .map(|a| (a.path.as_str(), a.why.as_str()))
                .collect(),
            PairField::Decisions => reasons(&p.decisions),
            PairField::Rejected => reasons(&p.rejected),
        }
    }

    /// Replaces the field's items.
    pub fn set(self, p: &mut Packet, items: Vec<(String, String)>) {
        let reasons = || {
            items
                .iter()
                .map(|(what, why)| Reason {
                    what: what.clone(),
                    why: why.clone(),
                })
                .collect()
        };
        match self {
            PairField::Artifacts => {
                p.artifacts = items
                    .iter()
                    .map(|(path, why)| Artifact {
                        path: path.clone(),
                        why: why.clone(),
                    })
                    .collect();
            }
            PairField::Decisions => p.decisions = reasons(),
            PairField::Rejected => p.rejected = reasons(),
        }
    }

    /// Returns the field's items as owned pairs.
    pub fn owned(self, p: &Packet) -> Vec<(String, String)> {
        self.get(p)
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests;
