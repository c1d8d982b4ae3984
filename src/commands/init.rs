//! `git handoff init`: install the hook shims where git will run them.

use std::path::Path;

use clap::Args;
use serde::Serialize;

use crate::cli::Format;
use crate::error::UserError;
use crate::hooks::{self, Action, Step};
use crate::managers::Manager;
use crate::output::Output;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Refuse instead of chaining a hook git-handoff did not write
    #[arg(long)]
    pub no_chain: bool,
    /// Print what would be done and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Run git-handoff through this hook manager: add its lines to husky's scripts, or print
    /// the lines for lefthook's or the pre-commit framework's configuration
    #[arg(long, value_enum, value_name = "MANAGER")]
    pub manager: Option<Manager>,
    /// Write the hooks into core.hooksPath even though it is a directory of the work tree
    #[arg(long)]
    pub in_tree: bool,
}

/// What `init` (or `uninstall`) did to the hooks, and the fetch refspecs it added.
#[derive(Serialize)]
pub(crate) struct Installed<'a> {
    hooks_dir: String,
    dry_run: bool,
    steps: &'a [Step],
    #[serde(skip_serializing_if = "Option::is_none")]
    refspecs_added: Option<Vec<Refspec<'a>>>,
    /// On uninstall under husky: the scripts its line was taken out of.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    husky_scripts: &'a [crate::managers::Added],
}

/// A fetch refspec added to a remote so packets come with `git fetch`.
#[derive(Serialize)]
pub(crate) struct Refspec<'a> {
    remote: &'a str,
    refspec: &'a str,
}

pub fn cmd_init(args: &InitArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let dir = repo.hooks_dir();
    let owner = (!repo.is_bare()).then(|| Manager::owning(&dir)).flatten();
    if let Some(manager) = args.manager {
        super::init_manager::integrate(&repo, manager, owner, args.dry_run, out)?;
        // Packets come with git fetch whichever way the hooks run.
        // stdout may hold the manager's lines: the refspecs go to stderr, dry run or not.
        let lines = refspec_lines(&remote_refspecs(&repo, args.dry_run)?);
        if !lines.is_empty() {
            out.status(lines.trim_end());
        }
        return Ok(());
    }
    if let Some(manager) = owner {
        return Err(UserError::refused(format!(
            "the hooks in {} are {}'s: git-handoff's hooks there would stop {} from running them",
            dir.display(),
            manager.name(),
            manager.name()
        ))
        .hint(format!(
            "git handoff init --manager {} runs git-handoff through it",
            manager.name()
        ))
        .into());
    }
    let in_tree = in_work_tree(&repo, &dir);
    if in_tree && !args.in_tree {
        return Err(UserError::refused(format!(
            "the hooks directory {} is in the work tree: init would change the repository's files",
            dir.display()
        ))
        .hint("git handoff init --in-tree writes the hooks there (then commit them), or set core.hooksPath outside the work tree")
        .into());
    }
    let steps = hooks::plan_install(&dir, !args.no_chain, repo.is_bare(), !in_tree);
    let refused: Vec<&str> = steps
        .iter()
        .filter(|s| s.action == Action::Refuse)
        .map(|s| s.hook)
        .collect();
    if !args.dry_run {
        if !refused.is_empty() && args.no_chain {
            return Err(UserError::refused(format!(
                "{} in {} already exist and were not written by git-handoff",
                refused.join(", "),
                dir.display()
            ))
            .hint("run git handoff init without --no-chain to keep them and run them first")
            .into());
        }
        hooks::apply(&dir, &steps, !in_tree).map_err(|e| {
            UserError::new(format!("cannot install hooks in {}: {e}", dir.display()))
        })?;
    }
    let refspecs = remote_refspecs(&repo, args.dry_run)?;
    if format == Format::Json {
        return out.json(&Installed {
            hooks_dir: dir.display().to_string(),
            dry_run: args.dry_run,
            steps: &steps,
            refspecs_added: Some(
                (refspecs.iter())
                    .map(|(remote, refspec)| Refspec { remote, refspec })
                    .collect(),
            ),
            husky_scripts: &[],
        });
    }
    render(out, format, &dir, &steps, &[], args.dry_run)?;
    let lines = refspec_lines(&refspecs);
    if args.dry_run {
        out.data(&lines)?;
    } else if !lines.is_empty() {
        out.status(lines.trim_end());
    }
    if in_tree && !args.dry_run {
        out.status(&format!(
            "the hooks are files of the work tree now: commit them (git add {})",
            dir.display()
        ));
    }
    if !args.dry_run {
        say_which_binary(out, &dir, &steps);
    }
    if !refused.is_empty() {
        out.warn(&format!(
            "left alone: {} ({} exists from an earlier chain; move it away and re-run)",
            refused.join(", "),
            hooks::CHAINED_SUFFIX
        ));
    }
    Ok(())
}

/// The refspecs added (or, in a dry run, to be added), a line each.
fn refspec_lines(refspecs: &[(String, String)]) -> String {
    refspecs
        .iter()
        .map(|(r, s)| format!("fetch    remote.{r}.fetch {s}\n"))
        .collect()
}

/// Whether `dir` (the hooks directory) lies in the work tree, outside the git directory: a
/// `core.hooksPath` such as `.githooks/`, whose files belong to the repository.
pub(crate) fn in_work_tree(repo: &crate::repo::Repo, dir: &Path) -> bool {
    let absolute = |p: &std::path::Path| std::path::absolute(p).ok();
    let (Some(root), Some(dir)) = (repo.workdir().and_then(|w| absolute(&w)), absolute(dir)) else {
        return false;
    };
    let inside_git = [repo.git_dir(), repo.common_dir()]
        .iter()
        .filter_map(|g| absolute(g))
        .any(|g| dir.starts_with(g));
    // This work tree, or the main one a linked worktree shares its hooks with.
    let main_root = absolute(repo.common_dir())
        .filter(|c| c.file_name().is_some_and(|n| n == ".git"))
        .and_then(|c| c.parent().map(Path::to_path_buf));
    let in_a_tree = dir.starts_with(&root) || main_root.is_some_and(|m| dir.starts_with(m));
    in_a_tree && !inside_git
}

/// Adds, for every remote, the glob refspecs that make a plain `git fetch` bring packet chains
/// and notes into `refs/handoff-remotes/<remote>/`. Returns what was (or would be) added.
fn remote_refspecs(
    repo: &crate::repo::Repo,
    dry_run: bool,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut added = Vec::new();
    for remote in repo.remote_names() {
        if remote.contains(['/', ' ']) {
            continue;
        }
        let key = format!("remote.{remote}.fetch");
        let existing = repo.config_strings(&key);
        for spec in crate::store::fetch_refspecs(&remote) {
            if existing.contains(&spec) {
                continue;
            }
            if !dry_run {
                crate::transport::config_add(&repo.run_dir(), &key, &spec)?;
            }
            added.push((remote.clone(), spec));
        }
    }
    Ok(added)
}

/// Prints the steps: data on stdout for a dry run or JSON, status on stderr otherwise.
pub(crate) fn render(
    out: &Output,
    format: Format,
    dir: &std::path::Path,
    steps: &[Step],
    husky_scripts: &[crate::managers::Added],
    dry_run: bool,
) -> anyhow::Result<()> {
    if format == Format::Json {
        return out.json(&Installed {
            hooks_dir: dir.display().to_string(),
            dry_run,
            steps,
            refspecs_added: None,
            husky_scripts,
        });
    }
    let lines: String = steps
        .iter()
        .map(|s| {
            let label = label(s.action);
            let label = if dry_run {
                format!("would {label}")
            } else {
                label.to_string()
            };
            format!("{label:<14} {}\n", dir.join(s.hook).display())
        })
        .chain(husky_scripts.iter().map(|a| {
            let label = if a.action == "deleted" {
                "delete"
            } else {
                "remove line"
            };
            let label = if dry_run {
                format!("would {label}")
            } else {
                label.to_string()
            };
            format!("{label:<14} {}\n", a.path)
        }))
        .collect();
    if dry_run {
        out.data(&lines)
    } else {
        out.status(lines.trim_end());
        Ok(())
    }
}

fn label(action: Action) -> &'static str {
    match action {
        Action::Install => "install",
        Action::Keep => "keep",
        Action::Refresh => "refresh",
        Action::Chain => "chain",
        Action::Refuse => "skip",
        Action::Remove => "remove",
        Action::Restore => "restore",
    }
}

/// git names only the hook file when it cannot start the binary a direct shim names: say which
/// binary that is when the shims are written.
fn say_which_binary(out: &Output, dir: &Path, steps: &[Step]) {
    let written = steps
        .iter()
        .any(|s| matches!(s.action, Action::Install | Action::Refresh | Action::Chain));
    let bin = steps
        .first()
        .and_then(|s| hooks::shim_binary(&dir.join(s.hook)));
    if let (true, Some(bin)) = (written, bin) {
        out.status(&format!(
            "the hooks start {}: if you move it, git says it cannot exec the hooks; run git handoff init again then",
            bin.display()
        ));
    }
}
