//! The hidden `man` command: renders the manual page from the command-line definition.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::output::Output;

pub fn cmd_man(out: &Output) -> anyhow::Result<()> {
    let command = Cli::command().name("git-handoff").bin_name("git-handoff");
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    out.data(&String::from_utf8_lossy(&page))
}
