//! commit-msg: stamp the `Handoff: <id> r<N>` trailer into the message being committed.

use anyhow::Context;

use crate::repo::{Head, Repo};
use crate::store;
use crate::trailer::{self, Stamp};

pub fn run(repo: &Repo, args: &[String]) -> anyhow::Result<()> {
    let Some(file) = args.first() else {
        anyhow::bail!("commit-msg needs the message file as its argument");
    };
    let policy = super::super::load_policy(repo)?;
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
    };
    let message = std::fs::read_to_string(file).with_context(|| format!("cannot read {file}"))?;
    let comment = match repo
        .config_string("core.commentChar")
        .or_else(|| repo.config_string("core.commentString"))
    {
        Some(c) if !c.is_empty() && c != "auto" => c,
        _ => "#".to_string(),
    };
    let stamped = trailer::add(&message, &stamp, &comment);
    if stamped != message {
        std::fs::write(file, stamped).with_context(|| format!("cannot write {file}"))?;
    }
    Ok(())
}
