//! `git handoff check`: the branch review check for CI and servers.

use std::collections::HashMap;

use clap::Args;

use crate::check::{self, render, CommitIntent, Facts};
use crate::cli::Format;
use crate::error::UserError;
use crate::output::Output;
use crate::policy::{IntentScope, Layer, Policy};
use crate::repo::{Oid, Repo};
use crate::store;
use crate::trailer;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Review base..tip; the merge base with the remote's default branch by default
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// The branch to check; the current branch by default
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// The commit under review; the branch's tip by default (HEAD when the branch is not local)
    #[arg(long, value_name = "REV")]
    pub tip: Option<String>,
    /// Require a passing validation result on the tip's tree
    #[arg(long)]
    pub require_pass: bool,
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

/// The refs a check reads, possibly as a push would leave them.
pub(crate) struct Subject {
    pub branch: String,
    pub tip: Oid,
    pub base: Option<Oid>,
    pub chain: Option<Oid>,
    pub notes: Option<Oid>,
}

pub fn cmd_check(args: &CheckArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format(
        Format::Human,
        &[Format::Human, Format::Json, Format::Github, Format::Junit],
    )?;
    let repo = super::open()?;
    let branch = match &args.branch {
        Some(b) => b.clone(),
        None => super::current_branch(&repo)?,
    };
    let tip_spec = args.tip.clone().unwrap_or_else(|| {
        if repo
            .resolve_commit(&format!("refs/heads/{branch}"))
            .is_some()
        {
            format!("refs/heads/{branch}")
        } else {
            "HEAD".into()
        }
    });
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
        require_pass: args.require_pass.then_some(true),
        intent: args.intent.map(|i| match i {
            IntentArg::Every => IntentScope::Every,
            IntentArg::Tip => IntentScope::Tip,
        }),
        ..Layer::default()
    };
    let subject = Subject {
        chain: chain_tip(&repo, &branch)?,
        notes: store::tip(&repo, store::NOTES_REF)?,
        branch: branch.clone(),
        tip,
        base,
    };
    // The base's policy, not the branch's own: a branch under review cannot exempt itself.
    let policy_text = repo.read_path(base.unwrap_or(tip), ".handoff.toml")?;
    let policy = super::policy_from(&repo, policy_text.as_deref(), &flags)?;
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
fn chain_tip(repo: &Repo, branch: &str) -> anyhow::Result<Option<Oid>> {
    match store::resolve_chain(repo, branch)? {
        Some(chain) => store::tip(repo, &chain.refname),
        None => Ok(None),
    }
}

/// The merge base with the default branch, as the remote (or a bare repository's HEAD) names it.
pub(crate) fn default_base(repo: &Repo, branch: &str, tip: Oid) -> anyhow::Result<Option<Oid>> {
    let mut candidates = vec!["refs/remotes/origin/HEAD".to_string()];
    if repo.is_bare() {
        candidates.push("HEAD".into());
    }
    for name in ["main", "master", "trunk", "develop"] {
        candidates.push(format!("refs/remotes/origin/{name}"));
        candidates.push(format!("refs/heads/{name}"));
    }
    for candidate in candidates {
        if candidate == format!("refs/heads/{branch}") {
            continue;
        }
        if let Some(commit) = repo.resolve_commit(&candidate) {
            if candidate == "HEAD"
                && repo.resolve_commit(&format!("refs/heads/{branch}")) == Some(commit)
            {
                continue;
            }
            return repo.merge_base(tip, commit);
        }
    }
    Ok(None)
}

/// Gathers the facts about `subject` and runs every check.
pub(crate) fn evaluate(
    repo: &Repo,
    policy: &Policy,
    subject: &Subject,
) -> anyhow::Result<Vec<check::Finding>> {
    let revision = subject
        .chain
        .map(|c| store::read_revision(repo, c).map_err(|e| format!("{e:#}")));
    let packet = revision
        .as_ref()
        .map(|r| r.as_ref().map(|r| &r.packet).map_err(Clone::clone));
    // Walk the range and load the notes tree at the same time: two cores, two halves.
    let (range, notes) = std::thread::scope(|scope| {
        let notes = subject.notes.map(|n| {
            let git_dir = repo.git_dir().to_path_buf();
            scope.spawn(move || store::notes_map_at(&Repo::open_git_dir(&git_dir)?, n))
        });
        let range = if policy.intent == IntentScope::Tip {
            Ok(vec![subject.tip])
        } else {
            match subject.base {
                Some(base) if base == subject.tip => Ok(Vec::new()),
                // Order does not matter here; the cheapest walk does.
                Some(base) => repo.commit_set(&format!("{base}..{}", subject.tip)),
                None => repo.commit_set(&subject.tip.to_string()),
            }
        };
        let notes = match notes {
            Some(handle) => handle
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the notes reader failed"))),
            None => Ok(HashMap::new()),
        };
        (range, notes)
    });
    let (range, notes) = (range?, notes?);
    let mut parsed: HashMap<Oid, Result<(), String>> = HashMap::new();
    // Only commits without a valid note are facts worth keeping; most commits are fine.
    let mut commits = Vec::new();
    for commit in range {
        let note = notes.get(&commit).map(|blob| {
            parsed
                .entry(*blob)
                .or_insert_with(|| {
                    store::read_note(repo, *blob)
                        .map(|_| ())
                        .map_err(|e| format!("{e:#}"))
                })
                .clone()
        });
        if matches!(note, Some(Ok(()))) {
            continue;
        }
        let trailer = note.is_none() && !trailer::stamps(&repo.message_of(commit)?).is_empty();
        commits.push(CommitIntent {
            id: commit.to_string(),
            note,
            trailer,
        });
    }
    let mut missing_artifacts = Vec::new();
    if let Some(Ok(p)) = &packet {
        for artifact in &p.artifacts {
            if !repo.path_exists(subject.tip, &artifact.path)? {
                missing_artifacts.push(artifact.path.clone());
            }
        }
    }
    let facts = Facts {
        branch: &subject.branch,
        tip: subject.tip.to_string(),
        tip_tree: repo.tree_of(subject.tip)?.to_string(),
        packet,
        commits,
        missing_artifacts,
    };
    Ok(check::run(policy, &facts))
}
