//! The hidden `man` command: renders the manual pages from the command-line definition.

use std::path::Path;

use crate::output::Output;
use anyhow::Context;

fn render(command: clap::Command) -> anyhow::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    Ok(page)
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
