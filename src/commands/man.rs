//! The hidden `man` command: renders the manual pages from the command-line definition.

use std::path::Path;

use crate::output::Output;
use anyhow::Context;

fn render(command: clap::Command) -> anyhow::Result<Vec<u8>> {
    let usage = synopsis(&command);
    let mut page = Vec::new();
    clap_mangen::Man::new(command.override_usage(usage)).render(&mut page)?;
    Ok(page)
}

/// The synopsis line with every option's value named (`[-C <PATH>] [--format <FORMAT>]`).
fn synopsis(command: &clap::Command) -> String {
    // Building resolves how many values each argument takes.
    let mut command = command.clone();
    command.build();
    let mut parts = vec![command
        .get_bin_name()
        .unwrap_or_else(|| command.get_name())
        .to_string()];
    let value = |arg: &clap::Arg| -> String {
        let takes = arg.get_num_args().is_some_and(|n| n.takes_values());
        match arg.get_value_names() {
            Some(names) if takes => format!(" <{}>", names.join("> <")),
            _ if takes => format!(" <{}>", arg.get_id().as_str().to_uppercase()),
            _ => String::new(),
        }
    };
    for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
        if arg.is_positional() {
            let name = value(arg).trim().to_string();
            let name = if name.is_empty() {
                arg.get_id().to_string()
            } else {
                name
            };
            parts.push(if arg.is_required_set() {
                name
            } else {
                format!("[{name}]")
            });
            continue;
        }
        let flag = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => format!("-{s}|--{l}"),
            (Some(s), None) => format!("-{s}"),
            (None, Some(l)) => format!("--{l}"),
            (None, None) => continue,
        };
        parts.push(format!("[{flag}{}]", value(arg)));
    }
    if command.has_subcommands() {
        parts.push("<COMMAND>".into());
    }
    parts.join(" ")
}

pub fn cmd_man(dir: Option<&Path>, out: &Output) -> anyhow::Result<()> {
    let top = crate::cli::command()
        .name("git-handoff")
        .bin_name("git-handoff");
    let Some(dir) = dir else {
        return out.data(&String::from_utf8_lossy(&render(top)?));
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut pages = vec![("git-handoff".to_string(), top.clone())];
    for sub in top.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("git-handoff-{}", sub.get_name());
        pages.push((
            name.clone(),
            sub.clone()
                .name(name.clone())
                .bin_name(format!("git handoff {}", sub.get_name())),
        ));
    }
    for (name, command) in pages {
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, render(command)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
