//! `git handoff edit`: edit the packet in your editor, like `git commit` edits a message.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use clap::Args;

use crate::error::{user_error, UserError};
use crate::output::Output;
use crate::packet::{self, Packet};
use crate::repo::Repo;
use crate::store;

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Write a string the secret scan flags, by the fingerprint its refusal names
    #[arg(long, value_name = "FINGERPRINT")]
    pub allow_secret: Vec<String>,
    /// Why the original intent changes (only the supervise lane may change it)
    #[arg(long, value_name = "TEXT")]
    pub why: Option<String>,
    #[command(flatten)]
    pub actor: super::act::AsArg,
}

const HELP: &str = "\
# Edit the handoff packet, save and close the editor to write the next revision.
# Lines starting with '#' are ignored. schema, id, revision, branch, base, updated
# author and actor are set by git-handoff. An empty file aborts without writing.
";
const ERROR_MARK: &str = "# error: ";
const RETRY: &str = "# Fix it and save, or empty the file to abort.";

pub fn cmd_edit(args: &EditArgs, out: &Output) -> anyhow::Result<()> {
    out.format()?;
    let repo = super::open()?;
    let target = super::write_target(&repo)?;
    let writer = crate::clock::WriterCell::acting(&repo, args.actor.name.as_deref());
    let adopted = super::adopt_fetched(&repo, &writer, out, &target.branch)?;
    let refname = store::chain_ref(&target.branch);
    let Some(tip) = store::tip(&repo, &refname)? else {
        return user_error(
            format!("branch {} has no packet to edit", target.branch),
            "start one: git handoff start --goal \"…\" --accept \"…\"",
        );
    };
    let current = store::read_tip(&repo, tip)?;
    // Absolute, so the path in a hint works from wherever it is read.
    let file = repo.git_dir().join("HANDOFF_EDIT.toml");
    let file = std::path::absolute(&file).unwrap_or(file);
    let mut text = match &current {
        Ok(r) => format!("{HELP}{}", packet::to_toml(&r.packet)),
        // A packet that does not read opens as it is, with the reason on top, so it can be fixed.
        Err(broken) => format!(
            "{ERROR_MARK}{}\n{RETRY}\n{HELP}{}",
            broken.problem,
            broken.text.as_deref().unwrap_or("")
        ),
    };
    let keep_id = current.as_ref().ok().map(|r| r.packet.id.clone());
    let previous = current.as_ref();
    // An editor that saves the same invalid text twice will not fix it: stop instead of looping.
    let mut last_body: Option<String> = None;
    let mut edited = loop {
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
        let verdict = check(&writer, &target, &body, keep_id.as_deref(), previous);
        let repeated = last_body.as_deref() == Some(body.as_str());
        last_body = Some(body.clone());
        match verdict {
            Ok(packet) => break packet,
            // Re-open only for a person who can answer, and not for the same text twice.
            Err(message) if after == text || repeated || !interactive() => {
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
                text = format!("{ERROR_MARK}{message}\n{RETRY}\n{body}");
            }
        }
    };
    if let Ok(r) = &current {
        keep_intent(&writer, &r.packet, &mut edited, args.why.as_deref(), &file)?;
    }
    if current.as_ref().is_ok_and(|r| edited.same_body(&r.packet)) {
        let _ = std::fs::remove_file(&file);
        return Err(UserError::refused("no changes; nothing written")
            .hint("edit a field, or leave the packet as it is")
            .into());
    }
    let revision =
        super::write_checked(&repo, &args.allow_secret, &target.branch, "edit", |now| {
            let now_commit = now.map(|n| n.map_or_else(|b| b.commit, |r| r.commit));
            if now_commit == Some(tip) {
                return Ok(edited.clone());
            }
            Err(UserError::new("the packet changed while you were editing")
                .hint(format!(
                    "your text is kept in {}; merge it with git handoff update --from {}",
                    file.display(),
                    file.display()
                ))
                .into())
        })?;
    adopted.keep();
    let _ = std::fs::remove_file(&file);
    out.status(&format!(
        "updated {} to r{} on {}",
        revision.packet.id, revision.packet.revision, target.branch
    ));
    Ok(())
}

/// Parses and validates the edited text as the next revision; the error names line or field.
/// The packet keeps its id; a packet that did not read takes the id the text gives, or a new one.
fn check(
    writer: &crate::clock::WriterCell<'_>,
    target: &super::Target,
    body: &str,
    keep_id: Option<&str>,
    previous: Result<&store::Revision, &store::Broken>,
) -> Result<Packet, String> {
    let draft = packet::parse_draft(body).map_err(|e| e.to_string())?;
    if draft.task.goal.trim().is_empty() {
        return Err("task.goal: is required and must not be empty".into());
    }
    let id = match keep_id {
        Some(id) => id.to_string(),
        None => draft.id.clone().unwrap_or_else(crate::clock::mint_id),
    };
    let header = super::next_header(
        writer.get().map_err(|e| format!("{e:#}"))?,
        target,
        id,
        Some(previous),
    )
    .map_err(|e| format!("{e:#}"))?;
    let packet = draft.into_packet(header);
    packet::validate(&packet).map_err(|e| e.to_string())?;
    Ok(packet)
}

/// Drops the error lines an earlier round put at the top.
fn strip_errors(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with(ERROR_MARK) && *l != RETRY)
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
        .unwrap_or_else(|| DEFAULT_EDITOR.to_string())
}

/// The editor git itself falls back to.
const DEFAULT_EDITOR: &str = "vi";

fn run_editor(repo: &Repo, file: &Path) -> anyhow::Result<()> {
    let editor = editor(repo);
    // No editor was chosen and nobody is at a terminal to use the default one.
    if editor == DEFAULT_EDITOR && !interactive() {
        return Err(UserError::new("edit needs an editor, and no one is at a terminal")
            .hint("write the packet with git handoff update --from FILE, or set GIT_EDITOR to a command that edits the file")
            .into());
    }
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

/// Returns true when a person sits at the command: stdin and stderr are terminals.
fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Applies the rules an edit keeps: the handoff records change only through the handoff commands
/// ([`crate::handoff::records_kept`]) and the original intent stays as started
/// ([`crate::handoff::intent_change`]); a refusal keeps the text, an allowed change is recorded.
fn keep_intent(
    writer: &crate::clock::WriterCell<'_>,
    current: &Packet,
    edited: &mut Packet,
    why: Option<&str>,
    file: &Path,
) -> anyhow::Result<()> {
    let w = writer.get()?;
    let refused = |e: crate::handoff::Refusal| {
        UserError::refused(e.message).hint(format!(
            "{}; your text is kept in {}",
            e.hint,
            file.display()
        ))
    };
    crate::handoff::records_kept(current, edited, &w.actor).map_err(refused)?;
    let decision =
        crate::handoff::intent_change(current, edited, &w.actor, why, w.at).map_err(refused)?;
    edited.decisions.extend(decision);
    Ok(())
}
