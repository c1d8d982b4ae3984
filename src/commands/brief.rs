//! `git handoff brief`: the compact brief of a branch's packet for the next agent.

use clap::Args;

use crate::brief::{self, Brief, Context, Style};
use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::packet::Lane;
use crate::policy::Policy;
use crate::repo::{short, Oid, Repo};
use crate::store::{Chain, Revision};

#[derive(Debug, Args)]
pub struct BriefArgs {
    /// The branch (or remote/branch); the current branch by default
    #[arg(value_name = "BRANCH")]
    pub branch: Option<String>,
    /// Put this lane's concerns first (default: the packet's lane)
    #[arg(long, value_enum, value_name = "LANE")]
    pub lane: Option<Lane>,
    /// Largest brief, in tokens (bytes / 4); policy brief-tokens by default
    #[arg(long, value_name = "TOKENS")]
    pub budget: Option<usize>,
}

pub fn cmd_brief(args: &BriefArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let policy = crate::policy::load(&repo)?;
    let budget = args.budget.unwrap_or(policy.brief_tokens);
    if budget < brief::MIN_TOKENS {
        return Err(UserError::new(format!(
            "a brief needs a budget of at least {} tokens, not {budget}",
            brief::MIN_TOKENS
        ))
        .hint("give --budget 500, or set brief-tokens in .handoff.toml")
        .into());
    }
    let (branch, chain) = super::chain_of(
        &repo,
        out,
        args.branch.as_deref(),
        "git handoff brief <branch>",
    )?;
    let style = if format == Format::Md {
        Style::Markdown
    } else {
        Style::Text
    };
    let Some((_, b)) = brief_of(&repo, &policy, &branch, &chain, args.lane, budget, style)? else {
        return Err(UserError::new(format!("branch {branch} has no packet"))
            .hint("git handoff list shows every packet")
            .into());
    };
    if format == Format::Json {
        return out.json(&b);
    }
    out.data(&brief::render(&b, style))
}

/// Builds the brief of `branch`'s packet (read from `chain`) for `lane` (the packet's own by
/// default); `None` when the chain has no revision.
pub(crate) fn brief_of(
    repo: &Repo,
    policy: &Policy,
    branch: &str,
    chain: &Chain,
    lane: Option<Lane>,
    budget: usize,
    style: Style,
) -> anyhow::Result<Option<(Revision, Brief)>> {
    let Some(chain_tip) = crate::store::tip(repo, &chain.refname)? else {
        return Ok(None);
    };
    let revision = crate::store::read_revision(repo, chain_tip)?;
    let p = &revision.packet;
    let lane = lane.or(p.control.lane);
    let tip = match &chain.remote {
        // `brief origin/feature` names the remote's branch itself.
        Some(_) if chain.branch == branch => {
            repo.resolve_commit(&format!("refs/remotes/{}", chain.branch))
        }
        _ => repo.resolve_commit(&super::branch_tip(repo, branch)),
    };
    let ctx = Context {
        tip_tree: tip
            .and_then(|t| repo.tree_of(t).ok())
            .map(|t| t.to_string()),
        review_range: match (lane, tip) {
            (Some(Lane::Audit), Some(tip)) => review_range(repo, p, branch, tip)?,
            _ => None,
        },
        branch: branch.to_string(),
        max_cycles: policy.max_cycles,
    };
    let b = brief::build(p, lane, budget, &ctx, style);
    Ok(Some((revision, b)))
}

/// What an auditor reviews: the commits since the last verdict, else since the default branch.
fn review_range(
    repo: &Repo,
    p: &crate::packet::Packet,
    branch: &str,
    tip: Oid,
) -> anyhow::Result<Option<(String, usize)>> {
    let last = p
        .verdicts
        .last()
        .and_then(|v| Oid::from_hex(v.commit.as_bytes()).ok())
        .filter(|c| repo.is_ancestor(*c, tip).unwrap_or(false));
    let from = match last {
        Some(c) => Some(c),
        None => crate::check::default_base(repo, branch, tip)?,
    };
    let Some(from) = from else {
        return Ok(None);
    };
    let n = repo.commits(&format!("{from}..{tip}"))?.len();
    Ok(Some((format!("{}..{}", short(from), short(tip)), n)))
}
