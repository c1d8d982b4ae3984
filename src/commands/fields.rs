//! The field flags `start` and `update` share, turned into packet changes.

use clap::Args;

use crate::error::UserError;
use crate::packet::{split_pair, Change, Lane, ListField, PairField, Status};

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
    /// Add an acceptance criterion (repeatable)
    #[arg(long = "accept", value_name = "TEXT")]
    pub accept: Vec<String>,
    /// Add a constraint (repeatable)
    #[arg(long = "constraint", value_name = "TEXT")]
    pub constraint: Vec<String>,
    /// Add something that must not change (repeatable)
    #[arg(long = "non-goal", value_name = "TEXT")]
    pub non_goal: Vec<String>,
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
    /// Add an artifact, "PATH :: why" (repeatable)
    #[arg(long = "artifact", value_name = "PATH :: WHY")]
    pub artifact: Vec<String>,
    /// Add a decision, "what :: why" (repeatable)
    #[arg(long = "decision", value_name = "WHAT :: WHY")]
    pub decision: Vec<String>,
    /// Add a rejected approach, "what :: why" (repeatable)
    #[arg(long = "rejected", value_name = "WHAT :: WHY")]
    pub rejected: Vec<String>,
    /// Add a finished item; it leaves in-progress and next (repeatable)
    #[arg(long = "done", value_name = "TEXT")]
    pub done: Vec<String>,
    /// Add an item under way; it leaves next (repeatable)
    #[arg(long = "in-progress", value_name = "TEXT")]
    pub in_progress: Vec<String>,
    /// Add a next step (repeatable)
    #[arg(long = "next", value_name = "TEXT")]
    pub next: Vec<String>,
    /// Add a blocker (repeatable)
    #[arg(long = "blocker", value_name = "TEXT")]
    pub blocker: Vec<String>,
    /// Add an open question (repeatable)
    #[arg(long = "question", value_name = "TEXT")]
    pub question: Vec<String>,
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
        let lists = [
            (ListField::Acceptance, &self.accept),
            (ListField::Constraints, &self.constraint),
            (ListField::NonGoals, &self.non_goal),
            (ListField::InProgress, &self.in_progress),
            (ListField::Done, &self.done),
            (ListField::Next, &self.next),
            (ListField::Blockers, &self.blocker),
            (ListField::Questions, &self.question),
        ];
        for (field, items) in lists {
            for item in items {
                if item.trim().is_empty() {
                    return Err(UserError::new(format!(
                        "{} items must not be empty",
                        field.name()
                    ))
                    .hint("give the item's text")
                    .into());
                }
                out.push(Change::Add(field, item.clone()));
            }
        }
        let pairs = [
            (PairField::Artifacts, "--artifact", &self.artifact),
            (PairField::Decisions, "--decision", &self.decision),
            (PairField::Rejected, "--rejected", &self.rejected),
        ];
        for (field, flag, items) in pairs {
            for item in items {
                let (first, second) = split_pair(item).ok_or_else(|| {
                    UserError::new(format!(
                        "{flag} {item:?} needs two parts separated by \"::\""
                    ))
                    .hint(format!("{flag} \"what :: why\""))
                })?;
                out.push(Change::AddPair(field, first, second));
            }
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
