//! `git handoff edit`: edit the packet in your editor, like `git commit` edits a message.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use clap::Args;

use crate::cli::Format;
use crate::error::{user_error, UserError};
use crate::output::Output;
use crate::packet::{self, Packet};
use crate::repo::Repo;
use crate::store;

#[derive(Debug, Args)]
pub struct EditArgs {}

const HELP: &str = "\
# Edit the handoff packet, save and close the editor to write the next revision.
# Lines starting with '#' are ignored. schema, id, revision, branch, base, updated
# and author are set by git-handoff. An empty file aborts without writing.
";
const ERROR_MARK: &str = "# error: ";

pub fn cmd_edit(_args: &EditArgs, out: &Output) -> anyhow::Result<()> {
    out.format(Format::Human, &[Format::Human])?;
    let repo = super::open()?;
    let target = super::write_target(&repo)?;
    super::adopt_fetched(&repo, out, &target.branch)?;
    let refname = store::chain_ref(&target.branch);
    let Some(tip) = store::tip(&repo, &refname)? else {
        return user_error(
            format!("branch {} has no packet to edit", target.branch),
            "start one: git handoff start --goal \"…\" --accept \"…\"",
        );
    };
    let current = store::read_revision(&repo, tip)?;
    let file = repo.git_dir().join("HANDOFF_EDIT.toml");
    let mut text = format!("{HELP}{}", packet::to_toml(&current.packet));
    let edited = loop {
        std::fs::write(&file, &text).with_context(|| format!("cannot write {}", file.display()))?;
        run_editor(&repo, &file)?;
        let after = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let body = strip_errors(&after);
        if body
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            let _ = std::fs::remove_file(&file);
            return Err(UserError::refused("the file is empty; nothing written")
                .hint("run git handoff edit again to edit the packet")
                .into());
        }
        let header = super::next_header(&repo, &target, current.packet.id.clone(), Some(&current))?;
        match check(&body, header) {
            Ok(packet) => break packet,
            Err(message) if after == text => {
                return Err(UserError::new(format!(
                    "the edited packet is still invalid: {message}"
                ))
                .hint(format!(
                    "your text is kept in {}; fix it and run git handoff update --from {}",
                    file.display(),
                    file.display()
                ))
                .into());
            }
            Err(message) => {
                text = format!(
                    "{ERROR_MARK}{message}\n# Fix it and save, or empty the file to abort.\n{body}"
                );
            }
        }
    };
    if edited.same_body(&current.packet) {
        let _ = std::fs::remove_file(&file);
        return Err(UserError::refused("no changes; nothing written")
            .hint("edit a field, or leave the packet as it is")
            .into());
    }
    let revision = store::write(&repo, &target.branch, "edit", |now| match now {
        Some(now) if now.commit == current.commit => Ok(edited.clone()),
        _ => Err(UserError::new("the packet changed while you were editing")
            .hint(format!(
                "your text is kept in {}; merge it with git handoff update --from {}",
                file.display(),
                file.display()
            ))
            .into()),
    })?;
    let _ = std::fs::remove_file(&file);
    out.status(&format!(
        "updated {} to r{} on {}",
        revision.packet.id, revision.packet.revision, target.branch
    ));
    Ok(())
}

/// Parses and validates the edited text as the next revision; the error names line or field.
fn check(body: &str, header: packet::Header) -> Result<Packet, String> {
    let draft = packet::parse_draft(body).map_err(|e| e.to_string())?;
    if draft.schema.is_none() && draft.id.is_none() && draft.task.goal.is_empty() {
        return Err("the packet has no task.goal".into());
    }
    let packet = draft.into_packet(header);
    packet::validate(&packet).map_err(|e| e.to_string())?;
    Ok(packet)
}

/// Drops the error lines an earlier round put at the top.
fn strip_errors(text: &str) -> String {
    text.lines()
        .filter(|l| {
            !l.starts_with(ERROR_MARK) && *l != "# Fix it and save, or empty the file to abort."
        })
        .fold(String::new(), |mut out, l| {
            out.push_str(l);
            out.push('\n');
            out
        })
}

/// Picks the editor as git does: `GIT_EDITOR`, `core.editor`, `VISUAL`, `EDITOR`, then `vi`.
fn editor(repo: &Repo) -> String {
    let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    env("GIT_EDITOR")
        .or_else(|| repo.config_string("core.editor").filter(|v| !v.is_empty()))
        .or_else(|| env("VISUAL"))
        .or_else(|| env("EDITOR"))
        .unwrap_or_else(|| "vi".to_string())
}

fn run_editor(repo: &Repo, file: &Path) -> anyhow::Result<()> {
    let editor = editor(repo);
    let path: PathBuf = file.to_path_buf();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(&path)
        .status()
        .map_err(|e| UserError::new(format!("cannot start the editor {editor:?}: {e}")))?;
    if !status.success() {
        return Err(UserError::new(format!(
            "the editor {editor:?} failed ({status}); nothing written"
        ))
        .hint("set a working editor with git config core.editor <cmd>, or GIT_EDITOR")
        .into());
    }
    Ok(())
}
