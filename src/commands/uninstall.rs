//! `git handoff uninstall`: remove the shims and put chained hooks back, byte for byte; under
//! husky, take git-handoff's line out of its scripts; under another manager, say what to remove.

use clap::Args;

use crate::cli::Format;
use crate::error::UserError;
use crate::hooks;
use crate::managers::{self, Manager};
use crate::output::Output;

#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Print what would be done and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn cmd_uninstall(args: &UninstallArgs, out: &Output) -> anyhow::Result<()> {
    let format = out.format()?;
    let repo = super::open()?;
    let dir = repo.hooks_dir();
    let steps = hooks::plan_uninstall(&dir);
    // husky's scripts first: all are read before any is changed, so a script that cannot be
    // read leaves everything (the shims too) as it was.
    let owner = Manager::owning(&dir);
    let (husky_scripts, still) = match owner {
        Some(Manager::Husky) => managers::remove_from_husky(&dir, args.dry_run).map_err(|e| {
            UserError::new(format!("cannot edit husky's scripts: {e}"))
                .hint("fix what stops the script being read or written, then run uninstall again")
        })?,
        _ => (Vec::new(), Vec::new()),
    };
    if !args.dry_run {
        hooks::apply(&dir, &steps, false).map_err(|e| {
            UserError::new(format!("cannot remove hooks from {}: {e}", dir.display()))
        })?;
    }
    for script in &still {
        out.warn(&format!(
            "{script} still runs git-handoff in a line of its own making: remove it by hand"
        ));
    }
    // lefthook and the pre-commit framework run git-handoff from a configuration file the user
    // keeps: name it rather than edit it.
    if let (Some(manager), Some(root)) = (owner, repo.workdir()) {
        if manager != Manager::Husky && manager.runs_handoff(&root, &dir) {
            let then = manager
                .install_command()
                .map(|c| format!(", then run: {c}"))
                .unwrap_or_default();
            out.warn(&format!(
                "{} still runs git-handoff: remove its handoff lines{then}",
                manager.config_place(&root, &dir)
            ));
        }
    }
    if steps.is_empty() && husky_scripts.is_empty() && format == Format::Human {
        out.status(&format!("no git-handoff shims in {}", dir.display()));
        return Ok(());
    }
    super::init::render(out, format, &dir, &steps, &husky_scripts, args.dry_run)
}
