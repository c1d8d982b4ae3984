//! `git handoff uninstall`: remove the shims and put chained hooks back, byte for byte.

use clap::Args;

use crate::cli::Format;
use crate::error::UserError;
use crate::hooks;
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
    if !args.dry_run {
        hooks::apply(&dir, &steps).map_err(|e| {
            UserError::new(format!("cannot remove hooks from {}: {e}", dir.display()))
        })?;
    }
    if steps.is_empty() && format == Format::Human {
        out.status(&format!("no git-handoff hooks in {}", dir.display()));
        return Ok(());
    }
    super::init::render(out, format, &dir, &steps, args.dry_run)
}
