//! `git handoff hook <name>`: what the installed shims run. A chained (pre-existing) hook runs
//! first with the same arguments and input; its failure blocks where git would let it.

mod commit_msg;
mod post_commit;
mod post_rewrite;
mod pre_commit;
mod pre_push;
mod pre_receive;

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use clap::Args;

use crate::error::UserError;
use crate::hooks;
use crate::output::Output;
use crate::repo::Repo;

#[derive(Debug, Args)]
pub struct HookArgs {
    /// The hook git is running
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The arguments git passed to the hook
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub args: Vec<String>,
}

/// Hooks whose failure stops git.
const BLOCKING: [&str; 5] = [
    "pre-commit",
    "commit-msg",
    "pre-merge-commit",
    "pre-push",
    "pre-receive",
];
/// Hooks git feeds on stdin.
const WITH_INPUT: [&str; 3] = ["post-rewrite", "pre-push", "pre-receive"];

pub fn cmd_hook(args: &HookArgs, out: &Output) -> anyhow::Result<()> {
    let name = args.name.as_str();
    if !hooks::SHIMS.iter().any(|(h, _)| *h == name) {
        return Err(UserError::new(format!("unknown hook {name:?}"))
            .hint("git handoff hook runs pre-commit, commit-msg, post-commit, post-rewrite, post-merge, pre-merge-commit, pre-push, pre-receive")
            .into());
    }
    let repo = super::open()?;
    let mut input = Vec::new();
    if WITH_INPUT.contains(&name) {
        std::io::stdin().read_to_end(&mut input)?;
    }
    run_chained(&repo, name, &args.args, &input)?;
    let input = String::from_utf8_lossy(&input);
    match name {
        "pre-commit" => pre_commit::run(&repo, false),
        "pre-merge-commit" => pre_commit::run(&repo, true),
        "commit-msg" => commit_msg::run(&repo, &args.args),
        "post-commit" => post_commit::run(&repo, out, false),
        "post-merge" => post_commit::run(&repo, out, true),
        "post-rewrite" => post_rewrite::run(&repo, out, &input),
        "pre-receive" => pre_receive::run(&repo, &input),
        _ => pre_push::run(&repo, out, &args.args, &input),
    }
}

fn run_chained(repo: &Repo, name: &str, args: &[String], input: &[u8]) -> anyhow::Result<()> {
    let Some(path) = hooks::chained_hook(&repo.hooks_dir(), name) else {
        return Ok(());
    };
    let mut child = Command::new(&path)
        .args(args)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| {
            UserError::new(format!(
                "cannot run the chained hook {}: {e}",
                path.display()
            ))
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input closes the pipe early; that is not an error.
        let _ = stdin.write_all(input);
    }
    let status = child.wait()?;
    if !status.success() && BLOCKING.contains(&name) {
        let code = status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .filter(|c| *c != 0)
            .unwrap_or(1);
        return Err(UserError {
            message: format!("the existing {name} hook ({}) failed", path.display()),
            hint: Some("fix what it reports, or bypass every hook with --no-verify".into()),
            code,
        }
        .into());
    }
    Ok(())
}
