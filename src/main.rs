//! The `git-handoff` binary: parse, run, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(git_handoff::run(std::env::args_os()))
}
