//! commit-msg: stamp the `Handoff: <id> r<N>@<content>` trailer into the message being committed.

use anyhow::Context;

use crate::repo::{Head, Repo};
use crate::store;
use crate::trailer::{self, Stamp};

pub fn run(repo: &Repo, args: &[std::ffi::OsString]) -> anyhow::Result<()> {
    let Some(file) = args.first().map(std::path::Path::new) else {
        anyhow::bail!("commit-msg needs the message file as its argument");
    };
    let policy = crate::policy::load(repo)?;
    if !policy.trailer {
        return Ok(());
    }
    let Head::Branch { name, .. } = repo.head()? else {
        return Ok(());
    };
    let Some(tip) = store::tip(repo, &store::chain_ref(&name))? else {
        return Ok(());
    };
    let Ok(revision) = store::read_revision(repo, tip) else {
        return Ok(()); // pre-commit reports an invalid packet; the trailer waits for a valid one
    };
    let stamp = Stamp {
        id: revision.packet.id,
        revision: revision.packet.revision,
        content: Some(trailer::content_id(&revision.blob.to_string())),
    };
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let Ok(message) = String::from_utf8(bytes) else {
        crate::output::to_stderr("warning: the commit message is not UTF-8; no Handoff trailer added (the note is still attached)\n");
        return Ok(());
    };
    let comment = match repo
        .config_string("core.commentChar")
        .or_else(|| repo.config_string("core.commentString"))
    {
        Some(c) if c == "auto" => auto_comment(&message),
        Some(c) if !c.is_empty() => c,
        _ => "#".to_string(),
    };
    let stamped = trailer::add(&message, &stamp, &comment);
    if stamped != message {
        std::fs::write(file, stamped)
            .with_context(|| format!("cannot write {}", file.display()))?;
    }
    Ok(())
}

/// With `core.commentChar = auto`, git picks a character no message line starts with and uses it
/// for its help and scissors lines: read it back from those lines.
fn auto_comment(message: &str) -> String {
    const CANDIDATES: &str = "#;@!$%^&|:";
    let comment_line = |line: &&str| {
        let mut chars = line.chars();
        let first = chars.next().filter(|c| CANDIDATES.contains(*c));
        first.filter(|_| matches!(chars.next(), None | Some(' ')))
    };
    let lines: Vec<&str> = message.lines().collect();
    let scissors = lines
        .iter()
        .filter(|l| l.contains(" >8 "))
        .find_map(comment_line);
    let last = lines
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .and_then(comment_line);
    scissors.or(last).unwrap_or('#').to_string()
}
