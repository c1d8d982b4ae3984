//! `git handoff hook <name>`: what the installed shims run. A chained (pre-existing) hook runs
//! first with the same arguments and input; its failure blocks where git would let it.

mod ancestry;
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
use crate::hooks::{self, Hook};
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
        allow_hyphen_values = true,
        value_parser = clap::value_parser!(std::ffi::OsString)
    )]
    pub args: Vec<std::ffi::OsString>,
}

pub fn cmd_hook(args: &HookArgs, out: &Output) -> anyhow::Result<()> {
    let Some(hook) = Hook::named(&args.name) else {
        let names: Vec<&str> = Hook::ALL.iter().map(|h| h.name()).collect();
        return Err(UserError::new(format!("unknown hook {:?}", args.name))
            .hint(format!("git handoff hook runs {}", names.join(", ")))
            .into());
    };
    let repo = super::open()?;
    let mut input = Vec::new();
    if hook.reads_input() {
        std::io::stdin().read_to_end(&mut input)?;
    }
    run_chained(&repo, hook, &args.args, &input)?;
    let input = String::from_utf8_lossy(&input);
    match hook {
        Hook::PreCommit => pre_commit::run(&repo, false),
        Hook::PreMergeCommit => pre_commit::run(&repo, true),
        Hook::CommitMsg => commit_msg::run(&repo, &args.args),
        Hook::PostCommit => post_commit::run(&repo, out, false),
        Hook::PostMerge => post_commit::run(&repo, out, true),
        Hook::PostRewrite => post_rewrite::run(&repo, out, &input),
        Hook::PreReceive => pre_receive::run(&repo, &input),
        Hook::PrePush => pre_push::run(&repo, out, &args.args, &input),
    }
}

fn run_chained(
    repo: &Repo,
    hook: Hook,
    args: &[std::ffi::OsString],
    input: &[u8],
) -> anyhow::Result<()> {
    let name = hook.name();
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
    if !status.success() && hook.blocks() {
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
