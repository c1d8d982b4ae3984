//! `git handoff check`: the branch review check for CI and servers.

use clap::Args;

use crate::check::{self, default_base, evaluate, render, Subject};
use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::policy::{CarryScope, Layer};
use crate::repo::{Oid, Repo};
use crate::store;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Review base..tip; the merge base with the remote's default branch by default
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// The branch to check; the current branch by default
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// The commit under review; the branch's tip by default (a remote's copy of the branch when it
    /// is not local, HEAD when HEAD is detached)
    #[arg(long, value_name = "REV")]
    pub tip: Option<String>,
    /// Require a pass that `git handoff validate` ran on the tip's tree
    #[arg(long, alias = "require-pass")]
    pub require_validation: bool,
    /// Which commits must carry intent
    #[arg(long, value_enum, value_name = "SCOPE")]
    pub intent: Option<IntentArg>,
}

/// `--intent` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum IntentArg {
    Every,
    Tip,
}

pub fn cmd_check(args: &CheckArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let branch = match &args.branch {
        Some(b) => b.clone(),
        None => super::current_branch(&repo, "git handoff check --branch <branch>")?,
    };
    let tip_spec = args
        .tip
        .clone()
        .unwrap_or_else(|| super::branch_tip(&repo, &branch));
    let tip = repo.resolve_commit(&tip_spec).ok_or_else(|| {
        UserError::new(format!("{tip_spec} does not name a commit"))
            .hint("pass the commit under review: --tip <rev>")
    })?;
    let base = match &args.base {
        Some(b) => Some(repo.resolve_commit(b).ok_or_else(|| {
            UserError::new(format!("--base {b} does not name a commit"))
                .hint("fetch it first, e.g. git fetch origin main")
        })?),
        None => default_base(&repo, &branch, tip)?,
    };
    let flags = Layer {
        require_validation: args.require_validation.then_some(true),
        intent: args.intent.map(|i| match i {
            IntentArg::Every => CarryScope::Every,
            IntentArg::Tip => CarryScope::Tip,
        }),
        ..Layer::default()
    };
    let subject = Subject {
        chain: chain_tip(&repo, out, &branch)?,
        notes: store::tip(&repo, store::NOTES_REF)?,
        fetched_notes: (store::fetched_notes(&repo)?.into_iter())
            .map(|(_, notes)| notes)
            .collect(),
        branch: branch.clone(),
        tip,
        base,
    };
    // The base's policy, not the branch's own: a branch under review cannot exempt itself.
    let policy_text = repo.read_path(base.unwrap_or(tip), ".handoff.toml")?;
    let policy = crate::policy::resolve_with(&repo, policy_text.as_deref(), &flags)?;
    let findings = evaluate(&repo, &policy, &subject)?;
    match format {
        Format::Json => out.json(&render::json(&branch, &findings))?,
        Format::Github => out.data(&render::github(&findings))?,
        Format::Junit => out.data(&render::junit(&branch, &findings))?,
        _ => out.data(&render::human(&branch, &findings))?,
    }
    if check::passes(&findings) {
        Ok(())
    } else {
        Err(
            UserError::refused(format!("{branch} fails the handoff check"))
                .hint("fix the findings above, each with the command under it")
                .into(),
        )
    }
}

/// The branch's chain: local, else a fetched copy.
fn chain_tip(repo: &Repo, out: &Output, branch: &str) -> anyhow::Result<Option<Oid>> {
    match store::resolve_chain(repo, branch)? {
        Some(chain) => {
            super::announce_fetched(repo, out, branch, &chain);
            store::tip(repo, &chain.refname)
        }
        None => Ok(None),
    }
}
