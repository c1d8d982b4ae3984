//! git-handoff: versioned handoff packets stored in git, attached to commits as notes.

pub mod agents;
pub mod atomic;
pub mod brief;
pub mod carried;
pub mod check;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod error;
pub mod escape;
pub mod gate;
pub mod handoff;
pub mod handoff_md;
pub mod hooks;
pub mod managers;
pub mod merge;
pub mod output;
pub mod packet;
pub mod policy;
pub mod repo;
pub mod secrets;
pub mod store;
pub mod sync;
pub mod textdiff;
pub mod trailer;
pub mod transport;
pub mod views;
pub mod waiting;

#[cfg(test)]
mod test_support;

/// Runs one invocation and returns its exit code (0 ok, 1 refused, 2 error).
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> u8 {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    if let Some(hook) = hook_invocation(&args) {
        let out = output::Output::new(None, false, cli::formats("hook"));
        return match commands::hook::cmd_hook(&hook, &out) {
            Ok(()) => error::EXIT_OK,
            Err(err) => error::report(&err),
        };
    }
    let parsed = cli::command()
        .try_get_matches_from(args)
        .and_then(|matches| Ok((cli::Cli::from_arg_matches(&matches)?, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                error::EXIT_ERROR
            } else {
                error::EXIT_OK
            };
        }
    };
    let formats = cli::formats(matches.subcommand_name().unwrap_or_default());
    let out = output::Output::new(cli.format, cli.quiet, formats);
    if let Some(dir) = &cli.directory {
        if let Err(e) = std::env::set_current_dir(dir) {
            let err = error::UserError::new(format!("cannot change to {}: {e}", dir.display()))
                .hint("-C takes an existing directory");
            return error::report(&err.into());
        }
    }
    match commands::dispatch(cli.command, &out) {
        Ok(()) => error::EXIT_OK,
        Err(err) => error::report(&err),
    }
}

/// `git-handoff hook <name> <args…>` (a shell shim) or `git-handoff hook-shim <shim path>
/// <args…>` (a direct one), on every commit: read without building the whole command line
/// parser (the hook's arguments are git's, passed as they are). Anything else, `--help`
/// included, goes through clap.
fn hook_invocation(args: &[std::ffi::OsString]) -> Option<commands::hook::HookArgs> {
    let [_, command, name, rest @ ..] = args else {
        return None;
    };
    // A direct shim: the kernel passes the shim's own path (in whatever bytes the repository's
    // path has), whose file name is the hook's. Nothing but git runs it: never clap.
    let direct = command == hooks::SHIM_COMMAND;
    let name = if direct {
        // A shim kept under another name (`pre-commit.legacy`, as the pre-commit framework
        // renames the hook it finds) is still the hook before the first dot.
        let file = std::path::Path::new(name).file_name()?.to_str()?;
        file.split('.').next().unwrap_or(file)
    } else if command == "hook" {
        name.to_str()?
    } else {
        return None;
    };
    // A direct shim under a name that is no hook gets cmd_hook's own error, never clap's.
    if !direct {
        hooks::Hook::named(name)?;
    }
    // git's arguments as they are, in whatever bytes (a path, a remote's name).
    let args = rest.to_vec();
    if !direct && args.iter().any(|a| a == "--help" || a == "-h") {
        return None;
    }
    Some(commands::hook::HookArgs {
        name: name.to_string(),
        args,
    })
}
